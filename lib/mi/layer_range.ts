/**
 * Whether per-layer estimates are possible values: I(T;Y) lies in
 * [0, H(Y)] and I(X;T) in [0, H(X)] (no upper end where X is continuous
 * and the row's ceiling is NaN). `checkRange` marks each row `inRange` up
 * to its uncertainty; `rangeSummary` and `printRangeSummary` give the share
 * out of range per estimator — a neural bound far below 0 or a saturated
 * estimate above H(Y) shows here before it misleads a correlation.
 *
 * @module
 */

import type { MIMethod } from "./estimate.ts";
import type { LayerMIRow } from "./layer_mi.ts";

/** Options of {@linkcode checkRange}. */
export interface RangeCheckOptions {
  /**
   * Slack in nats for rows without a standard error (the neural bounds,
   * binning, ksg). Default 0.05.
   */
  tolerance?: number;
  /** Rows with a `standardError` get z standard errors of slack instead. Default 2. */
  z?: number;
}

/** A per-layer row that may carry its estimate's standard error. */
export type RangeCheckable =
  & Pick<
    LayerMIRow,
    "estimate" | "ceiling" | "method"
  >
  & { standardError?: number };

/**
 * The rows with `inRange`: estimate ≥ −slack and, where the ceiling is
 * known, ≤ ceiling + slack.
 *
 * @example
 * ```ts
 * import { checkRange } from "./layer_range.ts";
 * const rows = checkRange([
 *   { estimate: 0.5, ceiling: Math.LN2, method: "mine" },
 *   { estimate: -3.7, ceiling: Math.LN2, method: "mine" },
 *   { estimate: 0.9, ceiling: Math.LN2, method: "binning" },
 * ]);
 * if (rows.map((r) => r.inRange).join() !== "true,false,false") throw new Error();
 * ```
 */
export function checkRange<R extends RangeCheckable>(
  rows: readonly R[],
  options: RangeCheckOptions = {},
): (R & { inRange: boolean })[] {
  const tolerance = options.tolerance ?? 0.05;
  const z = options.z ?? 2;
  return rows.map((r) => {
    const slack = r.standardError !== undefined &&
        Number.isFinite(r.standardError)
      ? z * r.standardError
      : tolerance;
    const above = r.estimate >= -slack;
    const below = Number.isNaN(r.ceiling) || r.estimate <= r.ceiling + slack;
    return { ...r, inRange: above && below };
  });
}

/** One estimator's line of {@linkcode rangeSummary}. */
export interface RangeSummaryRow {
  /** The estimator. */
  method: MIMethod;
  /** Rows checked. */
  rows: number;
  /** Rows below 0 beyond the slack. */
  below: number;
  /** Rows above the ceiling beyond the slack. */
  above: number;
  /** (below + above) / rows. */
  shareOutOfRange: number;
}

/**
 * The share of rows out of range, per estimator (in order of appearance).
 *
 * @example
 * ```ts
 * import { rangeSummary } from "./layer_range.ts";
 * const s = rangeSummary([
 *   { estimate: 0.5, ceiling: 1, method: "mine" },
 *   { estimate: -1, ceiling: 1, method: "mine" },
 * ]);
 * if (s[0].shareOutOfRange !== 0.5 || s[0].below !== 1) throw new Error();
 * ```
 */
export function rangeSummary(
  rows: readonly RangeCheckable[],
  options: RangeCheckOptions = {},
): RangeSummaryRow[] {
  const byMethod = new Map<MIMethod, RangeSummaryRow>();
  checkRange(rows, options).forEach((r) => {
    const s = byMethod.get(r.method) ??
      { method: r.method, rows: 0, below: 0, above: 0, shareOutOfRange: 0 };
    byMethod.set(r.method, s);
    s.rows++;
    if (!r.inRange) {
      // Out of range on one side only: below 0 unless above the ceiling.
      if (!Number.isNaN(r.ceiling) && r.estimate > r.ceiling) s.above++;
      else s.below++;
    }
    s.shareOutOfRange = (s.below + s.above) / s.rows;
  });
  return [...byMethod.values()];
}

/**
 * Prints {@linkcode rangeSummary} as a small table (and returns the text).
 *
 * @example
 * ```ts
 * import { printRangeSummary } from "./layer_range.ts";
 * const text = printRangeSummary([{ estimate: 2, ceiling: 1, method: "binning" }]);
 * if (!text.includes("100.0%")) throw new Error(text);
 * ```
 */
export function printRangeSummary(
  rows: readonly RangeCheckable[],
  options: RangeCheckOptions = {},
): string {
  const lines = [
    "estimator      rows  below 0  above H  out of range",
    ...rangeSummary(rows, options).map((s) =>
      `${s.method.padEnd(12)} ${String(s.rows).padStart(6)} ${
        String(s.below).padStart(8)
      } ${String(s.above).padStart(8)} ${
        (100 * s.shareOutOfRange).toFixed(1).padStart(12)
      }%`
    ),
  ];
  const text = lines.join("\n");
  console.log(text);
  return text;
}
