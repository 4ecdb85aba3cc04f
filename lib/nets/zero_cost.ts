/**
 * Zero-cost proxies of a network's trainability, on one batch and no
 * training, for any chain-shaped tfjs model (`tf.sequential` and the like):
 * `zeroCostProxies(model, batch, { proxies })`. Each is computed as NASLib
 * (naslib/predictors/utils/pruners/measures) defines it, summed over the
 * Dense and Conv2D (or Conv3D) layers' kernels (biases are not scored, as NASLib scores
 * `layer.weight` only):
 *
 * - `synflow`: Σ|θ ⊙ ∂R/∂θ| with every weight replaced by its absolute value,
 *   an all-ones input of one sample and R the sum of the logits (batch
 *   normalisation skipped, NASLib's `synflow`; float32 here, float64 there).
 * - `snip`: Σ|θ ⊙ ∂L/∂θ|, L the mean cross-entropy of the batch.
 * - `grad_norm`: Σ over layers of ‖∂L/∂W‖ (Frobenius).
 * - `fisher`: Σ over layers and channels of ½·mean_n (Σ_space z ⊙ ∂L/∂z)²,
 *   z a layer's pre-activation output.
 * - `jacov`: −Σ ln(λ + 10⁻⁵) + 1/(λ + 10⁻⁵) over the eigenvalues λ of the
 *   correlation matrix of the per-sample input gradients of Σ logits.
 * - `naswot`: ln|det K|, K = Σ over ReLUs of c·cᵀ + (1 − c)(1 − c)ᵀ for the
 *   binary codes c = [input > 0] of the batch (Mellor et al.'s second version).
 * - `params`: trainable parameters, in millions.
 * - `flops`: floating-point operations for one sample, in millions, counted
 *   as torchstat does (what NASLib's tensorwatch uses): Conv2D k_h·k_w·C_in·
 *   C_out·H·W plus the bias adds, Dense in·out, and one per element for
 *   ReLU, pooling and batch normalisation (two when it scales and shifts).
 *
 * Logits are the model's output, or the last layer's pre-activation when it
 * applies softmax. The gradients need a backend with conv2d weight gradients
 * for conv models (cpu or tensorflow; the wasm backend has none).
 *
 * @module
 */

import { jacobiEigen } from "../_math/linalg.ts";
import type { Tensor } from "./_tfjs.ts";
import { InfolensError } from "../errors.ts";
import type { LayersModel } from "./_tfjs.ts";
import { tf } from "./backend.ts";
import { type ChainLayer, chainOf, kernelOf, runChain } from "./_chain.ts";

/** A zero-cost proxy's name, as NASLib spells it (`naswot` is its `nwot`). */
export type ZeroCostProxy =
  | "synflow"
  | "snip"
  | "grad_norm"
  | "fisher"
  | "jacov"
  | "naswot"
  | "params"
  | "flops";

/**
 * Every proxy, in the order {@linkcode zeroCostProxies} computes them.
 *
 * @example
 * ```ts
 * import { ZERO_COST_PROXIES } from "./zero_cost.ts";
 * if (!ZERO_COST_PROXIES.includes("synflow")) throw new Error();
 * ```
 */
export const ZERO_COST_PROXIES: readonly ZeroCostProxy[] = [
  "synflow",
  "snip",
  "grad_norm",
  "fisher",
  "jacov",
  "naswot",
  "params",
  "flops",
];

/** One batch: inputs (a tensor, or nested arrays of its shape) and class labels. */
export interface ZeroCostBatch {
  /** Inputs, batch first (n × features, or n × H × W × C for conv models). */
  x: Tensor | number[][] | number[][][][];
  /** The class of each sample (integers from 0). */
  y: ArrayLike<number>;
}

/** Options of {@linkcode zeroCostProxies}. */
export interface ZeroCostOptions {
  /** The proxies to compute. Default all of {@linkcode ZERO_COST_PROXIES}. */
  proxies?: readonly ZeroCostProxy[];
}

/** The error raised for a bad batch or proxy name. */
export class ZeroCostError extends InfolensError {
  /** Always "ZeroCostError", so stack traces and logs name the class. */
  override name = "ZeroCostError";
}

function crossEntropy(logits: tf.Tensor, y: tf.Tensor): tf.Scalar {
  const classes = logits.shape[logits.shape.length - 1]!;
  const oneHot = tf.oneHot(y as tf.Tensor1D, classes);
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), -1)));
}

/** Gradients of the batch's cross-entropy against every kernel. */
function kernelGrads(
  chain: ChainLayer[],
  x: tf.Tensor,
  y: tf.Tensor,
): { kernel: tf.Tensor; grad: tf.Tensor }[] {
  const kernels = chain.filter((l) => l.kind !== "other").map(kernelOf);
  const { value, grads } = tf.variableGrads(
    () => crossEntropy(runChain(chain, x).logits, y),
    kernels,
  );
  value.dispose();
  return kernels.map((k) => ({ kernel: k, grad: grads[k.name] }));
}

function sumAbsProduct(
  pairs: { kernel: tf.Tensor; grad: tf.Tensor }[],
): number {
  return pairs.reduce(
    (s, { kernel, grad }) =>
      s + (tf.sum(tf.abs(tf.mul(kernel, grad))).dataSync()[0]),
    0,
  );
}

function synflow(
  model: LayersModel,
  chain: ChainLayer[],
  x: tf.Tensor,
): number {
  const saved = model.getWeights().map((w) => w.clone());
  try {
    model.setWeights(saved.map((w) => tf.abs(w)));
    const ones = tf.ones([1, ...x.shape.slice(1)]);
    const kernels = chain.filter((l) => l.kind !== "other").map(kernelOf);
    const { value, grads } = tf.variableGrads(
      () => tf.sum(runChain(chain, ones, [], { skipBatchNorm: true }).logits),
      kernels,
    );
    value.dispose();
    return sumAbsProduct(
      kernels.map((k) => ({ kernel: k, grad: grads[k.name] })),
    );
  } finally {
    model.setWeights(saved);
  }
}

function fisher(chain: ChainLayer[], x: tf.Tensor, y: tf.Tensor): number {
  const taps = runChain(chain, x).z.map((z) => tf.zerosLike(z));
  const z = runChain(chain, x).z;
  const grads = tf.grads((...t: tf.Tensor[]) =>
    crossEntropy(runChain(chain, x, t).logits, y)
  )(taps);
  let total = 0;
  z.forEach((act, i) => {
    let g = tf.mul(act, grads[i]);
    // Channels last: sum over space (and depth, for Conv3D).
    if (g.rank > 2) {
      g = tf.sum(g, Array.from({ length: g.rank - 2 }, (_, i) => i + 1));
    }
    total += tf.sum(tf.mul(tf.mean(tf.square(g), 0), 0.5)).dataSync()[0];
  });
  return total;
}

/**
 * Pearson correlation matrix of the rows of an n × d matrix (numpy's
 * corrcoef), n × n row-major.
 *
 * @example
 * ```ts
 * import { corrcoef } from "./zero_cost.ts";
 * const c = corrcoef(Float64Array.from([1, 2, 3, 2, 4, 6]), 2, 3);
 * if (Math.abs(c[1] - 1) > 1e-12) throw new Error(String(c));
 * ```
 */
export function corrcoef(
  data: Float32Array | Float64Array,
  n: number,
  d: number,
): Float64Array {
  const c = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let mean = 0;
    for (let j = 0; j < d; j++) mean += data[i * d + j] / d;
    for (let j = 0; j < d; j++) c[i * d + j] = data[i * d + j] - mean;
  }
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = i; k < n; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += c[i * d + j] * c[k * d + j];
      cov[i * n + k] = cov[k * n + i] = s;
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      out[i * n + k] = cov[i * n + k] /
        Math.sqrt(cov[i * n + i] * cov[k * n + k]);
    }
  }
  return out;
}

/** Eigenvalues of a symmetric n × n matrix by cyclic Jacobi rotations. */
export function symmetricEigenvalues(m: Float64Array, n: number): Float64Array {
  return jacobiEigen(m, n).values;
}

/** ln|det A| by LU with partial pivoting (−∞ for a singular A). */
export function logAbsDet(m: Float64Array, n: number): number {
  const a = Float64Array.from(m);
  let log = 0;
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) {
      if (Math.abs(a[r * n + c]) > Math.abs(a[pivot * n + c])) pivot = r;
    }
    if (a[pivot * n + c] === 0) return -Infinity;
    if (pivot !== c) {
      for (let k = 0; k < n; k++) {
        [a[c * n + k], a[pivot * n + k]] = [a[pivot * n + k], a[c * n + k]];
      }
    }
    const d = a[c * n + c];
    log += Math.log(Math.abs(d));
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c] / d;
      if (f === 0) continue;
      for (let k = c; k < n; k++) a[r * n + k] -= f * a[c * n + k];
    }
  }
  return log;
}

function jacov(chain: ChainLayer[], x: tf.Tensor): number {
  const g = tf.grad((xx: tf.Tensor) => tf.sum(runChain(chain, xx).logits))(x);
  const n = x.shape[0];
  const d = g.size / n;
  const corr = corrcoef(g.dataSync() as Float32Array, n, d);
  const k = 1e-5;
  let s = 0;
  for (const v of symmetricEigenvalues(corr, n)) {
    s += Math.log(v + k) + 1 / (v + k);
  }
  return -s;
}

function naswot(chain: ChainLayer[], x: tf.Tensor): number {
  const n = x.shape[0];
  const k = new Float64Array(n * n);
  for (const input of runChain(chain, x).reluInputs) {
    const d = input.size / n;
    const v = input.dataSync();
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        let same = 0; // c_i·c_j + (1 − c_i)·(1 − c_j): codes that agree
        for (let c = 0; c < d; c++) {
          if ((v[i * d + c] > 0) === (v[j * d + c] > 0)) same++;
        }
        k[i * n + j] += same;
        if (j !== i) k[j * n + i] += same;
      }
    }
  }
  return logAbsDet(k, n);
}

function params(model: LayersModel): number {
  return model.trainableWeights.reduce(
    (s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1),
    0,
  ) / 1e6;
}

function flops(chain: ChainLayer[]): number {
  const size = (shape: (number | null)[]) =>
    shape.slice(1).reduce((a: number, b) => a * (b ?? 1), 1);
  let total = 0;
  for (const l of chain) {
    const out = l.layer.outputShape as (number | null)[];
    const inp = l.layer.inboundNodes[0].inputShapes as (number | null)[];
    const cls = l.layer.getClassName();
    if (l.kind === "conv") {
      // The kernel's window and input channels: all but its last dimension.
      const shape = kernelOf(l).shape;
      const window = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const positions = size(out) / out[out.length - 1]!;
      const cout = out[out.length - 1]!;
      total += window * cout * positions;
      if (l.layer.trainableWeights.length > 1) total += cout * positions;
    } else if (l.kind === "dense") {
      const [fin, fout] = kernelOf(l).shape;
      total += (size(out) / fout) * fin * fout;
    } else if (cls === "MaxPooling2D" || cls === "AveragePooling2D") {
      total += size(inp);
    } else if (
      cls === "ReLU" || (cls === "Activation" && l.activation === "relu")
    ) {
      total += size(inp);
    } else if (cls === "BatchNormalization") {
      const c = l.layer.getConfig() as { scale?: boolean; center?: boolean };
      total += size(inp) * (c.scale || c.center ? 2 : 1);
    }
    if (l.kind !== "other" && l.activation === "relu") total += size(out);
  }
  return total / 1e6;
}

/**
 * The zero-cost proxies of `model` on one batch (see the module's list for
 * each definition). Weights are left as they were.
 *
 * @example
 * ```ts
 * import { setBackend, tf } from "./backend.ts";
 * import { zeroCostProxies } from "./zero_cost.ts";
 * await setBackend("cpu");
 * const model = tf.sequential({ layers: [
 *   tf.layers.dense({ inputShape: [4], units: 8, activation: "relu" }),
 *   tf.layers.dense({ units: 3, activation: "softmax" }),
 * ] });
 * const x = tf.randomNormal([16, 4]);
 * const y = Array.from({ length: 16 }, (_, i) => i % 3);
 * const p = await zeroCostProxies(model, { x, y }, { proxies: ["params", "snip"] });
 * if (p.params !== (4 * 8 + 8 + 8 * 3 + 3) / 1e6) throw new Error(String(p.params));
 * console.log(p.snip);
 * ```
 */
export async function zeroCostProxies(
  model: LayersModel,
  batch: ZeroCostBatch,
  options: ZeroCostOptions = {},
): Promise<Partial<Record<ZeroCostProxy, number>>> {
  const wanted = options.proxies ?? ZERO_COST_PROXIES;
  for (const p of wanted) {
    if (!ZERO_COST_PROXIES.includes(p)) {
      throw new ZeroCostError(
        `unknown proxy "${p}"; choose from ${ZERO_COST_PROXIES.join(", ")}`,
      );
    }
  }
  const chain = chainOf(model);
  const out: Partial<Record<ZeroCostProxy, number>> = {};
  const x = batch.x instanceof tf.Tensor ? batch.x : tf.tensor(batch.x);
  try {
    const n = x.shape[0];
    if (batch.y.length !== n) {
      throw new ZeroCostError(
        `the batch has ${n} inputs but ${batch.y.length} labels`,
      );
    }
    const y = tf.tensor1d(Array.from(batch.y), "int32");
    try {
      for (const p of wanted) {
        out[p] = tf.tidy(() => {
          switch (p) {
            case "synflow":
              return synflow(model, chain, x);
            case "snip":
              return sumAbsProduct(kernelGrads(chain, x, y));
            case "grad_norm":
              return kernelGrads(chain, x, y).reduce(
                (s, { grad }) => s + tf.norm(grad).dataSync()[0],
                0,
              );
            case "fisher":
              return fisher(chain, x, y);
            case "jacov":
              return jacov(chain, x);
            case "naswot":
              return naswot(chain, x);
            case "params":
              return params(model);
            case "flops":
              return flops(chain);
          }
        });
      }
    } finally {
      y.dispose();
    }
  } finally {
    if (x !== batch.x) x.dispose();
  }
  await Promise.resolve();
  return out;
}
