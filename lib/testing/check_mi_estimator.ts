/**
 * `checkMIEstimator`: the MI estimator family's contract, run against one
 * registered estimator (ours or a third party's) through `estimateMI`.
 *
 * @module
 */

import { InfolensError } from "../errors.ts";
import { estimateMI, type MIEstimate } from "../mi/estimate.ts";
import {
  miEstimator,
  type MIEstimatorRegistry,
  type MIMethod,
  type MIOptions,
} from "../mi/estimators.ts";
import { correlatedGaussian, type MITask } from "../mi/ground_truth.ts";
import { MIError } from "../mi/input.ts";
import { ConformanceError, runCheck } from "./conformance_error.ts";

/**
 * The properties {@linkcode checkMIEstimator} can check:
 *
 * - `finite`: the estimate is a finite number, and the result reports the
 *   method and the shape (n, dx, dy) of the data.
 * - `deterministic`: the same data and options give the same estimate.
 * - `rejects-bad-input`: x and y of different lengths, a NaN, and an option
 *   the method does not take are refused with an `MIError` (the last one
 *   naming the option and the method); 2 or 3 samples give a finite
 *   estimate or an `InfolensError`, never a crash.
 * - `accuracy`: within the tolerance of the true MI on each known-truth task
 *   of `accuracy`.
 * - `ceiling`: where the estimator declares a ceiling (InfoNCE: ln batch
 *   size), no estimate nor training bound exceeds it, on data whose MI is
 *   far above it, and the estimate reaches `reach` of it.
 */
export type MIEstimatorCheck =
  | "deterministic"
  | "finite"
  | "rejects-bad-input"
  | "accuracy"
  | "ceiling";

/**
 * Every check, in the order they run; `ceiling` runs by default only where
 * the estimator declares one.
 *
 * @example
 * ```ts
 * import { MI_ESTIMATOR_CHECKS } from "./check_mi_estimator.ts";
 * console.log(MI_ESTIMATOR_CHECKS.join(", "));
 * ```
 */
export const MI_ESTIMATOR_CHECKS: readonly MIEstimatorCheck[] = [
  "finite",
  "deterministic",
  "rejects-bad-input",
  "accuracy",
  "ceiling",
];

/**
 * One known-truth task of the `accuracy` check, and how close the estimate
 * must come: give `relativeError` (|estimate − truth| / truth below it),
 * `factor` (estimate and truth within that factor of each other), or both.
 *
 * @example
 * ```ts
 * import type { MIAccuracyCase } from "./check_mi_estimator.ts";
 * import { correlatedGaussian } from "../mi/ground_truth.ts";
 * const c: MIAccuracyCase<"ksg"> = {
 *   task: correlatedGaussian({ dim: 1, rho: 0.5 }), n: 10_000, relativeError: 0.05,
 * };
 * console.log(c.task.name);
 * ```
 */
export interface MIAccuracyCase<M extends MIMethod = MIMethod> {
  /** A distribution whose MI is known (see the mi entry's `tasks`). */
  task: MITask;
  /** Samples. Default 2,000. */
  n?: number;
  /** Seed of the samples. Default 0. */
  seed?: number;
  /** The estimator's options here. Default the check's `options`. */
  options?: MIEstimatorRegistry[M];
  /** Accept |estimate − truth| ≤ relativeError × truth (when given). */
  relativeError?: number;
  /** Accept estimate and truth within this factor of each other (when given). */
  factor?: number;
}

/** Options of {@linkcode checkMIEstimator}. */
export interface CheckMIEstimatorOptions<M extends MIMethod = MIMethod> {
  /**
   * The checks to run. Default every one, `ceiling` only where the
   * estimator declares a ceiling (asking for it where none is declared
   * fails).
   */
  checks?: readonly MIEstimatorCheck[];
  /**
   * The estimator's options for every check (e.g. few training steps), unless
   * a check's own options say otherwise. Default none: its defaults.
   */
  options?: MIEstimatorRegistry[M];
  /** Samples for `deterministic` and `finite` (a 2 × 2 Gaussian, ρ = 0.7, seed 4). Default 400. */
  n?: number;
  /**
   * The task `deterministic`, `finite` and `rejects-bad-input` draw their
   * samples from. Default a 2 × 2 Gaussian with ρ = 0.7; an estimator of
   * I(X; label) wants a task with a discrete y.
   */
  sample?: MITask;
  /**
   * The known-truth tasks of `accuracy`. Default: a 1 × 1 Gaussian with
   * ρ = 0.5 (0.144 nats), 2,000 samples, within a factor 1.5.
   */
  accuracy?: readonly MIAccuracyCase<M>[];
  /**
   * `ceiling`: the options (default `options`), samples (default 2,000 of a
   * 4 × 4 Gaussian with ρ = 0.999, about 13.8 nats, seed 5) and the share
   * of the ceiling the estimate must reach (default 0.5).
   */
  ceiling?: {
    options?: MIEstimatorRegistry[M];
    n?: number;
    reach?: number;
  };
}

/**
 * Holds a registered MI estimator to the family's contract (see
 * {@linkcode MIEstimatorCheck} for each property) and returns the checks it
 * passed; the first that fails throws a {@linkcode ConformanceError} naming
 * it and what was expected. The defaults are sized to take seconds for a
 * fast estimator; neural ones want few `steps` in `options`.
 *
 * @example
 * ```ts
 * import { checkMIEstimator } from "./check_mi_estimator.ts";
 * const passed = await checkMIEstimator("ksg");
 * if (!passed.includes("accuracy")) throw new Error();
 * ```
 *
 * @example A third party's estimator (declared at the top level of a module)
 * ```ts ignore
 * import { checkMIEstimator, ConformanceError } from "@infolens/infolens/testing";
 * import { registerMIEstimator } from "@infolens/infolens/mi";
 *
 * declare module "@infolens/infolens/mi" {
 *   interface MIEstimatorRegistry {
 *     "always-one-example": Record<never, never>;
 *   }
 * }
 * registerMIEstimator("always-one-example", { options: [], run: () => ({ estimate: 1 }) });
 * try {
 *   await checkMIEstimator("always-one-example");
 *   throw new Error("should have failed");
 * } catch (e) {
 *   if (!(e instanceof ConformanceError) || e.check !== "accuracy") throw e;
 * }
 * ```
 */
export async function checkMIEstimator<M extends MIMethod>(
  method: M,
  options: CheckMIEstimatorOptions<M> = {},
): Promise<MIEstimatorCheck[]> {
  const member = `MI estimator "${method}"`;
  // A name the compiler could not check fails here, before any check.
  const estimator = miEstimator(method);
  const fail = (check: string, message: string): never => {
    throw new ConformanceError(member, check, message);
  };
  const withMethod = (o: MIEstimatorRegistry[M] | undefined) =>
    ({ ...o, method }) as MIOptions;
  const base = withMethod(options.options);
  const checks = options.checks ??
    MI_ESTIMATOR_CHECKS.filter((c) => c !== "ceiling" || estimator.ceiling);

  const n = options.n ?? 400;
  const quickTask = options.sample ?? correlatedGaussian({ dim: 2, rho: 0.7 });
  const quick = quickTask.sample(n, { seed: 4 });
  let first: Promise<MIEstimate> | null = null;
  const firstRun = () => (first ??= estimateMI(quick.x, quick.y, base));

  const bodies: Record<MIEstimatorCheck, () => Promise<void>> = {
    deterministic: async () => {
      const a = await firstRun();
      const b = await estimateMI(quick.x, quick.y, base);
      if (!Object.is(a.estimate, b.estimate)) {
        fail(
          "deterministic",
          `expected the same estimate twice for the same data and options, got ${a.estimate} then ${b.estimate}`,
        );
      }
    },
    finite: async () => {
      const a = await firstRun();
      if (!Number.isFinite(a.estimate)) {
        fail("finite", `expected a finite estimate, got ${a.estimate}`);
      }
      const got = [a.method, a.n, a.dx, a.dy];
      const expected = [method, n, quickTask.dimX, quickTask.dimY];
      if (got.some((v, i) => v !== expected[i])) {
        fail(
          "finite",
          `expected the result to report method, n, dx, dy = ${expected}, got ${got}`,
        );
      }
    },
    "rejects-bad-input": async () => {
      const x = quick.x.slice(0, 10), y = quick.y.slice(0, 10);
      const refuses = async (
        what: string,
        call: () => Promise<unknown>,
        pattern?: RegExp,
      ) => {
        let error: unknown = null;
        try {
          await call();
        } catch (e) {
          error = e;
        }
        if (
          !(error instanceof MIError) ||
          (pattern && !pattern.test(error.message))
        ) {
          fail(
            "rejects-bad-input",
            `expected an MIError${
              pattern ? ` matching ${pattern}` : ""
            } for ${what}, got ${error === null ? "an estimate" : error}`,
          );
        }
      };
      await refuses(
        "x and y of different lengths",
        () => estimateMI(x, y.slice(1), base),
      );
      await refuses(
        "a NaN in x",
        () => estimateMI([[NaN, ...x[0].slice(1)], ...x.slice(1)], y, base),
      );
      await refuses(
        `an option ${method} does not take`,
        () =>
          estimateMI(x, y, { ...base, notAnOption: 1 } as unknown as MIOptions),
        new RegExp(`"notAnOption".*"${escape(method)}"`),
      );
      for (const tiny of [2, 3]) {
        try {
          const r = await estimateMI(x.slice(0, tiny), y.slice(0, tiny), base);
          if (!Number.isFinite(r.estimate)) {
            fail(
              "rejects-bad-input",
              `expected a finite estimate or an InfolensError for ${tiny} samples, got ${r.estimate}`,
            );
          }
        } catch (e) {
          if (e instanceof ConformanceError) throw e;
          if (!(e instanceof InfolensError)) {
            fail(
              "rejects-bad-input",
              `expected a finite estimate or an InfolensError for ${tiny} samples, got ${e}`,
            );
          }
        }
      }
    },
    accuracy: async () => {
      const cases = options.accuracy ?? [{
        task: correlatedGaussian({ dim: 1, rho: 0.5 }),
        factor: 1.5,
      }];
      for (const c of cases) {
        if (c.relativeError === undefined && c.factor === undefined) {
          throw new MIError(
            `accuracy case ${c.task.name}: give relativeError, factor or both`,
          );
        }
        const samples = c.n ?? 2000;
        const { x, y } = c.task.sample(samples, { seed: c.seed ?? 0 });
        const r = await estimateMI(
          x,
          y,
          c.options ? withMethod(c.options) : base,
        );
        const truth = c.task.mutualInformation;
        const rel = Math.abs(r.estimate - truth) / truth;
        const logRatio = r.estimate > 0
          ? Math.abs(Math.log(r.estimate / truth))
          : Infinity;
        const where = `on ${c.task.name} (n = ${samples}, seed ${c.seed ?? 0})`;
        if (c.relativeError !== undefined && !(rel < c.relativeError)) {
          fail(
            "accuracy",
            `expected within ${
              100 * c.relativeError
            }% of ${truth} nats ${where}, got ${r.estimate} (${
              (100 * rel).toFixed(1)
            }% off)`,
          );
        }
        if (c.factor !== undefined && !(logRatio < Math.log(c.factor))) {
          fail(
            "accuracy",
            `expected within a factor ${c.factor} of ${truth} nats ${where}, got ${r.estimate}`,
          );
        }
      }
    },
    ceiling: async () => {
      if (!estimator.ceiling) {
        fail(
          "ceiling",
          `expected a declared ceiling (MIEstimator.ceiling), but ${method} declares none`,
        );
      }
      const o = options.ceiling?.options
        ? withMethod(options.ceiling.options)
        : base;
      const ceiling = estimator.ceiling!(o);
      const reach = options.ceiling?.reach ?? 0.5;
      // Near-deterministic dependence: the true MI is far above any ceiling.
      const { x, y } = correlatedGaussian({ dim: 4, rho: 0.999 }).sample(
        options.ceiling?.n ?? 2000,
        { seed: 5 },
      );
      const r = await estimateMI(x, y, o);
      if (!(r.estimate <= ceiling + 1e-6)) {
        fail(
          "ceiling",
          `expected the estimate at most the ceiling ${ceiling}, got ${r.estimate}`,
        );
      }
      const over = (r.trace ?? []).findIndex((v) => !(v <= ceiling + 1e-5));
      if (over >= 0) {
        fail(
          "ceiling",
          `expected every training bound at most the ceiling ${ceiling}, got ${
            r.trace![over]
          } at step ${over + 1}`,
        );
      }
      if (!(r.estimate > reach * ceiling)) {
        fail(
          "ceiling",
          `expected the estimate to reach ${reach} of the ceiling ${ceiling} where the true MI is far above it, got ${r.estimate}`,
        );
      }
    },
  };

  const passed: MIEstimatorCheck[] = [];
  for (const check of checks) {
    const body = bodies[check];
    if (!body) {
      throw new MIError(
        `unknown check "${check}"; choose from ${
          MI_ESTIMATOR_CHECKS.join(", ")
        }`,
      );
    }
    await runCheck(member, check, body);
    passed.push(check);
  }
  return passed;
}

/** `s` with the characters special in a regular expression escaped. */
function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
