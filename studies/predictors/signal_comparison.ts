/**
 * Which signal tells good architectures early? The signals a sweep table
 * holds (accuracy after the early rung budgets, per-layer MI by each
 * estimator, RMI, zero-cost proxies, size), each compared with the final
 * accuracy per task by `compareSignals`, and the sentences notebook 05
 * draws from the numbers. "Beats" means by more than two standard errors
 * of the paired per-task difference.
 *
 * @module
 */

import {
  compareSignals,
  type SignalComparison,
  type SignalComparisonResult,
  type SignalSpec,
} from "../../lib/predict/compare_signals.ts";
import { type Markdown, markdown } from "../../lib/viz/markdown.ts";

/** What a signal measures. */
export type SignalKind =
  | "early accuracy"
  | "per-layer MI"
  | "RMI"
  | "zero-cost"
  | "size";

/** A signal of a sweep table: its column, display name, sign and kind. */
export interface SweepSignal extends SignalSpec {
  /** Name shown in tables and charts. */
  name: string;
  /** What it measures. */
  kind: SignalKind;
}

/** The target and signals found in a sweep table's columns. */
export interface SweepSignals {
  /** The final accuracy: `acc_<r>` with the largest r. */
  target: string;
  /** Every other column that is a signal, grouped by kind. */
  signals: SweepSignal[];
}

const KIND_ORDER: SignalKind[] = [
  "early accuracy",
  "per-layer MI",
  "RMI",
  "zero-cost",
  "size",
];

/**
 * The signals among a sweep table's columns: `acc_<r>` (all but the last
 * budget, which is the target), `mi_<estimator>_<layer>` (after training),
 * `mi<epoch>_<estimator>_<layer>` (after that epoch; named "MI <estimator>
 * L<layer> e<epoch>"), `rmi` (RMI-NAS's loss: lower is better),
 * `zc_<proxy>`, `params`, `width_sum` and `filter_sum`.
 *
 * @example
 * ```ts
 * import { sweepSignals } from "./signal_comparison.ts";
 * const s = sweepSignals(["task", "acc_1", "acc_3", "acc_9", "mi_ksg_1", "rmi", "zc_synflow"]);
 * if (s.target !== "acc_9") throw new Error(s.target);
 * if (s.signals.map((x) => x.column).join() !== "acc_1,acc_3,mi_ksg_1,rmi,zc_synflow") throw new Error();
 * if (s.signals.find((x) => x.column === "rmi")!.sign !== -1) throw new Error();
 * ```
 */
export function sweepSignals(columns: readonly string[]): SweepSignals {
  const budgets = columns.map((c) => /^acc_(\d+)$/.exec(c)).filter((m) =>
    m !== null
  ).map((m) => Number(m![1])).sort((a, b) => a - b);
  if (budgets.length === 0) {
    throw new RangeError(
      `sweepSignals: no acc_<epochs> column among ${columns.join(", ")}`,
    );
  }
  const final = budgets[budgets.length - 1];
  const signals: SweepSignal[] = [];
  for (const r of budgets.slice(0, -1)) {
    signals.push({
      column: `acc_${r}`,
      name: `accuracy, ${r} epoch${r === 1 ? "" : "s"}`,
      kind: "early accuracy",
    });
  }
  for (const c of columns) {
    const mi = /^mi_(.+)_(\d+)$/.exec(c);
    const early = /^mi(\d+)_(.+)_(\d+)$/.exec(c);
    const zc = /^zc_(.+)$/.exec(c);
    if (early) {
      signals.push({
        column: c,
        name: `MI ${early[2]} L${early[3]} e${early[1]}`,
        kind: "per-layer MI",
      });
    } else if (mi) {
      signals.push({
        column: c,
        name: `MI ${mi[1]} L${mi[2]}`,
        kind: "per-layer MI",
      });
    } else if (c === "rmi") {
      signals.push({ column: c, name: "RMI", sign: -1, kind: "RMI" });
    } else if (zc && !(zc[1] === "params" && columns.includes("params"))) {
      // zc_params ranks as params does: shown once, as size.
      signals.push({ column: c, name: zc[1], kind: "zero-cost" });
    } else if (c === "params") {
      signals.push({ column: c, name: "parameters", kind: "size" });
    } else if (c === "width_sum") {
      signals.push({ column: c, name: "Σ widths", kind: "size" });
    } else if (c === "filter_sum") {
      signals.push({ column: c, name: "Σ filters", kind: "size" });
    }
  }
  signals.sort((a, b) =>
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind)
  );
  return { target: `acc_${final}`, signals };
}

/** {@linkcode compareSignals} on a sweep table: every signal it holds against its final accuracy, per task. */
export interface SweepComparison extends SignalComparisonResult {
  /** The target column. */
  target: string;
  /** The signals compared. */
  signals: SweepSignal[];
}

/**
 * Compares every signal of a sweep table (rows as records, e.g.
 * `readTable(path).toRecords()`) with its final accuracy, per task.
 *
 * @example
 * ```ts
 * import { compareSweepSignals } from "./signal_comparison.ts";
 * const rows = [0, 1, 2, 3].map((i) => ({ task: 0, acc_1: i, acc_9: i, params: 3 - i }));
 * const c = compareSweepSignals(rows);
 * if (c.summary[0].kendall !== 1 || c.summary[1].kendall !== -1) throw new Error();
 * ```
 */
export function compareSweepSignals(
  table: readonly Record<string, unknown>[],
  options: { topShare?: number } = {},
): SweepComparison {
  if (table.length === 0) throw new RangeError("compareSweepSignals: no rows");
  const { target, signals } = sweepSignals(Object.keys(table[0]));
  const result = compareSignals(table, {
    target,
    signals,
    groupBy: "task",
    topShare: options.topShare,
  });
  return { ...result, target, signals };
}

/**
 * The comparison as chart rows: per signal, τ and ρ (`metric`) with their
 * standard errors, signals ordered by mean τ (best first).
 *
 * @example
 * ```ts
 * import { compareSweepSignals, signalChartRows } from "./signal_comparison.ts";
 * const rows = [0, 1, 2, 3].map((i) => ({ task: 0, acc_1: i, acc_9: i, params: 3 - i }));
 * const chart = signalChartRows(compareSweepSignals(rows));
 * if (chart.length !== 4 || chart[0].signal !== "accuracy, 1 epoch") throw new Error();
 * ```
 */
export function signalChartRows(
  comparison: SignalComparisonResult,
): { signal: string; metric: string; value: number; se: number }[] {
  const ordered = [...comparison.summary].filter((s) =>
    Number.isFinite(s.kendall)
  ).sort((a, b) => b.kendall - a.kendall);
  return ordered.flatMap((s) => [
    {
      signal: s.signal,
      metric: "Kendall τ",
      value: s.kendall,
      se: Number.isFinite(s.kendallSE) ? s.kendallSE : 0,
    },
    {
      signal: s.signal,
      metric: "Spearman ρ",
      value: s.spearman,
      se: Number.isFinite(s.spearmanSE) ? s.spearmanSE : 0,
    },
  ]);
}

/**
 * The comparison as a reader's table: one row per signal with τ, ρ, their
 * SEs, precision at the top 10 % beside its chance level, and the tasks
 * where τ is defined.
 *
 * @example
 * ```ts
 * import { compareSweepSignals, signalTable } from "./signal_comparison.ts";
 * const rows = [0, 1, 2, 3].map((i) => ({ task: 0, acc_1: i, acc_9: i }));
 * if (signalTable(compareSweepSignals(rows))[0]["τ"] !== 1) throw new Error();
 * ```
 */
export function signalTable(
  comparison: SignalComparisonResult,
): Record<string, string | number>[] {
  return comparison.summary.map((s) => ({
    signal: s.signal,
    "τ": s.kendall,
    "SE τ": s.kendallSE,
    "ρ": s.spearman,
    "SE ρ": s.spearmanSE,
    "precision@10%": s.precision,
    chance: s.precisionChance,
    tasks: s.groups,
  }));
}

/** Mean and SE over tasks of τ(a) − τ(b), on the tasks where both are defined. */
export interface PairedDifference {
  /** Mean of the per-task differences. */
  mean: number;
  /** Its standard error. */
  se: number;
  /** Tasks compared. */
  tasks: number;
}

/**
 * The paired difference of two signals' Kendall τ over the tasks.
 *
 * @example
 * ```ts
 * import { pairedTauDifference } from "./signal_comparison.ts";
 * const g = (signal: string, group: number, kendall: number) =>
 *   ({ signal, group, kendall, spearman: kendall, n: 9, dropped: 0, precision: 0, k: 1, constant: false });
 * const d = pairedTauDifference([g("a", 0, 0.5), g("a", 1, 0.7), g("b", 0, 0.1), g("b", 1, 0.1)], "a", "b");
 * if (Math.abs(d.mean - 0.5) > 1e-12 || d.tasks !== 2) throw new Error();
 * ```
 */
export function pairedTauDifference(
  groups: SignalComparisonResult["groups"],
  a: string,
  b: string,
): PairedDifference {
  const tauOf = (signal: string) =>
    new Map(
      groups.filter((g) => g.signal === signal && Number.isFinite(g.kendall))
        .map((g) => [g.group, g.kendall]),
    );
  const ta = tauOf(a), tb = tauOf(b);
  const d = [...ta].filter(([g]) => tb.has(g)).map(([g, t]) => t - tb.get(g)!);
  if (d.length === 0) return { mean: NaN, se: NaN, tasks: 0 };
  const mean = d.reduce((s, v) => s + v, 0) / d.length;
  const se = d.length > 1
    ? Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (d.length - 1)) /
      Math.sqrt(d.length)
    : NaN;
  return { mean, se, tasks: d.length };
}

const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "n/a");

function describe(s: SignalComparison): string {
  return `τ = ${f2(s.kendall)} ± ${f2(s.kendallSE)}, ρ = ${f2(s.spearman)} ± ${
    f2(s.spearmanSE)
  }, precision at the top 10 % ${f2(s.precision)} (chance ${
    f2(s.precisionChance)
  }), ${s.groups} tasks`;
}

/** "better than", "worse than" or "no different from" at 2 SE. */
function verdict(d: PairedDifference): string {
  if (!(d.tasks > 1) || !Number.isFinite(d.se)) return "not comparable with";
  if (d.mean > 2 * d.se) return "better than";
  if (d.mean < -2 * d.se) return "worse than";
  return "no different (within 2 SE) from";
}

/**
 * What the comparison says, computed: the best signal, the best of each
 * kind, the best per-layer MI against the best signal and against the
 * accuracy after the fewest epochs (paired over tasks), which signals beat
 * chance at the top 10 %, and a conclusion sentence.
 *
 * @example
 * ```ts
 * import { compareSweepSignals, signalFindings } from "./signal_comparison.ts";
 * const rows = [];
 * for (let task = 0; task < 3; task++) for (let i = 0; i < 10; i++) {
 *   rows.push({ task, acc_1: i + (i % 3), acc_9: i, mi_ksg_1: (i * 7 + task) % 10 });
 * }
 * const text = signalFindings(compareSweepSignals(rows)).text;
 * if (!text.includes("Best signal: accuracy, 1 epoch")) throw new Error(text);
 * ```
 */
export function signalFindings(comparison: SweepComparison): Markdown {
  const { summary, groups, signals } = comparison;
  const kindOf = new Map(signals.map((s) => [s.name, s.kind]));
  const ranked = summary.filter((s) => Number.isFinite(s.kendall)).sort((
    a,
    b,
  ) => b.kendall - a.kendall);
  if (ranked.length === 0) {
    throw new RangeError("signalFindings: no signal has a defined τ");
  }
  const best = ranked[0];
  const lines = [`- Best signal: ${best.signal} (${describe(best)}).`];
  const bestOf = new Map<SignalKind, SignalComparison>();
  for (const s of ranked) {
    const k = kindOf.get(s.signal)!;
    if (!bestOf.has(k)) bestOf.set(k, s);
  }
  lines.push(
    `- Best of each kind: ${
      KIND_ORDER.filter((k) => bestOf.has(k)).map((k) =>
        `${k}: ${bestOf.get(k)!.signal} (τ = ${f2(bestOf.get(k)!.kendall)})`
      ).join("; ")
    }.`,
  );
  const mi = bestOf.get("per-layer MI");
  const rival = ranked.find((s) => kindOf.get(s.signal) !== "per-layer MI");
  const earliest = signals.find((s) => s.kind === "early accuracy");
  const against = (other: string) => {
    const d = pairedTauDifference(groups, mi!.signal, other);
    lines.push(
      `- ${mi!.signal} against ${other}: Δτ = ${f2(d.mean)} ± ${
        f2(d.se)
      } over ${d.tasks} tasks (paired): ${verdict(d)} it.`,
    );
    return `${verdict(d)} ${other}`;
  };
  let conclusion = `the highest mean τ is that of ${best.signal}`;
  if (mi && rival) {
    conclusion += `; per-layer MI at its best (${mi.signal}) is ${
      against(rival.signal)
    }, the best other signal`;
    if (earliest && earliest.name !== rival.signal) {
      conclusion += `, and ${against(earliest.name)}`;
    }
  }
  const aboveChance = ranked.filter((s) =>
    s.precision - s.precisionChance > 2 * s.precisionSE
  ).map((s) => s.signal);
  lines.push(
    `- Precision at the top 10 % above chance by more than 2 SE: ${
      aboveChance.length ? aboveChance.join(", ") : "no signal"
    }.`,
  );
  lines.push(`\n**Conclusion:** ${conclusion}.`);
  return markdown(lines.join("\n"));
}

/** How far a sweep's final accuracy can be ranked at all (see {@linkcode targetReliability}). */
export interface TargetReliability {
  /** The target column (the final validation accuracy). */
  target: string;
  /** Mean Kendall τ-b, per task, of the target with the test accuracy of the same networks. */
  kendall: number;
  /** Its standard error over tasks. */
  kendallSE: number;
  /** Tasks where τ is defined. */
  tasks: number;
  /** Per task, the best minus the worst final accuracy, in points: median, least and most over tasks. */
  spread: { median: number; min: number; max: number };
}

/**
 * How repeatable a sweep's target is: per task, Kendall's τ of the final
 * validation accuracy with the test accuracy of the same trained networks
 * (an independent measurement of the same thing), and the spread of the
 * final accuracy. An early signal can hardly rank architectures better
 * than the target's own repeat does; where the spread is a point or two,
 * the ranking is mostly sampling noise.
 *
 * @example
 * ```ts
 * import { targetReliability } from "./signal_comparison.ts";
 * const rows = [0, 1, 2, 3].map((i) => ({ task: 0, acc_1: 0, acc_9: 0.9 + i / 100, test_acc: 0.9 + i / 100 }));
 * const r = targetReliability(rows);
 * if (r.kendall !== 1 || Math.abs(r.spread.median - 3) > 1e-9) throw new Error(JSON.stringify(r));
 * ```
 */
export function targetReliability(
  table: readonly Record<string, unknown>[],
): TargetReliability {
  if (table.length === 0) throw new RangeError("targetReliability: no rows");
  if (!("test_acc" in table[0])) {
    throw new RangeError(
      "targetReliability needs a test_acc column (the sweeps' tables have one)",
    );
  }
  const { target } = sweepSignals(Object.keys(table[0]));
  const [s] = compareSignals(table, {
    target,
    signals: [{ column: "test_acc", name: "test accuracy" }],
    groupBy: "task",
  }).summary;
  const byTask = new Map<unknown, number[]>();
  for (const r of table) {
    const v = r[target];
    if (typeof v !== "number" || !Number.isFinite(v)) continue;
    byTask.set(r.task, [...(byTask.get(r.task) ?? []), v]);
  }
  const spreads = [...byTask.values()].map((v) =>
    100 * (Math.max(...v) - Math.min(...v))
  ).sort((a, b) => a - b);
  const mid = spreads.length / 2;
  return {
    target,
    kendall: s.kendall,
    kendallSE: s.kendallSE,
    tasks: s.groups,
    spread: {
      median: spreads.length % 2
        ? spreads[Math.floor(mid)]
        : (spreads[mid - 1] + spreads[mid]) / 2,
      min: spreads[0],
      max: spreads[spreads.length - 1],
    },
  };
}

/**
 * {@linkcode targetReliability} as a sentence for a notebook.
 *
 * @example
 * ```ts
 * import { reliabilityFindings } from "./signal_comparison.ts";
 * const text = reliabilityFindings({ target: "acc_9", kendall: 0.3, kendallSE: 0.05, tasks: 10, spread: { median: 2, min: 1, max: 4 } }).text;
 * if (!text.includes("τ = 0.30 ± 0.05")) throw new Error(text);
 * ```
 */
export function reliabilityFindings(r: TargetReliability): Markdown {
  const f = (v: number) => v.toFixed(1);
  return markdown(
    `- How repeatable the target is: the final validation accuracy (\`${r.target}\`) ranks each task's architectures like their test accuracy with τ = ${
      r.kendall.toFixed(2)
    } ± ${
      r.kendallSE.toFixed(2)
    } (${r.tasks} tasks), roughly the most an early signal can be expected to reach. Within a task the final accuracies span a median of ${
      f(r.spread.median)
    } points (${f(r.spread.min)} to ${f(r.spread.max)}).`,
  );
}
