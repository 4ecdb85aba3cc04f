/**
 * The MI estimators by name, typed: {@linkcode MIEstimatorRegistry} maps each
 * method to the options it takes, so {@linkcode MIOptions} is a union
 * discriminated on `method` and an option that does not apply to the method
 * is a type error; {@linkcode MI_ESTIMATORS} holds what runs each method (its
 * option names, checked at run time too, and its `run`). This project's
 * estimators are all registered here, in one place.
 *
 * A third party adds an estimator in two steps: a declaration that merges
 * its name and options into `MIEstimatorRegistry`, and
 * {@linkcode registerMIEstimator} at run time.
 *
 * @module
 */

import type { Matrix } from "../_math/linalg.ts";
import { ensureBackend } from "../nets/backend.ts";
import { binning, type BinningOptions } from "./binning.ts";
import { gaussian } from "./_gaussian.ts";
import { MIError } from "./input.ts";
import { ksg, type KsgOptions } from "./_ksg.ts";
import { mixedKsg, type MixedKsgOptions } from "./_mixed_ksg.ts";
import { probe, type ProbeOptions } from "./_probe.ts";
import {
  type NeuralMethod,
  type NeuralOptions,
  neuralSettings,
  trainNeural,
} from "./neural.ts";

/**
 * What every neural bound takes (`critic`, `hidden`, `steps`, `batchSize`,
 * `learningRate`, `testFraction`, `evalEvery`, `patience`, `seed`,
 * `onStep`, …); MINE adds `emaAlpha` and SMILE `clip`.
 *
 * @example
 * ```ts
 * import type { NeuralBoundOptions } from "./estimators.ts";
 * const quick: NeuralBoundOptions = { steps: 100, batchSize: 64, evalEvery: 0 };
 * console.log(quick);
 * ```
 */
export type NeuralBoundOptions = Omit<NeuralOptions, "emaAlpha" | "clip">;

/**
 * Options of `mine`: the neural options and the moving average's weight.
 *
 * @example
 * ```ts
 * import type { MineOptions } from "./estimators.ts";
 * const o: MineOptions = { steps: 500, emaAlpha: 0.05 };
 * console.log(o);
 * ```
 */
export interface MineOptions extends NeuralBoundOptions {
  /** Weight of the new batch in the moving average. Default 0.01. */
  emaAlpha?: number;
}

/**
 * Options of `smile`: the neural options and the clip τ.
 *
 * @example
 * ```ts
 * import type { SmileOptions } from "./estimators.ts";
 * const o: SmileOptions = { steps: 500, clip: 2 };
 * console.log(o);
 * ```
 */
export interface SmileOptions extends NeuralBoundOptions {
  /** Scores are clipped to ±clip in the read-out. Default 5. */
  clip?: number;
}

/** Options of `gaussian`: none. */
export type GaussianOptions = Record<never, never>;

export type { BinningOptions, KsgOptions, MixedKsgOptions, ProbeOptions };

/**
 * Every MI method's name, mapped to the options it takes besides `method`.
 * Extend it by declaration merging to register an estimator of your own (at
 * the top level of a module; test/testing_test.ts does it).
 *
 * @example
 * ```ts ignore
 * import { estimateMI, registerMIEstimator } from "@infolens/infolens/mi";
 *
 * declare module "@infolens/infolens/mi" {
 *   interface MIEstimatorRegistry {
 *     "zero-example": { scale?: number };
 *   }
 * }
 * registerMIEstimator("zero-example", {
 *   options: ["scale"],
 *   run: () => ({ estimate: 0 }),
 * });
 * const r = await estimateMI([1, 2, 3], [3, 1, 2], { method: "zero-example", scale: 2 });
 * if (r.estimate !== 0) throw new Error();
 * ```
 */
export interface MIEstimatorRegistry {
  /** MINE: the DV bound with a moving-average gradient correction. */
  mine: MineOptions;
  /** MINE without the gradient correction (plain DV bound). */
  "mine-biased": NeuralBoundOptions;
  /** MINE-f: the f-divergence (NWJ-type) form on concat critics. */
  "mine-f": NeuralBoundOptions;
  /** NWJ (Nguyen-Wainwright-Jordan) on separable critics. */
  nwj: NeuralBoundOptions;
  /** InfoNCE (capped at ln batch size). */
  infonce: NeuralBoundOptions;
  /** SMILE: DV with the partition term clipped. */
  smile: SmileOptions;
  /** Kraskov-Stögbauer-Grassberger's k-nearest-neighbour estimator (algorithm 1). */
  ksg: KsgOptions;
  /** equal-width binning, the exact MI of the binned variables. */
  binning: BinningOptions;
  /** the MI of a Gaussian with the sample covariance. */
  gaussian: GaussianOptions;
  /**
   * Ross (2014): I(X; Y) for continuous X and a discrete Y (labels or
   * one-hot rows), k nearest neighbours within each class.
   */
  "mixed-ksg": MixedKsgOptions;
  /**
   * The Barber-Agakov bound H(Y) − held-out cross-entropy of a classifier
   * of the discrete Y from X (softmax regression or a small MLP).
   */
  probe: ProbeOptions;
}

/**
 * The name of a registered MI estimator.
 *
 * @example
 * ```ts
 * import type { MIMethod } from "./estimators.ts";
 * const methods: MIMethod[] = ["ksg", "infonce"];
 * console.log(methods);
 * ```
 */
export type MIMethod = keyof MIEstimatorRegistry & string;

/**
 * Options of `estimateMI`: the method, and that method's options only (a
 * union discriminated on `method`). `MIOptions<"ksg">` is the ksg member.
 *
 * @example
 * ```ts
 * import type { MIOptions } from "./estimators.ts";
 * const ok: MIOptions = { method: "ksg", k: 5 };
 * const wrong: MIOptions = {
 *   method: "ksg",
 *   // @ts-expect-error steps do not apply to ksg
 *   steps: 10,
 * };
 * console.log(ok, wrong);
 * ```
 */
export type MIOptions<M extends MIMethod = MIMethod> = {
  [K in M]: { method: K } & MIEstimatorRegistry[K];
}[M];

/**
 * The samples an estimator's `run` gets: n rows of d numbers, row-major,
 * already checked (finite, at least 2 rows, x and y with the same rows).
 */
export type MIMatrix = Matrix;

/** What an estimator's `run` returns; `estimateMI` adds method, shape and time. */
export interface MIRun {
  /** The estimate in nats. */
  estimate: number;
  /** The mean training bound (neural estimators). */
  trainEstimate?: number;
  /** The training bound at every step (neural estimators). */
  trace?: number[];
  /** Steps taken (neural estimators; epochs for `probe`). */
  steps?: number;
  /** The estimate's standard error, where the method gives one (`probe`). */
  standardError?: number;
}

/**
 * What runs one method: the option names it takes (checked before `run`, so
 * an option that does not apply is an error), `run` itself, and optionally a
 * `ceiling` the estimate can never exceed (InfoNCE: ln batch size), which
 * `checkMIEstimator` verifies.
 *
 * @example
 * ```ts
 * import type { MIEstimator } from "./estimators.ts";
 * const halfKsg: MIEstimator<"ksg"> = {
 *   options: ["k", "seed"],
 *   run: () => ({ estimate: 0.5 }),
 * };
 * console.log(halfKsg.options);
 * ```
 */
export interface MIEstimator<M extends MIMethod = MIMethod> {
  /** The option names it takes besides `method`, in the order errors list them. */
  readonly options: readonly (keyof MIEstimatorRegistry[M] & string)[];
  /** Fits and returns the estimate in nats. */
  run(x: MIMatrix, y: MIMatrix, options: MIOptions<M>): MIRun | Promise<MIRun>;
  /** An upper bound of every estimate (and training bound) for these options. */
  ceiling?: (options: MIOptions<M>) => number;
}

// The registry's values seen without their method's types (its keys are
// checked at run time; the generic signatures hold at registration).
type AnyEstimator = {
  readonly options: readonly string[];
  run(x: MIMatrix, y: MIMatrix, options: MIOptions): MIRun | Promise<MIRun>;
  ceiling?: (options: MIOptions) => number;
};

const NEURAL_KEYS = [
  "critic",
  "hidden",
  "activation",
  "embedding",
  "steps",
  "batchSize",
  "learningRate",
  "testFraction",
  "evalEvery",
  "patience",
  "seed",
  "threads",
  "onStep",
] as const;

function neural<M extends NeuralMethod>(
  method: M,
  extra: readonly (keyof MIEstimatorRegistry[M] & string)[] = [],
): MIEstimator<M> {
  return {
    options: [...NEURAL_KEYS, ...extra],
    run: async (x, y, options) => {
      await ensureBackend(); // the default backend, unless one was set
      return await trainNeural(method, x, y, options);
    },
  };
}

const registered: Record<string, AnyEstimator> = {
  mine: neural("mine", ["emaAlpha"]),
  "mine-biased": neural("mine-biased"),
  "mine-f": neural("mine-f"),
  nwj: neural("nwj"),
  infonce: {
    ...neural("infonce"),
    // Each batch's n × n score matrix caps the bound at ln n.
    ceiling: (options) =>
      Math.log(neuralSettings("infonce", options).batchSize),
  },
  smile: neural("smile", ["clip"]),
  ksg: {
    options: ["k", "seed"],
    run: (x, y, options) => ({ estimate: ksg(x, y, options) }),
  },
  binning: {
    options: ["bins", "range"],
    run: (x, y, options) => ({ estimate: binning(x, y, options) }),
  },
  gaussian: { options: [], run: (x, y) => ({ estimate: gaussian(x, y) }) },
  "mixed-ksg": {
    options: ["k", "seed"],
    run: (x, y, options) => ({ estimate: mixedKsg(x, y, options) }),
  },
  probe: {
    options: [
      "classifier",
      "hidden",
      "learningRate",
      "batchSize",
      "maxEpochs",
      "patience",
      "testFraction",
      "validationFraction",
      "seed",
    ],
    run: (x, y, options) => {
      const r = probe(x, y, options);
      return {
        estimate: r.estimate,
        standardError: r.standardError,
        trace: r.trace,
        steps: r.steps,
      };
    },
    // A bound on I(X; Y) ≤ H(Y), but H(Y) depends on the data, not the options.
  },
} satisfies { [M in MIMethod]?: MIEstimator<M> } as Record<
  string,
  AnyEstimator
>;

/**
 * The neural bounds this project ships, in the order they are documented.
 *
 * @example
 * ```ts
 * import { NEURAL_METHODS } from "./estimators.ts";
 * if (!NEURAL_METHODS.includes("infonce")) throw new Error();
 * ```
 */
export const NEURAL_METHODS: readonly NeuralMethod[] = [
  "mine",
  "mine-biased",
  "mine-f",
  "nwj",
  "infonce",
  "smile",
];

const methods: MIMethod[] = Object.keys(registered) as MIMethod[];

/**
 * The registered methods: the neural bounds first, then the classical ones,
 * then any registered with {@linkcode registerMIEstimator} (the list grows
 * as they are).
 *
 * @example
 * ```ts
 * import { MI_METHODS } from "./estimators.ts";
 * if (MI_METHODS.indexOf("ksg") !== 6) throw new Error();
 * ```
 */
export const MI_METHODS: readonly MIMethod[] = methods;

/**
 * Every registered estimator, by name.
 *
 * @example
 * ```ts
 * import { MI_ESTIMATORS } from "./estimators.ts";
 * console.log(MI_ESTIMATORS.ksg.options); // ["k", "seed"]
 * ```
 */
export const MI_ESTIMATORS: {
  readonly [M in MIMethod]: MIEstimator<M>;
} = registered as unknown as { readonly [M in MIMethod]: MIEstimator<M> };

/**
 * Registers an estimator under `name`, which must first be declared in
 * {@linkcode MIEstimatorRegistry} with its options (see its example). A
 * name that is registered already is refused.
 *
 * @example
 * ```ts ignore
 * import { estimateMI, registerMIEstimator } from "@infolens/infolens/mi";
 *
 * declare module "@infolens/infolens/mi" {
 *   interface MIEstimatorRegistry {
 *     "constant-example": { value?: number };
 *   }
 * }
 * registerMIEstimator("constant-example", {
 *   options: ["value"],
 *   run: (_x, _y, o) => ({ estimate: o.value ?? 0 }),
 * });
 * const r = await estimateMI([1, 2], [2, 1], { method: "constant-example", value: 1 });
 * if (r.estimate !== 1) throw new Error();
 * ```
 */
export function registerMIEstimator<M extends MIMethod>(
  name: M,
  estimator: MIEstimator<M>,
): void {
  if (typeof name !== "string" || (name as string) === "") {
    throw new MIError(`an estimator's name must be a non-empty string`);
  }
  if (Object.hasOwn(registered, name)) {
    throw new MIError(`an estimator named "${name}" is registered already`);
  }
  if (
    !estimator || typeof estimator.run !== "function" ||
    !Array.isArray(estimator.options) ||
    estimator.options.some((k) => typeof k !== "string" || k === "method")
  ) {
    throw new MIError(
      `registerMIEstimator("${name}"): give { options: [option names, not "method"], run(x, y, options) }`,
    );
  }
  registered[name] = estimator as unknown as AnyEstimator;
  methods.push(name);
}

/**
 * The estimator registered under `method`, or an error listing the
 * registered methods (for a name the compiler could not check).
 *
 * @example
 * ```ts
 * import { miEstimator } from "./estimators.ts";
 * if (miEstimator("binning").options[0] !== "bins") throw new Error();
 * ```
 */
export function miEstimator(method: string): MIEstimator {
  if (!Object.hasOwn(registered, method)) {
    throw new MIError(
      `unknown method "${method}"; choose one of ${MI_METHODS.join(", ")}`,
    );
  }
  return registered[method] as unknown as MIEstimator;
}
