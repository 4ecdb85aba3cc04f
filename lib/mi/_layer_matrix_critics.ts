/**
 * `layerMI`'s nwj, infonce and smile critics as chains that run anywhere:
 * one separable critic ({@linkcode SeparableTrainer}) through every
 * checkpoint, warm-started from the one before, reading only its job (plain
 * data), so it gives the same numbers on the main thread and in any worker
 * (`_layer_worker.ts`). The held-out read takes the tfjs bound of
 * `_bounds.ts` on the backend named in the job, as `heldOutBound` does on
 * the main thread.
 *
 * @module
 */

import { tf } from "../nets/backend.ts";
import { type MatrixBound, matrixBound } from "./_bounds.ts";
import type { CriticActivation } from "./_critic.ts";
import { gatherRows } from "./_kernel_mlp.ts";
import {
  type ChainResult,
  type ChainSide,
  fitCritic,
  type PairChainJob,
  standardised,
} from "./_layer_critics.ts";
import { SeparableTrainer } from "./_separable_trainer.ts";

/** Everything one nwj, infonce or smile critic needs through the run (plain data, so a worker can take it). */
export interface MatrixChainJob
  extends Omit<PairChainJob, "bound" | "key" | "hidden"> {
  /** Tells the job from a MINE-family {@linkcode PairChainJob}. */
  kind: "matrix";
  /** The bound trained and read out. */
  method: MatrixBound;
  /** The separable critic: hidden widths, embedding size, activation. */
  hidden: readonly number[];
  embedding: number;
  activation: CriticActivation;
  /** SMILE's clip τ. */
  tau: number;
  /** The tfjs backend the held-out bound is computed on ("wasm" or "cpu"). */
  backend: string;
}

/**
 * The held-out bound: the test rows in blocks of the batch size, one score
 * matrix per block, each block's bound by tfjs (as `heldOutBound`), then
 * their mean.
 */
function heldOut(
  trainer: SeparableTrainer,
  job: MatrixChainJob,
  a: Float32Array,
  b: Float32Array,
): number {
  const { testRows } = job;
  const n = testRows.length;
  const size = Math.min(job.b, n);
  const values: number[] = [];
  for (let start = 0; start + size <= n; start += size) {
    const rows = testRows.slice(start, start + size);
    const inputs = trainer.inputs(size, size);
    gatherRows(inputs.x, job.first.d, 0, a, job.first.d, rows);
    gatherRows(inputs.y, job.second.d, 0, b, job.second.d, rows);
    const s = trainer.matrix(size, size);
    values.push(
      tf.tidy(() =>
        matrixBound(job.method, tf.tensor2d(s, [size, size]), job.tau)
          .dataSync()[0]
      ),
    );
  }
  return values.reduce((acc, v) => acc + v, 0) / values.length;
}

/**
 * One separable critic on (first, second) through every checkpoint,
 * warm-started from the one before (unless `warmStart` is false): yields
 * each checkpoint's held-out bound in turn. Every critic starts from the
 * run's seed, as `estimateMI`'s do; each step's rows are copied from the
 * host arrays straight into the critic's kernel buffers.
 */
export async function* matrixChain(
  job: MatrixChainJob,
): AsyncGenerator<ChainResult> {
  const { first, second } = job;
  const sideAt = (side: ChainSide, c: number): Float32Array => {
    const v = side.checkpoints[side.checkpoints.length === 1 ? 0 : c];
    return side.raw ? standardised(v, job.rows, side.d, job.trainRows) : v;
  };
  let fit: SeparableTrainer | null = null;
  try {
    for (const [c, epoch] of job.epochs.entries()) {
      const [a, b] = [sideAt(first, c), sideAt(second, c)];
      const fresh = c === 0 || !job.warmStart;
      if (fresh) {
        fit?.dispose();
        fit = new SeparableTrainer(first.d, second.d, {
          bound: job.method,
          hidden: job.hidden,
          embedding: job.embedding,
          activation: job.activation,
          learningRate: job.learningRate,
          clip: job.tau,
          seed: job.seed,
        });
      }
      const trainer = fit!;
      const start = performance.now();
      const r = await fitCritic(
        job,
        job,
        epoch,
        fresh ? job.steps : job.warmSteps,
        (idx) => {
          const n = idx.length;
          const inputs = trainer.inputs(n, n);
          gatherRows(inputs.x, first.d, 0, a, first.d, idx);
          gatherRows(inputs.y, second.d, 0, b, second.d, idx);
          trainer.step(n);
        },
        () => heldOut(trainer, job, a, b),
      );
      yield { ...r, seconds: (performance.now() - start) / 1000 };
    }
  } finally {
    fit?.dispose();
  }
}
