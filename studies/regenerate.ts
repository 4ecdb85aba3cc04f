/**
 * `deno task regenerate <name> [--n N] [--workers W]`: the project's named sweeps,
 * whose tables ship in data/ (see data/README.md). A sweep resumes from its
 * store, so an interrupted run is continued by running the same command.
 *
 * - `hsic-runge`: 500 random MLP configurations on the Runge task
 *   (`HP_TASKS.runge`), seed 0 → `data/hsic_runge_trials.jsonl`.
 * - `hsic-bateman`: 200 on the Bateman task, seed 0 →
 *   `data/hsic_bateman_trials.jsonl`.
 * - `hsic-guided`: HSIC-guided (a uniform first round of 30, then rounds of
 *   15) against random search, budget 60, seeds 0–4,
 *   on Runge and Bateman → one store per search in `data/hsic_guided/`.
 * - `predictors [--shard i/n] [--merge]`: the MI-conditioned predictors'
 *   sweep (`lib/predict/sweep.ts`): 425 architectures over the 25 tasks,
 *   stores under `.cache/predictor_sweep/`; without `--shard` it runs
 *   everything and merges, with it one shard, and `--merge` joins the shard
 *   stores → `data/predictor_sweep.parquet`.
 * - `cnn-signals [--shard i/n] [--merge] [--full]`: the CNN sweep with
 *   every early signal (`studies/predictors/cnn_sweep.ts`): `CNN_SMALL`
 *   (16 small CNNs on each of 3 image tasks) → `data/cnn_small_sweep.parquet`, or with
 *   `--full` the thesis's space on every image task → `data/cnn_sweep.parquet`.
 *
 * @module
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { sweep } from "../lib/trials/evaluate.ts";
import { HP_TASKS, hpTaskObjective } from "../lib/nets/mlp_benchmarks.ts";
import type pl from "nodejs-polars";
import {
  guidedVersusRandom,
  versusSummary,
} from "./hsic/guided_versus_random.ts";
import {
  mergePredictorShards,
  runPredictorShard,
} from "./predictors/architecture_sweep.ts";
import {
  CNN_SMALL,
  CNN_SWEEP,
  mergeCnnShards,
  runCnnShard,
} from "./predictors/cnn_sweep.ts";
import { sweepRangeSummary } from "./predictors/sweep_range.ts";
import { taskSuite } from "./predictors/task_suite.ts";
import { readTable } from "../lib/data/tables.ts";

/** Prints the share of a merged sweep's per-layer MI outside [0, H(Y)], per estimator. */
async function printSweepRange(path: string): Promise<void> {
  const records = (await readTable(path)).toRecords();
  console.log("per-layer MI outside [0, H(Y)] (slack 0.05 nats):");
  for (const s of sweepRangeSummary(records, await taskSuite())) {
    console.log(
      `  ${
        s.method.padEnd(10)
      } ${s.rows} estimates, ${s.below} below 0, ${s.above} above H(Y): ${
        (100 * s.shareOutOfRange).toFixed(1)
      } %`,
    );
  }
}

/** Settings of the guided-versus-random comparison that ships in data/. */
export const GUIDED_COMPARISON = {
  budget: 60,
  initial: 30,
  perRound: 15,
  seeds: 5,
  tasks: ["runge", "bateman"],
} as const;

/** The folder of the comparison's stores. */
export function guidedDir(): string {
  return join(import.meta.dirname!, "..", "data", "hsic_guided");
}

/** The named sweeps: task, size, seed and store file under data/. */
export const SWEEPS = {
  "hsic-runge": {
    task: "runge",
    n: 500,
    seed: 0,
    file: "hsic_runge_trials.jsonl",
  },
  "hsic-bateman": {
    task: "bateman",
    n: 200,
    seed: 0,
    file: "hsic_bateman_trials.jsonl",
  },
} as const;

/** The store path of a named sweep. */
export function sweepPath(name: keyof typeof SWEEPS): string {
  return join(import.meta.dirname!, "..", "data", SWEEPS[name].file);
}

/**
 * Runs a named sweep into `store` (default: its file in data/, which makes a
 * complete store a read-back), in workers on every core by default.
 *
 * @example
 * ```ts ignore
 * import { runSweep } from "./regenerate.ts";
 * const df = await runSweep("hsic-runge", { store: "/tmp/runge.jsonl" });
 * ```
 */
export function runSweep(
  name: keyof typeof SWEEPS,
  options: { store?: string; n?: number; workers?: number | "auto" } = {},
): Promise<pl.DataFrame> {
  const s = SWEEPS[name];
  return sweep(HP_TASKS[s.task].space, hpTaskObjective(s.task), {
    n: options.n ?? s.n,
    seed: s.seed,
    store: options.store ?? sweepPath(name),
    workers: options.workers ?? "auto",
  });
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: {
      n: { type: "string" },
      workers: { type: "string" },
      shard: { type: "string" },
      merge: { type: "boolean" },
      full: { type: "boolean" },
    },
    allowPositionals: true,
  });
  const name = positionals[0] as keyof typeof SWEEPS;
  if ((name as string) === "hsic-guided") {
    await Deno.mkdir(guidedDir(), { recursive: true });
    const { tasks, ...settings } = GUIDED_COMPARISON;
    for (const task of tasks) {
      const rows = await guidedVersusRandom(task, {
        ...settings,
        storeDir: guidedDir(),
        workers: values.workers ? Number(values.workers) : "auto",
      });
      console.log(versusSummary(rows).toString());
    }
    Deno.exit(0);
  }
  if ((name as string) === "predictors") {
    const root = join(import.meta.dirname!, "..");
    if (!values.merge) {
      const store = await runPredictorShard(root, {
        shard: values.shard,
        workers: values.workers ? Number(values.workers) : "auto",
      });
      console.log(`predictors: shard ${values.shard ?? "0/1"} in ${store}`);
    }
    if (values.merge || !values.shard) {
      const path = await mergePredictorShards(root);
      console.log(`predictors: ${path}`);
      await printSweepRange(path);
    }
    Deno.exit(0);
  }
  if ((name as string) === "cnn-signals") {
    const settings = values.full ? CNN_SWEEP : CNN_SMALL;
    if (!values.merge) {
      const store = await runCnnShard({
        settings,
        shard: values.shard,
        workers: values.workers ? Number(values.workers) : "auto",
      });
      console.log(`cnn-signals: shard ${values.shard ?? "0/1"} in ${store}`);
    }
    if (values.merge || !values.shard) {
      const path = await mergeCnnShards({ settings });
      console.log(`cnn-signals: ${path}`);
      await printSweepRange(path);
    }
    Deno.exit(0);
  }
  if (!(name in SWEEPS)) {
    console.error(
      `usage: deno task regenerate <name> [--n N] [--workers W]; names: ${
        [...Object.keys(SWEEPS), "hsic-guided", "predictors", "cnn-signals"]
          .join(", ")
      }`,
    );
    Deno.exit(2);
  }
  const df = await runSweep(name, {
    n: values.n ? Number(values.n) : undefined,
    workers: values.workers ? Number(values.workers) : undefined,
  });
  console.log(`${name}: ${df.height} trials in ${sweepPath(name)}`);
}
