/**
 * The figures of notebook 01 as chart builders: the staircase (Poole et
 * al. 2019, Fig. 2 style), bias and spread against sample size, the task ×
 * estimator error table, and estimates against dimension.
 *
 * @module
 */

import { Chart, type VegaLiteSpec } from "./chart.ts";
import { categoryScale } from "./_palette.ts";
import type { BiasVarianceRow, ComparisonRow } from "../mi/compare.ts";
import type { MITrace } from "../mi/stream.ts";

const q = (field: string, title?: string) => ({
  field,
  type: "quantitative",
  title: title ?? field,
});

/**
 * Per-step estimates on a changing task, one panel per method: the raw
 * per-batch bound (light), its moving average (dark), the true MI (black
 * steps) and ln(batch size), the ceiling of InfoNCE (dashed).
 *
 * @example
 * ```ts
 * import { staircaseChart } from "./mi_charts.ts";
 * const trace = { method: "infonce" as const, trace: [0.5, 1, 1.5, 2], batchSize: 64, seconds: 1 };
 * const chart = staircaseChart([trace], () => 2);
 * if (!chart.spec.facet) throw new Error("one panel per method");
 * ```
 */
export function staircaseChart(
  traces: readonly MITrace[],
  truth: (step: number) => number,
  options: { title?: string; points?: number; smoothing?: number } = {},
): Chart {
  if (traces.length === 0) throw new Error("staircaseChart needs traces");
  const points = options.points ?? 400;
  const longest = Math.max(...traces.map((t) => t.trace.length));
  // Weight of the new step in the moving average: about 1/50 of a short run, 0.01 on long ones.
  const alpha = options.smoothing ??
    Math.min(0.1, Math.max(0.01, 50 / longest));
  const rows: Record<string, unknown>[] = [];
  for (const t of traces) {
    const every = Math.max(1, Math.floor(t.trace.length / points));
    let avg = t.trace[0];
    t.trace.forEach((v, i) => {
      avg = i === 0 ? v : (1 - alpha) * avg + alpha * v;
      const step = i + 1;
      if (step % every === 0 || step === t.trace.length) {
        rows.push({
          method: t.method,
          step,
          estimate: v,
          smoothed: avg,
          truth: truth(step),
          ceiling: Math.log(t.batchSize),
        });
      }
    });
  }
  const x = q("step");
  // Clip the axis to the truth's range: NWJ-type bounds dip far below zero at times.
  const top = Math.max(...rows.map((r) => r.truth as number)) * 1.2;
  const y = (field: string) => ({
    ...q(field, "nats"),
    scale: { domain: [-0.1 * top, top], clamp: false },
  });
  const spec: VegaLiteSpec = {
    title: options.title ?? "MI estimates on the staircase (nats)",
    data: { values: rows },
    facet: { field: "method", type: "nominal", title: null },
    columns: 3,
    spec: {
      width: 220,
      height: 150,
      layer: [
        {
          mark: {
            type: "line",
            color: "#9ecae1",
            strokeWidth: 0.7,
            clip: true,
          },
          encoding: { x, y: y("estimate") },
        },
        {
          mark: { type: "line", color: "#08519c", clip: true },
          encoding: { x, y: y("smoothed") },
        },
        {
          mark: { type: "line", color: "black", interpolate: "step-after" },
          encoding: { x, y: y("truth") },
        },
        {
          mark: { type: "line", color: "#e6550d", strokeDash: [4, 3] },
          encoding: { x, y: y("ceiling") },
        },
      ],
    },
  };
  return new Chart(spec, { name: "mi-staircase" });
}

/**
 * Mean estimate ± one standard deviation over seeds against sample size,
 * per method, with the truth as a rule: bias is the gap to the rule,
 * variance the bar.
 *
 * @example
 * ```ts
 * import { biasVarianceChart } from "./mi_charts.ts";
 * const chart = biasVarianceChart([
 *   { task: "t", method: "ksg", n: 100, mean: 1, sd: 0.1, truth: 1, bias: 0, fits: 3 },
 * ]);
 * ```
 */
export function biasVarianceChart(
  rows: readonly BiasVarianceRow[],
  options: { title?: string } = {},
): Chart {
  if (rows.length === 0) throw new Error("biasVarianceChart needs rows");
  const values = rows.map((r) => ({
    ...r,
    low: r.mean - r.sd,
    high: r.mean + r.sd,
  }));
  const x = { ...q("n", "sample size n"), scale: { type: "log" } };
  const color = {
    field: "method",
    type: "nominal",
    title: "estimator",
    scale: categoryScale(),
  };
  return new Chart({
    title: options.title ??
      `Bias and spread against sample size (${
        rows[0].task
      }; bars ± 1 SD over seeds)`,
    width: 380,
    height: 260,
    data: { values },
    layer: [
      {
        mark: { type: "line", point: true },
        encoding: { x, y: q("mean", "estimate (nats)"), color },
      },
      {
        mark: { type: "errorbar", ticks: true },
        encoding: {
          x,
          y: q("low", "estimate (nats)"),
          y2: { field: "high" },
          color,
        },
      },
      {
        mark: { type: "rule", color: "black", strokeDash: [4, 3] },
        encoding: {
          y: { aggregate: "mean", field: "truth", type: "quantitative" },
        },
      },
    ],
  }, { name: "mi-bias-variance" });
}

/**
 * The task × estimator table of |ln(estimate / truth)| (mean over seeds):
 * 0 is exact, 0.41 is off by a factor 1.5.
 *
 * @example
 * ```ts
 * import { errorTableChart } from "./mi_charts.ts";
 * const chart = errorTableChart([
 *   { task: "t", method: "ksg", n: 10, seed: 0, estimate: 1, truth: 1, logRatioError: 0, seconds: 0 },
 * ]);
 * ```
 */
export function errorTableChart(
  rows: readonly ComparisonRow[],
  options: { title?: string } = {},
): Chart {
  if (rows.length === 0) throw new Error("errorTableChart needs rows");
  const cells = new Map<
    string,
    { task: string; method: string; sum: number; k: number }
  >();
  for (const r of rows) {
    const key = `${r.task}\u0000${r.method}`;
    const cell = cells.get(key) ??
      { task: r.task, method: r.method, sum: 0, k: 0 };
    // A zero estimate has an infinite log-ratio; cap it so the colour scale stays readable.
    cell.sum += Math.min(r.logRatioError, 5);
    cell.k += 1;
    cells.set(key, cell);
  }
  const values = [...cells.values()].map((c) => ({
    task: c.task,
    method: c.method,
    error: c.sum / c.k,
  }));
  const encoding = {
    x: { field: "method", type: "nominal", title: "estimator", sort: null },
    y: {
      field: "task",
      type: "nominal",
      title: null,
      sort: null,
      axis: { labelLimit: 300 },
    },
  };
  return new Chart({
    title: options.title ?? "|ln(estimate / true MI)| per task and estimator",
    width: { step: 52 },
    height: { step: 30 },
    data: { values },
    layer: [
      {
        mark: "rect",
        encoding: {
          ...encoding,
          color: {
            field: "error",
            type: "quantitative",
            title: "|ln ratio|",
            scale: { scheme: "orangered", domainMin: 0 },
          },
        },
      },
      {
        mark: { type: "text", fontSize: 10 },
        encoding: {
          ...encoding,
          text: { field: "error", type: "quantitative", format: ".2f" },
          color: {
            condition: { test: "datum.error > 0.6", value: "white" },
            value: "black",
          },
        },
      },
    ],
  }, { name: "mi-error-table" });
}

/**
 * Estimate / truth against dimension per method, with 1 (exact) as a rule:
 * where KSG falls away while neural estimators hold.
 *
 * @example
 * ```ts
 * import { dimensionChart } from "./mi_charts.ts";
 * const chart = dimensionChart([{ dim: 1, method: "ksg", estimate: 0.9, truth: 1 }]);
 * ```
 */
export function dimensionChart(
  rows: readonly {
    dim: number;
    method: string;
    estimate: number;
    truth: number;
  }[],
  options: { title?: string } = {},
): Chart {
  if (rows.length === 0) throw new Error("dimensionChart needs rows");
  const values = rows.map((r) => ({ ...r, ratio: r.estimate / r.truth }));
  return new Chart({
    title: options.title ?? "Estimate / true MI against dimension",
    width: 380,
    height: 260,
    data: { values },
    layer: [
      {
        mark: { type: "line", point: true },
        encoding: {
          x: { ...q("dim", "dimension of x (= of y)"), scale: { type: "log" } },
          y: {
            aggregate: "mean",
            field: "ratio",
            type: "quantitative",
            title: "estimate / truth",
          },
          color: {
            field: "method",
            type: "nominal",
            title: "estimator",
            scale: categoryScale(),
          },
        },
      },
      {
        mark: { type: "rule", color: "black", strokeDash: [4, 3] },
        encoding: { y: { datum: 1 } },
      },
    ],
  }, { name: "mi-dimension" });
}
