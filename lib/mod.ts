/**
 * infolens: measure what neural networks and their hyperparameters are doing
 * — mutual information per layer, HSIC sensitivity of hyperparameters,
 * search, and charts — from Deno and Jupyter notebooks.
 *
 * This root entry is a tour of the most used names. Each area has its own
 * entry with everything a user of that area needs, and loads only what it
 * uses: `./space`, `./trials`, `./mi`, `./hsic`, `./search`, `./nets`,
 * `./data`, `./viz`, `./predict` and `./testing` (see lib/README.md).
 *
 * @example
 * ```ts
 * import { categorical, float, lineChart, SearchSpace } from "./mod.ts";
 * const space = new SearchSpace({ lr: float(1e-4, 1e-1, { log: true }), act: categorical(["relu", "tanh"]) });
 * const configs = space.sampleMany(3, 0);
 * const chart = lineChart(configs.map((c, i) => ({ i, lr: c.lr as number })), { x: "i", y: "lr" });
 * ```
 *
 * @module
 */

export type { DataFrame } from "./_frame.ts";
export { InfolensError } from "./errors.ts";
export {
  boolean,
  categorical,
  type Config,
  float,
  int,
  ordinal,
  Random,
  SearchSpace,
} from "./space/mod.ts";
export {
  configsFrame,
  type Objective,
  readTrials,
  sweep,
  trialRow,
  trialSchema,
  trialsFrame,
  TrialStore,
} from "./trials/mod.ts";
export {
  compareEstimators,
  estimateMI,
  layerMI,
  layerMIRows,
  MI_METHODS,
  type MIEstimate,
  type MIMethod,
  type MIOptions,
  tasks,
  toBits,
  traceMI,
} from "./mi/mod.ts";
export { hsicAnalysis, hsicIndices, hsicTable } from "./hsic/mod.ts";
export {
  bestCurves,
  branin,
  compareSearch,
  nasBench201,
  optimize,
  registerSearcher,
  type Searcher,
  SEARCHERS,
  type SearchMethod,
  tabularBenchmark,
} from "./search/mod.ts";
export {
  type Architecture,
  setBackend,
  trainMlp,
  trainNetwork,
} from "./nets/mod.ts";
export {
  loadDigits,
  readTable,
  trainTestSplit,
  twelveBit,
} from "./data/mod.ts";
export {
  barChart,
  Chart,
  heatmap,
  informationPlaneChart,
  layerMIChart,
  lineChart,
  progress,
  scatterChart,
  show,
} from "./viz/mod.ts";
export { kendallTau, spearman } from "./predict/mod.ts";
