/**
 * Generic chart builders that later modules reuse: line, scatter, bar with
 * error bars, heatmap, and layering. Each takes records or a nodejs-polars
 * DataFrame and returns a {@linkcode Chart}.
 *
 * @module
 */

import type pl from "nodejs-polars";
import { Chart, type VegaLiteSpec } from "./chart.ts";
import { categoryScale } from "./_palette.ts";
import type { DataFrame } from "../_frame.ts";

/** Rows for a chart: plain records or a polars DataFrame. */
export type ChartData = readonly Record<string, unknown>[] | DataFrame;

/** Options shared by the builders. */
export interface ChartOptions {
  /** Chart title, also its file name when saved by the figures task. */
  title?: string;
  /** Width in pixels. Default 360. */
  width?: number;
  /** Height in pixels. Default 240. */
  height?: number;
  /** The x axis title; default the x field's name. */
  xTitle?: string;
  /** The y axis title; default the y field's name. */
  yTitle?: string;
  /** A log scale on the x axis. Default false. */
  xLog?: boolean;
  /** A log scale on the y axis. Default false. */
  yLog?: boolean;
}

/** Options of charts with an x, a y and an optional colour field. */
export interface XYOptions extends ChartOptions {
  /** The field on the x axis. */
  x: string;
  /** The field on the y axis. */
  y: string;
  /** Field that splits the data into coloured series. */
  color?: string;
}

function records(data: ChartData): Record<string, unknown>[] {
  const rows = Array.isArray(data)
    ? data as Record<string, unknown>[]
    : (data as pl.DataFrame).toRecords();
  if (rows.length === 0) {
    throw new Error("a chart needs at least one row of data");
  }
  return rows;
}

function checkFields(
  rows: Record<string, unknown>[],
  fields: (string | undefined)[],
): void {
  const have = Object.keys(rows[0]);
  for (const f of fields) {
    if (f !== undefined && !have.includes(f)) {
      throw new Error(
        `no field "${f}" in the chart data; it has: ${have.join(", ")}`,
      );
    }
  }
}

function frame(options: ChartOptions): VegaLiteSpec {
  const spec: VegaLiteSpec = {
    width: options.width ?? 360,
    height: options.height ?? 240,
  };
  if (options.title) spec.title = options.title;
  return spec;
}

function axis(
  field: string,
  title: string | undefined,
  log: boolean | undefined,
): VegaLiteSpec {
  return {
    field,
    type: "quantitative",
    title: title ?? field,
    ...(log ? { scale: { type: "log" } } : {}),
  };
}

function xy(
  mark: VegaLiteSpec,
  data: ChartData,
  options: XYOptions,
): Chart {
  const rows = records(data);
  checkFields(rows, [options.x, options.y, options.color]);
  const encoding: VegaLiteSpec = {
    x: axis(options.x, options.xTitle, options.xLog),
    y: axis(options.y, options.yTitle, options.yLog),
  };
  if (options.color) {
    encoding.color = {
      field: options.color,
      type: "nominal",
      scale: categoryScale(),
    };
  }
  return new Chart({
    ...frame(options),
    data: { values: rows },
    mark,
    encoding,
  }, { name: options.title });
}

/**
 * A line chart, one line per `color` value.
 *
 * @example
 * ```ts
 * import { lineChart } from "./builders.ts";
 * const chart = lineChart(
 *   [{ step: 0, loss: 1 }, { step: 1, loss: 0.5 }],
 *   { x: "step", y: "loss", title: "Training loss" },
 * );
 * if (chart.name !== "training-loss") throw new Error(chart.name);
 * ```
 */
export function lineChart(data: ChartData, options: XYOptions): Chart {
  return xy({ type: "line", point: false }, data, options);
}

/**
 * A scatter plot.
 *
 * @example
 * ```ts
 * import { scatterChart } from "./builders.ts";
 * const chart = scatterChart([{ a: 1, b: 2 }], { x: "a", y: "b" });
 * ```
 */
export function scatterChart(data: ChartData, options: XYOptions): Chart {
  return xy({ type: "point", filled: true, opacity: 0.7 }, data, options);
}

/** Options of {@linkcode barChart}. */
export interface BarOptions extends ChartOptions {
  /** The category field. */
  x: string;
  /** The value field. */
  y: string;
  /** A field holding the half-width of an error bar (e.g. a standard error). */
  error?: string;
  /** A field whose values become bars side by side within each category, coloured. */
  color?: string;
  /** Categories in the order of the data instead of sorted. Default false. */
  keepOrder?: boolean;
}

/**
 * A bar chart with optional symmetric error bars (value ± `error`), and
 * optionally several coloured bars per category (`color`).
 *
 * @example
 * ```ts
 * import { barChart } from "./builders.ts";
 * const chart = barChart(
 *   [{ method: "a", score: 0.8, se: 0.05 }, { method: "b", score: 0.6, se: 0.1 }],
 *   { x: "method", y: "score", error: "se" },
 * );
 * const grouped = barChart(
 *   [
 *     { signal: "b", metric: "τ", value: 0.5, se: 0.1 },
 *     { signal: "b", metric: "ρ", value: 0.6, se: 0.1 },
 *     { signal: "a", metric: "τ", value: 0.2, se: 0.1 },
 *     { signal: "a", metric: "ρ", value: 0.3, se: 0.1 },
 *   ],
 *   { x: "signal", y: "value", error: "se", color: "metric", keepOrder: true },
 * );
 * if (grouped.spec.layer[0].encoding.xOffset.field !== "metric") throw new Error();
 * ```
 */
export function barChart(data: ChartData, options: BarOptions): Chart {
  const rows = records(data);
  checkFields(rows, [options.x, options.y, options.error, options.color]);
  const x: VegaLiteSpec = {
    field: options.x,
    type: "nominal",
    title: options.xTitle ?? options.x,
  };
  if (options.keepOrder) x.sort = null;
  // Side-by-side bars of each colour within a category.
  const group: VegaLiteSpec = options.color
    ? { xOffset: { field: options.color, type: "nominal" } }
    : {};
  const bars: VegaLiteSpec = {
    mark: "bar",
    encoding: {
      x,
      y: axis(options.y, options.yTitle, options.yLog),
      ...group,
      ...(options.color
        ? {
          color: {
            field: options.color,
            type: "nominal",
            scale: categoryScale(),
          },
        }
        : {}),
    },
  };
  const layers: VegaLiteSpec[] = [bars];
  if (options.error) {
    const e = options.error;
    layers.push({
      transform: [
        { calculate: `datum["${options.y}"] - datum["${e}"]`, as: "__low" },
        { calculate: `datum["${options.y}"] + datum["${e}"]`, as: "__high" },
      ],
      mark: { type: "rule", strokeWidth: 1.5 },
      encoding: {
        x,
        y: { field: "__low", type: "quantitative" },
        y2: { field: "__high" },
        ...group,
      },
    });
  }
  return new Chart({
    ...frame(options),
    data: { values: rows },
    layer: layers,
  }, { name: options.title });
}

/** Options of {@linkcode heatmap}. */
export interface HeatmapOptions extends ChartOptions {
  /** The field whose values make the columns (discrete). */
  x: string;
  /** The field whose values make the rows (discrete). */
  y: string;
  /** The field coloured. */
  color: string;
  /** A Vega colour scheme. Default "viridis". */
  scheme?: string;
  /** Print the values in the cells. Default false. */
  labels?: boolean;
}

/**
 * A heatmap of `color` over discrete `x` and `y`.
 *
 * @example
 * ```ts
 * import { heatmap } from "./builders.ts";
 * const chart = heatmap(
 *   [{ r: "a", c: "x", v: 1 }, { r: "b", c: "x", v: 2 }],
 *   { x: "c", y: "r", color: "v", labels: true },
 * );
 * ```
 */
export function heatmap(data: ChartData, options: HeatmapOptions): Chart {
  const rows = records(data);
  checkFields(rows, [options.x, options.y, options.color]);
  const encoding = {
    x: {
      field: options.x,
      type: "ordinal",
      title: options.xTitle ?? options.x,
    },
    y: {
      field: options.y,
      type: "ordinal",
      title: options.yTitle ?? options.y,
    },
  };
  const layers: VegaLiteSpec[] = [{
    mark: "rect",
    encoding: {
      ...encoding,
      color: {
        field: options.color,
        type: "quantitative",
        scale: { scheme: options.scheme ?? "viridis" },
      },
    },
  }];
  if (options.labels) {
    layers.push({
      mark: { type: "text", fontSize: 10 },
      encoding: {
        ...encoding,
        text: { field: options.color, type: "quantitative", format: ".2f" },
        color: { value: "white" },
      },
    });
  }
  return new Chart({
    ...frame(options),
    data: { values: rows },
    layer: layers,
  }, { name: options.title });
}

/**
 * Overlays charts that share axes (e.g. estimates as lines over the truth as
 * a step). The first chart's size and title are kept.
 *
 * @example
 * ```ts
 * import { layer, lineChart, scatterChart } from "./builders.ts";
 * const rows = [{ x: 1, y: 1 }, { x: 2, y: 4 }];
 * const both = layer(lineChart(rows, { x: "x", y: "y" }), scatterChart(rows, { x: "x", y: "y" }));
 * ```
 */
export function layer(...charts: Chart[]): Chart {
  if (charts.length === 0) throw new Error("layer() needs at least one chart");
  const strip = (spec: VegaLiteSpec) => {
    const { $schema: _s, width: _w, height: _h, title: _t, ...rest } = spec;
    return rest;
  };
  const first = charts[0].spec;
  const spec: VegaLiteSpec = {
    width: first.width,
    height: first.height,
    layer: charts.map((c) => strip(c.spec)),
  };
  if (first.title) spec.title = first.title;
  return new Chart(spec, { name: charts[0].name });
}
