/**
 * Mutual information: `estimateMI` (MINE and its variants, NWJ, InfoNCE,
 * SMILE, KSG, mixed KSG and the probe bound for a discrete label, binning,
 * Gaussian) behind one call, `traceMI` for training on
 * a changing source, per-layer MI of a trained network (`layerMI`), the
 * estimator comparisons, and `tasks`: distributions whose MI is known exactly.
 *
 * @example
 * ```ts
 * import { estimateMI, tasks } from "./mod.ts";
 * const task = tasks.correlatedGaussian({ dim: 1, rho: 0.8 });
 * const { x, y } = task.sample(2_000, { seed: 0 });
 * const { estimate } = await estimateMI(x, y, { method: "ksg" });
 * if (Math.abs(estimate - task.mutualInformation) > 0.05) throw new Error();
 * ```
 *
 * @module
 */

export type { DataFrame } from "../_frame.ts";
export type { Tensor } from "../nets/_tfjs.ts";
export {
  estimateMI,
  MI_METHODS,
  type MIEstimate,
  type MIMethod,
  type MIOptions,
  NEURAL_METHODS,
  toBits,
} from "./estimate.ts";
export {
  type BinningOptions,
  type GaussianOptions,
  type KsgOptions,
  MI_ESTIMATORS,
  type MIEstimator,
  miEstimator,
  type MIEstimatorRegistry,
  type MIMatrix,
  type MineOptions,
  type MIRun,
  type MixedKsgOptions,
  type NeuralBoundOptions,
  type ProbeOptions,
  registerMIEstimator,
  type SmileOptions,
} from "./estimators.ts";
export { MIError, type MIInput } from "./input.ts";
export type { NeuralMethod, NeuralOptions } from "./neural.ts";
export type { CriticActivation } from "./_critic.ts";
export {
  type BatchSource,
  type MITrace,
  taskSchedule,
  traceMI,
  type TraceOptions,
} from "./stream.ts";
export {
  biasVariance,
  type BiasVarianceRow,
  compareEstimators,
  type CompareOptions,
  type ComparisonRow,
  type DimensionRow,
  dimensionSweep,
} from "./compare.ts";
export {
  layerMI,
  type LayerMIOptions,
  type LayerMIRow,
  layerMIRows,
  type LayerQuantity,
} from "./layer_mi.ts";
export {
  checkRange,
  printRangeSummary,
  type RangeCheckable,
  type RangeCheckOptions,
  rangeSummary,
  type RangeSummaryRow,
} from "./layer_range.ts";
export { discreteEntropy, discreteMI } from "./binning.ts";
export { cka, CkaAccumulator, type CkaOptions } from "./cka.ts";
export {
  convStages,
  easiestBatch,
  type RmiBatch,
  RmiError,
  rmiObjective,
  type RmiObjectiveOptions,
  type RmiOptions,
  type RmiResult,
  rmiScore,
  type StagedModel,
  teacherFeatures,
} from "./rmi.ts";
export { type KernelCandidate, rmiScoreKernel } from "./rmi_kernel.ts";
export * as tasks from "./ground_truth.ts";
export type { MITask, Samples, TransformKind } from "./ground_truth.ts";
