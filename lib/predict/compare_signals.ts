/**
 * One comparison of early signals of a good architecture: per group (a task),
 * Kendall's τ-b and Spearman's ρ of each signal with the target (the final
 * accuracy) across the group's architectures, and precision at the top share
 * (default 10 %); then the mean ± standard error of each over the groups.
 *
 * - Missing values (null, undefined, NaN, ±Infinity, non-numbers) drop the
 *   pair, per signal; each score reports the pairs it used and dropped.
 * - Ties are handled: τ is τ-b (scipy's default), ρ uses average ranks, and
 *   precision is the expected share over random orders of tied values (so a
 *   constant signal scores k/n, the chance level, not whatever the row order
 *   gives).
 * - A signal where lower is better (a loss, RMI's score) takes `sign: -1`;
 *   scores are of `sign · value`, so every τ reads "higher is agreement".
 * - A group where the signal or target is constant has no rank correlation
 *   (τ and ρ are NaN there and drop out of the mean; `constant` counts
 *   them), as does a group with fewer than `minPairs` usable pairs.
 *
 * @module
 */

import { kendallTau, MetricError, spearman } from "./metrics.ts";

/** A signal to compare: a column, and whether higher values mean better. */
export interface SignalSpec {
  /** The column of the table. */
  column: string;
  /** Name shown in the results. Default the column. */
  name?: string;
  /** +1 when higher is better (default), −1 when lower is better. */
  sign?: 1 | -1;
}

/** Options of {@linkcode compareSignals}. */
export interface CompareSignalsOptions {
  /** The column every signal is compared with (e.g. the final accuracy; higher is better). */
  target: string;
  /** Signals: column names (higher is better) or {@linkcode SignalSpec}s. */
  signals: readonly (string | SignalSpec)[];
  /** Column whose values split the rows into groups (tasks). Default: one group of every row. */
  groupBy?: string;
  /** Share of a group's architectures that makes its top, for precision. Default 0.1. */
  topShare?: number;
  /** Fewest usable pairs for a group to be scored. Default 3. */
  minPairs?: number;
}

/** One signal on one group. */
export interface GroupSignalScore {
  /** The signal's name. */
  signal: string;
  /** The group's value of `groupBy` (`"all"` without it). */
  group: unknown;
  /** Pairs used (both values finite). */
  n: number;
  /** Rows dropped because the signal or target was missing. */
  dropped: number;
  /** Kendall's τ-b of sign · signal with the target; NaN when undefined. */
  kendall: number;
  /** Spearman's ρ; NaN when undefined. */
  spearman: number;
  /** Expected share of the target's top k among the signal's top k, k = ⌈topShare · n⌉. */
  precision: number;
  /** The top size used. */
  k: number;
  /** True when the signal or the target takes one value on the group. */
  constant: boolean;
}

/** One signal's scores over the groups. */
export interface SignalComparison {
  /** The signal's name. */
  signal: string;
  /** Its column. */
  column: string;
  /** +1: higher is better; −1: lower is better (scores are of the negated values). */
  sign: 1 | -1;
  /** Mean τ-b over the groups where it is defined. */
  kendall: number;
  /** Its standard error (sample SD / √groups; NaN below 2 groups). */
  kendallSE: number;
  /** Mean Spearman ρ over the same groups. */
  spearman: number;
  /** Its standard error. */
  spearmanSE: number;
  /** Mean precision at the top share over the groups with at least `minPairs` pairs. */
  precision: number;
  /** Its standard error. */
  precisionSE: number;
  /** Mean k/n over the same groups: the precision of a random ranking. */
  precisionChance: number;
  /** Groups where τ and ρ are defined. */
  groups: number;
  /** Groups where the signal (or the target) was constant. */
  constant: number;
  /** Pairs used, over all groups. */
  pairs: number;
  /** Rows dropped for missing values, over all groups. */
  dropped: number;
}

/** What {@linkcode compareSignals} returns. */
export interface SignalComparisonResult {
  /** One row per signal, in the order given. */
  summary: SignalComparison[];
  /** One row per signal and group. */
  groups: GroupSignalScore[];
}

/** A finite number, or undefined. */
function finite(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "bigint") return Number(v);
  return undefined;
}

/**
 * For each index, the probability that it is among the k largest values
 * when ties are broken uniformly at random.
 */
function topMembership(v: readonly number[], k: number): number[] {
  const sorted = [...v].sort((a, b) => b - a);
  const cut = sorted[k - 1];
  const above = v.filter((x) => x > cut).length;
  const atCut = v.filter((x) => x === cut).length;
  return v.map((x) => x > cut ? 1 : x === cut ? (k - above) / atCut : 0);
}

/**
 * Precision at the top k with ties: the expected share of the k largest of
 * `truth` among the k largest of `score`, ties in each broken uniformly at
 * random and independently. Without ties it is {@linkcode precisionAtK}.
 *
 * @example
 * ```ts
 * import { tiedPrecisionAtK } from "./compare_signals.ts";
 * // A constant score picks 1 of 4 at random: chance, 1/4.
 * if (tiedPrecisionAtK([5, 5, 5, 5], [1, 2, 3, 4], 1) !== 0.25) throw new Error();
 * if (tiedPrecisionAtK([4, 3, 2, 1], [9, 8, 1, 0], 2) !== 1) throw new Error();
 * ```
 */
export function tiedPrecisionAtK(
  score: readonly number[],
  truth: readonly number[],
  k: number,
): number {
  if (score.length !== truth.length) {
    throw new MetricError(
      `tiedPrecisionAtK needs paired values: got ${score.length} and ${truth.length}`,
    );
  }
  if (!Number.isInteger(k) || k < 1 || k > score.length) {
    throw new MetricError(
      `tiedPrecisionAtK: k must be an integer in 1..${score.length}, got ${k}`,
    );
  }
  const a = topMembership(score, k), b = topMembership(truth, k);
  return a.reduce((s, p, i) => s + p * b[i], 0) / k;
}

function meanSE(v: readonly number[]): [number, number] {
  if (v.length === 0) return [NaN, NaN];
  const m = v.reduce((s, x) => s + x, 0) / v.length;
  if (v.length < 2) return [m, NaN];
  const sd = Math.sqrt(
    v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1),
  );
  return [m, sd / Math.sqrt(v.length)];
}

/**
 * Compares signals with a target across each group's rows: see the module
 * doc for ties, missing values and signs.
 *
 * @example
 * ```ts
 * import { compareSignals } from "./compare_signals.ts";
 * const table = [
 *   { task: "a", acc: 0.9, early: 0.7, loss: 0.2 },
 *   { task: "a", acc: 0.8, early: 0.6, loss: 0.3 },
 *   { task: "a", acc: 0.5, early: null, loss: 0.9 },
 *   { task: "a", acc: 0.4, early: 0.1, loss: 1.0 },
 * ];
 * const { summary } = compareSignals(table, {
 *   target: "acc",
 *   signals: ["early", { column: "loss", sign: -1 }],
 *   groupBy: "task",
 * });
 * if (summary[0].kendall !== 1 || summary[0].dropped !== 1) throw new Error();
 * if (summary[1].kendall !== 1 || summary[1].sign !== -1) throw new Error();
 * ```
 */
export function compareSignals(
  table: readonly Record<string, unknown>[],
  options: CompareSignalsOptions,
): SignalComparisonResult {
  const topShare = options.topShare ?? 0.1;
  const minPairs = options.minPairs ?? 3;
  if (!(topShare > 0 && topShare <= 1)) {
    throw new MetricError(
      `compareSignals: topShare must be in (0, 1], got ${topShare}`,
    );
  }
  if (!Number.isInteger(minPairs) || minPairs < 2) {
    throw new MetricError(
      `compareSignals: minPairs must be an integer ≥ 2, got ${minPairs}`,
    );
  }
  if (table.length === 0) throw new MetricError("compareSignals: no rows");
  const specs = options.signals.map((s) => {
    const spec = typeof s === "string" ? { column: s } : s;
    const sign = spec.sign ?? 1;
    if (sign !== 1 && sign !== -1) {
      throw new MetricError(
        `compareSignals: the sign of ${spec.column} must be 1 or -1, got ${sign}`,
      );
    }
    return { column: spec.column, name: spec.name ?? spec.column, sign };
  });
  if (specs.length === 0) throw new MetricError("compareSignals: no signals");
  const columns = new Set(Object.keys(table[0]));
  for (
    const c of [
      options.target,
      options.groupBy,
      ...specs.map((s) => s.column),
    ]
  ) {
    if (c !== undefined && !columns.has(c)) {
      throw new MetricError(
        `compareSignals: no column "${c}"; the table has ${
          [...columns].join(", ")
        }`,
      );
    }
  }
  // Groups in order of first appearance.
  const byGroup = new Map<unknown, Record<string, unknown>[]>();
  for (const row of table) {
    const g = options.groupBy === undefined ? "all" : row[options.groupBy];
    if (!byGroup.has(g)) byGroup.set(g, []);
    byGroup.get(g)!.push(row);
  }
  const groups: GroupSignalScore[] = [];
  const summary: SignalComparison[] = [];
  for (const spec of specs) {
    const mine: GroupSignalScore[] = [];
    for (const [group, rows] of byGroup) {
      const s: number[] = [], t: number[] = [];
      for (const row of rows) {
        const a = finite(row[spec.column]), b = finite(row[options.target]);
        if (a === undefined || b === undefined) continue;
        s.push(spec.sign * a);
        t.push(b);
      }
      const n = s.length;
      const k = Math.max(1, Math.ceil(topShare * n - 1e-9));
      const constant = n > 0 &&
        (s.every((v) => v === s[0]) || t.every((v) => v === t[0]));
      const scored = n >= minPairs;
      mine.push({
        signal: spec.name,
        group,
        n,
        dropped: rows.length - n,
        kendall: scored && !constant ? kendallTau(s, t) : NaN,
        spearman: scored && !constant ? spearman(s, t) : NaN,
        precision: scored ? tiedPrecisionAtK(s, t, k) : NaN,
        k,
        constant,
      });
    }
    groups.push(...mine);
    const ranked = mine.filter((g) => Number.isFinite(g.kendall));
    const sized = mine.filter((g) => Number.isFinite(g.precision));
    const [kendall, kendallSE] = meanSE(ranked.map((g) => g.kendall));
    const [rho, rhoSE] = meanSE(ranked.map((g) => g.spearman));
    const [precision, precisionSE] = meanSE(sized.map((g) => g.precision));
    summary.push({
      signal: spec.name,
      column: spec.column,
      sign: spec.sign,
      kendall,
      kendallSE,
      spearman: rho,
      spearmanSE: rhoSE,
      precision,
      precisionSE,
      precisionChance: meanSE(sized.map((g) => g.k / g.n))[0],
      groups: ranked.length,
      constant: mine.filter((g) => g.constant).length,
      pairs: mine.reduce((a, g) => a + g.n, 0),
      dropped: mine.reduce((a, g) => a + g.dropped, 0),
    });
  }
  return { summary, groups };
}
