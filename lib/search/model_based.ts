/**
 * The life cycle the model-based methods (TPE, GP-EI, random-forest SMBO,
 * BORE) share: random start-up trials, then a model of the finished trials
 * proposes each configuration; failed trials are kept out of the model.
 * Every proposal's key is kept in `seen`, so that acquisition searches can
 * skip what was evaluated; start-up draws avoid repeats too unless a method
 * opts out (TPE draws as Optuna does). Asked ahead, the model treats each
 * pending trial as the worst result so far (a constant liar). A resumed
 * search restores the table and the random stream at once, and fits its
 * model once, at the next ask.
 *
 * @module
 */

import { Random, type RandomState } from "../space/random.ts";
import type { Config } from "../space/space.ts";
import { features } from "./_acquisition.ts";
import {
  type FinishedTrial,
  type Outcome,
  type Searcher,
  type SearcherSettings,
  settleOutcome,
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

/** What a model-based searcher's `snapshot` holds. */
export interface ModelBasedState {
  /** Where the method's random stream stands. */
  random: RandomState;
  /** A subclass's carried state (GP-EI's last hyperparameters), or null. */
  model: unknown;
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
    } else if (this.#pending.size === 0) {
      config = this.propose();
    } else {
      config = this.#proposeWithLies();
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

  /**
   * Proposes with every pending trial in the history as the worst loss so
   * far, then takes the lies out again (and their cached features).
   */
  #proposeWithLies(): Config {
    const real = this.history.length;
    const worst = Math.max(...this.history.map((o) => o.loss));
    for (const s of this.#pending.values()) {
      this.history.push({ config: s.config, loss: worst });
    }
    try {
      return this.propose();
    } finally {
      this.history.length = real;
      this.#features.length = Math.min(this.#features.length, real);
    }
  }

  /**
   * Takes the trials of a store at once: they must be trials 0, 1, … and
   * `state` what {@linkcode ModelBasedSearcher.snapshot} gave after the last
   * of them; nothing is fitted until the next ask. `pending` are trials
   * asked (by another worker of a shared study) and not finished: together
   * with `trials` they are 0, 1, …, and the next ask treats them as any
   * pending trial (a constant liar).
   */
  restore(
    trials: readonly FinishedTrial[],
    state?: unknown,
    pending: readonly Suggestion[] = [],
  ): boolean {
    const saved = state as ModelBasedState | undefined;
    // Finished and pending trials together must be trials 0, 1, …
    const numbers = [
      ...trials.map((t) => t.suggestion.trial),
      ...pending.map((s) => s.trial),
    ].sort((a, b) => a - b);
    if (
      !saved?.random || this.#next !== 0 ||
      numbers.some((t, i) => t !== i)
    ) {
      return false;
    }
    const space = this.settings.space;
    const minimize = this.settings.minimize ?? true;
    for (const { suggestion, outcome } of trials) {
      this.seen.add(space.key(suggestion.config));
      const { value } = settleOutcome(outcome);
      if (value !== null) {
        this.history.push({
          config: suggestion.config,
          loss: minimize ? value : -value,
        });
      }
    }
    for (const s of pending) {
      // Asked elsewhere and not told yet: lied about at the next ask.
      this.seen.add(space.key(s.config));
      this.#pending.set(s.trial, s);
    }
    this.#next = numbers.length;
    this.random.setState(saved.random);
    this.restoreModel(saved.model);
    return true;
  }

  /** The random stream's position and the model's warm start, as JSON. */
  snapshot(): ModelBasedState {
    return { random: this.random.state(), model: this.snapshotModel() };
  }

  /** What a subclass keeps from one proposal to the next (none by default). */
  protected snapshotModel(): unknown {
    return null;
  }

  /** Takes back what {@linkcode ModelBasedSearcher.snapshotModel} gave. */
  protected restoreModel(_model: unknown): void {}

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
