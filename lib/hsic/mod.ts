/**
 * HSIC sensitivity indices of hyperparameters (Novello et al.): HSIC, R2-HSIC
 * and shares per column, global or goal-oriented (which hyperparameters put a
 * trial among the best), with asymptotic and permutation p-values, and
 * `hsicAnalysis` over a search space's trials table. The HSIC-guided search
 * lives with the other search methods (`hsic-guided` in the search entry).
 *
 * @example
 * ```ts
 * import { hsicIndices } from "./mod.ts";
 * const x = Array.from({ length: 100 }, (_, i) => [(i * 37) % 100 / 100, (i * 61) % 100 / 100]);
 * const y = x.map(([a, b]) => (a - 0.3) ** 2 + 0.01 * b);
 * const df = hsicIndices(x, y, { names: ["a", "b"], goal: { quantile: 0.1 } });
 * const [a, b] = df.toRecords();
 * if (!((a.r2 as number) > (b.r2 as number))) throw new Error("a decides the good region");
 * ```
 *
 * @module
 */

export type { DataFrame, Series } from "../_frame.ts";
export { type Bandwidth, HsicError, type KernelSpec } from "./kernels.ts";
export type { HsicEstimator } from "./statistic.ts";
export {
  hsicIndices,
  type HsicOptions,
  type HsicRow,
  type HsicTable,
  hsicTable,
  type HsicValue,
  lowerQuantile,
  type PValueKind,
} from "./indices.ts";
export {
  type HsicAnalysis,
  hsicAnalysis,
  type HsicAnalysisOptions,
} from "./analysis.ts";
export {
  compareImportance,
  type CompareImportanceOptions,
  type ImportanceComparison,
  type ImportanceSource,
} from "./compare_importance.ts";
