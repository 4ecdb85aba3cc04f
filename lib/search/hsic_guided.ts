/**
 * `hsic-guided` as a member of the search family: rounds of sampling, with a
 * {@linkcode GuidedPlanner} decision when a round's last trial is told. It
 * waits for the round to finish before proposing from the next
 * (`canAsk`), so parallel workers give the same trials as one.
 *
 * @module
 */

import { Random } from "../space/random.ts";
import type { Config } from "../space/space.ts";
import pl from "nodejs-polars";
import type { SearchSpace } from "../space/space.ts";
import type { Objective, ObjectiveRef } from "../trials/objective.ts";
import { runTrials } from "../trials/_runner.ts";
import {
  type GuidedDecision,
  type GuidedOptions,
  GuidedPlanner,
  type GuidedResult,
  guidedRounds,
} from "./hsic_guided_planner.ts";
import {
  type Outcome,
  type Searcher,
  type SearcherSettings,
  type Suggestion,
  takeOutcome,
} from "./searcher.ts";

/** Options of {@linkcode HsicGuidedSearcher} beyond the common settings. */
export interface HsicGuidedOptions {
  /** The uniform first round; default half the budget (at least `perRound`). */
  initial?: number;
  /** Evaluations per later round; default max(10, budget / 4) rounded. */
  perRound?: number;
  /** The good fraction for the goal; default 0.1. */
  quantile?: number;
  /** Significance level; default 0.05. */
  alpha?: number;
}

/**
 * HSIC-guided search as an ask/tell object; round sizes by
 * {@linkcode guidedRounds} for the settings' budget (default 100; below 10
 * it stays uniform).
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
  readonly #rounds: number[] = [];
  readonly #decisions: GuidedDecision[] = [];
  #told = 0;
  #next = 0;
  #round = 0;
  #chooser: ReturnType<GuidedPlanner["chooser"]>;

  /**
   * An HSIC-guided searcher planning its rounds for `settings.budget` (default
   * 100) by {@linkcode guidedRounds}; under 10 evaluations it stays uniform.
   */
  constructor(settings: SearcherSettings & HsicGuidedOptions) {
    this.#settings = settings;
    const budget = settings.budget ?? 100;
    // Below 10 evaluations there is nothing to analyse: it stays uniform.
    if (budget >= 10) {
      const { initial, perRound } = guidedRounds(budget, settings);
      for (let b = initial; b < budget; b += perRound) this.#boundaries.push(b);
    }
    const seed = settings.seed ?? 0;
    this.#random = new Random(seed, "hsic-guided");
    this.#planner = new GuidedPlanner(settings.space, {
      seed,
      quantile: settings.quantile,
      alpha: settings.alpha,
    });
    this.#chooser = this.#planner.chooser();
  }

  /** The decisions taken so far, round by round. */
  get decisions(): readonly GuidedDecision[] {
    return this.#decisions;
  }

  /** The round (0, 1, …) trial `trial` was proposed in. */
  roundOf(trial: number): number {
    return this.#rounds[trial];
  }

  /** False once the round is all asked and not all told yet. */
  canAsk(): boolean {
    return !(this.#round < this.#boundaries.length &&
      this.#next >= this.#boundaries[this.#round]);
  }

  ask(): Suggestion {
    this.#rounds.push(this.#round);
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
      this.#decisions.push(...this.#planner.decide(evaluated, this.#round));
      this.#chooser = this.#planner.chooser();
      this.#round++;
    }
  }
}

/**
 * HSIC-guided search of `space`: {@linkcode HsicGuidedSearcher} run by the
 * trial runner (as `optimize` runs it), with its decisions and each trial's
 * round. The first round evaluates `initial` uniform
 * configurations, each later one `perRound`
 * (in workers when asked, appended to the store as they finish); the next
 * round's are drawn with {@linkcode SearchSpace.sample} and a chooser that
 * fixes, resamples or leaves each hyperparameter as the last analysis said.
 * The analysis is the V-statistic, goal `quantile`, asymptotic p-values, on
 * the hyperparameters not yet fixed. A resumed search (same seed, same store)
 * recomputes the same rounds from the stored results.
 *
 * @example
 * ```ts
 * import { SearchSpace, float, categorical } from "../space/space.ts";
 * import { hsicGuidedSearch } from "./hsic_guided.ts";
 * const space = new SearchSpace({ x: float(-1, 1), noise: float(0, 1), c: categorical(["a", "b"]) });
 * const { trials } = await hsicGuidedSearch(space, (c) => ((c.x as number) - 0.5) ** 2 + 0.01 * (c.noise as number), {
 *   budget: 60, perRound: 20, seed: 1, progress: "quiet",
 * });
 * if (trials.height !== 60) throw new Error();
 * ```
 */
export async function hsicGuidedSearch(
  space: SearchSpace,
  objective: Objective | ObjectiveRef,
  options: GuidedOptions,
): Promise<GuidedResult> {
  const budget = options.budget;
  // Checks the round sizes before any work.
  guidedRounds(budget, options);
  const seed = options.seed ?? 0;
  const searcher = new HsicGuidedSearcher({
    space,
    seed,
    minimize: options.minimize ?? true,
    budget,
    initial: options.initial,
    perRound: options.perRound,
    quantile: options.quantile,
    alpha: options.alpha,
  });
  const trials = await runTrials(searcher, space, objective, {
    budget,
    seed,
    objective: options.objective ?? "loss",
    store: options.store,
    workers: options.workers,
    progress: options.progress,
    label: "hsic-guided",
  });
  const trial = trials.getColumn("trial").toArray() as number[];
  return {
    trials: trials.withColumns(
      pl.Series("round", trial.map((t) => searcher.roundOf(t)), pl.Int64),
    ),
    decisions: [...searcher.decisions],
  };
}
