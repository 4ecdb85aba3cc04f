/**
 * The figures of notebook 04: one BayesOpt step (posterior, band,
 * observations, EI, next point), Hyperband's brackets, and best-so-far or
 * regret curves with standard-error bands.
 *
 * @module
 */

import { categoryScale } from "./_palette.ts";
import { Chart, type VegaLiteSpec } from "./chart.ts";
import type { BayesOptStep } from "../search/bayesopt_steps.ts";
import type { Bracket } from "../search/hyperband.ts";
import type { CurvePoint } from "../search/compare.ts";

/**
 * One BayesOpt step: the true function (when given), the GP mean with a
 * ± 2 sd band and the observations above; expected improvement below, with
 * the chosen next point marked in both.
 *
 * @example
 * ```ts
 * import { bayesOptSteps } from "../search/bayesopt_steps.ts";
 * import { bayesOptChart } from "./search_charts.ts";
 * const f = (x: number) => Math.sin(3 * x);
 * const [step] = bayesOptSteps(f, { low: 0, high: 2, steps: 1 });
 * const chart = bayesOptChart(step, { truth: f });
 * if (!chart.spec.vconcat) throw new Error();
 * ```
 */
export function bayesOptChart(
  step: BayesOptStep,
  options: { truth?: (x: number) => number; title?: string } = {},
): Chart {
  const x = { field: "x", type: "quantitative", title: "x" };
  const rule = {
    data: { values: [{ x: step.next }] },
    mark: { type: "rule", strokeDash: [4, 3], color: "firebrick" },
    encoding: { x: { field: "x", type: "quantitative" } },
  };
  const truth = options.truth
    ? [{
      data: {
        values: step.grid.map((g) => ({ x: g.x, y: options.truth!(g.x) })),
      },
      mark: { type: "line", color: "gray", strokeDash: [2, 2] },
      encoding: { x, y: { field: "y", type: "quantitative" } },
    }]
    : [];
  const spec: VegaLiteSpec = {
    title: options.title ?? `BayesOpt step ${step.step}`,
    vconcat: [
      {
        width: 420,
        height: 200,
        layer: [
          {
            data: { values: step.grid },
            mark: { type: "area", opacity: 0.25 },
            encoding: {
              x,
              y: { field: "low", type: "quantitative", title: "f(x)" },
              y2: { field: "high" },
            },
          },
          {
            data: { values: step.grid },
            mark: "line",
            encoding: { x, y: { field: "mean", type: "quantitative" } },
          },
          ...truth,
          {
            data: { values: step.observed },
            mark: { type: "point", filled: true, color: "black", size: 50 },
            encoding: { x, y: { field: "y", type: "quantitative" } },
          },
          rule,
        ],
      },
      {
        width: 420,
        height: 90,
        layer: [
          {
            data: { values: step.grid },
            mark: { type: "area", color: "seagreen", opacity: 0.6 },
            encoding: {
              x,
              y: {
                field: "ei",
                type: "quantitative",
                title: "expected improvement",
              },
            },
          },
          rule,
        ],
      },
    ],
  };
  return new Chart(spec);
}

/**
 * Hyperband's brackets: one row per bracket, one cell per stage, labelled
 * with the number of configurations run at that stage's budget.
 *
 * @example
 * ```ts
 * import { brackets } from "../search/hyperband.ts";
 * import { bracketsChart } from "./search_charts.ts";
 * const chart = bracketsChart(brackets({ min: 1, max: 81 }, "hpbandster"));
 * if (chart.spec.data.values.length !== 5 + 4 + 3 + 2 + 1) throw new Error();
 * ```
 */
export function bracketsChart(
  list: readonly Bracket[],
  options: { title?: string } = {},
): Chart {
  const values = list.flatMap((b) =>
    b.sizes.map((n, i) => ({
      bracket: `s = ${b.s}`,
      budget: b.budgets[i],
      configurations: n,
    }))
  );
  const enc = {
    x: { field: "budget", type: "ordinal", title: "budget per configuration" },
    y: {
      field: "bracket",
      type: "ordinal",
      title: null,
      sort: list.map((b) => `s = ${b.s}`),
    },
  };
  return new Chart({
    title: options.title ?? "Hyperband brackets: configurations per stage",
    width: { step: 60 },
    height: { step: 32 },
    data: { values },
    layer: [
      {
        mark: "rect",
        encoding: {
          ...enc,
          color: {
            field: "configurations",
            type: "quantitative",
            scale: { type: "log", scheme: "blues" },
          },
        },
      },
      {
        mark: { type: "text", fontSize: 13 },
        encoding: { ...enc, text: { field: "configurations" } },
      },
    ],
  });
}

// Line swatches at full opacity: the band's pale fill made the legend unmatchable.
const STRONG_LEGEND = {
  symbolType: "stroke",
  symbolStrokeWidth: 3,
  symbolOpacity: 1,
};

/**
 * Curves of mean ± SE per method (from `bestCurves`), log y by default (for
 * regret; points of zero regret are left out, bands cut at a tenth of the
 * mean).
 *
 * @example
 * ```ts
 * import { curvesChart } from "./search_charts.ts";
 * const chart = curvesChart([
 *   { method: "a", x: 1, mean: 2, low: 1.5, high: 2.5 },
 *   { method: "a", x: 2, mean: 1, low: 0.5, high: 1.5 },
 * ], { y: "regret" });
 * if (chart.spec.layer.length !== 2) throw new Error();
 * ```
 */
export function curvesChart(
  points: readonly CurvePoint[],
  options: { title?: string; x?: string; y?: string; logY?: boolean } = {},
): Chart {
  if (points.length === 0) throw new Error("a chart needs at least one point");
  const logY = options.logY ?? true;
  // On a log scale a zero regret cannot be drawn (those points are left
  // out) and a band reaching below zero is cut at a tenth of its mean.
  const positive = points.filter((p) => p.mean > 0).map((p) => ({
    ...p,
    low: p.low > 0 ? p.low : p.mean / 10,
  }));
  const scale = logY ? { type: "log" } : { zero: false };
  const x = {
    field: "x",
    type: "quantitative",
    title: options.x ?? "evaluations",
  };
  const color = {
    field: "method",
    type: "nominal",
    title: "method",
    scale: categoryScale(),
  };
  return new Chart({
    title: options.title,
    width: 420,
    height: 260,
    data: { values: logY ? positive : points },
    layer: [
      {
        mark: { type: "area", opacity: 0.15 },
        encoding: {
          x,
          y: { field: "low", type: "quantitative", scale },
          y2: { field: "high" },
          fill: { ...color, legend: STRONG_LEGEND },
        },
      },
      {
        mark: { type: "line", strokeWidth: 2 },
        encoding: {
          x,
          y: {
            field: "mean",
            type: "quantitative",
            title: options.y ?? "best so far",
            scale,
          },
          // Opaque line swatches: the band's pale fill made the legend unmatchable.
          color: { ...color, legend: STRONG_LEGEND },
        },
      },
    ],
  });
}

/** One kernel's similarities between named items, for {@linkcode similarityChart}. */
export interface SimilarityPanel {
  /** The panel's title (the kernel, in words). */
  kernel: string;
  /** The items' names, in the matrix's order (axis labels). */
  names: readonly string[];
  /** Row-major similarities in [0, 1]. */
  matrix: readonly (readonly number[])[];
}

/**
 * Similarity heatmaps, one panel per kernel in rows of `columns` (default
 * 3), the same items on both axes in the order given (names on the first
 * panel of each row), each cell labelled with its value. Colour is viridis
 * on [0, 1] (readable with any common colour-vision deficiency and in
 * grey), the labels white on the dark half and black on the light.
 *
 * @example
 * ```ts
 * import { similarityChart } from "./search_charts.ts";
 * const chart = similarityChart([
 *   { kernel: "k", names: ["a", "b"], matrix: [[1, 0.3], [0.3, 1]] },
 * ]);
 * if (chart.spec.vconcat[0].hconcat[0].data.values.length !== 4) throw new Error();
 * ```
 */
export function similarityChart(
  panels: readonly SimilarityPanel[],
  options: { title?: string; columns?: number } = {},
): Chart {
  if (panels.length === 0) throw new Error("a chart needs at least one panel");
  const columns = options.columns ?? 3;
  const panel = (p: SimilarityPanel, first: boolean): VegaLiteSpec => {
    const values = p.names.flatMap((a, i) =>
      p.names.map((b, j) => ({ row: a, column: b, similarity: p.matrix[i][j] }))
    );
    const names = [...p.names];
    const encoding = {
      x: {
        field: "column",
        type: "nominal",
        sort: names,
        title: null,
        axis: { labelAngle: -40 },
      },
      y: {
        field: "row",
        type: "nominal",
        sort: names,
        title: null,
        // Names once per row of panels: they are the same in every panel.
        axis: first ? {} : { labels: false, ticks: false },
      },
    };
    return {
      title: p.kernel,
      width: { step: 34 },
      height: { step: 34 },
      data: { values },
      layer: [
        {
          mark: "rect",
          encoding: {
            ...encoding,
            color: {
              field: "similarity",
              type: "quantitative",
              title: "similarity",
              scale: { scheme: "viridis", domain: [0, 1] },
            },
          },
        },
        {
          mark: { type: "text", fontSize: 10 },
          encoding: {
            ...encoding,
            text: { field: "similarity", type: "quantitative", format: ".2f" },
            color: {
              condition: { test: "datum.similarity < 0.5", value: "white" },
              value: "black",
            },
          },
        },
      ],
    };
  };
  // Rows of panels drawn by concatenation, not a wrapped facet: a facet
  // draws an empty column's x axis under the gap in a short last row.
  const rows: VegaLiteSpec[] = [];
  for (let k = 0; k < panels.length; k += columns) {
    rows.push({
      hconcat: panels.slice(k, k + columns).map((p, i) => panel(p, i === 0)),
    });
  }
  return new Chart({
    title: options.title ?? "Similarity per kernel",
    config: {
      // Long item names stay whole (the default cuts labels at 180 px).
      axis: { labelLimit: 260 },
      title: { offset: 12 },
      header: { labelFontSize: 13 },
    },
    vconcat: rows,
    resolve: { scale: { color: "shared" }, legend: { color: "shared" } },
  });
}
