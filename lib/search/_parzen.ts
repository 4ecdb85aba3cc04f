/**
 * Parzen estimators over hyperparameters, as TPE builds them (Optuna 3.1's
 * `_ParzenEstimator`): one kernel per observation plus a prior kernel.
 * Numeric hyperparameters get truncated Gaussians on their range (in log
 * space when log-scaled; integers as the mass of their cell), categorical
 * ones a distribution that puts extra weight on the observed value.
 *
 * @module
 */

import type { Random } from "../space/random.ts";
import { type Param, type Scalar, valuesOf } from "../space/space.ts";
import { logNormalPdf, normalCdf } from "../_math/special.ts";

/** log √(2π), as `logNormalPdf` computes it. */
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** One modelled hyperparameter in the estimator's internal coordinates. */
export type Dimension =
  | {
    kind: "numeric";
    name: string;
    /** Range in internal coordinates (log when `log`; integer cell edges). */
    low: number;
    high: number;
    log: boolean;
    int: boolean;
    /** The hyperparameter's own bounds, which values are clamped to. */
    min: number;
    max: number;
  }
  | { kind: "categorical"; name: string; values: readonly Scalar[] };

/**
 * The internal dimension of a hyperparameter: floats on their (log) range,
 * integers on the (log) edges of their cells, everything discrete as a
 * categorical.
 *
 * @example
 * ```ts
 * import { int } from "../space/space.ts";
 * import { dimensionOf } from "./_parzen.ts";
 * const d = dimensionOf("units", int(1, 4));
 * if (d.kind !== "numeric" || d.low !== 0.5 || d.high !== 4.5) throw new Error();
 * ```
 */
export function dimensionOf(name: string, p: Param): Dimension {
  const values = valuesOf(p);
  if (values) return { kind: "categorical", name, values };
  const num = p as Extract<Param, { kind: "float" | "int" }>;
  const int = num.kind === "int";
  const lo = int ? num.low - 0.5 : num.low;
  const hi = int ? num.high + 0.5 : num.high;
  const log = num.log ?? false;
  return {
    kind: "numeric",
    name,
    low: log ? Math.log(lo) : lo,
    high: log ? Math.log(hi) : hi,
    log,
    int,
    min: num.low,
    max: num.high,
  };
}

/** A value in internal coordinates: (log) number, or a category's index. */
export function toInternal(d: Dimension, v: Scalar): number {
  if (d.kind === "categorical") return d.values.indexOf(v);
  return d.log ? Math.log(v as number) : (v as number);
}

/** The hyperparameter value of an internal coordinate. */
export function fromInternal(d: Dimension, x: number): Scalar {
  if (d.kind === "categorical") return d.values[x];
  // exp(log(b)) can land an ulp outside b: clamp to the declared bounds.
  let v = d.log ? Math.exp(x) : x;
  if (d.int) v = Math.round(v);
  return Math.min(d.max, Math.max(d.min, v));
}

/** How the kernels' bandwidths are set. */
export interface ParzenSettings {
  /**
   * true: one bandwidth per dimension by Scott's rule, 0.2·n^{−1/(d+4)}·range
   * (Optuna's multivariate TPE); false: each kernel's distance to its
   * farther neighbour among the sorted observations (univariate TPE).
   */
  multivariate: boolean;
  /** Weight of the prior kernel; default 1. */
  priorWeight?: number;
}

/** log(Φ(b) − Φ(a)) for a < b, taking the difference on the side it is accurate. */
function logNormalMass(a: number, b: number): number {
  const m = a > 0 ? normalCdf(-a) - normalCdf(-b) : normalCdf(b) - normalCdf(a);
  return Math.log(m);
}

/**
 * A mixture with one kernel per observation and a prior kernel (centre of
 * the range, bandwidth the whole range; uniform over categories), weighted by
 * `weights` and the prior weight. Bandwidths are clipped to
 * [range / min(100, n + 2), range] ("magic clip").
 *
 * @example
 * ```ts
 * import { Random } from "../space/random.ts";
 * import { float } from "../space/space.ts";
 * import { dimensionOf, ParzenEstimator } from "./_parzen.ts";
 * const d = [dimensionOf("x", float(0, 1))];
 * const p = new ParzenEstimator(d, [[0.2], [0.25]], [1, 1], { multivariate: false });
 * if (!(p.logPdf([0.22]) > p.logPdf([0.9]))) throw new Error();
 * const x = p.sample(new Random(0));
 * if (!(x[0] >= 0 && x[0] <= 1)) throw new Error();
 * ```
 */
export class ParzenEstimator {
  readonly dims: readonly Dimension[];
  readonly #logW: Float64Array;
  readonly #w: Float64Array;
  /** Per numeric dimension: centres, bandwidths, log truncation masses. */
  readonly #mu: Float64Array[] = [];
  readonly #sigma: Float64Array[] = [];
  readonly #logZ: Float64Array[] = [];
  /** log σ per kernel, computed once rather than at every density. */
  readonly #logSigma: Float64Array[] = [];
  /** Per categorical dimension: per kernel, the log probability of each value. */
  readonly #logP: Float64Array[][] = [];

  constructor(
    dims: readonly Dimension[],
    observations: readonly (readonly number[])[],
    weights: readonly number[],
    settings: ParzenSettings,
  ) {
    const n = observations.length;
    if (weights.length !== n) {
      throw new RangeError(
        `ParzenEstimator: ${n} observations but ${weights.length} weights`,
      );
    }
    this.dims = dims;
    const prior = settings.priorWeight ?? 1;
    const k = n + 1;
    const w = Float64Array.from([...weights, prior]);
    const total = w.reduce((a, b) => a + b, 0);
    for (let i = 0; i < k; i++) w[i] /= total;
    this.#w = w;
    this.#logW = new Float64Array(k);
    for (let i = 0; i < k; i++) this.#logW[i] = Math.log(w[i]);
    dims.forEach((d, j) => {
      const obs = observations.map((o) => o[j]);
      if (d.kind === "categorical") {
        const c = d.values.length;
        const rows: Float64Array[] = [];
        for (let i = 0; i < k; i++) {
          const row = new Float64Array(c).fill(prior / k);
          if (i < n) row[obs[i]] += 1;
          const s = row.reduce((a, b) => a + b, 0);
          rows.push(row.map((p) => Math.log(p / s)));
        }
        this.#logP[j] = rows;
        return;
      }
      const range = d.high - d.low;
      const mu = Float64Array.from([...obs, 0.5 * (d.low + d.high)]);
      const sigma = new Float64Array(k);
      if (settings.multivariate) {
        sigma.fill(0.2 * Math.max(n, 1) ** (-1 / (dims.length + 4)) * range);
      } else {
        // Distance to the farther neighbour in the sorted centres (prior
        // included), with the range's ends as outer neighbours; the outermost
        // centres use their inner gap only (Optuna's consider_endpoints=False).
        const order = Array.from(mu.keys()).sort((a, b) => mu[a] - mu[b]);
        const ends = [d.low, ...order.map((i) => mu[i]), d.high];
        order.forEach((i, r) => {
          let s = Math.max(ends[r + 1] - ends[r], ends[r + 2] - ends[r + 1]);
          if (k >= 2 && r === 0) s = ends[2] - ends[1];
          if (k >= 2 && r === k - 1) s = ends[k] - ends[k - 1];
          sigma[i] = s;
        });
      }
      const minSigma = range / Math.min(100, 1 + k);
      for (let i = 0; i < k; i++) {
        sigma[i] = Math.min(range, Math.max(minSigma, sigma[i]));
      }
      sigma[n] = range; // the prior kernel spans the range
      this.#mu[j] = mu;
      this.#sigma[j] = sigma;
      this.#logSigma[j] = sigma.map(Math.log);
      this.#logZ[j] = mu.map((m, i) =>
        logNormalMass((d.low - m) / sigma[i], (d.high - m) / sigma[i])
      );
    });
  }

  /** One draw in internal coordinates: a kernel by weight, then each dimension from it. */
  sample(r: Random): number[] {
    let u = r.random();
    let k = 0;
    while (k < this.#w.length - 1 && u >= this.#w[k]) u -= this.#w[k++];
    return this.dims.map((d, j) => {
      if (d.kind === "categorical") {
        const row = this.#logP[j][k];
        let v = r.random();
        for (let c = 0; c < row.length - 1; c++) {
          v -= Math.exp(row[c]);
          if (v < 0) return c;
        }
        return row.length - 1;
      }
      const m = this.#mu[j][k], s = this.#sigma[j][k];
      // Rejection from the untruncated normal: every centre lies in the
      // range and s ≤ range, so at least a third of the mass is inside.
      for (let t = 0; t < 1000; t++) {
        const x = r.normal(m, s);
        if (x >= d.low && x <= d.high) return x;
      }
      return Math.min(d.high, Math.max(d.low, m));
    });
  }

  /** The log density (log mass for integers and categories) of a point. */
  logPdf(x: readonly number[]): number {
    const k = this.#w.length;
    const terms = Float64Array.from(this.#logW);
    this.dims.forEach((d, j) => {
      if (d.kind === "categorical") {
        const rows = this.#logP[j];
        for (let i = 0; i < k; i++) terms[i] += rows[i][x[j]];
        return;
      }
      const mu = this.#mu[j], sigma = this.#sigma[j], logZ = this.#logZ[j];
      if (!d.int) {
        // logNormalPdf inlined, the same operations in the same order
        const logSigma = this.#logSigma[j];
        const xj = x[j];
        for (let i = 0; i < k; i++) {
          const z = (xj - mu[i]) / sigma[i];
          terms[i] += -0.5 * z * z - LOG_SQRT_2PI - logSigma[i] - logZ[i];
        }
        return;
      }
      // An integer's cell in internal coordinates.
      const v = d.log ? Math.exp(x[j]) : x[j];
      const lo = d.log ? Math.log(v - 0.5) : v - 0.5;
      const hi = d.log ? Math.log(v + 0.5) : v + 0.5;
      const width = hi - lo;
      for (let i = 0; i < k; i++) {
        // A narrow cell: the midpoint rule is exact to (w/σ)²/24, where the
        // difference of two CDFs would lose its digits.
        const mass = width < 0.01 * sigma[i]
          ? logNormalPdf(x[j], mu[i], sigma[i]) + Math.log(width)
          : logNormalMass((lo - mu[i]) / sigma[i], (hi - mu[i]) / sigma[i]);
        terms[i] += mass - logZ[i];
      }
    });
    // logSumExp over a typed array, by index (the same sums in the same order)
    let max = -Infinity;
    for (let i = 0; i < k; i++) if (terms[i] > max) max = terms[i];
    if (max === -Infinity) return -Infinity;
    let sum = 0;
    for (let i = 0; i < k; i++) sum += Math.exp(terms[i] - max);
    return max + Math.log(sum);
  }
}
