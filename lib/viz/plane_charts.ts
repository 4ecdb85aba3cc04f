/**
 * The figures of notebook 02: the information plane (I(X;T) against I(T;Y),
 * one trajectory per layer, points coloured by epoch) and each layer's MI
 * against epoch — one panel per value of a chosen field (activation,
 * estimator, data set).
 *
 * @module
 */

import { Chart, type VegaLiteSpec } from "./chart.ts";
import type { LayerMIRow } from "../mi/layer_mi.ts";

/** Rows of {@linkcode layerMIRows}, optionally with extra fields to split panels by. */
export type PlaneRow = LayerMIRow & Record<string, unknown>;

/** Options of the two charts. */
export interface PlaneChartOptions {
  /** A field whose values get one panel each (e.g. "activation"). */
  panel?: string;
  /** Chart title, also its file name when saved; default "The information plane" or "MI per layer against epoch (bits)". */
  title?: string;
  /** Report bits instead of nats. Default true (as the published planes). */
  bits?: boolean;
}

function scale(bits: boolean): number {
  return bits ? 1 / Math.LN2 : 1;
}

/**
 * The information plane: for each panel, layer and epoch the point
 * (I(X;T), I(T;Y)); a line joins each layer's points in epoch order, and
 * points are coloured by epoch on a log scale.
 *
 * @example
 * ```ts
 * import { informationPlaneChart } from "./plane_charts.ts";
 * const row = (epoch: number, quantity: "I(X;T)" | "I(T;Y)", estimate: number) =>
 *   ({ epoch, layer: 1, name: "dense 1", quantity, estimate, ceiling: NaN, method: "binning" as const, seconds: 0 });
 * const chart = informationPlaneChart([row(0, "I(X;T)", 5), row(0, "I(T;Y)", 0.3), row(9, "I(X;T)", 4), row(9, "I(T;Y)", 0.6)]);
 * if (chart.spec.data.values.length !== 2) throw new Error("one point per epoch and layer");
 * ```
 */
export function informationPlaneChart(
  rows: readonly PlaneRow[],
  options: PlaneChartOptions = {},
): Chart {
  const k = scale(options.bits ?? true);
  const unit = options.bits ?? true ? "bits" : "nats";
  const points = new Map<string, Record<string, unknown>>();
  for (const r of rows) {
    const panel = options.panel ? String(r[options.panel]) : "";
    const key = `${panel}|${r.layer}|${r.epoch}`;
    const p = points.get(key) ??
      { panel, layer: `${r.layer}: ${r.name}`, order: r.layer, epoch: r.epoch };
    p[r.quantity === "I(X;T)" ? "ixt" : "ity"] = r.estimate * k;
    points.set(key, p);
  }
  const values = [...points.values()].filter((p) =>
    p.ixt !== undefined && p.ity !== undefined
  );
  if (values.length === 0) {
    throw new Error(
      "informationPlaneChart needs rows of both I(X;T) and I(T;Y) for the same epochs and layers",
    );
  }
  const encoding = {
    x: { field: "ixt", type: "quantitative", title: `I(X;T) (${unit})` },
    y: { field: "ity", type: "quantitative", title: `I(T;Y) (${unit})` },
  };
  const plane: VegaLiteSpec = {
    width: 260,
    height: 220,
    layer: [
      {
        mark: { type: "line", color: "#bbbbbb", strokeWidth: 1 },
        encoding: {
          ...encoding,
          detail: { field: "layer", type: "nominal" },
          order: { field: "epoch", type: "quantitative" },
        },
      },
      {
        mark: { type: "point", filled: true, size: 40 },
        encoding: {
          ...encoding,
          color: {
            field: "epoch",
            type: "quantitative",
            scale: { type: "symlog", scheme: "viridis" },
          },
          shape: { field: "layer", type: "nominal", sort: { field: "order" } },
          tooltip: [
            { field: "layer" },
            { field: "epoch" },
            { field: "ixt", format: ".3f" },
            { field: "ity", format: ".3f" },
          ],
        },
      },
    ],
  };
  const title = options.title ?? "The information plane";
  const spec: VegaLiteSpec = options.panel
    ? {
      title,
      data: { values },
      facet: { field: "panel", type: "nominal", title: null },
      columns: 2,
      spec: plane,
    }
    : { title, data: { values }, ...plane };
  return new Chart(spec, { name: "information-plane" });
}

/**
 * I(X;T) and I(T;Y) of each layer against epoch (log scale), one row of
 * panels per quantity, one column per panel value.
 *
 * @example
 * ```ts
 * import { layerMIChart } from "./plane_charts.ts";
 * const chart = layerMIChart([{ epoch: 1, layer: 1, name: "dense 1", quantity: "I(T;Y)", estimate: 0.5, ceiling: Math.LN2, method: "binning", seconds: 0 }]);
 * if (!chart.spec.facet) throw new Error("faceted by quantity");
 * ```
 */
export function layerMIChart(
  rows: readonly PlaneRow[],
  options: PlaneChartOptions = {},
): Chart {
  if (rows.length === 0) throw new Error("layerMIChart needs rows");
  const k = scale(options.bits ?? true);
  const unit = options.bits ?? true ? "bits" : "nats";
  const values = rows.map((r) => ({
    panel: options.panel ? String(r[options.panel]) : "",
    quantity: r.quantity,
    layer: `${r.layer}: ${r.name}`,
    order: r.layer,
    // Epoch 0 on a log axis: drawn at 0.5.
    epoch: r.epoch === 0 ? 0.5 : r.epoch,
    estimate: r.estimate * k,
  }));
  const spec: VegaLiteSpec = {
    title: options.title ?? `MI per layer against epoch (${unit})`,
    data: { values },
    facet: {
      row: { field: "quantity", type: "nominal", title: null },
      ...(options.panel
        ? { column: { field: "panel", type: "nominal", title: null } }
        : {}),
    },
    resolve: { scale: { y: "independent" } },
    spec: {
      width: 340,
      height: 200,
      mark: { type: "line", point: true },
      encoding: {
        x: {
          field: "epoch",
          type: "quantitative",
          scale: { type: "log" },
          title: "epoch (0 drawn at 0.5)",
        },
        y: { field: "estimate", type: "quantitative", title: unit },
        color: {
          field: "layer",
          type: "nominal",
          sort: { field: "order" },
          scale: { scheme: "viridis" },
        },
      },
    },
  };
  return new Chart(spec, { name: "layer-mi" });
}
