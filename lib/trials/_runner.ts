/**
 * The one trial runner: drives any ask/tell method (a search, or a fixed
 * design for `sweep`) on an objective, in this process or in parallel
 * workers, appends every finished trial to the store, and resumes from it.
 * `optimize`, `sweep`, `evaluateTrials` and `hsicGuidedSearch` are all this
 * loop with different methods.
 *
 * @module
 */

import type pl from "nodejs-polars";
import type { Config, Scalar, SearchSpace } from "../space/space.ts";
import {
  type FinishedTrial,
  type Searcher,
  SearchError,
  type Suggestion,
} from "../search/searcher.ts";
import {
  type Evaluation,
  type Objective,
  type ObjectiveRef,
  resolveObjective,
  runTrial,
  SweepError,
  trialSeed,
} from "./objective.ts";
import {
  type TrialRow,
  trialRow,
  type TrialSchema,
  trialSchema,
  trialsFrame,
} from "./trials.ts";
import { openStore, type Store } from "./store.ts";
import { progress, type ProgressMode } from "../viz/progress.ts";

/** Options of {@linkcode runTrials}. */
export interface RunOptions {
  /** Trials in all, stored ones included; stored trials numbered past it are left out. */
  budget: number;
  /** The run's seed: trial t evaluates with `trialSeed(seed, t)`. */
  seed: number;
  /** The objective's column. */
  objective: string;
  /**
   * A store path or URL (see `openStore`) or an open store: appended as
   * trials finish; a rerun resumes. A PostgreSQL study is shared: every
   * process running the same search on it is one more worker.
   */
  store?: string | Store;
  /**
   * Builds the method afresh, as `searcher` was built: how a worker of a
   * shared study rebuilds it from the study's trials at each ask.
   */
  fresh?: () => Searcher;
  /** Parallel workers: a number or "auto" (one per core); default 1. */
  workers?: number | "auto";
  progress?: ProgressMode;
  /** The progress label and the name in failure messages. */
  label: string;
  /**
   * What else a saved searcher state must agree on to be restored (method,
   * seed, direction), as JSON; none by default.
   */
  key?: Record<string, unknown>;
}

/**
 * Refuses, before any trial, an objective that is neither a function nor an
 * {@linkcode ObjectiveRef}: every trial would fail the same way.
 */
export function checkObjective(objective: unknown, label: string): void {
  if (typeof objective === "function") return;
  const ref = objective as Partial<ObjectiveRef> | null;
  if (
    ref !== null && typeof ref === "object" &&
    typeof ref.module === "string" && typeof ref.name === "string"
  ) return;
  let shown: string;
  try {
    shown = JSON.stringify(objective)?.slice(0, 60) ?? String(objective);
  } catch {
    shown = String(objective);
  }
  throw new SweepError(
    `${label}: the objective must be a function (config, { seed, trial }) => number, or { module, name } naming an exported one (ObjectiveRef); got ${
      typeof objective === "object" ? shown : `a ${typeof objective} (${shown})`
    }`,
  );
}

/**
 * Refuses to resume from stored trials that hold no value in the objective
 * column while holding numbers in another: a search resumed with another
 * `objective` would tell its method null for every stored trial.
 */
export function checkObjectiveColumn(
  space: SearchSpace,
  rows: readonly TrialRow[],
  objective: string,
  location: string,
): void {
  const ok = rows.filter((r) => r.status === "ok");
  if (ok.length === 0 || ok.some((r) => typeof r[objective] === "number")) {
    return;
  }
  const fixed = new Set([
    ...space.names,
    "trial",
    "budget",
    "seed",
    "duration_s",
    "status",
  ]);
  const others = Object.keys(ok[0]).filter((c) =>
    !fixed.has(c) && typeof ok[0][c] === "number"
  );
  throw new SweepError(
    `${location}: its ${ok.length} finished trials have no "${objective}" value${
      others.length > 0
        ? ` (their objective column looks like ${
          others.map((c) => `"${c}"`).join(" or ")
        })`
        : ""
    }; resume with the objective the store was made with (objective: "${
      others[0] ?? "…"
    }"), or use a new store`,
  );
}

/** Opens a store path or URL with `schema`, or passes an open store (or none) through. */
export async function storeFor(
  store: string | Store | undefined,
  schema: TrialSchema,
): Promise<Store | undefined> {
  return typeof store === "string" ? await openStore(store, { schema }) : store;
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

/** A stored row as the trial a method asked and was told. */
export function finishedTrial(
  space: SearchSpace,
  row: TrialRow,
  objective: string,
): FinishedTrial {
  const config: Config = {};
  for (const p of space.names) {
    const v = row[p];
    if (v !== null && v !== undefined) config[p] = v as Scalar;
  }
  const v = row[objective];
  return {
    suggestion: {
      trial: row.trial as number,
      config,
      budget: (row.budget ?? null) as number | null,
    },
    outcome: {
      value: typeof v === "number" ? v : null,
      status: row.status as "ok" | "failed" | "pruned",
    },
  };
}

/**
 * Hands the stored trials to the method: at once when it can restore them
 * (with its saved state when it needs one), else by asking and telling them
 * one by one, checking that it proposes each again. Returns the rows.
 */
async function resume(
  searcher: Searcher,
  space: SearchSpace,
  store: Store,
  options: RunOptions,
): Promise<TrialRow[]> {
  const rows = store.rows()
    .filter((r) => (r.trial as number) < options.budget)
    .sort((a, b) => (a.trial as number) - (b.trial as number));
  if (rows.length === 0) return rows;
  checkObjectiveColumn(space, rows, options.objective, store.location);
  const finished = rows.map((r) => finishedTrial(space, r, options.objective));
  let restored = 0;
  if (searcher.restore) {
    const saved = searcher.snapshot ? await store.readSearcherState() : null;
    const usable = saved !== null && saved.trials <= rows.length &&
      JSON.stringify(saved.key) === JSON.stringify(options.key ?? {});
    const count = usable ? saved.trials : rows.length;
    if (
      searcher.restore(
        finished.slice(0, count),
        usable ? saved.state : undefined,
      )
    ) {
      restored = count;
    }
  }
  for (let i = restored; i < rows.length; i++) {
    const { suggestion, outcome } = finished[i];
    const s = searcher.ask();
    const same = s.trial === suggestion.trial &&
      s.budget === suggestion.budget &&
      storedConfigMismatch(space, rows[i], s.config) === null;
    if (!same) {
      throw new SearchError(
        `${store.location} holds trial ${suggestion.trial}, but ${options.label} with seed ${options.seed} proposes something else there; resume with the method and seed that made the store, or use a new store`,
      );
    }
    searcher.tell(s.trial, outcome);
  }
  return rows;
}

/**
 * Runs `searcher` on `objective` until `budget` trials are in the table, and
 * returns the table (in trial order). Throws and non-finite values become
 * "failed" trials (said on stderr) that the method is told about. With more
 * than one worker (the objective must then be an {@linkcode ObjectiveRef})
 * the method is asked ahead, up to one pending trial per worker, whenever
 * its `canAsk` allows. With a store, the trials in it are handed to the
 * method first (see `Searcher.restore`), and the method's state is saved
 * beside the store whenever nothing is pending, so that a model-based method
 * resumes without refitting per stored trial.
 */
export async function runTrials(
  searcher: Searcher,
  space: SearchSpace,
  objective: Objective | ObjectiveRef,
  options: RunOptions,
): Promise<pl.DataFrame> {
  const name = options.objective;
  checkObjective(objective, options.label);
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
  const store = await storeFor(options.store, schema);
  // A store opened here is closed here (a database holds connections).
  const opened = typeof options.store === "string" ? store : undefined;
  try {
    if (store && "shared" in store) {
      const { runShared } = await import("./_shared_runner.ts");
      return await runShared(
        // deno-lint-ignore no-explicit-any
        store as any,
        space,
        objective,
        { ...options, workers },
        schema,
      );
    }
    return await runLocal(
      searcher,
      space,
      objective,
      options,
      store,
      schema,
      workers,
    );
  } finally {
    await opened?.close();
  }
}

/** The loop of {@linkcode runTrials} for a file store (or none). */
async function runLocal(
  searcher: Searcher,
  space: SearchSpace,
  objective: Objective | ObjectiveRef,
  options: RunOptions,
  store: Store | undefined,
  schema: TrialSchema,
  workers: number,
): Promise<pl.DataFrame> {
  const name = options.objective;
  const rows = store ? await resume(searcher, space, store, options) : [];
  const bar = progress({
    total: options.budget,
    label: options.label,
    mode: options.progress ?? "auto",
  });
  bar.update(rows.length);
  let best = Infinity;
  for (const r of rows) {
    if (typeof r[name] === "number") best = Math.min(best, r[name] as number);
  }
  const todo = options.budget - rows.length;
  if (todo > 0) {
    const run = workers === 1
      ? await inProcess(objective, name)
      : await WorkerPool.start(
        objective as ObjectiveRef,
        Math.min(workers, todo),
        name,
      );
    try {
      const running = new Map<number, Promise<[Suggestion, Evaluation]>>();
      let asked = 0;
      while (asked < todo || running.size > 0) {
        while (
          asked < todo && running.size < workers &&
          (searcher.canAsk?.() ?? true)
        ) {
          const s = searcher.ask();
          asked++;
          running.set(
            s.trial,
            run(s, trialSeed(options.seed, s.trial)).then((e) => [s, e]),
          );
        }
        if (running.size === 0) {
          throw new SearchError(
            `${options.label} cannot propose a trial while none is pending`,
          );
        }
        const [s, e] = await Promise.race(running.values());
        running.delete(s.trial);
        if (e.fatal) throw new SweepError(`${options.label}: ${e.fatal}`);
        if (e.error) {
          console.error(
            `${options.label}: trial ${e.trial} failed: ${e.error}`,
          );
        }
        const row = trialRow({
          trial: e.trial,
          config: s.config,
          budget: s.budget,
          objectives: e.objectives,
          seed: trialSeed(options.seed, e.trial),
          duration_s: e.duration_s,
          status: e.status,
        });
        rows.push(store ? await store.append(row) : row);
        const value = e.objectives[name];
        searcher.tell(s.trial, {
          value: typeof value === "number" ? value : null,
          status: e.status,
        });
        if (typeof value === "number") best = Math.min(best, value);
        if (store && searcher.snapshot && running.size === 0) {
          await store.writeSearcherState({
            key: options.key ?? {},
            trials: rows.length,
            state: searcher.snapshot(),
          });
        }
        bar.tick(1, {
          best: Number.isFinite(best) ? best.toPrecision(4) : "-",
        });
      }
    } finally {
      run.close?.();
    }
  }
  bar.done();
  rows.sort((a, b) => (a.trial as number) - (b.trial as number));
  return trialsFrame(rows, { ...schema, ...(store?.schema ?? {}) });
}

/** Evaluates one suggestion with the trial's seed. */
export type Run = ((s: Suggestion, seed: number) => Promise<Evaluation>) & {
  close?: () => void;
};

/** Evaluates in this process (importing an {@linkcode ObjectiveRef}'s module). */
export async function inProcess(
  objective: Objective | ObjectiveRef,
  name: string,
): Promise<Run> {
  const fn = typeof objective === "function"
    ? objective
    : resolveObjective(await import(objective.module), objective);
  return (s, seed) => runTrial(fn, s.config, s.trial, seed, name, s.budget);
}

/** Deno Workers that each import the objective's module once. */
export const WorkerPool = {
  async start(ref: ObjectiveRef, count: number, name: string): Promise<Run> {
    const all: Worker[] = [];
    const idle: Worker[] = [];
    const close = () => all.forEach((w) => w.terminate());
    try {
      await Promise.all(
        Array.from(
          { length: count },
          () =>
            new Promise<void>((resolve, reject) => {
              const worker = new Worker(
                new URL("./_evaluate_worker.ts", import.meta.url).href,
                { type: "module" },
              );
              all.push(worker);
              worker.onmessage = (e: MessageEvent) => {
                if (e.data.type === "ready") {
                  idle.push(worker);
                  resolve();
                } else reject(new SweepError(e.data.error));
              };
              worker.onerror = (e) => {
                e.preventDefault();
                reject(new SweepError(`a sweep worker crashed: ${e.message}`));
              };
              worker.postMessage({ type: "setup", ref });
            }),
        ),
      );
    } catch (e) {
      close();
      throw e;
    }
    const run: Run = (s, seed) =>
      new Promise<Evaluation>((resolve, reject) => {
        // The runner never has more trials running than workers.
        const worker = idle.pop()!;
        worker.onmessage = (e: MessageEvent) => {
          idle.push(worker);
          resolve(e.data.outcome);
        };
        worker.onerror = (e) => {
          e.preventDefault();
          reject(new SweepError(`a sweep worker crashed: ${e.message}`));
        };
        worker.postMessage({
          trial: s.trial,
          config: s.config,
          seed,
          objective: name,
          budget: s.budget,
        });
      });
    run.close = close;
    return run;
  },
};
