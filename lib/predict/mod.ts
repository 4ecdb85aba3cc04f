/**
 * Metrics for predictors of good architectures: MSE, KL divergence, Pearson,
 * Spearman, Kendall τ-b (tie-corrected, equal to scipy's), precision@k, and
 * average ranks; and {@linkcode compareSignals}, which scores early signals
 * (per-layer MI, RMI, zero-cost proxies, early accuracy) against the final
 * accuracy per task, with mean ± SE over tasks.
 *
 * Importing this entry loads no tfjs, polars, vega or resvg.
 *
 * @example
 * ```ts
 * import { kendallTau, spearman } from "./mod.ts";
 * const proxy = [0.1, 0.4, 0.2, 0.9];
 * const accuracy = [70, 80, 75, 90];
 * if (spearman(proxy, accuracy) !== 1 || kendallTau(proxy, accuracy) !== 1) throw new Error();
 * ```
 *
 * @module
 */

export {
  kendallTau,
  klDivergence,
  MetricError,
  mse,
  pearson,
  precisionAtK,
  ranks,
  spearman,
} from "./metrics.ts";
export {
  compareSignals,
  type CompareSignalsOptions,
  type GroupSignalScore,
  type SignalComparison,
  type SignalComparisonResult,
  type SignalSpec,
  tiedPrecisionAtK,
} from "./compare_signals.ts";
