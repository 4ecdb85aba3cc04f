/**
 * Training a neural MI estimator on fresh batches, as Poole et al. (2019)
 * do for their staircase figure: every step draws a new batch from a
 * source (which may change over time), so the per-step bound is an honest
 * estimate with no train/test split and no early stopping.
 *
 * @module
 */

import { ensureBackend, tf } from "../nets/backend.ts";
import type { MITask, Samples } from "./ground_truth.ts";
import { Random } from "../space/random.ts";
import { BoundTrace, makeTrainer } from "./_critic_trainers.ts";
import { MIError } from "./input.ts";
import {
  type NeuralMethod,
  type NeuralOptions,
  neuralSettings,
} from "./neural.ts";

/** Draws the batch for a step (1-based): `batchSize` rows of x and of y. */
export type BatchSource = (step: number, batchSize: number) => Samples;

/** Options of {@linkcode traceMI}: the neural options that apply to fresh batches. */
export type TraceOptions = Omit<
  NeuralOptions,
  "testFraction" | "evalEvery" | "patience"
>;

/** What {@linkcode traceMI} returns. */
export interface MITrace {
  /** The neural bound that was trained. */
  method: NeuralMethod;
  /** The bound on each step's fresh batch, in nats. */
  trace: number[];
  /** Rows per step's batch. */
  batchSize: number;
  /** Wall time of the whole trace, in seconds. */
  seconds: number;
}

function toBatch(rows: number[][], batchSize: number, what: string, d: number) {
  if (rows.length !== batchSize) {
    throw new MIError(
      `the batch source gave ${rows.length} rows of ${what} for a batch of ${batchSize}`,
    );
  }
  const out = new Float32Array(batchSize * d);
  rows.forEach((row, i) => {
    if (row.length !== d) {
      throw new MIError(
        `the batch source gave a row of ${what} with ${row.length} values, expected ${d}`,
      );
    }
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(row[j])) {
        throw new MIError(`the batch source gave ${row[j]} in ${what}`);
      }
      out[i * d + j] = row[j];
    }
  });
  return tf.tensor2d(out, [batchSize, d]);
}

/**
 * Trains a critic for `method` on a fresh batch from `source` each step
 * and returns the per-step bound. Data are used as given (not
 * standardised).
 *
 * @example
 * ```ts
 * import { traceMI } from "./stream.ts";
 * import { correlatedGaussian } from "./ground_truth.ts";
 * const task = correlatedGaussian({ dim: 2, rho: 0.8 });
 * const { trace } = await traceMI(
 *   "infonce",
 *   (step, n) => task.sample(n, { seed: step }),
 *   { steps: 50, batchSize: 32 },
 * );
 * if (trace.length !== 50) throw new Error("one bound per step");
 * ```
 */
export async function traceMI(
  method: NeuralMethod,
  source: BatchSource,
  options: TraceOptions = {},
): Promise<MITrace> {
  for (const key of ["testFraction", "evalEvery", "patience"]) {
    if (key in options) {
      throw new MIError(
        `traceMI draws fresh batches, so "${key}" does not apply; remove it`,
      );
    }
  }
  await ensureBackend();
  const settings = neuralSettings(method, options);
  const { steps, batchSize: b, seed } = settings;
  if (b < 2) throw new MIError(`batchSize must be at least 2, got ${b}`);
  const first = source(1, b);
  const [dx, dy] = [first.x[0]?.length ?? 0, first.y[0]?.length ?? 0];
  if (dx < 1 || dy < 1) {
    throw new MIError("the batch source gave empty rows");
  }
  const trainer = makeTrainer({ method, dx, dy, ...settings });
  const r = new Random(seed, `trace-${method}`);
  const idx = Int32Array.from({ length: b }, (_, i) => i);
  const start = performance.now();
  const trace = new BoundTrace(options.onStep);
  try {
    for (let step = 1; step <= steps; step++) {
      const batch = step === 1 ? first : source(step, b);
      const x = toBatch(batch.x, b, "x", dx);
      const y = toBatch(batch.y, b, "y", dy);
      const idx2 = Int32Array.from(r.permutation(b));
      trace.push(trainer.step(x, y, idx, idx2));
      tf.dispose([x, y]);
      if (step % 200 === 0) {
        await new Promise((resolve) => setTimeout(resolve, 0)); // let progress displays draw
      }
    }
    trace.flush();
  } finally {
    trace.dispose();
    trainer.dispose();
  }
  return {
    method,
    trace: trace.values,
    batchSize: b,
    seconds: (performance.now() - start) / 1000,
  };
}

/**
 * A source that walks through `tasks`, `stepsPerTask` steps each (the last
 * task continues past the end), with `truth(step)` the current task's MI:
 * Poole et al.'s staircase when given `staircase()`.
 *
 * @example
 * ```ts
 * import { taskSchedule } from "./stream.ts";
 * import { staircase } from "./ground_truth.ts";
 * const schedule = taskSchedule(staircase(), 100);
 * if (Math.round(schedule.truth(150)) !== 4) throw new Error("second level");
 * ```
 */
export function taskSchedule(
  tasks: readonly MITask[],
  stepsPerTask: number,
  options: { seed?: number } = {},
): { source: BatchSource; truth: (step: number) => number; steps: number } {
  if (tasks.length === 0) throw new MIError("taskSchedule needs tasks");
  if (!Number.isInteger(stepsPerTask) || stepsPerTask < 1) {
    throw new MIError(
      `stepsPerTask must be a positive integer, got ${stepsPerTask}`,
    );
  }
  const seed = options.seed ?? 0;
  const at = (step: number) =>
    tasks[Math.min(tasks.length - 1, Math.floor((step - 1) / stepsPerTask))];
  return {
    source: (step, n) => at(step).sample(n, { seed: seed * 1_000_003 + step }),
    truth: (step) => at(step).mutualInformation,
    steps: tasks.length * stepsPerTask,
  };
}
