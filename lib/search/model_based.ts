/**
 * The life cycle the model-based methods (TPE, GP-EI, random-forest SMBO,
 * BORE) share: random start-up trials, then a model of the finished trials
 * proposes each configuration; failed trials are kept out of the model.
 * Every proposal's key is kept in `seen`, so that acquisition searches can
 * skip what was evaluated; start-up draws avoid repeats too unless a method
 * opts out (TPE draws as Optuna does).
 *
 * @module
 */

import { Random } from "../space/random.ts";
import type { Config } from "../space/space.ts";
import { features } from "./_acquisition.ts";
import {
  type Outcome,
  type Searcher,
  type SearcherSettings,
  type Suggestion,
  takeOutcome,
} from "./searcher.ts";

/** A finished trial as models see it: smaller `loss` is better. */
export interface Observation {
  /** The configuration evaluated. */
  config: Config;
  /** The objective, negated when maximising, so that smaller is better. */
  loss: number;
}

/**
 * Base of the model-based searchers: subclasses say how many start-up trials
 * they want and how to propose from the observations.
 *
 * @example A hill climber: five random trials, then steps around the best.
 * ```ts
 * import { type Config, float, SearchSpace } from "../space/space.ts";
 * import { ModelBasedSearcher } from "./model_based.ts";
 * class HillClimber extends ModelBasedSearcher {
 *   readonly name = "hill-climber";
 *   constructor(space: SearchSpace) {
 *     super({ space, seed: 0 }, "hill-climber");
 *   }
 *   protected startup(): number {
 *     return 5;
 *   }
 *   protected propose(): Config {
 *     const best = this.ranked()[0].config.x as number;
 *     return { x: Math.min(1, Math.max(0, best + 0.05 * this.random.normal())) };
 *   }
 * }
 * const s = new HillClimber(new SearchSpace({ x: float(0, 1) }));
 * let best = Infinity;
 * for (let i = 0; i < 20; i++) {
 *   const { trial, config } = s.ask();
 *   const loss = ((config.x as number) - 0.3) ** 2;
 *   s.tell(trial, loss);
 *   best = Math.min(best, loss);
 * }
 * if (!(best < 1e-3)) throw new Error(String(best));
 * ```
 */
export abstract class ModelBasedSearcher implements Searcher {
  abstract readonly name: string;
  /** The settings the searcher was built with. */
  protected readonly settings: SearcherSettings;
  /** The method's seeded random stream (start-up draws and proposals). */
  protected readonly random: Random;
  /** Finished, successful trials in the order they were told. */
  protected readonly history: Observation[] = [];
  /** Keys of every configuration proposed so far. */
  protected readonly seen: Set<string> = new Set<string>();
  readonly #pending = new Map<number, Suggestion>();
  readonly #features: number[][] = [];
  #next = 0;

  readonly #redrawRepeats: boolean;

  /**
   * `stream` names the method's random stream; `redrawRepeats` (default
   * true) redraws a start-up configuration that was proposed before.
   */
  constructor(
    settings: SearcherSettings,
    stream: string,
    options: { redrawRepeats?: boolean } = {},
  ) {
    this.settings = settings;
    this.random = new Random(settings.seed ?? 0, stream);
    this.#redrawRepeats = options.redrawRepeats ?? true;
  }

  /** Random trials before the model proposes. */
  protected abstract startup(): number;
  /** A configuration proposed from `history` (at least `startup()` long). */
  protected abstract propose(): Config;

  ask(): Suggestion {
    const space = this.settings.space;
    let config: Config;
    if (this.history.length < this.startup()) {
      config = space.sample(this.random);
      // A few redraws keep small discrete spaces from repeating themselves.
      for (
        let t = 0;
        this.#redrawRepeats && t < 20 &&
        this.seen.has(space.key(config));
        t++
      ) {
        config = space.sample(this.random);
      }
    } else {
      config = this.propose();
    }
    this.seen.add(space.key(config));
    const s: Suggestion = { trial: this.#next++, config, budget: null };
    this.#pending.set(s.trial, s);
    return s;
  }

  tell(trial: number, result: number | Outcome): void {
    const { suggestion, value } = takeOutcome(this.#pending, trial, result);
    if (value === null) return;
    const minimize = this.settings.minimize ?? true;
    this.history.push({
      config: suggestion.config,
      loss: minimize ? value : -value,
    });
  }

  /** Model features (`features()`) of `history`, each computed once. */
  protected historyFeatures(): readonly (readonly number[])[] {
    for (let i = this.#features.length; i < this.history.length; i++) {
      this.#features.push(
        features(this.settings.space, this.history[i].config),
      );
    }
    return this.#features;
  }

  /** The observations sorted best first (ties in trial order). */
  protected ranked(): Observation[] {
    return this.history.map((o, i) => ({ o, i }))
      .sort((a, b) => a.o.loss - b.o.loss || a.i - b.i)
      .map((x) => x.o);
  }
}
