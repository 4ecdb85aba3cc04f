/**
 * `evolution`: regularized (aging) evolution, Real et al., "Regularized
 * evolution for image classifier architecture search" (AAAI 2019). A
 * population of the last P evaluated configurations; each child is a copy of
 * the best of S sampled from it with one active hyperparameter redrawn
 * uniformly; the oldest member leaves when a child joins.
 *
 * @module
 */

import { Random } from "../space/random.ts";
import type { Config } from "../space/space.ts";
import {
  type Outcome,
  type Searcher,
  type SearcherSettings,
  type Suggestion,
  takeOutcome,
} from "./searcher.ts";

/** Options of {@linkcode RegularizedEvolution} beyond the common settings. */
export interface EvolutionOptions {
  /** Population size P; default 10 (NAS-Bench-201's baseline runs). */
  population?: number;
  /** Tournament size S, drawn with replacement; default 3 (likewise). */
  sample?: number;
}

/**
 * Regularized evolution as an ask/tell object. Until P trials have been told,
 * proposals are uniform; failed trials never enter the population.
 *
 * @example
 * ```ts
 * import { SearchSpace, float } from "../space/space.ts";
 * import { RegularizedEvolution } from "./evolution.ts";
 * const s = new RegularizedEvolution({ space: new SearchSpace({ x: float(0, 1) }), seed: 0 });
 * for (let i = 0; i < 30; i++) {
 *   const { trial, config } = s.ask();
 *   s.tell(trial, ((config.x as number) - 0.7) ** 2);
 * }
 * ```
 */
export class RegularizedEvolution implements Searcher {
  readonly name = "evolution";
  readonly #settings: SearcherSettings;
  readonly #random: Random;
  readonly #pending = new Map<number, Suggestion>();
  readonly #population: { config: Config; value: number }[] = [];
  readonly #size: number;
  readonly #sample: number;
  #next = 0;

  /**
   * A regularized-evolution searcher; throws RangeError unless `population` is
   * an integer ≥ 2 and `sample` a positive integer.
   */
  constructor(settings: SearcherSettings & EvolutionOptions) {
    this.#settings = settings;
    this.#size = settings.population ?? 10;
    this.#sample = settings.sample ?? 3;
    if (!Number.isInteger(this.#size) || this.#size < 2) {
      throw new RangeError(
        `population must be an integer ≥ 2, got ${this.#size}`,
      );
    }
    if (!Number.isInteger(this.#sample) || this.#sample < 1) {
      throw new RangeError(
        `sample must be a positive integer, got ${this.#sample}`,
      );
    }
    this.#random = new Random(settings.seed ?? 0, "evolution");
  }

  ask(): Suggestion {
    const space = this.#settings.space;
    let config: Config;
    if (this.#population.length < this.#size) {
      config = space.sample(this.#random);
    } else {
      const r = this.#random;
      let parent = this.#population[r.integer(0, this.#population.length)];
      for (let i = 1; i < this.#sample; i++) {
        const c = this.#population[r.integer(0, this.#population.length)];
        if (c.value < parent.value) parent = c;
      }
      const active = space.names.filter((n) => parent.config[n] !== undefined);
      const mutated = active[r.integer(0, active.length)];
      // Keep the parent's values except the mutated one; hyperparameters that
      // become active through the mutation are drawn uniformly.
      config = space.sample(
        r,
        (name) =>
          name === mutated ? undefined : parent.config[name] ?? undefined,
      );
    }
    const s: Suggestion = { trial: this.#next++, config, budget: null };
    this.#pending.set(s.trial, s);
    return s;
  }

  tell(trial: number, result: number | Outcome): void {
    const { suggestion, value } = takeOutcome(this.#pending, trial, result);
    if (value === null) return;
    const minimize = this.#settings.minimize ?? true;
    this.#population.push({
      config: suggestion.config,
      value: minimize ? value : -value,
    });
    if (this.#population.length > this.#size) this.#population.shift(); // the oldest dies
  }
}
