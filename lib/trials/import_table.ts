/**
 * `importTrialsTable`: the trials of another tool from a CSV or Parquet
 * export, or a DataFrame already loaded: a W&B sweep table, Ray Tune's
 * results (`config/<name>` columns), Optuna's `trials_dataframe()`
 * (`params_<name>`). Parameter columns are chosen by name or prefix, the
 * objective by name, and the search space is inferred from the values
 * (see `inferSpace` for the rules).
 *
 * @module
 */

import pl from "nodejs-polars";
import type { Scalar } from "../space/space.ts";
import { inferSpace, tableColumns } from "../space/infer.ts";
import type { DataFrame } from "../_frame.ts";
import {
  buildTrialsTable,
  type CommonImportOptions,
  emptyCounts,
  type ImportedTrials,
  KNOWN_STATUS_WORDS,
  type ParsedTrial,
  safeParamName,
  statusOf,
  TrialsImportError,
} from "./_import_common.ts";

/** Prefixes of parameter columns tried in turn when none is given. */
export const PARAM_PREFIXES: readonly string[] = [
  "config/",
  "params_",
  "config.",
];

/** Options of {@linkcode importTrialsTable}. */
export interface TableImportOptions extends CommonImportOptions {
  /** The objective column, or several. Required. */
  objective: string | readonly string[];
  /** Names for the objective columns in the trials table; default their own. */
  rename?: readonly string[];
  /** Whether smaller objective values are better, per objective; default true. */
  minimize?: boolean | readonly boolean[];
  /**
   * The parameter columns, as named in the table. Default: the columns with
   * `prefix`, or with the first of {@linkcode PARAM_PREFIXES} any column has.
   */
  params?: readonly string[];
  /** The prefix of parameter columns, removed from their names. */
  prefix?: string;
  /**
   * The column of trial states (e.g. COMPLETE/PRUNED/FAIL, finished/failed/
   * crashed). Default: the first of `status`, `state`, `State`; none means
   * every row finished.
   */
  status?: string;
  /** The column of trial numbers. Default `trial` or `number`, else the row index. */
  trial?: string;
  /**
   * The column of wall times: seconds, or a pandas timedelta string
   * ("0 days 00:00:01.5"). Default the first of `duration_s`, `time_total_s`
   * (Ray Tune), `Runtime` (W&B), `duration` (Optuna).
   */
  duration?: string;
  /** The column of fidelities (e.g. `training_iteration`); default none. */
  budget?: string;
}

function readTable(path: string): DataFrame {
  const lower = path.toLowerCase();
  try {
    Deno.statSync(path);
  } catch {
    throw new TrialsImportError(`${path}: no such file`);
  }
  if (lower.endsWith(".parquet")) return pl.readParquet(path);
  if (lower.endsWith(".csv")) {
    return pl.readCSV(path, { inferSchemaLength: 100_000 });
  }
  throw new TrialsImportError(
    `${path}: unknown table format; give a .csv or .parquet file, or a DataFrame`,
  );
}

function durationSeconds(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  const m = /^(-?\d+) days? (\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(
    String(v).trim(),
  );
  if (m) {
    return Number(m[1]) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 +
      Number(m[4]);
  }
  const x = Number(v);
  return Number.isFinite(x) ? x : null;
}

/**
 * "True"/"False" strings (pandas' booleans in CSV) as booleans, and numbers
 * that a reader left as text as numbers.
 */
function normalise(column: unknown[]): (Scalar | null)[] {
  const present = column.filter((v) => v !== null);
  if (
    present.length > 0 &&
    present.every((v) =>
      typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))
    )
  ) {
    return column.map((v) => v === null ? null : Number(v));
  }
  const words = new Set(["true", "false"]);
  if (
    present.length > 0 &&
    present.every((v) => typeof v === "string" && words.has(v.toLowerCase()))
  ) {
    return column.map((v) =>
      v === null ? null : (v as string).toLowerCase() === "true"
    );
  }
  return column as (Scalar | null)[];
}

/**
 * Imports trials from a CSV or Parquet export (or a DataFrame) into
 * infolens's trials table and an inferred search space.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { importTrialsTable } from "./import_table.ts";
 * // Ray Tune style: one row per trial, parameters under "config/".
 * const n = 30;
 * const df = pl.DataFrame({
 *   trial_id: Array.from({ length: n }, (_, i) => `t${i}`),
 *   "config/lr": Array.from({ length: n }, (_, i) => 10 ** (-5 + (i * 7 % n) / 10)),
 *   "config/act": Array.from({ length: n }, (_, i) => (i % 3 ? "relu" : "tanh")),
 *   loss: Array.from({ length: n }, (_, i) => i / n),
 *   time_total_s: Array.from({ length: n }, () => 1.5),
 * });
 * const { trials, space } = importTrialsTable(df, { objective: "loss" });
 * if (!space.params.lr || space.params.lr.kind !== "float" || !space.params.lr.log) throw new Error();
 * if (trials.getColumn("duration_s").toArray()[0] !== 1.5) throw new Error();
 * ```
 */
export function importTrialsTable(
  pathOrFrame: string | DataFrame,
  options: TableImportOptions,
): ImportedTrials {
  const source = typeof pathOrFrame === "string"
    ? pathOrFrame
    : "the DataFrame";
  const df = typeof pathOrFrame === "string"
    ? readTable(pathOrFrame)
    : pathOrFrame;
  const { columns, values, height } = tableColumns(df);
  const listed = `columns: ${columns.join(", ")}`;
  const objectiveColumns = typeof options.objective === "string"
    ? [options.objective]
    : [...(options.objective ?? [])];
  if (objectiveColumns.length === 0) {
    throw new TrialsImportError(
      `${source}: options.objective names no column; ${listed}`,
    );
  }
  for (const o of objectiveColumns) {
    if (!columns.includes(o)) {
      throw new TrialsImportError(
        `${source}: no objective column "${o}"; set options.objective to one of the ${listed}`,
      );
    }
  }
  const objectives = options.rename ? [...options.rename] : objectiveColumns;
  if (objectives.length !== objectiveColumns.length) {
    throw new TrialsImportError(
      `${source}: ${objectiveColumns.length} objective columns but ${objectives.length} names in options.rename`,
    );
  }

  // Parameter columns and their names in the trials table.
  let paramColumns: string[];
  let prefix = options.prefix ?? "";
  if (options.params) {
    paramColumns = [...options.params];
    const missing = paramColumns.filter((p) => !columns.includes(p));
    if (missing.length > 0) {
      throw new TrialsImportError(
        `${source}: no parameter column ${missing.join(", ")}; ${listed}`,
      );
    }
  } else {
    if (!options.prefix) {
      prefix = PARAM_PREFIXES.find((p) =>
        columns.some((c) => c.startsWith(p))
      ) ??
        "";
    }
    paramColumns = prefix ? columns.filter((c) => c.startsWith(prefix)) : [];
    if (paramColumns.length === 0) {
      throw new TrialsImportError(
        `${source}: no parameter columns (none named with ${
          options.prefix
            ? `"${options.prefix}"`
            : PARAM_PREFIXES.map((p) => `"${p}"`).join(", ")
        }); name them with options.params; ${listed}`,
      );
    }
  }
  const taken = new Set<string>(objectives);
  const nameOf = new Map<string, string>();
  for (const c of paramColumns) {
    const stripped = prefix && c.startsWith(prefix)
      ? c.slice(prefix.length)
      : c;
    const name = safeParamName(stripped, taken);
    taken.add(name);
    nameOf.set(c, name);
  }

  const pick = (
    given: string | undefined,
    defaults: string[],
    what: string,
  ) => {
    if (given !== undefined) {
      if (!columns.includes(given)) {
        throw new TrialsImportError(
          `${source}: no ${what} column "${given}"; ${listed}`,
        );
      }
      return given;
    }
    return defaults.find((d) => columns.includes(d));
  };
  const statusColumn = pick(
    options.status,
    ["status", "state", "State"],
    "status",
  );
  const trialColumn = pick(options.trial, ["trial", "number"], "trial number");
  const durationColumn = pick(
    options.duration,
    ["duration_s", "time_total_s", "Runtime", "duration"],
    "duration",
  );
  const budgetColumn = pick(options.budget, [], "budget");

  const states = new Set(options.states ?? ["ok"]);
  const counts = emptyCounts();
  const paramValues = new Map(
    paramColumns.map((c) => [c, normalise(values[c])]),
  );
  const parsed: ParsedTrial[] = [];
  for (let i = 0; i < height; i++) {
    let status: ReturnType<typeof statusOf> = "ok";
    if (statusColumn) {
      const word = values[statusColumn][i];
      status = word === null ? "skipped" : statusOf(String(word));
      if (status === null) {
        throw new TrialsImportError(
          `${source}: row ${i} has ${statusColumn} = ${
            JSON.stringify(word)
          }, a state this importer does not know (known: ${
            KNOWN_STATUS_WORDS.join(", ")
          }); give options.status another column or map the states first`,
        );
      }
    }
    counts[status]++;
    if (status === "skipped" || !states.has(status)) continue;
    const config: Record<string, Scalar | null> = {};
    for (const c of paramColumns) {
      const v = paramValues.get(c)![i];
      if (v !== null) config[nameOf.get(c)!] = v;
    }
    const objectiveValues: Record<string, number | null> = {};
    objectiveColumns.forEach((o, k) => {
      const v = values[o][i];
      const x = typeof v === "number"
        ? v
        : typeof v === "string"
        ? Number(v)
        : NaN;
      objectiveValues[objectives[k]] = Number.isNaN(x) ? null : x;
    });
    const t = trialColumn ? values[trialColumn][i] : i;
    const b = budgetColumn ? values[budgetColumn][i] : null;
    parsed.push({
      trial: typeof t === "number" ? t : i,
      config,
      budget: typeof b === "number" ? b : null,
      objectives: objectiveValues,
      duration_s: durationColumn
        ? durationSeconds(values[durationColumn][i])
        : null,
      status,
      extra: {},
    });
  }
  if (counts.ok === 0) {
    throw new TrialsImportError(
      `${source}: no finished trials (${height} rows: ${counts.pruned} pruned, ${counts.failed} failed, ${counts.skipped} running or without a state)`,
    );
  }
  const names = paramColumns.map((c) => nameOf.get(c)!);
  const complete = parsed.filter((t) => t.status === "ok");
  const space = inferSpace(
    complete.map((t) =>
      Object.fromEntries(names.map((n) => [n, t.config[n] ?? null]))
    ),
    options.overrides ?? {},
    { params: names },
  );
  const minimize = options.minimize ?? true;
  const directions = objectives.map((_, k) =>
    (Array.isArray(minimize) ? minimize[k] ?? true : minimize)
      ? "minimize" as const
      : "maximize" as const
  );
  return {
    trials: buildTrialsTable(parsed, space, objectives, []),
    space,
    inferred: space.describe(),
    objectives,
    directions,
    counts,
  };
}
