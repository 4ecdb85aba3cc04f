/**
 * Search spaces: typed and conditional hyperparameters, seeded sampling,
 * validation, stable keys, and the `[0,1]^d` (HSIC) and one-hot encodings;
 * `Random`, the seeded stream everything in infolens draws from.
 *
 * Importing this entry loads no tfjs, polars, vega or resvg.
 *
 * @example
 * ```ts
 * import { categorical, float, int, SearchSpace } from "./mod.ts";
 * const space = new SearchSpace({
 *   lr: float(1e-4, 1e-1, { log: true }),
 *   depth: int(1, 4),
 *   width_3: int(16, 512, { log: true, when: { depth: { gte: 3 } } }),
 *   activation: categorical(["relu", "tanh"]),
 * });
 * const configs = space.sampleMany(5, 0);
 * if (configs.length !== 5) throw new Error();
 * ```
 *
 * @module
 */

export {
  Random,
  RandomError,
  type RandomState,
  rng,
  type Seed,
} from "./random.ts";
export {
  boolean,
  type BooleanParam,
  categorical,
  type CategoricalParam,
  type Common,
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
  FEW_VALUES,
  type InferredParam,
  InferredSpace,
  inferSpace,
  type InferSpaceOptions,
  LOG_RATIO,
  type ParamOverride,
  type TrialsTableLike,
} from "./infer.ts";
export {
  describeInferredSpace,
  type InferredLike,
  type InferredSummary,
} from "./describe_inferred.ts";
