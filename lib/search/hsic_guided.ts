/**
 * `hsic-guided` as a member of the search family: the rounds of
 * `hsicGuidedSearch` as an ask/tell object. Decisions are taken when the
 * round's last trial is told, so asked in order and told in order it proposes
 * exactly what `hsicGuidedSearch` evaluates.
 *
 * @module
 */

import { Random } from "../space/random.ts";
import type { Config } from "../space/space.ts";
import { GuidedPlanner, guidedRounds } from "./hsic_guided_planner.ts";
import {
  type Outcome,
  type Searcher,
  type SearcherSettings,
  type Suggestion,
  takeOutcome,
} from "./searcher.ts";

/**
 * HSIC-guided search as an ask/tell object; round sizes follow
 * `hsicGuidedSearch`'s defaults for the settings' budget (first round half
 * the budget, then rounds of max(10, budget/4)).
 *
 * @example
 * ```ts
 * import { SearchSpace, float } from "../space/space.ts";
 * import { HsicGuidedSearcher } from "./hsic_guided.ts";
 * const s = new HsicGuidedSearcher({ space: new SearchSpace({ x: float(0, 1) }), budget: 40 });
 * for (let i = 0; i < 40; i++) {
 *   const { trial, config } = s.ask();
 *   s.tell(trial, ((config.x as number) - 0.2) ** 2);
 * }
 * ```
 */
export class HsicGuidedSearcher implements Searcher {
  readonly name = "hsic-guided";
  readonly #settings: SearcherSettings;
  readonly #random: Random;
  readonly #planner: GuidedPlanner;
  readonly #pending = new Map<number, Suggestion>();
  readonly #evaluated: { trial: number; config: Config; value: number }[] = [];
  readonly #boundaries: number[] = [];
  #told = 0;
  #next = 0;
  #round = 0;
  #chooser: ReturnType<GuidedPlanner["chooser"]>;

  constructor(settings: SearcherSettings) {
    this.#settings = settings;
    const budget = settings.budget ?? 100;
    // Below 10 evaluations there is nothing to analyse: it stays uniform.
    if (budget >= 10) {
      const { initial, perRound } = guidedRounds(budget);
      for (let b = initial; b < budget; b += perRound) this.#boundaries.push(b);
    }
    const seed = settings.seed ?? 0;
    this.#random = new Random(seed, "hsic-guided");
    this.#planner = new GuidedPlanner(settings.space, { seed });
    this.#chooser = this.#planner.chooser();
  }

  ask(): Suggestion {
    const s: Suggestion = {
      trial: this.#next++,
      config: this.#settings.space.sample(this.#random, this.#chooser),
      budget: null,
    };
    this.#pending.set(s.trial, s);
    return s;
  }

  tell(trial: number, result: number | Outcome): void {
    const { suggestion, value } = takeOutcome(this.#pending, trial, result);
    this.#told++;
    if (value !== null) {
      const minimize = this.#settings.minimize ?? true;
      this.#evaluated.push({
        trial,
        config: suggestion.config,
        value: minimize ? value : -value,
      });
    }
    if (this.#told === this.#boundaries[this.#round]) {
      const evaluated = [...this.#evaluated].sort((a, b) => a.trial - b.trial);
      this.#planner.decide(evaluated, this.#round);
      this.#chooser = this.#planner.chooser();
      this.#round++;
    }
  }
}
