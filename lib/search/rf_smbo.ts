/**
 * `rf-smbo`: SMAC-style sequential model-based optimisation (Hutter et al.
 * 2011) with a random forest: 10 trees, 5/6 of the features per split, at
 * least 3 rows to split and per leaf, bootstrap; expected improvement from
 * the forest's mean and variance, maximised over random candidates and local
 * search from the best configurations; one proposal in five random (SMAC3's
 * random design). Start-up: min(10·d, ¼ of the budget) random trials (SMAC3
 * uses a Sobol design of that size; here they are uniform).
 *
 * Costs are modelled as they are (SMAC's HPO facade models log costs, which
 * needs positive values).
 *
 * Cost per ask stays bounded as trials accumulate: past {@linkcode
 * RF_FIT_MAX} (2,000) observations the forest is fitted on that many of them,
 * chosen as GP-EI chooses its conditioning rows ({@linkcode
 * conditioningRows}: the best 600, the most recent 600, an even stride through
 * the rest; deterministic). At or below the cap every observation is used, as
 * before.
 *
 * @module
 */

import type { Config } from "../space/space.ts";
import { logExpectedImprovementBelow } from "../_math/special.ts";
import { features, maximizeAcquisition } from "./_acquisition.ts";
import { type ForestSettings, RandomForest } from "./forest.ts";
import { conditioningRows } from "./gp_ei.ts";
import { ModelBasedSearcher } from "./model_based.ts";
import type { SearcherSettings } from "./searcher.ts";

/**
 * The most observations RF-SMBO's forest is fitted on (fitting grows as
 * n·log n per feature and tree, and was 0.7 s per ask at 10,000 trials).
 */
export const RF_FIT_MAX = 2000;

/** Options of {@linkcode RfSmboSearcher}. */
export interface RfSmboOptions {
  /**
   * Settings of the random forest refitted each proposal; default {@linkcode
   * RandomForest}'s.
   */
  forest?: ForestSettings;
  /** Probability of a random proposal; default 0.2. */
  randomFraction?: number;
  /**
   * The most observations the forest is fitted on; default {@linkcode
   * RF_FIT_MAX}. Above it, {@linkcode conditioningRows} picks them.
   */
  fitMax?: number;
}

/**
 * Random-forest SMBO as an ask/tell object.
 *
 * @example
 * ```ts
 * import { branin } from "./functions.ts";
 * import { RfSmboSearcher } from "./rf_smbo.ts";
 * const s = new RfSmboSearcher({ space: branin.space, seed: 0, budget: 30 });
 * for (let i = 0; i < 30; i++) {
 *   const { trial, config } = s.ask();
 *   s.tell(trial, branin.evaluate(config));
 * }
 * ```
 */
export class RfSmboSearcher extends ModelBasedSearcher {
  /** The registered name, "rf-smbo". */
  readonly name = "rf-smbo";
  readonly #options: RfSmboOptions;

  /** A random-forest SMBO searcher over `settings.space`. */
  constructor(settings: SearcherSettings & RfSmboOptions) {
    super(settings, "rf-smbo");
    this.#options = settings;
  }

  get #fitMax(): number {
    return this.#options.fitMax ?? RF_FIT_MAX;
  }

  /**
   * The observations (indices in trial order of the finished, valued trials)
   * the next forest is fitted on: all of them up to `fitMax`, else
   * {@linkcode conditioningRows}'s `fitMax`.
   */
  fitRows(): number[] {
    const y = this.history.map((o) => o.loss);
    return y.length > this.#fitMax
      ? conditioningRows(y, this.#fitMax)
      : y.map((_, i) => i);
  }

  /**
   * 10 random trials per dimension, capped at a quarter of the budget (at least
   * 2).
   */
  protected startup(): number {
    const d = this.settings.space.dimension;
    const budget = this.settings.budget ?? Infinity;
    return Math.max(2, Math.min(10 * d, Math.floor(0.25 * budget)));
  }

  /**
   * A random configuration with probability `randomFraction`; otherwise the
   * candidate that maximises log expected improvement under the forest. The
   * forest sees at most `fitMax` observations (see the module); the
   * incumbent loss is the best of all of them.
   */
  protected propose(): Config {
    const space = this.settings.space;
    const r = this.random;
    if (r.random() < (this.#options.randomFraction ?? 0.2)) {
      return space.sample(r);
    }
    const y = this.history.map((o) => o.loss);
    let x = this.historyFeatures();
    let fitY = y;
    if (y.length > this.#fitMax) {
      const kept = this.fitRows();
      x = kept.map((i) => x[i]);
      fitY = kept.map((i) => y[i]);
    }
    const forest = new RandomForest(x, fitY, r, this.#options.forest);
    const best = Math.min(...y);
    const ranked = this.ranked();
    return maximizeAcquisition(
      space,
      (configs) => {
        const { mean, variance } = forest.predict(
          configs.map((c) => features(space, c)),
        );
        return mean.map((m, i) =>
          logExpectedImprovementBelow(best, m, Math.sqrt(variance[i]))
        );
      },
      {
        random: r,
        seen: this.seen,
        incumbents: ranked.slice(0, 10).map((o) => o.config),
      },
    );
  }
}
