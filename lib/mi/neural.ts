/**
 * Training neural MI estimators: a critic fitted by Adam on mini-batches of
 * the training split, the bound evaluated on a held-out split.
 *
 * Speed: batch indices are drawn in JavaScript and gathered on the backend;
 * nothing is read back per step — the per-step training bound is kept on the
 * backend and read in blocks, so `onStep` is called in blocks too.
 *
 * @module
 */

import { tf } from "../nets/backend.ts";
import type { Matrix } from "../_math/linalg.ts";
import { Random } from "../space/random.ts";
import { dvPairs, type MatrixBound, matrixBound, nwjPairs } from "./_bounds.ts";
import type { Critic, CriticActivation } from "./_critic.ts";
import { BoundTrace, makeTrainer, MATRIX_METHODS } from "./_critic_trainers.ts";
import { columnMoments, MIError } from "./input.ts";
import type { NeuralMethod, NeuralSettings } from "./_neural_types.ts";

export type { NeuralMethod, NeuralSettings } from "./_neural_types.ts";

/** Options of the neural estimators (all optional). */
export interface NeuralOptions {
  /** `concat` (MLP on [x, y]) or `separable` (g(x)ᵀh(y)). Default: concat for the MINE family, separable for nwj, infonce, smile. */
  critic?: "concat" | "separable";
  /** Hidden layer widths. Default [100, 100]. */
  hidden?: readonly number[];
  /** Hidden activation. Default "relu". */
  activation?: CriticActivation;
  /** Output size of each side of a separable critic. Default 32. */
  embedding?: number;
  /** Training steps at most. Default 4,000. */
  steps?: number;
  /** Mini-batch size. Default 256. */
  batchSize?: number;
  /** Adam's learning rate. Default 1e-4. */
  learningRate?: number;
  /** Fraction of samples held out for the final bound. Default 0.2. */
  testFraction?: number;
  /** MINE: weight of the new batch in the moving average. Default 0.01. */
  emaAlpha?: number;
  /** SMILE: the clip τ. Default 5. */
  clip?: number;
  /**
   * Evaluate on the held-out split every this many steps and stop when it
   * stops improving (the critic starts to overfit). 0 turns early stopping
   * off. Default 200.
   */
  evalEvery?: number;
  /** Stop after this many evaluations without a new best held-out estimate. Default 5. */
  patience?: number;
  /** Seed of the critic's weights and the batches. Default 0. */
  seed?: number;
  /**
   * Threads for the critic's large matrix products (batches of a few
   * thousand rows and more; smaller products stay on one thread, where
   * threads do not pay): a count, or "auto" for one per core (at most 8).
   * Estimates are identical for any count. Default "auto".
   */
  threads?: number | "auto";
  /** Called with each step's training bound (in blocks, see the module doc). */
  onStep?: (step: number, trainEstimate: number) => void;
}

/** What the training returns, before the caller adds timing and shapes. */
export interface NeuralResult {
  estimate: number;
  trainEstimate: number;
  trace: number[];
  steps: number;
}

/** Standardises columns with the training split's mean and std (MI is invariant to it). */
function standardise(m: Matrix, trainRows: number[]): Float32Array {
  const { cols: d } = m;
  const train: Matrix = {
    rows: trainRows.length,
    cols: d,
    data: new Float64Array(trainRows.length * d),
  };
  trainRows.forEach((r, i) =>
    train.data.set(m.data.subarray(r * d, r * d + d), i * d)
  );
  const { mean, std } = columnMoments(train);
  const out = new Float32Array(m.data.length);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < d; j++) {
      out[i * d + j] = (m.data[i * d + j] - mean[j]) /
        (std[j] > 0 ? std[j] : 1);
    }
  }
  return out;
}

/**
 * The bound on a whole held-out split (in batches for the matrix bounds, as
 * in training: InfoNCE's ceiling is log batch), read back.
 */
export function heldOutBound(
  method: NeuralMethod,
  critic: Critic,
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  batchSize: number,
  tau: number,
  r: Random,
): number {
  return tf.tidy(() => {
    const n = x.shape[0];
    if (MATRIX_METHODS.has(method)) {
      // Score matrices of batch-size blocks, as in training.
      const values: number[] = [];
      const b = Math.min(batchSize, n);
      for (let start = 0; start + b <= n; start += b) {
        const xs = tf.slice(x, [start, 0], [b, -1]) as tf.Tensor2D;
        const ys = tf.slice(y, [start, 0], [b, -1]) as tf.Tensor2D;
        const s = critic.matrix(xs, ys);
        const v = matrixBound(method as MatrixBound, s, tau);
        values.push(v.dataSync()[0]);
      }
      return values.reduce((a, v) => a + v, 0) / values.length;
    }
    const tj = critic.pairs(x, y);
    // Several shuffles of y for a steadier product-of-marginals term.
    const tms = Array.from({ length: 4 }, () => {
      const perm = tf.tensor1d(Int32Array.from(r.permutation(n)), "int32");
      return critic.pairs(x, tf.gather(y, perm) as tf.Tensor2D);
    });
    const tm = tf.concat(tms, 0);
    const bound = method === "mine-f" ? nwjPairs(tj, tm) : dvPairs(tj, tm);
    return bound.dataSync()[0];
  });
}

/**
 * Fills in the defaults and checks every value, naming any bad one: the one
 * validator of the neural family's options, shared by `estimateMI`,
 * `streamMI` and `layerMI`.
 */
export function neuralSettings(
  method: NeuralMethod,
  options: NeuralOptions,
): NeuralSettings {
  const steps = options.steps ?? 4000;
  const batchSize = options.batchSize ?? 256;
  const lr = options.learningRate ?? 1e-4;
  const testFraction = options.testFraction ?? 0.2;
  const emaAlpha = options.emaAlpha ?? 0.01;
  const tau = options.clip ?? 5;
  const seed = options.seed ?? 0;
  const evalEvery = options.evalEvery ?? 200;
  const patience = options.patience ?? 5;
  const threads = options.threads === undefined || options.threads === "auto"
    ? Math.min(8, Math.max(1, navigator.hardwareConcurrency ?? 1))
    : options.threads;
  const positiveInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) {
      throw new MIError(`${name} must be a positive integer, got ${v}`);
    }
  };
  positiveInt("steps", steps);
  positiveInt("batchSize", batchSize);
  positiveInt("patience", patience);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new MIError(
      `threads must be a positive integer or "auto", got ${options.threads}`,
    );
  }
  // typeof first: "0.1" > 0 is true in JavaScript.
  const isNumber = (v: unknown): v is number => typeof v === "number";
  if (!isNumber(lr) || !(lr > 0 && lr < Infinity)) {
    throw new MIError(
      `learningRate must be a positive finite number, got ${lr}`,
    );
  }
  if (!isNumber(testFraction) || !(testFraction > 0 && testFraction < 1)) {
    throw new MIError(`testFraction must be in (0, 1), got ${testFraction}`);
  }
  if (!isNumber(emaAlpha) || !(emaAlpha > 0 && emaAlpha < 1)) {
    throw new MIError(`emaAlpha must be in (0, 1), got ${emaAlpha}`);
  }
  if (!isNumber(tau) || !(tau > 0)) {
    throw new MIError(`clip must be positive, got ${tau}`);
  }
  if (!Number.isInteger(evalEvery) || evalEvery < 0) {
    throw new MIError(
      `evalEvery must be a non-negative integer, got ${evalEvery}`,
    );
  }

  const spec = {
    kind: options.critic ??
      (MATRIX_METHODS.has(method) ? "separable" : "concat"),
    hidden: options.hidden ?? [100, 100],
    activation: options.activation ?? "relu",
    embedding: options.embedding ?? 32,
  } as const;
  if (!["concat", "separable"].includes(spec.kind)) {
    throw new MIError(
      `critic must be "concat" or "separable", got "${spec.kind}"`,
    );
  }
  if (!["relu", "tanh", "elu"].includes(spec.activation)) {
    throw new MIError(
      `activation must be relu, tanh or elu, got "${spec.activation}"`,
    );
  }
  if (
    !Array.isArray(spec.hidden) ||
    spec.hidden.some((h) => !Number.isInteger(h) || h < 1)
  ) {
    throw new MIError(
      `hidden must be an array of positive integers, e.g. [100, 100]`,
    );
  }
  positiveInt("embedding", spec.embedding);
  return {
    steps,
    batchSize,
    lr,
    testFraction,
    emaAlpha,
    tau,
    seed,
    evalEvery,
    patience,
    spec,
    threads,
  };
}

/** Fits a critic and returns the held-out bound, in nats. */
export async function trainNeural(
  method: NeuralMethod,
  xm: Matrix,
  ym: Matrix,
  options: NeuralOptions,
): Promise<NeuralResult> {
  const settings = neuralSettings(method, options);
  const { steps, batchSize, testFraction, tau, seed, evalEvery, patience } =
    settings;
  const n = xm.rows;
  const r = new Random(seed, `mi-${method}`);
  const order = r.permutation(n);
  const nTest = Math.max(2, Math.round(n * testFraction));
  const nTrain = n - nTest;
  if (nTrain < 2) {
    throw new MIError(
      `too few samples (${n}) to hold out ${testFraction} and still train`,
    );
  }
  const b = Math.min(batchSize, nTrain);
  const trainRows = order.slice(nTest);
  const testRows = order.slice(0, nTest);

  const xs = standardise(xm, trainRows);
  const ys = standardise(ym, trainRows);
  const pick = (data: Float32Array, d: number, rows: number[]) => {
    const out = new Float32Array(rows.length * d);
    rows.forEach((row, i) =>
      out.set(data.subarray(row * d, row * d + d), i * d)
    );
    return tf.tensor2d(out, [rows.length, d]);
  };
  const xTrain = pick(xs, xm.cols, trainRows);
  const yTrain = pick(ys, ym.cols, trainRows);
  const xTest = pick(xs, xm.cols, testRows);
  const yTest = pick(ys, ym.cols, testRows);

  const trainer = makeTrainer({
    method,
    dx: xm.cols,
    dy: ym.cols,
    ...settings,
  });
  const critic = trainer.critic;
  const trace = new BoundTrace(options.onStep);

  let best = -Infinity;
  let sinceBest = 0;
  let done = 0;
  const idx = new Int32Array(b);
  const idx2 = new Int32Array(b);
  try {
    for (let step = 1; step <= steps; step++) {
      for (let i = 0; i < b; i++) {
        idx[i] = r.integer(0, nTrain);
        idx2[i] = r.integer(0, nTrain);
      }
      trace.push(trainer.step(xTrain, yTrain, idx, idx2));
      done = step;
      if (evalEvery > 0 && step % evalEvery === 0) {
        trace.flush();
        const v = heldOutBound(method, critic, xTest, yTest, b, tau, r);
        if (v > best + 1e-4) {
          best = v;
          sinceBest = 0;
        } else if (++sinceBest >= patience) {
          break;
        }
      }
      if (step % 200 === 0) {
        await new Promise((resolve) => setTimeout(resolve, 0)); // let progress displays draw
      }
    }
    trace.flush();
    const estimate = heldOutBound(method, critic, xTest, yTest, b, tau, r);
    const tail = trace.values.slice(-100);
    const trainEstimate = tail.reduce((a, v) => a + v, 0) / tail.length;
    return { estimate, trainEstimate, trace: trace.values, steps: done };
  } finally {
    trace.dispose();
    trainer.dispose();
    for (const t of [xTrain, yTrain, xTest, yTest]) t.dispose();
  }
}
