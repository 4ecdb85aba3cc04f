/**
 * Ross (2014)'s nearest-neighbour estimate of I(X; Y) for continuous
 * (multivariate) X and discrete Y:
 *
 *   I = ψ(N) + ⟨ψ(k_i)⟩ − ⟨ψ(N_{y_i})⟩ − ⟨ψ(m_i)⟩,
 *
 * where d_i is the max-norm distance from x_i to its k-th nearest neighbour
 * of the same class, m_i counts the samples of any class strictly within
 * d_i of x_i (x_i included), N_y is the class's size and k_i = min(k, N_y − 1).
 * Samples alone in their class are left out, as scikit-learn's
 * `mutual_info_classif` does; on one column it computes the same number
 * (same scaling, same tie-breaking noise amplitude).
 *
 * @module
 */

import type { Matrix } from "../_math/linalg.ts";
import { digamma } from "../_math/special.ts";
import { Random } from "../space/random.ts";
import { KdTree } from "./_kdtree.ts";
import { prepare } from "./_ksg.ts";
import { labelsOf } from "./_labels.ts";
import { MIError } from "./input.ts";

/**
 * Options of the mixed discrete-continuous KSG estimator,
 * `estimateMI(x, labels, { method: "mixed-ksg", k, seed })`.
 */
export interface MixedKsgOptions {
  /** Neighbours within the class. Default 3 (scikit-learn's default too). */
  k?: number;
  /** Seed of the tie-breaking noise. Default 0. */
  seed?: number;
}

/**
 * Ross's estimate in nats; y's distinct rows are the classes (labels or
 * one-hot rows alike).
 *
 * @example
 * ```ts
 * import { mixedKsg } from "./_mixed_ksg.ts";
 * // Two well-separated classes: I(X; Y) = H(Y) = ln 2.
 * const xs = Array.from({ length: 400 }, (_, i) => (i % 2) * 10 + Math.sin(i));
 * const ys = Array.from({ length: 400 }, (_, i) => i % 2);
 * const mi = mixedKsg(
 *   { rows: 400, cols: 1, data: Float64Array.from(xs) },
 *   { rows: 400, cols: 1, data: Float64Array.from(ys) },
 * );
 * if (Math.abs(mi - Math.LN2) > 0.02) throw new Error(String(mi));
 * ```
 */
export function mixedKsg(
  x: Matrix,
  y: Matrix,
  options: MixedKsgOptions = {},
): number {
  const k = options.k ?? 3;
  if (!Number.isInteger(k) || k < 1) {
    throw new MIError(`mixed-ksg: k must be a positive integer, got ${k}`);
  }
  const { labels, counts } = labelsOf(y);
  const d = x.cols;
  const keep: number[] = [];
  for (let i = 0; i < x.rows; i++) if (counts[labels[i]] > 1) keep.push(i);
  if (keep.length === 0) {
    throw new MIError(
      `mixed-ksg: no class of y has 2 or more samples (${counts.length} distinct rows in ${x.rows}); y must be discrete labels`,
    );
  }
  const xs = prepare(x, new Random(options.seed ?? 0, "mixed-ksg-noise"));
  // The kept rows, and each class's rows among them.
  const n = keep.length;
  const kept = new Float64Array(n * d);
  const members: number[][] = counts.map(() => []);
  keep.forEach((row, r) => {
    kept.set(xs.subarray(row * d, (row + 1) * d), r * d);
    members[labels[row]].push(r);
  });
  const radius = new Float64Array(n);
  let sumK = 0, sumClass = 0;
  for (const rows of members) {
    if (rows.length < 2) continue;
    const kc = Math.min(k, rows.length - 1);
    const own = new Float64Array(rows.length * d);
    rows.forEach((r, j) => own.set(kept.subarray(r * d, (r + 1) * d), j * d));
    const tree = new KdTree(own, d);
    rows.forEach((r, j) => (radius[r] = tree.kthNeighbourDistance(j, kc)));
    sumK += rows.length * digamma(kc);
    sumClass += rows.length * digamma(rows.length);
  }
  const all = new KdTree(kept, d);
  let sumM = 0;
  // At least the sample itself, should exact duplicates survive the noise.
  for (let r = 0; r < n; r++) {
    sumM += digamma(Math.max(1, all.countWithin(r, radius[r])));
  }
  return Math.max(0, digamma(n) + (sumK - sumClass - sumM) / n);
}
