/**
 * `bore` and `bore-rmi`: search by classifying good configurations (BORE,
 * Tiao et al. 2021): the trials whose loss is in the best γ fraction are
 * labelled 1, a classifier is fitted, and its probability of "good" is the
 * acquisition (it is a monotone transform of expected improvement at the
 * γ-quantile).
 *
 * - `bore`: γ = 1/3 (the paper's setting), a random forest classifier (the
 *   paper's BORE-RF) refitted each proposal, 10 random start-up trials, the
 *   probability maximised over random candidates and local search.
 * - `bore-rmi`: the RMI-NAS variant (Zheng et al. 2022) — 100 random warm-up
 *   evaluations (half the budget when the budget is under 200, so that a
 *   short search is not random search throughout), the threshold τ fixed at their 5 % quantile, a random
 *   forest of 100 trees with √d features per split and leaves of one row
 *   (scikit-learn's defaults), and the argmax of P(good) over 1,000 random
 *   candidates.
 *
 * @module
 */

import type { Config } from "../space/space.ts";
import { features, maximizeAcquisition } from "./_acquisition.ts";
import { RandomForest } from "./forest.ts";
import { ModelBasedSearcher } from "./model_based.ts";
import type { SearcherSettings } from "./searcher.ts";

/** Options of {@linkcode BoreSearcher}. */
export interface BoreOptions {
  /** "bore" (default) or "rmi" (RMI-NAS). */
  variant?: "bore" | "rmi";
}

/**
 * BORE as an ask/tell object.
 *
 * @example
 * ```ts
 * import { branin } from "./functions.ts";
 * import { BoreSearcher } from "./bore.ts";
 * const s = new BoreSearcher({ space: branin.space, seed: 0 });
 * for (let i = 0; i < 20; i++) {
 *   const { trial, config } = s.ask();
 *   s.tell(trial, branin.evaluate(config));
 * }
 * ```
 */
export class BoreSearcher extends ModelBasedSearcher {
  /** "bore" or "bore-rmi", after `variant`. */
  readonly name: string;
  readonly #rmi: boolean;
  /** RMI-NAS: the threshold fixed after warm-up. */
  #tau: number | null = null;

  /** A BORE searcher over `settings.space`; `variant: "rmi"` gives RMI-NAS. */
  constructor(settings: SearcherSettings & BoreOptions) {
    const rmi = (settings.variant ?? "bore") === "rmi";
    super(settings, rmi ? "bore-rmi" : "bore");
    this.#rmi = rmi;
    this.name = rmi ? "bore-rmi" : "bore";
  }

  /** Saves the RMI threshold τ once it is set (null before). */
  protected override snapshotModel(): unknown {
    return this.#tau;
  }

  /** Restores the RMI threshold τ once it is set (null before). */
  protected override restoreModel(model: unknown): void {
    this.#tau = (model ?? null) as number | null;
  }

  /**
   * 10 random trials for `bore`; for `bore-rmi`, 100, or half a budget under
   * 200 (at least 2).
   */
  protected startup(): number {
    if (!this.#rmi) return 10;
    const budget = this.settings.budget ?? Infinity;
    return Math.max(2, Math.min(100, Math.floor(budget / 2)));
  }

  /**
   * Labels the best γ of the history good, fits the forest classifier, and
   * returns the candidate most likely good.
   */
  protected propose(): Config {
    const space = this.settings.space;
    const r = this.random;
    const losses = this.history.map((o) => o.loss);
    const sorted = [...losses].sort((a, b) => a - b);
    let tau: number;
    if (this.#rmi) {
      this.#tau ??= sorted[Math.max(0, Math.ceil(0.05 * sorted.length) - 1)];
      tau = this.#tau;
    } else {
      tau = sorted[Math.max(0, Math.ceil(sorted.length / 3) - 1)];
    }
    const x = this.historyFeatures();
    const y = losses.map((l) => (l <= tau ? 1 : 0));
    const forest = new RandomForest(
      x,
      y,
      r,
      this.#rmi
        ? {
          trees: 100,
          featureFraction: Math.sqrt(x[0].length) / x[0].length,
          minSplit: 2,
          minLeaf: 1,
        }
        : {},
    );
    const probability = (configs: Config[]) =>
      forest.predict(configs.map((c) => features(space, c))).mean;
    if (this.#rmi) {
      return maximizeAcquisition(space, probability, {
        random: r,
        seen: this.seen,
        incumbents: [],
        randomCandidates: 1000,
        localStarts: 0,
      });
    }
    return maximizeAcquisition(space, probability, {
      random: r,
      seen: this.seen,
      incumbents: this.ranked().slice(0, 10).map((o) => o.config),
    });
  }
}
