/**
 * The figures of notebook 03: R2-HSIC bars with p-values and bootstrap
 * intervals, the interaction heatmap, indices against the goal quantile, and
 * guided against random search.
 *
 * @module
 */

import type pl from "nodejs-polars";
import { categoryScale } from "./_palette.ts";
import { Chart, type VegaLiteSpec } from "./chart.ts";
import { heatmap } from "./builders.ts";
import type { DataFrame } from "../_frame.ts";

function recordsOf(
  data: pl.DataFrame | readonly Record<string, unknown>[],
): Record<string, unknown>[] {
  const rows = Array.isArray(data)
    ? data as Record<string, unknown>[]
    : (data as pl.DataFrame).toRecords();
  if (rows.length === 0) throw new Error("a chart needs at least one row");
  return rows;
}

/**
 * R2-HSIC per hyperparameter as horizontal bars, largest first, coloured by
 * whether its p-value is at most `alpha` (permutation p-value when present,
 * else asymptotic), with bootstrap intervals where `r2Low`/`r2High` exist.
 *
 * @example
 * ```ts
 * import { r2Chart } from "./hsic_charts.ts";
 * const chart = r2Chart([
 *   { name: "lr", r2: 0.3, pAsymptotic: 1e-5, pPermutation: 0, r2Low: 0.2, r2High: 0.4, nActive: 100 },
 *   { name: "act", r2: 0.01, pAsymptotic: 0.4, pPermutation: 0.5, r2Low: null, r2High: null, nActive: 100 },
 * ]);
 * if (!chart.spec.layer) throw new Error("bars and interval rules");
 * ```
 */
export function r2Chart(
  indices: DataFrame | readonly Record<string, unknown>[],
  options: { title?: string; alpha?: number } = {},
): Chart {
  const alpha = options.alpha ?? 0.05;
  const rows = recordsOf(indices).map((r) => {
    const p = (r.pPermutation ?? r.pAsymptotic ?? null) as number | null;
    return {
      ...r,
      p,
      verdict: p === null
        ? "no p-value"
        : p <= alpha
        ? `p ≤ ${alpha}`
        : `p > ${alpha}`,
      label: `${r.name} (n=${r.nActive})`,
    };
  });
  // An explicit order: a sort by field is not shared across layers.
  const order = [...rows]
    .sort((a, b) =>
      ((b as Record<string, unknown>).r2 as number ?? -Infinity) -
      ((a as Record<string, unknown>).r2 as number ?? -Infinity)
    )
    .map((r) => r.label);
  const y = { field: "label", type: "nominal", sort: order, title: null };
  const spec: VegaLiteSpec = {
    width: 360,
    height: { step: 18 },
    data: { values: rows },
    layer: [
      {
        mark: "bar",
        encoding: {
          y,
          x: { field: "r2", type: "quantitative", title: "R2-HSIC" },
          color: {
            field: "verdict",
            type: "nominal",
            title: "independence test",
          },
          tooltip: [
            { field: "name" },
            { field: "r2", format: ".4f" },
            { field: "pAsymptotic", format: ".2e" },
            { field: "pPermutation", format: ".3f" },
            { field: "nActive" },
          ],
        },
      },
      {
        transform: [{ filter: "datum.r2Low != null" }],
        mark: { type: "rule", color: "black" },
        encoding: {
          y,
          x: { field: "r2Low", type: "quantitative" },
          x2: { field: "r2High" },
        },
      },
    ],
  };
  if (options.title) spec.title = options.title;
  return new Chart(spec, { name: options.title ?? "r2-hsic" });
}

/**
 * The pairwise R2-HSIC of `hsicAnalysis(..., { interactions: true })` as a
 * symmetric heatmap, with each hyperparameter's own R2 on the diagonal.
 *
 * @example
 * ```ts
 * import { interactionChart } from "./hsic_charts.ts";
 * const chart = interactionChart(
 *   [{ a: "lr", b: "depth", r2: 0.2 }],
 *   [{ name: "lr", r2: 0.15 }, { name: "depth", r2: 0.05 }],
 * );
 * if (chart.spec.data.values.length !== 4) throw new Error("2 pairs + 2 diagonal cells");
 * ```
 */
export function interactionChart(
  interactions: DataFrame | readonly Record<string, unknown>[],
  indices: DataFrame | readonly Record<string, unknown>[],
  options: { title?: string } = {},
): Chart {
  const cells: Record<string, unknown>[] = [];
  for (const r of recordsOf(interactions)) {
    cells.push({ a: r.a, b: r.b, r2: r.r2 });
    cells.push({ a: r.b, b: r.a, r2: r.r2 });
  }
  for (const r of recordsOf(indices)) {
    cells.push({ a: r.name, b: r.name, r2: r.r2 });
  }
  return heatmap(cells, {
    x: "a",
    y: "b",
    color: "r2",
    xTitle: "",
    yTitle: "",
    title: options.title ?? "pairwise R2-HSIC",
    width: 320,
    height: 320,
  });
}

/**
 * R2-HSIC of each hyperparameter against the goal quantile, from rows
 * `{ quantile, name, r2 }` (one analysis per quantile).
 *
 * @example
 * ```ts
 * import { quantileChart } from "./hsic_charts.ts";
 * const chart = quantileChart([{ quantile: 0.1, name: "lr", r2: 0.2 }, { quantile: 0.3, name: "lr", r2: 0.1 }]);
 * ```
 */
export function quantileChart(
  rows: DataFrame | readonly Record<string, unknown>[],
  options: { title?: string } = {},
): Chart {
  const spec: VegaLiteSpec = {
    width: 360,
    height: 240,
    data: { values: recordsOf(rows) },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "quantile", type: "quantitative", title: "goal quantile" },
      y: { field: "r2", type: "quantitative", title: "R2-HSIC" },
      color: {
        field: "name",
        type: "nominal",
        title: "hyperparameter",
        scale: categoryScale(),
      },
    },
  };
  if (options.title) spec.title = options.title;
  return new Chart(spec, { name: options.title ?? "r2-against-quantile" });
}

/**
 * Best objective reached per method (mean ± standard error over seeds), one
 * panel per task, from `versusSummary` rows `{ task, method, mean, se }`.
 *
 * @example
 * ```ts
 * import { versusChart } from "./hsic_charts.ts";
 * const chart = versusChart([
 *   { task: "runge", method: "random", mean: 0.01, se: 0.002 },
 *   { task: "runge", method: "hsic-guided", mean: 0.008, se: 0.001 },
 * ]);
 * ```
 */
export function versusChart(
  summary: DataFrame | readonly Record<string, unknown>[],
  options: { title?: string; yTitle?: string } = {},
): Chart {
  const rows = recordsOf(summary).map((r) => ({
    ...r,
    low: (r.mean as number) - ((r.se as number | null) ?? 0),
    high: (r.mean as number) + ((r.se as number | null) ?? 0),
  }));
  const x = { field: "method", type: "nominal", title: null };
  const spec: VegaLiteSpec = {
    data: { values: rows },
    facet: { column: { field: "task", type: "nominal", title: null } },
    resolve: { scale: { y: "independent" } },
    spec: {
      width: 160,
      height: 220,
      layer: [
        {
          mark: { type: "point", filled: true, size: 60 },
          encoding: {
            x,
            y: {
              field: "mean",
              type: "quantitative",
              title: options.yTitle ?? "best test error (mean ± SE)",
              scale: { zero: false },
            },
            color: {
              field: "method",
              type: "nominal",
              legend: null,
              scale: categoryScale(),
            },
          },
        },
        {
          mark: "rule",
          encoding: {
            x,
            y: { field: "low", type: "quantitative" },
            y2: { field: "high" },
            color: {
              field: "method",
              type: "nominal",
              legend: null,
              scale: categoryScale(),
            },
          },
        },
      ],
    },
  };
  if (options.title) spec.title = options.title;
  return new Chart(spec, { name: options.title ?? "guided-versus-random" });
}
