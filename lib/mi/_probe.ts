/**
 * The Barber-Agakov lower bound from a probe classifier:
 *
 *   I(X; Y) ≥ H(Y) − E[−ln q(y | x)],
 *
 * for any classifier q; the expectation is the cross-entropy on held-out
 * samples. A softmax regression (or a one-hidden-layer MLP) is trained with
 * Adam on a training split, stopped early on a validation split carved from
 * it, and scored on the test split, which it never saw. Plain TypeScript,
 * so the same seed gives the same bound on every backend.
 *
 * @module
 */

import type { Matrix } from "../_math/linalg.ts";
import { Random } from "../space/random.ts";
import { labelEntropy, labelsOf } from "./_labels.ts";
import { MIError } from "./input.ts";

/**
 * Options of the probe bound, `estimateMI(x, labels, { method: "probe" })`.
 */
export interface ProbeOptions {
  /** `"linear"` (softmax regression, the default) or `"mlp"` (one ReLU hidden layer). */
  classifier?: "linear" | "mlp";
  /** Hidden units of the MLP. Default 32. */
  hidden?: number;
  /** Adam's step size. Default 0.05. */
  learningRate?: number;
  /** Samples per step. Default 128. */
  batchSize?: number;
  /** At most this many passes over the training split. Default 200. */
  maxEpochs?: number;
  /** Stop after this many epochs without a better validation loss. Default 10. */
  patience?: number;
  /** Share of the samples held out for the bound. Default 0.3. */
  testFraction?: number;
  /** Share of the rest held out for early stopping. Default 0.2. */
  validationFraction?: number;
  /** Seed of the split, the initial weights and the batches. Default 0. */
  seed?: number;
}

/** What the probe reports. */
export interface ProbeResult {
  /** H(Y) − held-out cross-entropy, in nats. */
  estimate: number;
  /** Its standard error over the test samples (of their log-losses). */
  standardError: number;
  /** The plug-in H(Y) of all labels, nats: the bound's ceiling. */
  entropy: number;
  /** Epochs trained (the best one's weights are kept). */
  steps: number;
  /** The bound on the validation split, H(Y) − its cross-entropy, after each epoch. */
  trace: number[];
}

interface Layer {
  w: Float64Array; // inputs × outputs
  b: Float64Array;
  inputs: number;
  outputs: number;
}

/** Adam state of one parameter array. */
class Adam {
  m: Float64Array;
  v: Float64Array;
  constructor(size: number) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }
  step(p: Float64Array, g: Float64Array, lr: number, t: number): void {
    const b1 = 0.9, b2 = 0.999;
    const c1 = 1 - b1 ** t, c2 = 1 - b2 ** t;
    for (let i = 0; i < p.length; i++) {
      this.m[i] = b1 * this.m[i] + (1 - b1) * g[i];
      this.v[i] = b2 * this.v[i] + (1 - b2) * g[i] * g[i];
      p[i] -= (lr * this.m[i] / c1) / (Math.sqrt(this.v[i] / c2) + 1e-8);
    }
  }
}

function layer(inputs: number, outputs: number, r: Random): Layer {
  const limit = Math.sqrt(6 / (inputs + outputs)); // Glorot uniform
  return {
    w: r.uniforms(inputs * outputs, -limit, limit),
    b: new Float64Array(outputs),
    inputs,
    outputs,
  };
}

/** out = a·W + b for one row. */
function affine(l: Layer, a: Float64Array, out: Float64Array): void {
  out.set(l.b);
  for (let i = 0; i < l.inputs; i++) {
    const v = a[i];
    if (v === 0) continue;
    const row = i * l.outputs;
    for (let j = 0; j < l.outputs; j++) out[j] += v * l.w[row + j];
  }
}

/** −ln softmax(z)[y], leaving softmax(z) in z. */
function softmaxLoss(z: Float64Array, y: number): number {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (let j = 0; j < z.length; j++) sum += z[j] = Math.exp(z[j] - max);
  for (let j = 0; j < z.length; j++) z[j] /= sum;
  return -Math.log(Math.max(z[y], 1e-300));
}

/**
 * Trains the probe and returns the bound; see {@linkcode ProbeOptions}.
 * y's distinct rows are the classes (labels or one-hot rows alike).
 *
 * @example
 * ```ts
 * import { probe } from "./_probe.ts";
 * // Two separable classes: the bound reaches H(Y) = ln 2.
 * const n = 600;
 * const x = Float64Array.from({ length: n }, (_, i) => (i % 2) * 6 + Math.sin(i));
 * const y = Float64Array.from({ length: n }, (_, i) => i % 2);
 * const r = probe({ rows: n, cols: 1, data: x }, { rows: n, cols: 1, data: y });
 * if (Math.abs(r.estimate - Math.LN2) > 0.05) throw new Error(String(r.estimate));
 * ```
 */
export function probe(
  x: Matrix,
  y: Matrix,
  options: ProbeOptions = {},
): ProbeResult {
  const classifier = options.classifier ?? "linear";
  const hidden = options.hidden ?? 32;
  const lr = options.learningRate ?? 0.05;
  const batchSize = options.batchSize ?? 128;
  const maxEpochs = options.maxEpochs ?? 200;
  const patience = options.patience ?? 10;
  const testFraction = options.testFraction ?? 0.3;
  const validationFraction = options.validationFraction ?? 0.2;
  if (classifier !== "linear" && classifier !== "mlp") {
    throw new MIError(
      `probe: classifier must be "linear" or "mlp", got ${classifier}`,
    );
  }
  for (
    const [name, v] of [
      ["hidden", hidden],
      ["batchSize", batchSize],
      ["maxEpochs", maxEpochs],
      ["patience", patience],
    ] as const
  ) {
    if (!Number.isInteger(v) || v < 1) {
      throw new MIError(`probe: ${name} must be a positive integer, got ${v}`);
    }
  }
  for (
    const [name, v] of [
      ["testFraction", testFraction],
      ["validationFraction", validationFraction],
    ] as const
  ) {
    if (typeof v !== "number" || !(v > 0 && v < 1)) {
      throw new MIError(`probe: ${name} must be in (0, 1), got ${v}`);
    }
  }
  if (typeof lr !== "number" || !(lr > 0 && lr < Infinity)) {
    throw new MIError(
      `probe: learningRate must be a positive finite number, got ${lr}`,
    );
  }
  const n = x.rows, d = x.cols;
  const nTest = Math.round(n * testFraction);
  const nVal = Math.round((n - nTest) * validationFraction);
  const nTrain = n - nTest - nVal;
  if (nTest < 1 || nVal < 1 || nTrain < 2) {
    throw new MIError(
      `probe: ${n} samples are too few to split into training, validation and test samples`,
    );
  }
  const { labels, counts } = labelsOf(y);
  const classes = counts.length;
  const entropy = labelEntropy(counts);
  const r = new Random(options.seed ?? 0, "probe");
  const order = r.permutation(n);
  const test = order.slice(0, nTest);
  const val = order.slice(nTest, nTest + nVal);
  const train = order.slice(nTest + nVal);

  // Standardise with the training split's moments (the bound is invariant).
  const mean = new Float64Array(d), std = new Float64Array(d);
  for (const i of train) {
    for (let j = 0; j < d; j++) mean[j] += x.data[i * d + j] / nTrain;
  }
  for (const i of train) {
    for (let j = 0; j < d; j++) {
      std[j] += (x.data[i * d + j] - mean[j]) ** 2 / nTrain;
    }
  }
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]) || 1;
  const row = (i: number, out: Float64Array) => {
    for (let j = 0; j < d; j++) out[j] = (x.data[i * d + j] - mean[j]) / std[j];
  };

  const layers = classifier === "linear"
    ? [layer(d, classes, r)]
    : [layer(d, hidden, r), layer(hidden, classes, r)];
  const acts = [
    new Float64Array(d),
    ...layers.map((l) => new Float64Array(l.outputs)),
  ];
  const deltas = layers.map((l) => new Float64Array(l.outputs));
  const gw = layers.map((l) => new Float64Array(l.w.length));
  const gb = layers.map((l) => new Float64Array(l.b.length));
  const adamW = layers.map((l) => new Adam(l.w.length));
  const adamB = layers.map((l) => new Adam(l.b.length));

  /** Loss of sample i; leaves activations (softmax on top) in `acts`. */
  const forward = (i: number): number => {
    row(i, acts[0]);
    for (let l = 0; l < layers.length; l++) {
      affine(layers[l], acts[l], acts[l + 1]);
      if (l < layers.length - 1) {
        const a = acts[l + 1];
        for (let j = 0; j < a.length; j++) if (a[j] < 0) a[j] = 0; // ReLU
      }
    }
    return softmaxLoss(acts[layers.length], labels[i]);
  };
  const losses = (rows: number[]): Float64Array =>
    Float64Array.from(rows, (i) => forward(i));
  const meanOf = (v: Float64Array) => v.reduce((a, b) => a + b, 0) / v.length;
  const snapshot = () => layers.map((l) => [l.w.slice(), l.b.slice()]);

  let best = meanOf(losses(val));
  let bestWeights = snapshot();
  let bestEpoch = 0, t = 0, epoch = 0;
  const trace: number[] = [];
  while (epoch < maxEpochs && epoch - bestEpoch < patience) {
    epoch++;
    r.shuffle(train);
    for (let s = 0; s < nTrain; s += batchSize) {
      const batch = train.slice(s, s + batchSize);
      for (const g of [...gw, ...gb]) g.fill(0);
      for (const i of batch) {
        forward(i);
        // d loss / d logits = softmax − one-hot, averaged over the batch.
        const top = layers.length - 1;
        deltas[top].set(acts[top + 1]);
        deltas[top][labels[i]] -= 1;
        for (let l = top; l >= 0; l--) {
          const L = layers[l], a = acts[l], dl = deltas[l];
          for (let j = 0; j < L.outputs; j++) gb[l][j] += dl[j] / batch.length;
          for (let p = 0; p < L.inputs; p++) {
            const v = a[p] / batch.length;
            if (v === 0) continue;
            for (let j = 0; j < L.outputs; j++) {
              gw[l][p * L.outputs + j] += v * dl[j];
            }
          }
          if (l > 0) {
            const below = deltas[l - 1];
            for (let p = 0; p < L.inputs; p++) {
              if (a[p] <= 0) { // ReLU's gradient
                below[p] = 0;
                continue;
              }
              let s2 = 0;
              for (let j = 0; j < L.outputs; j++) {
                s2 += L.w[p * L.outputs + j] * dl[j];
              }
              below[p] = s2;
            }
          }
        }
      }
      t++;
      layers.forEach((L, l) => {
        adamW[l].step(L.w, gw[l], lr, t);
        adamB[l].step(L.b, gb[l], lr, t);
      });
    }
    const loss = meanOf(losses(val));
    trace.push(entropy - loss);
    if (loss < best) {
      best = loss;
      bestWeights = snapshot();
      bestEpoch = epoch;
    }
  }
  layers.forEach((L, l) => {
    L.w.set(bestWeights[l][0]);
    L.b.set(bestWeights[l][1]);
  });
  const testLoss = losses(test);
  const ce = meanOf(testLoss);
  let variance = 0;
  for (const v of testLoss) variance += (v - ce) ** 2 / Math.max(1, nTest - 1);
  return {
    estimate: entropy - ce,
    standardError: Math.sqrt(variance / nTest),
    entropy,
    steps: epoch,
    trace,
  };
}
