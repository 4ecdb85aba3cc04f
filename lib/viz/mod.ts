/**
 * Figures and notebook output: `Chart` (a Vega-Lite spec shown inline in
 * Jupyter with SVG and PNG fallbacks, saved as .svg/.png/.json), generic
 * builders, the charts of each area (staircases, information planes, HSIC
 * bars, search curves), `show` for tables and `progress` for long work.
 *
 * @example
 * ```ts
 * import { lineChart } from "./mod.ts";
 * const chart = lineChart([{ step: 0, mi: 0.1 }, { step: 1, mi: 0.4 }], { x: "step", y: "mi" });
 * const svg = await chart.toSVG();
 * if (!svg.startsWith("<svg")) throw new Error();
 * ```
 *
 * @module
 */

export type { DataFrame } from "../_frame.ts";
export {
  Chart,
  type ChartBundle,
  type ChartDisplay,
  type ChartMetadata,
  type PngOptions,
  type VegaLiteSpec,
} from "./chart.ts";
export {
  barChart,
  type BarOptions,
  type ChartData,
  type ChartOptions,
  heatmap,
  type HeatmapOptions,
  layer,
  lineChart,
  scatterChart,
  type XYOptions,
} from "./builders.ts";
export { show, type Shown, type ShowOptions } from "./show.ts";
export { display } from "./display.ts";
export { type Markdown, markdown } from "./markdown.ts";
export {
  Progress,
  progress,
  type ProgressInfo,
  type ProgressMode,
  type ProgressOptions,
  track,
} from "./progress.ts";
export {
  biasVarianceChart,
  dimensionChart,
  errorTableChart,
  staircaseChart,
} from "./mi_charts.ts";
export {
  informationPlaneChart,
  layerMIChart,
  type PlaneChartOptions,
  type PlaneRow,
} from "./plane_charts.ts";
export {
  interactionChart,
  quantileChart,
  r2Chart,
  versusChart,
} from "./hsic_charts.ts";
export { importanceChart } from "./importance_charts.ts";
export {
  type RankCell,
  rankHeatmap,
  type RankHeatmapOptions,
} from "./matrix_charts.ts";
export {
  bayesOptChart,
  bracketsChart,
  curvesChart,
  similarityChart,
  type SimilarityPanel,
} from "./search_charts.ts";
