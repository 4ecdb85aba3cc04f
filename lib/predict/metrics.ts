/**
 * How well a predictor does, for any predictor: errors between predicted and
 * true values or distributions (MSE, KL), and rank agreement between scores
 * and outcomes (Pearson, Spearman, Kendall τ-b, precision@k).
 *
 * @module
 */

import { InfolensError } from "../errors.ts";

/** The error raised for bad metric input. */
export class MetricError extends InfolensError {
  /** Always "MetricError", so stack traces and logs name the class. */
  override name = "MetricError";
}

function paired(a: readonly number[], b: readonly number[], name: string) {
  if (a.length !== b.length) {
    throw new MetricError(
      `${name} needs paired values: got ${a.length} and ${b.length}`,
    );
  }
  if (a.length < 2) {
    throw new MetricError(`${name} needs at least 2 pairs, got ${a.length}`);
  }
  for (const [v, which] of [[a, "first"], [b, "second"]] as const) {
    const bad = v.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) {
      throw new MetricError(
        `${name}: the ${which} array holds ${
          v[bad]
        } at ${bad}; drop or impute non-finite values first`,
      );
    }
  }
}

/**
 * Mean squared error of predictions against truths — numbers, or rows of
 * numbers (the mean over every entry).
 *
 * @example
 * ```ts
 * import { mse } from "./metrics.ts";
 * if (mse([1, 2], [1, 4]) !== 2) throw new Error();
 * if (mse([[1, 0]], [[0, 0]]) !== 0.5) throw new Error();
 * ```
 */
export function mse(
  predicted: readonly number[] | readonly (readonly number[])[],
  truth: readonly number[] | readonly (readonly number[])[],
): number {
  const p = (predicted as unknown[]).flat() as number[];
  const t = (truth as unknown[]).flat() as number[];
  if (predicted.length !== truth.length) {
    throw new MetricError(
      `mse: ${predicted.length} predictions for ${truth.length} truths`,
    );
  }
  if (p.length !== t.length || p.length === 0) {
    throw new MetricError(
      `mse: predictions and truths must have the same shape and not be empty`,
    );
  }
  return p.reduce((s, v, i) => s + (v - t[i]) ** 2, 0) / p.length;
}

/**
 * KL(p ‖ q) in nats between two distributions over the same outcomes (each
 * normalised here; `epsilon`, default 1e-10, is added to q so a zero in q
 * where p has mass gives a large finite value instead of Infinity).
 *
 * @example
 * ```ts
 * import { klDivergence } from "./metrics.ts";
 * if (klDivergence([0.5, 0.5], [0.5, 0.5]) !== 0) throw new Error();
 * if (Math.abs(klDivergence([1, 0], [0.5, 0.5]) - Math.LN2) > 1e-9) throw new Error();
 * ```
 */
export function klDivergence(
  p: readonly number[],
  q: readonly number[],
  epsilon = 1e-10,
): number {
  if (p.length !== q.length || p.length === 0) {
    throw new MetricError(
      `klDivergence: distributions over the same outcomes, got ${p.length} and ${q.length}`,
    );
  }
  if ([...p, ...q].some((v) => !(v >= 0) || !Number.isFinite(v))) {
    throw new MetricError(
      `klDivergence: probabilities must be finite and non-negative`,
    );
  }
  const sp = p.reduce((a, b) => a + b, 0);
  const sq = q.reduce((a, b) => a + b + epsilon, 0);
  if (!(sp > 0)) throw new MetricError(`klDivergence: p sums to 0`);
  let kl = 0;
  p.forEach((v, i) => {
    if (v > 0) {
      const pi = v / sp;
      kl += pi * Math.log(pi / ((q[i] + epsilon) / sq));
    }
  });
  return Math.max(0, kl);
}

/**
 * Pearson's correlation coefficient (NaN when either side is constant).
 *
 * @example
 * ```ts
 * import { pearson } from "./metrics.ts";
 * if (Math.abs(pearson([1, 2, 3], [2, 4, 6.5]) - 0.99795) > 1e-5) throw new Error();
 * ```
 */
export function pearson(a: readonly number[], b: readonly number[]): number {
  paired(a, b, "pearson");
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/**
 * Ranks from 1, ties sharing their average rank.
 *
 * @example
 * ```ts
 * import { ranks } from "./metrics.ts";
 * const r = ranks([10, 30, 20, 20]);
 * if (r.join() !== "1,4,2.5,2.5") throw new Error(r.join());
 * ```
 */
export function ranks(v: readonly number[]): number[] {
  const order = v.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
  const out = new Array<number>(v.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k][1]] = rank;
    i = j + 1;
  }
  return out;
}

/**
 * Spearman's rank correlation (Pearson on average ranks).
 *
 * @example
 * ```ts
 * import { spearman } from "./metrics.ts";
 * if (spearman([1, 2, 3, 4], [1, 8, 27, 64]) !== 1) throw new Error();
 * ```
 */
export function spearman(a: readonly number[], b: readonly number[]): number {
  paired(a, b, "spearman");
  return pearson(ranks(a), ranks(b));
}

/**
 * Kendall's τ-b (ties in either variable handled, as scipy's default):
 * (concordant − discordant) / √((n₀ − n₁)(n₀ − n₂)). O(n²), fine for a few
 * thousand pairs.
 *
 * @example
 * ```ts
 * import { kendallTau } from "./metrics.ts";
 * if (kendallTau([1, 2, 3], [1, 3, 2]) !== 1 / 3) throw new Error();
 * ```
 */
export function kendallTau(a: readonly number[], b: readonly number[]): number {
  paired(a, b, "kendallTau");
  let concordant = 0, discordant = 0, tiesA = 0, tiesB = 0;
  const n = a.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const da = Math.sign(a[i] - a[j]);
      const db = Math.sign(b[i] - b[j]);
      if (da === 0 && db === 0) continue;
      if (da === 0) tiesA++;
      else if (db === 0) tiesB++;
      else if (da === db) concordant++;
      else discordant++;
    }
  }
  const denom = Math.sqrt(
    (concordant + discordant + tiesA) * (concordant + discordant + tiesB),
  );
  return denom > 0 ? (concordant - discordant) / denom : NaN;
}

/**
 * Precision@k: the share of the k best by `score` that are among the k best
 * by `truth` (higher is better on both; pass negated losses otherwise).
 *
 * @example
 * ```ts
 * import { precisionAtK } from "./metrics.ts";
 * if (precisionAtK([0.9, 0.8, 0.1, 0.2], [10, 1, 9, 2], 2) !== 0.5) throw new Error();
 * ```
 */
export function precisionAtK(
  score: readonly number[],
  truth: readonly number[],
  k: number,
): number {
  paired(score, truth, "precisionAtK");
  if (!Number.isInteger(k) || k < 1 || k > score.length) {
    throw new MetricError(
      `precisionAtK: k must be an integer in 1..${score.length}, got ${k}`,
    );
  }
  const top = (v: readonly number[]) =>
    new Set(
      v.map((x, i) => [x, i] as const).sort((p, q) =>
        q[0] - p[0] || p[1] - q[1]
      )
        .slice(0, k).map(([, i]) => i),
    );
  const a = top(score), b = top(truth);
  let overlap = 0;
  for (const i of a) if (b.has(i)) overlap++;
  return overlap / k;
}
