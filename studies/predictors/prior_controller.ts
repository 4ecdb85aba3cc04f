/**
 * Experiment 2 of the thesis, re-testable: a REINFORCE controller maps a
 * task's features (its mean per-layer MI, standardised over tasks) to a
 * *Hyperband prior* — per hidden layer, a distribution over the width
 * options that Hyperband samples its architectures from — and is rewarded
 * with the score (acc − λ Σ widths) of the architecture Hyperband returns.
 * The baseline subtracted from the reward is the previous score on the same
 * task, as in the thesis. Held-out tasks compare the controller's prior with
 * a uniform prior and with a fixed prior (e.g. experiment 1's prediction):
 * mean Hyperband output score ± SE (the analogue of Table 3.2).
 *
 * Architectures Hyperband samples are scored by a surrogate: the measured
 * architecture of the same task nearest in width options (L1 on option
 * indices), whose validation accuracy at each rung budget the sweep holds.
 * With 17 measured architectures per task this is coarse; it is what makes
 * thousands of Hyperband runs affordable on a laptop, and it is stated
 * wherever the numbers are shown.
 *
 * @module
 */

import { brackets } from "../../lib/search/hyperband.ts";
import { Random } from "../../lib/space/random.ts";
import type { SweepArchitecture } from "./hyperband_posterior.ts";
import { standardiseColumns } from "./posterior_prediction.ts";

/** Settings of {@linkcode experiment2}. */
export interface Experiment2Options {
  options: readonly number[];
  maxBudget: number;
  eta: number;
  lambda?: number;
  /** Training episodes (one Hyperband run on a random training task each). Default 2,000. */
  episodes?: number;
  /** Hyperband runs per held-out task and prior for the evaluation. Default 200. */
  evaluationRuns?: number;
  learningRate?: number;
  seed?: number;
  /** Called every 100 episodes with the mean reward of the last 100. */
  onProgress?: (episode: number, meanScore: number) => void;
}

/** A task for the controller: its features and measured architectures. */
export interface ControllerTask {
  index: number;
  heldOut: boolean;
  features: number[];
  archs: SweepArchitecture[];
}

/** One point of the learning curve. */
export interface ControllerCurvePoint {
  episode: number;
  meanScore: number;
}

/** Mean Hyperband output score on the held-out tasks for one prior (the mean over tasks of per-task means; `se` from run-to-run variation). */
export interface PriorScore {
  prior: string;
  mean: number;
  se: number;
  runs: number;
}

type Prior = number[][];

function score(a: SweepArchitecture, budget: number, lambda: number): number {
  return a.accuracy[budget] - lambda * a.widths.reduce((s, w) => s + w, 0);
}

/** The measured architecture nearest to `widths` (L1 on option indices). */
function nearest(
  archs: readonly SweepArchitecture[],
  widths: readonly number[],
  options: readonly number[],
): SweepArchitecture {
  let best = archs[0], bestD = Infinity;
  for (const a of archs) {
    let d = 0;
    for (let l = 0; l < widths.length; l++) {
      d += Math.abs(options.indexOf(a.widths[l]) - options.indexOf(widths[l]));
    }
    if (d < bestD) [best, bestD] = [a, d];
  }
  return best;
}

function sampleIndex(p: readonly number[], r: Random): number {
  let u = r.uniform();
  for (let j = 0; j < p.length; j++) {
    u -= p[j];
    if (u <= 0) return j;
  }
  return p.length - 1;
}

/**
 * One Hyperband run (Li et al.'s brackets) whose new architectures are
 * drawn from `prior`, scored through the surrogate; returns the best
 * score at the maximum budget and the option indices it drew.
 *
 * @example
 * ```ts
 * import { hyperbandWithPrior } from "./prior_controller.ts";
 * import { Random } from "../../lib/space/random.ts";
 * const archs = [10, 20].map((w, slot) => ({ task: 0, bracket: 0, slot, widths: [w], accuracy: { 1: w / 100, 3: w / 100, 9: w / 100 } }));
 * const run = hyperbandWithPrior(archs, [[0, 1]], { options: [10, 20], maxBudget: 9, eta: 3 }, new Random(0));
 * if (run.score !== 0.2 - 1e-4 * 20) throw new Error(String(run.score));
 * ```
 */
export function hyperbandWithPrior(
  archs: readonly SweepArchitecture[],
  prior: Prior,
  o: Pick<Experiment2Options, "options" | "maxBudget" | "eta" | "lambda">,
  r: Random,
): { score: number; drawn: number[][] } {
  const lambda = o.lambda ?? 1e-4;
  const drawn: number[][] = [];
  let best = -Infinity;
  for (const b of brackets({ min: 1, max: o.maxBudget, eta: o.eta }, "li")) {
    let alive = Array.from({ length: b.sizes[0] }, () => {
      const idx = prior.map((p) => sampleIndex(p, r));
      drawn.push(idx);
      return nearest(archs, idx.map((k) => o.options[k]), o.options);
    });
    for (let i = 0; i + 1 < b.sizes.length; i++) {
      const budget = b.budgets[i];
      alive = [...alive].sort((p, q) => q.accuracy[budget] - p.accuracy[budget])
        .slice(0, Math.max(1, b.sizes[i + 1]));
    }
    for (const a of alive) best = Math.max(best, score(a, o.maxBudget, lambda));
  }
  return { score: best, drawn };
}

/** A linear softmax policy per layer: logits = W f + b. */
class Controller {
  readonly w: number[][][];
  readonly b: number[][];
  constructor(layers: number, k: number, d: number) {
    this.w = Array.from(
      { length: layers },
      () => Array.from({ length: k }, () => new Array<number>(d).fill(0)),
    );
    this.b = Array.from({ length: layers }, () => new Array<number>(k).fill(0));
  }
  prior(f: readonly number[]): Prior {
    return this.w.map((wl, l) => {
      const logits = wl.map((row, j) =>
        row.reduce((s, v, i) => s + v * f[i], this.b[l][j])
      );
      const m = Math.max(...logits);
      const e = logits.map((v) => Math.exp(v - m));
      const z = e.reduce((a, v) => a + v, 0);
      return e.map((v) => v / z);
    });
  }
  /** Ascends advantage · ∇ Σ log p(drawn). */
  update(
    f: readonly number[],
    prior: Prior,
    drawn: readonly number[][],
    advantage: number,
    lr: number,
  ): void {
    for (let l = 0; l < this.w.length; l++) {
      const counts = new Array<number>(prior[l].length).fill(0);
      for (const d of drawn) counts[d[l]]++;
      for (let j = 0; j < counts.length; j++) {
        // d/dlogit_j Σ_draws log p(draw) = count_j − N p_j
        const g = advantage * (counts[j] - drawn.length * prior[l][j]) /
          drawn.length;
        this.b[l][j] += lr * g;
        for (let i = 0; i < f.length; i++) this.w[l][j][i] += lr * g * f[i];
      }
    }
  }
}

/**
 * Trains the controller on the training tasks, then scores priors on the
 * held-out tasks: the controller's, a uniform one, and any `fixedPriors`
 * (per held-out task, e.g. experiment 1's predicted posterior).
 */
export function experiment2(
  tasks: readonly ControllerTask[],
  options: Experiment2Options,
  fixedPriors: Record<string, (task: ControllerTask) => Prior> = {},
): { curve: ControllerCurvePoint[]; scores: PriorScore[] } {
  const k = options.options.length;
  const layers = tasks[0].archs[0].widths.length;
  const d = tasks[0].features.length + 0;
  const r = new Random(options.seed ?? 0, "experiment2");
  const controller = new Controller(layers, k, d);
  const train = tasks.filter((t) => !t.heldOut);
  const test = tasks.filter((t) => t.heldOut);
  if (train.length === 0 || test.length === 0) {
    throw new RangeError(
      `experiment 2 needs training and held-out tasks; got ${train.length} and ${test.length}`,
    );
  }
  const episodes = options.episodes ?? 2000;
  const lr = options.learningRate ?? 0.5;
  const previous = new Map<number, number>();
  const curve: ControllerCurvePoint[] = [];
  let window: number[] = [];
  for (let e = 1; e <= episodes; e++) {
    const t = train[r.integer(0, train.length)];
    const prior = controller.prior(t.features);
    const run = hyperbandWithPrior(t.archs, prior, options, r);
    // The thesis's baseline: the previous score on the same task.
    const baseline = previous.get(t.index) ?? run.score;
    controller.update(t.features, prior, run.drawn, run.score - baseline, lr);
    previous.set(t.index, run.score);
    window.push(run.score);
    if (e % 100 === 0) {
      const mean = window.reduce((a, v) => a + v, 0) / window.length;
      curve.push({ episode: e, meanScore: mean });
      options.onProgress?.(e, mean);
      window = [];
    }
  }
  const uniform: Prior = Array.from(
    { length: layers },
    () => new Array<number>(k).fill(1 / k),
  );
  const priors: Record<string, (t: ControllerTask) => Prior> = {
    "controller": (t) => controller.prior(t.features),
    "uniform": () => uniform,
    ...fixedPriors,
  };
  const runs = options.evaluationRuns ?? 200;
  const scores = Object.entries(priors).map(([name, make]) => {
    // The same seed for every prior; the mean over tasks of each task's
    // mean score, with the run-to-run standard error (task effects are
    // shared by every prior, so they are not part of the comparison).
    const er = new Random(options.seed ?? 0, "experiment2-evaluation");
    let mean = 0, variance = 0;
    for (const t of test) {
      const prior = make(t);
      const values = Array.from(
        { length: runs },
        () => hyperbandWithPrior(t.archs, prior, options, er).score,
      );
      const m = values.reduce((a, v) => a + v, 0) / runs;
      const v = values.reduce((a, x) => a + (x - m) ** 2, 0) / (runs - 1);
      mean += m / test.length;
      variance += v / runs / test.length ** 2;
    }
    return {
      prior: name,
      mean,
      se: Math.sqrt(variance),
      runs: runs * test.length,
    };
  });
  return { curve, scores };
}

/**
 * The controller's tasks from the sweep's rows: per task, the features are
 * the mean I(C_i; y) of its architectures by `estimator` (or any vector
 * `featuresOf` returns), standardised over tasks.
 */
export function controllerTasks(
  rows: readonly (SweepArchitecture & { mi: Record<string, number[]> })[],
  heldOut: (task: number) => boolean,
  featuresOf: string | ((task: number) => number[]),
): ControllerTask[] {
  const byTask = new Map<number, SweepArchitecture[]>();
  const mi = new Map<number, number[][]>();
  for (const r of rows) {
    if (!byTask.has(r.task)) {
      byTask.set(r.task, []);
      mi.set(r.task, []);
    }
    byTask.get(r.task)!.push(r);
    if (typeof featuresOf === "string") mi.get(r.task)!.push(r.mi[featuresOf]);
  }
  const indices = [...byTask.keys()].sort((a, b) => a - b);
  const raw = indices.map((t) =>
    typeof featuresOf === "string"
      ? mi.get(t)![0].map((_, i) =>
        mi.get(t)!.reduce((s, v) => s + v[i], 0) / mi.get(t)!.length
      )
      : featuresOf(t)
  );
  const features = standardiseColumns(raw);
  return indices.map((t, i) => ({
    index: t,
    heldOut: heldOut(t),
    features: features[i],
    archs: byTask.get(t)!,
  }));
}
