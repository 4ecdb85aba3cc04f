/**
 * Candidate pools of the architecture-aware searchers: mutations of the
 * best configurations so far (one edit, then each further edit with
 * probability `moreEdits`), never a configuration already proposed, filled
 * with random configurations when mutations run dry (a small space nearly
 * exhausted).
 *
 * @module
 */

import type { Random } from "../space/random.ts";
import type { Config, SearchSpace } from "../space/space.ts";
import { neighbour } from "./_acquisition.ts";

/** Settings of {@linkcode mutationPool}. */
export interface MutationPoolSettings {
  /** Configurations to mutate, best first; each is used in turn. */
  parents: readonly Config[];
  /** Candidates wanted. */
  size: number;
  /** Keys of configurations not to propose again. */
  seen: ReadonlySet<string>;
  /** The random stream. */
  random: Random;
  /** Probability of each edit after the first; default 0.5. */
  moreEdits?: number;
}

/**
 * Up to `size` distinct, unseen candidates (never fewer than one: a
 * random configuration when nothing else is left).
 */
export function mutationPool(
  space: SearchSpace,
  settings: MutationPoolSettings,
): Config[] {
  const { parents, size, seen, random: r } = settings;
  const more = settings.moreEdits ?? 0.5;
  const keys = new Set<string>();
  const pool: Config[] = [];
  const add = (c: Config) => {
    const key = space.key(c);
    if (seen.has(key) || keys.has(key)) return;
    keys.add(key);
    pool.push(c);
  };
  for (let t = 0; t < 3 * size && pool.length < size; t++) {
    let c = neighbour(space, parents[t % parents.length], r);
    while (r.random() < more) c = neighbour(space, c, r);
    add(c);
  }
  for (let t = 0; t < 3 * size && pool.length < size; t++) {
    add(space.sample(r));
  }
  if (pool.length === 0) pool.push(space.sample(r));
  return pool;
}
