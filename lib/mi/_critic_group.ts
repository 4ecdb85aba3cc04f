/**
 * Several concat critics stepped together, each a {@linkcode PairTrainer}
 * on the matrix kernel (its own input width, parameters, Adam and MINE
 * moving average). Per-layer MI fits 2 × layers critics per checkpoint,
 * for I(X;T) and I(T;Y), one group of all of them with `together: true`,
 * else a group of one per critic.
 *
 * When the critics still trained in tfjs (12 critics of the 12-bit
 * network, 2 × 100 hidden, batch 256), one batched matMul over a stacked
 * critic axis ran about 5× slower than separate products and one shared
 * parameter vector about 1.25× slower; stepping them together ran at 0.93×
 * to 1.0× the speed of one critic at a time. `deno task bench layers`
 * reports the ratio.
 *
 * Each critic's initial weights come from its own seeded stream, so a critic
 * trained in a group and alone (a group of one) on the same batches follows
 * the same path: the estimates are identical.
 *
 * @module
 */

import type { CriticActivation } from "./_critic.ts";
import {
  type PairBound,
  pairBoundValue,
  PairTrainer,
} from "./_pair_trainer.ts";

/** Options of {@linkcode CriticGroup}. */
export interface CriticGroupOptions {
  /** Hidden widths of every critic. */
  hidden: readonly number[];
  activation?: CriticActivation;
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
 * import { CriticGroup } from "./_critic_group.ts";
 * const group = new CriticGroup([3, 5], ["a", "b"], { hidden: [8], bound: "dv", learningRate: 1e-3, seed: 0 });
 * // 8 joint then 8 marginal rows per critic, row-major.
 * const rows = [new Float32Array(16 * 3).fill(0.5), new Float32Array(16 * 5).fill(-1)];
 * const bounds = group.step(rows, 8);
 * if (bounds.length !== 2) throw new Error("one bound per critic");
 * group.dispose();
 * ```
 */
export class CriticGroup {
  /** Each critic's input width. */
  readonly dims: readonly number[];
  readonly #trainers: PairTrainer[];

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
    this.#trainers = dims.map((d, c) =>
      new PairTrainer(d, options.hidden, {
        bound: options.bound,
        learningRate: options.learningRate,
        activation: options.activation,
        emaAlpha: options.emaAlpha,
        seed: options.seed,
        stream: `critic ${keys[c]}`,
      })
    );
  }

  get count(): number {
    return this.dims.length;
  }

  /** How many rows of critic c's width `values` holds. */
  #rowCount(values: Float32Array, c: number): number {
    const n = values.length / this.dims[c];
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(
        `CriticGroup: critic ${c}'s rows hold ${values.length} values, not a whole number of rows of width ${
          this.dims[c]
        }`,
      );
    }
    return n;
  }

  #check(rows: readonly Float32Array[]): void {
    if (rows.length !== this.count) {
      throw new RangeError(
        `CriticGroup expects rows for ${this.count} critics, got ${rows.length}`,
      );
    }
  }

  /** Critic c's scores of its `rows` (row-major, width dims[c]). */
  #scores(c: number, rows: Float32Array): Float32Array {
    const n = this.#rowCount(rows, c);
    this.#trainers[c].rows(n).set(rows);
    return this.#trainers[c].scores(n);
  }

  /**
   * One Adam step for every critic: `rows[c]` holds critic c's joint rows
   * (the first `nJoint`) then rows pairing x with a shuffled y, row-major.
   * Returns the batch's bound per critic.
   */
  step(rows: readonly Float32Array[], nJoint: number): Float64Array {
    this.#check(rows);
    return Float64Array.from(this.#trainers, (t, c) => {
      const n = this.#rowCount(rows[c], c);
      t.rows(n).set(rows[c]);
      return t.step(n, nJoint);
    });
  }

  /**
   * The DV bound (NWJ for `bound: "nwj"`) of each critic on its joint rows
   * and marginal rows, given separately.
   */
  evaluate(
    joint: readonly Float32Array[],
    marginal: readonly Float32Array[],
  ): Float64Array {
    this.#check(joint);
    this.#check(marginal);
    return Float64Array.from(this.#trainers, (t, c) =>
      pairBoundValue(
        this.#scores(c, joint[c]),
        this.#scores(c, marginal[c]),
        t.bound,
      ));
  }

  dispose(): void {
    this.#trainers.forEach((t) => t.dispose());
  }
}
