/**
 * The charts of notebook 05: predicted against true Hyperband posteriors for
 * a held-out task, and experiment 1's table as bars with standard errors.
 *
 * @module
 */

import { Chart, type VegaLiteSpec } from "../../lib/viz/chart.ts";
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
        y: { field: "probability", type: "quantitative" },
        color: {
          field: "method",
          type: "nominal",
          scale: { scheme: "tableau10" },
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
