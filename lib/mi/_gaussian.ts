/**
 * The Gaussian estimator: the MI of a Gaussian with the samples' covariance,
 * ½ (log det Σ_X + log det Σ_Y − log det Σ). Exact for Gaussian data; for
 * other data it is the MI of the best Gaussian fit, a baseline that can
 * miss non-linear dependence entirely.
 *
 * @module
 */

import { covariance, gaussianMI, type Matrix } from "../_math/linalg.ts";
import { columnMoments, MIError } from "./input.ts";
import { OFFSET_LIMIT, SAFE_SPREAD, standardiseColumn } from "./_rescale.ts";

function dropConstant(m: Matrix): Matrix {
  const { rows: n, cols: d, data } = m;
  const keep: number[] = [];
  for (let j = 0; j < d; j++) {
    let varies = false;
    for (let i = 1; i < n && !varies; i++) varies = data[i * d + j] !== data[j];
    if (varies) keep.push(j);
  }
  if (keep.length === d) return safeScale(m);
  const out = new Float64Array(n * keep.length);
  for (let i = 0; i < n; i++) {
    keep.forEach((j, c) => (out[i * keep.length + c] = data[i * d + j]));
  }
  return safeScale({ rows: n, cols: keep.length, data: out });
}

/**
 * `m` with each column whose spread would overflow or underflow the
 * covariance (std outside 1e-100 … 1e100, or below 1e-12 of its mean), or
 * that sits far from zero (|mean| > 1e3 std), centred and standardised; a
 * column varying only by rounding error is left as it is. Returns `m`
 * itself when no column needs it, so ordinary inputs give the same bytes.
 * The Gaussian MI is unchanged by per-column affine maps.
 */
function safeScale(m: Matrix): Matrix {
  const { mean, std } = columnMoments(m);
  let data: Float64Array | null = null;
  for (let j = 0; j < m.cols; j++) {
    const s = std[j];
    if (
      s >= SAFE_SPREAD[0] && s <= SAFE_SPREAD[1] &&
      Math.abs(mean[j]) <= OFFSET_LIMIT * s
    ) continue;
    data ??= Float64Array.from(m.data);
    standardiseColumn(data, m.rows, m.cols, j);
  }
  return data ? { ...m, data } : m;
}

/**
 * Gaussian MI in nats. Constant columns carry no information and are
 * dropped; if a whole side is constant the MI is 0.
 *
 * @example
 * ```ts
 * import { gaussian } from "./_gaussian.ts";
 * const x = { rows: 4, cols: 1, data: new Float64Array([1, 2, 3, 4]) };
 * const y = { rows: 4, cols: 1, data: new Float64Array([1, 3, 2, 4]) };
 * const mi = gaussian(x, y); // correlation 0.8: −½ ln(1 − 0.64)
 * if (Math.abs(mi - 0.5108) > 1e-3) throw new Error(String(mi));
 * ```
 */
export function gaussian(x: Matrix, y: Matrix): number {
  const mx = dropConstant(x);
  const my = dropConstant(y);
  if (mx.cols === 0 || my.cols === 0) return 0;
  const n = mx.rows;
  const d = mx.cols + my.cols;
  if (n <= d) {
    throw new MIError(
      `gaussian: needs more samples (${n}) than dimensions (${d}) to fit a covariance`,
    );
  }
  const joint = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < mx.cols; j++) {
      joint[i * d + j] = mx.data[i * mx.cols + j];
    }
    for (let j = 0; j < my.cols; j++) {
      joint[i * d + mx.cols + j] = my.data[i * my.cols + j];
    }
  }
  try {
    return Math.max(
      0,
      gaussianMI(covariance({ rows: n, cols: d, data: joint }), mx.cols),
    );
  } catch (e) {
    throw new MIError(
      `gaussian: the sample covariance is singular (${
        (e as Error).message
      }); some columns are linear combinations of others`,
    );
  }
}
