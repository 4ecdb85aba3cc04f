/**
 * The benchmark matrix's figure (issue 24, notebook 07): normalised ranks of
 * methods per condition as a heatmap.
 *
 * @module
 */

import { Chart } from "./chart.ts";

/** One heatmap cell: a method's normalised rank on a condition (0 best, 1 worst). */
export interface RankCell {
  /** The condition (a row). */
  condition: string;
  /** The method (a column). */
  method: string;
  /** The normalised rank in [0, 1]. */
  rank: number;
}

/** Options of {@linkcode rankHeatmap}. */
export interface RankHeatmapOptions {
  /** The title; default "Normalised rank per condition (0 = best)". */
  title?: string;
  /** Row order; default the conditions in order of first appearance. */
  conditions?: readonly string[];
  /** Column order; default by mean rank over the conditions, best first. */
  methods?: readonly string[];
}

/**
 * Methods (columns) × conditions (rows), each cell coloured by its rank on
 * a fixed [0, 1] viridis scale reversed so that the best rank is the
 * darkest, and labelled with it (white on dark cells, black on light). A
 * method that did not run on a condition leaves its cell empty. Columns
 * default to the methods' mean rank order, so the left-most is the best
 * over the conditions it ran on.
 *
 * @example
 * ```ts
 * import { rankHeatmap } from "./matrix_charts.ts";
 * const chart = rankHeatmap([
 *   { condition: "branin", method: "tpe", rank: 1 },
 *   { condition: "branin", method: "gp-ei", rank: 0 },
 * ]);
 * const x = chart.spec.layer[0].encoding.x;
 * if (x.sort.join() !== "gp-ei,tpe") throw new Error();
 * ```
 */
export function rankHeatmap(
  cells: readonly RankCell[],
  options: RankHeatmapOptions = {},
): Chart {
  if (cells.length === 0) throw new Error("a heatmap needs at least one cell");
  for (const c of cells) {
    if (!(c.rank >= 0 && c.rank <= 1)) {
      throw new RangeError(
        `rankHeatmap: the rank of ${c.method} on ${c.condition} is ${c.rank}, not in [0, 1]`,
      );
    }
  }
  const conditions = options.conditions ??
    [...new Set(cells.map((c) => c.condition))];
  const mean = (m: string) => {
    const rs = cells.filter((c) => c.method === m).map((c) => c.rank);
    return rs.reduce((a, b) => a + b, 0) / rs.length;
  };
  const methods = options.methods ??
    [...new Set(cells.map((c) => c.method))].sort((a, b) =>
      mean(a) - mean(b) || a.localeCompare(b)
    );
  const values = cells.map((c) => ({ ...c }));
  const encoding = {
    x: {
      field: "method",
      type: "nominal",
      sort: [...methods],
      title: null,
      axis: { labelAngle: -40, orient: "top" },
    },
    y: {
      field: "condition",
      type: "nominal",
      sort: [...conditions],
      title: null,
    },
  };
  return new Chart({
    title: options.title ?? "Normalised rank per condition (0 = best)",
    width: { step: 30 },
    height: { step: 20 },
    config: { axis: { labelLimit: 220 } },
    data: { values },
    layer: [
      {
        mark: "rect",
        encoding: {
          ...encoding,
          color: {
            field: "rank",
            type: "quantitative",
            title: "rank",
            scale: { scheme: "viridis", domain: [0, 1], reverse: true },
          },
        },
      },
      {
        mark: { type: "text", fontSize: 9 },
        encoding: {
          ...encoding,
          text: { field: "rank", type: "quantitative", format: ".2f" },
          color: {
            condition: { test: "datum.rank < 0.5", value: "white" },
            value: "black",
          },
        },
      },
    ],
  });
}
