/**
 * `sweep`: evaluates seeded random configurations of a search space, appends
 * each finished trial to a store as it lands, resumes where a killed sweep
 * stopped, and spreads the work over Deno Workers. It is the trial runner
 * (the one `optimize` uses) with a fixed design for a method.
 *
 * @module
 */

import type { DataFrame } from "../_frame.ts";
import type { Config, SearchSpace } from "../space/space.ts";
import { DesignSearcher } from "../search/design.ts";
import type { Store } from "./store.ts";
import type { ProgressMode } from "../viz/progress.ts";
import { type Objective, type ObjectiveRef, SweepError } from "./objective.ts";
import { runTrials, storeFor } from "./_runner.ts";
import { trialSchema } from "./trials.ts";

export {
  type Evaluation,
  type Objective,
  type ObjectiveRef,
  type ObjectiveValue,
  resolveObjective,
  runTrial,
  SweepError,
  trialSeed,
} from "./objective.ts";

/** Options of {@linkcode evaluateTrials}. */
export interface EvaluateOptions {
  /** Seed of the configurations and of each trial's seed; default 0. */
  seed?: number;
  /**
   * A store path (JSON Lines), a `postgres://` URL (a study many workers
   * share) or an open store: rows appended as they finish, done trials
   * skipped.
   */
  store?: string | Store;
  /** Parallel workers: a number or "auto" (one per core). Default 1 (in this process). */
  workers?: number | "auto";
  /** The objective's column when it returns a number; default "loss". */
  objective?: string;
  /** Progress display; default "auto". */
  progress?: ProgressMode;
  /** The progress label; default "sweep". */
  label?: string;
}

/** Options of {@linkcode sweep}. */
export interface SweepOptions extends EvaluateOptions {
  /** How many configurations in all (a resumed sweep runs the missing ones). */
  n: number;
}

/**
 * Evaluates `n` seeded random configurations of `space` and returns the
 * trials table. Trial i always evaluates `space.sampleMany(n, seed)[i]` with
 * seed {@linkcode trialSeed}(seed, i), so a resumed sweep (same store, same
 * seed) runs exactly the missing trials and gives the same table as an
 * uninterrupted one. An objective that throws or returns a non-finite value
 * gives a "failed" trial (its message on stderr) and the sweep goes on.
 *
 * Workers need an {@linkcode ObjectiveRef} (a function cannot be sent to a
 * worker); each worker imports the module once.
 *
 * @example
 * ```ts
 * import { SearchSpace, float } from "../space/space.ts";
 * import { sweep } from "./evaluate.ts";
 * const space = new SearchSpace({ x: float(-1, 1) });
 * const df = await sweep(space, (c) => (c.x as number) ** 2, { n: 5, progress: "quiet" });
 * if (df.height !== 5) throw new Error();
 * ```
 */
export function sweep(
  space: SearchSpace,
  objective: Objective | ObjectiveRef,
  options: SweepOptions,
): Promise<DataFrame> {
  const n = options.n;
  if (!Number.isInteger(n) || n < 1) {
    return Promise.reject(
      new SweepError(`n must be a positive integer, got ${n}`),
    );
  }
  const { n: _, ...rest } = options;
  return evaluateTrials(
    space,
    space.sampleMany(n, options.seed ?? 0),
    objective,
    rest,
  );
}

/**
 * Evaluates the given configurations as trials 0, 1, … (trial i is
 * `configs[i]`, with seed {@linkcode trialSeed}(seed, i)) and returns the
 * trials table. With a store, trials already in it are checked against
 * `configs` and skipped, and each new one is appended as it finishes; so a
 * caller that extends `configs` round by round (an adaptive search) resumes
 * by recomputing the same list. See {@linkcode sweep} for failures and
 * workers.
 *
 * @example
 * ```ts
 * import { SearchSpace, float } from "../space/space.ts";
 * import { evaluateTrials } from "./evaluate.ts";
 * const space = new SearchSpace({ x: float(-1, 1) });
 * const df = await evaluateTrials(space, [{ x: 0.5 }, { x: -0.2 }], (c) => (c.x as number) ** 2, { progress: "quiet" });
 * if (df.getColumn("loss").toArray()[0] !== 0.25) throw new Error();
 * ```
 */
export async function evaluateTrials(
  space: SearchSpace,
  configs: readonly Config[],
  objective: Objective | ObjectiveRef,
  options: EvaluateOptions = {},
): Promise<DataFrame> {
  const name = options.objective ?? "loss";
  const store = await storeFor(options.store, trialSchema(space, [name]));
  const design = () =>
    new DesignSearcher(configs, ({ suggestion }) => {
      const t = suggestion.trial;
      const stored = suggestion.config;
      const p = space.names.find((q) => stored[q] !== configs[t][q]);
      return p === undefined ? null : new SweepError(
        `${store!.location} holds trial ${t} with ${p} = ${
          stored[p] ?? null
        }, but this sweep's trial ${t} has ${p} = ${
          configs[t][p]
        }; resume with the seed and space that made the store, or use a new store`,
      );
    });
  try {
    return await runTrials(design(), space, objective, {
      budget: configs.length,
      seed: options.seed ?? 0,
      objective: name,
      store,
      workers: options.workers,
      progress: options.progress,
      label: options.label ?? "sweep",
      fresh: design,
    });
  } finally {
    // A store opened here is closed here (a database holds connections).
    if (typeof options.store === "string") await store?.close();
  }
}
