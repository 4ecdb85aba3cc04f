/**
 * `local-search`: first-improvement local search over the Hamming
 * neighbourhood with random restarts, the baseline White, Zela, Ru, Liu &
 * Hutter ("Local search is state of the art for neural architecture search
 * benchmarks", 2020) found hard to beat on cell spaces.
 *
 * Defaults, after their code (NASLib's `LocalSearch`): 10 random start-up
 * configurations; the search starts from the best of them, evaluates its
 * neighbours in random order and moves to the first that improves on it;
 * when a whole neighbourhood fails to improve (a local optimum) it restarts
 * from a fresh random configuration. The neighbourhood of a configuration
 * is every configuration that changes one categorical (or discrete)
 * hyperparameter to another of its values — for a NAS-Bench-201 cell, the
 * 24 cells one edge away — plus, for each numeric hyperparameter, two moves
 * by a normal step of 0.2 of its range (numbers have no Hamming
 * neighbours). Configurations already proposed are skipped. Asked ahead,
 * it proposes the next untried neighbour of the current configuration.
 *
 * @module
 */

import { Random } from "../space/random.ts";
import type { Config, SearchSpace } from "../space/space.ts";
import { dimensionOf, fromInternal, toInternal } from "./_parzen.ts";
import {
  type Outcome,
  type Searcher,
  type SearcherSettings,
  type Suggestion,
  takeOutcome,
} from "./searcher.ts";

/**
 * The Hamming neighbourhood of `config` (see the module's description), in
 * the order of the space's hyperparameters.
 *
 * @example
 * ```ts
 * import { Random } from "../space/random.ts";
 * import { categorical, SearchSpace } from "../space/space.ts";
 * import { hammingNeighbours } from "./local_search.ts";
 * const space = new SearchSpace({ a: categorical(["x", "y", "z"]), b: categorical([1, 2]) });
 * const n = hammingNeighbours(space, { a: "x", b: 1 }, new Random(0));
 * if (n.length !== 3) throw new Error();
 * ```
 */
export function hammingNeighbours(
  space: SearchSpace,
  config: Config,
  r: Random,
): Config[] {
  const out: Config[] = [];
  for (const name of space.names) {
    const v = config[name];
    if (v === null || v === undefined) continue;
    const d = dimensionOf(name, space.params[name]);
    const values = d.kind === "categorical"
      ? d.values.filter((x) => x !== v)
      : [0, 1].map(() => {
        const x = toInternal(d, v) + r.normal(0, 0.2 * (d.high - d.low));
        return fromInternal(d, Math.min(d.high, Math.max(d.low, x)));
      });
    for (const value of values) {
      out.push(
        space.sample(r, (n) => n === name ? value : config[n] ?? undefined),
      );
    }
  }
  return out;
}

/** Options of {@linkcode LocalSearch}. */
export interface LocalSearchOptions {
  /** Random start-up configurations; default 10. */
  startup?: number;
}

/**
 * Local search as an ask/tell object.
 *
 * @example
 * ```ts
 * import { branin } from "./functions.ts";
 * import { LocalSearch } from "./local_search.ts";
 * const s = new LocalSearch({ space: branin.space, seed: 0 });
 * for (let i = 0; i < 30; i++) {
 *   const { trial, config } = s.ask();
 *   s.tell(trial, branin.evaluate(config));
 * }
 * ```
 */
export class LocalSearch implements Searcher {
  /** The registered name, "local-search". */
  readonly name = "local-search";
  readonly #space: SearchSpace;
  readonly #minimize: boolean;
  readonly #startup: number;
  readonly #random: Random;
  readonly #pending = new Map<number, Suggestion>();
  readonly #seen = new Set<string>();
  #next = 0;
  // The best start-up trial so far, before the walk begins.
  #startBest: { config: Config; loss: number } | null = null;
  // Where the walk stands (null: waiting for a restart point's result).
  #current: { config: Config; loss: number } | null = null;
  #restart: string | null = null;
  #queue: Config[] = [];

  /** A local search over `settings.space`. */
  constructor(settings: SearcherSettings & LocalSearchOptions) {
    this.#space = settings.space;
    this.#minimize = settings.minimize ?? true;
    this.#startup = settings.startup ?? 10;
    this.#random = new Random(settings.seed ?? 0, "local-search");
  }

  #fresh(): Config {
    const space = this.#space;
    let c = space.sample(this.#random);
    for (let t = 0; t < 20 && this.#seen.has(space.key(c)); t++) {
      c = space.sample(this.#random);
    }
    return c;
  }

  #moveTo(point: { config: Config; loss: number }): void {
    this.#current = point;
    this.#queue = this.#random.shuffle(
      hammingNeighbours(this.#space, point.config, this.#random),
    );
  }

  ask(): Suggestion {
    const space = this.#space;
    let config: Config | undefined;
    if (this.#next < this.#startup) {
      config = this.#fresh();
    } else {
      if (this.#current === null && this.#restart === null && this.#startBest) {
        this.#moveTo(this.#startBest);
      }
      while (this.#queue.length > 0) {
        const c = this.#queue.shift()!;
        if (!this.#seen.has(space.key(c))) {
          config = c;
          break;
        }
      }
      if (config === undefined) {
        // A local optimum (or no result yet): restart from a random point.
        config = this.#fresh();
        this.#current = null;
        this.#restart = space.key(config);
      }
    }
    this.#seen.add(space.key(config));
    const s: Suggestion = { trial: this.#next++, config, budget: null };
    this.#pending.set(s.trial, s);
    return s;
  }

  tell(trial: number, result: number | Outcome): void {
    const { suggestion, value } = takeOutcome(this.#pending, trial, result);
    if (value === null) return;
    const point = {
      config: suggestion.config,
      loss: this.#minimize ? value : -value,
    };
    const key = this.#space.key(point.config);
    if (trial < this.#startup) {
      if (!this.#startBest || point.loss < this.#startBest.loss) {
        this.#startBest = point;
      }
    } else if (key === this.#restart) {
      this.#restart = null;
      this.#moveTo(point);
    } else if (this.#current && point.loss < this.#current.loss) {
      this.#moveTo(point);
    }
  }
}
