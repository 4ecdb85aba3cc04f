/**
 * Objectives and running one trial: what an objective is (a function, or a
 * module and export path that workers can import), the seed each trial gets,
 * and `runTrial`, which turns throws and non-finite values into failed
 * trials.
 *
 * @module
 */

import { InfolensError } from "../errors.ts";
import type { Config } from "../space/space.ts";

/** What an objective returns: one number (the objective) or named numbers. */
export type ObjectiveValue = number | Record<string, number>;

/** An objective called in this process. */
export type Objective = (
  config: Config,
  context: { seed: number; trial: number; budget?: number | null },
) => ObjectiveValue | Promise<ObjectiveValue>;

/**
 * An objective that workers can import: a module URL (or absolute path) and
 * the dotted path of the function in it, e.g.
 * `{ module: import.meta.resolve("./hsic/tasks.ts"), name: "HP_TASKS.runge.evaluate" }`.
 * The function is called as `fn(config, { seed, trial })`.
 */
export interface ObjectiveRef {
  /** The module's URL (e.g. `import.meta.url`) or absolute path. */
  module: string;
  /**
   * The dotted path of the function among the module's exports, e.g.
   * "HP_TASKS.runge.evaluate".
   */
  name: string;
}

/** The error raised for a bad sweep setup. */
export class SweepError extends InfolensError {
  /** Always "SweepError", so stack traces and logs name the class. */
  override name = "SweepError";
}

/** The seed trial `trial` of a sweep with seed `seed` evaluates with. */
export function trialSeed(seed: number, trial: number): number {
  return seed * 100_003 + trial;
}

/** Finds a function by dotted path in a module namespace. */
export function resolveObjective(
  namespace: Record<string, unknown>,
  ref: ObjectiveRef,
): Objective {
  let holder: unknown = undefined;
  let value: unknown = namespace;
  for (const part of ref.name.split(".")) {
    holder = value;
    value = (value as Record<string, unknown> | undefined)?.[part];
  }
  if (typeof value !== "function") {
    throw new SweepError(
      `${ref.module} has no function at "${ref.name}"; give the dotted path of an exported function`,
    );
  }
  return (value as Objective).bind(holder);
}

/**
 * What running one trial gave: its objectives (the main one null when it
 * failed), status, duration and, when it failed, why. (A searcher is told
 * the smaller `Outcome` of lib/search/searcher.ts.)
 */
export interface Evaluation {
  trial: number;
  objectives: Record<string, number | null>;
  status: "ok" | "failed";
  duration_s: number;
  error?: string;
  /**
   * Set when the objective returned something no trial can be made of (a
   * string, an array): the runner stops the search with this message
   * instead of failing every trial.
   */
  fatal?: string;
}

/**
 * What an objective returned as named values, or why it cannot be (a
 * string, a boolean, an array, a record holding a non-number). Null and
 * undefined stay a failed trial, as before.
 */
function objectiveValues(
  value: unknown,
  objective: string,
): Record<string, number | null> | string {
  if (typeof value === "number") return { [objective]: value };
  if (value === null || value === undefined) return {};
  const how =
    "return a number, or named numbers such as { loss: 0.3, accuracy: 0.9 }";
  if (typeof value !== "object" || Array.isArray(value)) {
    return `the objective returned ${
      Array.isArray(value) ? "an array" : `a ${typeof value}`
    } (${JSON.stringify(value)?.slice(0, 40)}); ${how}`;
  }
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== null && typeof v !== "number") {
      return `the objective returned "${k}": ${
        JSON.stringify(v)?.slice(0, 40) ?? String(v)
      } (a ${typeof v}); ${how}`;
    }
    out[k] = v;
  }
  return out;
}

/** Runs one trial, turning throws and non-finite values into a failed trial (its message in `error`). */
export async function runTrial(
  fn: Objective,
  config: Config,
  trial: number,
  seed: number,
  objective: string,
  budget: number | null = null,
): Promise<Evaluation> {
  const t0 = performance.now();
  try {
    const value = await fn(config, { seed, trial, budget });
    const objectives = objectiveValues(value, objective);
    if (typeof objectives === "string") {
      return {
        trial,
        objectives: { [objective]: null },
        status: "failed",
        duration_s: (performance.now() - t0) / 1000,
        error: objectives,
        fatal: `trial ${trial}: ${objectives}`,
      };
    }
    const main = objectives[objective];
    const ok = typeof main === "number" && Number.isFinite(main);
    if (!ok) objectives[objective] = null;
    return {
      trial,
      objectives,
      status: ok ? "ok" : "failed",
      duration_s: (performance.now() - t0) / 1000,
      error: ok ? undefined : `objective "${objective}" was ${main}`,
    };
  } catch (e) {
    return {
      trial,
      objectives: { [objective]: null },
      status: "failed",
      duration_s: (performance.now() - t0) / 1000,
      error: e instanceof Error ? e.message : String(e),
    };
  }
}
