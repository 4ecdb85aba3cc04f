/**
 * The training loop for small classifiers, written for speed and for
 * watching every layer: batches are gathered on the backend, losses and
 * accuracies stay there until one read-back per epoch, every tensor of a
 * step is disposed (the tensor count stays flat across epochs), and at the
 * chosen epochs every layer's output on a fixed probe set is read in one
 * forward pass.
 *
 * @module
 */

import {
  BackendError,
  ensureBackend,
  isHeapFailure,
  resetWasmBackend,
  tf,
} from "./backend.ts";
import { Random } from "../space/random.ts";
import { EpochStopper } from "./_early_stopping.ts";
import { checkTrainingMemory } from "./memory.ts";
import {
  type Architecture,
  buildNetwork,
  inputSize,
  type LayerInfo,
  NetError,
  type Network,
  validateArchitecture,
} from "./architecture.ts";

/** Optimisers of {@linkcode trainNetwork}. */
export type NetOptimizer = "adam" | "sgd" | "rmsprop";

/** Samples to train on: rows of features and class ids. */
export interface LabelledData {
  /** n rows of input features. */
  x: readonly (readonly number[])[];
  /** n class ids (integers 0 … outputs − 1). */
  y: readonly number[];
}

/** Options of {@linkcode trainNetwork}. */
export interface TrainOptions {
  /** Epochs at most. */
  epochs: number;
  /** Default "adam". */
  optimizer?: NetOptimizer;
  /** Default 1e-3. */
  learningRate?: number;
  /** Default 32 (the whole set if smaller). */
  batchSize?: number;
  /** Seed of the weights, dropout and batch order. Default 0. */
  seed?: number;
  /** Held-out samples: their loss and accuracy are reported per epoch and drive early stopping. */
  validation?: LabelledData;
  /** Stop when the validation loss (training loss without validation) has not improved by `minDelta` for `patience` epochs. */
  earlyStopping?: { patience: number; minDelta?: number };
  /**
   * Rows whose every layer is captured. Default: the training rows.
   */
  probe?: readonly (readonly number[])[];
  /**
   * Epochs after which to capture (0 is before training), or
   * `{ count }` for about `count` log-spaced epochs from 0 to the last.
   * Default `{ count: 20 }`. The last epoch run is always captured.
   */
  captureEpochs?: readonly number[] | { count: number };
  /** Called after each epoch with its metrics (may be async). */
  onEpoch?: (metrics: EpochMetrics) => void | Promise<void>;
  /** Keep the trained network (the caller disposes it); by default it is disposed. */
  keepNetwork?: boolean;
}

/** What one epoch reports. */
export interface EpochMetrics {
  /** The epoch, 1-based. */
  epoch: number;
  /**
   * Mean softmax cross-entropy over the epoch's mini-batches (as the weights
   * moved), in nats.
   */
  trainLoss: number;
  /**
   * Share of training rows classified correctly during the epoch, in [0, 1].
   */
  trainAccuracy: number;
  /**
   * Cross-entropy on `validation` after the epoch; absent without validation
   * data.
   */
  validationLoss?: number;
  /**
   * Share of `validation` rows classified correctly after the epoch; absent
   * without validation data.
   */
  validationAccuracy?: number;
  /** Seconds since training started. */
  seconds: number;
}

/** Every layer's output on the probe set, at each captured epoch. */
export interface ActivationCapture {
  /** The captured epochs, ascending (0 = before training). */
  epochs: number[];
  /**
   * The captured layers, in `activations[c]`'s order (the last is the output).
   */
  layers: LayerInfo[];
  /** Probe rows. */
  rows: number;
  /** `activations[c][l]`: rows × units of layer l at checkpoint c, row-major. The output layer is softmax probabilities. */
  activations: Float32Array[][];
}

/** What {@linkcode trainNetwork} returns. */
export interface TrainResult {
  /** The trained architecture's `architectureId`, e.g. "mlp:12-10-7-5-4-3-2:tanh". */
  id: string;
  /** One entry per epoch run. */
  history: EpochMetrics[];
  /** Every layer's output on the probe rows at the captured epochs. */
  capture: ActivationCapture;
  /** Trainable parameters of the network. */
  parameters: number;
  /** Epochs run (fewer than asked when early stopping fired or the loss diverged). */
  epochs: number;
  /** Why training ended: "epochs", "early-stopping" or "diverged". */
  stopped: "epochs" | "early-stopping" | "diverged";
  /** The network, only with `keepNetwork: true`. */
  network?: Network;
}

/**
 * About `count` distinct epochs from 0 to `epochs`, log-spaced (0, 1, 2, …
 * then geometric), always including 0 and `epochs`.
 *
 * @example
 * ```ts
 * import { logSpacedEpochs } from "./train.ts";
 * const e = logSpacedEpochs(1000, 10);
 * if (e[0] !== 0 || e.at(-1) !== 1000) throw new Error(String(e));
 * ```
 */
export function logSpacedEpochs(epochs: number, count: number): number[] {
  const set = new Set<number>([0, epochs]);
  for (let i = 0; i < count - 1; i++) {
    set.add(Math.round(Math.exp((i / (count - 2)) * Math.log(epochs + 1)) - 1));
  }
  return [...set].filter((e) => e >= 0 && e <= epochs).sort((a, b) => a - b);
}

/** A tfjs optimiser by name, with a clear error for an unknown one. */
export function makeOptimizer(name: NetOptimizer, lr: number): tf.Optimizer {
  switch (name) {
    case "adam":
      return tf.train.adam(lr);
    case "sgd":
      return tf.train.sgd(lr);
    case "rmsprop":
      return tf.train.rmsprop(lr);
    default:
      throw new NetError(
        `unknown optimizer "${name}"; use adam, sgd or rmsprop`,
      );
  }
}

function checkData(data: LabelledData, name: string, a: Architecture): void {
  const d = inputSize(a);
  if (!data || !Array.isArray(data.x) || !Array.isArray(data.y)) {
    throw new NetError(`${name} must be { x: number[][], y: number[] }`);
  }
  if (data.x.length === 0) throw new NetError(`${name} has no rows`);
  if (data.x.length !== data.y.length) {
    throw new NetError(
      `${name}.x has ${data.x.length} rows but ${name}.y has ${data.y.length} labels`,
    );
  }
  data.x.forEach((row, i) => {
    if (!Array.isArray(row)) {
      throw new NetError(
        `${name}.x row ${i} is ${row}, not an array of numbers`,
      );
    }
    if (row.length !== d) {
      throw new NetError(
        `${name}.x row ${i} has ${row.length} features; the architecture takes ${d}`,
      );
    }
    for (const v of row) {
      if (!Number.isFinite(v)) {
        throw new NetError(
          `${name}.x row ${i} holds ${v}; remove or impute non-finite values first`,
        );
      }
    }
  });
  data.y.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0 || c >= a.outputs) {
      throw new NetError(
        `${name}.y[${i}] is ${c}; labels must be integers in 0..${
          a.outputs - 1
        } (outputs = ${a.outputs})`,
      );
    }
  });
}

/** @internal What {@linkcode checkTrainSettings} returns, defaults applied. */
export interface TrainSettings {
  epochs: number;
  lr: number;
  batchSize: number;
  seed: number;
  patience: number | undefined;
  minDelta: number;
}

/**
 * @internal The settings every trainer checks alike (`trainNetwork`,
 * `trainKernelCnn`): the options object, epochs, learning rate, batch
 * size, seed, early stopping and `onEpoch`, with their defaults.
 */
export function checkTrainSettings(
  options: TrainOptions,
  caller: string,
): TrainSettings {
  if (!options || typeof options !== "object") {
    throw new NetError(
      `${caller} needs options such as { epochs: 10 }, got ${options}`,
    );
  }
  const epochs = options.epochs;
  if (!Number.isInteger(epochs) || epochs < 0) {
    throw new NetError(`epochs must be a non-negative integer, got ${epochs}`);
  }
  const lr = options.learningRate ?? 1e-3;
  if (typeof lr !== "number" || !(lr > 0) || lr === Infinity) {
    throw new NetError(
      `learningRate must be a positive finite number, got ${lr}`,
    );
  }
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new NetError(
      `batchSize must be a positive integer, got ${batchSize}`,
    );
  }
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) {
    throw new NetError(`seed must be a safe integer, got ${seed}`);
  }
  const stopping = options.earlyStopping;
  if (
    stopping !== undefined && (!stopping || typeof stopping !== "object")
  ) {
    throw new NetError(
      `earlyStopping must be { patience, minDelta? }, got ${stopping}`,
    );
  }
  const patience = stopping?.patience;
  if (
    patience !== undefined && (!Number.isInteger(patience) || patience < 1)
  ) {
    throw new NetError(
      `earlyStopping.patience must be a positive integer, got ${patience}`,
    );
  }
  const minDelta = stopping?.minDelta ?? 0;
  if (typeof minDelta !== "number" || !(minDelta >= 0 && minDelta < Infinity)) {
    throw new NetError(
      `earlyStopping.minDelta must be a finite number >= 0, got ${minDelta}`,
    );
  }
  if (
    options.onEpoch !== undefined && typeof options.onEpoch !== "function"
  ) {
    throw new NetError(`onEpoch must be a function, got ${options.onEpoch}`);
  }
  return { epochs, lr, batchSize, seed, patience, minDelta };
}

function captureEpochList(
  spec: TrainOptions["captureEpochs"],
  epochs: number,
): Set<number> {
  if (spec === undefined) return new Set(logSpacedEpochs(epochs, 20));
  if (Array.isArray(spec)) {
    for (const e of spec) {
      if (!Number.isInteger(e) || e < 0 || e > epochs) {
        throw new NetError(
          `captureEpochs holds ${e}; each must be an integer in 0..${epochs}`,
        );
      }
    }
    return new Set([...spec, epochs]);
  }
  const count = spec && typeof spec === "object"
    ? (spec as { count: number }).count
    : NaN;
  if (!Number.isInteger(count) || count < 2) {
    throw new NetError(
      `captureEpochs must be a list of epochs or { count } with an integer count >= 2, got ${
        JSON.stringify(spec)
      }`,
    );
  }
  return new Set(logSpacedEpochs(epochs, count));
}

/** Reads every layer on the probe rows in one forward pass. */
async function captureLayers(
  net: Network,
  probe: tf.Tensor2D,
): Promise<Float32Array[]> {
  const outs = tf.tidy(() => {
    const raw = net.probe.predict(probe) as tf.Tensor | tf.Tensor[];
    const list = Array.isArray(raw) ? raw : [raw];
    list[list.length - 1] = tf.softmax(list[list.length - 1]);
    return list;
  });
  try {
    return await Promise.all(
      outs.map(async (t) => new Float32Array(await t.data() as Float32Array)),
    );
  } finally {
    tf.dispose(outs);
  }
}

/**
 * Trains a classifier (softmax cross-entropy) and captures every layer on a
 * probe set at the chosen epochs.
 *
 * @example
 * ```ts
 * import { trainNetwork } from "./train.ts";
 * import { twelveBit } from "../data/twelve_bit.ts";
 * const { x, y } = twelveBit();
 * const r = await trainNetwork(
 *   { kind: "mlp", inputs: 12, widths: [10, 7, 5, 4, 3], outputs: 2, activation: "tanh" },
 *   { x, y },
 *   { epochs: 3, batchSize: 512, captureEpochs: [0, 3] },
 * );
 * if (r.capture.activations.length !== 2) throw new Error("two checkpoints");
 * if (r.capture.activations[0][0].length !== 4096 * 10) throw new Error("4,096 rows × 10 units");
 * ```
 */
export async function trainNetwork(
  architecture: Architecture,
  train: LabelledData,
  options: TrainOptions,
): Promise<TrainResult> {
  await ensureBackend();
  // Everything is checked before the network is built, so a refusal leaves
  // nothing allocated behind it.
  validateArchitecture(architecture);
  const { epochs, lr, batchSize, seed, patience, minDelta } =
    checkTrainSettings(options, "trainNetwork");
  checkData(train, "train", architecture);
  if (options.validation) {
    checkData(options.validation, "validation", architecture);
  }
  const probeRows = options.probe ?? train.x;
  if (!Array.isArray(probeRows)) {
    throw new NetError(`probe must be rows of numbers, got ${probeRows}`);
  }
  checkData(
    { x: probeRows, y: probeRows.map(() => 0) },
    "probe",
    architecture,
  );
  const captureAt = captureEpochList(options.captureEpochs, epochs);
  const optimizer = options.optimizer ?? "adam";
  if (!["adam", "sgd", "rmsprop"].includes(optimizer)) {
    throw new NetError(
      `unknown optimizer "${optimizer}"; use adam, sgd or rmsprop`,
    );
  }
  checkTrainingMemory(architecture, {
    rows: train.x.length,
    batchSize,
    probeRows: probeRows.length,
    validationRows: options.validation?.x.length ?? 0,
    optimizer,
  });
  try {
    return await trainChecked(architecture, train, options, {
      epochs,
      lr,
      batchSize,
      seed,
      patience,
      minDelta,
      probeRows,
      captureAt,
      optimizer,
    });
  } catch (e) {
    if (!isHeapFailure(e)) throw e;
    // The heap is corrupt: every later call would fail the same way.
    await resetWasmBackend();
    throw new BackendError(
      `the WebAssembly backend ran out of memory while training ${
        architectureIdOrKind(architecture)
      } (${
        (e as Error).message
      }); it was restarted so the process goes on, but tensors made before are lost. ` +
        `Use smaller widths, a smaller batchSize or fewer probe rows, or the "cpu" or "tensorflow" backend`,
    );
  }
}

function architectureIdOrKind(a: Architecture): string {
  return a.kind === "mlp"
    ? `an MLP of widths [${a.widths.join(", ")}]`
    : `a CNN of filters [${a.filters.join(", ")}]`;
}

/** The checked settings {@linkcode trainNetwork} passes on. */
interface Settings extends TrainSettings {
  probeRows: readonly (readonly number[])[];
  captureAt: Set<number>;
  optimizer: NetOptimizer;
}

async function trainChecked(
  architecture: Architecture,
  train: LabelledData,
  options: TrainOptions,
  settings: Settings,
): Promise<TrainResult> {
  const { epochs, lr, batchSize, patience, probeRows, captureAt } = settings;
  const net = buildNetwork(architecture, settings.seed);
  const opt = makeOptimizer(settings.optimizer, lr);
  // Every tensor of the run, disposed however it ends.
  const held: tf.Tensor[] = [];
  const hold = <T extends tf.Tensor>(t: T): T => {
    held.push(t);
    return t;
  };
  let keep = false;
  try {
    const classes = architecture.outputs;
    const x = hold(tf.tensor2d(train.x as number[][]));
    const oneHot = (labels: readonly number[]) =>
      hold(
        tf.tidy(() =>
          tf.oneHot(tf.tensor1d(labels as number[], "int32"), classes)
        ),
      );
    const y = oneHot(train.y);
    const probe = hold(tf.tensor2d(probeRows as number[][]));
    const vx = options.validation
      ? hold(tf.tensor2d(options.validation.x as number[][]))
      : null;
    const vy = options.validation ? oneHot(options.validation.y) : null;
    const n = train.x.length;
    const b = Math.min(batchSize, n);
    const random = new Random(settings.seed, "net-batches");
    const history: EpochMetrics[] = [];
    const capture: ActivationCapture = {
      epochs: [],
      layers: net.layers,
      rows: probeRows.length,
      activations: [],
    };
    const start = performance.now();
    const stopper = new EpochStopper(epochs, patience, settings.minDelta);
    if (captureAt.has(0)) {
      capture.epochs.push(0);
      capture.activations.push(await captureLayers(net, probe));
    }
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = random.permutation(n);
      // Loss and correct-count sums stay on the backend until the epoch ends.
      let lossSum: tf.Scalar = tf.scalar(0);
      let correct: tf.Scalar = tf.scalar(0);
      let summary: tf.Tensor;
      try {
        for (let s = 0; s < n; s += b) {
          const rows = order.slice(s, s + b);
          const idx = tf.tensor1d(rows, "int32");
          let logits: tf.Tensor | null = null;
          let yb: tf.Tensor | null = null;
          let loss: tf.Scalar | null = null;
          let next: [tf.Scalar, tf.Scalar];
          try {
            loss = opt.minimize(() => {
              const xb = tf.gather(x, idx);
              yb = tf.keep(tf.gather(y, idx));
              logits = tf.keep(
                net.model.apply(xb, { training: true }) as tf.Tensor,
              );
              return tf.losses.softmaxCrossEntropy(yb, logits) as tf.Scalar;
            }, true) as tf.Scalar;
            next = tf.tidy(() => [
              tf.add(lossSum, tf.mul(loss!, rows.length)),
              tf.add(
                correct,
                tf.sum(tf.cast(
                  tf.equal(tf.argMax(logits!, 1), tf.argMax(yb!, 1)),
                  "float32",
                )),
              ),
            ]) as [tf.Scalar, tf.Scalar];
          } finally {
            // a step that throws leaves nothing behind either
            tf.dispose([idx, ...[loss, logits, yb].filter((t) => t !== null)]);
          }
          tf.dispose([lossSum, correct]);
          [lossSum, correct] = next;
        }
        summary = tf.tidy(() => {
          const parts = [tf.div(lossSum, n), tf.div(correct, n)];
          if (vx && vy) {
            const out = net.model.predict(vx) as tf.Tensor;
            parts.push(
              tf.losses.softmaxCrossEntropy(vy, out) as tf.Scalar,
              tf.mean(tf.cast(
                tf.equal(tf.argMax(out, 1), tf.argMax(vy, 1)),
                "float32",
              )),
            );
          }
          return tf.stack(parts);
        });
      } finally {
        tf.dispose([lossSum, correct]);
      }
      let values: Awaited<ReturnType<tf.Tensor["data"]>>;
      try {
        values = await summary.data(); // the epoch's one read-back
      } finally {
        summary.dispose();
      }
      const metrics: EpochMetrics = {
        epoch,
        trainLoss: values[0],
        trainAccuracy: values[1],
        ...(vx
          ? { validationLoss: values[2], validationAccuracy: values[3] }
          : {}),
        seconds: (performance.now() - start) / 1000,
      };
      history.push(metrics);
      await options.onEpoch?.(metrics);
      const stopNow = stopper.after(metrics);
      if (captureAt.has(epoch) || stopNow) {
        capture.epochs.push(epoch);
        capture.activations.push(await captureLayers(net, probe));
      }
      if (stopNow) break;
    }
    keep = options.keepNetwork ?? false;
    return {
      id: net.id,
      history,
      capture,
      parameters: net.parameters,
      epochs: history.length,
      stopped: stopper.stopped,
      ...(keep ? { network: net } : {}),
    };
  } finally {
    tf.dispose(held);
    opt.dispose();
    if (!keep) net.dispose();
  }
}
