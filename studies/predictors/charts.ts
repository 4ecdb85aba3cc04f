/**
 * The charts of notebook 05: predicted against true Hyperband posteriors for
 * a held-out task, experiment 1's table as bars with standard errors, and
 * the signal comparison (τ and ρ per signal).
 *
 * @module
 */

import { Chart, type VegaLiteSpec } from "../../lib/viz/chart.ts";
import { categoryScale } from "../../lib/viz/_palette.ts";
import { barChart } from "../../lib/viz/builders.ts";
import type { PosteriorExample } from "./posterior_prediction.ts";

/**
 * One panel per hidden layer: the true posterior over widths (black) and
 * each method's prediction.
 *
 * @example
 * ```ts
 * import { posteriorChart } from "./charts.ts";
 * const c = posteriorChart([{ task: 3, method: "truth", layer: 1, width: 10, probability: 1 }]);
 * if (!c.spec.facet) throw new Error();
 * ```
 */
export function posteriorChart(
  example: readonly PosteriorExample[],
  options: { title?: string } = {},
): Chart {
  if (example.length === 0) throw new Error("posteriorChart needs rows");
  const spec: VegaLiteSpec = {
    title: options.title ??
      "Hyperband posterior of a held-out task: truth and predictions",
    data: { values: example.map((e) => ({ ...e, layer: `layer ${e.layer}` })) },
    facet: { field: "layer", type: "nominal", title: null },
    columns: 2,
    spec: {
      width: 240,
      height: 140,
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "width", type: "quantitative", title: "width" },
        y: {
          field: "probability",
          type: "quantitative",
          title: "probability",
        },
        color: {
          field: "method",
          type: "nominal",
          scale: categoryScale(),
          legend: { labelLimit: 300 },
        },
        strokeWidth: {
          condition: { test: "datum.method === 'truth'", value: 3 },
          value: 1.2,
        },
      },
    },
  };
  return new Chart(spec, { name: "posteriors" });
}

/**
 * Experiment 1's test MSE, mean ± SE over seeds, as points with error bars
 * in two panels with their own scales: the baselines, whose MSEs differ by
 * a factor two, and the MLP predictors, which differ by a few percent, with
 * the uniform baseline repeated there as the reference. On one shared axis
 * the largest baseline hides the MLPs' differences and every SE bar.
 *
 * @example
 * ```ts
 * import { experiment1Chart } from "./charts.ts";
 * const c = experiment1Chart([
 *   { method: "uniform", mse: 2e-3, mseSE: 0 },
 *   { method: "MLP + mi-ksg", mse: 1.8e-3, mseSE: 4e-6 },
 * ]);
 * const panels = c.spec.vconcat as { data: { values: unknown[] } }[];
 * const rows = panels.map((p) => p.data.values.length);
 * if (rows.join() !== "1,2") throw new Error("uniform appears in both panels");
 * ```
 */
export function experiment1Chart(
  table: readonly { method: string; mse: number; mseSE: number }[],
  options: { title?: string } = {},
): Chart {
  if (table.length === 0) throw new Error("experiment1Chart needs rows");
  const BASELINES = "baselines";
  const MLPS = "MLP predictors (zoomed in; uniform for reference)";
  const values = table.flatMap((r) => {
    const row = {
      method: r.method,
      mse: r.mse,
      low: r.mse - r.mseSE,
      high: r.mse + r.mseSE,
    };
    if (r.method.startsWith("MLP")) return [{ ...row, panel: MLPS }];
    return r.method === "uniform"
      ? [{ ...row, panel: BASELINES }, { ...row, panel: MLPS }]
      : [{ ...row, panel: BASELINES }];
  });
  // Signal names ("MLP + accuracy, 3 epochs") run past vega-lite's 180 px.
  const y = {
    field: "method",
    type: "nominal",
    title: null,
    sort: null,
    axis: { labelLimit: 300 },
  };
  const x = {
    field: "mse",
    type: "quantitative",
    title: "test MSE of the predicted posterior (mean ± SE over seeds)",
    scale: { zero: false },
  };
  // Two stacked panels, each with its own data and scales (a faceted
  // version makes vega-lite warn about unioned domains in every notebook).
  const panel = (name: string) => ({
    title: {
      text: name,
      anchor: "start",
      fontWeight: "bold",
      fontSize: 11,
    },
    data: { values: values.filter((v) => v.panel === name) },
    width: 420,
    height: { step: 22 },
    layer: [
      {
        mark: { type: "rule", strokeWidth: 2, color: "#0072B2" },
        encoding: { y, x: { ...x, field: "low" }, x2: { field: "high" } },
      },
      {
        mark: {
          type: "point",
          filled: true,
          opacity: 1,
          size: 60,
          color: "#0072B2",
        },
        encoding: { y, x },
      },
    ],
  });
  const spec: VegaLiteSpec = {
    title: options.title ??
      "Experiment 1: test MSE on held-out tasks (lower is better; bars ± SE)",
    vconcat: [panel(BASELINES), panel(MLPS)],
  };
  return new Chart(spec, { name: "experiment-1-test-mse" });
}

/**
 * The signal comparison: per signal (best mean τ first), Kendall τ and
 * Spearman ρ with the final accuracy, mean over tasks with ± SE bars.
 *
 * @example
 * ```ts
 * import { signalChart } from "./charts.ts";
 * const c = signalChart([
 *   { signal: "a", metric: "Kendall τ", value: 0.3, se: 0.05 },
 *   { signal: "a", metric: "Spearman ρ", value: 0.4, se: 0.05 },
 * ]);
 * if (c.name !== "which-signal-tells-good-architectures-early") throw new Error(c.name);
 * ```
 */
export function signalChart(
  rows: readonly {
    signal: string;
    metric: string;
    value: number;
    se: number;
  }[],
  options: { title?: string } = {},
): Chart {
  if (rows.length === 0) throw new Error("signalChart needs rows");
  return barChart(rows, {
    x: "signal",
    y: "value",
    error: "se",
    color: "metric",
    keepOrder: true,
    width: Math.max(360, 22 * rows.length),
    height: 260,
    xTitle: "signal (best mean τ first)",
    yTitle: "rank agreement with the final accuracy",
    title: options.title ??
      "Which signal tells good architectures early",
  });
}
