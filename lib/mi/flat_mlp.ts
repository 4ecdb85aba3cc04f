/**
 * MLPs whose parameters live in one flat vector, with the backward pass
 * written out by hand, and Adam on that vector: the building blocks of the
 * fast critic trainers. Per step this issues about a third of the backend
 * ops of tfjs autodiff plus its per-variable optimizer, and it transposes
 * explicitly (in tfjs-wasm a matMul with transposeA/B runs ~10× slower).
 *
 * @module
 */

import { tf, variableOf } from "../backend.ts";
import type { Random } from "../random.ts";
import type { Activation } from "./critic.ts";

/** One layer's weights and bias, sliced from the flat vector. */
export interface LayerView {
  w: tf.Tensor2D;
  b: tf.Tensor1D;
}

/**
 * The layout of an MLP (hidden layers with `activation`, a linear output)
 * inside a flat parameter vector: per layer W (fanIn × fanOut, row-major)
 * then b.
 *
 * @example
 * ```ts
 * import { FlatMlp } from "./flat_mlp.ts";
 * import { Random } from "../random.ts";
 * import { ensureBackend, tf } from "../backend.ts";
 * await ensureBackend();
 * const init: number[] = [];
 * const mlp = new FlatMlp([3, 8, 1], "relu", init, new Random(0));
 * const theta = tf.tensor1d(init);
 * const pass = mlp.forward(theta, tf.ones([4, 3]));
 * const grad = mlp.backward(pass, tf.ones([4, 1]));
 * if (grad.size !== mlp.size) throw new Error("one gradient entry per parameter");
 * ```
 */
export class FlatMlp {
  readonly sizes: readonly number[];
  readonly activation: Activation;
  /** Where this MLP's parameters start in the flat vector. */
  readonly offset: number;
  /** How many parameters it has. */
  readonly size: number;
  readonly #offsets: number[] = [];

  /**
   * Appends Glorot-uniform weights and zero biases to `init`, which the
   * caller turns into the flat vector (several MLPs may share one).
   */
  constructor(
    sizes: readonly number[],
    activation: Activation,
    init: number[],
    r: Random,
  ) {
    this.sizes = sizes;
    this.activation = activation;
    this.offset = init.length;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      this.#offsets.push(init.length);
      for (let i = 0; i < fanIn * fanOut; i++) {
        init.push(r.uniform(-limit, limit));
      }
      for (let i = 0; i < fanOut; i++) init.push(0);
    }
    this.size = init.length - this.offset;
  }

  #layers(theta: tf.Tensor1D): LayerView[] {
    return this.#offsets.map((off, l) => {
      const [fanIn, fanOut] = [this.sizes[l], this.sizes[l + 1]];
      return {
        w: tf.reshape(tf.slice(theta, off, fanIn * fanOut), [
          fanIn,
          fanOut,
        ]) as tf.Tensor2D,
        b: tf.slice(theta, off + fanIn * fanOut, fanOut) as tf.Tensor1D,
      };
    });
  }

  /**
   * The input and every layer's output (the last is the MLP's output), and
   * the layer views for {@linkcode FlatMlp.backward}.
   */
  forward(theta: tf.Tensor1D, u: tf.Tensor2D): ForwardPass {
    const layers = this.#layers(theta);
    const acts: tf.Tensor2D[] = [u];
    layers.forEach((layer, l) => {
      const last = l === layers.length - 1;
      // relu and elu fuse into the product; tanh follows it.
      const fused = last || this.activation === "tanh"
        ? "linear"
        : this.activation;
      let z = tf.fused.matMul({
        a: acts[l],
        b: layer.w,
        bias: layer.b,
        activation: fused,
      }) as tf.Tensor2D;
      if (!last && this.activation === "tanh") z = tf.tanh(z);
      acts.push(z);
    });
    return { acts, layers, output: acts[acts.length - 1] };
  }

  #activate(z: tf.Tensor2D): tf.Tensor2D {
    switch (this.activation) {
      case "relu":
        return tf.relu(z);
      case "tanh":
        return tf.tanh(z);
      case "elu":
        return tf.elu(z);
    }
  }

  /** The activation's derivative, from its output `a`. */
  #derivative(a: tf.Tensor2D): tf.Tensor2D {
    switch (this.activation) {
      case "relu":
        return tf.step(a);
      case "tanh":
        return tf.sub(1, tf.square(a));
      case "elu":
        return tf.minimum(tf.add(a, 1), 1); // 1 above zero, e^z = a + 1 below
    }
  }

  /**
   * The flat gradient (this MLP's slice, `size` entries) of a loss whose
   * derivative with respect to the output is `delta`, from `forward`'s pass.
   *
   * The weight gradients need each layer's input transposed, and tfjs-wasm
   * transposes slowly (4.8 ms for 8,192 × 100, against 1.4 ms to compute
   * the first hidden layer transposed from the transposed input), while
   * matMul with transposeA is slower still. So: a layer with one output
   * takes δᵀ·input and needs no transpose; the first hidden layer's output
   * is recomputed transposed on large batches; biases take 1ᵀ·δ.
   */
  backward(pass: ForwardPass, delta: tf.Tensor2D): tf.Tensor1D {
    const { acts, layers } = pass;
    const n = acts[0].shape[0];
    const grads: tf.Tensor[] = [];
    const ones = tf.ones([1, n]) as tf.Tensor2D;
    const uT = tf.transpose(acts[0]) as tf.Tensor2D;
    const inputT = (l: number): tf.Tensor2D => {
      if (l === 0) return uT;
      if (l === 1 && n >= 2048 && this.sizes[0] * 4 <= this.sizes[1]) {
        const b = tf.reshape(layers[0].b, [-1, 1]);
        return this.#activate(
          tf.add(tf.matMul(tf.transpose(layers[0].w), uT), b) as tf.Tensor2D,
        );
      }
      return tf.transpose(acts[l]) as tf.Tensor2D;
    };
    for (let l = layers.length - 1; l >= 0; l--) {
      const dW = delta.shape[1] === 1
        ? tf.matMul(tf.reshape(delta, [1, n]), acts[l])
        : tf.matMul(inputT(l), delta);
      // Pushed in reverse: reversed below into θ's [W, b] order.
      grads.push(tf.reshape(tf.matMul(ones, delta), [-1]));
      grads.push(tf.reshape(dW, [-1]));
      if (l > 0) {
        delta = tf.mul(
          tf.matMul(delta, tf.transpose(layers[l].w)),
          this.#derivative(acts[l]),
        ) as tf.Tensor2D;
      }
    }
    return tf.concat(grads.reverse(), 0) as tf.Tensor1D;
  }
}

/** What {@linkcode FlatMlp.forward} computes. */
export interface ForwardPass {
  /** The input, then each layer's output. */
  acts: tf.Tensor2D[];
  /** The weights and biases, sliced from θ. */
  layers: LayerView[];
  /** The MLP's output (the last of `acts`). */
  output: tf.Tensor2D;
}

/**
 * Adam on one flat parameter vector (the same constants as tf.train.adam:
 * β₁ 0.9, β₂ 0.999, ε 1e-7). The update runs in JavaScript on the read-back
 * gradient: one read and one upload per step instead of about fifteen
 * backend ops, which measured faster on the wasm backend.
 */
export class FlatAdam {
  readonly theta: tf.Variable<tf.Rank.R1>;
  readonly learningRate: number;
  readonly #theta: Float32Array;
  readonly #m: Float32Array;
  readonly #v: Float32Array;
  #t = 0;

  constructor(init: number[], learningRate: number) {
    this.#theta = Float32Array.from(init);
    this.#m = new Float32Array(init.length);
    this.#v = new Float32Array(init.length);
    this.theta = variableOf(() => tf.tensor1d(this.#theta));
    this.learningRate = learningRate;
  }

  /** One update with gradient `grad` (of the loss, to descend). */
  apply(grad: tf.Tensor1D): void {
    this.#t += 1;
    const [b1, b2, eps] = [0.9, 0.999, 1e-7];
    const lrT = this.learningRate * Math.sqrt(1 - b2 ** this.#t) /
      (1 - b1 ** this.#t);
    const g = grad.dataSync();
    const [theta, m, v] = [this.#theta, this.#m, this.#v];
    for (let i = 0; i < g.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      theta[i] -= lrT * m[i] / (Math.sqrt(v[i]) + eps);
    }
    tf.tidy(() => this.theta.assign(tf.tensor1d(theta)));
  }

  dispose(): void {
    this.theta.dispose();
  }
}
