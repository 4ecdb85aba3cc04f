/**
 * Running several estimators over tasks with known MI, sample sizes and
 * seeds: one row per fit, ready for a table or a chart. The grid behind the
 * bias/variance, task × estimator and dimension figures of notebook 01.
 *
 * @module
 */

import { correlatedGaussian, type MITask } from "./ground_truth.ts";
import { estimateMI, type MIMethod, type MIOptions } from "./estimate.ts";
import { MIError } from "./input.ts";

/** One fit of {@linkcode compareEstimators}. */
export interface ComparisonRow {
  /** The task's name (`MITask.name`). */
  task: string;
  /** The estimator that made this fit. */
  method: MIMethod;
  /** Samples drawn for the fit. */
  n: number;
  /** Seed of the task's sample. */
  seed: number;
  /** The estimate, in nats. */
  estimate: number;
  /** The task's true MI, in nats. */
  truth: number;
  /** |ln(estimate / truth)|: 0 is exact, ln 1.5 ≈ 0.405 is off by a factor 1.5. Infinity for an estimate of zero or below (a lower bound can go negative). */
  logRatioError: number;
  /** Wall time of the fit, in seconds. */
  seconds: number;
}

/** Options of {@linkcode compareEstimators}. */
export interface CompareOptions {
  /** Tasks to sample, each with its true MI. */
  tasks: readonly MITask[];
  /** Methods, or full option sets (e.g. `{ method: "mine", steps: 500 }`). */
  estimators: readonly (MIMethod | MIOptions)[];
  /** Sample sizes. Default [10,000]. */
  sizes?: readonly number[];
  /** Seeds of the samples (each fit's own seed stays its default). Default [0]. */
  seeds?: readonly number[];
  /** Called after each fit, e.g. to drive a progress bar. */
  onRow?: (row: ComparisonRow, done: number, total: number) => void;
}

/**
 * Fits every estimator on every task, size and seed.
 *
 * @example
 * ```ts
 * import { compareEstimators } from "./compare.ts";
 * import { correlatedGaussian } from "./ground_truth.ts";
 * const rows = await compareEstimators({
 *   tasks: [correlatedGaussian({ dim: 1, rho: 0.5 })],
 *   estimators: ["ksg", "gaussian"],
 *   sizes: [500],
 * });
 * if (rows.length !== 2) throw new Error("one row per fit");
 * ```
 */
export async function compareEstimators(
  options: CompareOptions,
): Promise<ComparisonRow[]> {
  const sizes = options.sizes ?? [10_000];
  const seeds = options.seeds ?? [0];
  if (options.tasks.length === 0 || options.estimators.length === 0) {
    throw new MIError(
      "compareEstimators needs at least one task and one estimator",
    );
  }
  const estimators: MIOptions[] = options.estimators.map((e) =>
    typeof e === "string" ? { method: e } as MIOptions : e
  );
  const total = options.tasks.length * sizes.length * seeds.length *
    estimators.length;
  const rows: ComparisonRow[] = [];
  for (const task of options.tasks) {
    for (const n of sizes) {
      for (const seed of seeds) {
        const { x, y } = task.sample(n, { seed });
        for (const estimator of estimators) {
          const r = await estimateMI(x, y, estimator);
          const row: ComparisonRow = {
            task: task.name,
            method: estimator.method,
            n,
            seed,
            estimate: r.estimate,
            truth: task.mutualInformation,
            logRatioError: r.estimate > 0
              ? Math.abs(Math.log(r.estimate / task.mutualInformation))
              : Infinity,
            seconds: r.seconds,
          };
          rows.push(row);
          options.onRow?.(row, rows.length, total);
        }
      }
    }
  }
  return rows;
}

/** Mean and standard deviation of the estimates per task, method and size. */
export interface BiasVarianceRow {
  /** The task's name. */
  task: string;
  /** The estimator. */
  method: MIMethod;
  /** Samples per fit. */
  n: number;
  /** Mean estimate over the seeds, in nats. */
  mean: number;
  /**
   * Sample standard deviation of the estimates (n − 1 denominator; 0 for a
   * single fit), in nats.
   */
  sd: number;
  /** The task's true MI, in nats. */
  truth: number;
  /** mean − truth, in nats. */
  bias: number;
  /** The number of fits (seeds) averaged. */
  fits: number;
}

/**
 * Summarises {@linkcode compareEstimators} rows over seeds.
 *
 * @example
 * ```ts
 * import { biasVariance } from "./compare.ts";
 * const rows = biasVariance([
 *   { task: "t", method: "ksg", n: 10, seed: 0, estimate: 1, truth: 1, logRatioError: 0, seconds: 0 },
 *   { task: "t", method: "ksg", n: 10, seed: 1, estimate: 3, truth: 1, logRatioError: 1, seconds: 0 },
 * ]);
 * if (rows[0].mean !== 2 || rows[0].bias !== 1) throw new Error();
 * ```
 */
export function biasVariance(
  rows: readonly ComparisonRow[],
): BiasVarianceRow[] {
  const groups = new Map<string, ComparisonRow[]>();
  for (const r of rows) {
    const key = JSON.stringify([r.task, r.method, r.n]);
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()].map((g) => {
    const mean = g.reduce((a, r) => a + r.estimate, 0) / g.length;
    const variance = g.length > 1
      ? g.reduce((a, r) => a + (r.estimate - mean) ** 2, 0) / (g.length - 1)
      : 0;
    return {
      task: g[0].task,
      method: g[0].method,
      n: g[0].n,
      mean,
      sd: Math.sqrt(variance),
      truth: g[0].truth,
      bias: mean - g[0].truth,
      fits: g.length,
    };
  });
}

/** A {@linkcode compareEstimators} row of a dimension sweep. */
export interface DimensionRow extends ComparisonRow {
  /** The dimension of x (and of y). */
  dim: number;
}

/**
 * Correlated Gaussians of growing dimension with the same total MI (so only
 * the dimension changes), each fitted by every estimator.
 *
 * @example
 * ```ts
 * import { dimensionSweep } from "./compare.ts";
 * const rows = await dimensionSweep({ dims: [1, 2], mutualInformation: 1, estimators: ["gaussian"], n: 500 });
 * if (rows[1].dim !== 2 || Math.abs(rows[1].truth - 1) > 1e-9) throw new Error();
 * ```
 */
export async function dimensionSweep(options: {
  dims: readonly number[];
  /** The total MI of every task, nats. */
  mutualInformation: number;
  estimators: readonly (MIMethod | MIOptions)[];
  n: number;
  seeds?: readonly number[];
  onRow?: CompareOptions["onRow"];
}): Promise<DimensionRow[]> {
  const mi = options.mutualInformation;
  if (!(mi > 0)) {
    throw new MIError(`mutualInformation must be positive, got ${mi}`);
  }
  const out: DimensionRow[] = [];
  // Progress counts over the whole sweep, not restarting at each dimension.
  const perDim = options.estimators.length * (options.seeds ?? [0]).length;
  const total = perDim * options.dims.length;
  for (const [d, dim] of options.dims.entries()) {
    const task = correlatedGaussian({
      dim,
      rho: Math.sqrt(1 - Math.exp((-2 * mi) / dim)),
    });
    const rows = await compareEstimators({
      tasks: [task],
      estimators: options.estimators,
      sizes: [options.n],
      seeds: options.seeds,
      onRow: (row, done) => options.onRow?.(row, d * perDim + done, total),
    });
    out.push(...rows.map((r) => ({ ...r, dim })));
  }
  return out;
}
