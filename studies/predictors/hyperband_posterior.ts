/**
 * The targets of experiment 1: Hyperband replayed on a task's rows of the
 * predictor sweep, and the *Hyperband posterior* of the thesis — for each
 * hidden layer, a distribution over the width options among the
 * architectures Hyperband selects (those that reach the full budget),
 * weighted by their score acc − λ · Σ widths and smoothed over neighbouring
 * widths.
 *
 * @module
 */

import { brackets } from "../../lib/search/hyperband.ts";

/** One architecture of the sweep: its widths and validation accuracy per rung budget. */
export interface SweepArchitecture {
  task: number;
  bracket: number;
  slot: number;
  widths: number[];
  /** Validation accuracy after each budget, keyed by the budget in epochs. */
  accuracy: Record<number, number>;
}

/** Settings of the posterior. */
export interface PosteriorOptions {
  /** The width options, ascending. */
  options: readonly number[];
  /** Penalty per unit of total width in the score. Default 1e-4. */
  lambda?: number;
  /** Standard deviation of the smoothing kernel, in option steps. Default 1. */
  smoothing?: number;
  /** Probability mass spread uniformly, so no option has zero. Default 0.05. */
  floor?: number;
}

/**
 * The architectures Hyperband (Li et al.'s brackets, min budget 1) selects
 * from a task's rows: in each bracket, successive halving on the accuracy at
 * each rung's budget, keeping the best ⌊n η^−i⌋; the survivors of the last
 * rung (trained for the maximum budget).
 *
 * @example
 * ```ts
 * import { hyperbandSelect } from "./hyperband_posterior.ts";
 * const arch = (bracket: number, slot: number, acc: number) =>
 *   ({ task: 0, bracket, slot, widths: [10], accuracy: { 1: acc, 3: acc, 9: acc } });
 * const rows = [arch(0, 0, 0.5), arch(0, 1, 0.9), arch(0, 2, 0.7)];
 * if (hyperbandSelect(rows, 9, 3).length !== 3) throw new Error("bracket 0 keeps all");
 * ```
 */
export function hyperbandSelect(
  rows: readonly SweepArchitecture[],
  maxBudget: number,
  eta: number,
): SweepArchitecture[] {
  const selected: SweepArchitecture[] = [];
  for (const b of brackets({ min: 1, max: maxBudget, eta }, "li")) {
    let alive = rows.filter((r) => r.bracket === b.s)
      .sort((p, q) => p.slot - q.slot);
    if (alive.length === 0) continue;
    for (let i = 0; i + 1 < b.sizes.length; i++) {
      const budget = b.budgets[i];
      alive = [...alive]
        .sort((p, q) =>
          q.accuracy[budget] - p.accuracy[budget] || p.slot - q.slot
        )
        .slice(0, Math.max(1, b.sizes[i + 1]));
    }
    selected.push(...alive);
  }
  return selected;
}

/**
 * The Hyperband posterior of a task: `layers` distributions over
 * `options.options`, from the selected architectures weighted by
 * max(acc − λ Σ widths, 0) at the maximum budget.
 *
 * @example
 * ```ts
 * import { hyperbandPosterior } from "./hyperband_posterior.ts";
 * const sel = [{ task: 0, bracket: 0, slot: 0, widths: [10, 20], accuracy: { 9: 0.9 } }];
 * const p = hyperbandPosterior(sel, 9, { options: [10, 20, 30] });
 * if (p.length !== 2 || Math.abs(p[0].reduce((a, b) => a + b) - 1) > 1e-12) throw new Error();
 * if (!(p[0][0] > p[0][2])) throw new Error("mass near the chosen width");
 * ```
 */
export function hyperbandPosterior(
  selected: readonly SweepArchitecture[],
  maxBudget: number,
  options: PosteriorOptions,
): number[][] {
  const opts = options.options;
  const lambda = options.lambda ?? 1e-4;
  const sd = options.smoothing ?? 1;
  const floor = options.floor ?? 0.05;
  const layers = selected[0]?.widths.length ?? 0;
  if (layers === 0) {
    throw new RangeError("hyperbandPosterior needs selected architectures");
  }
  return Array.from({ length: layers }, (_, l) => {
    const mass = new Array<number>(opts.length).fill(0);
    for (const a of selected) {
      const score = Math.max(
        a.accuracy[maxBudget] - lambda * a.widths.reduce((s, w) => s + w, 0),
        0,
      );
      const k = opts.indexOf(a.widths[l]);
      if (k < 0) {
        throw new RangeError(`width ${a.widths[l]} is not one of the options`);
      }
      for (let j = 0; j < opts.length; j++) {
        mass[j] += score * Math.exp(-0.5 * ((j - k) / sd) ** 2);
      }
    }
    const total = mass.reduce((s, v) => s + v, 0);
    return mass.map((v) =>
      (1 - floor) * (total > 0 ? v / total : 1 / opts.length) +
      floor / opts.length
    );
  });
}
