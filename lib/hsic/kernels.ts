/**
 * Gram matrices for HSIC: the Gaussian kernel exp(−(x − x')² / (2θ²)) on one
 * column with a bandwidth rule, and the categorical δ kernel 1{x = x'}.
 * Both have a unit diagonal, which the statistics in `statistic.ts` rely on.
 *
 * @module
 */

import { InfolensError } from "../errors.ts";
import { selectNth } from "../_math/select.ts";

/** How the Gaussian bandwidth θ is chosen for a column. */
export type Bandwidth = "std" | "median" | number;

/** A kernel for one column: Gaussian with a bandwidth rule, or δ. */
export type KernelSpec = "gaussian" | "categorical";

/** The error raised for bad HSIC input or options. */
export class HsicError extends InfolensError {
  /** Always "HsicError", so stack traces and logs name the class. */
  override name = "HsicError";
}

/**
 * The sample standard deviation with n − 1 (OpenTURNS's
 * `computeStandardDeviation`).
 *
 * @example
 * ```ts
 * import { sampleStd } from "./kernels.ts";
 * if (Math.abs(sampleStd([1, 2, 3]) - 1) > 1e-15) throw new Error();
 * ```
 */
export function sampleStd(values: ArrayLike<number>): number {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/** The median of |x_i − x_j| over all pairs i < j (exact, by quickselect). */
function medianPairwiseDistance(values: ArrayLike<number>): number {
  const n = values.length;
  const d = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) d[k++] = Math.abs(values[i] - values[j]);
  }
  const mid = d.length >> 1;
  const last = d.length - 1;
  const hi = selectNth(d, 0, last, mid);
  return d.length % 2 === 1 ? hi : (hi + selectNth(d, 0, last, mid - 1)) / 2;
}

/**
 * The Gaussian bandwidth θ of a column under a rule: `"std"` is the sample
 * standard deviation (n − 1, OpenTURNS's rule and the HSIC paper's), `"median"`
 * the median distance between pairs, a number is used as given. A column
 * whose rule gives 0 (constant, or more than half the pairs tied) is an
 * error, since the kernel would be undefined.
 *
 * @example
 * ```ts
 * import { bandwidthOf } from "./kernels.ts";
 * if (bandwidthOf([0, 1, 2], "median", "x") !== 1) throw new Error();
 * ```
 */
export function bandwidthOf(
  values: ArrayLike<number>,
  rule: Bandwidth,
  name: string,
): number {
  if (typeof rule === "number") {
    if (!(rule > 0) || !Number.isFinite(rule)) {
      throw new HsicError(
        `bandwidth for "${name}" must be a positive number, got ${rule}`,
      );
    }
    return rule;
  }
  if (rule !== "std" && rule !== "median") {
    throw new HsicError(
      `unknown bandwidth rule ${
        JSON.stringify(rule)
      } for "${name}"; use "std", "median" or a positive number`,
    );
  }
  const theta = rule === "std"
    ? sampleStd(values)
    : medianPairwiseDistance(values);
  if (!(theta > 0)) {
    throw new HsicError(
      `"${name}" is constant${
        rule === "median" ? " on more than half of its pairs" : ""
      }, so the ${rule} bandwidth is 0; drop the column, or give a numeric bandwidth`,
    );
  }
  return theta;
}

/**
 * The n × n Gram matrix (row-major) of the Gaussian kernel
 * exp(−(x_i − x_j)² / (2θ²)) on one column.
 *
 * @example
 * ```ts
 * import { gaussianGram } from "./kernels.ts";
 * const k = gaussianGram([0, 1], 1);
 * if (k[0] !== 1 || Math.abs(k[1] - Math.exp(-0.5)) > 1e-15) throw new Error();
 * ```
 */
export function gaussianGram(
  values: ArrayLike<number>,
  theta: number,
): Float64Array {
  const n = values.length;
  const k = new Float64Array(n * n);
  const c = -1 / (2 * theta * theta);
  for (let i = 0; i < n; i++) {
    const xi = values[i];
    k[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      const d = xi - values[j];
      const v = Math.exp(c * d * d);
      k[i * n + j] = v;
      k[j * n + i] = v;
    }
  }
  return k;
}

/**
 * The n × n Gram matrix of the categorical δ kernel: 1 where two values are
 * equal, 0 elsewhere.
 *
 * @example
 * ```ts
 * import { deltaGram } from "./kernels.ts";
 * const k = deltaGram(["a", "b", "a"]);
 * if (k[2] !== 1 || k[1] !== 0) throw new Error();
 * ```
 */
export function deltaGram(values: ArrayLike<unknown>): Float64Array {
  const n = values.length;
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) k[i * n + j] = values[i] === values[j] ? 1 : 0;
  }
  return k;
}
