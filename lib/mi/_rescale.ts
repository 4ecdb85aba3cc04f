/**
 * Centring and scaling of one column for the estimators that are invariant
 * to it (KSG and mixed KSG standardise each column anyway; the Gaussian
 * estimator's MI is unchanged by any per-column affine map), used only where
 * the plain arithmetic would lose the data: a column far from zero relative
 * to its spread, or so large or small that its squares overflow or
 * underflow. Ordinary columns never come here, so their estimates stay
 * byte-identical.
 *
 * @module
 */

/**
 * Above this |mean| / std a column is centred before scaling: the
 * tie-breaking noise (proportional to the mean magnitude) and the rounding
 * of neighbour distances (proportional to the offset) start to blur
 * neighbours a few thousand standard deviations from zero.
 */
export const OFFSET_LIMIT = 1e3;

/**
 * A spread below this share of the column's magnitude is rounding error
 * (about 16 units in the last place): the column is treated as constant.
 */
export const ROUNDING_SPREAD = 16 * Number.EPSILON;

/** The smallest and largest spread the plain covariance handles safely. */
export const SAFE_SPREAD = [1e-100, 1e100] as const;

/** Multiplies `v` by 2^p exactly (in two steps, so 2^p itself never overflows). */
function timesPowerOfTwo(v: number, p: number): number {
  const half = Math.trunc(p / 2);
  return v * 2 ** half * 2 ** (p - half);
}

/** Whether column `j` of the row-major n × d `data` holds one value only. */
export function isConstantColumn(
  data: ArrayLike<number>,
  n: number,
  d: number,
  j: number,
): boolean {
  for (let i = 1; i < n; i++) if (data[i * d + j] !== data[j]) return false;
  return true;
}

/**
 * Column `j` of `data` (row-major, n × d) centred on its mean and divided by
 * its standard deviation, computed after an exact power-of-two rescaling so
 * no square overflows or underflows; in place. Returns false, leaving the
 * column as it was, when its spread is only rounding error (below
 * {@linkcode ROUNDING_SPREAD} of its magnitude) or it is constant.
 *
 * @example
 * ```ts
 * import { standardiseColumn } from "./_rescale.ts";
 * const data = new Float64Array([1e300, -1e300, 3e300, -3e300]);
 * if (!standardiseColumn(data, 4, 1, 0)) throw new Error("not rounding");
 * if (Math.abs(data[0] - 1 / Math.sqrt(5)) > 1e-12) throw new Error(String(data[0]));
 * ```
 */
export function standardiseColumn(
  data: Float64Array,
  n: number,
  d: number,
  j: number,
): boolean {
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(data[i * d + j]);
    if (a > maxAbs) maxAbs = a;
  }
  if (maxAbs === 0) return false;
  // Scale so the largest magnitude is in [0.5, 1): exact in binary.
  const p = -(Math.floor(Math.log2(maxAbs)) + 1);
  const z = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) {
    z[i] = timesPowerOfTwo(data[i * d + j], p);
    mean += z[i] / n;
  }
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (z[i] - mean) ** 2 / n;
  const sd = Math.sqrt(sq);
  if (!(sd > ROUNDING_SPREAD * timesPowerOfTwo(maxAbs, p))) return false;
  for (let i = 0; i < n; i++) data[i * d + j] = (z[i] - mean) / sd;
  return true;
}
