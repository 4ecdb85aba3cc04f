/**
 * Hyperparameter tasks in the flavour of the HSIC paper (Novello et al.):
 * an MLP's hyperparameters → its test error on Runge regression, a Bateman
 * decay chain, or digits classification. Each task has a search space with
 * conditional widths per layer and an `evaluate(config, { seed })` that
 * trains one network and returns `{ loss, train_loss, epochs_run,
 * parameters }`, `loss` being the test error (MSE, or error rate for digits).
 *
 * Tasks are looked up by name in {@linkcode HP_TASKS}, so sweep workers can
 * import this module and find the same objective.
 *
 * @module
 */

import {
  categorical,
  type Config,
  float,
  int,
  ordinal,
  type Param,
  SearchSpace,
} from "../space/space.ts";
import {
  type Activation,
  type Init,
  type MlpSettings,
  type OptimizerName,
  type RegressionLoss,
  type Supervised,
  trainMlp,
} from "./mlp.ts";
import { batemanData, rungeData } from "../data/regression.ts";
import { loadDigits, trainTestSplit } from "../data/digits.ts";
import type { ObjectiveRef } from "../trials/evaluate.ts";
import type { MatrixCondition } from "../search/matrix.ts";

/** A hyperparameter task: a space and an objective over it. */
export interface HpTask {
  /** The task's key in {@linkcode HP_TASKS}: "runge", "bateman" or "digits". */
  name: string;
  /** One line: the model, the data and the loss reported. */
  description: string;
  /**
   * The hyperparameters a sweep or search draws from (see {@linkcode
   * mlpSpace}).
   */
  space: SearchSpace;
  /** Trains one network; `loss` is its test error. */
  evaluate(
    config: Config,
    options?: { seed?: number },
  ): Promise<Record<string, number>>;
}

/**
 * The MLP search space of the tasks: learning rate (log), batch size, depth
 * 1–4 with a width per layer active only when the layer exists, activation,
 * optimiser, dropout, weight decay (log), initialisation, epochs, and (for
 * regression) the training loss.
 *
 * @example
 * ```ts
 * import { mlpSpace } from "./mlp_benchmarks.ts";
 * const space = mlpSpace({ regression: true });
 * const c = space.sample(0);
 * if (c.width_1 === undefined) throw new Error("the first layer always exists");
 * ```
 */
export function mlpSpace(
  options: {
    regression: boolean;
    /** Most epochs; default 100. */
    maxEpochs?: number;
    /** Fewest epochs; default 10. */
    minEpochs?: number;
    /** Widest layer; default 64. */
    maxWidth?: number;
    /** The batch sizes; default [8, 16, 32, 64]. */
    batchSizes?: readonly number[];
  },
): SearchSpace {
  const w = options.maxWidth ?? 64;
  const params: Record<string, Param> = {
    lr: float(1e-4, 1e-1, { log: true }),
    batch_size: ordinal([...options.batchSizes ?? [8, 16, 32, 64]]),
    depth: int(1, 4),
    width_1: int(4, w, { log: true }),
    width_2: int(4, w, { log: true, when: { depth: { gte: 2 } } }),
    width_3: int(4, w, { log: true, when: { depth: { gte: 3 } } }),
    width_4: int(4, w, { log: true, when: { depth: { gte: 4 } } }),
    activation: categorical(["relu", "tanh", "elu", "sigmoid"]),
    optimizer: categorical(["adam", "sgd", "rmsprop"]),
    dropout: float(0, 0.5),
    weight_decay: float(1e-6, 1e-2, { log: true }),
    init: categorical(["glorotUniform", "heNormal", "leCunNormal"]),
    epochs: int(options.minEpochs ?? 10, options.maxEpochs ?? 100),
  };
  if (options.regression) params.loss_fn = categorical(["mse", "mae", "huber"]);
  return new SearchSpace(params);
}

/**
 * MLP settings from a configuration of {@linkcode mlpSpace}.
 *
 * @example
 * ```ts
 * import { mlpSettings, mlpSpace } from "./mlp_benchmarks.ts";
 * const config = mlpSpace({ regression: true }).sample(0);
 * const s = mlpSettings(config, 1);
 * if (s.hidden.length !== config.depth || s.seed !== 1) throw new Error();
 * ```
 */
export function mlpSettings(config: Config, seed: number): MlpSettings {
  const depth = config.depth as number;
  return {
    hidden: Array.from(
      { length: depth },
      (_, i) => config[`width_${i + 1}`] as number,
    ),
    activation: config.activation as Activation,
    dropout: config.dropout as number,
    weightDecay: config.weight_decay as number,
    init: config.init as Init,
    optimizer: config.optimizer as OptimizerName,
    learningRate: config.lr as number,
    batchSize: config.batch_size as number,
    epochs: config.epochs as number,
    loss: (config.loss_fn as RegressionLoss | undefined) ?? "mse",
    seed,
  };
}

function task(
  name: string,
  description: string,
  space: SearchSpace,
  data: () => Promise<{ train: Supervised; test: Supervised }>,
  classes = 0,
): HpTask {
  let cached: Promise<{ train: Supervised; test: Supervised }> | null = null;
  return {
    name,
    description,
    space,
    async evaluate(config, options = {}) {
      space.validate(config);
      cached ??= data();
      const { train, test } = await cached;
      const r = await trainMlp(
        train,
        test,
        mlpSettings(config, options.seed ?? 0),
        classes,
      );
      return {
        loss: r.testError,
        train_loss: r.trainLoss,
        epochs_run: r.epochs,
        parameters: r.parameters,
      };
    },
  };
}

/**
 * The tasks by name: `runge` (1/(1 + 25x²) from 100 random points, test MSE
 * on a 401-point grid), `bateman` (three amounts of a decay chain from time,
 * initial amounts and rates; 512 training rows, test MSE on 1,024), `digits`
 * (the shipped 8×8 digits scaled to [0, 1], 75/25 stratified split, test
 * error rate).
 *
 * @example
 * ```ts ignore
 * import { HP_TASKS } from "./mlp_benchmarks.ts";
 * const t = HP_TASKS.runge;
 * const { loss } = await t.evaluate(t.space.sample(1), { seed: 0 });
 * ```
 */
export const HP_TASKS: Readonly<
  Record<"runge" | "bateman" | "digits", HpTask>
> = {
  runge: task(
    "runge",
    "MLP regression of Runge's function 1/(1 + 25x²) on [-1, 1]; test MSE",
    mlpSpace({ regression: true }),
    () => Promise.resolve(rungeData({ seed: 0 })),
  ),
  bateman: task(
    "bateman",
    "MLP regression of a Bateman decay chain A → B → C; test MSE",
    mlpSpace({ regression: true, maxEpochs: 60 }),
    () => Promise.resolve(batemanData({ seed: 0 })),
  ),
  digits: task(
    "digits",
    "MLP classification of the 8×8 digits; test error rate",
    mlpSpace({ regression: false, maxEpochs: 40 }),
    async () => {
      const { train, test } = trainTestSplit(
        await loadDigits({ scale: true }),
        {
          seed: 0,
        },
      );
      return { train, test };
    },
    10,
  ),
};

/**
 * The objective of a task as sweep workers import it (this module and the
 * task's `evaluate`), for `sweep(space, hpTaskObjective("runge"), { workers })`.
 *
 * @example
 * ```ts
 * import { hpTaskObjective } from "./mlp_benchmarks.ts";
 * if (hpTaskObjective("runge").name !== "HP_TASKS.runge.evaluate") throw new Error();
 * ```
 */
export function hpTaskObjective(task: keyof typeof HP_TASKS): ObjectiveRef {
  return { module: import.meta.url, name: `HP_TASKS.${task}.evaluate` };
}

/**
 * Kept-small versions of the Runge and digits tasks, for the search matrix:
 * the same space shape (learning rate, batch size, depth 1–4 with
 * conditional widths, activation, optimiser, dropout, weight decay,
 * initialisation, epochs, and the loss for Runge) with fewer training rows,
 * fewer steps and widths up to 32, so that one training takes ~0.1 s on one
 * core instead of 0.3–19 s, while the test error still spans
 * roughly 0.03–0.7 (Runge MSE) and 0.25–0.93 (digits error rate) over the
 * space (bench/README.md "matrix", MLP conditions):
 *
 * - `runge-small`: 64 random training points, test MSE on a 201-point grid,
 *   batch size 32 or 64, 5–20 epochs;
 * - `digits-small`: the first 256 training rows and the first 300 test rows
 *   of the digits' 75/25 stratified split, batch size 32, 64 or 128, 2–6
 *   epochs.
 *
 * @example
 * ```ts
 * import { SMALL_HP_TASKS } from "./mlp_benchmarks.ts";
 * const space = SMALL_HP_TASKS.digits.space;
 * if (space.sample(0).epochs as number > 6) throw new Error();
 * ```
 */
export const SMALL_HP_TASKS: Readonly<Record<"runge" | "digits", HpTask>> = {
  runge: task(
    "runge-small",
    "MLP regression of Runge's function from 64 points, few epochs; test MSE",
    mlpSpace({
      regression: true,
      minEpochs: 5,
      maxEpochs: 20,
      maxWidth: 32,
      batchSizes: [32, 64],
    }),
    () => Promise.resolve(rungeData({ seed: 0, train: 64, test: 201 })),
  ),
  digits: task(
    "digits-small",
    "MLP classification of 256 of the 8×8 digits, 2–6 epochs; test error rate",
    mlpSpace({
      regression: false,
      minEpochs: 2,
      maxEpochs: 6,
      maxWidth: 32,
      batchSizes: [32, 64, 128],
    }),
    async () => {
      const { train, test } = trainTestSplit(
        await loadDigits({ scale: true }),
        { seed: 0 },
      );
      return {
        train: { x: train.x.slice(0, 256), y: train.y.slice(0, 256) },
        test: { x: test.x.slice(0, 300), y: test.y.slice(0, 300) },
      };
    },
    10,
  ),
};

/**
 * The real-training conditions of the search benchmark matrix: MLPs on
 * Runge's function and on the digits, each trial one training with seed 0.
 * By default the kept-small tasks ({@linkcode SMALL_HP_TASKS}: `mlp-runge`,
 * `mlp-digits`, ~0.1 s an evaluation), which the matrix runs; with
 * `{ full: true }` the paper-sized ones (`HP_TASKS`: `mlp-runge-full`,
 * `mlp-digits-full`, 0.3–19 s an evaluation, marked `slow`). Their optimum
 * is unknown, so matrix cells report the best test error found. Pass them as
 * `extra` to `matrixConditions`.
 *
 * @example
 * ```ts
 * import { mlpMatrixConditions } from "./mlp_benchmarks.ts";
 * const [runge] = mlpMatrixConditions();
 * if (runge.name !== "mlp-runge" || runge.optimum !== undefined) throw new Error();
 * const [full] = mlpMatrixConditions({ full: true });
 * if (full.name !== "mlp-runge-full" || !full.slow) throw new Error();
 * ```
 */
export function mlpMatrixConditions(
  options: { full?: boolean } = {},
): MatrixCondition[] {
  const tasks = options.full ? HP_TASKS : SMALL_HP_TASKS;
  return (["runge", "digits"] as const).map((name) => ({
    name: `mlp-${name}${options.full ? "-full" : ""}`,
    group: "conditional",
    space: tasks[name].space,
    slow: options.full ?? false,
    evaluate: async (c) => (await tasks[name].evaluate(c, { seed: 0 })).loss,
  }));
}
