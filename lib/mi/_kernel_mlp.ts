/**
 * An MLP (hidden layers with an activation, a linear output) trained by
 * hand: forward pass, backward pass and Adam on float32 buffers in the
 * matrix kernel's memory (`lib/_kernels/gemm.ts`), with no tfjs op per step.
 * The concat critics of the MINE family train on it (`pair_trainer.ts`).
 *
 * @module
 */

import { Arena } from "../_kernels/gemm.ts";
import type { Random } from "../space/random.ts";
import type { CriticActivation } from "./_critic.ts";

/**
 * The MLP with `sizes` [input, ...hidden, output]; its parameters are one
 * flat vector θ, per layer W (fanIn × fanOut, row-major) then b, starting
 * Glorot-uniform with zero biases (drawn from `r` in that order).
 *
 * Use: write `n` input rows into {@linkcode KernelMlp.input}, call
 * {@linkcode KernelMlp.forward}, write the loss's derivative with respect to
 * the outputs into {@linkcode KernelMlp.outputDelta} and call
 * {@linkcode KernelMlp.backward}: {@linkcode KernelMlp.grad} then holds
 * ∂loss/∂θ.
 *
 * @example
 * ```ts
 * import { KernelMlp } from "./_kernel_mlp.ts";
 * import { Random } from "../space/random.ts";
 * const mlp = new KernelMlp([2, 8, 1], "relu", new Random(0));
 * mlp.input(3).set([1, 0, 0, 1, 1, 1]);
 * const out = mlp.forward(3);
 * if (out.length !== 3 || !out.every(Number.isFinite)) throw new Error("one score per row");
 * mlp.outputDelta(3).fill(1 / 3); // d mean(output) / d output
 * mlp.backward(3);
 * if (mlp.grad.length !== mlp.size) throw new Error("one entry per parameter");
 * ```
 */
export class KernelMlp {
  readonly sizes: readonly number[];
  readonly activation: CriticActivation;
  /** How many parameters. */
  readonly size: number;
  readonly #arena: Arena;
  readonly #theta: number;
  readonly #grad: number;
  /** Per layer: where W and b start in θ (and in the gradient). */
  readonly #w: number[] = [];
  readonly #b: number[] = [];
  /** Wᵀ of one layer at a time, for the backward pass. */
  readonly #wT: number;
  #rows = 0;
  /** acts[0] is the input, acts[l + 1] layer l's output (n × sizes[l + 1]). */
  #acts: number[] = [];
  #deltas: [number, number] = [0, 0];
  #ones = 0;

  /** `arena`: the kernel memory to live in (several MLPs may share one). */
  constructor(
    sizes: readonly number[],
    activation: CriticActivation,
    r: Random,
    arena: Arena = new Arena(),
  ) {
    this.#arena = arena;
    if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
      throw new RangeError(
        `an MLP needs at least an input and an output size, each a positive integer; got [${sizes}]`,
      );
    }
    this.sizes = sizes;
    this.activation = activation;
    const init: number[] = [];
    let widest = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
      widest = Math.max(widest, fanIn * fanOut);
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      this.#w.push(init.length);
      for (let i = 0; i < fanIn * fanOut; i++) {
        init.push(r.uniform(-limit, limit));
      }
      this.#b.push(init.length);
      for (let i = 0; i < fanOut; i++) init.push(0);
    }
    this.size = init.length;
    this.#theta = this.#arena.alloc(this.size);
    this.#grad = this.#arena.alloc(this.size);
    this.#wT = this.#arena.alloc(widest);
    this.theta.set(init);
  }

  /** θ, as a live view (writable: an optimiser updates it in place). */
  get theta(): Float32Array {
    return this.#arena.f32(this.#theta, this.size);
  }

  /** The gradient from the last {@linkcode KernelMlp.backward}, a live view. */
  get grad(): Float32Array {
    return this.#arena.f32(this.#grad, this.size);
  }

  /** Room for passes of up to `n` rows (buffers only ever grow). */
  #reserve(n: number): void {
    if (n <= this.#rows) return;
    const rows = Math.max(n, 2 * this.#rows);
    const widestHidden = Math.max(1, ...this.sizes.slice(1));
    this.#acts = this.sizes.map((s) => this.#arena.alloc(rows * s));
    this.#deltas = [
      this.#arena.alloc(rows * widestHidden),
      this.#arena.alloc(rows * widestHidden),
    ];
    this.#ones = this.#arena.alloc(rows);
    this.#arena.f32(this.#ones, rows).fill(1);
    this.#rows = rows;
  }

  /** The buffer for `n` input rows (n × sizes[0], row-major), to fill before a forward pass. */
  input(n: number): Float32Array {
    this.#reserve(n);
    return this.#arena.f32(this.#acts[0], n * this.sizes[0]);
  }

  /** Where the outputs of a pass over `n` rows live in the arena (a byte offset). */
  outputAt(n: number): number {
    this.#reserve(n);
    return this.#acts[this.sizes.length - 1];
  }

  /** Where {@linkcode KernelMlp.outputDelta} lives in the arena (a byte offset). */
  outputDeltaAt(n: number): number {
    this.#reserve(n);
    return this.#deltas[0];
  }

  /** The outputs of the last forward pass over `n` rows (a live view). */
  output(n: number): Float32Array {
    return this.#arena.f32(
      this.#acts[this.sizes.length - 1],
      n * this.sizes.at(-1)!,
    );
  }

  /** Runs the `n` rows in {@linkcode KernelMlp.input} forward; returns {@linkcode KernelMlp.output}. */
  forward(n: number): Float32Array {
    this.#reserve(n);
    const a = this.#arena;
    const last = this.sizes.length - 2;
    for (let l = 0; l <= last; l++) {
      const [fanIn, fanOut] = [this.sizes[l], this.sizes[l + 1]];
      const [x, z] = [this.#acts[l], this.#acts[l + 1]];
      const hidden = l < last;
      if (fanOut === 1) {
        const bias = this.theta[this.#b[l]];
        a.gemv(x, this.#theta + 4 * this.#w[l], z, n, fanIn, bias);
        if (hidden) this.#activate(a.f32(z, n));
      } else {
        a.gemm(x, fanIn, 1, this.#theta + 4 * this.#w[l], z, n, fanIn, fanOut, {
          bias: this.#theta + 4 * this.#b[l],
          relu: hidden && this.activation === "relu",
        });
        if (hidden && this.activation !== "relu") {
          this.#activate(a.f32(z, n * fanOut));
        }
      }
    }
    return this.output(n);
  }

  #activate(z: Float32Array): void {
    if (this.activation === "relu") {
      for (let i = 0; i < z.length; i++) if (z[i] < 0) z[i] = 0;
    } else if (this.activation === "tanh") {
      for (let i = 0; i < z.length; i++) z[i] = Math.tanh(z[i]);
    } else {
      for (let i = 0; i < z.length; i++) if (z[i] < 0) z[i] = Math.expm1(z[i]);
    }
  }

  /** δ *= the activation's derivative, read from its output `out`. */
  #derivative(delta: Float32Array, out: Float32Array): void {
    if (this.activation === "relu") {
      for (let i = 0; i < delta.length; i++) if (!(out[i] > 0)) delta[i] = 0;
    } else if (this.activation === "tanh") {
      for (let i = 0; i < delta.length; i++) delta[i] *= 1 - out[i] * out[i];
    } else {
      // 1 above zero, e^z = out + 1 below.
      for (let i = 0; i < delta.length; i++) {
        if (out[i] < 0) delta[i] *= out[i] + 1;
      }
    }
  }

  /** The buffer for ∂loss/∂output of `n` rows, to fill before {@linkcode KernelMlp.backward}. */
  outputDelta(n: number): Float32Array {
    this.#reserve(n);
    return this.#arena.f32(this.#deltas[0], n * this.sizes.at(-1)!);
  }

  /**
   * ∂loss/∂θ into {@linkcode KernelMlp.grad}, from the last forward pass
   * over `n` rows and the derivative in {@linkcode KernelMlp.outputDelta}.
   */
  backward(n: number): void {
    const a = this.#arena;
    let [delta, spare] = this.#deltas;
    for (let l = this.sizes.length - 2; l >= 0; l--) {
      const [fanIn, fanOut] = [this.sizes[l], this.sizes[l + 1]];
      const x = this.#acts[l];
      const dW = this.#grad + 4 * this.#w[l];
      const db = this.#grad + 4 * this.#b[l];
      // dW = xᵀ·δ (x read transposed through its strides); db = 1ᵀ·δ. With
      // one output, dW = δᵀ·x is one row, which the kernel vectorises.
      if (fanOut === 1) a.gemm(delta, 0, 1, x, dW, 1, n, fanIn);
      else a.gemm(x, 1, fanIn, delta, dW, fanIn, n, fanOut);
      a.gemm(this.#ones, 0, 1, delta, db, 1, n, fanOut);
      if (l === 0) break;
      // δ_prev = (δ·Wᵀ) ⊙ f'(x), with Wᵀ written out (small) and ReLU's
      // derivative fused as a gate on the layer's output.
      a.transpose(this.#theta + 4 * this.#w[l], fanIn, fanOut, this.#wT);
      const relu = this.activation === "relu";
      a.gemm(delta, fanOut, 1, this.#wT, spare, n, fanOut, fanIn, {
        gate: relu ? x : undefined,
      });
      if (!relu) this.#derivative(a.f32(spare, n * fanIn), a.f32(x, n * fanIn));
      [delta, spare] = [spare, delta];
    }
  }
}

/**
 * Copies rows `idx[k]` of `from` (row-major, `width` columns) into rows
 * `at + k` of `into` (row-major, `stride` columns) from column `column`:
 * how callers fill a {@linkcode KernelMlp}'s input, e.g. [x, y] side by side
 * with two calls.
 *
 * @example
 * ```ts
 * import { gatherRows } from "./_kernel_mlp.ts";
 * const into = new Float32Array(4);
 * gatherRows(into, 2, 1, Float32Array.from([10, 20, 30]), 1, [2, 0]);
 * if (into.join() !== "0,30,0,10") throw new Error(`${into}`);
 * ```
 */
export function gatherRows(
  into: Float32Array,
  stride: number,
  column: number,
  from: Float32Array,
  width: number,
  idx: ArrayLike<number>,
  at = 0,
): void {
  if (width > 16) {
    for (let k = 0; k < idx.length; k++) {
      const r = idx[k] * width;
      into.set(from.subarray(r, r + width), (at + k) * stride + column);
    }
    return;
  }
  // Narrow rows (a critic's x and y are often a few columns): a plain loop,
  // as a subarray view per row costs more than the copy.
  for (let k = 0; k < idx.length; k++) {
    const r = idx[k] * width;
    const o = (at + k) * stride + column;
    for (let j = 0; j < width; j++) into[o + j] = from[r + j];
  }
}

/**
 * Adam on a flat parameter vector in place (the constants of
 * tf.train.adam: β₁ 0.9, β₂ 0.999, ε 1e-7).
 */
export class Adam {
  readonly learningRate: number;
  readonly #m: Float32Array;
  readonly #v: Float32Array;
  #t = 0;

  constructor(size: number, learningRate: number) {
    this.learningRate = learningRate;
    this.#m = new Float32Array(size);
    this.#v = new Float32Array(size);
  }

  /** One step on `theta` down the gradient `g`. */
  apply(theta: Float32Array, g: Float32Array): void {
    this.#t += 1;
    const [b1, b2, eps] = [0.9, 0.999, 1e-7];
    const lrT = this.learningRate * Math.sqrt(1 - b2 ** this.#t) /
      (1 - b1 ** this.#t);
    const [m, v] = [this.#m, this.#v];
    for (let i = 0; i < g.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      theta[i] -= lrT * m[i] / (Math.sqrt(v[i]) + eps);
    }
  }
}
