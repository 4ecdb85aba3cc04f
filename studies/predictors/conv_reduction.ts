/**
 * The reduction of a conv layer's feature maps before its I(T; Y) is
 * estimated in the CNN sweep: the global average of each channel over the
 * spatial positions (what `captureLayers`' `"pool"` keeps), then PCA to at
 * most `dims` components (k-NN estimators lose their footing in the 100+
 * dimensions of a wide layer's channels). Its accuracy is measured in
 * `test/predict_conv_reduction_test.ts` against maps whose I(T; Y) is
 * known.
 *
 * @module
 */

import { jacobiEigen } from "../../lib/_math/linalg.ts";

/** A rows × cols matrix, row-major. */
export interface ReducedLayer {
  /** rows × cols, row-major. */
  data: Float64Array;
  rows: number;
  cols: number;
  /** Share of the pooled channels' variance the kept components explain (1 when nothing was cut). */
  explained: number;
}

/**
 * The mean of each channel over the spatial positions of channels-last maps
 * (each row is h × w × channels numbers, channel fastest).
 *
 * @example
 * ```ts
 * import { poolChannels } from "./conv_reduction.ts";
 * // One sample, 2 positions × 2 channels: channel 0 holds 1 and 3, channel 1 holds 2 and 6.
 * const p = poolChannels(new Float32Array([1, 2, 3, 6]), 1, 2);
 * if (p.join() !== "2,4") throw new Error(p.join());
 * ```
 */
export function poolChannels(
  maps: ArrayLike<number>,
  rows: number,
  channels: number,
): Float64Array {
  const per = maps.length / rows;
  if (!Number.isInteger(per) || per % channels !== 0) {
    throw new RangeError(
      `poolChannels: ${maps.length} numbers are not ${rows} rows of positions × ${channels} channels`,
    );
  }
  const positions = per / channels;
  const out = new Float64Array(rows * channels);
  for (let r = 0; r < rows; r++) {
    for (let p = 0; p < positions; p++) {
      const base = r * per + p * channels;
      for (let c = 0; c < channels; c++) {
        out[r * channels + c] += maps[base + c];
      }
    }
  }
  for (let i = 0; i < out.length; i++) out[i] /= positions;
  return out;
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi
 * rotations, sorted by decreasing eigenvalue; `vectors[k]` is the k-th.
 */
export function symmetricEigen(
  m: Float64Array,
  n: number,
): { values: number[]; vectors: Float64Array[] } {
  const { values: diag, vectors: v } = jacobiEigen(m, n, 1e-22);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) =>
    diag[j] - diag[i]
  );
  return {
    values: order.map((i) => diag[i]),
    vectors: order.map((i) =>
      Float64Array.from({ length: n }, (_, k) => v[k * n + i])
    ),
  };
}

/**
 * Projects rows onto their first `dims` principal components (centred; a
 * matrix of at most `dims` columns is only centred).
 *
 * @example
 * ```ts
 * import { pca } from "./conv_reduction.ts";
 * // Points on the line y = 2x: one component explains everything.
 * const x = new Float64Array([0, 0, 1, 2, 2, 4, 3, 6]);
 * const r = pca(x, 4, 2, 1);
 * if (r.cols !== 1 || Math.abs(r.explained - 1) > 1e-12) throw new Error();
 * ```
 */
export function pca(
  x: Float64Array,
  rows: number,
  cols: number,
  dims: number,
): ReducedLayer {
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) mean[c] += x[r * cols + c] / rows;
  }
  const centred = Float64Array.from(x, (v, i) => v - mean[i % cols]);
  if (cols <= dims) {
    return { data: centred, rows, cols, explained: 1 };
  }
  const cov = new Float64Array(cols * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let i = 0; i < cols; i++) {
      const xi = centred[o + i];
      if (xi === 0) continue;
      for (let j = i; j < cols; j++) cov[i * cols + j] += xi * centred[o + j];
    }
  }
  for (let i = 0; i < cols; i++) {
    for (let j = i; j < cols; j++) {
      cov[i * cols + j] /= Math.max(1, rows - 1);
      cov[j * cols + i] = cov[i * cols + j];
    }
  }
  const { values, vectors } = symmetricEigen(cov, cols);
  const total = values.reduce((s, v) => s + Math.max(0, v), 0);
  const kept = values.slice(0, dims).reduce((s, v) => s + Math.max(0, v), 0);
  const out = new Float64Array(rows * dims);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < dims; k++) {
      let s = 0;
      const v = vectors[k];
      for (let c = 0; c < cols; c++) s += centred[r * cols + c] * v[c];
      out[r * dims + k] = s;
    }
  }
  return {
    data: out,
    rows,
    cols: dims,
    explained: total > 0 ? kept / total : 1,
  };
}

/**
 * A conv layer's maps reduced for MI: {@linkcode poolChannels}, then
 * {@linkcode pca} to at most `dims` (default 10) components.
 *
 * @example
 * ```ts
 * import { reduceConvMaps } from "./conv_reduction.ts";
 * const maps = Float32Array.from({ length: 20 * 4 * 12 }, (_, i) => Math.sin(i));
 * const r = reduceConvMaps(maps, 20, 12, { dims: 3 });
 * if (r.rows !== 20 || r.cols !== 3) throw new Error();
 * ```
 */
export function reduceConvMaps(
  maps: ArrayLike<number>,
  rows: number,
  channels: number,
  options: { dims?: number } = {},
): ReducedLayer {
  const dims = options.dims ?? 10;
  return pca(poolChannels(maps, rows, channels), rows, channels, dims);
}
