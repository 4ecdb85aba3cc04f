/**
 * The sweep behind the MI-conditioned predictors (`deno task regenerate
 * predictors`): for every task of the suite, the architectures Hyperband
 * would start — Li et al.'s brackets with maximum budget R epochs and η = 3,
 * widths drawn from the thesis's space (4 hidden layers, 10 to 120 in steps
 * of 5) — each trained once for R epochs, which gives its validation
 * accuracy at every rung budget, so any Hyperband run over these
 * architectures can be replayed from the table. After training, the MI
 * between each hidden layer and the label, I(C_i; y), on the validation
 * split with binning, KSG, MINE and SMILE.
 *
 * One trial per (task, bracket, slot); a store resumes, workers run trials in
 * parallel, and shards split the trials across machines (`--shard i/n`,
 * then `--merge`).
 *
 * @module
 */

import {
  type Config,
  int,
  ordinal,
  SearchSpace,
} from "../../lib/space/space.ts";
import { brackets } from "../../lib/search/hyperband.ts";
import { Random } from "../../lib/space/random.ts";
import { trainNetwork } from "../../lib/nets/train.ts";
import { layerMIRows } from "../../lib/mi/layer_mi.ts";
import { splitOf, taskSuite } from "./task_suite.ts";
import { estimateMI, type MIMethod } from "../../lib/mi/estimate.ts";
import { evaluateTrials } from "../../lib/trials/evaluate.ts";
import { mergeShards } from "./shards.ts";
import { join } from "node:path";

/** The settings of the shipped sweep. */
export const PREDICTOR_SWEEP = {
  /** Maximum budget in epochs and Hyperband's η. */
  maxEpochs: 9,
  eta: 3,
  /** Hidden layers and the width options (10, 15, …, 120: 23 options). */
  layers: 4,
  widths: Array.from({ length: 23 }, (_, i) => 10 + 5 * i),
  batchSize: 64,
  learningRate: 3e-3,
  /** MI estimators, and the neural ones' settings. */
  estimators: ["binning", "ksg", "mine", "smile"] as const,
  neural: { steps: 300, hidden: [64], batchSize: 128 },
  seed: 0,
} as const;

/** The rung budgets of the sweep (1, 3, 9 epochs). */
export function rungBudgets(): number[] {
  const { maxEpochs, eta } = PREDICTOR_SWEEP;
  return brackets({ min: 1, max: maxEpochs, eta }, "li")[0].budgets;
}

/** The space of a trial's configuration: where it sits and its widths. */
export function predictorSpace(): SearchSpace {
  const widths = PREDICTOR_SWEEP.widths as unknown as number[];
  return new SearchSpace({
    task: int(0, 99),
    bracket: int(0, 9),
    slot: int(0, 999),
    w1: ordinal(widths),
    w2: ordinal(widths),
    w3: ordinal(widths),
    w4: ordinal(widths),
  });
}

/**
 * Every trial of the sweep, in order: per task, per bracket (most
 * aggressive first), the bracket's first-rung configurations with widths
 * drawn from a stream seeded by task and bracket.
 *
 * @example
 * ```ts
 * import { predictorConfigs } from "./architecture_sweep.ts";
 * const configs = predictorConfigs(2);
 * // Li et al.'s brackets for R = 9, η = 3 start 9 + 5 + 3 architectures.
 * if (configs.length !== 2 * 17) throw new Error(String(configs.length));
 * ```
 */
export function predictorConfigs(taskCount: number): Config[] {
  const { maxEpochs, eta, widths, seed } = PREDICTOR_SWEEP;
  const out: Config[] = [];
  for (let task = 0; task < taskCount; task++) {
    for (const b of brackets({ min: 1, max: maxEpochs, eta }, "li")) {
      const r = new Random(seed, `predictor-archs ${task} ${b.s}`);
      for (let slot = 0; slot < b.sizes[0]; slot++) {
        const w = Array.from({ length: 4 }, () => r.choice(widths));
        out.push({
          task,
          bracket: b.s,
          slot,
          w1: w[0],
          w2: w[1],
          w3: w[2],
          w4: w[3],
        });
      }
    }
  }
  return out;
}

/**
 * Trains one architecture on its task for the maximum budget and measures
 * it: `acc_<r>` (validation accuracy after r epochs, for each rung budget),
 * `test_acc`, `params`, `width_sum`, and `mi_<estimator>_<i>` =
 * I(C_i; y) in nats for hidden layer i = 1 … 4 on the validation split.
 * Its seed is fixed by (task, bracket, slot).
 */
export async function evaluateArchitecture(
  config: Config,
): Promise<Record<string, number>> {
  const s = PREDICTOR_SWEEP;
  // The seed comes from the trial's place, not its index in a run, so a
  // sharded sweep gives the same table as a whole one.
  const seed = (config.task as number) * 10_000 +
    (config.bracket as number) * 1_000 + (config.slot as number);
  const tasks = await taskSuite();
  const task = tasks[config.task as number];
  if (!task) throw new RangeError(`no task ${config.task} in the suite`);
  const widths = [config.w1, config.w2, config.w3, config.w4] as number[];
  const train = splitOf(task, "train");
  const validation = splitOf(task, "validation");
  const test = splitOf(task, "test");
  const run = await trainNetwork(
    {
      kind: "mlp",
      inputs: task.x[0].length,
      widths,
      outputs: task.classes,
      activation: "relu",
    },
    train,
    {
      epochs: s.maxEpochs,
      batchSize: s.batchSize,
      learningRate: s.learningRate,
      seed,
      validation,
      probe: [...validation.x, ...test.x],
      captureEpochs: [s.maxEpochs],
    },
  );
  const out: Record<string, number> = {};
  for (const r of rungBudgets()) {
    out[`acc_${r}`] = run.history[r - 1].validationAccuracy!;
  }
  // Test accuracy from the captured softmax on the test rows.
  const probs = run.capture.activations.at(-1)!.at(-1)!;
  const k = task.classes;
  let correct = 0;
  test.y.forEach((label, i) => {
    const row = validation.x.length + i;
    let best = 0;
    for (let c = 1; c < k; c++) {
      if (probs[row * k + c] > probs[row * k + best]) best = c;
    }
    if (best === label) correct++;
  });
  out.test_acc = correct / test.y.length;
  out.params = run.parameters;
  out.width_sum = widths.reduce((a, b) => a + b, 0);
  // MI on the validation rows only: drop the test rows from the capture.
  const nVal = validation.x.length;
  const capture = {
    ...run.capture,
    rows: nVal,
    epochs: [run.capture.epochs.at(-1)!],
    activations: [
      run.capture.activations.at(-1)!.map((a, l) =>
        a.slice(0, nVal * run.capture.layers[l].units)
      ),
    ],
  };
  // SMILE is fitted afresh per layer with estimateMI's own split (as when the
  // shipped table was made); the others go through layerMIRows.
  const classes = task.classes;
  const yOneHot = new Float32Array(nVal * classes);
  validation.y.forEach((c, i) => (yOneHot[i * classes + c] = 1));
  for (const method of s.estimators) {
    if (method === "smile") {
      for (let l = 0; l < 4; l++) {
        const t = capture.activations[0][l];
        const r = await estimateMI(
          { data: t, rows: nVal, cols: capture.layers[l].units },
          { data: yOneHot, rows: nVal, cols: classes },
          {
            method: "smile",
            steps: s.neural.steps,
            hidden: s.neural.hidden,
            batchSize: s.neural.batchSize,
            learningRate: 1e-3,
            evalEvery: 0,
            seed,
          },
        );
        out[`mi_smile_${l + 1}`] = r.estimate;
      }
      continue;
    }
    const rows = await layerMIRows(capture, {
      method: method as MIMethod,
      y: validation.y,
      quantities: ["I(T;Y)"],
      layers: [1, 2, 3, 4],
      seed,
      ...(method === "mine"
        ? {
          steps: s.neural.steps,
          hidden: s.neural.hidden,
          batchSize: s.neural.batchSize,
        }
        : {}),
    });
    for (const r of rows) out[`mi_${method}_${r.layer}`] = r.estimate;
  }
  return out;
}

/** The project's root folder. */
const ROOT = join(import.meta.dirname!, "..", "..");

/** Where shard stores go while the sweep runs (git-ignored). */
export function predictorShardDir(root = ROOT): string {
  return join(root, ".cache", "predictor_sweep");
}

/** The shipped table. */
export function predictorTablePath(root = ROOT): string {
  return join(root, "data", "predictor_sweep.parquet");
}

/**
 * Parses `--shard i/n` (default "0/1") and returns which trials of `total`
 * the shard runs: those with index ≡ i (mod n).
 *
 * @example
 * ```ts
 * import { shardTrials } from "./architecture_sweep.ts";
 * if (shardTrials("1/3", 7).join() !== "1,4") throw new Error();
 * ```
 */
export function shardTrials(spec: string, total: number): number[] {
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  const [i, n] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!m || !(n >= 1) || !(i >= 0 && i < n)) {
    throw new RangeError(
      `--shard must be i/n with 0 ≤ i < n, e.g. 0/4; got "${spec}"`,
    );
  }
  return Array.from({ length: total }, (_, k) => k).filter((k) => k % n === i);
}

/**
 * Runs one shard of the sweep into its store under `.cache/` (resuming it),
 * in workers. Returns the store's path.
 */
export async function runPredictorShard(
  root = ROOT,
  options: { shard?: string; workers?: number | "auto" } = {},
): Promise<string> {
  const spec = options.shard ?? "0/1";
  const configs = predictorConfigs((await taskSuite()).length);
  const mine = shardTrials(spec, configs.length);
  const dir = predictorShardDir(root);
  await Deno.mkdir(dir, { recursive: true });
  const store = join(dir, `shard-${spec.replace("/", "-of-")}.jsonl`);
  await evaluateTrials(
    predictorSpace(),
    mine.map((k) => configs[k]),
    { module: import.meta.url, name: "evaluateArchitecture" },
    {
      store,
      workers: options.workers ?? "auto",
      objective: "acc_9",
      label: `predictors ${spec}`,
    },
  );
  return store;
}

/**
 * Joins every shard store under `.cache/predictor_sweep/` into the shipped
 * Parquet table, one row per trial in sweep order (column `trial` is the
 * global index); fails naming what is missing or duplicated.
 */
export async function mergePredictorShards(root = ROOT): Promise<string> {
  return await mergeShards({
    dir: predictorShardDir(root),
    configs: predictorConfigs((await taskSuite()).length),
    keys: ["task", "bracket", "slot"],
    out: predictorTablePath(root),
  });
}
