/**
 * Networks: the tfjs backend (`setBackend`: tfjs-node-gpu, tfjs-node,
 * WebAssembly), MLP and small-CNN encodings built into tfjs models,
 * `trainNetwork` with every layer captured on a probe set for per-layer MI,
 * `trainKernelCnn` (the same for ReLU CNNs without pooling, on our matrix
 * kernel, many times faster than tfjs-wasm's convolutions),
 * `trainMlp` for regression and classification studies, and the paper-style
 * MLP benchmarks (Runge, Bateman, digits) whose hyperparameters HSIC ranks.
 * For the user's own tfjs models: `captureLayers` and the `model.fit`
 * callback `captureCallback` read chosen layers into the same capture
 * (`reductionFor` says how to shrink conv layers per estimator), and
 * `loadLayersModel` / `saveLayersModel` read and write the tfjs layers format
 * on disk.
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

export type { Callback, LayersModel, Tensor } from "./_tfjs.ts";
export {
  BackendError,
  type BackendInfo,
  type BackendName,
  ensureBackend,
  isHeapFailure,
  resetWasmBackend,
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
  type BackwardOptions,
  checkKernelCnn,
  KernelCnn,
} from "./kernel_cnn.ts";
export { type KernelTrainOptions, trainKernelCnn } from "./train_kernel_cnn.ts";
export {
  KERNEL_ZERO_COST_PROXIES,
  type KernelZeroCostOptions,
  kernelZeroCostProxies,
} from "./kernel_zero_cost.ts";
export {
  CaptureError,
  captureLayers,
  type CaptureLayersOptions,
  type CaptureOptions,
  type ProbeInput,
} from "./capture.ts";
export {
  type CaptureCallback,
  captureCallback,
  type CaptureCallbackOptions,
} from "./capture_callback.ts";
export { checkCapture } from "./check_capture.ts";
export {
  checkTrainingMemory,
  NetMemoryError,
  type NetworkShape,
  networkShape,
  trainingBytes,
  type TrainingSizes,
  WASM_HEAP_MAX_BYTES,
} from "./memory.ts";
export { type Reduction, reductionFor } from "./reduce.ts";
export {
  loadLayersModel,
  ModelFileError,
  saveLayersModel,
} from "./load_model.ts";
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
  mlpMatrixConditions,
  mlpSettings,
  mlpSpace,
  SMALL_HP_TASKS,
} from "./mlp_benchmarks.ts";
export {
  ZERO_COST_PROXIES,
  type ZeroCostBatch,
  ZeroCostError,
  type ZeroCostOptions,
  zeroCostProxies,
  type ZeroCostProxy,
} from "./zero_cost.ts";
export { ChainModelError } from "./_chain.ts";
