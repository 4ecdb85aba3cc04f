/**
 * How `layerMI` trains one critic through a run of checkpoints, with no
 * tfjs and no state shared between critics: the step schedule
 * ({@linkcode trainSteps}, {@linkcode fitCritic}) and the MINE family's
 * warm-started chain ({@linkcode pairChain}). A chain reads only its own
 * job, so it gives the same numbers on the main thread and in any worker
 * (`_layer_worker.ts`).
 *
 * @module
 */

import { Random } from "../space/random.ts";
import { columnMoments } from "./input.ts";
import { gatherRows } from "./_kernel_mlp.ts";
import {
  type PairBound,
  pairBoundValue,
  PairTrainer,
} from "./_pair_trainer.ts";

/** What the step schedule needs of a run. */
export interface StepRun {
  /** The run's seed. */
  seed: number;
  /** Batch size. */
  b: number;
  /** The critics' training rows. */
  trainRows: readonly number[];
}

/** How long a critic trains at a checkpoint (`layerMI`'s `until` options). */
export interface StopRule {
  until?: "steps" | "plateau";
  evalEvery?: number;
  patience?: number;
}

/** Columns standardised on the given rows (constant columns centred only). */
export function standardised(
  data: Float32Array,
  rows: number,
  cols: number,
  fitRows: readonly number[],
): Float32Array {
  const fit = new Float64Array(fitRows.length * cols);
  fitRows.forEach((r, i) => {
    for (let j = 0; j < cols; j++) fit[i * cols + j] = data[r * cols + j];
  });
  const { mean, std } = columnMoments({
    rows: fitRows.length,
    cols,
    data: fit,
  });
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      out[i * cols + j] = (data[i * cols + j] - mean[j]) /
        (std[j] > 0 ? std[j] : 1);
    }
  }
  return out;
}

/**
 * `steps` training steps at one checkpoint on the run's training rows: each
 * draws the joint rows `idx` and the rows `idx2` of the shuffled side from
 * the checkpoint's batch stream, then calls `step`; yields to the event
 * loop every 200 steps so progress displays draw.
 */
export async function trainSteps(
  run: StepRun,
  epoch: number,
  steps: number,
  step: (idx: Int32Array, idx2: Int32Array) => void,
  // The same batch stream for every critic of a checkpoint (continued
  // across calls when training in chunks).
  batches = new Random(run.seed, `layer-mi-batches ${epoch}`),
): Promise<void> {
  const { b, trainRows } = run;
  const idx = new Int32Array(b);
  const idx2 = new Int32Array(b);
  for (let s = 1; s <= steps; s++) {
    for (let i = 0; i < b; i++) {
      idx[i] = trainRows[batches.integer(0, trainRows.length)];
      idx2[i] = trainRows[batches.integer(0, trainRows.length)];
    }
    step(idx, idx2);
    if (s % 200 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/**
 * Trains one critic at one checkpoint and reads its held-out bound: the
 * fixed `steps` then one read (`until: "steps"`), or reads every
 * `evalEvery` steps until `patience` reads in a row bring no improvement
 * (`until: "plateau"`), returning the best read and the steps taken.
 */
export async function fitCritic(
  run: StepRun,
  rule: StopRule,
  epoch: number,
  steps: number,
  step: (idx: Int32Array, idx2: Int32Array) => void,
  evaluate: () => number,
): Promise<{ estimate: number; steps?: number }> {
  if ((rule.until ?? "steps") === "steps") {
    await trainSteps(run, epoch, steps, step);
    return { estimate: evaluate() };
  }
  const every = rule.evalEvery ?? 100;
  const patience = rule.patience ?? 5;
  const batches = new Random(run.seed, `layer-mi-batches ${epoch}`);
  let best = -Infinity, stale = 0, done = 0;
  while (done < steps && stale < patience) {
    const chunk = Math.min(every, steps - done);
    await trainSteps(run, epoch, chunk, step, batches);
    done += chunk;
    const e = evaluate();
    if (e > best) {
      best = e;
      stale = 0;
    } else stale++;
  }
  return { estimate: best, steps: done };
}

/**
 * One side of a critic's input: row-major `rows × d` values at each
 * checkpoint (one array for a side that does not change, such as x),
 * standardised on the training rows when `raw` (a layer's activations).
 */
export interface ChainSide {
  d: number;
  checkpoints: Float32Array[];
  raw: boolean;
}

/** Everything one MINE-family critic needs through the run (plain data, so a worker can take it). */
export interface PairChainJob extends StepRun, StopRule {
  /** Names the critic's initial-weight stream, e.g. "layer 3 I(X;T)". */
  key: string;
  /** Probe rows. */
  rows: number;
  first: ChainSide;
  second: ChainSide;
  /** The checkpoints' epochs. */
  epochs: number[];
  testRows: readonly number[];
  /** Steps at a fresh critic (first checkpoint, or no warm start) and at a warm one. */
  steps: number;
  warmSteps: number;
  warmStart: boolean;
  hidden: readonly number[];
  bound: PairBound;
  learningRate: number;
}

/** One checkpoint's result of a chain. */
export interface ChainResult {
  estimate: number;
  /** `until: "plateau"` only: the steps trained. */
  steps?: number;
  seconds: number;
}

/**
 * One concat critic through every checkpoint, warm-started from the one
 * before (unless `warmStart` is false): yields each checkpoint's held-out
 * bound in turn. Each step's rows are copied from the host arrays straight
 * into the critic's kernel buffer.
 */
export async function* pairChain(
  job: PairChainJob,
): AsyncGenerator<ChainResult> {
  const { first, second, testRows } = job;
  const w = first.d + second.d;
  const sideAt = (side: ChainSide, c: number): Float32Array => {
    const v = side.checkpoints[side.checkpoints.length === 1 ? 0 : c];
    return side.raw ? standardised(v, job.rows, side.d, job.trainRows) : v;
  };
  let fit: PairTrainer | null = null;
  for (const [c, epoch] of job.epochs.entries()) {
    const [a, b] = [sideAt(first, c), sideAt(second, c)];
    const fresh = c === 0 || !job.warmStart;
    if (fresh) {
      // The critic's weights come from its own stream, named by its key.
      fit = new PairTrainer(w, job.hidden, {
        bound: job.bound,
        learningRate: job.learningRate,
        seed: job.seed,
        stream: `critic ${job.key}`,
      });
    }
    const trainer = fit!;
    /** Fills the input with rows [first[i1[k]], second[i2[k]]]; returns their count. */
    const fill = (i1: Int32Array, i2: Int32Array): number => {
      const into = trainer.rows(i1.length);
      gatherRows(into, w, 0, a, first.d, i1);
      gatherRows(into, w, first.d, b, second.d, i2);
      return i1.length;
    };
    const start = performance.now();
    // Joint rows then marginal rows; the index buffers are reused each step.
    let [i1, i2] = [new Int32Array(0), new Int32Array(0)];
    const step = (idx: Int32Array, idx2: Int32Array) => {
      const n = idx.length;
      if (i1.length !== 2 * n) {
        [i1, i2] = [new Int32Array(2 * n), new Int32Array(2 * n)];
      }
      i1.set(idx);
      i1.set(idx, n);
      i2.set(idx);
      i2.set(idx2, n);
      trainer.step(fill(i1, i2), n);
    };
    const evaluate = () => {
      // Held-out bound: the test rows (4 copies) against 4 shuffles of them.
      const shuffles = new Random(job.seed, `layer-mi-test ${epoch}`);
      const jointIdx = Int32Array.from(
        Array.from({ length: 4 }, () => testRows).flat(),
      );
      const marginalIdx = Int32Array.from(
        Array.from(
          { length: 4 },
          () => shuffles.permutation(testRows.length),
        )
          .flat().map((k) => testRows[k]),
      );
      const joint = trainer.scores(fill(jointIdx, jointIdx));
      const marginal = trainer.scores(fill(jointIdx, marginalIdx));
      return pairBoundValue(joint, marginal, trainer.bound);
    };
    const r = await fitCritic(
      job,
      job,
      epoch,
      fresh ? job.steps : job.warmSteps,
      step,
      evaluate,
    );
    yield { ...r, seconds: (performance.now() - start) / 1000 };
  }
}
