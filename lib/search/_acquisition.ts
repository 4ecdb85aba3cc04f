/**
 * What the model-based methods (GP-EI, random-forest SMBO, BORE) share:
 * configurations as feature vectors, and the search for the configuration
 * that maximises an acquisition function — random candidates plus local
 * search from the best ones through one-exchange neighbours (SMAC's
 * scheme), skipping configurations already evaluated.
 *
 * @module
 */

import type { Random } from "../space/random.ts";
import type { Config, SearchSpace } from "../space/space.ts";
import { dimensionOf, fromInternal, toInternal } from "./_parzen.ts";

/**
 * Feature vectors for models: `space.oneHot` (numeric hyperparameters scaled
 * to [0,1], log-scaled where log, categoricals one-hot), with every column
 * of an inactive hyperparameter set to −1 so that a model can tell
 * "inactive" from "at its lower bound" (SMAC imputes the same way).
 *
 * @example
 * ```ts
 * import { SearchSpace, categorical, float } from "../space/space.ts";
 * import { features } from "./_acquisition.ts";
 * const space = new SearchSpace({ k: categorical(["a", "b"]), x: float(0, 2, { when: { k: "a" } }) });
 * if (features(space, { k: "b" }).join() !== "0,1,-1") throw new Error();
 * ```
 */
export function features(space: SearchSpace, config: Config): number[] {
  const row = space.oneHot(config);
  let col = 0;
  for (const name of space.names) {
    const p = space.params[name];
    const width = p.kind === "categorical" ? p.choices.length : 1;
    const v = config[name];
    if (v === null || v === undefined) row.fill(-1, col, col + width);
    col += width;
  }
  return row;
}

/**
 * A neighbour of `config`: one active hyperparameter changed — a numeric one
 * moved by a normal step of 0.2 of its (log) range, a discrete one set to a
 * different value — with hyperparameters that become active drawn uniformly.
 */
export function neighbour(
  space: SearchSpace,
  config: Config,
  r: Random,
): Config {
  const active = space.names.filter((n) =>
    config[n] !== undefined && config[n] !== null
  );
  const name = active[r.integer(0, active.length)];
  const d = dimensionOf(name, space.params[name]);
  let value;
  if (d.kind === "categorical") {
    const others = d.values.filter((v) => v !== config[name]);
    value = others.length > 0
      ? others[r.integer(0, others.length)]
      : config[name]!;
  } else {
    const x = toInternal(d, config[name]!) +
      r.normal(0, 0.2 * (d.high - d.low));
    value = fromInternal(d, Math.min(d.high, Math.max(d.low, x)));
  }
  return space.sample(
    r,
    (n) => n === name ? value : config[n] ?? undefined,
  );
}

/** Settings of {@linkcode maximizeAcquisition}. */
export interface AcquisitionSearch {
  random: Random;
  /** Keys (`space.key`) of configurations not to propose again. */
  seen: ReadonlySet<string>;
  /** Starting points of local search besides the best random candidates. */
  incumbents: readonly Config[];
  /** Random candidates; default 500. */
  randomCandidates?: number;
  /** Local searches (from the best incumbents and candidates); default 10. */
  localStarts?: number;
  /** Neighbours scored per local step; default 20. */
  neighbours?: number;
  /** Local steps at most; default 20. */
  maxSteps?: number;
}

/**
 * The configuration that maximises `score` among random candidates and the
 * ends of local searches, never one in `seen` when any other was found.
 * `score` takes a batch, so models can vectorise their predictions.
 *
 * @example
 * ```ts
 * import { Random } from "../space/random.ts";
 * import { SearchSpace, float } from "../space/space.ts";
 * import { maximizeAcquisition } from "./_acquisition.ts";
 * const space = new SearchSpace({ x: float(0, 1) });
 * const best = maximizeAcquisition(space, (cs) => Float64Array.from(cs, (c) => -(((c.x as number) - 0.3) ** 2)), {
 *   random: new Random(0), seen: new Set(), incumbents: [],
 * });
 * if (Math.abs((best.x as number) - 0.3) > 0.02) throw new Error();
 * ```
 */
export function maximizeAcquisition(
  space: SearchSpace,
  score: (configs: Config[]) => Float64Array,
  settings: AcquisitionSearch,
): Config {
  const r = settings.random;
  const seen = settings.seen;
  const fresh = (c: Config) => !seen.has(space.key(c));
  const pool = space.sampleMany(settings.randomCandidates ?? 500, r).filter(
    fresh,
  );
  const poolScores = score(pool);
  let best: Config | null = null;
  let bestScore = -Infinity;
  const consider = (c: Config, s: number) => {
    if (best === null || s > bestScore) {
      best = c;
      bestScore = s;
    }
  };
  pool.forEach((c, i) => consider(c, poolScores[i]));
  const starts = settings.localStarts ?? 10;
  const byScore = pool.map((c, i) => ({ c, s: poolScores[i] })).sort((a, b) =>
    b.s - a.s
  );
  const incumbents = settings.incumbents.slice(0, starts);
  const startScores = score([...incumbents]);
  const starting = [
    ...incumbents.map((c, i) => ({ c, s: startScores[i] })),
    ...byScore.slice(0, Math.max(0, starts - incumbents.length)),
  ];
  for (const start of starting) {
    let { c, s } = start;
    for (let step = 0; step < (settings.maxSteps ?? 20); step++) {
      const next = Array.from(
        { length: settings.neighbours ?? 20 },
        () => neighbour(space, c, r),
      ).filter(fresh);
      if (next.length === 0) break;
      const ns = score(next);
      let k = 0;
      for (let i = 1; i < next.length; i++) if (ns[i] > ns[k]) k = i;
      if (!(ns[k] > s)) break;
      c = next[k];
      s = ns[k];
    }
    if (fresh(c)) consider(c, s);
  }
  // Everything scored was seen before (a tiny space, fully evaluated): a
  // random configuration keeps the search going.
  return best ?? space.sample(r);
}
