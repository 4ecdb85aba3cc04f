/**
 * Gram matrices for HSIC that need not be held in memory. A {@linkcode Gram}
 * is either materialised (n × n, below {@linkcode MATERIALISE_MAX} rows) or
 * lazy: rows and entries are recomputed from the column's values when asked,
 * so memory grows linearly with n. Both give the same entries bit for bit
 * (each entry depends only on its two values, computed by one formula), and
 * the statistics read them in the same order, so results do not depend on
 * which form a Gram takes.
 *
 * @module
 */

/** Above this many rows a Gram is lazy: 2,048² doubles are 32 MiB. */
export const MATERIALISE_MAX = 2048;

/** Columns with at most this many distinct values use a value × value table. */
const TABLE_MAX = 64;

/** Where a Gram's entries come from, computed on demand. */
export interface GramSource {
  /** Writes row i into `out` (length n). */
  row(i: number, out: Float64Array): void;
  /**
   * Writes the entries right of the diagonal, K[i, j] for j > i, into
   * `out[j]` (the same bits as `row`): a pass over the upper triangle
   * computes each entry once.
   */
  upper(i: number, out: Float64Array): void;
  /** Entry (i, j). */
  entry(i: number, j: number): number;
  /** Σ_x Σ_y K[s_x, s_y] over the first g indices of s, in that order. */
  subsetSum(s: Int32Array): number;
}

/** The Gaussian kernel exp(−(x_i − x_j)² / (2θ²)), computed on demand. */
class GaussianSource implements GramSource {
  readonly #x: Float64Array;
  readonly #c: number;
  constructor(values: ArrayLike<number>, theta: number) {
    this.#x = Float64Array.from(values);
    // the same constant and formula as gaussianGram, so entries match bitwise
    this.#c = -1 / (2 * theta * theta);
  }
  row(i: number, out: Float64Array): void {
    const x = this.#x;
    const c = this.#c;
    const xi = x[i];
    for (let j = 0; j < x.length; j++) {
      const d = xi - x[j];
      out[j] = j === i ? 1 : Math.exp(c * d * d);
    }
  }
  upper(i: number, out: Float64Array): void {
    const x = this.#x;
    const c = this.#c;
    const xi = x[i];
    for (let j = i + 1; j < x.length; j++) {
      const d = xi - x[j];
      out[j] = Math.exp(c * d * d);
    }
  }
  entry(i: number, j: number): number {
    if (i === j) return 1;
    const d = this.#x[i] - this.#x[j];
    return Math.exp(this.#c * d * d);
  }
  subsetSum(s: Int32Array): number {
    const x = this.#x;
    const c = this.#c;
    let sum = 0;
    for (let a = 0; a < s.length; a++) {
      const xi = x[s[a]];
      for (let b = 0; b < s.length; b++) {
        const d = xi - x[s[b]];
        sum += a === b ? 1 : Math.exp(c * d * d);
      }
    }
    return sum;
  }
}

/** A kernel on few distinct values: a code per row and a code × code table. */
class TableSource implements GramSource {
  readonly #codes: Int32Array;
  readonly #table: Float64Array;
  readonly #m: number;
  constructor(codes: Int32Array, table: Float64Array, m: number) {
    this.#codes = codes;
    this.#table = table;
    this.#m = m;
  }
  row(i: number, out: Float64Array): void {
    const codes = this.#codes;
    const base = codes[i] * this.#m;
    for (let j = 0; j < codes.length; j++) {
      out[j] = this.#table[base + codes[j]];
    }
  }
  upper(i: number, out: Float64Array): void {
    const codes = this.#codes;
    const base = codes[i] * this.#m;
    for (let j = i + 1; j < codes.length; j++) {
      out[j] = this.#table[base + codes[j]];
    }
  }
  entry(i: number, j: number): number {
    return this.#table[this.#codes[i] * this.#m + this.#codes[j]];
  }
  subsetSum(s: Int32Array): number {
    const codes = this.#codes;
    const t = this.#table;
    const m = this.#m;
    let sum = 0;
    for (let a = 0; a < s.length; a++) {
      const base = codes[s[a]] * m;
      for (let b = 0; b < s.length; b++) sum += t[base + codes[s[b]]];
    }
    return sum;
  }
}

/** A materialised n × n matrix. */
class MatrixSource implements GramSource {
  readonly k: Float64Array;
  readonly #n: number;
  constructor(k: Float64Array, n: number) {
    this.k = k;
    this.#n = n;
  }
  row(i: number, out: Float64Array): void {
    out.set(this.k.subarray(i * this.#n, (i + 1) * this.#n));
  }
  upper(i: number, out: Float64Array): void {
    const n = this.#n;
    out.set(this.k.subarray(i * n + i + 1, (i + 1) * n), i + 1);
  }
  entry(i: number, j: number): number {
    return this.k[i * this.#n + j];
  }
  subsetSum(s: Int32Array): number {
    const n = this.#n;
    const k = this.k;
    let sum = 0;
    for (let a = 0; a < s.length; a++) {
      const base = s[a] * n;
      for (let b = 0; b < s.length; b++) sum += k[base + s[b]];
    }
    return sum;
  }
}

/**
 * Codes for the distinct values of a column (first-seen order), or null when
 * there are more than {@linkcode TABLE_MAX}.
 */
function codesOf(
  values: ArrayLike<unknown>,
): { codes: Int32Array; distinct: unknown[] } | null {
  const seen = new Map<unknown, number>();
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let c = seen.get(values[i]);
    if (c === undefined) {
      if (seen.size === TABLE_MAX) return null;
      c = seen.size;
      seen.set(values[i], c);
    }
    codes[i] = c;
  }
  return { codes, distinct: [...seen.keys()] };
}

/** A compensated (TwoSum) running sum: `hi + lo`. */
export class Compensated {
  hi = 0;
  lo = 0;
  /** Back to zero. */
  reset(): void {
    this.hi = 0;
    this.lo = 0;
  }
  /** Adds `v`, keeping the rounding error in `lo`. */
  add(v: number): void {
    const t = this.hi + v;
    const bp = t - this.hi;
    this.lo += (this.hi - (t - bp)) + (v - bp);
    this.hi = t;
  }
  /** The sum. */
  value(): number {
    return this.hi + this.lo;
  }
}

/** Pairs summed plainly before a compensated addition (rows or columns) in the large-n passes. */
export const PARTIAL_BLOCK = 64;

/**
 * Adds the plain partial sums `part[j]` (j ≥ `from`) into their compensated
 * totals `hi[j] + lo[j]`, and clears them.
 */
export function foldPartials(
  part: Float64Array,
  hi: Float64Array,
  lo: Float64Array,
  from: number,
): void {
  for (let j = from; j < part.length; j++) {
    const v = part[j];
    const t = hi[j] + v;
    const bp = t - hi[j];
    lo[j] += (hi[j] - (t - bp)) + (v - bp);
    hi[j] = t;
    part[j] = 0;
  }
}

/**
 * Σ a[start + i] for i < count, compensated (Neumaier), so that the
 * cancellations in the U-statistic do not eat the digits that OpenTURNS's
 * BLAS sums keep.
 */
export function accurateSum(
  a: Float64Array,
  start: number,
  count: number,
): number {
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

/**
 * The entries of the Gaussian Gram exp(−(x − x')² / (2θ²)) of a column,
 * computed on demand (a value × value table when the column has few
 * distinct values): what {@linkcode Gram.gaussian} holds or recomputes.
 *
 * @example
 * ```ts
 * import { gaussianSource } from "./gram.ts";
 * if (gaussianSource([0, 1], 1).entry(0, 1) !== Math.exp(-0.5)) throw new Error();
 * ```
 */
export function gaussianSource(
  values: ArrayLike<number>,
  theta: number,
): GramSource {
  const coded = codesOf(values);
  if (!coded) return new GaussianSource(values, theta);
  // few distinct values: a table of the same entries, cheaper than exp
  const m = coded.distinct.length;
  const g = new GaussianSource(coded.distinct as number[], theta);
  const table = new Float64Array(m * m);
  for (let a = 0; a < m; a++) g.row(a, table.subarray(a * m, a * m + m));
  return new TableSource(coded.codes, table, m);
}

/**
 * The entries of the categorical δ Gram 1{x = x'} of a column, computed on
 * demand: what {@linkcode Gram.delta} holds or recomputes.
 *
 * @example
 * ```ts
 * import { deltaSource } from "./gram.ts";
 * if (deltaSource(["a", "b", "a"]).entry(0, 2) !== 1) throw new Error();
 * ```
 */
export function deltaSource(values: ArrayLike<unknown>): GramSource {
  const n = values.length;
  const coded = codesOf(values);
  if (coded) {
    const m = coded.distinct.length;
    const table = new Float64Array(m * m);
    for (let a = 0; a < m; a++) table[a * m + a] = 1;
    return new TableSource(coded.codes, table, m);
  }
  return {
    row(i, out) {
      for (let j = 0; j < n; j++) out[j] = values[i] === values[j] ? 1 : 0;
    },
    upper(i, out) {
      for (let j = i + 1; j < n; j++) out[j] = values[i] === values[j] ? 1 : 0;
    },
    entry: (i, j) => (values[i] === values[j] ? 1 : 0),
    subsetSum(s) {
      let sum = 0;
      for (const a of s) {
        for (const b of s) {
          sum += values[a] === values[b] ? 1 : 0;
        }
      }
      return sum;
    },
  };
}

/** A Gram matrix with its row sums and total, computed once. */
export class Gram {
  /** The matrix, n × n row-major, unit diagonal; null when the Gram is lazy. */
  readonly k: Float64Array | null;
  /** The number of rows. */
  readonly n: number;
  /** Row sums, diagonal included. */
  readonly rows: Float64Array;
  /** The sum of all entries. */
  readonly sum: number;
  readonly #source: GramSource;

  /**
   * Wraps a symmetric, unit-diagonal Gram matrix of n × n entries, or a lazy
   * source of its entries (see {@linkcode Gram.gaussian}).
   */
  constructor(k: Float64Array | GramSource, n: number) {
    this.n = n;
    this.k = k instanceof Float64Array ? k : null;
    this.#source = k instanceof Float64Array ? new MatrixSource(k, n) : k;
    this.rows = new Float64Array(n);
    const buffer = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.rows[i] = accurateSum(this.row(i, buffer), 0, n);
    }
    this.sum = accurateSum(this.rows, 0, n);
  }

  /**
   * The Gaussian Gram of a column, exp(−(x − x')² / (2θ²)): materialised up
   * to `materialiseMax` rows, lazy above.
   *
   * @example
   * ```ts
   * import { Gram } from "./gram.ts";
   * const lazy = Gram.gaussian([0, 1, 3], 1, 0);
   * const held = Gram.gaussian([0, 1, 3], 1);
   * if (lazy.k !== null || lazy.sum !== held.sum) throw new Error();
   * ```
   */
  static gaussian(
    values: ArrayLike<number>,
    theta: number,
    materialiseMax: number = MATERIALISE_MAX,
  ): Gram {
    return Gram.fromSource(
      gaussianSource(values, theta),
      values.length,
      materialiseMax,
    );
  }

  /**
   * The categorical δ Gram of a column, 1{x = x'}: materialised up to
   * `materialiseMax` rows, lazy above.
   */
  static delta(
    values: ArrayLike<unknown>,
    materialiseMax: number = MATERIALISE_MAX,
  ): Gram {
    return Gram.fromSource(deltaSource(values), values.length, materialiseMax);
  }

  /**
   * The Gram of a source's entries: materialised up to `materialiseMax`
   * rows, lazy above.
   *
   * @example
   * ```ts
   * import { Gram, gaussianSource } from "./gram.ts";
   * const g = Gram.fromSource(gaussianSource([0, 1, 3], 1), 3);
   * if (g.sum !== Gram.gaussian([0, 1, 3], 1).sum) throw new Error();
   * ```
   */
  static fromSource(
    source: GramSource,
    n: number,
    materialiseMax: number = MATERIALISE_MAX,
  ): Gram {
    if (n > materialiseMax) return new Gram(source, n);
    const k = new Float64Array(n * n);
    for (let i = 0; i < n; i++) source.row(i, k.subarray(i * n, i * n + n));
    return new Gram(k, n);
  }

  /**
   * Row i: a view into the matrix when materialised, else computed into
   * `buffer` (length n) and returned.
   */
  row(i: number, buffer: Float64Array): Float64Array {
    if (this.k) return this.k.subarray(i * this.n, (i + 1) * this.n);
    this.#source.row(i, buffer);
    return buffer;
  }

  /** Entry (i, j). */
  entry(i: number, j: number): number {
    return this.#source.entry(i, j);
  }

  /** Σ_x Σ_y K[s_x, s_y], summed in that order. */
  subsetSum(s: Int32Array): number {
    return this.#source.subsetSum(s);
  }
}
