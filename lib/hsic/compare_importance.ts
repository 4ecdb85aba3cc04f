/**
 * `compareImportance`: HSIC indices of a study's hyperparameters (global and
 * goal-oriented) beside Optuna's own importance evaluators, fANOVA and mean
 * decrease impurity, in one table.
 *
 * Optuna's evaluators run in Debian's `/usr/bin/python3` with
 * `python3-optuna` (the script `optuna_importance.py` beside this file,
 * spawned only when called); without them the table has HSIC only and
 * `optuna.message` says why. Both sides see the same trials: the finished
 * ones, at most `maxTrials` of them (a seeded subset; HSIC's Gram matrices
 * grow with the square of the count).
 *
 * What to expect: fANOVA and MDI split the variance of the objective over
 * the whole space, and rank only parameters present in every trial, so a
 * conditional parameter has no value there (null); goal-oriented HSIC asks
 * what puts a trial among the best `quantile`, and ranks a conditional
 * parameter on the trials where it is active.
 *
 * @module
 */

import pl from "nodejs-polars";
import { Random } from "../space/random.ts";
import { type Param, type Scalar, SearchSpace } from "../space/space.ts";
import type { DataFrame } from "../_frame.ts";
import type { ImportedTrials } from "../trials/_import_common.ts";
import type { TrialRow } from "../trials/trials.ts";
import { importOptunaStudy } from "../trials/import_optuna.ts";
import { hsicAnalysis } from "./analysis.ts";
import { HsicError } from "./kernels.ts";

/** Options of {@linkcode compareImportance}. */
export interface CompareImportanceOptions {
  /** The study to read, when a storage file holds several. */
  study?: string;
  /** The objective column; default the first objective. */
  objective?: string;
  /** Whether smaller is better; default the study's direction. */
  minimize?: boolean;
  /** The good region of goal-oriented HSIC: the best fraction. Default 0.1. */
  quantile?: number;
  /** Permutations for HSIC p-values; default 100. */
  permutations?: number;
  /** Trials used at most (a seeded subset beyond it). Default 2000. */
  maxTrials?: number;
  /** Seed of HSIC's jitter and permutations, the subset and Optuna's forests. Default 0. */
  seed?: number;
  /** The Python with optuna; default "/usr/bin/python3". */
  python?: string;
}

/** What {@linkcode compareImportance} returns. */
export interface ImportanceComparison {
  /**
   * One row per parameter, by goal-oriented HSIC, largest first: `param`,
   * `hsic` (global R2-HSIC), `hsicGoal` (goal-oriented R2-HSIC), `pValue`
   * (of the goal-oriented index: permutation), `fanova`, `mdi` (Optuna's
   * importances, summing to 1; null where Optuna did not rank it or is
   * absent), `nActive`.
   */
  table: DataFrame;
  /** Whether Optuna's evaluators ran, their version, or why not. */
  optuna: { available: boolean; version: string | null; message: string };
  /** Trials used. */
  n: number;
  /** Parameters left out, with why (optional ones no parent explains). */
  leftOut: string[];
}

/** What {@linkcode compareImportance} reads: an Optuna storage path, or imported trials with their space. */
export type ImportanceSource =
  | string
  | Pick<ImportedTrials, "trials" | "space">
    & Partial<Pick<ImportedTrials, "objectives" | "directions">>;

function optunaDistribution(p: Param): Record<string, unknown> {
  switch (p.kind) {
    case "float":
    case "int":
      return { type: p.kind, low: p.low, high: p.high, log: p.log ?? false };
    case "categorical":
      return { type: "categorical", choices: p.choices };
    case "ordinal":
      return { type: "categorical", choices: p.values };
    default:
      return { type: "categorical", choices: [false, true] };
  }
}

async function runOptuna(
  python: string,
  request: unknown,
): Promise<
  {
    version: string | null;
    fanova: Record<string, number>;
    mdi: Record<string, number>;
  } | { message: string }
> {
  const script = await (await fetch(
    new URL("./optuna_importance.py", import.meta.url),
  )).text();
  let child;
  try {
    child = new Deno.Command(python, {
      args: ["-c", script],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      return {
        message:
          `no ${python}: install Debian's python3-optuna (apt-get install python3-optuna) for fANOVA and MDI; showing HSIC only`,
      };
    }
    throw e;
  }
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(request)));
  await writer.close();
  const out = await child.output();
  const stderr = new TextDecoder().decode(out.stderr).trim();
  if (out.code === 3) {
    return {
      message:
        `${python} cannot import optuna (${stderr}); install Debian's python3-optuna for fANOVA and MDI; showing HSIC only`,
    };
  }
  if (out.code !== 0) {
    return {
      message: `Optuna's evaluators failed in ${python} (exit ${out.code}): ${
        stderr.split("\n").slice(-3).join(" ")
      }; showing HSIC only`,
    };
  }
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/**
 * HSIC indices beside Optuna's fANOVA and MDI importances for a study (an
 * Optuna storage path, a `trials_dataframe()` CSV, or what an importer
 * returned), in one table; see the module doc for what each measures.
 *
 * @example
 * ```ts ignore
 * import { compareImportance } from "./compare_importance.ts";
 * const { table, optuna } = await compareImportance("study.db", { quantile: 0.1 });
 * console.log(optuna.message);
 * console.log(table.toString());
 * ```
 */
export async function compareImportance(
  source: ImportanceSource,
  options: CompareImportanceOptions = {},
): Promise<ImportanceComparison> {
  const imported = typeof source === "string"
    ? importOptunaStudy(source, { study: options.study })
    : source;
  const objectives = imported.objectives ?? ["loss"];
  const objective = options.objective ?? objectives[0];
  const k = objectives.indexOf(objective);
  const minimize = options.minimize ??
    ((imported.directions ?? [])[k] ?? "minimize") === "minimize";
  const seed = options.seed ?? 0;
  const maxTrials = options.maxTrials ?? 2000;

  // Parameters the space cannot condition (optional ones) are left out.
  const optional = new Set(
    (imported.space as { optional?: readonly string[] }).optional ?? [],
  );
  const params: Record<string, Param> = {};
  for (const name of imported.space.names) {
    if (!optional.has(name)) params[name] = imported.space.params[name];
  }
  const space = new SearchSpace(params);
  const leftOut = [...optional].map((n) =>
    `${n}: missing in some trials with no parameter explaining when`
  );

  let rows = (imported.trials.toRecords() as TrialRow[]).filter((r) =>
    (r.status ?? "ok") === "ok" && typeof r[objective] === "number" &&
    Number.isFinite(r[objective])
  );
  if (rows.length > maxTrials) {
    const keep = new Random(seed, "compare-subset").permutation(rows.length)
      .slice(0, maxTrials).sort((a, b) => a - b);
    rows = keep.map((i) => rows[i]);
  }
  if (rows.length === 0) {
    throw new HsicError(
      `no finished trials with a finite "${objective}" to compare importances on`,
    );
  }
  const common = {
    objective,
    minimize,
    seed,
    permutations: options.permutations,
  };
  const global = hsicAnalysis(rows, space, {
    ...common,
    goal: null,
    pValues: ["asymptotic"],
  }).indices.toRecords();
  const goal = hsicAnalysis(rows, space, {
    ...common,
    goal: { quantile: options.quantile ?? 0.1 },
    pValues: ["permutation"],
  }).indices.toRecords();

  const python = options.python ?? "/usr/bin/python3";
  const request = {
    seed,
    distributions: Object.fromEntries(
      space.names.map((n) => [n, optunaDistribution(space.params[n])]),
    ),
    trials: rows.map((r) => ({
      params: Object.fromEntries(
        space.names.filter((n) => r[n] !== null && r[n] !== undefined)
          .map((n) => [n, r[n] as Scalar]),
      ),
      value: r[objective] as number,
    })),
  };
  const result = await runOptuna(python, request);
  const ran = !("message" in result);
  const optuna = ran
    ? {
      available: true,
      version: result.version,
      message: `fANOVA and MDI from Optuna ${result.version} (${python})`,
    }
    : { available: false, version: null, message: result.message };
  if (!ran) console.warn(optuna.message);

  const globalOf = new Map(global.map((r) => [r.name as string, r]));
  const table = pl.DataFrame([
    pl.Series("param", goal.map((r) => r.name as string), pl.Utf8),
    pl.Series(
      "hsic",
      goal.map((r) => globalOf.get(r.name as string)?.r2 ?? null),
      pl.Float64,
    ),
    pl.Series("hsicGoal", goal.map((r) => r.r2 ?? null), pl.Float64),
    pl.Series("pValue", goal.map((r) => r.pPermutation ?? null), pl.Float64),
    pl.Series(
      "fanova",
      goal.map((r) => ran ? result.fanova[r.name as string] ?? null : null),
      pl.Float64,
    ),
    pl.Series(
      "mdi",
      goal.map((r) => ran ? result.mdi[r.name as string] ?? null : null),
      pl.Float64,
    ),
    pl.Series("nActive", goal.map((r) => r.nActive as number), pl.Int64),
  ]);
  return { table, optuna, n: rows.length, leftOut };
}
