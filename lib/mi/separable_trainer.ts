/**
 * A fast trainer for separable critics T(x, y) = g(x)ᵀh(y) on the
 * score-matrix bounds (Poole et al. 2019): one batch gives the n × n matrix
 * S = G Hᵀ, with the joint pairs on the diagonal and every other entry a
 * product-of-marginals pair. The loss's derivative dS is written out per
 * bound, then dG = dS H and dH = dSᵀ G go back through the two MLPs of
 * `flat_mlp.ts`.
 *
 * @module
 */

import { tf } from "../backend.ts";
import { Random } from "../random.ts";
import { type MatrixBound, matrixBound } from "./bounds.ts";
import type { Activation } from "./critic.ts";
import { FlatAdam, FlatMlp } from "./flat_mlp.ts";

/**
 * The objective and read-out: InfoNCE and NWJ train on their own bound;
 * SMILE trains on the Jensen-Shannon objective and reads out the clipped
 * DV bound.
 */
export type { MatrixBound };

/**
 * A separable critic trained by {@linkcode SeparableTrainer.step}.
 */
export class SeparableTrainer {
  readonly g: FlatMlp;
  readonly h: FlatMlp;
  readonly bound: MatrixBound;
  readonly clip: number;
  readonly #adam: FlatAdam;
  readonly #eyes = new Map<number, tf.Tensor2D>();

  constructor(
    dx: number,
    dy: number,
    options: {
      bound: MatrixBound;
      hidden: readonly number[];
      embedding: number;
      learningRate: number;
      activation?: Activation;
      /** SMILE's τ. Default 5. */
      clip?: number;
      seed: number;
    },
  ) {
    this.bound = options.bound;
    this.clip = options.clip ?? 5;
    const r = new Random(options.seed, "critic-init");
    const act = options.activation ?? "relu";
    const init: number[] = [];
    this.g = new FlatMlp(
      [dx, ...options.hidden, options.embedding],
      act,
      init,
      r,
    );
    this.h = new FlatMlp(
      [dy, ...options.hidden, options.embedding],
      act,
      init,
      r,
    );
    this.#adam = new FlatAdam(init, options.learningRate);
  }

  /** The flat parameter vector: g's parameters, then h's. */
  get theta(): tf.Variable<tf.Rank.R1> {
    return this.#adam.theta;
  }

  #eye(n: number): tf.Tensor2D {
    let eye = this.#eyes.get(n);
    if (!eye) {
      eye = tf.keep(tf.eye(n)) as tf.Tensor2D;
      this.#eyes.set(n, eye);
    }
    return eye;
  }

  /** The score matrix S_ij = g(x_i)ᵀh(y_j). */
  matrix(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() =>
      tf.matMul(
        this.g.forward(this.theta, x).output,
        tf.transpose(this.h.forward(this.theta, y).output),
      )
    );
  }

  /** The bound this trainer reads out, on a score matrix. */
  readOut(s: tf.Tensor2D): tf.Scalar {
    return matrixBound(this.bound, s, this.clip);
  }

  /**
   * The batch's read-out bound and the flat gradient of the training loss
   * (the negative objective) for aligned rows x_i, y_i. Call inside
   * `tf.tidy`.
   */
  gradient(
    x: tf.Tensor2D,
    y: tf.Tensor2D,
  ): { bound: tf.Scalar; grad: tf.Tensor1D } {
    const n = x.shape[0];
    const passG = this.g.forward(this.theta, x);
    const passH = this.h.forward(this.theta, y);
    const gOut = passG.output;
    const hOut = passH.output;
    const s = tf.matMul(gOut, tf.transpose(hOut)) as tf.Tensor2D;
    const eye = this.#eye(n);
    const pairs = n * (n - 1);
    let ds: tf.Tensor2D;
    switch (this.bound) {
      case "infonce":
        // −d/dS of mean_i [S_ii − log Σ_j e^{S_ij}]: (softmax rows − I) / n.
        ds = tf.div(tf.sub(tf.softmax(s), eye), n);
        break;
      case "nwj": {
        // Diagonal −1/n; off-diagonal e^{S_ij − 1} / (n(n−1)), capped so a
        // runaway score cannot overflow the step.
        const e = tf.div(tf.exp(tf.minimum(tf.sub(s, 1), 50)), pairs);
        ds = tf.sub(tf.mul(e, tf.sub(1, eye)), tf.div(eye, n));
        break;
      }
      case "smile": {
        // Jensen-Shannon: diagonal −σ(−S_ii)/n; off-diagonal σ(S_ij)/(n(n−1)).
        const off = tf.mul(tf.div(tf.sigmoid(s), pairs), tf.sub(1, eye));
        const diag = tf.mul(tf.div(tf.sigmoid(tf.neg(s)), -n), eye);
        ds = tf.add(off, diag);
        break;
      }
    }
    const dG = tf.matMul(ds, hOut) as tf.Tensor2D;
    const dH = tf.matMul(tf.transpose(ds), gOut) as tf.Tensor2D;
    const grad = tf.concat([
      this.g.backward(passG, dG),
      this.h.backward(passH, dH),
    ]) as tf.Tensor1D;
    return { bound: this.readOut(s), grad };
  }

  /** One Adam step on a batch; returns the batch's bound without reading it back. */
  step(x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      const { bound, grad } = this.gradient(x, y);
      this.#adam.apply(grad);
      return bound;
    });
  }

  dispose(): void {
    this.#adam.dispose();
    for (const eye of this.#eyes.values()) eye.dispose();
    this.#eyes.clear();
  }
}
