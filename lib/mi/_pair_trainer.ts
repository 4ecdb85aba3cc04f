/**
 * The fast trainer for concat critics on the pair-based bounds (the MINE
 * family), on the matrix kernel (`kernel_mlp.ts`); and MINE's moving
 * average, for the tfjs autodiff trainer and in plain numbers.
 *
 * @module
 */

import { tf, variableOf } from "../nets/backend.ts";
import { Random } from "../space/random.ts";
import { updateLogEma } from "./_bounds.ts";
import type { CriticActivation } from "./_critic.ts";
import { Arena } from "../_kernels/gemm.ts";
import { Adam, KernelMlp } from "./_kernel_mlp.ts";

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

function mean(v: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i];
  return sum / v.length;
}

/** log mean e^v, taken relative to the maximum so that nothing overflows. */
function logMeanExp(v: Float32Array): number {
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) max = Math.max(max, v[i]);
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += Math.exp(v[i] - max);
  return Math.log(sum / v.length) + max;
}

/**
 * The DV bound E_P[T] − log E_Q[e^T] of joint scores `tj` and marginal
 * scores `tm`, or with `kind` "nwj" the f-divergence form E_P[T] − E_Q[e^{T−1}].
 */
export function pairBoundValue(
  tj: Float32Array,
  tm: Float32Array,
  kind: PairBound,
): number {
  const lme = logMeanExp(tm);
  return mean(tj) - (kind === "nwj" ? Math.exp(lme - 1) : lme);
}

/**
 * A pair bound on a critic's scores, and the loss's derivative with
 * respect to them written into `delta`: `scores` holds first `nJoint` joint
 * rows [x_i, y_i], then marginal rows [x_i, y_σ(i)]. The bound is DV for
 * "dv" and "mine-ema", NWJ for "nwj"; for "mine-ema" the marginal part of
 * the derivative is e^T / EMA (the bias-corrected gradient of Belghazi et
 * al.), where `logEma` is the log moving average after this batch. Every
 * exponential is taken relative to a maximum, so none overflows.
 */
export function pairBound(
  scores: Float32Array,
  nJoint: number,
  kind: PairBound,
  delta: Float32Array,
  logEma: (lmeMarginal: number) => number,
): number {
  const nj = nJoint;
  const nm = scores.length - nJoint;
  if (nj < 1 || nm < 1) {
    throw new RangeError(
      `a pair bound: ${scores.length} rows cannot hold ${nJoint} joint rows and at least one marginal row`,
    );
  }
  const meanJ = mean(scores.subarray(0, nj));
  const lmeM = logMeanExp(scores.subarray(nj));
  // d(loss)/dT is −1/nj on joint rows; on marginal rows it depends on the bound.
  for (let i = 0; i < nj; i++) delta[i] = -1 / nj;
  if (kind === "nwj") {
    for (let i = nj; i < scores.length; i++) {
      delta[i] = Math.exp(scores[i] - 1) / nm;
    }
    return meanJ - Math.exp(lmeM - 1);
  }
  // "dv": the softmax of the marginal scores; "mine-ema": e^T / (nm · EMA).
  const shift = kind === "dv" ? lmeM : logEma(lmeM);
  for (let i = nj; i < scores.length; i++) {
    delta[i] = Math.exp(Math.min(scores[i] - shift, 50)) / nm;
  }
  return meanJ - lmeM;
}

/**
 * MINE's moving average of E_Q[e^T], kept as its log: weight `alpha` on the
 * new batch, the first batch starting it (as {@linkcode updateLogEma}).
 */
export class NumberLogEma {
  #value: number | null = null;
  constructor(readonly alpha: number) {}

  /** Folds in a batch's log-mean-exp and returns the new log average. */
  update(lme: number): number {
    if (this.#value === null) return (this.#value = lme);
    const a = this.#value + Math.log(1 - this.alpha);
    const b = lme + Math.log(this.alpha);
    const m = Math.max(a, b);
    return (this.#value = m + Math.log(Math.exp(a - m) + Math.exp(b - m)));
  }
}

/**
 * A concat critic T(x, y) = MLP([x, y]) on the MINE family's bounds,
 * trained with no tfjs op per step: joint and shuffled rows go through the
 * {@linkcode KernelMlp} in one pass, with Adam in place.
 *
 * @example
 * ```ts
 * import { PairTrainer } from "./_pair_trainer.ts";
 * const t = new PairTrainer(2, [16], { bound: "mine-ema", learningRate: 1e-2, seed: 0 });
 * // 4 joint rows [x, x + noise] then 4 marginal rows [x, shuffled y].
 * const rows = t.rows(8);
 * rows.set([0, 0, 1, 1.1, 2, 2, 3, 2.9, 0, 2, 1, 2.9, 2, 0, 3, 1.1]);
 * const bound = t.step(8, 4);
 * if (!Number.isFinite(bound)) throw new Error("a finite bound");
 * ```
 */
export class PairTrainer {
  readonly mlp: KernelMlp;
  readonly emaAlpha: number;
  readonly bound: PairBound;
  readonly #adam: Adam;
  readonly #ema: NumberLogEma;
  readonly #arena: Arena;

  constructor(
    dIn: number,
    hidden: readonly number[],
    options: {
      bound: PairBound;
      learningRate: number;
      activation?: CriticActivation;
      emaAlpha?: number;
      seed: number;
      /** The name of the random stream for the initial weights. Default "critic-init". */
      stream?: string;
      /** Threads for large products (see `Arena`). Default 1. */
      threads?: number;
    },
  ) {
    this.bound = options.bound;
    this.emaAlpha = options.emaAlpha ?? 0.01;
    this.mlp = new KernelMlp(
      [dIn, ...hidden, 1],
      options.activation ?? "relu",
      new Random(options.seed, options.stream ?? "critic-init"),
      this.#arena = new Arena({ threads: options.threads ?? 1 }),
    );
    this.#adam = new Adam(this.mlp.size, options.learningRate);
    this.#ema = new NumberLogEma(this.emaAlpha);
  }

  /** The flat parameter vector (a live view). */
  get theta(): Float32Array {
    return this.mlp.theta;
  }

  /** The buffer for `n` rows u = [x, y] (n × dIn, row-major), to fill before a call. */
  rows(n: number): Float32Array {
    return this.mlp.input(n);
  }

  /** T(u) for the `n` rows in {@linkcode PairTrainer.rows} (a copy). */
  scores(n: number): Float32Array {
    return this.mlp.forward(n).slice();
  }

  /**
   * The bound on the `n` rows in {@linkcode PairTrainer.rows} — first
   * `nJoint` joint rows [x_i, y_i], then marginal rows [x_i, y_σ(i)] — and
   * the flat gradient of its negative (the loss; a live view). For
   * "mine-ema" the gradient's marginal part is ∇E_Q[e^T] / EMA, with the
   * EMA updated by this batch.
   */
  gradient(n: number, nJoint: number): { bound: number; grad: Float32Array } {
    const scores = this.mlp.forward(n);
    const bound = pairBound(
      scores,
      nJoint,
      this.bound,
      this.mlp.outputDelta(n),
      (lme) => this.#ema.update(lme),
    );
    this.mlp.backward(n);
    return { bound, grad: this.mlp.grad };
  }

  /** One Adam step on the rows in {@linkcode PairTrainer.rows}; returns the batch's bound. */
  step(n: number, nJoint: number): number {
    const { bound, grad } = this.gradient(n, nJoint);
    this.#adam.apply(this.mlp.theta, grad);
    return bound;
  }

  /** Ends the arena's helper threads, if any (the memory goes with the object). */
  dispose(): void {
    this.#arena.close();
  }
}
