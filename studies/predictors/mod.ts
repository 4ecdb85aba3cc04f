/**
 * The re-test of the 2019 thesis (MI-conditioned predictors of good
 * architectures): the dataset of 25 tasks, the architecture sweep with
 * per-layer MI, the Hyperband posterior, experiment 1 (predicting it) and
 * experiment 2 (a controller choosing a Hyperband prior), MI-accuracy
 * agreement, the comparison of early signals and the best of them (chosen
 * on the training tasks) as the experiments' features, the thesis's CNN space with
 * every signal measured, and NASLib's published zero-cost scores. This
 * repository's study, built on the library; not part of it.
 *
 * @module
 */

export {
  metaFeatures,
  splitOf,
  type SuiteTask,
  taskSuite,
} from "./task_suite.ts";
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
} from "./architecture_sweep.ts";
export {
  CNN_QUICK,
  CNN_SMALL,
  CNN_SWEEP,
  cnnArchitecture,
  cnnConfigs,
  cnnSpace,
  type CnnSweepSettings,
  cnnTablePath,
  cnnTasks,
  evaluateCnnArchitecture,
  evaluateCnnArchitectureQuick,
  evaluateCnnArchitectureSmall,
  measureCnn,
  mergeCnnShards,
  runCnnShard,
} from "./cnn_sweep.ts";
export {
  pca,
  poolChannels,
  reduceConvMaps,
  type ReducedLayer,
} from "./conv_reduction.ts";
export {
  hyperbandPosterior,
  hyperbandSelect,
  type SweepArchitecture,
} from "./hyperband_posterior.ts";
export {
  experiment1,
  type Experiment1Result,
  type Experiment1Row,
  type FeatureSet,
  type PosteriorExample,
  summariseExperiment1,
  type SweepRow,
  sweepRows,
  type TaskInfo,
} from "./posterior_prediction.ts";
export {
  type BestSignal,
  bestSignal,
  bestSignalFindings,
  type BestSignalOptions,
  signalFeature,
  signalTaskMeans,
} from "./best_signal.ts";
export {
  type ControllerTask,
  controllerTasks,
  experiment2,
  hyperbandWithPrior,
  type PriorScore,
} from "./prior_controller.ts";
export {
  type AgreementRow,
  miAccuracyAgreement,
} from "./mi_accuracy_agreement.ts";
export { experiment1Chart, posteriorChart, signalChart } from "./charts.ts";
export {
  loadZeroCost,
  type ProxyCorrelation,
  proxyCorrelations,
  ZERO_COST_PROXIES,
  type ZeroCostRow,
} from "./naslib_zero_cost.ts";
export {
  compareSweepSignals,
  type PairedDifference,
  pairedTauDifference,
  reliabilityFindings,
  signalChartRows,
  signalFindings,
  type SignalKind,
  signalTable,
  type SweepComparison,
  type SweepSignal,
  type SweepSignals,
  sweepSignals,
  type TargetReliability,
  targetReliability,
} from "./signal_comparison.ts";
export {
  agreementFindings,
  type MethodScore,
  predictorFindings,
  type PredictorFindingsOptions,
  type RetestRow,
  retestRow,
  retestTable,
  rmiSearchFindings,
} from "./findings.ts";
export {
  cnnSearchEvaluator,
  type EvaluatorClock,
  filtersOf,
  forwardMacs,
  readRmiSearchRuns,
  referenceMacs,
  RMI_SEARCH,
  RMI_SEARCH_METHODS,
  RMI_SEARCH_QUICK,
  RMI_SEARCH_SECONDS,
  rmiMacs,
  type RmiSearchEvaluator,
  type RmiSearchGain,
  rmiSearchGains,
  type RmiSearchMethod,
  type RmiSearchRun,
  type RmiSearchSettings,
  rmiSearchSpace,
  type RmiSearchSummary,
  runRmiSearch,
  searchAtEqualCompute,
  summariseRmiSearch,
  trainingMacs,
} from "./rmi_search.ts";
export {
  labelEntropy,
  type SweepEstimate,
  sweepEstimates,
  sweepRangeSummary,
} from "./sweep_range.ts";
export {
  type CnnSweepOnOptions,
  imageTask,
  runCnnSweepOn,
} from "./cnn_sweep_images.ts";
