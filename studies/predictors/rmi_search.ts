/**
 * RMI-NAS on infolens's CNN space at equal compute: `bore-rmi` driven by the
 * RMI proxy against random search and regularized evolution driven by brief
 * training, every searcher charged for everything it runs.
 *
 * The space is `CNN_SMALL`'s (4 conv layers, 3×3 "same", no pooling, each
 * with 4, 8, …, 24 filters) on the shipped digits. An evaluation trains a
 * network briefly (`epochs` on `trainRows` rows) and returns its validation
 * accuracy. `bore-rmi` spends `proxyShare` of the budget on RMI scores
 * (`rmiScore` against a trained MLP teacher's stage features on its 32
 * easiest rows, as in `cnn_sweep.ts`), then trains its candidates in order
 * of RMI score (best first) with the rest — RMI-NAS's search, then the
 * training of what it found.
 *
 * Compute is counted in multiply-adds, not seconds, so that a run is
 * reproducible on a shared machine: a sample's forward pass costs the
 * convolutions' and the output layer's multiply-adds, a training step three
 * forward passes (forward, and the two backward products), and an RMI step
 * additionally the centred Gram matrices of its 4 stages and their
 * gradients. Budgets are in "reference trainings": the cost of one brief
 * training of the 12-12-12-12 network. The measured seconds of each kind of
 * evaluation are reported beside, as a check of the model.
 *
 * A configuration a searcher has already evaluated costs nothing again (it
 * would be looked up); evaluations are memoised across searchers and seeds
 * (a configuration's training seed is fixed by its filters), which keeps the
 * run short without changing any searcher's result.
 *
 * @module
 */

import { type Config, ordinal, SearchSpace } from "../../lib/space/space.ts";
import { searcherFactory } from "../../lib/search/registry.ts";
import { RegularizedEvolution } from "../../lib/search/evolution.ts";
import type { Searcher } from "../../lib/search/searcher.ts";
import { trainNetwork } from "../../lib/nets/train.ts";
import { trainKernelCnn } from "../../lib/nets/train_kernel_cnn.ts";
import {
  buildNetwork,
  type CnnArchitecture,
} from "../../lib/nets/architecture.ts";
import { ensureBackend, tf } from "../../lib/nets/backend.ts";
import { easiestBatch, rmiScore, teacherFeatures } from "../../lib/mi/rmi.ts";
import { rmiScoreKernel } from "../../lib/mi/rmi_kernel.ts";
import { splitOf, taskSuite } from "./task_suite.ts";

/** The settings of a comparison. */
export interface RmiSearchSettings {
  /** Filter options of each of the 4 conv layers. */
  filters: readonly number[];
  /** The suite task (an 8×8 image task). */
  task: string;
  /** Training rows of a brief training and of the teacher. */
  trainRows: number;
  /** Epochs of a brief training. */
  epochs: number;
  /** Mini-batch size of a brief training and of the teacher's. */
  batchSize: number;
  /** Adam's learning rate, likewise. */
  learningRate: number;
  /** RMI proxy steps (published: 150; `CNN_SMALL`'s sweep: 50). */
  rmiSteps: number;
  /** The MLP teacher's hidden widths and epochs. */
  teacherWidths: readonly number[];
  teacherEpochs: number;
  /** Budgets, in reference trainings (see the module doc). */
  budgets: readonly number[];
  /** Seeds per method and budget. */
  seeds: number;
  /** Share of bore-rmi's budget spent on RMI scores; the rest trains. */
  proxyShare: number;
  /** Regularized evolution's population and tournament sizes. */
  population: number;
  /** The tournament size. */
  sample: number;
  /**
   * What trains the candidates and runs RMI: "tfjs" (`trainNetwork`,
   * `rmiScore`; the default, as the reported run) or "kernel"
   * (`trainKernelCnn`, `rmiScoreKernel`: equal up to float32 rounding and
   * 5–40× faster on this space's wider members, so RMI-NAS's published 150
   * steps become affordable). Multiply-add charges are the same either way.
   */
  trainer?: "kernel" | "tfjs";
}

/** The run reported in bench/README ("rmi search"). */
export const RMI_SEARCH: RmiSearchSettings = {
  filters: [4, 8, 12, 16, 20, 24],
  task: "digits",
  trainRows: 300,
  epochs: 2,
  batchSize: 64,
  learningRate: 3e-3,
  // RMI-NAS's 150 steps cost about 8 brief trainings here (50, CNN_SMALL's,
  // about 3): 10 keep the proxy cheaper than the training it stands in for,
  // as it is in RMI-NAS, where training means 200 epochs.
  rmiSteps: 10,
  teacherWidths: [64, 64, 64, 64],
  teacherEpochs: 10,
  budgets: [8, 16],
  seeds: 3,
  proxyShare: 0.5,
  population: 4,
  sample: 2,
};

/** A seconds-long run for tests. */
export const RMI_SEARCH_QUICK: RmiSearchSettings = {
  ...RMI_SEARCH,
  filters: [4, 8],
  trainRows: 120,
  epochs: 1,
  rmiSteps: 3,
  teacherWidths: [16, 16, 16, 16],
  teacherEpochs: 2,
  budgets: [4],
  seeds: 1,
};

/** The methods compared. */
export const RMI_SEARCH_METHODS = ["random", "evolution", "bore-rmi"] as const;

/** One of {@linkcode RMI_SEARCH_METHODS}. */
export type RmiSearchMethod = typeof RMI_SEARCH_METHODS[number];

/** The four filter counts of a configuration. */
export function filtersOf(config: Config): number[] {
  return [config.f1, config.f2, config.f3, config.f4] as number[];
}

/** The search space: f1 … f4, each an ordinal over `filters`. */
export function rmiSearchSpace(settings: RmiSearchSettings): SearchSpace {
  const f = settings.filters as number[];
  return new SearchSpace({
    f1: ordinal(f),
    f2: ordinal(f),
    f3: ordinal(f),
    f4: ordinal(f),
  });
}

/**
 * Multiply-adds of one sample's forward pass through the CNN (8×8 maps,
 * 3×3 kernels, `classes` outputs).
 *
 * @example
 * ```ts
 * import { forwardMacs } from "./rmi_search.ts";
 * // 64 positions · 9 taps · (1·4 + 4·4 + 4·4 + 4·4) + 64·4·10 outputs
 * if (forwardMacs([4, 4, 4, 4], 10) !== 64 * 9 * 52 + 2560) throw new Error();
 * ```
 */
export function forwardMacs(filters: readonly number[], classes = 10): number {
  let macs = 0, inputs = 1;
  for (const f of filters) {
    macs += 64 * 9 * inputs * f;
    inputs = f;
  }
  return macs + 64 * inputs * classes;
}

/** Multiply-adds of one brief training (3 forward passes per sample and epoch). */
export function trainingMacs(
  filters: readonly number[],
  settings: RmiSearchSettings,
): number {
  return 3 * forwardMacs(filters) * settings.trainRows * settings.epochs;
}

/**
 * Multiply-adds of one RMI proxy training: per step, 3 forward passes of the
 * batch of 32 and, per stage, the 32×32 Gram matrix of its 64·f features
 * and its gradient (3 · 32² · 64 · f).
 */
export function rmiMacs(
  filters: readonly number[],
  settings: RmiSearchSettings,
): number {
  const gram = filters.reduce((a, f) => a + 3 * 32 * 32 * 64 * f, 0);
  return settings.rmiSteps * (3 * 32 * forwardMacs(filters) + gram);
}

/** The unit of budgets: one brief training of the 12-12-12-12 network. */
export function referenceMacs(settings: RmiSearchSettings): number {
  return trainingMacs([12, 12, 12, 12], settings);
}

/** What a searcher is charged for: a brief training's accuracy, an RMI score. */
export interface RmiSearchEvaluator {
  /** Validation accuracy after the brief training (higher is better). */
  accuracy(filters: readonly number[]): Promise<number>;
  /** RMI-NAS's loss after the proxy training (lower is better). */
  rmi(filters: readonly number[]): Promise<number>;
}

/** One searcher's run at one budget and seed. */
export interface RmiSearchRun {
  method: RmiSearchMethod;
  /** In reference trainings. */
  budget: number;
  seed: number;
  /** The best validation accuracy among the configurations trained. */
  best: number;
  /** Compute spent, in reference trainings (≤ budget). */
  spent: number;
  /** Distinct configurations trained and RMI-scored. */
  trained: number;
  scored: number;
}

function makeSearcher(
  method: RmiSearchMethod,
  space: SearchSpace,
  seed: number,
  budget: number,
  settings: RmiSearchSettings,
): Searcher {
  if (method === "evolution") {
    return new RegularizedEvolution({
      space,
      seed,
      population: settings.population,
      sample: settings.sample,
    });
  }
  return searcherFactory(method)({ space, seed, budget });
}

/**
 * Runs one searcher at one budget (in reference trainings) and seed. Random
 * search and evolution train what they ask until the next training would
 * exceed the budget; bore-rmi RMI-scores what it asks until the next score
 * would exceed `proxyShare` of it, then trains the scored configurations
 * best first until the next would exceed the budget. A searcher that
 * proposes only configurations it has evaluated, 200 in a row (a small
 * space exhausted), stops there.
 *
 * @example
 * ```ts
 * import { RMI_SEARCH_QUICK, searchAtEqualCompute } from "./rmi_search.ts";
 * // A synthetic evaluator: wider is better, and RMI knows it.
 * const evaluator = {
 *   accuracy: (f: readonly number[]) => Promise.resolve(f.reduce((a, b) => a + b) / 100),
 *   rmi: (f: readonly number[]) => Promise.resolve(-f.reduce((a, b) => a + b)),
 * };
 * const run = await searchAtEqualCompute("random", 5, 0, evaluator, RMI_SEARCH_QUICK);
 * if (!(run.spent <= 5 && run.trained >= 1)) throw new Error(JSON.stringify(run));
 * ```
 */
export async function searchAtEqualCompute(
  method: RmiSearchMethod,
  budget: number,
  seed: number,
  evaluator: RmiSearchEvaluator,
  settings: RmiSearchSettings,
): Promise<RmiSearchRun> {
  const space = rmiSearchSpace(settings);
  const unit = referenceMacs(settings);
  const trainCost = (f: readonly number[]) => trainingMacs(f, settings) / unit;
  const rmiCost = (f: readonly number[]) => rmiMacs(f, settings) / unit;
  let spent = 0;
  const accuracies = new Map<string, number>();
  const scores = new Map<string, { filters: number[]; score: number }>();
  // Trains one configuration if it fits; false when it does not.
  const train = async (f: number[]): Promise<number | null> => {
    const key = f.join("-");
    if (accuracies.has(key)) return accuracies.get(key)!;
    if (spent + trainCost(f) > budget + 1e-9) return null;
    spent += trainCost(f);
    const acc = await evaluator.accuracy(f);
    accuracies.set(key, acc);
    return acc;
  };

  if (method === "bore-rmi") {
    const share = settings.proxyShare * budget;
    // bore-rmi plans its warm-up by its budget of evaluations: the RMI
    // scores the proxy share buys at the space's mean cost.
    const all = allFilters(settings.filters);
    const meanCost = all.reduce((a, f) => a + rmiCost(f), 0) / all.length;
    const planned = Math.max(2, Math.floor(share / meanCost));
    const searcher = makeSearcher(method, space, seed, planned, settings);
    for (let repeats = 0; repeats < MAX_REPEATS;) {
      const { trial, config } = searcher.ask();
      const f = filtersOf(config);
      const key = f.join("-");
      let score = scores.get(key)?.score;
      if (score === undefined) {
        if (spent + rmiCost(f) > share + 1e-9) break;
        spent += rmiCost(f);
        score = await evaluator.rmi(f);
        scores.set(key, { filters: f, score });
        repeats = 0;
      } else repeats++;
      searcher.tell(trial, score);
    }
    const ranked = [...scores.values()].sort((a, b) => a.score - b.score);
    for (const { filters } of ranked) {
      if (await train(filters) === null) break;
    }
  } else {
    const searcher = makeSearcher(method, space, seed, 0, settings);
    for (let repeats = 0; repeats < MAX_REPEATS;) {
      const { trial, config } = searcher.ask();
      const f = filtersOf(config);
      const known = accuracies.has(f.join("-"));
      const acc = await train(f);
      if (acc === null) break;
      repeats = known ? repeats + 1 : 0;
      searcher.tell(trial, -acc);
    }
  }
  return {
    method,
    budget,
    seed,
    best: accuracies.size ? Math.max(...accuracies.values()) : NaN,
    spent,
    trained: accuracies.size,
    scored: scores.size,
  };
}

// A searcher that only proposes what it has evaluated (a small space
// exhausted under a large budget) stops after this many in a row.
const MAX_REPEATS = 200;

function allFilters(options: readonly number[]): number[][] {
  const out: number[][] = [[]];
  for (let l = 0; l < 4; l++) {
    out.splice(
      0,
      out.length,
      ...out.flatMap((p) => options.map((f) => [...p, f])),
    );
  }
  return out;
}

/** Seconds and counts of the real evaluations an evaluator ran. */
export interface EvaluatorClock {
  trainings: number;
  trainingSeconds: number;
  rmiScores: number;
  rmiSeconds: number;
  /** Multiply-adds of what was measured, per kind (to compare with seconds). */
  trainingMacs: number;
  rmiMacs: number;
}

/**
 * The real evaluator: brief training and RMI of CNNs on the settings' task,
 * memoised per configuration (a configuration's seed is fixed by its
 * filters), with a clock of what it measured. Call `dispose` when done.
 */
export async function cnnSearchEvaluator(
  settings: RmiSearchSettings,
): Promise<RmiSearchEvaluator & { clock: EvaluatorClock; dispose(): void }> {
  await ensureBackend();
  const task = (await taskSuite()).find((t) => t.name === settings.task);
  if (!task || task.x[0].length !== 64) {
    throw new RangeError(`"${settings.task}" is not an 8×8 task of the suite`);
  }
  const full = splitOf(task, "train");
  const train = {
    x: full.x.slice(0, settings.trainRows),
    y: full.y.slice(0, settings.trainRows),
  };
  const validation = splitOf(task, "validation");
  const arch = (filters: readonly number[]): CnnArchitecture => ({
    kind: "cnn",
    inputShape: [8, 8, 1],
    filters,
    pooling: "none",
    outputs: task.classes,
    activation: "relu",
  });
  const seedOf = (f: readonly number[]) =>
    f.reduce((a, b) => a * 100 + b, 0) % 2_147_483_647;

  // The teacher as cnn_sweep.ts builds it: a trained MLP, its activations
  // the stages, on its 32 easiest of the first 256 training rows.
  const teacherRun = await trainNetwork(
    {
      kind: "mlp",
      inputs: 64,
      widths: settings.teacherWidths,
      outputs: task.classes,
      activation: "relu",
    },
    train,
    {
      epochs: settings.teacherEpochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      seed: 0,
      captureEpochs: [],
      keepNetwork: true,
    },
  );
  const teacher = teacherRun.network!;
  const pool = {
    x: tf.tensor2d(train.x.slice(0, 256)),
    y: train.y.slice(0, 256),
  };
  const batch = easiestBatch(teacher.model, pool, 32);
  pool.x.dispose();
  const features = teacherFeatures({
    model: teacher.model,
    stages: teacher.model.layers.filter((l) =>
      l.getClassName() === "Activation"
    ).map((l) => l.name),
  }, batch.x);
  teacher.dispose();

  const clock: EvaluatorClock = {
    trainings: 0,
    trainingSeconds: 0,
    rmiScores: 0,
    rmiSeconds: 0,
    trainingMacs: 0,
    rmiMacs: 0,
  };
  const accuracies = new Map<string, Promise<number>>();
  const scores = new Map<string, Promise<number>>();
  return {
    clock,
    accuracy(filters) {
      const key = filters.join("-");
      if (!accuracies.has(key)) {
        accuracies.set(
          key,
          (async () => {
            const t0 = performance.now();
            const options = {
              epochs: settings.epochs,
              batchSize: settings.batchSize,
              learningRate: settings.learningRate,
              seed: seedOf(filters),
              validation,
              captureEpochs: [],
            };
            const run = settings.trainer === "kernel"
              ? await trainKernelCnn(arch(filters), train, options)
              : await trainNetwork(arch(filters), train, options);
            clock.trainings++;
            clock.trainingSeconds += (performance.now() - t0) / 1000;
            clock.trainingMacs += trainingMacs(filters, settings);
            return run.history.at(-1)!.validationAccuracy!;
          })(),
        );
      }
      return accuracies.get(key)!;
    },
    rmi(filters) {
      const key = filters.join("-");
      if (!scores.has(key)) {
        scores.set(
          key,
          (async () => {
            const t0 = performance.now();
            const net = buildNetwork(arch(filters), seedOf(filters));
            try {
              const r = settings.trainer === "kernel"
                ? await rmiScoreKernel(
                  {
                    architecture: arch(filters),
                    weights: net.model.getWeights().map((w) => w.dataSync()),
                  },
                  features,
                  batch,
                  { steps: settings.rmiSteps },
                )
                : await rmiScore(
                  {
                    model: net.model,
                    stages: net.model.layers.filter((l) =>
                      l.getClassName() === "Conv3D"
                    ).map((l) => l.name),
                  },
                  features,
                  batch,
                  { steps: settings.rmiSteps },
                );
              clock.rmiScores++;
              clock.rmiSeconds += (performance.now() - t0) / 1000;
              clock.rmiMacs += rmiMacs(filters, settings);
              // A diverged candidate ranks last, as in rmiObjective.
              return Number.isFinite(r.score) ? r.score : Infinity;
            } finally {
              net.dispose();
            }
          })(),
        );
      }
      return scores.get(key)!;
    },
    dispose() {
      tf.dispose([...features, batch.x]);
    },
  };
}

/** Mean ± standard error of one method's best accuracy at one budget. */
export interface RmiSearchSummary {
  method: RmiSearchMethod;
  budget: number;
  mean: number;
  se: number;
  seeds: number;
  /** Mean distinct configurations trained and RMI-scored per run. */
  trained: number;
  scored: number;
}

/** Every method at every budget and seed, in that order. */
export async function runRmiSearch(
  settings: RmiSearchSettings,
  evaluator: RmiSearchEvaluator,
  onRun?: (run: RmiSearchRun) => void,
): Promise<RmiSearchRun[]> {
  const runs: RmiSearchRun[] = [];
  for (const budget of settings.budgets) {
    for (const method of RMI_SEARCH_METHODS) {
      for (let seed = 0; seed < settings.seeds; seed++) {
        const run = await searchAtEqualCompute(
          method,
          budget,
          seed,
          evaluator,
          settings,
        );
        runs.push(run);
        onRun?.(run);
      }
    }
  }
  return runs;
}

/**
 * Per method and budget: the mean best accuracy over seeds and its standard
 * error (0 with one seed).
 *
 * @example
 * ```ts
 * import { summariseRmiSearch } from "./rmi_search.ts";
 * const run = (best: number, seed: number) =>
 *   ({ method: "random" as const, budget: 4, seed, best, spent: 4, trained: 3, scored: 0 });
 * const [s] = summariseRmiSearch([run(0.8, 0), run(0.9, 1)]);
 * if (Math.abs(s.mean - 0.85) > 1e-12 || Math.abs(s.se - 0.05) > 1e-12) throw new Error();
 * ```
 */
export function summariseRmiSearch(
  runs: readonly RmiSearchRun[],
): RmiSearchSummary[] {
  const out: RmiSearchSummary[] = [];
  const keys = [...new Set(runs.map((r) => `${r.budget}\t${r.method}`))];
  for (const key of keys) {
    const mine = runs.filter((r) => `${r.budget}\t${r.method}` === key);
    const n = mine.length;
    const mean = mine.reduce((a, r) => a + r.best, 0) / n;
    const sd = n > 1
      ? Math.sqrt(
        mine.reduce((a, r) => a + (r.best - mean) ** 2, 0) / (n - 1),
      )
      : 0;
    out.push({
      method: mine[0].method,
      budget: mine[0].budget,
      mean,
      se: sd / Math.sqrt(n),
      seeds: n,
      trained: mine.reduce((a, r) => a + r.trained, 0) / n,
      scored: mine.reduce((a, r) => a + r.scored, 0) / n,
    });
  }
  return out;
}

if (import.meta.main) {
  // `deno run -A studies/predictors/rmi_search.ts [--quick]`: the table and
  // the sentences written into bench/README ("rmi search").
  const { rmiSearchFindings } = await import("./findings.ts");
  const settings = Deno.args.includes("--quick")
    ? RMI_SEARCH_QUICK
    : RMI_SEARCH;
  const t0 = performance.now();
  console.log(`load average at start: ${Deno.loadavg().join(", ")}`);
  const evaluator = await cnnSearchEvaluator(settings);
  const runs = await runRmiSearch(
    settings,
    evaluator,
    (r) => console.error(JSON.stringify(r)),
  );
  const summary = summariseRmiSearch(runs);
  console.log(
    "| budget | method | best val. accuracy | seeds | trained | RMI-scored |",
  );
  console.log("| -: | - | -: | -: | -: | -: |");
  for (const s of summary) {
    console.log(
      `| ${s.budget} | ${s.method} | ${s.mean.toFixed(4)} ± ${
        s.se.toFixed(4)
      } | ${s.seeds} | ${s.trained.toFixed(1)} | ${s.scored.toFixed(1)} |`,
    );
  }
  const c = evaluator.clock;
  console.log(
    `\nmeasured: ${c.trainings} trainings in ${
      c.trainingSeconds.toFixed(1)
    } s (${
      (c.trainingMacs / c.trainingSeconds / 1e9).toFixed(3)
    } GMAC/s), ${c.rmiScores} RMI scores in ${c.rmiSeconds.toFixed(1)} s (${
      (c.rmiMacs / c.rmiSeconds / 1e9).toFixed(3)
    } GMAC/s); wall ${
      ((performance.now() - t0) / 1000).toFixed(0)
    } s; load average at end: ${Deno.loadavg().join(", ")}`,
  );
  console.log("\n" + rmiSearchFindings(summary).text);
  evaluator.dispose();
}
