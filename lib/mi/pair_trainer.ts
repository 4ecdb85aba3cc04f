/**
 * A fast trainer for concat critics on the pair-based bounds (the MINE
 * family): joint and shuffled rows go through the MLP in one pass, with the
 * hand-written backward pass and flat Adam of `flat_mlp.ts`.
 *
 * @module
 */

import { tf, variableOf } from "../backend.ts";
import { Random } from "../random.ts";
import { updateLogEma } from "./bounds.ts";
import type { Activation } from "./critic.ts";
import { FlatAdam, FlatMlp } from "./flat_mlp.ts";

/** How the loss reads the joint scores tj and marginal scores tm. */
export type PairBound = "dv" | "mine-ema" | "nwj";

/** MINE's moving average of the marginal term, kept as its log. */
export class LogEma {
  readonly #value: tf.Variable<tf.Rank.R0> = variableOf(() => tf.scalar(0));
  #started = false;

  /** `alpha`: the new batch's weight. */
  constructor(readonly alpha: number) {}

  /** The log average so far (0 before the first batch). */
  get current(): tf.Scalar {
    return this.#value;
  }

  /** Folds in a batch's log-mean-exp and returns the new log average. */
  update(lme: tf.Scalar): tf.Scalar {
    const next = updateLogEma(
      this.#started ? this.#value : null,
      lme,
      this.alpha,
    );
    this.#value.assign(next);
    this.#started = true;
    return next;
  }

  dispose(): void {
    this.#value.dispose();
  }
}

/**
 * A pair bound on a critic's scores and the loss's derivative with respect
 * to them: `scores` holds first `nJoint` joint rows [x_i, y_i], then
 * marginal rows [x_i, y_σ(i)]. The bound is DV for "dv" and "mine-ema", NWJ
 * for "nwj"; for "mine-ema" the marginal part of the derivative is
 * e^T / EMA (the bias-corrected gradient), with `ema` updated by this batch.
 * Call inside `tf.tidy`.
 */
export function pairDelta(
  scores: tf.Tensor2D,
  nJoint: number,
  kind: PairBound,
  ema: LogEma | null,
): { bound: tf.Scalar; delta: tf.Tensor2D } {
  const nj = nJoint;
  const nm = scores.shape[0] - nJoint;
  if (nj < 1 || nm < 1) {
    throw new RangeError(
      `a pair bound: ${
        scores.shape[0]
      } rows cannot hold ${nJoint} joint rows and at least one marginal row`,
    );
  }
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
  if (kind === "nwj") {
    bound = tf.sub(meanJ, tf.exp(tf.sub(lmeM, 1)));
    dtm = tf.div(tf.exp(tf.sub(tm, 1)), nm);
  } else {
    bound = tf.sub(meanJ, lmeM);
    if (kind === "dv") {
      dtm = tf.reshape(tf.softmax(tf.reshape(tm, [1, nm])), [nm, 1]);
    } else {
      if (!ema) throw new Error("mine-ema needs its moving average");
      const logEma = ema.update(lmeM);
      dtm = tf.div(tf.exp(tf.minimum(tf.sub(tm, logEma), 50)), nm);
    }
  }
  const delta = tf.concat([tf.fill([nj, 1], -1 / nj), dtm], 0) as tf.Tensor2D;
  return { bound, delta };
}

/**
 * A concat critic T(x, y) = MLP([x, y]), trained by
 * {@linkcode PairTrainer.step}.
 */
export class PairTrainer {
  readonly mlp: FlatMlp;
  readonly #adam: FlatAdam;
  readonly #ema: LogEma;
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
    this.#ema = new LogEma(this.emaAlpha);
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
    const pass = this.mlp.forward(this.theta, rows);
    const { bound, delta } = pairDelta(
      pass.output,
      nJoint,
      this.bound,
      this.#ema,
    );
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
    this.#ema.dispose();
  }
}
