/**
 * The trial runner's loop for a study many workers share (the PostgreSQL
 * store): each ask rebuilds the method from the study's trials, finished
 * and pending, under the study's row lock, so that every worker's proposal
 * sees every other worker's; a trial is claimed by one worker, beaten for
 * while it runs, and stored when it finishes; stale trials are failed or
 * re-queued before each claim. The loop ends when the study has its budget
 * of finished trials.
 *
 * @module
 */

import type pl from "nodejs-polars";
import type { SearchSpace } from "../space/space.ts";
import { type Searcher, SearchError } from "../search/searcher.ts";
import {
  type Evaluation,
  type Objective,
  type ObjectiveRef,
  SweepError,
  trialSeed,
} from "./objective.ts";
import { trialRow, type TrialSchema, trialsFrame } from "./trials.ts";
import type { SearcherState } from "./store.ts";
import type {
  Claim,
  PostgresStore,
  Proposal,
  StudyTrial,
} from "./postgres_store.ts";
import {
  finishedTrial,
  inProcess,
  type Run,
  type RunOptions,
  storedConfigMismatch,
  WorkerPool,
} from "./_runner.ts";
import { progress } from "../viz/progress.ts";

/**
 * The next trial of a shared study: a fresh method takes the study's
 * trials (at once when it can restore them, else asked and told again,
 * checked to propose the same), then is asked once. Null when the method
 * must wait for pending trials.
 */
export function proposeShared(
  fresh: () => Searcher,
  space: SearchSpace,
  options: RunOptions,
  trials: readonly StudyTrial[],
  saved: SearcherState | null,
): Proposal | null {
  const key = options.key ?? {};
  if (saved && JSON.stringify(saved.key) !== JSON.stringify(key)) {
    throw new SearchError(
      `this study was started by ${
        JSON.stringify(saved.key)
      }, but this worker runs ${
        JSON.stringify(key)
      }; run the same method and seed on a study, or use another study`,
    );
  }
  const searcher = fresh();
  const finished = trials.filter((t) => t.row !== null).map((t) =>
    finishedTrial(space, t.row!, options.objective)
  );
  const pending = trials.filter((t) => t.row === null).map((t) => ({
    trial: t.trial,
    config: t.config,
    budget: t.budget,
  }));
  let restored = trials.length === 0;
  if (!restored && searcher.restore) {
    const usable = !searcher.snapshot || saved?.trials === trials.length;
    restored = usable &&
      searcher.restore(finished, saved?.state ?? undefined, pending);
  }
  if (!restored) {
    // Methods that draw from a fixed stream propose the same again.
    for (const t of trials) {
      const s = searcher.ask();
      const same = s.trial === t.trial && s.budget === t.budget &&
        (t.row
          ? storedConfigMismatch(space, t.row, s.config) === null
          : JSON.stringify(s.config) === JSON.stringify(t.config));
      if (!same) {
        throw new SearchError(
          `${options.label} cannot share a study between workers: asked again, it does not propose trial ${t.trial} as stored (its proposals depend on when results arrive); use a method that restores (e.g. tpe, gp-ei) or one worker`,
        );
      }
      if (t.row) {
        const f = finishedTrial(space, t.row, options.objective);
        searcher.tell(s.trial, f.outcome);
      }
    }
  }
  if (searcher.canAsk && !searcher.canAsk()) return null;
  const s = searcher.ask();
  if (s.trial !== trials.length) {
    throw new SearchError(
      `${options.label} proposed trial ${s.trial} where the study's next is ${trials.length}`,
    );
  }
  return {
    config: s.config,
    budget: s.budget,
    seed: trialSeed(options.seed, s.trial),
    state: {
      key,
      trials: trials.length + 1,
      state: searcher.snapshot?.() ?? null,
    },
  };
}

/** A name no other worker has: host, process, and a random tag. */
function workerName(): string {
  let host = "localhost";
  try {
    host = Deno.hostname();
  } catch { /* no --allow-sys */ }
  const tag = crypto.getRandomValues(new Uint32Array(1))[0].toString(36);
  return `${host}:${Deno.pid}:${tag}`;
}

/**
 * Runs one worker of a shared study until the study has `budget` finished
 * trials, and returns the study's trials table (every worker's trials).
 */
export async function runShared(
  store: PostgresStore,
  space: SearchSpace,
  objective: Objective | ObjectiveRef,
  options: RunOptions & { workers: number },
  schema: TrialSchema,
): Promise<pl.DataFrame> {
  const fresh = options.fresh;
  if (!fresh) {
    throw new SweepError(
      `${options.label}: a shared study (${store.location}) needs the method by name (e.g. method: "tpe"), so that each worker can rebuild it from the study's trials`,
    );
  }
  const name = options.objective;
  const worker = workerName();
  const bar = progress({
    total: options.budget,
    label: options.label,
    mode: options.progress ?? "auto",
  });
  bar.update((await store.counts()).finished);
  const slots = options.workers;
  const run: Run = slots === 1
    ? await inProcess(objective, name)
    : await WorkerPool.start(objective as ObjectiveRef, slots, name);
  const beat = store.startHeartbeat(worker);
  try {
    const running = new Map<number, Promise<[Claim, Evaluation]>>();
    while (true) {
      while (running.size < slots) {
        await store.reapStale();
        const c = await store.claim(
          worker,
          options.budget,
          (trials, saved) =>
            proposeShared(fresh, space, options, trials, saved),
        );
        if (c === null) break;
        beat.add(c.trial);
        running.set(
          c.trial,
          run({ trial: c.trial, config: c.config, budget: c.budget }, c.seed)
            .then((e) => [c, e]),
        );
      }
      if (running.size === 0) {
        const n = await store.counts();
        if (n.running === 0 && n.queued === 0 && n.total >= options.budget) {
          break;
        }
        // Other workers' trials are still out: wait for them, or for them
        // to go stale and be re-queued.
        await new Promise((r) =>
          setTimeout(r, 500 * Math.min(store.heartbeatInterval, 2))
        );
        continue;
      }
      const [c, e] = await Promise.race(running.values());
      running.delete(c.trial);
      beat.delete(c.trial);
      if (e.fatal) throw new SweepError(`${options.label}: ${e.fatal}`);
      if (e.error) {
        console.error(`${options.label}: trial ${e.trial} failed: ${e.error}`);
      }
      const row = trialRow({
        trial: e.trial,
        config: c.config,
        budget: c.budget,
        objectives: e.objectives,
        seed: c.seed,
        duration_s: e.duration_s,
        status: e.status,
      });
      if (!(await store.finish(worker, row))) {
        console.error(
          `${options.label}: trial ${e.trial} was given up as stale while it ran (its heartbeats stopped for over ${store.grace} s); its result is dropped`,
        );
      }
      bar.tick(1);
    }
  } finally {
    beat.stop();
    run.close?.();
  }
  bar.done();
  await store.refresh();
  const rows = store.rows().filter((r) => (r.trial as number) < options.budget)
    .sort((a, b) => (a.trial as number) - (b.trial as number));
  return trialsFrame(rows, { ...schema, ...store.schema });
}
