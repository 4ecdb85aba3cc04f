/**
 * `gp-ei`: Bayesian optimisation with a Gaussian process (Spearmint-style,
 * Snoek et al. 2012) and expected improvement in its log form (Ament et al.
 * 2023), for small spaces and tight budgets.
 *
 * - Model: Matérn 5/2 with ARD on the features of `features()` — numeric
 *   hyperparameters in [0,1] (log where log), categoricals one-hot, inactive
 *   ones at −1 — fitted by marginal likelihood with priors (`gp.ts`).
 * - Categoricals are handled as Garrido-Merchán & Hernández-Lobato (2020)
 *   advise: the acquisition is only ever evaluated at valid configurations
 *   (random candidates and one-exchange neighbours), so the GP never scores
 *   a point between two categories.
 * - Start-up: 2·(d + 1) random trials (d hyperparameters), then every
 *   proposal refits the hyperparameters, warm-started from the last fit.
 * - Acquisition: log EI maximised over 1,000 random candidates and local
 *   search from the 10 best (20 neighbours a step, 10 steps at most).
 * - Cost bounds, so that ask() stays under 200 ms at 500 trials: the
 *   hyperparameters are fitted on at most 150 observations (the 75 best and
 *   the 75 most recent; the posterior uses all of them), and past 200
 *   observations, where each prediction costs O(n²), the acquisition search
 *   shrinks to 300 candidates and 5 local searches of 10 neighbours; past
 *   {@linkcode GP_CONDITION_MAX} (500) observations the posterior conditions
 *   on 500 of them ({@linkcode conditioningRows}: the best 150, the most
 *   recent 150, an even stride through the rest), so an ask's cost stops
 *   growing with the number of trials.
 *
 * @module
 */

import type { Config } from "../space/space.ts";
import { logExpectedImprovementBelow } from "../_math/special.ts";
import { features, maximizeAcquisition } from "./_acquisition.ts";
import { GaussianProcess, type GpHyperparameters } from "./gp.ts";
import { ModelBasedSearcher } from "./model_based.ts";
import type { SearcherSettings } from "./searcher.ts";

/** The most observations GP-EI's posterior conditions on. */
export const GP_CONDITION_MAX = 500;

/**
 * The rows a capped GP conditions on, in increasing order, when there are
 * more than `max` observations: the ⌊0.3·max⌋ best losses (ties to the
 * earlier trial), the most recent rows until there are 2·⌊0.3·max⌋, and an
 * even stride through the rest up to `max`. Deterministic (no random
 * draws), so a resumed search conditions on the same rows.
 *
 * @example
 * ```ts
 * import { conditioningRows } from "./gp_ei.ts";
 * // max 6: the best row (9, loss 0), the most recent other (8), and rows
 * // 0, 2, 4, 6 evenly through the rest
 * const rows = conditioningRows([5, 1, 4, 2, 3, 9, 8, 7, 6, 0], 6);
 * if (rows.join() !== "0,2,4,6,8,9") throw new Error(rows.join());
 * ```
 */
export function conditioningRows(y: readonly number[], max: number): number[] {
  const n = y.length;
  const third = Math.floor(max * 0.3);
  const byLoss = y.map((v, i) => ({ v, i })).sort((a, b) =>
    a.v - b.v || a.i - b.i
  );
  const rows = new Set(byLoss.slice(0, third).map((e) => e.i));
  for (let i = n - 1; rows.size < 2 * third; i--) rows.add(i);
  const rest = [];
  for (let i = 0; i < n; i++) if (!rows.has(i)) rest.push(i);
  const room = max - rows.size;
  for (let k = 0; k < room; k++) {
    rows.add(rest[Math.floor((k * rest.length) / room)]);
  }
  return [...rows].sort((a, b) => a - b);
}

/**
 * GP-EI as an ask/tell object.
 *
 * @example
 * ```ts
 * import { branin } from "./functions.ts";
 * import { GpEiSearcher } from "./gp_ei.ts";
 * const s = new GpEiSearcher({ space: branin.space, seed: 0 });
 * for (let i = 0; i < 15; i++) {
 *   const { trial, config } = s.ask();
 *   s.tell(trial, branin.evaluate(config));
 * }
 * ```
 */
export class GpEiSearcher extends ModelBasedSearcher {
  /** The registered name, "gp-ei". */
  readonly name = "gp-ei";
  #last: GpHyperparameters | undefined;

  /** A GP-EI searcher over `settings.space`. */
  constructor(settings: SearcherSettings) {
    super(settings, "gp-ei");
  }

  /** 2(d + 1) random trials for a space of dimension d. */
  protected startup(): number {
    return 2 * (this.settings.space.dimension + 1);
  }

  /** Saves the last fitted GP hyperparameters (the next fit's warm start). */
  protected override snapshotModel(): unknown {
    return this.#last ?? null;
  }

  /** Restores the last fitted GP hyperparameters (the next fit's warm start). */
  protected override restoreModel(model: unknown): void {
    this.#last = (model ?? undefined) as GpHyperparameters | undefined;
  }

  /**
   * The GP fitted to the observations so far (after start-up).
   *
   * Cost per ask stays bounded as trials accumulate: the hyperparameters are
   * fitted on at most 150 rows (the best 75 and the most recent), and above
   * {@linkcode GP_CONDITION_MAX} observations the posterior conditions on a
   * subset of that size — the best third, the most recent third, and an even
   * stride through the rest (deterministic, no random draws) — so the
   * Cholesky costs at most 500³/3 and each prediction 500². At or below the
   * cap every observation is used, as before.
   */
  model(): GaussianProcess {
    let x = this.historyFeatures();
    let y = this.history.map((o) => o.loss);
    if (x.length > GP_CONDITION_MAX) {
      const kept = conditioningRows(y, GP_CONDITION_MAX);
      x = kept.map((i) => x[i]);
      y = kept.map((i) => y[i]);
    }
    const n = x.length;
    let fitRows: number[] | undefined;
    if (n > 150) {
      const byLoss = y.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
      const rows = new Set(byLoss.slice(0, 75).map((e) => e.i));
      for (let i = n - 1; rows.size < 150; i--) rows.add(i);
      fitRows = [...rows].sort((a, b) => a - b);
    }
    const gp = GaussianProcess.fit(x, y, {
      init: this.#last,
      // A full fit the first time, then warm-started refinements.
      iterations: this.#last ? 10 : 100,
      fitRows,
    });
    this.#last = gp.hyperparameters;
    return gp;
  }

  /**
   * The candidate that maximises log expected improvement under {@linkcode
   * GpEiSearcher.model}.
   */
  protected propose(): Config {
    const space = this.settings.space;
    const gp = this.model();
    const best = Math.min(...this.history.map((o) => o.loss));
    return maximizeAcquisition(
      space,
      (configs) => {
        const { mean, std } = gp.predict(
          configs.map((c) => features(space, c)),
        );
        return mean.map((m, i) => logExpectedImprovementBelow(best, m, std[i]));
      },
      {
        random: this.random,
        seen: this.seen,
        incumbents: this.ranked().slice(0, 10).map((o) => o.config),
        ...(this.history.length <= 200
          ? { randomCandidates: 1000, localStarts: 10, neighbours: 20 }
          : { randomCandidates: 300, localStarts: 5, neighbours: 10 }),
        maxSteps: 10,
      },
    );
  }
}
