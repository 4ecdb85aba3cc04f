/**
 * Small dense linear algebra on row-major `Float64Array`s: what the tasks
 * and the Gaussian estimator need (covariance, Cholesky, log-determinant),
 * and the symmetric eigenproblem (zero-cost proxies, PCA).
 *
 * @module
 */

/** A dense row-major matrix. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/**
 * The sample covariance (divided by n − 1) of an n × d matrix.
 *
 * @example
 * ```ts
 * import { covariance } from "./linalg.ts";
 * const c = covariance({ rows: 3, cols: 1, data: new Float64Array([1, 2, 3]) });
 * if (c.data[0] !== 1) throw new Error();
 * ```
 */
export function covariance(m: Matrix): Matrix {
  const { rows: n, cols: d, data } = m;
  if (n < 2) throw new RangeError(`covariance needs at least 2 rows, got ${n}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) mean[j] += data[i * d + j] / n;
  }
  const out = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = data[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ra = row[a];
      for (let b = a; b < d; b++) out[a * d + b] += ra * row[b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      out[a * d + b] /= n - 1;
      out[b * d + a] = out[a * d + b];
    }
  }
  return { rows: d, cols: d, data: out };
}

/**
 * The lower Cholesky factor L of a symmetric positive-definite matrix
 * (A = L Lᵀ). Throws when the matrix is not positive definite.
 *
 * @example
 * ```ts
 * import { cholesky } from "./linalg.ts";
 * const l = cholesky({ rows: 2, cols: 2, data: new Float64Array([4, 2, 2, 2]) });
 * if (l.data[0] !== 2 || l.data[3] !== 1) throw new Error();
 * ```
 */
export function cholesky(a: Matrix): Matrix {
  const n = a.rows;
  if (a.cols !== n) {
    throw new RangeError(
      `cholesky needs a square matrix, got ${a.rows}×${a.cols}`,
    );
  }
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a.data[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) {
          throw new RangeError(
            "the matrix is not positive definite (a variable may be constant or a copy of others)",
          );
        }
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j];
      }
    }
  }
  return { rows: n, cols: n, data: l };
}

/** log det of a symmetric positive-definite matrix, through Cholesky. */
export function logDet(a: Matrix): number {
  const l = cholesky(a);
  let s = 0;
  for (let i = 0; i < a.rows; i++) s += Math.log(l.data[i * a.rows + i]);
  return 2 * s;
}

/** The square block of `a` on the given row/column indices. */
export function block(a: Matrix, idx: readonly number[]): Matrix {
  const k = idx.length;
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      out[i * k + j] = a.data[idx[i] * a.cols + idx[j]];
    }
  }
  return { rows: k, cols: k, data: out };
}

/**
 * The mutual information, in nats, between the first `dx` and the remaining
 * variables of a Gaussian with covariance `cov`:
 * ½ (log det Σxx + log det Σyy − log det Σ).
 *
 * @example
 * ```ts
 * import { gaussianMI } from "./linalg.ts";
 * const rho = 0.5;
 * const mi = gaussianMI({ rows: 2, cols: 2, data: new Float64Array([1, rho, rho, 1]) }, 1);
 * if (Math.abs(mi + 0.5 * Math.log(1 - rho * rho)) > 1e-12) throw new Error();
 * ```
 */
export function gaussianMI(cov: Matrix, dx: number): number {
  const d = cov.rows;
  const xs = Array.from({ length: dx }, (_, i) => i);
  const ys = Array.from({ length: d - dx }, (_, i) => dx + i);
  return 0.5 * (logDet(block(cov, xs)) + logDet(block(cov, ys)) - logDet(cov));
}

/**
 * Eigenvalues (in diagonal order, unsorted) and eigenvectors (the columns
 * of `vectors`, row-major n × n) of a symmetric n × n matrix by cyclic
 * Jacobi rotations, stopping when the squared off-diagonal mass is at most
 * `tolerance` (or after 100 sweeps).
 *
 * @example
 * ```ts
 * import { jacobiEigen } from "./linalg.ts";
 * const { values } = jacobiEigen(new Float64Array([2, 1, 1, 2]), 2);
 * const sorted = [...values].sort((a, b) => a - b);
 * if (Math.abs(sorted[0] - 1) > 1e-12 || Math.abs(sorted[1] - 3) > 1e-12) throw new Error();
 * ```
 */
export function jacobiEigen(
  m: Float64Array,
  n: number,
  tolerance = 1e-30,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(m);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    }
    if (!(off > tolerance)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) /
          (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return {
    values: Float64Array.from({ length: n }, (_, i) => a[i * n + i]),
    vectors: v,
  };
}
