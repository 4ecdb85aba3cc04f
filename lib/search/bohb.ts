/**
 * `bohb`: Hyperband whose new configurations come from a TPE-like density
 * model (Falkner et al., ICML 2018), with HpBandSter's defaults and rules:
 *
 * - Configurations as vectors in [0,1] (numeric by their (log) range,
 *   integers by their cells; categoricals by index), as ConfigSpace does.
 * - Per budget, once there are at least d + 1 results there, the best 15 %
 *   (at least d + 1) and the next 85 % (at least d + 1) get product-kernel
 *   KDEs — Gaussian for numeric dimensions, Aitchison-Aitken for
 *   categoricals — with statsmodels' normal-reference bandwidths
 *   1.06·sd·n^(−1/(d+4)), at least 1e-3. Failed trials count as +∞.
 *   Inactive values are imputed from other rows, as HpBandSter does.
 * - A proposal: with probability 1/3, or while no model exists, uniform;
 *   otherwise 64 samples around random good points (numeric bandwidths
 *   times 3, truncated to [0,1]; a categorical kept with probability 1 − bw),
 *   and the one minimising g(x)/l(x) under the model of the largest budget
 *   that has one.
 *
 * @module
 */

import { Random } from "../space/random.ts";
import { logNormalPdf, logSumExp } from "../_math/special.ts";
import type { Config, SearchSpace } from "../space/space.ts";
import {
  type Dimension,
  dimensionOf,
  fromInternal,
  toInternal,
} from "./_parzen.ts";
import { type ConfigSampler, HyperbandSearcher } from "./hyperband.ts";
import type { SearcherSettings } from "./searcher.ts";

/** HpBandSter's BOHB settings; every default is HpBandSter's. */
export interface BohbOptions {
  /** Percentage of results in the good group; default 15. */
  topNPercent?: number;
  /** Samples scored per model-based proposal; default 64. */
  numSamples?: number;
  /** Fraction of uniform proposals; default 1/3. */
  randomFraction?: number;
  /** Widening of the good KDE's bandwidth when sampling; default 3. */
  bandwidthFactor?: number;
  /** Smallest bandwidth; default 1e-3. */
  minBandwidth?: number;
  /** Results a budget needs before it gets a model; default d + 1. */
  minPointsInModel?: number;
}

interface Kde {
  data: number[][];
  bw: number[];
}

/** log of a product-kernel KDE's density (statsmodels' KDEMultivariate). */
function logPdf(kde: Kde, dims: readonly Dimension[], x: readonly number[]) {
  const terms = kde.data.map((row) => {
    let t = 0;
    dims.forEach((d, j) => {
      const bw = kde.bw[j];
      if (d.kind === "categorical") {
        const c = d.values.length;
        t += Math.log(
          row[j] === x[j] ? 1 - bw : bw / Math.max(1, c - 1),
        );
      } else {
        t += logNormalPdf(x[j], row[j], bw);
      }
    });
    return t;
  });
  return logSumExp(terms) - Math.log(terms.length); // log of the mean kernel
}

/**
 * BOHB's density model: the {@linkcode ConfigSampler} behind `bohb`.
 *
 * @example
 * ```ts
 * import { Random } from "../space/random.ts";
 * import { float, SearchSpace } from "../space/space.ts";
 * import { BohbSampler } from "./bohb.ts";
 * const space = new SearchSpace({ x: float(0, 1) });
 * const sampler = new BohbSampler(space, 0);
 * const random = new Random(0);
 * for (let i = 0; i < 20; i++) {
 *   const c = sampler.sample(random);
 *   sampler.observe(c, 9, ((c.x as number) - 0.7) ** 2);
 * }
 * space.validate(sampler.sample(random)); // now drawn from the good density
 * ```
 */
export class BohbSampler implements ConfigSampler {
  readonly #space: SearchSpace;
  readonly #dims: Dimension[];
  readonly #o: Required<BohbOptions>;
  readonly #random: Random;
  readonly #results = new Map<
    number,
    { x: (number | null)[]; loss: number }[]
  >();
  readonly #models = new Map<number, { good: Kde; bad: Kde }>();

  /**
   * A sampler over `space` drawing from its own stream of `seed`, with
   * HpBandSter's defaults for every option not given.
   */
  constructor(space: SearchSpace, seed: number, options: BohbOptions = {}) {
    this.#space = space;
    this.#dims = space.names.map((n) => dimensionOf(n, space.params[n]));
    const d = space.dimension;
    this.#o = {
      topNPercent: options.topNPercent ?? 15,
      numSamples: options.numSamples ?? 64,
      randomFraction: options.randomFraction ?? 1 / 3,
      bandwidthFactor: options.bandwidthFactor ?? 3,
      minBandwidth: options.minBandwidth ?? 1e-3,
      minPointsInModel: options.minPointsInModel ?? d + 1,
    };
    this.#random = new Random(seed, "bohb-kde");
  }

  /** The budgets that have a model, for inspection. */
  get modelBudgets(): number[] {
    return [...this.#models.keys()].sort((a, b) => a - b);
  }

  #vector(config: Config): (number | null)[] {
    return this.#dims.map((d) => {
      const v = config[d.name];
      if (v === null || v === undefined) return null;
      const x = toInternal(d, v);
      return d.kind === "categorical" ? x : (x - d.low) / (d.high - d.low);
    });
  }

  observe(config: Config, budget: number, value: number | null): void {
    const list = this.#results.get(budget) ?? [];
    this.#results.set(budget, list);
    list.push({ x: this.#vector(config), loss: value ?? Infinity });
    // A model at a larger budget is already preferred; skip the work.
    if (Math.max(-Infinity, ...this.#models.keys()) > budget) return;
    const o = this.#o;
    if (list.length <= o.minPointsInModel - 1) return;
    const n = list.length, d = this.#dims.length;
    const nGood = Math.max(
      o.minPointsInModel,
      Math.floor(o.topNPercent * n / 100),
    );
    const nBad = Math.max(
      o.minPointsInModel,
      Math.floor((100 - o.topNPercent) * n / 100),
    );
    const order = list.map((r, i) => ({ r, i })).sort((a, b) =>
      a.r.loss - b.r.loss || a.i - b.i
    );
    const good = this.#impute(order.slice(0, nGood).map((e) => e.r.x));
    const bad = this.#impute(
      order.slice(nGood, nGood + nBad).map((e) => e.r.x),
    );
    if (good.length <= d || bad.length <= d) return;
    this.#models.set(budget, { good: this.#kde(good), bad: this.#kde(bad) });
  }

  /** Inactive entries take a random active value of the same column, else a uniform one. */
  #impute(rows: (number | null)[][]): number[][] {
    const r = this.#random;
    const donors = this.#dims.map((_, j) =>
      rows.map((x) => x[j]).filter((x) => x !== null)
    );
    return rows.map((row) =>
      row.map((v, j) => {
        if (v !== null) return v;
        if (donors[j].length > 0) {
          return donors[j][r.integer(0, donors[j].length)]!;
        }
        const dim = this.#dims[j];
        return dim.kind === "categorical"
          ? r.integer(0, dim.values.length)
          : r.random();
      })
    );
  }

  #kde(data: number[][]): Kde {
    const n = data.length, k = this.#dims.length;
    const bw = this.#dims.map((_, j) => {
      const col = data.map((row) => row[j]);
      const mean = col.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
      return Math.max(this.#o.minBandwidth, 1.06 * sd * n ** (-1 / (4 + k)));
    });
    return { data, bw };
  }

  sample(random: Random): Config {
    const space = this.#space;
    const o = this.#o;
    const r = this.#random;
    if (this.#models.size === 0 || r.random() < o.randomFraction) {
      return space.sample(random);
    }
    const model = this.#models.get(Math.max(...this.#models.keys()))!;
    let best: number[] | null = null;
    let bestValue = Infinity;
    for (let s = 0; s < o.numSamples; s++) {
      const datum = model.good.data[r.integer(0, model.good.data.length)];
      const v = this.#dims.map((d, j) => {
        const m = datum[j];
        const bw = Math.max(model.good.bw[j], o.minBandwidth);
        if (d.kind === "categorical") {
          return r.random() < 1 - bw ? m : r.integer(0, d.values.length);
        }
        const w = o.bandwidthFactor * bw;
        for (let t = 0; t < 1000; t++) {
          const x = r.normal(m, w);
          if (x >= 0 && x <= 1) return x;
        }
        return Math.min(1, Math.max(0, m));
      });
      const lg = logPdf(model.good, this.#dims, v);
      const lb = logPdf(model.bad, this.#dims, v);
      // HpBandSter minimises max(1e-32, g)/max(l, 1e-32).
      const value = Math.max(-73.68, lb) - Math.max(-73.68, lg);
      if (value < bestValue) {
        bestValue = value;
        best = v;
      }
    }
    if (best === null) return space.sample(random);
    const vector = best;
    return space.sample(random, (name) => {
      const j = space.names.indexOf(name);
      const d = this.#dims[j];
      return d.kind === "categorical"
        ? fromInternal(d, vector[j])
        : fromInternal(d, d.low + vector[j] * (d.high - d.low));
    });
  }
}

/**
 * BOHB as an ask/tell object: Hyperband (HpBandSter's schedule) drawing its
 * new configurations from {@linkcode BohbSampler}.
 *
 * @example
 * ```ts
 * import { multiFidelityBranin } from "./functions.ts";
 * import { bohb } from "./bohb.ts";
 * const s = bohb({ space: multiFidelityBranin.space, fidelity: multiFidelityBranin.fidelity, seed: 0 });
 * for (let i = 0; i < 60; i++) {
 *   const { trial, config, budget } = s.ask();
 *   s.tell(trial, multiFidelityBranin.evaluate(config, budget!));
 * }
 * ```
 */
export function bohb(
  settings: SearcherSettings & BohbOptions,
): HyperbandSearcher {
  return new HyperbandSearcher(settings, "hyperband", "hpbandster", {
    name: "bohb",
    sampler: new BohbSampler(settings.space, settings.seed ?? 0, settings),
  });
}
