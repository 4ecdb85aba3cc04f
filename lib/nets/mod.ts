/**
 * Networks: the tfjs backend (`setBackend`: tfjs-node-gpu, tfjs-node,
 * WebAssembly), MLP and small-CNN encodings built into tfjs models,
 * `trainNetwork` with every layer captured on a probe set for per-layer MI,
 * `trainMlp` for regression and classification studies, and the paper-style
 * MLP benchmarks (Runge, Bateman, digits) whose hyperparameters HSIC ranks.
 *
 * @example
 * ```ts
 * import { setBackend, trainNetwork } from "./mod.ts";
 * await setBackend("cpu");
 * const x = Array.from({ length: 64 }, (_, i) => [i % 2, (i >> 1) % 2]);
 * const y = x.map(([a, b]) => a ^ b);
 * const run = await trainNetwork(
 *   { kind: "mlp", inputs: 2, widths: [8], outputs: 2, activation: "tanh" },
 *   { x, y },
 *   { epochs: 3, captureEpochs: [3] },
 * );
 * if (run.capture.epochs.length !== 1) throw new Error();
 * ```
 *
 * @module
 */

export type { LayersModel } from "./_tfjs.ts";
export {
  BackendError,
  type BackendInfo,
  type BackendName,
  ensureBackend,
  setBackend,
} from "./backend.ts";
export {
  type Architecture,
  architectureId,
  buildNetwork,
  type CnnArchitecture,
  type LayerInfo,
  type MlpArchitecture,
  type NetActivation,
  NetError,
  type Network,
  type Pooling,
  validateArchitecture,
} from "./architecture.ts";
export {
  type ActivationCapture,
  type EpochMetrics,
  type LabelledData,
  logSpacedEpochs,
  type NetOptimizer,
  trainNetwork,
  type TrainOptions,
  type TrainResult,
} from "./train.ts";
export {
  type Activation,
  type Init,
  type MlpResult,
  type MlpSettings,
  type OptimizerName,
  type RegressionLoss,
  type Supervised,
  trainMlp,
} from "./mlp.ts";
export {
  HP_TASKS,
  type HpTask,
  hpTaskObjective,
  mlpSettings,
  mlpSpace,
} from "./mlp_benchmarks.ts";
