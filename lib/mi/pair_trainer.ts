/**
 * A fast trainer for concat critics on the pair-based bounds (the MINE
 * family): joint and shuffled rows go through the MLP in one pass, the
 * backward pass is written out by hand (explicit transposes: transposed
 * matMuls are ~10× slower in tfjs-wasm), and Adam updates one flat
 * parameter vector. Per step this issues about a third of the backend ops
 * of tfjs autodiff plus a per-variable optimizer.
 *
 * @module
 */

import { tf } from "../backend.ts";
import { Random } from "../random.ts";
import { updateLogEma } from "./bounds.ts";

/** How the loss reads the joint scores tj and marginal scores tm. */
export type PairBound = "dv" | "mine-ema" | "nwj";

interface LayerView {
  w: tf.Tensor2D;
  b: tf.Tensor1D;
}

/**
 * A concat critic T(x, y) = MLP([x, y]) with ReLU hidden layers, trained by
 * {@linkcode PairTrainer.step}.
 */
export class PairTrainer {
  readonly sizes: number[];
  readonly theta: tf.Variable<tf.Rank.R1>;
  readonly #m: tf.Variable<tf.Rank.R1>;
  readonly #v: tf.Variable<tf.Rank.R1>;
  readonly #logEma: tf.Variable<tf.Rank.R0>;
  #emaStarted = false;
  #t = 0;
  readonly #offsets: number[] = [];
  readonly learningRate: number;
  readonly emaAlpha: number;
  readonly bound: PairBound;

  constructor(
    dIn: number,
    hidden: readonly number[],
    options: {
      bound: PairBound;
      learningRate: number;
      emaAlpha?: number;
      seed: number;
    },
  ) {
    this.sizes = [dIn, ...hidden, 1];
    this.bound = options.bound;
    this.learningRate = options.learningRate;
    this.emaAlpha = options.emaAlpha ?? 0.01;
    const r = new Random(options.seed, "critic-init");
    const parts: number[] = [];
    for (let l = 0; l + 1 < this.sizes.length; l++) {
      const [fanIn, fanOut] = [this.sizes[l], this.sizes[l + 1]];
      const limit = Math.sqrt(6 / (fanIn + fanOut)); // Glorot uniform
      this.#offsets.push(parts.length);
      for (let i = 0; i < fanIn * fanOut; i++) {
        parts.push(r.uniform(-limit, limit));
      }
      for (let i = 0; i < fanOut; i++) parts.push(0);
    }
    this.theta = tf.variable(tf.tensor1d(parts));
    this.#m = tf.variable(tf.zerosLike(this.theta));
    this.#v = tf.variable(tf.zerosLike(this.theta));
    this.#logEma = tf.variable(tf.scalar(0));
  }

  /** The number of parameters. */
  get size(): number {
    return this.theta.size;
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

  /** Scores T of rows `u` (each row [x, y]): n × 1, and the activations. */
  #forward(u: tf.Tensor2D, layers: LayerView[]): tf.Tensor2D[] {
    const acts: tf.Tensor2D[] = [u];
    layers.forEach((layer, l) => {
      const last = l === layers.length - 1;
      acts.push(tf.fused.matMul({
        a: acts[l],
        b: layer.w,
        bias: layer.b,
        activation: last ? "linear" : "relu",
      }) as tf.Tensor2D);
    });
    return acts;
  }

  /** T(x, y) for aligned rows of the concatenated input `u` = [x, y]. */
  scores(u: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const acts = this.#forward(u, this.#layers(this.theta));
      return acts[acts.length - 1];
    });
  }

  /**
   * The bound on a batch and the flat gradient of its negative (the loss),
   * from `joint` rows [x_i, y_i] and `marginal` rows [x_i, y_σ(i)]. The
   * bound is DV for "dv" and "mine-ema", NWJ for "nwj"; for "mine-ema" the
   * gradient's marginal part is ∇E_Q[e^T] / EMA, with the EMA updated by
   * this batch. Call inside `tf.tidy`.
   */
  gradient(
    joint: tf.Tensor2D,
    marginal: tf.Tensor2D,
  ): { bound: tf.Scalar; grad: tf.Tensor1D } {
    const nj = joint.shape[0];
    const nm = marginal.shape[0];
    const layers = this.#layers(this.theta);
    const acts = this.#forward(tf.concat([joint, marginal], 0), layers);
    const scores = acts[acts.length - 1];
    const tj = tf.slice(scores, [0, 0], [nj, 1]);
    const tm = tf.slice(scores, [nj, 0], [nm, 1]);
    // log-mean-exp by hand: tf.logSumExp costs more than its four ops here.
    const maxM = tf.max(tm);
    const lmeM = tf.add(
      tf.log(tf.mean(tf.exp(tf.sub(tm, maxM)))),
      maxM,
    ) as tf.Scalar;
    const meanJ = tf.mean(tj);
    let bound: tf.Scalar;
    let dtm: tf.Tensor;
    // d(loss)/dT is −1/nj on joint rows; on marginal rows it depends on the bound.
    if (this.bound === "nwj") {
      bound = tf.sub(meanJ, tf.exp(tf.sub(lmeM, 1)));
      dtm = tf.div(tf.exp(tf.sub(tm, 1)), nm);
    } else {
      bound = tf.sub(meanJ, lmeM);
      if (this.bound === "dv") {
        dtm = tf.reshape(tf.softmax(tf.reshape(tm, [1, nm])), [nm, 1]);
      } else {
        const logEma = updateLogEma(
          this.#emaStarted ? this.#logEma : null,
          lmeM,
          this.emaAlpha,
        );
        this.#logEma.assign(logEma);
        this.#emaStarted = true;
        dtm = tf.div(tf.exp(tf.minimum(tf.sub(tm, logEma), 50)), nm);
      }
    }
    let delta = tf.concat([tf.fill([nj, 1], -1 / nj), dtm], 0) as tf.Tensor2D;
    const grads: tf.Tensor[] = [];
    const ones = tf.ones([1, nj + nm]);
    for (let l = layers.length - 1; l >= 0; l--) {
      const input = acts[l];
      // [inputᵀ; 1ᵀ] δ stacks dW over db: exactly θ's [W, b] layout for
      // this layer, in one product (tf.sum over rows is ~6× slower here).
      const inputT1 = tf.concat([tf.transpose(input), ones], 0);
      grads.push(tf.reshape(tf.matMul(inputT1, delta), [-1]));
      if (l > 0) {
        // Back through W, then ReLU: its derivative is 1 where its output was positive.
        delta = tf.mul(
          tf.matMul(delta, tf.transpose(layers[l].w)),
          tf.step(input),
        ) as tf.Tensor2D;
      }
    }
    return { bound, grad: tf.concat(grads.reverse(), 0) as tf.Tensor1D };
  }

  /** One Adam step on a batch; returns the batch's bound without reading it back. */
  step(joint: tf.Tensor2D, marginal: tf.Tensor2D): tf.Scalar {
    this.#t += 1;
    const [b1, b2, eps] = [0.9, 0.999, 1e-7];
    const lrT = this.learningRate * Math.sqrt(1 - b2 ** this.#t) /
      (1 - b1 ** this.#t);
    return tf.tidy(() => {
      const { bound, grad } = this.gradient(joint, marginal);
      const m = tf.add(tf.mul(this.#m, b1), tf.mul(grad, 1 - b1));
      const v = tf.add(tf.mul(this.#v, b2), tf.mul(tf.square(grad), 1 - b2));
      this.#m.assign(m as tf.Tensor1D);
      this.#v.assign(v as tf.Tensor1D);
      this.theta.assign(
        tf.sub(
          this.theta,
          tf.mul(tf.div(m, tf.add(tf.sqrt(v), eps)), lrT),
        ) as tf.Tensor1D,
      );
      return bound;
    });
  }

  dispose(): void {
    for (const v of [this.theta, this.#m, this.#v, this.#logEma]) v.dispose();
  }
}
