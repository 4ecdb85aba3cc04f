/**
 * Does a layer's MI with the label track how well an architecture does? For
 * each estimator and hidden layer, Spearman's ρ between I(C_i; y) and the
 * validation accuracy at the full budget across a task's architectures,
 * averaged over tasks — the sweep-level question behind the predictors.
 *
 * @module
 */

import { spearman } from "../../lib/predict/metrics.ts";
import type { SweepRow } from "./posterior_prediction.ts";

/** One estimator × layer. */
export interface AgreementRow {
  estimator: string;
  layer: number;
  /** Mean over tasks of Spearman's ρ(MI, accuracy); tasks with a constant MI are skipped. */
  meanSpearman: number;
  /** Standard error over those tasks. */
  se: number;
  /** Tasks where MI varied. */
  tasks: number;
}

/**
 * MI-accuracy rank agreement per estimator and layer.
 *
 * @example
 * ```ts
 * import { miAccuracyAgreement } from "./mi_accuracy_agreement.ts";
 * const rows = [0.1, 0.5, 0.9].map((a, slot) => ({ task: 0, bracket: 0, slot, widths: [10], accuracy: { 9: a }, mi: { ksg: [a, 1 - a, a, a] } }));
 * const out = miAccuracyAgreement(rows, ["ksg"], 9);
 * if (out[0].meanSpearman !== 1 || out[1].meanSpearman !== -1) throw new Error();
 * ```
 */
export function miAccuracyAgreement(
  rows: readonly SweepRow[],
  estimators: readonly string[],
  budget: number,
): AgreementRow[] {
  const tasks = [...new Set(rows.map((r) => r.task))];
  const out: AgreementRow[] = [];
  for (const estimator of estimators) {
    for (let layer = 1; layer <= 4; layer++) {
      const rhos: number[] = [];
      for (const t of tasks) {
        const mine = rows.filter((r) => r.task === t);
        const mi = mine.map((r) => r.mi[estimator][layer - 1]);
        const acc = mine.map((r) => r.accuracy[budget]);
        const rho = spearman(mi, acc);
        if (Number.isFinite(rho)) rhos.push(rho);
      }
      const mean = rhos.reduce((a, v) => a + v, 0) / rhos.length;
      const sd = rhos.length > 1
        ? Math.sqrt(
          rhos.reduce((a, v) => a + (v - mean) ** 2, 0) / (rhos.length - 1),
        )
        : NaN;
      out.push({
        estimator,
        layer,
        meanSpearman: mean,
        se: sd / Math.sqrt(rhos.length),
        tasks: rhos.length,
      });
    }
  }
  return out;
}
