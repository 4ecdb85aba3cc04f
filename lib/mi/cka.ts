/**
 * Linear centered kernel alignment (CKA, Kornblith et al. 2019): how alike
 * two representations of the same n samples are, 1 for the same one up to
 * rotation and scale, near 0 for unrelated ones. `cka(a, b)` on one batch
 * (biased HSIC, or `unbiased: true` for the U-statistic of Song et al.
 * 2012), and {@linkcode CkaAccumulator}, the minibatch form of Nguyen et al.
 * (2021) that averages unbiased HSICs over batches before normalising.
 *
 * It lives beside the MI estimators because it is one of the family of
 * dependence measures between representations (normalised linear HSIC);
 * RMI-NAS's proxy (lib/predict/rmi.ts) builds on it.
 *
 * @module
 */

import type { Matrix } from "../_math/linalg.ts";
import { MIError, type MIInput, toMatrix } from "./input.ts";

/** Options of {@linkcode cka}. */
export interface CkaOptions {
  /**
   * Use the unbiased HSIC estimator (the U-statistic; needs n ≥ 4). CKA
   * stays slightly biased but no longer leans towards 1 at small n. Default
   * false (the biased estimator RMI-NAS uses).
   */
  unbiased?: boolean;
}

/** The n × n Gram matrix A·Aᵀ (row-major). */
function gram(a: Matrix): Float64Array {
  const { rows: n, cols: p, data } = a;
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let c = 0; c < p; c++) s += data[i * p + c] * data[j * p + c];
      k[i * n + j] = s;
      k[j * n + i] = s;
    }
  }
  return k;
}

/**
 * Centres a Gram matrix in place: H·K·H (biased), or the U-centring of
 * Székely & Rizzo (2014) with a zero diagonal (unbiased).
 */
function centre(k: Float64Array, n: number, unbiased: boolean): void {
  const means = new Float64Array(n);
  if (unbiased) {
    for (let i = 0; i < n; i++) k[i * n + i] = 0;
  }
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += k[j * n + i];
    means[i] = unbiased ? s / (n - 2) : s / n;
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += means[i];
  const shift = unbiased ? total / (2 * (n - 1)) : total / n / 2;
  for (let i = 0; i < n; i++) means[i] -= shift;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) k[i * n + j] -= means[i] + means[j];
  }
  if (unbiased) {
    for (let i = 0; i < n; i++) k[i * n + i] = 0;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Scaled HSICs ⟨K, L⟩, ⟨K, K⟩, ⟨L, L⟩ of one batch (the scale cancels in CKA). */
function hsics(
  a: Matrix,
  b: Matrix,
  unbiased: boolean,
): [number, number, number] {
  const n = a.rows;
  const k = gram(a), l = gram(b);
  centre(k, n, unbiased);
  centre(l, n, unbiased);
  return [dot(k, l), dot(k, k), dot(l, l)];
}

function pair(a: MIInput, b: MIInput, unbiased: boolean): [Matrix, Matrix] {
  const ma = toMatrix(a, "a"), mb = toMatrix(b, "b");
  if (ma.rows !== mb.rows) {
    throw new MIError(
      `cka: a has ${ma.rows} rows but b has ${mb.rows}; both must represent the same samples`,
    );
  }
  const least = unbiased ? 4 : 2;
  if (ma.rows < least) {
    throw new MIError(
      `cka${
        unbiased ? " (unbiased)" : ""
      } needs at least ${least} samples, got ${ma.rows}`,
    );
  }
  return [ma, mb];
}

function ratio(kl: number, kk: number, ll: number): number {
  // A constant representation has no variance to align: CKA 0 by convention.
  if (!(kk > 0) || !(ll > 0)) return 0;
  return kl / Math.sqrt(kk * ll);
}

/**
 * Linear CKA of two representations of the same samples (rows): a is
 * n × p, b is n × q (any p, q). O(n²(p + q)) time, O(n²) memory.
 *
 * @example
 * ```ts
 * import { cka } from "./cka.ts";
 * const a = [[1, 2], [3, 1], [0, 5], [2, 2]];
 * const scaled = a.map((r) => r.map((v) => 3 * v + 1));
 * if (Math.abs(cka(a, scaled) - 1) > 1e-12) throw new Error();
 * ```
 */
export function cka(a: MIInput, b: MIInput, options: CkaOptions = {}): number {
  const unbiased = options.unbiased ?? false;
  const [ma, mb] = pair(a, b, unbiased);
  return ratio(...hsics(ma, mb, unbiased));
}

/**
 * Minibatch CKA (Nguyen, Raghu & Kornblith 2021): unbiased HSICs summed
 * over batches, then normalised, so a representation too big for one Gram
 * matrix is compared batch by batch without the small-batch bias.
 *
 * @example
 * ```ts
 * import { CkaAccumulator } from "./cka.ts";
 * const acc = new CkaAccumulator();
 * acc.add([[1, 0], [0, 1], [2, 1], [1, 3]], [[2, 0], [0, 2], [4, 2], [2, 6]]);
 * acc.add([[0, 0], [1, 1], [3, 1], [2, 2]], [[0, 0], [2, 2], [6, 2], [4, 4]]);
 * if (Math.abs(acc.value() - 1) > 1e-12) throw new Error();
 * ```
 */
export class CkaAccumulator {
  #kl = 0;
  #kk = 0;
  #ll = 0;
  #batches = 0;

  /** Adds one batch: the same samples' rows in a and b (at least 4). */
  add(a: MIInput, b: MIInput): void {
    const [ma, mb] = pair(a, b, true);
    const [kl, kk, ll] = hsics(ma, mb, true);
    const n = ma.rows;
    // HSIC_u is ⟨K̃, L̃⟩ / (n(n − 3)); batches of different sizes weigh alike.
    const scale = 1 / (n * (n - 3));
    this.#kl += kl * scale;
    this.#kk += kk * scale;
    this.#ll += ll * scale;
    this.#batches++;
  }

  /** Batches added so far. */
  get batches(): number {
    return this.#batches;
  }

  /** The minibatch CKA of the batches so far. */
  value(): number {
    if (this.#batches === 0) {
      throw new MIError("CkaAccumulator.value(): add a batch first");
    }
    return ratio(this.#kl, this.#kk, this.#ll);
  }
}
