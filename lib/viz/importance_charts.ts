/**
 * The chart of `compareImportance`: HSIC indices beside Optuna's fANOVA and
 * MDI importances, each method's column scaled to sum to 1 over the
 * parameters it ranks, as grouped horizontal bars.
 *
 * @module
 */

import type pl from "nodejs-polars";
import { Chart, type VegaLiteSpec } from "./chart.ts";
import { categoryScale } from "./_palette.ts";
import type { DataFrame } from "../_frame.ts";

const METHODS: readonly [string, string][] = [
  ["hsic", "HSIC (global)"],
  ["hsicGoal", "HSIC (goal-oriented)"],
  ["fanova", "fANOVA (Optuna)"],
  ["mdi", "MDI (Optuna)"],
];

/**
 * Grouped bars of a `compareImportance` table: per parameter, each method's
 * importance as a share of its total (so R2-HSIC and Optuna's importances
 * read on one scale); methods with no values (Optuna absent) are left out.
 *
 * @example
 * ```ts
 * import { importanceChart } from "./importance_charts.ts";
 * const chart = importanceChart([
 *   { param: "lr", hsic: 0.3, hsicGoal: 0.4, pValue: 0.01, fanova: 0.7, mdi: 0.6, nActive: 50 },
 *   { param: "opt", hsic: 0.1, hsicGoal: 0.05, pValue: 0.4, fanova: 0.3, mdi: 0.4, nActive: 50 },
 * ]);
 * if (chart.spec.data.values.length !== 8) throw new Error("2 params × 4 methods");
 * ```
 */
export function importanceChart(
  table: DataFrame | readonly Record<string, unknown>[],
  options: { title?: string } = {},
): Chart {
  const rows = Array.isArray(table)
    ? table as Record<string, unknown>[]
    : (table as pl.DataFrame).toRecords();
  if (rows.length === 0) throw new Error("a chart needs at least one row");
  const values: Record<string, unknown>[] = [];
  for (const [key, method] of METHODS) {
    const total = rows.reduce(
      (s, r) =>
        s + (typeof r[key] === "number" ? Math.max(0, r[key] as number) : 0),
      0,
    );
    if (!(total > 0)) continue;
    for (const r of rows) {
      const v = r[key];
      values.push({
        param: r.param,
        method,
        share: typeof v === "number" ? Math.max(0, v) / total : null,
        raw: v ?? null,
      });
    }
  }
  const order = rows.map((r) => r.param);
  const spec: VegaLiteSpec = {
    width: 360,
    height: { step: 14 },
    data: { values },
    mark: "bar",
    encoding: {
      y: { field: "param", type: "nominal", sort: order, title: null },
      yOffset: { field: "method", sort: METHODS.map(([, m]) => m) },
      x: {
        field: "share",
        type: "quantitative",
        title: "importance (share of each method's total)",
      },
      color: {
        field: "method",
        type: "nominal",
        sort: METHODS.map(([, m]) => m),
        scale: categoryScale(),
        title: null,
        legend: { labelLimit: 240 },
      },
      tooltip: [
        { field: "param" },
        { field: "method" },
        { field: "share", format: ".3f" },
        { field: "raw", format: ".4f", title: "value" },
      ],
    },
  };
  if (options.title) spec.title = options.title;
  return new Chart(spec, { name: options.title ?? "importance-comparison" });
}
