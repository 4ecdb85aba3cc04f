/**
 * HSIC statistics from Gram matrices, written as sums that a permutation of
 * the output changes cheaply. Definitions follow OpenTURNS 1.20:
 *
 * - V-statistic: Tr(K H L H) / n², with H = I − 11ᵀ/n;
 * - U-statistic: [Tr(K̃L̃) − 2·1ᵀK̃L̃1/(n−2) + 1ᵀK̃1·1ᵀL̃1/((n−1)(n−2))] /
 *   (n(n−3)), where K̃, L̃ are K, L with their diagonals set to zero;
 * - asymptotic p-value: a Gamma with the mean and variance of Gretton et al.
 *   (2008), evaluated at n·HSIC (V) or n·HSIC + n·E[HSIC] (U);
 * - permutation p-value: #{HSIC_perm > HSIC_obs} / (B + 1).
 *
 * Every kernel here has a unit diagonal, so the diagonal terms of the
 * U-statistic reduce to n and to the matrix sums.
 *
 * @module
 */

import { gammaQ } from "../_math/special.ts";
import type { Random } from "../space/random.ts";
import { Gram } from "./gram.ts";

export { Gram };

/** Which HSIC estimator: "V" (biased, always ≥ 0) or "U" (unbiased). */
export type HsicEstimator = "U" | "V";

/**
 * What one column's exact large-n pass returns (general.ts and two_class.ts):
 * the statistic, HSIC(X, X) for R2-HSIC, and the p-value evidence asked for.
 */
export interface ColumnHsic {
  /** HSIC(X, Y). */
  xy: number;
  /** HSIC(X, X), for R2-HSIC. */
  xx: number;
  /** The asymptotic (Gamma) p-value; NaN when its moments are degenerate; null when not asked. */
  pAsymptotic: number | null;
  /** How many permuted statistics exceed `xy`; null when not asked. */
  exceedances: number | null;
}

/** Σ a[i]·b[i], compensated. */
export function accurateDot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] * b[i];
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
    s = t;
  }
  return s + c;
}

/**
 * The statistic from the two sums that depend on how K and L are paired:
 * `skl` = Σ_ij K_ij L_ij and `rr` = Σ_i rowK_i · rowL_i.
 */
export function fromSums(
  estimator: HsicEstimator,
  n: number,
  skl: number,
  rr: number,
  sumK: number,
  sumL: number,
): number {
  if (estimator === "V") {
    return (skl - (2 / n) * rr + (sumK * sumL) / (n * n)) / (n * n);
  }
  const trace = skl - n;
  const sumM = rr - sumK - sumL + n;
  return (trace - (2 * sumM) / (n - 2) +
    ((sumK - n) * (sumL - n)) / ((n - 1) * (n - 2))) / (n * (n - 3));
}

/** HSIC of two Gram matrices of the same rows. */
export function hsic(estimator: HsicEstimator, a: Gram, b: Gram): number {
  return fromSums(
    estimator,
    a.n,
    gramDot(a, b),
    accurateDot(a.rows, b.rows),
    a.sum,
    b.sum,
  );
}

/**
 * Σ_ij A_ij B_ij, compensated, row by row: the same additions in the same
 * order as a dot product of the two flat matrices, without holding them.
 */
function gramDot(a: Gram, b: Gram): number {
  const n = a.n;
  const bufferA = new Float64Array(n);
  const bufferB = a === b ? bufferA : new Float64Array(n);
  let s = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const ra = a.row(i, bufferA);
    const rb = a === b ? ra : b.row(i, bufferB);
    for (let j = 0; j < n; j++) {
      const v = ra[j] * rb[j];
      const t = s + v;
      c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
      s = t;
    }
  }
  return s + c;
}

/**
 * The asymptotic p-value of HSIC(K, L) = `observed` under independence, by
 * Gamma moment matching exactly as OpenTURNS computes it.
 */
export function asymptoticPValue(
  estimator: HsicEstimator,
  a: Gram,
  b: Gram,
  observed: number,
): number {
  const n = a.n;
  // Σ_{i≠j} (K̄_ij · L̄_ij)², with K̄ = HKH, L̄ = HLH
  const ma = a.sum / (n * n);
  const mb = b.sum / (n * n);
  let sq = 0;
  const bufferA = new Float64Array(n);
  const bufferB = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ai = a.rows[i] / n;
    const bi = b.rows[i] / n;
    const ra = a.row(i, bufferA);
    const rb = b.row(i, bufferB);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const kc = ra[j] - ai - a.rows[j] / n + ma;
      const lc = rb[j] - bi - b.rows[j] / n + mb;
      const v = kc * lc;
      sq += v * v;
    }
  }
  return gammaPValue(estimator, n, a.sum, b.sum, sq, observed);
}

/**
 * The Gamma p-value of `observed` from the Gram totals `sumK`, `sumL` and
 * `sq` = Σ_{i≠j} (K̄_ij · L̄_ij)² (K̄ = HKH, L̄ = HLH): the moment matching of
 * {@linkcode asymptoticPValue}; NaN when the moments are degenerate.
 */
export function gammaPValue(
  estimator: HsicEstimator,
  n: number,
  sumK: number,
  sumL: number,
  sq: number,
  observed: number,
): number {
  const ex = (sumK - n) / n / (n - 1);
  const ey = (sumL - n) / n / (n - 1);
  const mean = (1 + ex * ey - ex - ey) / n;
  const variance = sq * 2 * (n - 4) * (n - 5) / n / (n - 1) / (n - 2) /
    (n - 3) / n / (n - 1);
  if (!(variance > 0) || !(mean > 0)) return NaN;
  const shape = (mean * mean) / variance;
  const scale = (n * variance) / mean;
  const x = estimator === "V" ? observed * n : observed * n + mean * n;
  return gammaQ(shape, x / scale);
}

/**
 * A uniform permutation of 0 … n − 1 (Fisher–Yates from the end), the draw
 * every permutation test here uses.
 *
 * @example
 * ```ts
 * import { drawPermutation } from "./statistic.ts";
 * import { Random } from "../space/random.ts";
 * const p = drawPermutation(5, new Random(0));
 * if ([...p].sort().join() !== "0,1,2,3,4") throw new Error();
 * ```
 */
export function drawPermutation(n: number, random: Random): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = random.integer(0, i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/**
 * The output side of a permutation test: its Gram matrix and, when the
 * output takes exactly two values, the classes that make each permuted
 * statistic a sum over the smaller class only (O(g²) instead of O(n²)).
 */
export class PermutedOutput {
  readonly gram: Gram;
  /** Permutations, shared by every input so that their tests are coupled as in OpenTURNS. */
  readonly permutations: Int32Array[];
  /** For a two-valued output: the smaller class of each permutation. */
  readonly #subsets: Int32Array[] | null = null;
  /** L between the two classes; within a class it is 1 (unit diagonal, same value). */
  #lCross = 0;

  /**
   * `labels`: the output values (numbers or strings), used to detect a
   * two-valued output; `b` permutations drawn from `random`.
   */
  constructor(
    gram: Gram,
    labels: ArrayLike<unknown>,
    b: number,
    random: Random,
  ) {
    this.gram = gram;
    const n = gram.n;
    this.permutations = Array.from(
      { length: b },
      () => drawPermutation(n, random),
    );
    const values = [...new Set(Array.from(labels))];
    if (values.length !== 2) return;
    const first: number[] = [];
    const second: number[] = [];
    for (let i = 0; i < n; i++) {
      (labels[i] === values[0] ? first : second).push(i);
    }
    const small = first.length <= second.length ? values[0] : values[1];
    this.#lCross = gram.entry(first[0], second[0]);
    this.#subsets = this.permutations.map((p) => {
      const s: number[] = [];
      for (let i = 0; i < n; i++) if (labels[p[i]] === small) s.push(i);
      return Int32Array.from(s);
    });
  }

  /**
   * How many permuted statistics of input Gram `a` exceed `observed`
   * (strictly, as OpenTURNS counts).
   */
  exceedances(
    estimator: HsicEstimator,
    a: Gram,
    observed: number,
  ): number {
    const n = a.n;
    const l = this.gram;
    let count = 0;
    if (this.#subsets) {
      const cross = this.#lCross;
      for (const s of this.#subsets) {
        const g = s.length;
        let rg = 0;
        for (let x = 0; x < g; x++) rg += a.rows[s[x]];
        const sgg = a.subsetSum(s);
        const sgb = rg - sgg;
        const sbb = a.sum - 2 * rg + sgg;
        const skl = sgg + sbb + 2 * cross * sgb;
        const rowG = g + cross * (n - g);
        const rowB = cross * g + (n - g);
        const rr = rowG * rg + rowB * (a.sum - rg);
        if (fromSums(estimator, n, skl, rr, a.sum, l.sum) > observed) count++;
      }
      return count;
    }
    const bufferA = new Float64Array(n);
    const bufferL = new Float64Array(n);
    for (const p of this.permutations) {
      let skl = 0;
      let rr = 0;
      for (let i = 0; i < n; i++) {
        const ra = a.row(i, bufferA);
        const rl = l.row(p[i], bufferL);
        let s = 0;
        for (let j = 0; j < n; j++) s += ra[j] * rl[p[j]];
        skl += s;
        rr += a.rows[i] * l.rows[p[i]];
      }
      if (fromSums(estimator, n, skl, rr, a.sum, l.sum) > observed) count++;
    }
    return count;
  }
}
