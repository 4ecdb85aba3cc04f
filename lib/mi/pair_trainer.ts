/**
 * A fast trainer for concat critics on the pair-based bounds (the MINE
 * family): joint and shuffled rows go through the MLP in one pass, with the
 * hand-written backward pass and flat Adam of `flat_mlp.ts`.
 *
 * @module
 */

import { tf } from "../backend.ts";
import { Random } from "../random.ts";
import { updateLogEma } from "./bounds.ts";
import type { Activation } from "./critic.ts";
import { FlatAdam, FlatMlp } from "./flat_mlp.ts";

/** How the loss reads the joint scores tj and marginal scores tm. */
export type PairBound = "dv" | "mine-ema" | "nwj";

/**
 * A concat critic T(x, y) = MLP([x, y]), trained by
 * {@linkcode PairTrainer.step}.
 */
export class PairTrainer {
  readonly mlp: FlatMlp;
  readonly #adam: FlatAdam;
  readonly #logEma: tf.Variable<tf.Rank.R0>;
  #emaStarted = false;
  readonly emaAlpha: number;
  readonly bound: PairBound;

  constructor(
    dIn: number,
    hidden: readonly number[],
    options: {
      bound: PairBound;
      learningRate: number;
      activation?: Activation;
      emaAlpha?: number;
      seed: number;
    },
  ) {
    this.bound = options.bound;
    this.emaAlpha = options.emaAlpha ?? 0.01;
    const init: number[] = [];
    this.mlp = new FlatMlp(
      [dIn, ...hidden, 1],
      options.activation ?? "relu",
      init,
      new Random(options.seed, "critic-init"),
    );
    this.#adam = new FlatAdam(init, options.learningRate);
    this.#logEma = tf.variable(tf.scalar(0));
  }

  /** The flat parameter vector. */
  get theta(): tf.Variable<tf.Rank.R1> {
    return this.#adam.theta;
  }

  /** T(x, y) for aligned rows of the concatenated input `u` = [x, y]. */
  scores(u: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.mlp.forward(this.theta, u).output);
  }

  /**
   * The bound on a batch and the flat gradient of its negative (the loss),
   * from `rows`: first `nJoint` joint rows [x_i, y_i], then marginal rows
   * [x_i, y_σ(i)] (one tensor, so the batch needs no concatenation). The
   * bound is DV for "dv" and "mine-ema", NWJ for "nwj"; for "mine-ema" the
   * gradient's marginal part is ∇E_Q[e^T] / EMA, with the EMA updated by
   * this batch. Call inside `tf.tidy`.
   */
  gradient(
    rows: tf.Tensor2D,
    nJoint: number,
  ): { bound: tf.Scalar; grad: tf.Tensor1D } {
    const nj = nJoint;
    const nm = rows.shape[0] - nJoint;
    if (nj < 1 || nm < 1) {
      throw new RangeError(
        `PairTrainer: ${
          rows.shape[0]
        } rows cannot hold ${nJoint} joint rows and at least one marginal row`,
      );
    }
    const pass = this.mlp.forward(this.theta, rows);
    const scores = pass.output;
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
    const delta = tf.concat([tf.fill([nj, 1], -1 / nj), dtm], 0) as tf.Tensor2D;
    return { bound, grad: this.mlp.backward(pass, delta) };
  }

  /** One Adam step on a batch; returns the batch's bound without reading it back. */
  step(rows: tf.Tensor2D, nJoint: number): tf.Scalar {
    return tf.tidy(() => {
      const { bound, grad } = this.gradient(rows, nJoint);
      this.#adam.apply(grad);
      return bound;
    });
  }

  dispose(): void {
    this.#adam.dispose();
    this.#logEma.dispose();
  }
}
