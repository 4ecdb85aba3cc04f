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
 * Compute is charged one of two ways (`charge`). In multiply-adds (the
 * default), a run is reproducible on a shared machine: a sample's forward
 * pass costs the convolutions' and the output layer's multiply-adds, a
 * training step three forward passes (forward, and the two backward
 * products), and an RMI step additionally the centred Gram matrices of its
 * 4 stages and their gradients. In seconds, each evaluation costs what it
 * took when it was first measured, and one that would end past the budget
 * does not count (as if the clock ran out during it). Budgets are in
 * "reference trainings": the cost of one brief training of the 12-12-12-12
 * network, in multiply-adds or in measured seconds. The measured seconds of
 * each kind of evaluation are reported beside either way.
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
import { convStages, rmiScore } from "../../lib/mi/rmi.ts";
import { rmiScoreKernel } from "../../lib/mi/rmi_kernel.ts";
import { splitOf, taskSuite } from "./task_suite.ts";
import { mlpTeacher } from "./cnn_sweep.ts";

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
  /**
   * What a searcher is charged: "macs" (the default, the cost model above)
   * or "seconds" (each evaluation's measured seconds, which needs an
   * evaluator that measures them, as {@linkcode cnnSearchEvaluator} does).
   */
  charge?: "macs" | "seconds";
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

/**
 * RMI-NAS as published on the CNN space, charged in seconds: 150 proxy
 * steps, and "training" is the sweep's (9 epochs on the task's whole
 * training split), so that, as in RMI-NAS, a proxy score costs less than
 * the training it stands in for (about half of one here, on our kernel).
 * 10 seeds. The run reported in bench/README ("rmi search, in seconds")
 * and shipped in `data/rmi_search_runs.csv`.
 */
export const RMI_SEARCH_SECONDS: RmiSearchSettings = {
  ...RMI_SEARCH,
  trainRows: 1_079, // the digits' whole training split
  epochs: 9,
  rmiSteps: 150,
  budgets: [8, 16, 32],
  seeds: 10,
  trainer: "kernel",
  charge: "seconds",
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
  /**
   * Seconds the configuration's evaluation of this kind took when it was
   * measured (after `accuracy` or `rmi` resolved for it); needed by
   * `charge: "seconds"`.
   */
  seconds?(kind: "training" | "rmi", filters: readonly number[]): number;
  /** Seconds of one training and one RMI score of the 12-12-12-12 network. */
  referenceSeconds?: { training: number; rmi: number };
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
  const pay = payer(evaluator, settings);
  let spent = 0;
  const accuracies = new Map<string, number>();
  const scores = new Map<string, { filters: number[]; score: number }>();
  // Runs one evaluation if it fits under `limit`; null when it does not.
  const charged = async (
    kind: "training" | "rmi",
    f: number[],
    limit: number,
  ): Promise<number | null> => {
    const run = () =>
      kind === "training" ? evaluator.accuracy(f) : evaluator.rmi(f);
    if (pay.inAdvance) {
      const cost = pay.cost(kind, f);
      if (spent + cost > limit + 1e-9) return null;
      spent += cost;
      return await run();
    }
    const value = await run();
    const cost = pay.cost(kind, f);
    if (spent + cost > limit + 1e-9) return null;
    spent += cost;
    return value;
  };
  // Trains one configuration if it fits; null when it does not.
  const train = async (f: number[]): Promise<number | null> => {
    const key = f.join("-");
    if (accuracies.has(key)) return accuracies.get(key)!;
    const acc = await charged("training", f, budget);
    if (acc !== null) accuracies.set(key, acc);
    return acc;
  };

  if (method === "bore-rmi") {
    const share = settings.proxyShare * budget;
    // bore-rmi plans its warm-up by its budget of evaluations: the RMI
    // scores the proxy share buys at the space's mean cost.
    const planned = Math.max(2, Math.floor(share / pay.meanRmiCost));
    const searcher = makeSearcher(method, space, seed, planned, settings);
    for (let repeats = 0; repeats < MAX_REPEATS;) {
      const { trial, config } = searcher.ask();
      const f = filtersOf(config);
      const key = f.join("-");
      let score = scores.get(key)?.score;
      if (score === undefined) {
        const got = await charged("rmi", f, share);
        if (got === null) break;
        score = got;
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

/**
 * How a run is charged: each evaluation's cost in reference trainings,
 * whether it is known before the evaluation runs (multiply-adds) or only
 * after (seconds), and the space's mean RMI cost for bore-rmi's plan.
 */
function payer(evaluator: RmiSearchEvaluator, settings: RmiSearchSettings): {
  inAdvance: boolean;
  cost(kind: "training" | "rmi", f: readonly number[]): number;
  meanRmiCost: number;
} {
  const all = allFilters(settings.filters);
  const unit = referenceMacs(settings);
  const macs = (kind: "training" | "rmi", f: readonly number[]) =>
    kind === "training" ? trainingMacs(f, settings) : rmiMacs(f, settings);
  const meanRmiMacs = all.reduce((a, f) => a + rmiMacs(f, settings), 0) /
    all.length;
  if ((settings.charge ?? "macs") === "macs") {
    return {
      inAdvance: true,
      cost: (kind, f) => macs(kind, f) / unit,
      meanRmiCost: meanRmiMacs / unit,
    };
  }
  const seconds = evaluator.seconds?.bind(evaluator);
  const reference = evaluator.referenceSeconds;
  if (!seconds || !reference) {
    throw new TypeError(
      'charge "seconds" needs an evaluator that measures seconds (seconds() and referenceSeconds, as cnnSearchEvaluator gives); use charge "macs" with this one',
    );
  }
  return {
    inAdvance: false,
    cost: (kind, f) => seconds(kind, f) / reference.training,
    // For the plan only: the 12-12-12-12 network's RMI seconds, scaled by
    // the space's mean multiply-adds.
    meanRmiCost: reference.rmi / reference.training * meanRmiMacs /
      rmiMacs([12, 12, 12, 12], settings),
  };
}

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

  // The teacher as cnn_sweep.ts builds it.
  const { features, batch } = await mlpTeacher(train, task.classes, {
    widths: settings.teacherWidths,
    epochs: settings.teacherEpochs,
    batchSize: settings.batchSize,
    learningRate: settings.learningRate,
    seed: 0,
  });

  const clock: EvaluatorClock = {
    trainings: 0,
    trainingSeconds: 0,
    rmiScores: 0,
    rmiSeconds: 0,
    trainingMacs: 0,
    rmiMacs: 0,
  };
  // One evaluation of each kind, timed; not memoised, not on the clock.
  const timed = async (
    run: () => Promise<number>,
  ): Promise<{ value: number; seconds: number }> => {
    const t0 = performance.now();
    const value = await run();
    return { value, seconds: (performance.now() - t0) / 1000 };
  };
  const trainOnce = (filters: readonly number[]) =>
    timed(async () => {
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
      return run.history.at(-1)!.validationAccuracy!;
    });
  const rmiOnce = (filters: readonly number[]) =>
    timed(async () => {
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
              stages: convStages(net.model),
            },
            features,
            batch,
            { steps: settings.rmiSteps },
          );
        // A diverged candidate ranks last, as in rmiObjective.
        return Number.isFinite(r.score) ? r.score : Infinity;
      } finally {
        net.dispose();
      }
    });

  // Memoised per configuration and kind, with the clock and the seconds
  // each first evaluation took.
  const memo = {
    training: new Map<string, Promise<number>>(),
    rmi: new Map<string, Promise<number>>(),
  };
  const took = {
    training: new Map<string, number>(),
    rmi: new Map<string, number>(),
  };
  const evaluate = (kind: "training" | "rmi", filters: readonly number[]) => {
    const key = filters.join("-");
    if (!memo[kind].has(key)) {
      const once = kind === "training" ? trainOnce : rmiOnce;
      memo[kind].set(
        key,
        once(filters).then(({ value, seconds }) => {
          if (kind === "training") {
            clock.trainings++;
            clock.trainingSeconds += seconds;
            clock.trainingMacs += trainingMacs(filters, settings);
          } else {
            clock.rmiScores++;
            clock.rmiSeconds += seconds;
            clock.rmiMacs += rmiMacs(filters, settings);
          }
          took[kind].set(key, seconds);
          return value;
        }),
      );
    }
    return memo[kind].get(key)!;
  };
  const accuracy = (filters: readonly number[]) =>
    evaluate("training", filters);
  const rmi = (filters: readonly number[]) => evaluate("rmi", filters);
  const seconds = (kind: "training" | "rmi", filters: readonly number[]) => {
    const s = took[kind].get(filters.join("-"));
    if (s === undefined) {
      throw new RangeError(
        `no ${kind} of ${filters.join("-")} measured yet: call ${
          kind === "training" ? "accuracy" : "rmi"
        }() and await it first`,
      );
    }
    return s;
  };
  // Charged in seconds, the unit is the 12-12-12-12 network's training,
  // timed after one untimed run of each kind (the first runs compile).
  let referenceSeconds: { training: number; rmi: number } | undefined;
  if (settings.charge === "seconds") {
    await trainOnce([4, 4, 4, 4]);
    await rmiOnce([4, 4, 4, 4]);
    const ref = [12, 12, 12, 12];
    await accuracy(ref);
    await rmi(ref);
    referenceSeconds = {
      training: seconds("training", ref),
      rmi: seconds("rmi", ref),
    };
  }
  return {
    clock,
    accuracy,
    rmi,
    seconds,
    referenceSeconds,
    dispose() {
      tf.dispose([...features, batch.x]);
    },
  };
}

/**
 * The shipped runs of {@linkcode RMI_SEARCH_SECONDS}
 * (`data/rmi_search_runs.csv`: method, budget, seed, best, spent, trained,
 * scored), for notebook 05.
 *
 * @example
 * ```ts
 * import { readRmiSearchRuns } from "./rmi_search.ts";
 * const runs = await readRmiSearchRuns();
 * if (!runs.some((r) => r.method === "bore-rmi")) throw new Error();
 * ```
 */
export async function readRmiSearchRuns(
  path = new URL("../../data/rmi_search_runs.csv", import.meta.url),
): Promise<RmiSearchRun[]> {
  const text = await Deno.readTextFile(path);
  const [header, ...lines] = text.trim().split("\n");
  const columns = header.split(",");
  const want = [
    "method",
    "budget",
    "seed",
    "best",
    "spent",
    "trained",
    "scored",
  ];
  const missing = want.filter((c) => !columns.includes(c));
  if (missing.length) {
    throw new RangeError(
      `${path}: not an RMI search table (no ${
        missing.join(", ")
      } column); make one with \`deno run -A studies/predictors/rmi_search.ts --seconds --out=${path}\``,
    );
  }
  return lines.map((line) => {
    const cells = line.split(",");
    const get = (c: string) => cells[columns.indexOf(c)];
    return {
      method: get("method") as RmiSearchMethod,
      budget: Number(get("budget")),
      seed: Number(get("seed")),
      best: Number(get("best")),
      spent: Number(get("spent")),
      trained: Number(get("trained")),
      scored: Number(get("scored")),
    };
  });
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

/** One method's mean best accuracy against random search's at one budget. */
export interface RmiSearchGain {
  method: RmiSearchMethod;
  budget: number;
  /** Mean best accuracy minus random search's, in percentage points. */
  gain: number;
  /** Its standard error (the two means' SEs combined), in points. */
  se: number;
}

/**
 * Each method's gain over random search at each budget (random search
 * itself left out), for a chart whose zero is "as good as random".
 *
 * @example
 * ```ts
 * import { rmiSearchGains } from "./rmi_search.ts";
 * const s = (method: "random" | "bore-rmi", mean: number, se: number) =>
 *   ({ method, budget: 8, mean, se, seeds: 4, trained: 5, scored: 0 });
 * const [g] = rmiSearchGains([s("random", 0.9, 0.003), s("bore-rmi", 0.92, 0.004)]);
 * if (g.method !== "bore-rmi" || Math.abs(g.gain - 2) > 1e-9 || Math.abs(g.se - 0.5) > 1e-9) throw new Error();
 * ```
 */
export function rmiSearchGains(
  summary: readonly RmiSearchSummary[],
): RmiSearchGain[] {
  return summary.filter((s) => s.method !== "random").map((s) => {
    const random = summary.find((r) =>
      r.method === "random" && r.budget === s.budget
    );
    if (!random) {
      throw new RangeError(
        `no random search at budget ${s.budget} to compare ${s.method} with`,
      );
    }
    return {
      method: s.method,
      budget: s.budget,
      gain: 100 * (s.mean - random.mean),
      se: 100 * Math.hypot(s.se, random.se),
    };
  });
}

if (import.meta.main) {
  // `deno run -A studies/predictors/rmi_search.ts [--quick | --seconds]
  // [--out runs.csv]`: the table and the sentences written into
  // bench/README ("rmi search"), and with --out every run's row.
  const { rmiSearchFindings } = await import("./findings.ts");
  const settings = Deno.args.includes("--quick")
    ? RMI_SEARCH_QUICK
    : Deno.args.includes("--seconds")
    ? RMI_SEARCH_SECONDS
    : RMI_SEARCH;
  const out = Deno.args.find((a) => a.startsWith("--out="))?.slice(6);
  const t0 = performance.now();
  console.log(`load average at start: ${Deno.loadavg().join(", ")}`);
  const evaluator = await cnnSearchEvaluator(settings);
  if (evaluator.referenceSeconds) {
    console.log(
      `one reference training (12-12-12-12): ${
        evaluator.referenceSeconds.training.toFixed(3)
      } s; its RMI score: ${evaluator.referenceSeconds.rmi.toFixed(3)} s`,
    );
  }
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
  if (out) {
    const { default: pl } = await import("nodejs-polars");
    pl.DataFrame(runs.map((r) => ({ ...r }))).writeCSV(out);
    console.log(`runs written to ${out}`);
  }
  evaluator.dispose();
}
