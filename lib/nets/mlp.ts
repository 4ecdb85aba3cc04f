/**
 * A small multilayer perceptron trained from hyperparameter settings, for
 * hyperparameter studies (HSIC sweeps, search benchmarks): seeded
 * initialisation, dropout and batch order, so the same settings and seed give
 * the same test error on the same backend.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { ensureBackend } from "./backend.ts";
import { Random } from "../space/random.ts";
import { makeOptimizer } from "./train.ts";

/** Hidden-layer activations. */
export type Activation = "relu" | "tanh" | "elu" | "sigmoid";
/** Weight initialisations. */
export type Init = "glorotUniform" | "heNormal" | "leCunNormal";
/** Optimisers. */
export type OptimizerName = "adam" | "sgd" | "rmsprop";
/** Training losses for regression; classification always uses cross-entropy. */
export type RegressionLoss = "mse" | "mae" | "huber";

/** What an MLP is and how it is trained. */
export interface MlpSettings {
  /** Hidden widths, e.g. [32, 32]. */
  hidden: number[];
  /** Activation of every hidden layer. */
  activation: Activation;
  /** Dropout rate after each hidden layer, in [0, 1). */
  dropout: number;
  /** L2 penalty on the weights (not biases). */
  weightDecay: number;
  /** Weight initialisation of every dense layer (seeded from `seed`). */
  init: Init;
  /** The optimiser that minimises the loss. */
  optimizer: OptimizerName;
  /** The optimiser's learning rate. */
  learningRate: number;
  /** Rows per mini-batch. */
  batchSize: number;
  /** Passes over the training rows. */
  epochs: number;
  /** Regression training loss; ignored for classification. */
  loss: RegressionLoss;
  /**
   * Seed of the initial weights, dropout and batch order: same settings and
   * seed, same test error on the same backend.
   */
  seed: number;
}

/** Rows of features and targets: numbers per row (regression) or class ids. */
export interface Supervised {
  /** n rows of input features. */
  x: number[][];
  /** Regression: n rows of outputs. Classification: n class ids. */
  y: number[][] | number[];
}

/** What training reports. */
export interface MlpResult {
  /** Regression: test mean squared error (over outputs). Classification: test error rate. */
  testError: number;
  /** The last epoch's mean training loss (NaN if it diverged). */
  trainLoss: number;
  /** Epochs run: fewer than asked when the loss became NaN or infinite. */
  epochs: number;
  /** Number of trainable parameters. */
  parameters: number;
}

/**
 * The seed handed to tfjs's normal initialisers. Their generator reads seed
 * 0 as "no seed" (`seed ? seed : Math.random()` in tfjs-core 4.22's
 * rand_util), so a network with seed 0 got fresh random first-layer weights
 * on every call; 0.5 is never one of the integer seeds. tfjs's uniform
 * generator tests `seed == null`, so glorotUniform keeps 0.
 */
function normalSeed(seed: number): number {
  return seed === 0 ? 0.5 : seed;
}

function initializer(init: Init, seed: number) {
  switch (init) {
    case "glorotUniform":
      return tf.initializers.glorotUniform({ seed });
    case "heNormal":
      return tf.initializers.heNormal({ seed: normalSeed(seed) });
    case "leCunNormal":
      return tf.initializers.leCunNormal({ seed: normalSeed(seed) });
    default:
      throw new Error(
        `unknown init "${init}"; use glorotUniform, heNormal or leCunNormal`,
      );
  }
}

/**
 * Trains an MLP on `train` and reports its error on `test`. `classes` > 0
 * makes it a classifier (softmax cross-entropy, error rate); otherwise a
 * regression with a linear output per target column (test MSE).
 *
 * @example
 * ```ts ignore
 * import { trainMlp } from "./mlp.ts";
 * const x = Array.from({ length: 64 }, (_, i) => [i / 32 - 1]);
 * const y = x.map(([v]) => [v * v]);
 * const r = await trainMlp({ x, y }, { x, y }, {
 *   hidden: [16], activation: "tanh", dropout: 0, weightDecay: 0,
 *   init: "glorotUniform", optimizer: "adam", learningRate: 0.01,
 *   batchSize: 16, epochs: 50, loss: "mse", seed: 0,
 * });
 * console.log(r.testError);
 * ```
 */
export async function trainMlp(
  train: Supervised,
  test: Supervised,
  settings: MlpSettings,
  classes = 0,
): Promise<MlpResult> {
  await ensureBackend();
  const s = settings;
  if (!(s.dropout >= 0 && s.dropout < 1)) {
    throw new RangeError(`dropout must be in [0, 1), got ${s.dropout}`);
  }
  const inputs = train.x[0].length;
  const outputs = classes > 0 ? classes : (train.y[0] as number[]).length;
  const model = tf.sequential();
  let seed = s.seed * 7919;
  s.hidden.forEach((units, i) => {
    model.add(tf.layers.dense({
      units,
      activation: s.activation,
      kernelInitializer: initializer(s.init, seed++),
      ...(i === 0 ? { inputShape: [inputs] } : {}),
    }));
    if (s.dropout > 0) {
      model.add(tf.layers.dropout({ rate: s.dropout, seed: seed++ }));
    }
  });
  model.add(tf.layers.dense({
    units: outputs,
    kernelInitializer: initializer(s.init, seed++),
  }));
  const opt = makeOptimizer(s.optimizer, s.learningRate);
  const kernels = model.trainableWeights.filter((w) =>
    w.name.includes("kernel")
  );
  const x = tf.tensor2d(train.x);
  const y = classes > 0
    ? tf.tidy(() =>
      tf.oneHot(tf.tensor1d(train.y as number[], "int32"), classes)
    )
    : tf.tensor2d(train.y as number[][]);
  const n = train.x.length;
  const batch = Math.min(s.batchSize, n);
  const random = new Random(s.seed, "batches");
  let trainLoss = NaN;
  let epochs = 0;
  try {
    for (let epoch = 0; epoch < s.epochs; epoch++) {
      const order = random.permutation(n);
      const losses: tf.Scalar[] = [];
      for (let start = 0; start < n; start += batch) {
        const idx = tf.tensor1d(order.slice(start, start + batch), "int32");
        const loss = opt.minimize(() => {
          const xb = tf.gather(x, idx);
          const yb = tf.gather(y, idx);
          const out = model.apply(xb, { training: true }) as tf.Tensor;
          let l: tf.Scalar = classes > 0
            ? tf.losses.softmaxCrossEntropy(yb, out)
            : s.loss === "mae"
            ? tf.losses.absoluteDifference(yb, out)
            : s.loss === "huber"
            ? tf.losses.huberLoss(yb, out)
            : tf.losses.meanSquaredError(yb, out);
          if (s.weightDecay > 0) {
            for (const w of kernels) {
              l = tf.add(l, tf.mul(s.weightDecay, tf.sum(tf.square(w.read()))));
            }
          }
          return l;
        }, true) as tf.Scalar;
        idx.dispose();
        losses.push(loss);
      }
      // One read-back per epoch, not per batch.
      const stacked = tf.stack(losses);
      trainLoss = (await tf.mean(stacked).data())[0];
      stacked.dispose();
      tf.dispose(losses);
      epochs = epoch + 1;
      if (!Number.isFinite(trainLoss)) break;
    }
    const pred = tf.tidy(() => model.predict(tf.tensor2d(test.x)) as tf.Tensor);
    const p = await pred.array() as number[][];
    pred.dispose();
    let testError: number;
    if (classes > 0) {
      const labels = test.y as number[];
      let wrong = 0;
      p.forEach((row, i) => {
        let best = 0;
        for (let k = 1; k < row.length; k++) if (row[k] > row[best]) best = k;
        if (best !== labels[i]) wrong++;
      });
      testError = wrong / labels.length;
    } else {
      const targets = test.y as number[][];
      let ss = 0;
      p.forEach((row, i) =>
        row.forEach((v, k) => (ss += (v - targets[i][k]) ** 2))
      );
      testError = ss / (p.length * outputs);
    }
    return { testError, trainLoss, epochs, parameters: model.countParams() };
  } finally {
    x.dispose();
    y.dispose();
    opt.dispose();
    model.dispose();
  }
}
