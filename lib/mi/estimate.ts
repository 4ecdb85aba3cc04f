/**
 * `estimateMI(x, y, options)`: one call for every MI estimator.
 *
 * @module
 */

import {
  MI_METHODS,
  miEstimator,
  type MIMethod,
  type MIOptions,
  NEURAL_METHODS,
} from "./estimators.ts";
import { MIError, type MIInput, toPair } from "./input.ts";

export { MI_METHODS, type MIMethod, type MIOptions, NEURAL_METHODS };

/** The result of every estimator. */
export interface MIEstimate {
  /** The estimator that produced this estimate. */
  method: MIMethod;
  /** The estimate in nats (held-out for neural methods). */
  estimate: number;
  /** Neural only: the mean training bound over the last 100 steps. */
  trainEstimate?: number;
  /** Neural only: the training bound at every step (`probe`: the validation bound after every epoch). */
  trace?: number[];
  /** Samples, and the dimensions of x and y. */
  n: number;
  /** Columns of x. */
  dx: number;
  /** Columns of y. */
  dy: number;
  /** Neural only: steps taken (fewer than asked when early stopping fired; `probe`: epochs). */
  steps?: number;
  /** The estimate's standard error, where the method gives one (`probe`). */
  standardError?: number;
  /** Wall time in seconds. */
  seconds: number;
}

/**
 * Estimates I(X; Y) in nats.
 *
 * `x` and `y` hold n paired samples: `number[][]` (n rows), `number[]` for
 * 1-D, or `{ data, rows, cols }` with a row-major typed array. Methods:
 *
 * - `mine`: Donsker-Varadhan bound, gradient bias corrected with a moving
 *   average of the denominator (`emaAlpha`, default 0.01 as the new batch's
 *   weight); `mine-biased`: plain DV with log-mean-exp; `mine-f`: the
 *   f-divergence form E_P[T] − E_Q[e^{T−1}]. Product-of-marginals samples by
 *   shuffling y; concat critic by default.
 * - `nwj`, `infonce` (never above ln(batch size)), `smile` (trained with the
 *   Jensen-Shannon loss, read out by DV with scores clipped to ±`clip`,
 *   default 5): on the n × n score matrix of each batch; separable critic by
 *   default.
 * - `ksg`: Kraskov algorithm 1, max-norm, `k` default 3 (adds tiny noise as
 *   the classic implementations do); `binning`: equal-width bins, exact
 *   discrete MI of the binned variables; `gaussian`: MI of a Gaussian with
 *   the sample covariance, a baseline.
 *
 * Neural estimators standardise each column on the training split (MI is
 * invariant to that), train on 1 − `testFraction` of the samples and report
 * the bound on the rest.
 *
 * @example
 * ```ts
 * import { estimateMI, toBits } from "./estimate.ts";
 * import { correlatedGaussian } from "./ground_truth.ts";
 * const task = correlatedGaussian({ dim: 1, rho: 0.8 });
 * const { x, y } = task.sample(1000, { seed: 0 });
 * const r = await estimateMI(x, y, { method: "ksg" });
 * if (Math.abs(r.estimate - task.mutualInformation) > 0.1) throw new Error(String(r.estimate));
 * console.log(toBits(r).toFixed(2), "bits");
 * ```
 */
export async function estimateMI(
  x: MIInput,
  y: MIInput,
  options: MIOptions,
): Promise<MIEstimate> {
  if (!options || typeof options !== "object") {
    throw new MIError(
      `estimateMI needs options with a method: one of ${MI_METHODS.join(", ")}`,
    );
  }
  const method = options.method;
  const estimator = miEstimator(method);
  const allowed: readonly string[] = estimator.options;
  for (const key of Object.keys(options)) {
    if (key !== "method" && !allowed.includes(key)) {
      throw new MIError(
        `option "${key}" does not apply to method "${method}"${
          allowed.length
            ? `; it takes: ${allowed.join(", ")}`
            : " (it takes no options)"
        }`,
      );
    }
  }
  const [mx, my] = toPair(x, y);
  const start = performance.now();
  const base = { method, n: mx.rows, dx: mx.cols, dy: my.cols };
  const result = await estimator.run(mx, my, options);
  if (!Number.isFinite(result.estimate)) {
    throw new MIError(
      `${method} produced ${result.estimate}; this is a bug, please report it with the data's shape`,
    );
  }
  return { ...base, ...result, seconds: (performance.now() - start) / 1000 };
}

/**
 * An estimate in bits (nats / ln 2).
 *
 * @example
 * ```ts
 * import { toBits } from "./estimate.ts";
 * if (toBits({ estimate: Math.LN2 }) !== 1) throw new Error();
 * ```
 */
export function toBits(result: { estimate: number } | number): number {
  const nats = typeof result === "number" ? result : result.estimate;
  return nats / Math.LN2;
}
