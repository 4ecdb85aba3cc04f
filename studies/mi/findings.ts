/**
 * The sentences of notebook 01, computed from the results it shows so that
 * they hold in quick and in full mode alike: the staircase's per-level
 * means as a table, the best estimator per task, and how each estimator
 * holds up with dimension.
 *
 * @module
 */

import type { ComparisonRow } from "../../lib/mi/compare.ts";
import type { MITrace } from "../../lib/mi/stream.ts";
import { type Markdown, markdown } from "../../lib/viz/markdown.ts";

/** A number as a reader writes it: at most `digits` significant digits, no float noise. */
const round = (v: number, digits = 3) => Number(v.toPrecision(digits));

/**
 * One row per estimator: the mean of its per-batch bound over the last
 * quarter of each staircase level, under a column named after the level's
 * true MI ("true 2 nats", not "true 2.0000000000000004"), and its run time.
 *
 * @example
 * ```ts
 * import { staircaseLevels } from "./findings.ts";
 * const trace = { method: "infonce" as const, trace: [0, 1, 2, 3, 4, 5, 6, 7], batchSize: 64, seconds: 1.23 };
 * const [row] = staircaseLevels([trace], [2.0000000000000004, 4], 4);
 * if (row["true 2 nats"] !== 3 || row["true 4 nats"] !== 7) throw new Error(JSON.stringify(row));
 * ```
 */
export function staircaseLevels(
  traces: readonly MITrace[],
  levels: readonly number[],
  stepsPerLevel: number,
): Record<string, string | number>[] {
  const tailLength = Math.max(1, Math.floor(stepsPerLevel / 4));
  return traces.map((t) => {
    const row: Record<string, string | number> = { estimator: t.method };
    levels.forEach((truth, k) => {
      const end = (k + 1) * stepsPerLevel;
      const tail = t.trace.slice(end - tailLength, end);
      row[`true ${round(truth)} nats`] = round(
        tail.reduce((a, v) => a + v, 0) / tail.length,
      );
    });
    row.seconds = round(t.seconds, 2);
    return row;
  });
}

/** Mean of `value` per key, in first-seen order. */
function meanBy<T>(
  rows: readonly T[],
  key: (r: T) => string,
  value: (r: T) => number,
): Map<string, number> {
  const sums = new Map<string, [number, number]>();
  for (const r of rows) {
    const [s, k] = sums.get(key(r)) ?? [0, 0];
    sums.set(key(r), [s + value(r), k + 1]);
  }
  return new Map([...sums].map(([k, [s, n]]) => [k, s / n]));
}

const NEURAL = new Set([
  "mine",
  "mine-biased",
  "mine-f",
  "nwj",
  "infonce",
  "smile",
]);

/**
 * What the dimension sweep shows, in words: estimate / truth per estimator
 * at the largest dimension (mean over seeds, closest to 1 first), how far
 * KSG slides from the smallest to the largest dimension, and which neural
 * estimators end closer to the truth than KSG and which do not.
 *
 * @example
 * ```ts
 * import { dimensionFindings } from "./findings.ts";
 * const rows = [
 *   { dim: 1, method: "ksg", estimate: 0.95, truth: 1 },
 *   { dim: 10, method: "ksg", estimate: 0.5, truth: 1 },
 *   { dim: 1, method: "infonce", estimate: 0.9, truth: 1 },
 *   { dim: 10, method: "infonce", estimate: 0.8, truth: 1 },
 * ];
 * const text = dimensionFindings(rows).text;
 * if (!text.includes("closer to the truth than KSG at d = 10: infonce")) throw new Error(text);
 * ```
 */
export function dimensionFindings(
  rows: readonly {
    dim: number;
    method: string;
    estimate: number;
    truth: number;
  }[],
): Markdown {
  if (rows.length === 0) throw new Error("dimensionFindings needs rows");
  const dims = [...new Set(rows.map((r) => r.dim))].sort((a, b) => a - b);
  const [low, high] = [dims[0], dims[dims.length - 1]];
  const ratio = meanBy(
    rows,
    (r) => `${r.method}\u0000${r.dim}`,
    (r) => r.estimate / r.truth,
  );
  const at = (method: string, dim: number) =>
    ratio.get(`${method}\u0000${dim}`) ?? NaN;
  const methods = [...new Set(rows.map((r) => r.method))];
  // Closeness on a log scale: 0.5× and 2× are equally wrong.
  const miss = (r: number) => r > 0 ? Math.abs(Math.log(r)) : Infinity;
  const ranked = [...methods].sort((a, b) =>
    miss(at(a, high)) - miss(at(b, high))
  );
  const f = (v: number) => v.toFixed(2);
  const lines = [
    `- At d = ${high}, estimate / truth (1 is exact; closest first): ` +
    ranked.map((m) => `${m} ${f(at(m, high))}`).join(", ") + ".",
  ];
  if (methods.includes("ksg")) {
    lines.push(
      `- KSG goes from ${f(at("ksg", low))} at d = ${low} to ` +
        `${f(at("ksg", high))} at d = ${high}.`,
    );
    const neural = methods.filter((m) => NEURAL.has(m));
    if (neural.length > 0) {
      const closer = neural.filter((m) =>
        miss(at(m, high)) < miss(at("ksg", high))
      );
      const list = (ms: string[]) => ms.length ? ms.join(", ") : "none";
      lines.push(
        `- Neural estimators closer to the truth than KSG at d = ${high}: ` +
          `${list(closer)}; not closer: ` +
          `${list(neural.filter((m) => !closer.includes(m)))}.`,
      );
    }
  }
  return markdown(lines.join("\n"));
}

/**
 * The closest estimator on each task of the task × estimator table (mean
 * |ln(estimate / truth)| over seeds, capped at 5 as the chart caps it), and
 * the estimators within a factor 1.5 of the truth (|ln ratio| ≤ 0.41) on
 * every task.
 *
 * @example
 * ```ts
 * import { errorTableFindings } from "./findings.ts";
 * import type { MIMethod } from "../../lib/mi/mod.ts";
 * const row = (task: string, method: MIMethod, e: number) =>
 *   ({ task, method, n: 10, seed: 0, estimate: 1, truth: 1, logRatioError: e, seconds: 0 });
 * const text = errorTableFindings([row("a", "ksg", 0.1), row("a", "mine", 0.3)]).text;
 * if (!text.includes("a: ksg (0.10)")) throw new Error(text);
 * ```
 */
export function errorTableFindings(
  rows: readonly Pick<ComparisonRow, "task" | "method" | "logRatioError">[],
): Markdown {
  if (rows.length === 0) throw new Error("errorTableFindings needs rows");
  const error = meanBy(
    rows,
    (r) => `${r.task}\u0000${r.method}`,
    (r) => Math.min(r.logRatioError, 5),
  );
  const tasks = [...new Set(rows.map((r) => r.task))];
  const methods = [...new Set(rows.map((r) => r.method))];
  const e = (task: string, m: string) =>
    error.get(`${task}\u0000${m}`) ?? Infinity;
  const lines = ["Closest estimator per task (|ln ratio| in brackets):", ""];
  for (const task of tasks) {
    const best = [...methods].sort((a, b) => e(task, a) - e(task, b))[0];
    lines.push(`- ${task}: ${best} (${e(task, best).toFixed(2)})`);
  }
  const everywhere = methods.filter((m) =>
    tasks.every((t) => e(t, m) <= Math.log(1.5))
  );
  lines.push(
    "",
    `Within a factor 1.5 of the truth on every task: ${
      everywhere.length ? everywhere.join(", ") : "no estimator"
    }.`,
  );
  return markdown(lines.join("\n"));
}
