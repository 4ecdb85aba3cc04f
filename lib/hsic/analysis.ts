/**
 * `hsicAnalysis`: HSIC indices of a search space's hyperparameters on a
 * trials table — the paper's [0,1] encoding through the space, conditional
 * hyperparameters on the trials where they are active, optional pairwise
 * interaction indices and bootstrap intervals.
 *
 * @module
 */

import pl from "nodejs-polars";
import { Random } from "../space/random.ts";
import type { Config, SearchSpace } from "../space/space.ts";
import type { TrialRow } from "../trials/trials.ts";
import { bandwidthOf, gaussianGram, HsicError } from "./kernels.ts";
import {
  type HsicRow,
  hsicRowsFrame,
  hsicTable,
  lowerQuantile,
  outputGram,
  type PValueKind,
} from "./indices.ts";
import {
  asymptoticPValue,
  Gram,
  hsic,
  type HsicEstimator,
} from "./statistic.ts";
import type { DataFrame } from "../_frame.ts";

/** The fewest usable trials an analysis accepts. */
export const MIN_TRIALS = 10;

/** Options of {@linkcode hsicAnalysis}. */
export interface HsicAnalysisOptions {
  /** The objective column; default "loss". */
  objective?: string;
  /** Whether smaller objective values are better; default true. */
  minimize?: boolean;
  /**
   * The good region: the best `quantile` fraction of trials (Z = 1 for them).
   * Default { quantile: 0.1 }, the paper's choice; `null` for a global
   * analysis on the objective itself.
   */
  goal?: { quantile: number } | null;
  /** "V" (default) or "U". */
  estimator?: HsicEstimator;
  /** Which p-values; default both. */
  pValues?: readonly PValueKind[];
  /** Permutations B; default 100. */
  permutations?: number;
  /** Pairwise interaction indices; default false. */
  interactions?: boolean;
  /**
   * Bootstrap resamples for percentile intervals on R2-HSIC; default 0
   * (none). Resamples repeat rows, and repeated rows look dependent to a
   * kernel, so the intervals lean upward: read them as the estimate's spread,
   * not as unbiased confidence intervals.
   */
  bootstrap?: number;
  /** Coverage of the bootstrap intervals; default 0.9. */
  confidence?: number;
  /** Seed of the encoding jitter, permutations and bootstrap; default 0. */
  seed?: number;
}

/** The result of {@linkcode hsicAnalysis}. */
export interface HsicAnalysis {
  /**
   * One row per hyperparameter: `name, hsic, r2, share, pAsymptotic,
   * pPermutation, nActive`, plus `r2Low, r2High` (bootstrap interval, null
   * without bootstrap), sorted by R2-HSIC, largest first.
   */
  indices: DataFrame;
  /**
   * With `interactions`: one row per pair, `a, b, r2, hsic, pAsymptotic,
   * nActive`: the R2-HSIC of the pair (product kernel) on the trials where
   * both are active. Null otherwise.
   */
  interactions: DataFrame | null;
  /** Trials used. */
  n: number;
  /** Trials dropped: failed or pruned status, or a null/NaN objective. */
  dropped: number;
  /** The objective value that bounds the good region, or null (global). */
  threshold: number | null;
}

const OPTION_KEYS = new Set([
  "objective",
  "minimize",
  "goal",
  "estimator",
  "pValues",
  "permutations",
  "interactions",
  "bootstrap",
  "confidence",
  "seed",
]);

/** The usable trials as encoded rows and oriented objective values. */
export function encodeTrials(
  trials: DataFrame | readonly TrialRow[],
  space: SearchSpace,
  objective: string,
  minimize: boolean,
  seed: number,
): { u: (number | null)[][]; y: number[]; dropped: number } {
  const rows: Record<string, unknown>[] = Array.isArray(trials)
    ? trials as Record<string, unknown>[]
    : (trials as pl.DataFrame).toRecords();
  if (rows.length > 0 && !(objective in rows[0])) {
    throw new HsicError(
      `no objective column "${objective}" in the trials; columns: ${
        Object.keys(rows[0]).join(", ")
      } (set options.objective)`,
    );
  }
  const configs: Config[] = [];
  const y: number[] = [];
  let dropped = 0;
  for (const row of rows) {
    const value = row[objective];
    const status = row.status ?? "ok";
    if (
      status !== "ok" || typeof value !== "number" || !Number.isFinite(value)
    ) {
      dropped++;
      continue;
    }
    const config: Config = {};
    for (const name of space.names) {
      const v = row[name];
      if (v !== null && v !== undefined) config[name] = v as Config[string];
    }
    configs.push(config);
    y.push(minimize ? value : -value);
  }
  for (const name of space.names) {
    const values = new Set(
      configs.map((c) => c[name]).filter((v) => v !== undefined),
    );
    if (values.size === 1) {
      throw new HsicError(
        `"${name}" is constant (${
          JSON.stringify([...values][0])
        }) over the trials, so it has no index (the encoding's jitter would only add noise); leave it out of the space given to the analysis`,
      );
    }
  }
  const u = space.encodeMany(configs, {
    seed: new Random(seed, "hsic-encode"),
  });
  return { u, y, dropped };
}

/**
 * Goal-oriented HSIC analysis of a trials table over its search space.
 *
 * Each hyperparameter is encoded into [0,1] as the HSIC paper does (see
 * `SearchSpace.encode`: min-max or log for continuous, cell plus jitter for
 * integers and categoricals) and gets a Gaussian kernel with the "std"
 * bandwidth. Trials whose status is not "ok" or whose objective is null or
 * NaN are dropped and counted in `dropped`; fewer than {@linkcode MIN_TRIALS}
 * usable trials, a hyperparameter constant over the trials, or a quantile
 * outside (0, 1) are errors.
 *
 * @example
 * ```ts
 * import { SearchSpace, float, categorical } from "../space/space.ts";
 * import { trialRow } from "../trials/trials.ts";
 * import { hsicAnalysis } from "./analysis.ts";
 * const space = new SearchSpace({ lr: float(1e-4, 1, { log: true }), act: categorical(["relu", "tanh"]) });
 * const rows = space.sampleMany(60, 1).map((config, trial) => trialRow({
 *   trial, config, duration_s: 0,
 *   objectives: { loss: Math.abs(Math.log10(config.lr as number) + 2) },
 * }));
 * const { indices } = hsicAnalysis(rows, space, { goal: { quantile: 0.2 } });
 * if (indices.getColumn("name").toArray()[0] !== "lr") throw new Error("lr decides");
 * ```
 */
export function hsicAnalysis(
  trials: DataFrame | readonly TrialRow[],
  space: SearchSpace,
  options: HsicAnalysisOptions = {},
): HsicAnalysis {
  for (const k of Object.keys(options)) {
    if (!OPTION_KEYS.has(k)) {
      throw new HsicError(
        `unknown option "${k}"; known: ${[...OPTION_KEYS].join(", ")}`,
      );
    }
  }
  const seed = options.seed ?? 0;
  const goal = options.goal === undefined ? { quantile: 0.1 } : options.goal;
  const estimator = options.estimator ?? "V";
  const confidence = options.confidence ?? 0.9;
  if (!(confidence > 0 && confidence < 1)) {
    throw new HsicError(`confidence must be in (0, 1), got ${confidence}`);
  }
  const bootstrap = options.bootstrap ?? 0;
  if (!Number.isInteger(bootstrap) || bootstrap < 0) {
    throw new HsicError(
      `bootstrap must be a whole number of resamples (0 for none), got ${bootstrap}`,
    );
  }
  const { u, y, dropped } = encodeTrials(
    trials,
    space,
    options.objective ?? "loss",
    options.minimize ?? true,
    seed,
  );
  if (y.length < MIN_TRIALS) {
    throw new HsicError(
      `HSIC analysis needs at least ${MIN_TRIALS} finished trials with a finite objective; got ${y.length} (${dropped} dropped as failed or NaN)`,
    );
  }
  const hsicOptions = {
    estimator,
    goal: goal ?? undefined,
    pValues: options.pValues,
    permutations: options.permutations,
    seed,
    names: space.names,
  };
  const table = hsicTable(u, y, hsicOptions);

  const intervals = new Map<string, [number, number]>();
  if (bootstrap > 0) {
    const r = new Random(seed, "hsic-bootstrap");
    const draws = space.names.map(() => [] as number[]);
    for (let b = 0; b < bootstrap; b++) {
      const idx = Array.from(
        { length: y.length },
        () => r.integer(0, y.length),
      );
      let t;
      try {
        t = hsicTable(idx.map((i) => u[i]), idx.map((i) => y[i]), {
          ...hsicOptions,
          pValues: [],
        });
      } catch {
        continue; // a resample that makes a column constant: skip it
      }
      t.rows.forEach((row, j) => {
        if (row.r2 !== null) draws[j].push(row.r2);
      });
    }
    const lo = (1 - confidence) / 2;
    space.names.forEach((name, j) => {
      if (draws[j].length < 2) return;
      intervals.set(name, [
        lowerQuantile(draws[j], lo),
        lowerQuantile(draws[j], 1 - lo),
      ]);
    });
  }

  const sorted: HsicRow[] = [...table.rows].sort((a, b) =>
    (b.r2 ?? -Infinity) - (a.r2 ?? -Infinity)
  );
  const indices = hsicRowsFrame(sorted).withColumns(
    pl.Series(
      "r2Low",
      sorted.map((r) => intervals.get(r.name)?.[0] ?? null),
      pl.Float64,
    ),
    pl.Series(
      "r2High",
      sorted.map((r) => intervals.get(r.name)?.[1] ?? null),
      pl.Float64,
    ),
  );
  return {
    indices,
    interactions: options.interactions
      ? interactionFrame(u, y, space.names, table.threshold, estimator)
      : null,
    n: y.length,
    dropped,
    threshold: table.threshold === null
      ? null
      : (options.minimize ?? true)
      ? table.threshold
      : -table.threshold,
  };
}

/** R2-HSIC of every pair with the product kernel, on rows where both are active. */
function interactionFrame(
  u: (number | null)[][],
  y: number[],
  names: readonly string[],
  threshold: number | null,
  estimator: HsicEstimator,
): DataFrame {
  const z = threshold === null ? y : y.map((v) => (v <= threshold ? 1 : 0));
  const out: Record<string, string | number | null>[] = [];
  // Pairs active on the same rows (all of them, usually) share the output's
  // Gram matrix and its own HSIC.
  const outputs = new Map<string, { gram: Gram; self: number }>();
  for (let a = 0; a < names.length; a++) {
    for (let b = a + 1; b < names.length; b++) {
      const rows = u.flatMap((r, i) =>
        r[a] !== null && r[b] !== null ? [i] : []
      );
      const row = {
        a: names[a],
        b: names[b],
        r2: null as number | null,
        hsic: null as number | null,
        pAsymptotic: null as number | null,
        nActive: rows.length,
      };
      out.push(row);
      const zs = rows.map((i) => z[i]);
      if (rows.length < 6 || new Set(zs).size < 2) continue;
      const va = rows.map((i) => u[i][a]!);
      const vb = rows.map((i) => u[i][b]!);
      const ka = gaussianGram(va, bandwidthOf(va, "std", names[a]));
      const kb = gaussianGram(vb, bandwidthOf(vb, "std", names[b]));
      for (let i = 0; i < ka.length; i++) ka[i] *= kb[i];
      const gx = new Gram(ka, rows.length);
      const key = rows.length === u.length ? "all" : rows.join(",");
      let output = outputs.get(key);
      if (!output) {
        const gram = outputGram(zs, "gaussian", "std");
        output = { gram, self: hsic(estimator, gram, gram) };
        outputs.set(key, output);
      }
      const gz = output.gram;
      const xy = hsic(estimator, gx, gz);
      row.hsic = xy;
      row.r2 = xy / Math.sqrt(hsic(estimator, gx, gx) * output.self);
      const p = asymptoticPValue(estimator, gx, gz, xy);
      row.pAsymptotic = Number.isNaN(p) ? null : p;
    }
  }
  return pl.DataFrame({
    a: pl.Series("a", out.map((r) => r.a), pl.Utf8),
    b: pl.Series("b", out.map((r) => r.b), pl.Utf8),
    r2: pl.Series("r2", out.map((r) => r.r2), pl.Float64),
    hsic: pl.Series("hsic", out.map((r) => r.hsic), pl.Float64),
    pAsymptotic: pl.Series(
      "pAsymptotic",
      out.map((r) => r.pAsymptotic),
      pl.Float64,
    ),
    nActive: pl.Series("nActive", out.map((r) => r.nActive), pl.Int64),
  });
}
