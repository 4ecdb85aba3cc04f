/**
 * Per-layer mutual information through training: I(X;T) and I(T;Y) for
 * every captured layer T at every captured epoch, with any estimator — the
 * information plane of Shwartz-Ziv & Tishby (2017) and Saxe et al. (2018).
 *
 * - `binning` follows Shwartz-Ziv & Tishby: each unit cut into `bins` (30)
 *   equal bins, on [−1, 1] for tanh, [0, 1] for sigmoid and the softmax
 *   output; for unbounded activations (ReLU, ELU, linear) on the range the
 *   layer takes over the whole run (Saxe et al.'s choice; `binRange: "epoch"`
 *   uses each checkpoint's own range). Patterns of bins are counted exactly
 *   against the discrete X (`xIds`; by default every probe row is its own
 *   value) and Y (the labels), so I(X;T) ≤ H(X) and I(T;Y) ≤ H(Y): the
 *   ceilings are reported with each row. With every X distinct and T a
 *   function of X, binned I(X;T) = H(T).
 * - the neural bounds: one critic per layer and quantity, on (x, T) for
 *   I(X;T) and on (T, one-hot y) for I(T;Y), warm-started from the previous
 *   checkpoint (`warmStart`, default true): the first checkpoint trains
 *   `steps`, later ones `warmSteps`; the bound is read on `testFraction` of
 *   the probe rows, held out from the critics' training. With `until:
 *   "plateau"` a critic instead trains until its held-out bound has not
 *   improved for `patience` reads (one every `evalEvery` steps), at most
 *   `steps` / `warmSteps`, and its row reports the steps taken.
 *   - `mine`, `mine-biased`, `mine-f`: concat critics on the matrix
 *     kernel, spread over `workers` threads (one per core by default), the
 *     same estimates for any count;
 *   - `nwj`, `infonce`, `smile`: separable critics (as `estimateMI`'s
 *     defaults); on the CPU backends (wasm, cpu) on the matrix kernel,
 *     spread over `workers` threads like the MINE family, the same
 *     estimates for any count; on native and GPU backends trained by tfjs
 *     one at a time.
 * - `ksg`, `gaussian`: `estimateMI` on (x, T) and (T, one-hot y) at each
 *   checkpoint, with the options in `estimator`; `mixed-ksg` and `probe`
 *   the same for I(T;Y) only (their default quantity), the probe's rows
 *   with their standard error.
 *
 * `checkRange` and `printRangeSummary` (layer_range.ts) say which rows lie
 * outside [0, H(Y)] (or [0, H(X)]) and the share per estimator.
 *
 * @module
 */

import pl from "nodejs-polars";
import { tf } from "../nets/backend.ts";
import type { ActivationCapture } from "../nets/train.ts";
import { checkCapture } from "../nets/check_capture.ts";
import { Random } from "../space/random.ts";
import { binKeys, discreteEntropy, discreteMI } from "./binning.ts";
import {
  estimateMI,
  MI_METHODS,
  type MIMethod,
  type MIOptions,
} from "./estimate.ts";
import { type MIEstimatorRegistry, NEURAL_METHODS } from "./estimators.ts";
import { MIError } from "./input.ts";
import type { PairBound } from "./_pair_trainer.ts";
import { type ChainResult, fitCritic, standardised } from "./_layer_critics.ts";
import {
  type ChainJob,
  runChainsHere,
  runChainsInWorkers,
} from "./_layer_pool.ts";
import {
  type CriticTrainer,
  makeTrainer,
  MATRIX_METHODS,
  trainerKind,
} from "./_critic_trainers.ts";
import type { MatrixBound } from "./_bounds.ts";
import { heldOutBound, type NeuralMethod, neuralSettings } from "./neural.ts";
import type { DataFrame } from "../_frame.ts";

/** The two quantities of the information plane. */
export type LayerQuantity = "I(X;T)" | "I(T;Y)";

/** Options of {@linkcode layerMI}. */
export interface LayerMIOptions {
  /**
   * The estimator used for every layer and quantity: `binning` (exact counts
   * over binned activations), `ksg`, `gaussian` or a neural bound.
   */
  method: MIMethod;
  /** Class labels of the probe rows (integers 0 … classes − 1). */
  y: readonly number[];
  /** The probe rows' inputs: needed for I(X;T) by every method but binning. */
  x?: readonly (readonly number[])[];
  /** Discrete ids of X for binning's exact counts. Default: every row its own id. */
  xIds?: readonly (number | string)[];
  /** Default both. */
  quantities?: readonly LayerQuantity[];
  /** 1-based layer indices. Default every captured layer. */
  layers?: readonly number[];
  /** Binning: bins per unit. Default 30. */
  bins?: number;
  /** Binning, unbounded activations: the layer's range over the whole run (default) or per checkpoint. */
  binRange?: "run" | "epoch";
  /**
   * Neural bounds: steps at the first checkpoint (the most, with `until:
   * "plateau"`). Default 2,000.
   */
  steps?: number;
  /**
   * Neural bounds: `"steps"` trains every critic the fixed `steps` /
   * `warmSteps` (the default, as every shipped result); `"plateau"` reads
   * the held-out bound every `evalEvery` steps and stops a critic once it
   * has not improved for `patience` reads in a row (at most `steps` /
   * `warmSteps`), reporting the best read (a max over few held-out reads,
   * so slightly optimistic).
   */
  until?: "steps" | "plateau";
  /** `until: "plateau"`: steps between held-out reads. Default 100. */
  evalEvery?: number;
  /** `until: "plateau"`: reads without improvement before stopping. Default 5. */
  patience?: number;
  /** Neural bounds: steps at later, warm-started checkpoints. Default steps / 4. */
  warmSteps?: number;
  /** Neural bounds: continue from the previous checkpoint's critics. Default true. */
  warmStart?: boolean;
  /** Neural bounds: critic hidden widths. Default [100, 100]. */
  hidden?: readonly number[];
  /** Neural bounds: batch size. Default 256. */
  batchSize?: number;
  /** Neural bounds: Adam's learning rate. Default 1e-3. */
  learningRate?: number;
  /** Neural bounds: held-out share of the probe rows. Default 0.2. */
  testFraction?: number;
  /** Seed of critics, splits and batches. Default 0. */
  seed?: number;
  /** ksg, gaussian, mixed-ksg and probe: extra `estimateMI` options (e.g. `{ k: 5 }`). */
  estimator?: MIEstimatorRegistry["ksg" | "gaussian" | "mixed-ksg" | "probe"];
  /**
   * The neural bounds (`mine`, `mine-biased`, `mine-f`; `nwj`, `infonce`,
   * `smile` on the wasm and cpu backends): worker threads the critics are
   * spread over, each critic's warm-started chain whole in one worker; the
   * estimates are the same for any count. `"auto"`: one per core
   * (`navigator.hardwareConcurrency`), the default; 1: this thread. Other
   * methods, and nwj/infonce/smile on native or GPU backends, run on this
   * thread.
   */
  workers?: number | "auto";
  /** Called after each checkpoint (with workers, once every critic has passed it). */
  onProgress?: (done: number, total: number) => void;
}

/** One row of {@linkcode layerMI}'s table. */
export interface LayerMIRow {
  /** The training epoch of the checkpoint the activations were captured at. */
  epoch: number;
  /** 1-based layer index. */
  layer: number;
  /** e.g. "dense 2", "output". */
  name: string;
  /** Which side of the information plane: I(X;T) or I(T;Y). */
  quantity: LayerQuantity;
  /** Nats. */
  estimate: number;
  /** H(X) or H(Y) in nats where X or Y is discrete (binning: H(X) of the ids; always H(Y)); NaN otherwise. */
  ceiling: number;
  /** The estimator that produced this row. */
  method: MIMethod;
  /** Seconds spent on this estimate. */
  seconds: number;
  /** Neural bounds with `until: "plateau"` only: the steps the critic trained. */
  steps?: number;
  /** Where the estimator gives one (`probe`): the estimate's standard error. */
  standardError?: number;
}

/** Estimators of I(T; label) only: they need a discrete second variable. */
const LABEL_METHODS: readonly MIMethod[] = ["mixed-ksg", "probe"];

/** The quantities asked for, or the method's default. */
function quantitiesOf(o: LayerMIOptions): readonly LayerQuantity[] {
  return o.quantities ??
    (LABEL_METHODS.includes(o.method) ? ["I(T;Y)"] : ["I(X;T)", "I(T;Y)"]);
}

const PAIR_METHODS: Record<string, PairBound> = {
  "mine": "mine-ema",
  "mine-biased": "dv",
  "mine-f": "nwj",
};

const OPTION_KEYS = new Set([
  "method",
  "y",
  "x",
  "xIds",
  "quantities",
  "layers",
  "bins",
  "binRange",
  "steps",
  "until",
  "evalEvery",
  "patience",
  "warmSteps",
  "warmStart",
  "hidden",
  "batchSize",
  "learningRate",
  "testFraction",
  "seed",
  "estimator",
  "workers",
  "onProgress",
]);

/** The default of `workers`. */
const DEFAULT_WORKERS: number | "auto" = "auto";

/** `workers` as a count of threads (`"auto"`: one per core). */
function workerCount(workers: number | "auto" = DEFAULT_WORKERS): number {
  if (workers === "auto") {
    return Math.max(1, navigator.hardwareConcurrency ?? 1);
  }
  return workers;
}

function boundedRange(
  activation: string,
): readonly [number, number] | null {
  if (activation === "tanh") return [-1, 1];
  if (activation === "sigmoid" || activation === "softmax") return [0, 1];
  return null;
}

function layerRange(data: readonly Float32Array[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const a of data) {
    for (const v of a) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

function oneHot(y: readonly number[], classes: number): Float32Array {
  const out = new Float32Array(y.length * classes);
  y.forEach((c, i) => (out[i * classes + c] = 1));
  return out;
}

function checkOptions(capture: ActivationCapture, o: LayerMIOptions): void {
  if (!o || typeof o !== "object") {
    throw new MIError(`layerMI needs options with a method and the labels y`);
  }
  for (const key of Object.keys(o)) {
    if (!OPTION_KEYS.has(key)) {
      throw new MIError(
        `unknown layerMI option "${key}"; it takes: ${
          [...OPTION_KEYS].join(", ")
        } (estimator-specific options go in "estimator")`,
      );
    }
  }
  if (!MI_METHODS.includes(o.method)) {
    throw new MIError(
      `unknown method "${o.method}"; choose one of ${MI_METHODS.join(", ")}`,
    );
  }
  if (!capture || !Array.isArray(capture.activations)) {
    throw new MIError(
      `layerMI needs an ActivationCapture, e.g. trainNetwork(...).capture`,
    );
  }
  if (capture.activations.length === 0) {
    throw new MIError(`the capture holds no checkpoints`);
  }
  // Layers, checkpoints and array sizes, named (not a TypeError later).
  checkCapture(capture);
  const n = capture.rows;
  if (!Array.isArray(o.y) || o.y.length !== n) {
    throw new MIError(
      `y must hold one label per probe row: ${n} expected, got ${
        Array.isArray(o.y) ? o.y.length : typeof o.y
      }`,
    );
  }
  o.y.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0) {
      throw new MIError(`y[${i}] is ${c}; labels must be integers >= 0`);
    }
  });
  if (o.xIds && o.xIds.length !== n) {
    throw new MIError(
      `xIds must hold one id per probe row: ${n} expected, got ${o.xIds.length}`,
    );
  }
  if (o.x) {
    if (o.x.length !== n) {
      throw new MIError(
        `x must hold the probe rows' inputs: ${n} rows expected, got ${o.x.length}`,
      );
    }
  } else if (
    o.method !== "binning" && quantitiesOf(o).includes("I(X;T)")
  ) {
    throw new MIError(
      `${o.method} needs the probe inputs as x for I(X;T); pass x, or quantities: ["I(T;Y)"]`,
    );
  }
  for (const l of o.layers ?? []) {
    if (!capture.layers.some((info) => info.index === l)) {
      throw new MIError(
        `layer ${l} was not captured; layers are ${
          capture.layers.map((i) => i.index).join(", ")
        } (1-based)`,
      );
    }
  }
  for (const q of o.quantities ?? []) {
    if (q !== "I(X;T)" && q !== "I(T;Y)") {
      throw new MIError(`unknown quantity "${q}"; use "I(X;T)" or "I(T;Y)"`);
    }
  }
  if (LABEL_METHODS.includes(o.method) && quantitiesOf(o).includes("I(X;T)")) {
    throw new MIError(
      `${o.method} estimates I(T;Y) against the discrete label only; pass quantities: ["I(T;Y)"] (its default)`,
    );
  }
  if (
    o.estimator && o.method !== "ksg" && o.method !== "gaussian" &&
    !LABEL_METHODS.includes(o.method)
  ) {
    throw new MIError(
      `estimator options apply to ksg and gaussian; ${o.method} takes ${
        o.method === "binning"
          ? "bins and binRange"
          : "steps, warmSteps, hidden, batchSize, learningRate and testFraction"
      } directly`,
    );
  }
  if (o.until !== undefined && o.until !== "steps" && o.until !== "plateau") {
    throw new MIError(`until must be "steps" or "plateau", got ${o.until}`);
  }
  for (const key of ["evalEvery", "patience"] as const) {
    const v = o[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
      throw new MIError(`${key} must be a positive integer, got ${v}`);
    }
  }
  if (
    o.workers !== undefined && o.workers !== "auto" &&
    !(Number.isInteger(o.workers) && o.workers >= 1)
  ) {
    throw new MIError(
      `workers must be a positive integer or "auto", got ${o.workers}`,
    );
  }
  if (o.bins !== undefined && (!Number.isInteger(o.bins) || o.bins < 2)) {
    throw new MIError(`bins must be an integer >= 2, got ${o.bins}`);
  }
  if ((NEURAL_METHODS as readonly string[]).includes(o.method)) {
    // The neural family's one validator, the one estimateMI uses; only the
    // defaults differ (layerMI fills its own in later).
    neuralSettings(o.method as NeuralMethod, {
      steps: o.steps,
      batchSize: o.batchSize,
      learningRate: o.learningRate,
      testFraction: o.testFraction,
      hidden: o.hidden,
      patience: o.patience,
    });
  }
}

/**
 * I(X;T) and I(T;Y) of every captured layer at every captured epoch, one row
 * per epoch × layer × quantity (see the module doc for how each method is
 * applied).
 *
 * @example
 * ```ts
 * import { layerMIRows } from "./layer_mi.ts";
 * import { trainNetwork } from "../nets/train.ts";
 * import { twelveBit } from "../data/twelve_bit.ts";
 * const { x, y } = twelveBit();
 * const { capture } = await trainNetwork(
 *   { kind: "mlp", inputs: 12, widths: [10, 7, 5, 4, 3], outputs: 2, activation: "tanh" },
 *   { x, y }, { epochs: 2, batchSize: 512, captureEpochs: [0, 2] });
 * const rows = await layerMIRows(capture, { method: "binning", y });
 * if (rows.length !== 2 * 6 * 2) throw new Error("epochs × layers × quantities");
 * if (rows.some((r) => r.estimate > r.ceiling + 1e-9)) throw new Error("never above the ceiling");
 * ```
 */
export async function layerMIRows(
  capture: ActivationCapture,
  options: LayerMIOptions,
): Promise<LayerMIRow[]> {
  checkOptions(capture, options);
  const layers = capture.layers.filter((l) =>
    !options.layers || options.layers.includes(l.index)
  );
  const quantities = quantitiesOf(options);
  if (PAIR_METHODS[options.method]) {
    return await chainRows(capture, options, layers, quantities);
  }
  const method = options.method as NeuralMethod;
  if (MATRIX_METHODS.has(method)) {
    // On the CPU backends the separable critics train on the matrix kernel,
    // as chains that can run in workers; elsewhere tfjs trains them.
    return trainerKind(method, "separable", tf.getBackend()) === "separable"
      ? await chainRows(capture, options, layers, quantities)
      : await matrixRows(capture, options, layers, quantities);
  }
  return options.method === "binning"
    ? binnedRows(capture, options, layers, quantities)
    : await estimatorRows(capture, options, layers, quantities);
}

/** Binning: bin patterns counted exactly against the discrete X and Y. */
function binnedRows(
  capture: ActivationCapture,
  options: LayerMIOptions,
  layers: ActivationCapture["layers"],
  quantities: readonly LayerQuantity[],
): LayerMIRow[] {
  const n = capture.rows;
  const hY = discreteEntropy(options.y);
  const xIds = options.xIds ?? Array.from({ length: n }, (_, i) => i);
  const hX = discreteEntropy(xIds);
  const bins = options.bins ?? 30;
  // Unbounded activations: the layer's range over the run, unless asked per checkpoint.
  const ranges = layers.map((info) =>
    boundedRange(info.activation) ??
      (options.binRange === "epoch"
        ? null
        : layerRange(capture.activations.map((c) => c[info.index - 1])))
  );
  const rows: LayerMIRow[] = [];
  for (const [c, epoch] of capture.epochs.entries()) {
    for (const [li, info] of layers.entries()) {
      const start = performance.now();
      const data = capture.activations[c][info.index - 1];
      const keys = binKeys(
        { rows: n, cols: info.units, data: Float64Array.from(data) },
        bins,
        ranges[li] ?? layerRange([data]),
      );
      const binSeconds = (performance.now() - start) / 1000;
      for (const q of quantities) {
        const s0 = performance.now();
        const estimate = q === "I(X;T)"
          ? discreteMI(xIds, keys)
          : discreteMI(keys, options.y);
        rows.push({
          epoch,
          layer: info.index,
          name: info.name,
          quantity: q,
          estimate,
          ceiling: q === "I(X;T)" ? hX : hY,
          method: "binning",
          seconds: binSeconds / quantities.length +
            (performance.now() - s0) / 1000,
        });
      }
    }
    options.onProgress?.(c + 1, capture.epochs.length);
  }
  return rows;
}

/** ksg and gaussian: `estimateMI` on (x, T) and (T, one-hot y) at each checkpoint. */
async function estimatorRows(
  capture: ActivationCapture,
  options: LayerMIOptions,
  layers: ActivationCapture["layers"],
  quantities: readonly LayerQuantity[],
): Promise<LayerMIRow[]> {
  const n = capture.rows;
  const classes = Math.max(...options.y) + 1;
  const hY = discreteEntropy(options.y);
  const yOneHot = { data: oneHot(options.y, classes), rows: n, cols: classes };
  const xInput = options.x
    ? {
      data: Float64Array.from(options.x.flat()),
      rows: n,
      cols: options.x[0].length,
    }
    : null;
  // The method's own options were checked in checkOptions; estimateMI
  // checks their names again.
  const estimatorOptions = {
    ...options.estimator,
    method: options.method,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  } as MIOptions;
  const rows: LayerMIRow[] = [];
  for (const [c, epoch] of capture.epochs.entries()) {
    for (const info of layers) {
      const t = {
        data: capture.activations[c][info.index - 1],
        rows: n,
        cols: info.units,
      };
      for (const q of quantities) {
        const r = q === "I(X;T)"
          ? await estimateMI(xInput!, t, estimatorOptions)
          : await estimateMI(t, yOneHot, estimatorOptions);
        rows.push({
          epoch,
          layer: info.index,
          name: info.name,
          quantity: q,
          estimate: r.estimate,
          ceiling: q === "I(X;T)" ? NaN : hY,
          method: options.method,
          seconds: r.seconds,
          ...(r.standardError !== undefined
            ? { standardError: r.standardError }
            : {}),
        });
      }
    }
    options.onProgress?.(c + 1, capture.epochs.length);
  }
  return rows;
}

/**
 * What every neural path shares: settings checked, the probe rows split
 * into the critics' training rows and held-out rows, and x and one-hot y
 * standardised on the training rows (host arrays; {@linkcode tensorSetup}
 * adds tensors for the tfjs paths).
 */
function neuralSetup(capture: ActivationCapture, options: LayerMIOptions) {
  const n = capture.rows;
  const steps = options.steps ?? 2000;
  const warmSteps = options.warmSteps ?? Math.max(1, Math.round(steps / 4));
  const testFraction = options.testFraction ?? 0.2;
  for (const [name, v] of [["steps", steps], ["warmSteps", warmSteps]]) {
    if (!Number.isInteger(v) || (v as number) < 1) {
      throw new MIError(`${name} must be a positive integer, got ${v}`);
    }
  }
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new MIError(`testFraction must be in (0, 1), got ${testFraction}`);
  }
  const seed = options.seed ?? 0;
  const split = new Random(seed, "layer-mi-split").permutation(n);
  const nTest = Math.max(2, Math.round(n * testFraction));
  const testRows = split.slice(0, nTest);
  const trainRows = split.slice(nTest);
  if (trainRows.length < 2) {
    throw new MIError(`too few probe rows (${n}) to hold out ${testFraction}`);
  }
  const classes = Math.max(...options.y) + 1;
  const dx = options.x ? options.x[0].length : 0;
  return {
    steps,
    warmSteps,
    warmStart: options.warmStart ?? true,
    seed,
    testRows,
    trainRows,
    b: Math.min(options.batchSize ?? 256, trainRows.length),
    classes,
    hY: discreteEntropy(options.y),
    dx,
    /** x standardised on the training rows (row-major n × dx). */
    xs: options.x
      ? standardised(Float32Array.from(options.x.flat()), n, dx, trainRows)
      : null,
    /** One-hot y standardised on the training rows (n × classes). */
    ys: standardised(oneHot(options.y, classes), n, classes, trainRows),
  };
}

/** {@linkcode neuralSetup} with x and y as tensors, for the tfjs paths. */
function tensorSetup(capture: ActivationCapture, options: LayerMIOptions) {
  const run = neuralSetup(capture, options);
  const n = capture.rows;
  return {
    ...run,
    X: run.xs ? tf.tensor2d(run.xs, [n, run.dx]) : null,
    Y: tf.tensor2d(run.ys, [n, run.classes]),
  };
}

type NeuralRun = ReturnType<typeof tensorSetup>;

/** One checkpoint as a neural path sees it. */
interface Checkpoint {
  epoch: number;
  /** Each layer's T (by layer index), standardised on the training rows. */
  ts: Map<number, tf.Tensor2D>;
  /** Whether critics start afresh here (the first checkpoint, or no warm start). */
  fresh: boolean;
  /** Training steps at this checkpoint. */
  steps: number;
}

/**
 * Calls `fit` at every checkpoint with its layer tensors (disposed after
 * each), reports progress, and disposes the run's x and y at the end.
 */
async function eachCheckpoint(
  capture: ActivationCapture,
  options: LayerMIOptions,
  layers: ActivationCapture["layers"],
  run: NeuralRun,
  fit: (checkpoint: Checkpoint) => Promise<LayerMIRow[]>,
): Promise<LayerMIRow[]> {
  const n = capture.rows;
  const rows: LayerMIRow[] = [];
  try {
    for (const [ci, epoch] of capture.epochs.entries()) {
      const ts = new Map(layers.map((info) => [
        info.index,
        tf.tensor2d(
          standardised(
            capture.activations[ci][info.index - 1],
            n,
            info.units,
            run.trainRows,
          ),
          [n, info.units],
        ),
      ]));
      const fresh = ci === 0 || !run.warmStart;
      try {
        rows.push(
          ...await fit({
            epoch,
            ts,
            fresh,
            steps: fresh ? run.steps : run.warmSteps,
          }),
        );
      } finally {
        tf.dispose([...ts.values()]);
      }
      options.onProgress?.(ci + 1, capture.epochs.length);
    }
    return rows;
  } finally {
    tf.dispose([run.Y, ...(run.X ? [run.X] : [])]);
  }
}

/**
 * The neural bounds on the matrix kernel: one critic per layer × quantity,
 * warm-started across checkpoints — a concat critic for the MINE family
 * ({@linkcode pairChain}), a separable one for nwj, infonce and smile
 * ({@linkcode matrixChain}). Each critic's chain is independent of the
 * others, so with `workers` > 1 the chains are spread over worker threads,
 * each chain whole in one worker; the estimates are the same as on one
 * thread.
 */
async function chainRows(
  capture: ActivationCapture,
  options: LayerMIOptions,
  layers: ActivationCapture["layers"],
  quantities: readonly LayerQuantity[],
): Promise<LayerMIRow[]> {
  const run = neuralSetup(capture, options);
  const workers = Math.min(
    workerCount(options.workers),
    layers.length * quantities.length,
  );
  // In workers, each job owns copies of its arrays (they are transferred);
  // here, the chains read the capture and the run's arrays in place.
  const own = (a: Float32Array) => workers > 1 ? a.slice() : a;
  const layerSide = (l: number, d: number) => ({
    d,
    checkpoints: capture.activations.map((c) => own(c[l - 1])),
    raw: true,
  });
  const critics = layers.flatMap((info) =>
    quantities.map((q) => ({ info, q }))
  );
  const matrix = MATRIX_METHODS.has(options.method as NeuralMethod);
  // nwj, infonce and smile: the critic of `estimateMI` (separable), one
  // thread each (the critics run side by side).
  const settings = matrix
    ? neuralSettings(options.method as NeuralMethod, {
      hidden: options.hidden,
      batchSize: run.b,
      learningRate: options.learningRate ?? 1e-3,
      seed: run.seed,
      threads: 1,
    })
    : null;
  const jobs: ChainJob[] = critics.map(({ info, q }): ChainJob => {
    const t = layerSide(info.index, info.units);
    // Only I(X;T) reads x, which is absent when only I(T;Y) is asked for.
    const other = q === "I(X;T)"
      ? { d: run.dx, checkpoints: [own(run.xs!)], raw: false }
      : { d: run.classes, checkpoints: [own(run.ys)], raw: false };
    const common = {
      rows: capture.rows,
      first: q === "I(X;T)" ? other : t,
      second: q === "I(X;T)" ? t : other,
      epochs: capture.epochs,
      seed: run.seed,
      b: run.b,
      trainRows: run.trainRows,
      testRows: run.testRows,
      steps: run.steps,
      warmSteps: run.warmSteps,
      warmStart: run.warmStart,
      until: options.until,
      evalEvery: options.evalEvery,
      patience: options.patience,
      learningRate: options.learningRate ?? 1e-3,
    };
    if (settings) {
      return {
        ...common,
        kind: "matrix",
        method: options.method as MatrixBound,
        hidden: settings.spec.hidden,
        embedding: settings.spec.embedding,
        activation: settings.spec.activation,
        tau: settings.tau,
        backend: tf.getBackend(),
      };
    }
    return {
      ...common,
      key: `layer ${info.index} ${q}`,
      hidden: options.hidden ?? [100, 100],
      bound: PAIR_METHODS[options.method],
    };
  });
  const rows: LayerMIRow[] = [];
  // Progress: a checkpoint is done once every critic has passed it.
  const passed = new Array(jobs.length).fill(0);
  let reported = 0;
  const onResult = (k: number, c: number, r: ChainResult) => {
    const { info, q } = critics[k];
    rows.push({
      epoch: capture.epochs[c],
      layer: info.index,
      name: info.name,
      quantity: q,
      estimate: r.estimate,
      ceiling: q === "I(X;T)" ? NaN : run.hY,
      method: options.method,
      seconds: r.seconds,
      ...(r.steps !== undefined ? { steps: r.steps } : {}),
    });
    passed[k] = c + 1;
    const done = Math.min(...passed);
    // (Not `onProgress?.(++reported)`: without a callback that skips the ++.)
    while (reported < done) {
      reported++;
      options.onProgress?.(reported, capture.epochs.length);
    }
  };
  if (workers > 1) await runChainsInWorkers(jobs, workers, onResult);
  else await runChainsHere(jobs, capture.epochs.length, onResult);
  const position = (row: LayerMIRow) =>
    row.layer * 2 + (row.quantity === "I(X;T)" ? 0 : 1);
  return rows.sort((p, q) => p.epoch - q.epoch || position(p) - position(q));
}

/**
 * nwj, infonce and smile where tfjs trains the critics (native and GPU
 * backends): one critic per layer × quantity (separable, as
 * `estimateMI`), trained one at a time on this thread and warm-started
 * from the previous checkpoint like the MINE family.
 */
async function matrixRows(
  capture: ActivationCapture,
  options: LayerMIOptions,
  layers: ActivationCapture["layers"],
  quantities: readonly LayerQuantity[],
): Promise<LayerMIRow[]> {
  const method = options.method as NeuralMethod;
  const run = tensorSetup(capture, options);
  const { X, Y, dx, classes, testRows } = run;
  const settings = neuralSettings(method, {
    hidden: options.hidden,
    batchSize: run.b,
    learningRate: options.learningRate ?? 1e-3,
    seed: run.seed,
    // The critics run side by side (workers); one thread each.
    threads: 1,
  });
  const critics = layers.flatMap((info) =>
    quantities.map((q) => ({
      info,
      q,
      d1: q === "I(X;T)" ? dx : info.units,
      d2: q === "I(X;T)" ? info.units : classes,
    }))
  );
  let trainers: CriticTrainer[] = [];
  try {
    return await eachCheckpoint(capture, options, layers, run, async (
      { epoch, ts, fresh, steps },
    ) => {
      if (fresh) {
        trainers.forEach((t) => t.dispose());
        trainers = critics.map((c) =>
          makeTrainer({ method, dx: c.d1, dy: c.d2, ...settings })
        );
      }
      const out: LayerMIRow[] = [];
      for (const [k, c] of critics.entries()) {
        const start = performance.now();
        const t = ts.get(c.info.index)!;
        const [first, second] = c.q === "I(X;T)" ? [X!, t] : [t, Y];
        const r = await fitCritic(
          run,
          options,
          epoch,
          steps,
          (idx, idx2) => tf.dispose(trainers[k].step(first, second, idx, idx2)),
          () =>
            tf.tidy(() => {
              const it = tf.tensor1d(Int32Array.from(testRows), "int32");
              return heldOutBound(
                method,
                trainers[k].critic,
                tf.gather(first, it) as tf.Tensor2D,
                tf.gather(second, it) as tf.Tensor2D,
                run.b,
                settings.tau,
                new Random(run.seed, `layer-mi-test ${epoch}`),
              );
            }),
        );
        out.push({
          epoch,
          layer: c.info.index,
          name: c.info.name,
          quantity: c.q,
          estimate: r.estimate,
          ceiling: c.q === "I(X;T)" ? NaN : run.hY,
          method,
          seconds: (performance.now() - start) / 1000,
          ...(r.steps !== undefined ? { steps: r.steps } : {}),
        });
      }
      return out;
    });
  } finally {
    trainers.forEach((t) => t.dispose());
  }
}

/**
 * {@linkcode layerMIRows} as a DataFrame: `epoch, layer, name, quantity,
 * estimate, ceiling, method, seconds`.
 *
 * @example
 * ```ts ignore
 * import { layerMI } from "./layer_mi.ts";
 * const df = await layerMI(capture, { method: "binning", y });
 * ```
 */
export async function layerMI(
  capture: ActivationCapture,
  options: LayerMIOptions,
): Promise<DataFrame> {
  const rows = await layerMIRows(capture, options);
  return pl.DataFrame(rows.map((r) => ({ ...r })));
}
