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
import { dimensionOf, fromInternal, toInternal } from "./_parzen.ts";

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
  /**
   * Edit each active hyperparameter independently with this probability
   * instead (BANANAS's and NAS-BOWL's mutation); a child equal to its
   * parent is dropped.
   */
  editProbability?: number;
  /**
   * Children wanted from each parent in turn (best first), with up to
   * 2·perParent + 50 tries each, instead of cycling through the parents.
   */
  perParent?: number;
  /**
   * How many of `size` come from mutation; the rest are random
   * configurations (NAS-BOWL: half). Default all.
   */
  mutated?: number;
}

/**
 * `config` with each active hyperparameter changed with probability `p`
 * (categorical: another value; numeric: a normal step of 0.2 of its range).
 */
export function mutateEach(
  space: SearchSpace,
  config: Config,
  p: number,
  r: Random,
): Config {
  const changed = new Map<string, Config[string]>();
  for (const name of space.names) {
    const v = config[name];
    if (v === null || v === undefined || !(r.random() < p)) continue;
    const d = dimensionOf(name, space.params[name]);
    if (d.kind === "categorical") {
      const others = d.values.filter((x) => x !== v);
      if (others.length > 0) {
        changed.set(name, others[r.integer(0, others.length)]);
      }
    } else {
      const x = toInternal(d, v) + r.normal(0, 0.2 * (d.high - d.low));
      changed.set(name, fromInternal(d, Math.min(d.high, Math.max(d.low, x))));
    }
  }
  if (changed.size === 0) return config;
  return space.sample(
    r,
    (n) => changed.has(n) ? changed.get(n)! : config[n] ?? undefined,
  );
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
  const p = settings.editProbability;
  const child = (parent: Config): Config => {
    if (p !== undefined) return mutateEach(space, parent, p, r);
    let c = neighbour(space, parent, r);
    while (r.random() < more) c = neighbour(space, c, r);
    return c;
  };
  const mutated = Math.min(size, settings.mutated ?? size);
  if (settings.perParent !== undefined) {
    const per = settings.perParent;
    for (const parent of parents) {
      if (pool.length >= mutated) break;
      const start = pool.length;
      for (
        let t = 0;
        t < 2 * per + 50 && pool.length - start < per && pool.length < mutated;
        t++
      ) {
        add(child(parent));
      }
    }
  } else {
    for (let t = 0; t < 3 * mutated && pool.length < mutated; t++) {
      add(child(parents[t % parents.length]));
    }
  }
  for (let t = 0; t < 3 * size && pool.length < size; t++) {
    add(space.sample(r));
  }
  if (pool.length === 0) pool.push(space.sample(r));
  return pool;
}
