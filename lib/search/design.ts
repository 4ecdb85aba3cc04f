/**
 * A fixed design as a member of the search family: trial i is the i-th of a
 * list of configurations, whatever the results. `sweep` and `evaluateTrials`
 * run it through the same driver as `optimize`.
 *
 * @module
 */

import type { Config } from "../space/space.ts";
import {
  type FinishedTrial,
  type Outcome,
  type Searcher,
  SearchError,
  type Suggestion,
  takeOutcome,
} from "./searcher.ts";

/**
 * Proposes `configs[0]`, `configs[1]`, … as trials 0, 1, …, skipping those
 * restored from a store (numbered past the design: refused); results change
 * nothing, and pending trials too.
 *
 * @example
 * ```ts
 * import { DesignSearcher } from "./design.ts";
 * const s = new DesignSearcher([{ x: 1 }, { x: 2 }, { x: 3 }]);
 * s.restore([{ suggestion: { trial: 1, config: { x: 2 }, budget: null }, outcome: { value: 0 } }]);
 * const a = s.ask(), b = s.ask();
 * if (a.trial !== 0 || b.trial !== 2 || b.config.x !== 3) throw new Error();
 * ```
 */
export class DesignSearcher implements Searcher {
  /** Not a registered method: a design is built from its list. */
  readonly name = "design";
  readonly #configs: readonly Config[];
  readonly #mismatch: (trial: FinishedTrial) => Error | null;
  readonly #done = new Set<number>();
  readonly #pending = new Map<number, Suggestion>();
  #next = 0;

  /**
   * `mismatch` says why a restored trial does not belong to this design
   * (null when it does); by default its configuration must be the design's
   * (same values, same hyperparameters set).
   */
  constructor(
    configs: readonly Config[],
    mismatch?: (trial: FinishedTrial) => Error | null,
  ) {
    this.#configs = configs;
    this.#mismatch = mismatch ?? (({ suggestion: { trial, config } }) => {
      const planned = configs[trial];
      const names = new Set([...Object.keys(config), ...Object.keys(planned)]);
      return [...names].every((n) => config[n] === planned[n])
        ? null
        : new SearchError(
          `trial ${trial} was stored with another configuration than the design's`,
        );
    });
  }

  /** The next trial of the design not done yet. */
  ask(): Suggestion {
    while (this.#done.has(this.#next)) this.#next++;
    if (this.#next >= this.#configs.length) {
      throw new SearchError(
        `the design has ${this.#configs.length} configurations, all asked`,
      );
    }
    const s: Suggestion = {
      trial: this.#next,
      config: this.#configs[this.#next++],
      budget: null,
    };
    this.#pending.set(s.trial, s);
    return s;
  }

  /** Marks the trial done; the design goes on whatever it gave. */
  tell(trial: number, result: number | Outcome): void {
    takeOutcome(this.#pending, trial, result);
    this.#done.add(trial);
  }

  /**
   * Marks stored trials done (any of them, gaps allowed), checking each;
   * `pending` trials (asked by another worker of a shared study) are not
   * asked again either.
   */
  restore(
    trials: readonly FinishedTrial[],
    _state?: unknown,
    pending: readonly Suggestion[] = [],
  ): boolean {
    for (const s of pending) this.#done.add(s.trial);
    for (const t of trials) {
      if (!(t.suggestion.trial < this.#configs.length)) {
        throw new SearchError(
          `trial ${t.suggestion.trial} is past the design's ${this.#configs.length} configurations`,
        );
      }
      const e = this.#mismatch(t);
      if (e) throw e;
    }
    for (const t of trials) this.#done.add(t.suggestion.trial);
    return true;
  }
}
