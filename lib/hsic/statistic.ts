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

/** Which HSIC estimator: "V" (biased, always ≥ 0) or "U" (unbiased). */
export type HsicEstimator = "U" | "V";

/** A Gram matrix with its row sums and total, computed once. */
export class Gram {
  /** The matrix, n × n row-major, unit diagonal. */
  readonly k: Float64Array;
  /** The number of rows. */
  readonly n: number;
  /** Row sums, diagonal included. */
  readonly rows: Float64Array;
  /** The sum of all entries. */
  readonly sum: number;

  /** Wraps a symmetric, unit-diagonal Gram matrix of n × n entries. */
  constructor(k: Float64Array, n: number) {
    this.k = k;
    this.n = n;
    this.rows = new Float64Array(n);
    for (let i = 0; i < n; i++) this.rows[i] = accurateSum(k, i * n, n);
    this.sum = accurateSum(this.rows, 0, n);
  }
}

/**
 * Σ a[start + i] for i < count, compensated (Neumaier), so that the
 * cancellations in the U-statistic do not eat the digits that OpenTURNS's
 * BLAS sums keep.
 */
function accurateSum(a: Float64Array, start: number, count: number): number {
  let s = 0;
  let c = 0;
  for (let i = start; i < start + count; i++) {
    const v = a[i];
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
    s = t;
  }
  return s + c;
}

/** Σ a[i]·b[i], compensated. */
function accurateDot(a: Float64Array, b: Float64Array): number {
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
function fromSums(
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
    accurateDot(a.k, b.k),
    accurateDot(a.rows, b.rows),
    a.sum,
    b.sum,
  );
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
  const ex = (a.sum - n) / n / (n - 1);
  const ey = (b.sum - n) / n / (n - 1);
  // Σ_{i≠j} (K̄_ij · L̄_ij)², with K̄ = HKH, L̄ = HLH
  const ma = a.sum / (n * n);
  const mb = b.sum / (n * n);
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const ai = a.rows[i] / n;
    const bi = b.rows[i] / n;
    const base = i * n;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const kc = a.k[base + j] - ai - a.rows[j] / n + ma;
      const lc = b.k[base + j] - bi - b.rows[j] / n + mb;
      const v = kc * lc;
      sq += v * v;
    }
  }
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
    this.permutations = Array.from({ length: b }, () => {
      const p = new Int32Array(n);
      for (let i = 0; i < n; i++) p[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = random.integer(0, i + 1);
        const t = p[i];
        p[i] = p[j];
        p[j] = t;
      }
      return p;
    });
    const values = [...new Set(Array.from(labels))];
    if (values.length !== 2) return;
    const first: number[] = [];
    const second: number[] = [];
    for (let i = 0; i < n; i++) {
      (labels[i] === values[0] ? first : second).push(i);
    }
    const small = first.length <= second.length ? values[0] : values[1];
    this.#lCross = gram.k[first[0] * n + second[0]];
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
        let sgg = 0;
        let rg = 0;
        for (let x = 0; x < g; x++) {
          const base = s[x] * n;
          rg += a.rows[s[x]];
          for (let y = 0; y < g; y++) sgg += a.k[base + s[y]];
        }
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
    for (const p of this.permutations) {
      let skl = 0;
      let rr = 0;
      for (let i = 0; i < n; i++) {
        const base = i * n;
        const lbase = p[i] * n;
        let s = 0;
        for (let j = 0; j < n; j++) s += a.k[base + j] * l.k[lbase + p[j]];
        skl += s;
        rr += a.rows[i] * l.rows[p[i]];
      }
      if (fromSums(estimator, n, skl, rr, a.sum, l.sum) > observed) count++;
    }
    return count;
  }
}
