/**
 * Whether a sweep's per-layer MI estimates are possible values: each
 * I(C_i; y) column of a sweep table (`mi_<method>_<layer>`, and
 * `mi<epoch>_<method>_<layer>` for earlier checkpoints) checked against
 * [0, H(Y)], H(Y) being the plug-in entropy of the validation labels the
 * estimates were made on, with `checkRange`'s slack (these rows carry no
 * standard error). The share out of range per estimator says how far an
 * estimator can be trusted before its correlations are read.
 *
 * @module
 */

import type { MIMethod } from "../../lib/mi/estimate.ts";
import {
  type RangeCheckable,
  type RangeCheckOptions,
  rangeSummary,
  type RangeSummaryRow,
} from "../../lib/mi/layer_range.ts";
import { splitOf, type SuiteTask } from "./task_suite.ts";

/** One per-layer estimate of a sweep table, ready for `checkRange`. */
export interface SweepEstimate extends RangeCheckable {
  /** The table's row (its trial) and column. */
  trial: number;
  column: string;
  task: number;
}

const MI_COLUMN = /^mi(\d*)_(.+)_(\d+)$/;

/** Plug-in entropy of integer labels, in nats. */
export function labelEntropy(labels: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const y of labels) counts.set(y, (counts.get(y) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / labels.length;
    h -= p * Math.log(p);
  }
  return h;
}

/**
 * Every per-layer MI estimate of the table's records, with its task's H(Y)
 * as the ceiling. Missing (NaN or null) estimates are skipped.
 *
 * @example
 * ```ts
 * import { sweepEstimates } from "./sweep_range.ts";
 * const rows = sweepEstimates(
 *   [{ trial: 0, task: 0, "mi_ksg_1": 0.4, "mi1_probe_2": -1, acc_9: 0.9 }],
 *   () => Math.LN2,
 * );
 * if (rows.length !== 2 || rows[1].method !== "probe") throw new Error();
 * ```
 */
export function sweepEstimates(
  records: readonly Record<string, unknown>[],
  entropyOf: (task: number) => number,
): SweepEstimate[] {
  const out: SweepEstimate[] = [];
  for (const [i, r] of records.entries()) {
    const task = Number(r.task);
    for (const [column, value] of Object.entries(r)) {
      const m = MI_COLUMN.exec(column);
      if (!m || typeof value !== "number" || Number.isNaN(value)) continue;
      out.push({
        trial: typeof r.trial === "number" ? r.trial : i,
        task,
        column,
        method: m[2] as MIMethod,
        estimate: value,
        ceiling: entropyOf(task),
      });
    }
  }
  return out;
}

/**
 * The share of a sweep's per-layer estimates outside [0, H(Y)], per
 * estimator, H(Y) from each task's validation labels in `tasks` (the
 * suite, indexed as the table's `task` column).
 *
 * @example
 * ```ts
 * import { sweepRangeSummary } from "./sweep_range.ts";
 * const task = { split: { train: [], validation: [0, 1], test: [] }, x: [[0], [1]], y: [0, 1] };
 * const [s] = sweepRangeSummary(
 *   [{ trial: 0, task: 0, "mi_mine_1": -2 }, { trial: 1, task: 0, "mi_mine_1": 0.5 }],
 *   // deno-lint-ignore no-explicit-any
 *   [task as any],
 * );
 * if (s.method !== "mine" || s.shareOutOfRange !== 0.5) throw new Error(JSON.stringify(s));
 * ```
 */
export function sweepRangeSummary(
  records: readonly Record<string, unknown>[],
  tasks: readonly SuiteTask[],
  options: RangeCheckOptions = {},
): RangeSummaryRow[] {
  const entropies = new Map<number, number>();
  const entropyOf = (t: number) => {
    if (!entropies.has(t)) {
      const task = tasks[t];
      if (!task) {
        throw new RangeError(
          `the table has task ${t}, but only ${tasks.length} tasks were given: pass the suite the sweep ran on (taskSuite())`,
        );
      }
      entropies.set(t, labelEntropy(splitOf(task, "validation").y));
    }
    return entropies.get(t)!;
  };
  return rangeSummary(sweepEstimates(records, entropyOf), options);
}
