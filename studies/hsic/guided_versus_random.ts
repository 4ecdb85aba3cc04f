/**
 * HSIC-guided search against random search at equal budget on an HP task,
 * over seeds: the best objective each reached, as rows, and their mean ± SE.
 *
 * @module
 */

import pl from "nodejs-polars";
import { join } from "node:path";
import { optimize } from "../../lib/search/optimize.ts";
import { HsicGuidedSearcher } from "../../lib/search/hsic_guided.ts";
import { DesignSearcher } from "../../lib/search/design.ts";
import { HP_TASKS, hpTaskObjective } from "../../lib/nets/mlp_benchmarks.ts";

/** Options of {@linkcode guidedVersusRandom}. */
export interface VersusOptions {
  /** Evaluations per search; default 60. */
  budget?: number;
  /** The guided search's uniform first round; default half the budget. */
  initial?: number;
  /** Evaluations per later guided round; default 15. */
  perRound?: number;
  /** Seeds 0..seeds−1; default 5. */
  seeds?: number;
  /** A folder for one trials store per search (resumable); none by default. */
  storeDir?: string;
  workers?: number | "auto";
  progress?: "auto" | "quiet";
}

/**
 * Runs both searches on `HP_TASKS[task]` for each seed and returns one row
 * per (method, seed): `task, method, seed, best, budget`. With `storeDir`,
 * each search keeps its trials in `<task>-<method>-<seed>.jsonl` there, so a
 * rerun resumes (or, when complete, just reads them back).
 *
 * @example
 * ```ts ignore
 * import { guidedVersusRandom, versusSummary } from "./guided_versus_random.ts";
 * const rows = await guidedVersusRandom("runge", { budget: 40, seeds: 3 });
 * console.log(versusSummary(rows).toRecords());
 * ```
 */
export async function guidedVersusRandom(
  task: keyof typeof HP_TASKS,
  options: VersusOptions = {},
): Promise<pl.DataFrame> {
  const t = HP_TASKS[task];
  const budget = options.budget ?? 60;
  const ref = hpTaskObjective(task);
  const rows: {
    task: string;
    method: string;
    seed: number;
    best: number;
    budget: number;
  }[] = [];
  const store = (method: string, seed: number) =>
    options.storeDir
      ? join(options.storeDir, `${task}-${method}-${seed}.jsonl`)
      : undefined;
  const best = (df: pl.DataFrame) =>
    Math.min(
      ...(df.getColumn("loss").toArray() as (number | null)[]).filter((
        v,
      ): v is number => v !== null),
    );
  for (let seed = 0; seed < (options.seeds ?? 5); seed++) {
    const common = {
      seed,
      workers: options.workers,
      progress: options.progress,
    };
    // Both through the one trial runner: the guided search, and random
    // search as the seeded design `sweep` evaluates (what the stores hold).
    const guided = await optimize(ref, t.space, {
      ...common,
      budget,
      method: new HsicGuidedSearcher({
        space: t.space,
        seed,
        budget,
        initial: options.initial,
        perRound: options.perRound ?? 15,
      }),
      store: store("hsic-guided", seed),
    });
    rows.push({
      task,
      method: "hsic-guided",
      seed,
      best: best(guided),
      budget,
    });
    const random = await optimize(ref, t.space, {
      ...common,
      budget,
      method: new DesignSearcher(t.space.sampleMany(budget, seed)),
      label: "random",
      store: store("random", seed),
    });
    rows.push({ task, method: "random", seed, best: best(random), budget });
  }
  return pl.readRecords(rows);
}

/**
 * Mean and standard error of the best objective per task and method.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { versusSummary } from "./guided_versus_random.ts";
 * const s = versusSummary(pl.readRecords([
 *   { task: "t", method: "random", seed: 0, best: 1, budget: 10 },
 *   { task: "t", method: "random", seed: 1, best: 3, budget: 10 },
 * ]));
 * if (s.getColumn("mean").toArray()[0] !== 2) throw new Error();
 * ```
 */
export function versusSummary(rows: pl.DataFrame): pl.DataFrame {
  return rows.groupBy(["task", "method"]).agg(
    pl.col("best").mean().alias("mean"),
    (pl.col("best").std().div(pl.col("best").count().pow(0.5))).alias("se"),
    pl.col("best").count().alias("seeds"),
  ).sort(["task", "method"]);
}
