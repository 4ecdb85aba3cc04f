/**
 * Several concat critics trained as one group: every step gathers each
 * source (x, each layer's T, y) once for all critics, then steps each critic
 * (its own input size, flat parameters, Adam and MINE moving average).
 * Per-layer MI fits 2 × layers critics per checkpoint, for I(X;T) and I(T;Y).
 *
 * What was measured on the wasm backend (12 critics of the 12-bit network,
 * 2 × 100 hidden, batch 256): one batched matMul over a stacked critic axis
 * ran about 5× slower than separate critics (tfjs-wasm 4.22's batched matMul
 * took 55 ms where 12 separate [512 × 100]·[100 × 100] products took 5.6
 * ms); one shared parameter vector with one Adam update ran about 1.25×
 * slower (the gradient concatenation, and every critic's intermediates alive
 * at once); this form ran at 0.93× to 1.0× the speed of fitting the critics
 * one at a time, so per-layer MI fits them one at a time by default.
 * `deno task bench layers` reports the ratio.
 *
 * Each critic's initial weights come from its own seeded stream, so a critic
 * trained in a group and alone (a group of one) on the same batches follows
 * the same path: the estimates are identical.
 *
 * @module
 */

import { tf } from "../backend.ts";
import { Random } from "../random.ts";
import { dvPairs, nwjPairs } from "./bounds.ts";
import type { Activation } from "./critic.ts";
import { FlatAdam, FlatMlp } from "./flat_mlp.ts";
import { LogEma, type PairBound, pairDelta } from "./pair_trainer.ts";

/** Options of {@linkcode CriticGroup}. */
export interface CriticGroupOptions {
  /** Hidden widths of every critic. */
  hidden: readonly number[];
  activation?: Activation;
  bound: PairBound;
  learningRate: number;
  /** MINE: weight of the new batch in each critic's moving average. Default 0.01. */
  emaAlpha?: number;
  /** Each critic's weights come from `new Random(seed, "critic " + key)`. */
  seed: number;
}

/**
 * Concat critics T_c(u) = MLP_c(u), u = [x, y] of width `dims[c]`, trained
 * together on the DV, MINE-EMA or NWJ bound.
 *
 * @example
 * ```ts
 * import { CriticGroup } from "./critic_group.ts";
 * import { ensureBackend, tf } from "../backend.ts";
 * await ensureBackend();
 * const group = new CriticGroup([3, 5], ["a", "b"], { hidden: [8], bound: "dv", learningRate: 1e-3, seed: 0 });
 * // 8 joint then 8 marginal rows per critic.
 * const rows = [tf.randomNormal([16, 3]), tf.randomNormal([16, 5])] as tf.Tensor2D[];
 * const bounds = group.step(rows, 8);
 * if (bounds.shape[0] !== 2) throw new Error("one bound per critic");
 * group.dispose();
 * ```
 */
export class CriticGroup {
  /** Each critic's input width. */
  readonly dims: readonly number[];
  readonly #mlps: FlatMlp[];
  readonly #emas: (LogEma | null)[];
  readonly #bound: PairBound;
  readonly #adams: FlatAdam[];

  /** `keys` name each critic's random stream (e.g. "layer 2 I(X;T)"). */
  constructor(
    dims: readonly number[],
    keys: readonly string[],
    options: CriticGroupOptions,
  ) {
    if (dims.length === 0 || dims.length !== keys.length) {
      throw new RangeError(
        `CriticGroup needs one key per critic and at least one critic, got ${dims.length} dims and ${keys.length} keys`,
      );
    }
    this.dims = dims;
    this.#bound = options.bound;
    const inits: number[][] = dims.map(() => []);
    this.#mlps = dims.map((d, c) =>
      new FlatMlp(
        [d, ...options.hidden, 1],
        options.activation ?? "relu",
        inits[c],
        new Random(options.seed, `critic ${keys[c]}`),
      )
    );
    this.#emas = dims.map(() =>
      options.bound === "mine-ema" ? new LogEma(options.emaAlpha ?? 0.01) : null
    );
    this.#adams = inits.map((init) => new FlatAdam(init, options.learningRate));
  }

  get count(): number {
    return this.dims.length;
  }

  #check(rows: readonly tf.Tensor2D[]): void {
    if (
      rows.length !== this.count ||
      rows.some((r, c) => r.shape[1] !== this.dims[c])
    ) {
      throw new RangeError(
        `CriticGroup expects ${this.count} inputs of widths ${this.dims}, got widths ${
          rows.map((r) => r.shape[1])
        }`,
      );
    }
  }

  /**
   * One Adam step for every critic: `rows[c]` holds critic c's joint rows
   * (the first `nJoint`) then rows pairing x with a shuffled y. Returns the
   * batch's bound per critic, not read back.
   */
  step(rows: readonly tf.Tensor2D[], nJoint: number): tf.Tensor1D {
    this.#check(rows);
    // One tidy per critic keeps the live working set to one critic's.
    const bounds = this.#mlps.map((mlp, c) =>
      tf.tidy(() => {
        const pass = mlp.forward(this.#adams[c].theta, rows[c]);
        const { bound, delta } = pairDelta(
          pass.output,
          nJoint,
          this.#bound,
          this.#emas[c],
        );
        this.#adams[c].apply(mlp.backward(pass, delta));
        return bound;
      })
    );
    const stacked = tf.stack(bounds) as tf.Tensor1D;
    tf.dispose(bounds);
    return stacked;
  }

  /**
   * The DV bound (NWJ for `bound: "nwj"`) of each critic on its joint rows
   * and marginal rows, given separately; not read back.
   */
  evaluate(
    joint: readonly tf.Tensor2D[],
    marginal: readonly tf.Tensor2D[],
  ): tf.Tensor1D {
    this.#check(joint);
    this.#check(marginal);
    return tf.tidy(() => {
      return tf.stack(this.#mlps.map((mlp, c) => {
        const theta = this.#adams[c].theta;
        const tj = mlp.forward(theta, joint[c]).output;
        const tm = mlp.forward(theta, marginal[c]).output;
        return this.#bound === "nwj" ? nwjPairs(tj, tm) : dvPairs(tj, tm);
      })) as tf.Tensor1D;
    });
  }

  dispose(): void {
    this.#adams.forEach((a) => a.dispose());
    this.#emas.forEach((e) => e?.dispose());
  }
}
