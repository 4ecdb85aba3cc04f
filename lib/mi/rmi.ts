/**
 * RMI, the representation-mutual-information proxy of RMI-NAS (Zheng et al.
 * 2022): a candidate network is trained for a few steps on one batch to
 * align its stage features with a trained teacher's (linear CKA) while
 * classifying the batch, and the final loss ranks candidates (lower is
 * better):
 *
 *   loss = β·Σ_stages (1 − CKA(candidate stage, teacher stage)) + (1 − β)·CE,
 *
 * with the published defaults: β = 0.8, one batch of 32, 150 steps of SGD
 * (learning rate 0.1, momentum 0.9, weight decay 5·10⁻⁴), biased linear CKA
 * on flattened features (XNAS's RMINAS code). RMI-NAS picks the batch as the
 * teacher's 32 lowest-loss samples of a larger draw; {@linkcode easiestBatch}
 * does that.
 *
 * Works on any tfjs model: stages are named layers (for convolutions the
 * whole feature map is flattened, as RMI-NAS does).
 *
 * @module
 */

import type { Tensor } from "../nets/_tfjs.ts";
import { InfolensError } from "../errors.ts";
import type { LayersModel } from "../nets/_tfjs.ts";
import { tf } from "../nets/backend.ts";

/** The error raised for bad RMI inputs or options. */
export class RmiError extends InfolensError {
  /** Always "RmiError", so stack traces and logs name the class. */
  override name = "RmiError";
}

/** A model and the names of its stage layers, in order. */
export interface StagedModel {
  /** Any tfjs LayersModel. */
  model: LayersModel;
  /** Layer names whose outputs are the stages compared by CKA. */
  stages: readonly string[];
}

/** One batch: inputs (batch first) and class labels (integers from 0). */
export interface RmiBatch {
  /** Inputs, batch first. */
  x: Tensor;
  /** The class of each sample. */
  y: ArrayLike<number>;
}

/** Options of {@linkcode rmiScore}; the defaults are RMI-NAS's. */
export interface RmiOptions {
  /** SGD steps on the batch. Default 150. */
  steps?: number;
  /** Weight of the CKA term; CE gets 1 − β. Default 0.8. */
  beta?: number;
  /** SGD learning rate. Default 0.1. */
  learningRate?: number;
  /** SGD momentum. Default 0.9. */
  momentum?: number;
  /** L2 weight decay (added to the gradient as decay·θ, as torch's SGD). Default 5e-4. */
  weightDecay?: number;
}

/** What {@linkcode rmiScore} returns. */
export interface RmiResult {
  /** The loss at the last step (before its update), RMI-NAS's score: lower is better. */
  score: number;
  /** CKA of each stage at the last step. */
  cka: number[];
  /** Cross-entropy at the last step. */
  crossEntropy: number;
  /** The loss at every step. */
  trace: number[];
}

/** A model that outputs its stages and its final output, sharing weights. */
function stagesModel({ model, stages }: StagedModel): LayersModel {
  const outputs = stages.map((name) => {
    let layer;
    try {
      layer = model.getLayer(name);
    } catch {
      throw new RmiError(
        `no layer named "${name}" in the model; its layers are ${
          model.layers.map((l) => l.name).join(", ")
        }`,
      );
    }
    return layer.output as tf.SymbolicTensor;
  });
  return tf.model({
    inputs: model.inputs,
    outputs: [...outputs, model.outputs[0]],
  });
}

/** The centred linear Gram matrix H·F·Fᵀ·H of flattened features. */
function centredGram(f: tf.Tensor): tf.Tensor2D {
  const n = f.shape[0];
  const flat = tf.reshape(f, [n, -1]) as tf.Tensor2D;
  const k = tf.matMul(flat, flat, false, true);
  const rowMean = tf.mean(k, 1, true);
  const colMean = tf.mean(k, 0, true);
  return tf.add(tf.sub(tf.sub(k, rowMean), colMean), tf.mean(k)) as tf.Tensor2D;
}

/** Biased linear CKA of two centred Gram matrices (differentiable). */
function ckaOfGrams(k: tf.Tensor2D, l: tf.Tensor2D): tf.Scalar {
  const hsic = tf.sum(tf.mul(k, l));
  const norms = tf.mul(tf.norm(k), tf.norm(l));
  return tf.div(hsic, tf.maximum(norms, 1e-12)) as tf.Scalar;
}

function crossEntropy(
  out: tf.Tensor,
  y: tf.Tensor1D,
  probabilities: boolean,
): tf.Scalar {
  const oneHot = tf.oneHot(y, out.shape[out.shape.length - 1]!);
  const logp = probabilities
    ? tf.log(tf.clipByValue(out, 1e-7, 1))
    : tf.logSoftmax(out);
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logp), -1))) as tf.Scalar;
}

function endsInSoftmax(model: LayersModel): boolean {
  const last = model.layers[model.layers.length - 1];
  const config = last.getConfig() as { activation?: unknown };
  return last.getClassName() === "Softmax" || config.activation === "softmax";
}

/**
 * The teacher's stage features on the batch (computed once per search, then
 * passed to every {@linkcode rmiScore}).
 *
 * @example
 * ```ts
 * import { tf, setBackend } from "../nets/backend.ts";
 * import { teacherFeatures } from "./rmi.ts";
 * await setBackend("cpu");
 * const teacher = tf.sequential({ layers: [
 *   tf.layers.dense({ inputShape: [3], units: 4, activation: "relu", name: "s1" }),
 *   tf.layers.dense({ units: 2, activation: "softmax" }),
 * ] });
 * const f = teacherFeatures({ model: teacher, stages: ["s1"] }, tf.ones([5, 3]));
 * if (f[0].shape.join() !== "5,4") throw new Error();
 * ```
 */
export function teacherFeatures(
  teacher: StagedModel,
  x: Tensor,
): Tensor[] {
  const m = stagesModel(teacher);
  const outs = m.predict(x) as tf.Tensor[];
  outs.pop()!.dispose();
  return outs;
}

/**
 * The stages RMI compares on an infolens CNN (or any tfjs model built of
 * convolutions): the names of its convolutional layers, in order.
 *
 * @example
 * ```ts
 * import { setBackend } from "../nets/backend.ts";
 * import { buildNetwork } from "../nets/architecture.ts";
 * import { convStages } from "./rmi.ts";
 * await setBackend("cpu");
 * const net = buildNetwork({ kind: "cnn", inputShape: [8, 8, 1], filters: [4, 6], pooling: "none", outputs: 10, activation: "relu" }, 0);
 * if (convStages(net.model).length !== 2) throw new Error();
 * net.dispose();
 * ```
 */
export function convStages(model: LayersModel): string[] {
  return model.layers.filter((l) => l.getClassName() === "Conv3D").map((l) =>
    l.name
  );
}

/**
 * RMI-NAS's batch: of a larger draw (x, y), the `size` samples on which the
 * teacher's cross-entropy is lowest.
 *
 * @example
 * ```ts
 * import { tf, setBackend } from "../nets/backend.ts";
 * import { easiestBatch } from "./rmi.ts";
 * await setBackend("cpu");
 * const teacher = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2, activation: "softmax" })] });
 * const b = easiestBatch(teacher, { x: tf.randomNormal([64, 2]), y: Array.from({ length: 64 }, (_, i) => i % 2) }, 32);
 * if (b.x.shape[0] !== 32 || b.y.length !== 32) throw new Error();
 * ```
 */
export function easiestBatch(
  teacher: LayersModel,
  pool: RmiBatch,
  size = 32,
): { x: Tensor; y: number[] } {
  const n = pool.x.shape[0];
  if (!(Number.isInteger(size) && size >= 1 && size <= n)) {
    throw new RmiError(`easiestBatch: size must be 1 … ${n}, got ${size}`);
  }
  const losses = tf.tidy(() => {
    const out = teacher.predict(pool.x) as tf.Tensor;
    const y = tf.tensor1d(Array.from(pool.y), "int32");
    const oneHot = tf.oneHot(y, out.shape[out.shape.length - 1]!);
    const logp = endsInSoftmax(teacher)
      ? tf.log(tf.clipByValue(out, 1e-7, 1))
      : tf.logSoftmax(out);
    return tf.neg(tf.sum(tf.mul(oneHot, logp), -1)).dataSync();
  });
  const order = Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => losses[a] - losses[b] || a - b)
    .slice(0, size);
  const idx = tf.tensor1d(order, "int32");
  const x = tf.gather(pool.x, idx);
  idx.dispose();
  return { x, y: order.map((i) => pool.y[i]) };
}

/**
 * `RmiOptions` with RMI-NAS's published defaults filled in and checked; both
 * proxy trainings (`rmiScore` on tfjs, `rmiScoreKernel` on the matrix
 * kernel) read their settings through it.
 *
 * @internal
 */
export function rmiSettings(options: RmiOptions): {
  steps: number;
  beta: number;
  lr: number;
  momentum: number;
  decay: number;
} {
  const steps = options.steps ?? 150;
  const beta = options.beta ?? 0.8;
  const lr = options.learningRate ?? 0.1;
  const momentum = options.momentum ?? 0.9;
  const decay = options.weightDecay ?? 5e-4;
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RmiError(`steps must be a positive integer, got ${steps}`);
  }
  if (!(beta >= 0 && beta <= 1)) {
    throw new RmiError(`beta must be in [0, 1], got ${beta}`);
  }
  if (!(lr > 0) || !(momentum >= 0) || !(decay >= 0)) {
    throw new RmiError(
      `learningRate must be positive, momentum and weightDecay non-negative`,
    );
  }
  return { steps, beta, lr, momentum, decay };
}

/**
 * Trains `candidate` (in place: clone it first to keep it) for the proxy
 * steps on one batch and returns RMI-NAS's score. `teacher` is the teacher
 * with its stage names, or its stage features from
 * {@linkcode teacherFeatures}; the candidate needs as many stages.
 *
 * @example
 * ```ts
 * import { tf, setBackend } from "../nets/backend.ts";
 * import { rmiScore } from "./rmi.ts";
 * await setBackend("cpu");
 * const net = (name: string) => tf.sequential({ layers: [
 *   tf.layers.dense({ inputShape: [4], units: 6, activation: "relu", name: `${name}1` }),
 *   tf.layers.dense({ units: 3, activation: "softmax" }),
 * ] });
 * const x = tf.randomNormal([32, 4]);
 * const y = Array.from({ length: 32 }, (_, i) => i % 3);
 * const r = await rmiScore(
 *   { model: net("c"), stages: ["c1"] },
 *   { model: net("t"), stages: ["t1"] },
 *   { x, y },
 *   { steps: 20 },
 * );
 * if (!(r.score < r.trace[0])) throw new Error("the proxy training lowers the loss");
 * ```
 */
export async function rmiScore(
  candidate: StagedModel,
  teacher: StagedModel | readonly Tensor[],
  batch: RmiBatch,
  options: RmiOptions = {},
): Promise<RmiResult> {
  const { steps, beta, lr, momentum, decay } = rmiSettings(options);
  const n = batch.x.shape[0];
  if (batch.y.length !== n) {
    throw new RmiError(
      `the batch has ${n} inputs but ${batch.y.length} labels`,
    );
  }
  const features = Array.isArray(teacher)
    ? teacher as readonly Tensor[]
    : teacherFeatures(teacher as StagedModel, batch.x);
  if (features.length !== candidate.stages.length) {
    throw new RmiError(
      `the candidate has ${candidate.stages.length} stages but the teacher ${features.length}`,
    );
  }
  const teacherGrams = tf.tidy(() => features.map((f) => centredGram(f)));
  if (!Array.isArray(teacher)) features.forEach((f) => f.dispose());
  const model = stagesModel(candidate);
  const probabilities = endsInSoftmax(candidate.model);
  const y = tf.tensor1d(Array.from(batch.y), "int32");
  const vars = candidate.model.trainableWeights.map((w) =>
    w.read() as tf.Variable
  );
  const optimizer = tf.train.momentum(lr, momentum);
  const trace: number[] = [];
  let last: { cka: number[]; ce: number } = { cka: [], ce: NaN };
  try {
    for (let step = 0; step < steps; step++) {
      const final = step === steps - 1;
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const outs = model.apply(batch.x, { training: true }) as tf.Tensor[];
          const out = outs.pop()!;
          const ckas = outs.map((f, i) =>
            ckaOfGrams(centredGram(f), teacherGrams[i])
          );
          const ce = crossEntropy(out, y, probabilities);
          if (final) {
            last = {
              cka: ckas.map((c) => c.dataSync()[0]),
              ce: ce.dataSync()[0],
            };
          }
          const misalignment = tf.sub(
            ckas.length,
            tf.addN([tf.scalar(0), ...ckas]),
          );
          return tf.add(
            tf.mul(beta, misalignment),
            tf.mul(1 - beta, ce),
          ) as tf.Scalar;
        }, vars);
        trace.push(value.dataSync()[0]);
        optimizer.applyGradients(vars.map((v) => ({
          name: v.name,
          tensor: decay > 0
            ? tf.add(grads[v.name], tf.mul(decay, v))
            : grads[v.name],
        })));
      });
      // Let other work run between steps of a long search.
      if (step % 25 === 24) await Promise.resolve();
    }
  } finally {
    optimizer.dispose();
    y.dispose();
    teacherGrams.forEach((g) => g.dispose());
  }
  return {
    score: trace[trace.length - 1],
    cka: last.cka,
    crossEntropy: last.ce,
    trace,
  };
}

/** Options of {@linkcode rmiObjective}. */
export interface RmiObjectiveOptions<C> {
  /** The teacher's stage features on `batch` (from {@linkcode teacherFeatures}). */
  teacher: readonly Tensor[];
  /** The proxy-training batch (RMI-NAS: the teacher's 32 easiest samples). */
  batch: RmiBatch;
  /** Builds the candidate for a configuration, with its stage names. */
  build: (config: C) => StagedModel & { dispose?: () => void };
  /** Proxy-training options. Default RMI-NAS's. */
  rmi?: RmiOptions;
}

/**
 * An objective for a searcher (`bore-rmi` is RMI-NAS's): builds the
 * configuration's candidate, returns its RMI score (lower is better) and
 * frees it.
 *
 * @example
 * ```ts
 * import { tf, setBackend } from "../nets/backend.ts";
 * import { rmiObjective, teacherFeatures } from "./rmi.ts";
 * await setBackend("cpu");
 * const net = (width: number, name: string) => tf.sequential({ layers: [
 *   tf.layers.dense({ inputShape: [4], units: width, activation: "relu", name }),
 *   tf.layers.dense({ units: 2, activation: "softmax" }),
 * ] });
 * const x = tf.randomNormal([32, 4]);
 * const y = Array.from({ length: 32 }, (_, i) => i % 2);
 * const objective = rmiObjective<{ width: number }>({
 *   teacher: teacherFeatures({ model: net(8, "t"), stages: ["t"] }, x),
 *   batch: { x, y },
 *   build: ({ width }) => {
 *     const model = net(width, `c${width}`);
 *     return { model, stages: [`c${width}`], dispose: () => model.dispose() };
 *   },
 *   rmi: { steps: 10 },
 * });
 * const score = await objective({ width: 4 });
 * if (!Number.isFinite(score)) throw new Error();
 * ```
 */
export function rmiObjective<C>(
  options: RmiObjectiveOptions<C>,
): (config: C) => Promise<number> {
  return async (config: C) => {
    const candidate = options.build(config);
    try {
      const r = await rmiScore(
        candidate,
        options.teacher,
        options.batch,
        options.rmi,
      );
      // A diverged candidate ranks last, as RMI-NAS maps NaN to infinity.
      return Number.isFinite(r.score) ? r.score : Infinity;
    } finally {
      candidate.dispose?.();
    }
  };
}
