/**
 * {@linkcode trainNetwork}'s loop for the CNNs {@linkcode KernelCnn} runs,
 * on the matrix kernel: the same starting weights (the tfjs network's seeded
 * Glorot draw), the same batch order, Adam or SGD with tfjs's formulas, and
 * the same {@linkcode TrainResult} (history, captured layers), so a caller
 * can swap one for the other. Results agree with tfjs up to float32
 * rounding (tested against tfjs step by step), not bit for bit.
 *
 * @module
 */

import { ensureBackend } from "./backend.ts";
import { Random } from "../space/random.ts";
import { EpochStopper } from "./_early_stopping.ts";
import {
  buildNetwork,
  type CnnArchitecture,
  NetError,
} from "./architecture.ts";
import { checkKernelCnn, KernelCnn } from "./kernel_cnn.ts";
import {
  type ActivationCapture,
  checkTrainSettings,
  type EpochMetrics,
  type LabelledData,
  logSpacedEpochs,
  type TrainOptions,
  type TrainResult,
} from "./train.ts";

/** Options of {@linkcode trainKernelCnn}: {@linkcode TrainOptions} less `keepNetwork`, plus threads. */
export interface KernelTrainOptions extends Omit<TrainOptions, "keepNetwork"> {
  /** Threads the kernel splits large products over (default 1). */
  threads?: number;
}

/**
 * Adam as tf.train.adam computes it (β₁ 0.9, β₂ 0.999, ε 1e-7; bias
 * corrections on the moments), or plain SGD, on a flat vector in place.
 */
class Optimiser {
  readonly #m: Float64Array;
  readonly #v: Float64Array;
  #t = 0;

  constructor(
    readonly kind: "adam" | "sgd",
    readonly lr: number,
    size: number,
  ) {
    this.#m = new Float64Array(kind === "adam" ? size : 0);
    this.#v = new Float64Array(kind === "adam" ? size : 0);
  }

  step(theta: Float32Array, g: Float32Array): void {
    if (this.kind === "sgd") {
      for (let i = 0; i < g.length; i++) theta[i] -= this.lr * g[i];
      return;
    }
    this.#t++;
    const [b1, b2, eps] = [0.9, 0.999, 1e-7];
    const c1 = 1 - b1 ** this.#t;
    const c2 = 1 - b2 ** this.#t;
    const [m, v] = [this.#m, this.#v];
    for (let i = 0; i < g.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      theta[i] -= this.lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
    }
  }
}

/** Rows as one flat float32 array. */
function flat(rows: readonly (readonly number[])[]): Float32Array {
  const d = rows[0]?.length ?? 0;
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => out.set(r, i * d));
  return out;
}

/** Runs `rows` forward in chunks of the capacity; calls `each` after every chunk. */
function forwardAll(
  cnn: KernelCnn,
  x: Float32Array,
  rows: number,
  each: (start: number, n: number) => void,
): void {
  const d = x.length / rows;
  for (let s = 0; s < rows; s += cnn.capacity) {
    const n = Math.min(cnn.capacity, rows - s);
    cnn.input(n).set(x.subarray(s * d, (s + n) * d));
    cnn.forward(n);
    each(s, n);
  }
}

/** Every conv layer and the softmax output on the probe rows. */
function captureAll(cnn: KernelCnn, probe: Float32Array, rows: number) {
  const layers = cnn.architecture.filters.length;
  const [h, w] = cnn.architecture.inputShape;
  const classes = cnn.architecture.outputs;
  const out = [
    ...cnn.architecture.filters.map((f) => new Float32Array(rows * h * w * f)),
    new Float32Array(rows * classes),
  ];
  forwardAll(cnn, probe, rows, (s, n) => {
    for (let l = 0; l < layers; l++) {
      const units = h * w * cnn.architecture.filters[l];
      out[l].set(cnn.activation(l, n), s * units);
    }
    const z = cnn.logits(n);
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, z[i * classes + c]);
      let sum = 0;
      for (let c = 0; c < classes; c++) {
        sum += Math.exp(z[i * classes + c] - max);
      }
      for (let c = 0; c < classes; c++) {
        out[layers][(s + i) * classes + c] =
          Math.exp(z[i * classes + c] - max) /
          sum;
      }
    }
  });
  return out;
}

function checkRows(data: LabelledData, name: string, d: number, k: number) {
  if (!data || !Array.isArray(data.x) || !Array.isArray(data.y)) {
    throw new NetError(`${name} must be { x: number[][], y: number[] }`);
  }
  if (data.x.length === 0 || data.x.length !== data.y.length) {
    throw new NetError(
      `${name} needs as many labels as rows (at least one), got ${data.x.length} rows and ${data.y.length} labels`,
    );
  }
  data.x.forEach((row, i) => {
    if (row.length !== d || !row.every(Number.isFinite)) {
      throw new NetError(
        `${name}.x row ${i} must be ${d} finite numbers; got ${row.length} values`,
      );
    }
  });
  data.y.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0 || c >= k) {
      throw new NetError(
        `${name}.y[${i}] is ${c}; labels must be integers in 0..${k - 1}`,
      );
    }
  });
}

/**
 * Trains a CNN (ReLU, "same" convolutions, no pooling, no hidden dense
 * layers) on the matrix kernel, as {@linkcode trainNetwork} would: same
 * starting weights for the same seed, same batch order, same history and
 * capture (every conv layer, then the softmax output). Optimisers: "adam"
 * (default) and "sgd".
 *
 * @example
 * ```ts
 * import { trainKernelCnn } from "./train_kernel_cnn.ts";
 * import { loadDigits } from "../data/digits.ts";
 * const d = await loadDigits({ scale: true });
 * const [x, y] = [d.x.slice(0, 200), d.y.slice(0, 200)];
 * const run = await trainKernelCnn(
 *   { kind: "cnn", inputShape: [8, 8, 1], filters: [6, 6], pooling: "none", outputs: 10, activation: "relu" },
 *   { x, y },
 *   { epochs: 3, batchSize: 32, learningRate: 3e-3, captureEpochs: [1] },
 * );
 * if (!(run.history[2].trainLoss < run.history[0].trainLoss)) throw new Error("loss falls");
 * if (run.capture.activations[0][0].length !== 200 * 64 * 6) throw new Error();
 * ```
 */
export async function trainKernelCnn(
  architecture: CnnArchitecture,
  train: LabelledData,
  options: KernelTrainOptions,
): Promise<TrainResult> {
  checkKernelCnn(architecture);
  const { epochs, lr, batchSize, seed, patience, minDelta } =
    checkTrainSettings(options, "trainKernelCnn");
  const optimizer = options.optimizer ?? "adam";
  if (optimizer !== "adam" && optimizer !== "sgd") {
    throw new NetError(
      `the kernel CNN trains with "adam" or "sgd", got "${optimizer}"`,
    );
  }
  if ("keepNetwork" in options) {
    throw new NetError(
      `trainKernelCnn keeps no tfjs network; use trainNetwork for keepNetwork`,
    );
  }
  const [h, w, c] = architecture.inputShape;
  const d = h * w * c;
  const classes = architecture.outputs;
  checkRows(train, "train", d, classes);
  if (options.validation) {
    checkRows(options.validation, "validation", d, classes);
  }
  const probeRows = options.probe ?? train.x;
  checkRows(
    { x: probeRows, y: probeRows.map(() => 0) },
    "probe",
    d,
    classes,
  );
  const spec = options.captureEpochs ?? { count: 20 };
  const bad = Array.isArray(spec)
    ? spec.find((e) => !Number.isInteger(e) || e < 0 || e > epochs)
    : Number.isInteger((spec as { count: number }).count) &&
        (spec as { count: number }).count >= 2
    ? undefined
    : JSON.stringify(spec);
  if (bad !== undefined) {
    throw new NetError(
      `captureEpochs must list integers in 0..${epochs} or be { count } with count >= 2; got ${bad}`,
    );
  }
  const captureAt = new Set(
    Array.isArray(spec)
      ? [...spec, epochs]
      : logSpacedEpochs(epochs, (spec as { count: number }).count),
  );

  // The tfjs network of the same seed gives the starting weights.
  await ensureBackend();
  const net = buildNetwork(architecture, seed);
  const layers = net.layers;
  const parameters = net.parameters;
  let start: Float32Array[];
  try {
    start = net.model.getWeights().map((t) => t.dataSync() as Float32Array);
  } finally {
    net.dispose();
  }

  const n = train.x.length;
  const b = Math.min(batchSize, n);
  const cnn = new KernelCnn(architecture, b, options.threads ?? 1);
  try {
    cnn.setWeights(start);
    const opt = new Optimiser(optimizer, lr, cnn.size);
    const x = flat(train.x);
    const probe = flat(probeRows);
    const vx = options.validation ? flat(options.validation.x) : null;
    const vy = options.validation?.y ?? [];
    const random = new Random(seed, "net-batches");
    const history: EpochMetrics[] = [];
    const capture: ActivationCapture = {
      epochs: [],
      layers,
      rows: probeRows.length,
      activations: [],
    };
    const t0 = performance.now();
    const stopper = new EpochStopper(epochs, patience, minDelta);
    if (captureAt.has(0)) {
      capture.epochs.push(0);
      capture.activations.push(captureAll(cnn, probe, probeRows.length));
    }
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = random.permutation(n);
      let lossSum = 0;
      let correct = 0;
      for (let s = 0; s < n; s += b) {
        const rows = order.slice(s, s + b);
        const input = cnn.input(rows.length);
        rows.forEach((r, i) =>
          input.set(x.subarray(r * d, (r + 1) * d), i * d)
        );
        cnn.forward(rows.length);
        const step = cnn.loss(rows.length, rows.map((r) => train.y[r]));
        lossSum += step.loss * rows.length;
        correct += step.correct;
        cnn.backward(rows.length);
        opt.step(cnn.theta, cnn.grad);
      }
      const metrics: EpochMetrics = {
        epoch,
        trainLoss: lossSum / n,
        trainAccuracy: correct / n,
        seconds: 0,
      };
      if (vx) {
        let vLoss = 0;
        let vCorrect = 0;
        forwardAll(cnn, vx, vy.length, (s, m) => {
          const r = cnn.loss(m, vy.slice(s, s + m));
          vLoss += r.loss * m;
          vCorrect += r.correct;
        });
        metrics.validationLoss = vLoss / vy.length;
        metrics.validationAccuracy = vCorrect / vy.length;
      }
      metrics.seconds = (performance.now() - t0) / 1000;
      history.push(metrics);
      await options.onEpoch?.(metrics);
      const stopNow = stopper.after(metrics);
      if (captureAt.has(epoch) || stopNow) {
        capture.epochs.push(epoch);
        capture.activations.push(captureAll(cnn, probe, probeRows.length));
      }
      if (stopNow) break;
    }
    return {
      id: net.id,
      history,
      capture,
      parameters,
      epochs: history.length,
      stopped: stopper.stopped,
    };
  } finally {
    cnn.close();
  }
}
