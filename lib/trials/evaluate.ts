/**
 * `sweep`: evaluates seeded random configurations of a search space, appends
 * each finished trial to a store as it lands, resumes where a killed sweep
 * stopped, and spreads the work over Deno Workers.
 *
 * @module
 */

import { InfolensError } from "../errors.ts";

import type { DataFrame } from "../_frame.ts";
import type { Config, SearchSpace } from "../space/space.ts";
import {
  type TrialRow,
  trialRow,
  type TrialSchema,
  trialSchema,
  trialsFrame,
  TrialStore,
} from "./trials.ts";
import { progress, type ProgressMode } from "../viz/progress.ts";

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

/** Options of {@linkcode evaluateTrials}. */
export interface EvaluateOptions {
  /** Seed of the configurations and of each trial's seed; default 0. */
  seed?: number;
  /** A store path (JSON Lines) or an open store: rows appended as they finish, done trials skipped. */
  store?: string | TrialStore;
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

export interface Outcome {
  trial: number;
  objectives: Record<string, number | null>;
  status: "ok" | "failed";
  duration_s: number;
  error?: string;
}

/** Runs one trial, turning throws and non-finite values into a failed trial (its message in `error`). */
export async function runTrial(
  fn: Objective,
  config: Config,
  trial: number,
  seed: number,
  objective: string,
  budget: number | null = null,
): Promise<Outcome> {
  const t0 = performance.now();
  try {
    const value = await fn(config, { seed, trial, budget });
    const objectives: Record<string, number | null> = typeof value === "number"
      ? { [objective]: value }
      : { ...value };
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

/** Opens a store path with `schema`, or passes an open store (or none) through. */
export async function openStore(
  store: string | TrialStore | undefined,
  schema: TrialSchema,
): Promise<TrialStore | undefined> {
  return typeof store === "string"
    ? await TrialStore.open(store, { schema })
    : store;
}

/**
 * The first hyperparameter whose value in a stored row differs from
 * `config` (null for an inactive one), or null when they agree: how a
 * resumed run checks that the store was made by the same run.
 */
export function storedConfigMismatch(
  space: SearchSpace,
  row: TrialRow,
  config: Config,
): string | null {
  return space.names.find((p) => (row[p] ?? undefined) !== config[p]) ?? null;
}

/**
 * Turns a finished trial into a row of the table, says on stderr why it
 * failed if it did, and appends it to the store when there is one.
 */
export async function recordOutcome(
  o: Outcome,
  config: Config,
  budget: number | null,
  seed: number,
  store: TrialStore | undefined,
  label: string,
): Promise<TrialRow> {
  if (o.error) console.error(`${label}: trial ${o.trial} failed: ${o.error}`);
  const row = trialRow({
    trial: o.trial,
    config,
    budget,
    objectives: o.objectives,
    seed: trialSeed(seed, o.trial),
    duration_s: o.duration_s,
    status: o.status,
  });
  return store ? await store.append(row) : row;
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
  const n = configs.length;
  const seed = options.seed ?? 0;
  const name = options.objective ?? "loss";
  // Refuses an objective named like a hyperparameter before any work.
  const schema = trialSchema(space, [name]);
  const workers = options.workers === "auto"
    ? navigator.hardwareConcurrency
    : options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new SweepError(
      `workers must be a positive integer or "auto", got ${options.workers}`,
    );
  }
  if (workers > 1 && typeof objective === "function") {
    throw new SweepError(
      "workers > 1 need an objective they can import: pass { module, name } (see ObjectiveRef) instead of a function",
    );
  }
  const store = await openStore(options.store, schema);
  const rows: TrialRow[] = [];
  if (store) {
    for (const row of store.rows()) {
      const t = row.trial as number;
      if (t >= n) continue;
      const p = storedConfigMismatch(space, row, configs[t]);
      if (p !== null) {
        throw new SweepError(
          `${store.path} holds trial ${t} with ${p} = ${
            row[p]
          }, but this sweep's trial ${t} has ${p} = ${
            configs[t][p]
          }; resume with the seed and space that made the store, or use a new store`,
        );
      }
      rows.push(row);
    }
  }
  const done = new Set(rows.map((r) => r.trial as number));
  const todo = configs.map((_, i) => i).filter((i) => !done.has(i));
  const bar = progress({
    total: n,
    label: options.label ?? "sweep",
    mode: options.progress ?? "auto",
  });
  bar.update(done.size);
  let best = Infinity;
  for (const r of rows) {
    if (typeof r[name] === "number") best = Math.min(best, r[name] as number);
  }

  const record = async (o: Outcome) => {
    rows.push(
      await recordOutcome(o, configs[o.trial], null, seed, store, "sweep"),
    );
    const v = o.objectives[name];
    if (typeof v === "number") best = Math.min(best, v);
    bar.tick(1, { best: Number.isFinite(best) ? best.toPrecision(4) : "-" });
  };

  if (todo.length === 0) {
    // Everything is in the store: nothing to start.
  } else if (workers === 1) {
    const fn = typeof objective === "function"
      ? objective
      : resolveObjective(await import(objective.module), objective);
    for (const i of todo) {
      await record(
        await runTrial(fn, configs[i], i, trialSeed(seed, i), name),
      );
    }
  } else {
    await runInWorkers(
      objective as ObjectiveRef,
      todo,
      configs,
      seed,
      name,
      Math.min(workers, Math.max(1, todo.length)),
      record,
    );
  }
  bar.done();
  rows.sort((a, b) => (a.trial as number) - (b.trial as number));
  return trialsFrame(rows, { ...schema, ...(store?.schema ?? {}) });
}

async function runInWorkers(
  ref: ObjectiveRef,
  todo: number[],
  configs: readonly Config[],
  seed: number,
  objective: string,
  count: number,
  record: (o: Outcome) => Promise<void>,
): Promise<void> {
  const queue = [...todo];
  let failure: Error | null = null;
  // Appends are chained so rows land in the store one at a time.
  let chain = Promise.resolve();
  const one = () =>
    new Promise<void>((resolve) => {
      const worker = new Worker(
        new URL("./_evaluate_worker.ts", import.meta.url).href,
        { type: "module" },
      );
      const next = () => {
        const i = queue.shift();
        if (i === undefined || failure) {
          worker.terminate();
          resolve();
          return;
        }
        worker.postMessage({
          trial: i,
          config: configs[i],
          seed: trialSeed(seed, i),
          objective,
        });
      };
      worker.onmessage = (e: MessageEvent) => {
        const msg = e.data;
        if (msg.type === "ready") return next();
        if (msg.type === "setup-error") {
          failure = new SweepError(msg.error);
          worker.terminate();
          return resolve();
        }
        chain = chain.then(() => record(msg.outcome));
        chain.then(next, (err) => {
          failure = err;
          worker.terminate();
          resolve();
        });
      };
      worker.onerror = (e) => {
        e.preventDefault();
        failure = new SweepError(`a sweep worker crashed: ${e.message}`);
        resolve();
      };
      worker.postMessage({ type: "setup", ref });
    });
  await Promise.all(Array.from({ length: count }, one));
  await chain;
  if (failure) throw failure;
}
