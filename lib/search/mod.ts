/**
 * Search: the ask/tell `Searcher` family (random, evolution, successive
 * halving, Hyperband, BOHB, TPE, GP-EI, random-forest SMBO, BORE, HSIC-guided,
 * and the architecture-aware local search, GP-WL and BANANAS on graphs)
 * looked up by a name the compiler checks (`SearchMethod`), `optimize` to drive any of them against an objective,
 * `compareSearch`/`bestCurves` to compare methods over seeds, synthetic test
 * functions with known minima, and tabular benchmarks (NAS-Bench-201).
 *
 * Importing this entry loads no tfjs, vega or resvg.
 *
 * @example
 * ```ts
 * import { float, SearchSpace } from "../space/mod.ts";
 * import { optimize } from "./mod.ts";
 * const space = new SearchSpace({ x: float(-2, 2) });
 * const trials = await optimize((c) => ((c.x as number) - 0.5) ** 2, space, {
 *   method: "tpe",
 *   budget: 20,
 *   seed: 0,
 *   progress: "quiet",
 * });
 * if (trials.height !== 20) throw new Error();
 * ```
 *
 * @module
 */

export type { DataFrame } from "../_frame.ts";
export {
  type Fidelity,
  type FinishedTrial,
  type Outcome,
  type Searcher,
  type SearcherFactory,
  SearchError,
  type SearcherSettings,
  type Suggestion,
} from "./searcher.ts";
export {
  registerSearcher,
  searcherFactory,
  type SearcherRegistry,
  SEARCHERS,
  type SearchMethod,
  searchMethods,
} from "./registry.ts";
export { RandomSearch } from "./random_search.ts";
export { type EvolutionOptions, RegularizedEvolution } from "./evolution.ts";
export {
  type Bracket,
  brackets,
  type ConfigSampler,
  HyperbandSearcher,
  type Schedule,
} from "./hyperband.ts";
export { bohb, type BohbOptions, BohbSampler } from "./bohb.ts";
export { type TpeOptions, TpeSearcher } from "./tpe.ts";
export { GpEiSearcher } from "./gp_ei.ts";
export { type RfSmboOptions, RfSmboSearcher } from "./rf_smbo.ts";
export { type BoreOptions, BoreSearcher } from "./bore.ts";
export {
  type HsicGuidedOptions,
  hsicGuidedSearch,
  HsicGuidedSearcher,
} from "./hsic_guided.ts";
export {
  type GuidedDecision,
  type GuidedOptions,
  GuidedPlanner,
  type GuidedResult,
} from "./hsic_guided_planner.ts";
export { DesignSearcher } from "./design.ts";
export {
  type ArchGraph,
  type ArchitectureCodec,
  architectureOf,
  type ArchNode,
  cellFromConfig,
  cellToGraph,
  type CellToGraphOptions,
  cnnToGraph,
  configFromCell,
  declareArchitecture,
  type EdgeCell,
  graphOf,
  graphToCnn,
  graphToMlp,
  hyperparameterChain,
  mlpCodec,
  type MlpCodecOptions,
  mlpToGraph,
  NB201_CODEC,
} from "./arch_graph.ts";
export {
  graphPaths,
  pathEncoding,
  pathEncodingLength,
  type PathEncodingOptions,
  wlDot,
  wlFeatures,
  wlKernel,
  type WlVector,
} from "./arch_encodings.ts";
export {
  hammingNeighbours,
  LocalSearch,
  type LocalSearchOptions,
} from "./local_search.ts";
export {
  fitWlGp,
  type GpWlOptions,
  GpWlSearcher,
  predictWlGp,
  type WlGpFit,
} from "./gp_wl.ts";
export type { KernelGp } from "./_kernel_gp.ts";
export { type BananasOptions, BananasSearcher } from "./bananas.ts";
export { optimalTransport, type TransportPlan } from "./optimal_transport.ts";
export {
  opEditDistance,
  OTMANN_COEFFICIENTS,
  OTMANN_INFINITY,
  otmannDistance,
  otmannMismatch,
  type OtmannNetwork,
  otmannNetwork,
  type OtmannOptions,
} from "./arch_distances.ts";
export {
  architectureTokens,
  subsequenceKernel,
  type SubsequenceKernelOptions,
  subsequenceKernels,
} from "./string_kernel.ts";
export { type NasbotOptions, NasbotSearcher } from "./nasbot.ts";
export { type GpSskOptions, GpSskSearcher } from "./gp_ssk.ts";
export { optimize, type OptimizeOptions, searchMetadata } from "./optimize.ts";
export {
  bestCurves,
  compareSearch,
  type CompareSearchOptions,
  type CurveOptions,
  type CurvePoint,
  type RunRow,
} from "./compare.ts";
export { type BayesOptStep, bayesOptSteps } from "./bayesopt_steps.ts";
export { GaussianProcess, type GpHyperparameters } from "./gp.ts";
export {
  ModelBasedSearcher,
  type ModelBasedState,
  type Observation,
} from "./model_based.ts";
export { type ForestSettings, RandomForest } from "./forest.ts";
export {
  cellString,
  nasBench201,
  type NasBench201Options,
  NB201_EDGES,
  NB201_OPS,
  parseCell,
  type TabularBenchmark,
  tabularBenchmark,
  type TabularOptions,
} from "./tabular.ts";
export {
  branin,
  conditionalToy,
  hartmann6,
  multiFidelityBranin,
  rosenbrock,
  TEST_FUNCTIONS,
  type TestFunction,
} from "./functions.ts";
export {
  conditionalMixed,
  levyNd,
  rosenbrockNd,
} from "./scalable_functions.ts";
export { learningCurve } from "./learning_curve.ts";
export {
  ARCHITECTURE_METHODS,
  averageRanks,
  benchmarkMatrix,
  formatMatrixCsv,
  fromTestFunction,
  MATRIX_COLUMNS,
  type MatrixCell,
  type MatrixCondition,
  type MatrixOptions,
  type MatrixRank,
  type MatrixResult,
  type MatrixRow,
  methodApplies,
  MULTI_FIDELITY_METHODS,
  parseMatrixCsv,
  summarise,
} from "./matrix.ts";
export {
  matrixConditions,
  type MatrixConditionsOptions,
} from "./matrix_conditions.ts";
export {
  AUTO_SMALL_DIMENSIONS,
  AUTO_SWITCH_AFTER,
  type AutoChoice,
  AutoSearcher,
  chooseMethod,
} from "./auto.ts";
export { SwitchingSearcher } from "./switching.ts";
