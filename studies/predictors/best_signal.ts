/**
 * The best signal of a sweep, chosen rather than named: the signal with the
 * highest mean Kendall τ with the final accuracy over the *training* tasks
 * only, so that experiments 1 and 2, which score on the held-out tasks,
 * never see the held-out tasks in the choice. Then that signal as a feature
 * set of experiment 1 and as task features of experiment 2's controller.
 *
 * @module
 */

import type { SignalComparison } from "../../lib/predict/compare_signals.ts";
import type { FeatureSet } from "./posterior_prediction.ts";
import { type Markdown, markdown } from "../../lib/viz/markdown.ts";
import {
  compareSweepSignals,
  pairedTauDifference,
  type SignalKind,
  type SweepComparison,
  type SweepSignal,
} from "./signal_comparison.ts";

/** Options of {@linkcode bestSignal}. */
export interface BestSignalOptions {
  /**
   * Kinds of signal not to choose. Default `["size"]`: the predictors are
   * already given the architecture, which fixes its size.
   */
  exclude?: readonly SignalKind[];
  /**
   * Least share of the training tasks on which a signal's τ must be defined
   * (not constant there). Default 0.9: binned MI, equal for every
   * architecture on most tasks, would otherwise win on the mean of the few
   * tasks where it varies.
   */
  minShare?: number;
}

/** What {@linkcode bestSignal} chose, and from what. */
export interface BestSignal {
  /** The chosen signal. */
  signal: SweepSignal;
  /** Its scores on the training tasks. */
  scores: SignalComparison;
  /** Every signal compared on the training tasks. */
  comparison: SweepComparison;
  /** Training tasks in the comparison. */
  tasks: number;
  /** The eligible signal with the second highest τ, if any. */
  runnerUp?: SignalComparison;
  /** The rules the choice followed (the options, defaults filled in). */
  rules: Required<BestSignalOptions>;
}

/**
 * The signal of a sweep table (rows as records with a `task` column) with
 * the highest mean Kendall τ over the tasks `isTraining` accepts; ties go to
 * the signal listed first by `sweepSignals`.
 *
 * @example
 * ```ts
 * import { bestSignal } from "./best_signal.ts";
 * const rows = [];
 * for (let task = 0; task < 4; task++) for (let i = 0; i < 8; i++) {
 *   // acc_1 tracks acc_9 on the training tasks (0–2); mi_ksg_1 only on task 3.
 *   rows.push({ task, acc_1: task < 3 ? i : -i, acc_9: i, mi_ksg_1: task < 3 ? (i * 5) % 8 : i });
 * }
 * const best = bestSignal(rows, (task) => task < 3);
 * if (best.signal.column !== "acc_1" || best.tasks !== 3) throw new Error(best.signal.name);
 * ```
 */
export function bestSignal(
  table: readonly Record<string, unknown>[],
  isTraining: (task: number) => boolean,
  options: BestSignalOptions = {},
): BestSignal {
  const exclude = options.exclude ?? ["size"];
  const minShare = options.minShare ?? 0.9;
  const training = table.filter((r) => isTraining(r.task as number));
  if (training.length === 0) {
    throw new RangeError("bestSignal: no rows of a training task");
  }
  const tasks = new Set(training.map((r) => r.task)).size;
  const comparison = compareSweepSignals(training);
  const byName = new Map(comparison.signals.map((s) => [s.name, s]));
  const eligible = ranked(comparison, tasks, { exclude, minShare });
  if (eligible.length === 0) {
    throw new RangeError(
      `bestSignal: no signal outside ${
        exclude.join(", ")
      } has a τ on ${minShare} of the ${tasks} training tasks`,
    );
  }
  return {
    signal: byName.get(eligible[0].signal)!,
    scores: eligible[0],
    comparison,
    tasks,
    runnerUp: eligible[1],
    rules: { exclude, minShare },
  };
}

/** The eligible signals of a comparison over `tasks` tasks, highest mean τ first (ties in the listed order: sort is stable). */
function ranked(
  comparison: SweepComparison,
  tasks: number,
  rules: Required<BestSignalOptions>,
): SignalComparison[] {
  const kindOf = new Map(comparison.signals.map((s) => [s.name, s.kind]));
  return comparison.summary.filter((s) =>
    Number.isFinite(s.kendall) && s.groups >= rules.minShare * tasks &&
    !rules.exclude.includes(kindOf.get(s.signal)!)
  ).sort((a, b) => b.kendall - a.kendall);
}

const fixed = (digits: number) => (v: number) =>
  Number.isFinite(v) ? v.toFixed(digits) : "n/a";
const f2 = fixed(2);
// A lead near 2 SE needs a third digit to read right.
const f3 = fixed(3);

/**
 * How the choice was made, in sentences: the chosen signal's τ on the
 * training tasks, its paired lead over the runner-up, and (given the
 * comparison on the held-out tasks, which the choice never saw) its τ
 * there beside the held-out tasks' own best by the same rules.
 *
 * @example
 * ```ts
 * import { bestSignal, bestSignalFindings } from "./best_signal.ts";
 * import { compareSweepSignals } from "./signal_comparison.ts";
 * const rows = [];
 * for (let task = 0; task < 4; task++) for (let i = 0; i < 8; i++) {
 *   rows.push({ task, acc_1: task < 3 ? i : -i, acc_9: i, mi_ksg_1: task < 3 ? (i * 5) % 8 : i });
 * }
 * const best = bestSignal(rows, (task) => task < 3);
 * const text = bestSignalFindings(best, compareSweepSignals(rows.filter((r) => r.task === 3))).text;
 * if (!text.includes("**accuracy, 1 epoch** (τ = 1.00") || !text.includes("best there: MI ksg L1")) throw new Error(text);
 * ```
 */
export function bestSignalFindings(
  best: BestSignal,
  heldOut?: SweepComparison,
): Markdown {
  const { signal, scores, runnerUp, tasks } = best;
  const lines = [
    `- Chosen on the ${tasks} training tasks only: **${signal.name}** (τ = ${
      f2(scores.kendall)
    } ± ${f2(scores.kendallSE)} over ${scores.groups} tasks).`,
  ];
  if (runnerUp !== undefined) {
    const d = pairedTauDifference(
      best.comparison.groups,
      signal.name,
      runnerUp.signal,
    );
    lines.push(
      `- Runner-up: ${runnerUp.signal} (τ = ${f2(runnerUp.kendall)} ± ${
        f2(runnerUp.kendallSE)
      }); the lead, paired over ${d.tasks} tasks, is Δτ = ${f3(d.mean)} ± ${
        f3(d.se)
      }${
        d.mean > 2 * d.se
          ? ", more than 2 SE"
          : ", within 2 SE: the choice is not clear-cut"
      }.`,
    );
  }
  if (heldOut !== undefined) {
    const mine = heldOut.summary.find((s) => s.signal === signal.name);
    // The held-out tasks' own best by the same rules, for comparison only.
    const heldOutTasks = new Set(heldOut.groups.map((g) => g.group)).size;
    const top = ranked(heldOut, heldOutTasks, best.rules)[0];
    lines.push(
      `- On the held-out tasks, which the choice never saw: τ = ${
        f2(mine?.kendall ?? NaN)
      } ± ${f2(mine?.kendallSE ?? NaN)} over ${mine?.groups ?? 0} tasks${
        top ? `; best there: ${top.signal} (τ = ${f2(top.kendall)})` : ""
      }.`,
    );
  }
  return markdown(lines.join("\n"));
}

/** A row's key in the sweep table. */
const keyOf = (task: unknown, bracket: unknown, slot: unknown) =>
  `${task}/${bracket}/${slot}`;

/**
 * A signal as one of experiment 1's feature sets (`MLP + <signal name>`):
 * its value for the architecture, read from the sweep table by (task,
 * bracket, slot) and signed so that higher is better.
 *
 * @example
 * ```ts
 * import { signalFeature } from "./best_signal.ts";
 * const table = [{ task: 0, bracket: 1, slot: 2, rmi: 0.25 }];
 * const f = signalFeature(table, { column: "rmi", name: "RMI", sign: -1, kind: "RMI" });
 * const row = { task: 0, bracket: 1, slot: 2, widths: [10], accuracy: {}, mi: {} };
 * if (f.name !== "RMI" || f.of(row)[0] !== -0.25) throw new Error();
 * ```
 */
export function signalFeature(
  table: readonly Record<string, unknown>[],
  signal: SweepSignal,
): FeatureSet {
  const sign = signal.sign ?? 1;
  const value = new Map(
    table.map((r) => [
      keyOf(r.task, r.bracket, r.slot),
      sign * (r[signal.column] as number),
    ]),
  );
  return {
    name: signal.name,
    of: (row) => {
      const v = value.get(keyOf(row.task, row.bracket, row.slot));
      if (v === undefined) {
        throw new RangeError(
          `signalFeature: no row of task ${row.task}, bracket ${row.bracket}, slot ${row.slot} in the table`,
        );
      }
      return [v];
    },
  };
}

/**
 * A signal as experiment 2's task features (for `controllerTasks`): its
 * mean over the task's architectures, as the controller's MI features are
 * the mean MI per layer. Missing values are skipped.
 *
 * @example
 * ```ts
 * import { signalTaskMeans } from "./best_signal.ts";
 * const table = [{ task: 0, acc_3: 0.5 }, { task: 0, acc_3: 0.7 }, { task: 1, acc_3: null }, { task: 1, acc_3: 0.2 }];
 * const f = signalTaskMeans(table, { column: "acc_3", name: "accuracy, 3 epochs", kind: "early accuracy" });
 * if (Math.abs(f(0)[0] - 0.6) > 1e-12 || f(1)[0] !== 0.2) throw new Error();
 * ```
 */
export function signalTaskMeans(
  table: readonly Record<string, unknown>[],
  signal: SweepSignal,
): (task: number) => number[] {
  const sums = new Map<number, [number, number]>();
  for (const r of table) {
    const v = r[signal.column];
    if (typeof v !== "number" || !Number.isFinite(v)) continue;
    const s = sums.get(r.task as number) ?? [0, 0];
    sums.set(r.task as number, [s[0] + (signal.sign ?? 1) * v, s[1] + 1]);
  }
  return (task) => {
    const s = sums.get(task);
    if (s === undefined) {
      throw new RangeError(
        `signalTaskMeans: no value of ${signal.column} on task ${task}`,
      );
    }
    return [s[0] / s[1]];
  };
}
