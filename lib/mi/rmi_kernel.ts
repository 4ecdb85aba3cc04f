/**
 * RMI-NAS's proxy training ({@linkcode rmiScore}) for the CNNs
 * `KernelCnn` runs, on our matrix kernel instead of tfjs: the same loss
 * (β·Σ(1 − CKA) over the conv stages + (1 − β)·CE), the same SGD with
 * momentum and weight decay, from the same starting weights. The Gram
 * matrices F·Fᵀ and the stage derivatives M·F are kernel products too; the
 * CKA terms on the small n × n matrices are computed in JavaScript. Results equal tfjs's
 * up to float32 rounding (tested), many times faster on wide CNNs.
 *
 * @module
 */

import type { Tensor } from "../nets/_tfjs.ts";
import type { CnnArchitecture } from "../nets/architecture.ts";
import { KernelCnn } from "../nets/kernel_cnn.ts";
import { Arena } from "../_kernels/gemm.ts";
import {
  type RmiBatch,
  RmiError,
  type RmiOptions,
  type RmiResult,
  rmiSettings,
} from "./rmi.ts";

/** A kernel CNN candidate: its architecture and starting weights (`model.getWeights()` order). */
export interface KernelCandidate {
  /** A CNN `KernelCnn` runs (ReLU, no pooling, no hidden dense layers). */
  architecture: CnnArchitecture;
  /** Starting weights, e.g. a built network's `model.getWeights()` values. */
  weights: readonly ArrayLike<number>[];
}

/** The centred linear Gram matrix H·F·Fᵀ·H of n rows of `d` features (float64, n × n). */
function centredGram(f: ArrayLike<number>, n: number, d: number): Float64Array {
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let c = 0, a = i * d, b = j * d; c < d; c++) {
        s += f[a + c] * f[b + c];
      }
      k[i * n + j] = s;
      k[j * n + i] = s;
    }
  }
  return centre(k, n);
}

/** H·K·H for a symmetric n × n K, in place. */
function centre(k: Float64Array, n: number): Float64Array {
  const mean = new Float64Array(n);
  let all = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += k[i * n + j];
    mean[i] = s / n;
    all += s;
  }
  all /= n * n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) k[i * n + j] += all - mean[i] - mean[j];
  }
  return k;
}

function norm(k: Float64Array): number {
  let s = 0;
  for (const v of k) s += v * v;
  return Math.sqrt(s);
}

/**
 * {@linkcode rmiScore} for a CNN on the matrix kernel: trains a copy of the
 * candidate's weights for `steps` SGD steps on the batch and returns the
 * last step's loss (lower is better), the stages' CKA and the cross-entropy.
 * The stages are the conv layers' outputs; `teacher` holds the teacher's
 * features on the batch, one per conv layer (e.g. from `teacherFeatures`).
 *
 * @example
 * ```ts
 * import { rmiScoreKernel } from "./rmi_kernel.ts";
 * import { buildNetwork, type CnnArchitecture } from "../nets/architecture.ts";
 * import { setBackend, tf } from "../nets/backend.ts";
 * await setBackend("cpu");
 * const a: CnnArchitecture = { kind: "cnn", inputShape: [4, 4, 1], filters: [3, 2], pooling: "none", outputs: 2, activation: "relu" };
 * const net = buildNetwork(a, 1);
 * const x = tf.randomUniform([8, 16], 0, 1, "float32", 1);
 * const teacher = [tf.randomNormal([8, 5], 0, 1, "float32", 2), tf.randomNormal([8, 3], 0, 1, "float32", 3)];
 * const r = await rmiScoreKernel(
 *   { architecture: a, weights: net.model.getWeights().map((w) => w.dataSync()) },
 *   teacher, { x, y: [0, 1, 0, 1, 0, 1, 0, 1] }, { steps: 5 },
 * );
 * if (r.trace.length !== 5 || r.cka.length !== 2 || !(r.score > 0)) throw new Error();
 * ```
 */
export async function rmiScoreKernel(
  candidate: KernelCandidate,
  teacher: readonly Tensor[],
  batch: RmiBatch,
  options: RmiOptions = {},
): Promise<RmiResult> {
  const { steps, beta, lr, momentum, decay } = rmiSettings(options);
  const a = candidate.architecture;
  const n = batch.x.shape[0];
  if (batch.y.length !== n) {
    throw new RmiError(
      `the batch has ${n} inputs but ${batch.y.length} labels`,
    );
  }
  const stages = a.filters.length;
  if (teacher.length !== stages) {
    throw new RmiError(
      `the candidate has ${stages} stages (conv layers) but the teacher ${teacher.length}`,
    );
  }
  const teacherGrams = teacher.map((t) =>
    centredGram(t.dataSync(), n, t.size / n)
  );
  const teacherNorms = teacherGrams.map(norm);
  const cnn = new KernelCnn(a, n);
  try {
    cnn.setWeights(candidate.weights);
    const x = batch.x.dataSync();
    const y = Array.from(batch.y);
    const [h, w] = a.inputShape;
    const units = a.filters.map((f) => h * w * f);
    // The Gram matrices and ∂/∂F as products on a second arena: per stage
    // F (n × d), Fᵀ, K = F·Fᵀ, M = 2·H·G·H and ∂/∂F = M·F.
    const gram = new Arena();
    const bufs = units.map((d) => ({
      f: gram.alloc(n * d),
      fT: gram.alloc(n * d),
      k: gram.alloc(n * n),
      m: gram.alloc(n * n),
      out: gram.alloc(n * d),
    }));
    const stageDeltas = units.map((d, l) => gram.f32(bufs[l].out, n * d));
    const accum = new Float64Array(cnn.size);
    const trace: number[] = [];
    let cka: number[] = [];
    let crossEntropy = NaN;
    for (let step = 0; step < steps; step++) {
      cnn.input(n).set(x);
      cnn.forward(n);
      cka = [];
      for (let l = 0; l < stages; l++) {
        const d = units[l];
        const b = bufs[l];
        gram.f32(b.f, n * d).set(cnn.activation(l, n));
        gram.transpose(b.f, n, d, b.fT);
        gram.gemm(b.f, d, 1, b.fT, b.k, n, d, n);
        const k = centre(Float64Array.from(gram.f32(b.k, n * n)), n);
        const [l2, lNorm] = [teacherGrams[l], teacherNorms[l]];
        const kNorm = norm(k);
        let hsic = 0;
        for (let i = 0; i < k.length; i++) hsic += k[i] * l2[i];
        const denominator = kNorm * lNorm;
        const c = hsic / Math.max(denominator, 1e-12);
        cka.push(c);
        // ∂(−β·CKA)/∂K_c, then through the centring (H·G·H) and K = F·Fᵀ:
        // ∂/∂F = 2·(H·G·H)·F.
        const g = new Float64Array(n * n);
        if (denominator > 1e-12) {
          for (let i = 0; i < g.length; i++) {
            g[i] = -beta * (l2[i] / denominator - c * k[i] / (kNorm * kNorm));
          }
        } else {
          for (let i = 0; i < g.length; i++) g[i] = -beta * l2[i] / 1e-12;
        }
        centre(g, n);
        const m = gram.f32(b.m, n * n);
        for (let i = 0; i < g.length; i++) m[i] = 2 * g[i];
        gram.gemm(b.m, n, 1, b.f, b.out, n, n, d);
      }
      const ce = cnn.loss(n, y).loss;
      crossEntropy = ce;
      const dz = cnn.logitsDelta(n);
      for (let i = 0; i < dz.length; i++) dz[i] *= 1 - beta;
      trace.push(
        beta * (stages - cka.reduce((s, c) => s + c, 0)) + (1 - beta) * ce,
      );
      cnn.backward(n, { stageDeltas });
      // SGD with momentum as tf.train.momentum, the decay added to the gradient.
      const theta = cnn.theta;
      const grad = cnn.grad;
      for (let i = 0; i < theta.length; i++) {
        accum[i] = momentum * accum[i] + grad[i] + decay * theta[i];
        theta[i] -= lr * accum[i];
      }
      // Let other work run between steps of a long search.
      if (step % 25 === 24) await Promise.resolve();
    }
    return { score: trace[trace.length - 1], cka, crossEntropy, trace };
  } finally {
    cnn.close();
  }
}
