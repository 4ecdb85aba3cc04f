/**
 * `random`: uniform random search over the space (log-uniform where a
 * hyperparameter is log-scaled), the baseline every method is held against.
 *
 * @module
 */

import { Random } from "../space/random.ts";
import {
  type Outcome,
  type Searcher,
  type SearcherSettings,
  type Suggestion,
  takeOutcome,
} from "./searcher.ts";

/**
 * Random search as an ask/tell object.
 *
 * @example
 * ```ts
 * import { SearchSpace, float } from "../space/space.ts";
 * import { RandomSearch } from "./random_search.ts";
 * const s = new RandomSearch({ space: new SearchSpace({ x: float(0, 1) }), seed: 1 });
 * const { trial, config } = s.ask();
 * s.tell(trial, (config.x as number) ** 2);
 * ```
 */
export class RandomSearch implements Searcher {
  readonly name = "random";
  readonly #settings: SearcherSettings;
  readonly #random: Random;
  readonly #pending = new Map<number, Suggestion>();
  #next = 0;

  /**
   * Uniform draws from `settings.space` on a stream of `settings.seed` (default
   * 0).
   */
  constructor(settings: SearcherSettings) {
    this.#settings = settings;
    this.#random = new Random(settings.seed ?? 0, "random-search");
  }

  ask(): Suggestion {
    const s: Suggestion = {
      trial: this.#next++,
      config: this.#settings.space.sample(this.#random),
      budget: null,
    };
    this.#pending.set(s.trial, s);
    return s;
  }

  tell(trial: number, result: number | Outcome): void {
    takeOutcome(this.#pending, trial, result);
  }
}
