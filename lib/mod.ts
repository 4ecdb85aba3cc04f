/**
 * infolens: measure what neural networks and their hyperparameters are doing
 * — mutual information per layer, HSIC sensitivity of hyperparameters,
 * search, and charts — from Deno and Jupyter notebooks.
 *
 * This module only re-exports; see lib/README.md for the module map.
 *
 * @example
 * ```ts
 * import { SearchSpace, float, categorical, lineChart } from "./mod.ts";
 * const space = new SearchSpace({ lr: float(1e-4, 1e-1, { log: true }), act: categorical(["relu", "tanh"]) });
 * const configs = space.sampleMany(3, 0);
 * const chart = lineChart(configs.map((c, i) => ({ i, lr: c.lr as number })), { x: "i", y: "lr" });
 * ```
 *
 * @module
 */

export { Random, rng, type Seed } from "./random.ts";
export {
  boolean,
  type BooleanParam,
  categorical,
  type CategoricalParam,
  type Condition,
  type ConditionRule,
  type Config,
  type EncodeOptions,
  float,
  type FloatParam,
  int,
  type IntParam,
  ordinal,
  type OrdinalParam,
  type Param,
  type Scalar,
  SearchSpace,
  SpaceError,
} from "./space.ts";
export {
  type ColumnType,
  configsFrame,
  readTrials,
  type TrialParts,
  type TrialRow,
  trialRow,
  type TrialSchema,
  trialSchema,
  TrialsError,
  trialsFrame,
  type TrialStatus,
  TrialStore,
} from "./trials.ts";
export {
  BackendError,
  type BackendInfo,
  type BackendName,
  ensureBackend,
  setBackend,
  tf,
} from "./backend.ts";
export {
  Chart,
  type ChartBundle,
  type PngOptions,
  type VegaLiteSpec,
} from "./viz/chart.ts";
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
} from "./viz/builders.ts";
export { show, type Shown, type ShowOptions } from "./viz/show.ts";
export {
  Progress,
  progress,
  type ProgressInfo,
  type ProgressMode,
  type ProgressOptions,
  track,
} from "./viz/progress.ts";
export {
  readTable,
  type ReadTableOptions,
  TableError,
  type TableFormat,
} from "./data/tables.ts";
export {
  type Dataset,
  digitsFrame,
  loadDigits,
  type SplitOptions,
  trainTestSplit,
} from "./data/digits.ts";
export * as tasks from "./data/tasks.ts";
export type { MITask, Samples, TransformKind } from "./data/tasks.ts";
export {
  estimateMI,
  MI_METHODS,
  type MIEstimate,
  type MIMethod,
  type MIOptions,
  NEURAL_METHODS,
  toBits,
} from "./mi/estimate.ts";
export { MIError, type MIInput } from "./mi/input.ts";
export type { NeuralOptions } from "./mi/neural.ts";
export {
  type BatchSource,
  type MITrace,
  taskSchedule,
  traceMI,
  type TraceOptions,
} from "./mi/stream.ts";
export {
  biasVariance,
  type BiasVarianceRow,
  compareEstimators,
  type CompareOptions,
  type ComparisonRow,
  type DimensionRow,
  dimensionSweep,
} from "./mi/compare.ts";
export {
  biasVarianceChart,
  dimensionChart,
  errorTableChart,
  staircaseChart,
} from "./mi/figures.ts";
export { type Bandwidth, HsicError, type KernelSpec } from "./hsic/kernels.ts";
export type { HsicEstimator } from "./hsic/statistic.ts";
export {
  hsicIndices,
  type HsicOptions,
  type HsicRow,
  type HsicTable,
  hsicTable,
  type HsicValue,
  lowerQuantile,
  type PValueKind,
} from "./hsic/indices.ts";
export {
  type HsicAnalysis,
  hsicAnalysis,
  type HsicAnalysisOptions,
} from "./hsic/analysis.ts";
export {
  type GuidedDecision,
  type GuidedOptions,
  GuidedPlanner,
  type GuidedResult,
  hsicGuidedSearch,
} from "./hsic/guided.ts";
export {
  guidedVersusRandom,
  type VersusOptions,
  versusSummary,
} from "./hsic/versus.ts";
export {
  HP_TASKS,
  type HpTask,
  hpTaskObjective,
  mlpSettings,
  mlpSpace,
} from "./hsic/tasks.ts";
export {
  interactionChart,
  quantileChart,
  r2Chart,
  versusChart,
} from "./hsic/figures.ts";
export {
  type EvaluateOptions,
  evaluateTrials,
  type Objective,
  type ObjectiveRef,
  type ObjectiveValue,
  sweep,
  SweepError,
  type SweepOptions,
  trialSeed,
} from "./sweep.ts";
export {
  GUIDED_COMPARISON,
  guidedDir,
  runSweep,
  sweepPath,
  SWEEPS,
} from "./sweeps.ts";
export { type MlpResult, type MlpSettings, trainMlp } from "./nets/mlp.ts";
export {
  type Architecture,
  architectureId,
  buildNetwork,
  type CnnArchitecture,
  type LayerInfo,
  type MlpArchitecture,
  type NetActivation,
  NetError,
  type Network,
  validateArchitecture,
} from "./nets/architecture.ts";
export {
  type ActivationCapture,
  type EpochMetrics,
  type LabelledData,
  logSpacedEpochs,
  trainNetwork,
  type TrainOptions,
  type TrainResult,
} from "./nets/train.ts";
export {
  icosahedron,
  TWELVE_BIT_THRESHOLD,
  type TwelveBit,
  twelveBit,
} from "./data/twelve_bit.ts";
export {
  layerMI,
  type LayerMIOptions,
  type LayerMIRow,
  layerMIRows,
  type LayerQuantity,
} from "./mi/layer_mi.ts";
export {
  informationPlaneChart,
  layerMIChart,
  type PlaneChartOptions,
} from "./mi/plane_figures.ts";
export {
  bateman,
  batemanData,
  ishigami,
  ishigamiSample,
  runge,
  rungeData,
} from "./data/regression.ts";
export {
  type Fidelity,
  type Outcome,
  registerSearcher,
  type Searcher,
  type SearcherFactory,
  SearchError,
  SEARCHERS,
  type SearcherSettings,
  type Suggestion,
} from "./search/searcher.ts";
export { RandomSearch } from "./search/random_search.ts";
export { HsicGuidedSearcher } from "./search/hsic_guided_searcher.ts";
export {
  type EvolutionOptions,
  RegularizedEvolution,
} from "./search/evolution.ts";
export { optimize, type OptimizeOptions } from "./search/optimize.ts";
export {
  type Bracket,
  brackets,
  type ConfigSampler,
  HyperbandSearcher,
  type Schedule,
} from "./search/hyperband.ts";
export { type TpeOptions, TpeSearcher } from "./search/tpe.ts";
export { type RfSmboOptions, RfSmboSearcher } from "./search/rf_smbo.ts";
export { type BoreOptions, BoreSearcher } from "./search/bore.ts";
export { GpEiSearcher } from "./search/gp_ei.ts";
export {
  bestCurves,
  compareSearch,
  type CompareSearchOptions,
  type CurveOptions,
  type CurvePoint,
  type RunRow,
} from "./search/compare.ts";
export { type BayesOptStep, bayesOptSteps } from "./search/bayesopt_steps.ts";
export { bayesOptChart, bracketsChart, curvesChart } from "./search/figures.ts";
export { bohb, type BohbOptions, BohbSampler } from "./search/bohb.ts";
export { GaussianProcess, type GpHyperparameters } from "./search/gp.ts";
export { type ForestSettings, RandomForest } from "./search/forest.ts";
export { features, maximizeAcquisition } from "./search/acquisition.ts";
export {
  cellString,
  findNasBench201,
  nasBench201,
  type NasBench201Options,
  NB201_EDGES,
  NB201_OPS,
  parseCell,
  type TabularBenchmark,
  tabularBenchmark,
  type TabularOptions,
} from "./search/tabular.ts";
export {
  branin,
  conditionalToy,
  hartmann6,
  multiFidelityBranin,
  rosenbrock,
  TEST_FUNCTIONS,
  type TestFunction,
} from "./search/functions.ts";
export { isTodo, todo, type Verdict } from "./exercises/check.ts";
export { checkDvBound, checkEmaUpdate } from "./exercises/mine.ts";
export {
  checkKsg,
  checkNeighbourCounts,
  type NeighbourCounts,
} from "./exercises/ksg.ts";
export { checkBinIndex, checkDiscreteMI } from "./exercises/layers.ts";
export { checkGoalIndicator, checkHsicV } from "./exercises/hsic.ts";
export {
  type BracketRungs,
  checkBracket,
  checkExpectedImprovement,
} from "./exercises/search.ts";
export { digamma, normalCdf } from "./special.ts";
export {
  kendallTau,
  klDivergence,
  MetricError,
  mse,
  pearson,
  precisionAtK,
  ranks,
  spearman,
} from "./predict/metrics.ts";
export {
  findZeroCostTable,
  loadZeroCost,
  type ProxyCorrelation,
  proxyCorrelations,
  ZERO_COST_PROXIES,
  type ZeroCostRow,
} from "./predict/zero_cost.ts";
export {
  metaFeatures,
  splitOf,
  type SuiteTask,
  taskSuite,
} from "./predict/task_suite.ts";
export {
  evaluateArchitecture,
  mergePredictorShards,
  PREDICTOR_SWEEP,
  predictorConfigs,
  predictorSpace,
  predictorTablePath,
  rungBudgets,
  runPredictorShard,
  shardTrials,
} from "./predict/sweep.ts";
export {
  hyperbandPosterior,
  hyperbandSelect,
  type SweepArchitecture,
} from "./predict/hyperband_posterior.ts";
export {
  experiment1,
  type Experiment1Result,
  type Experiment1Row,
  type PosteriorExample,
  summarise as summariseExperiment1,
  type SweepRow,
  sweepRows,
  type TaskInfo,
} from "./predict/experiment1.ts";
export {
  type ControllerTask,
  controllerTasks,
  experiment2,
  hyperbandWithPrior,
  type PriorScore,
} from "./predict/experiment2.ts";
export { type AgreementRow, miAccuracyAgreement } from "./predict/agreement.ts";
export { posteriorChart } from "./predict/figures.ts";
