/**
 * `importOptunaStudy`: an Optuna study, straight from its SQLite storage
 * file (read with Deno's built-in `node:sqlite`, no Python) or from the CSV
 * of `study.trials_dataframe()`, as infolens's trials table and search space.
 *
 * From a storage file the space comes from each parameter's stored
 * distribution (kind, bounds, log scale, categorical choices), categorical
 * values are decoded from Optuna's internal indices, and parameters absent
 * from some trials get a condition inferred from which parameters co-occur
 * (see `inferSpace`). Storage schema supported: version 12 as Optuna 3.0 to
 * 4.x write it (alembic revisions {@linkcode SUPPORTED_REVISIONS}); tested
 * against files written by Debian's python3-optuna 3.1.
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";
import type { Param, Scalar } from "../space/space.ts";
import { completeSpace, type InferredParam } from "../space/infer.ts";
import {
  buildTrialsTable,
  type CommonImportOptions,
  emptyCounts,
  type ImportedTrials,
  type ParsedTrial,
  safeParamName,
  statusOf,
  TrialsImportError,
} from "./_import_common.ts";
import { importTrialsTable } from "./import_table.ts";

/** The storage schema version this reader understands (Optuna's `version_info`). */
export const SCHEMA_VERSION = 12;

/**
 * Alembic revisions of schema version 12 whose tables this reader knows:
 * v3.0.0.d (Optuna 3.0 and 3.1) and v3.2.0.a (3.2 onward: an index only).
 */
export const SUPPORTED_REVISIONS: readonly string[] = ["v3.0.0.d", "v3.2.0.a"];

/** Options of {@linkcode importOptunaStudy}. */
export interface OptunaImportOptions extends CommonImportOptions {
  /** The study to import when the file holds several. */
  study?: string;
  /**
   * Names of the objective columns. Default: the metric names the study
   * stores (Optuna ≥ 3.4), else `value` for one objective and `values_0`,
   * `values_1`, ... for several (the names of `trials_dataframe()`).
   */
  objectives?: readonly string[];
  /** Directions, for a CSV (which does not store them). Default all "minimize". */
  directions?: readonly ("minimize" | "maximize")[];
}

interface Distribution {
  name: string;
  attributes: Record<string, unknown>;
}

type Row = Record<string, unknown>;

function query(
  db: DatabaseSync,
  sql: string,
  ...args: (string | number)[]
): Row[] {
  return db.prepare(sql).all(...args) as Row[];
}

function openStorage(path: string): DatabaseSync {
  try {
    Deno.statSync(path);
  } catch {
    throw new TrialsImportError(
      `${path}: no such file; give the path of an Optuna SQLite storage (the part after "sqlite:///" in its URL) or a trials_dataframe() CSV`,
    );
  }
  let db: DatabaseSync;
  let tables: Set<string>;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    tables = new Set(
      query(db, "SELECT name FROM sqlite_master WHERE type = 'table'").map(
        (r) => r.name as string,
      ),
    );
  } catch (e) {
    throw new TrialsImportError(
      `${path}: not an Optuna database (not SQLite: ${
        (e as Error).message
      }); give the storage file of optuna.create_study(storage="sqlite:///...") or a trials_dataframe() CSV`,
    );
  }
  const needed = [
    "studies",
    "trials",
    "trial_params",
    "trial_values",
    "version_info",
  ];
  const lacking = needed.filter((t) => !tables.has(t));
  if (lacking.length > 0) {
    db.close();
    throw new TrialsImportError(
      `${path}: not an Optuna database: no table ${
        lacking.join(", ")
      } (tables: ${
        [...tables].join(", ") || "none"
      }); give the storage file of optuna.create_study(storage="sqlite:///...")`,
    );
  }
  const version =
    query(db, "SELECT schema_version, library_version FROM version_info")[0];
  const revision = tables.has("alembic_version")
    ? query(db, "SELECT version_num FROM alembic_version")[0]
      ?.version_num as string
    : undefined;
  if (
    !version || version.schema_version !== SCHEMA_VERSION ||
    (revision !== undefined && !SUPPORTED_REVISIONS.includes(revision))
  ) {
    db.close();
    throw new TrialsImportError(
      `${path}: Optuna storage schema version ${
        version?.schema_version ?? "unknown"
      }${
        revision ? ` (alembic revision ${revision})` : ""
      }, written by Optuna ${
        version?.library_version ?? "unknown"
      }, is not one this reader knows (version_info.schema_version ${SCHEMA_VERSION}, revisions ${
        SUPPORTED_REVISIONS.join(", ")
      }); upgrade the file with \`optuna storage upgrade --storage sqlite:///${path}\` (Optuna ≥ 3.0), or export it with study.trials_dataframe().to_csv(...) and import the CSV`,
    );
  }
  return db;
}

function chooseStudy(
  db: DatabaseSync,
  path: string,
  wanted: string | undefined,
): { id: number; name: string } {
  const studies = query(
    db,
    "SELECT study_id, study_name FROM studies ORDER BY study_id",
  )
    .map((r) => ({ id: r.study_id as number, name: r.study_name as string }));
  const names = studies.map((s) => JSON.stringify(s.name)).join(", ");
  if (studies.length === 0) {
    throw new TrialsImportError(`${path}: the storage holds no study`);
  }
  if (wanted !== undefined) {
    const found = studies.find((s) => s.name === wanted);
    if (!found) {
      throw new TrialsImportError(
        `${path}: no study named ${
          JSON.stringify(wanted)
        }; options.study is one of ${names}`,
      );
    }
    return found;
  }
  if (studies.length > 1) {
    throw new TrialsImportError(
      `${path} holds ${studies.length} studies; choose one with options.study: ${names}`,
    );
  }
  return studies[0];
}

/** A param's stored float decoded to its value. */
function decodeValue(d: Distribution, internal: number): Scalar | null {
  switch (d.name) {
    case "CategoricalDistribution": {
      const choice = (d.attributes.choices as unknown[])[Math.round(internal)];
      return choice === null ? "None" : choice as Scalar;
    }
    case "IntDistribution":
    case "IntUniformDistribution":
    case "IntLogUniformDistribution":
      return Math.round(internal);
    default:
      return internal;
  }
}

/** The space's definition of a stored distribution, and how it was read. */
function paramOf(d: Distribution): { param: Param | null; rule: string } {
  const a = d.attributes;
  const low = a.low as number;
  const high = a.high as number;
  const stepNote = (step: unknown, unit: number) =>
    step !== null && step !== undefined && step !== unit
      ? `; step ${step} not kept (the space has none): values on its grid`
      : "";
  switch (d.name) {
    case "FloatDistribution":
    case "UniformDistribution":
    case "LogUniformDistribution":
    case "DiscreteUniformDistribution": {
      const log = d.name === "LogUniformDistribution" || a.log === true;
      const step = d.name === "DiscreteUniformDistribution" ? a.q : a.step;
      if (low === high) {
        return {
          param: null,
          rule: `${d.name} with low = high = ${low}: constant`,
        };
      }
      return {
        param: { kind: "float", low, high, ...(log ? { log } : {}) },
        rule: `${d.name}(${low}, ${high}${log ? ", log" : ""})${
          stepNote(step, -1)
        }`,
      };
    }
    case "IntDistribution":
    case "IntUniformDistribution":
    case "IntLogUniformDistribution": {
      const log = d.name === "IntLogUniformDistribution" || a.log === true;
      if (low === high) {
        return {
          param: null,
          rule: `${d.name} with low = high = ${low}: constant`,
        };
      }
      return {
        param: { kind: "int", low, high, ...(log ? { log } : {}) },
        rule: `${d.name}(${low}, ${high}${log ? ", log" : ""})${
          stepNote(a.step, 1)
        }`,
      };
    }
    case "CategoricalDistribution": {
      const raw = (a.choices as unknown[]).map((c) =>
        c === null ? "None" : c as Scalar
      );
      if (raw.length < 2) return { param: null, rule: "one choice: constant" };
      const kinds = new Set(raw.map((c) => typeof c));
      return {
        param: {
          kind: "categorical",
          choices: kinds.size > 1 ? raw.map(String) : raw,
        },
        rule: `CategoricalDistribution(${raw.length} choices)${
          kinds.size > 1 ? "; mixed types kept as strings" : ""
        }${(a.choices as unknown[]).includes(null) ? '; None as "None"' : ""}`,
      };
    }
    default:
      throw new TrialsImportError(
        `unknown Optuna distribution "${d.name}"; known: Float, Int, Categorical, Uniform, LogUniform, DiscreteUniform, IntUniform, IntLogUniform`,
      );
  }
}

function seconds(start: unknown, end: unknown): number | null {
  if (typeof start !== "string" || typeof end !== "string") return null;
  const parse = (s: string) => {
    const m = /^(.*?)(\.\d+)?$/.exec(s.trim())!;
    return Date.parse(m[1].replace(" ", "T") + "Z") / 1000 +
      (m[2] ? Number(m[2]) : 0);
  };
  const d = parse(end) - parse(start);
  return Number.isFinite(d) ? d : null;
}

/**
 * Imports an Optuna study: from its SQLite storage file (any other
 * extension), or from a `trials_dataframe()` CSV (`.csv`). Returns the
 * trials table (COMPLETE trials by default; see `states`), the search space
 * (from the stored distributions, conditions inferred from missing values),
 * and a printout of what was inferred.
 *
 * Errors ({@linkcode TrialsImportError}) name the file and the fix: not an
 * Optuna database, an unknown schema version, an unknown or ambiguous study
 * name (the names are listed), a study without finished trials.
 *
 * @example
 * ```ts ignore
 * import { importOptunaStudy } from "./import_optuna.ts";
 * import { hsicAnalysis } from "../hsic/mod.ts";
 * const { trials, space, objectives, directions } = importOptunaStudy("study.db");
 * console.log(String(space));
 * const { indices } = hsicAnalysis(trials, space, {
 *   objective: objectives[0], minimize: directions[0] === "minimize",
 * });
 * ```
 */
export function importOptunaStudy(
  path: string,
  options: OptunaImportOptions = {},
): ImportedTrials {
  if (path.toLowerCase().endsWith(".csv")) {
    return importOptunaCsv(path, options);
  }
  const states = new Set(options.states ?? ["ok"]);
  const db = openStorage(path);
  try {
    const study = chooseStudy(db, path, options.study);
    const directions = query(
      db,
      "SELECT direction FROM study_directions WHERE study_id = ? ORDER BY objective",
      study.id,
    ).map((r) =>
      (r.direction === "MAXIMIZE" ? "maximize" : "minimize") as
        | "minimize"
        | "maximize"
    );
    let metricNames: string[] | null = null;
    try {
      const attr = query(
        db,
        "SELECT value_json FROM study_system_attributes WHERE study_id = ? AND key = 'study:metric_names'",
        study.id,
      )[0];
      if (attr) metricNames = JSON.parse(attr.value_json as string);
    } catch { /* older storages have no metric names */ }
    const objectives = options.objectives
      ? [...options.objectives]
      : metricNames ??
        (directions.length === 1
          ? ["value"]
          : directions.map((_, i) => `values_${i}`));
    if (objectives.length !== directions.length) {
      throw new TrialsImportError(
        `${path}: study ${
          JSON.stringify(study.name)
        } has ${directions.length} objectives but ${objectives.length} names were given (options.objectives)`,
      );
    }

    const trialRows = query(
      db,
      "SELECT trial_id, number, state, datetime_start, datetime_complete FROM trials WHERE study_id = ? ORDER BY number",
      study.id,
    );
    const params = query(
      db,
      "SELECT p.trial_id, p.param_name, p.param_value, p.distribution_json FROM trial_params p JOIN trials t ON p.trial_id = t.trial_id WHERE t.study_id = ? ORDER BY p.param_id",
      study.id,
    );
    const values = query(
      db,
      "SELECT v.trial_id, v.objective, v.value, v.value_type FROM trial_values v JOIN trials t ON v.trial_id = t.trial_id WHERE t.study_id = ?",
      study.id,
    );
    const steps = query(
      db,
      "SELECT i.trial_id, MAX(i.step) AS last_step FROM trial_intermediate_values i JOIN trials t ON i.trial_id = t.trial_id WHERE t.study_id = ? GROUP BY i.trial_id",
      study.id,
    );

    // Distributions, per parameter; ranges that moved between trials merge.
    const distributions = new Map<string, Distribution>();
    const byTrial = new Map<number, Row[]>();
    for (const p of params) {
      const name = p.param_name as string;
      const d = JSON.parse(p.distribution_json as string) as Distribution;
      const have = distributions.get(name);
      if (!have) distributions.set(name, d);
      else if (have.name === d.name && "low" in d.attributes) {
        have.attributes.low = Math.min(
          have.attributes.low as number,
          d.attributes.low as number,
        );
        have.attributes.high = Math.max(
          have.attributes.high as number,
          d.attributes.high as number,
        );
      }
      const list = byTrial.get(p.trial_id as number) ?? [];
      list.push(p);
      byTrial.set(p.trial_id as number, list);
    }
    const names = [...distributions.keys()].sort();
    const columnOf = new Map<string, string>();
    const taken = new Set<string>(objectives);
    for (const n of names) {
      const c = safeParamName(n, taken);
      taken.add(c);
      columnOf.set(n, c);
    }
    const valueOf = new Map<string, number | null>();
    for (const v of values) {
      const x = v.value_type === "INF_POS"
        ? Infinity
        : v.value_type === "INF_NEG"
        ? -Infinity
        : v.value as number | null;
      valueOf.set(`${v.trial_id}/${v.objective}`, x);
    }
    const lastStep = new Map(
      steps.map((s) => [s.trial_id as number, s.last_step as number]),
    );

    const counts = emptyCounts();
    const parsed: ParsedTrial[] = [];
    for (const t of trialRows) {
      const status = statusOf(t.state as string) ?? "skipped";
      counts[status]++;
      if (status === "skipped" || !states.has(status)) continue;
      const config: Record<string, Scalar | null> = {};
      for (const p of byTrial.get(t.trial_id as number) ?? []) {
        const name = p.param_name as string;
        config[columnOf.get(name)!] = decodeValue(
          distributions.get(name)!,
          p.param_value as number,
        );
      }
      const objectiveValues: Record<string, number | null> = {};
      objectives.forEach((o, i) => {
        objectiveValues[o] = valueOf.get(`${t.trial_id}/${i}`) ?? null;
      });
      parsed.push({
        trial: t.number as number,
        config,
        budget: null,
        objectives: objectiveValues,
        duration_s: seconds(t.datetime_start, t.datetime_complete),
        status,
        extra: {
          last_step: lastStep.get(t.trial_id as number) ?? null,
          datetime_start: (t.datetime_start as string | null) ?? null,
        },
      });
    }
    if (counts.ok === 0) {
      throw new TrialsImportError(
        `${path}: study ${
          JSON.stringify(study.name)
        } has no finished (COMPLETE) trials (${trialRows.length} trials: ${counts.pruned} pruned, ${counts.failed} failed, ${counts.skipped} running or waiting); nothing to analyse until some complete`,
      );
    }

    // The space: stored distributions, then conditions from COMPLETE trials.
    const spaceParams: Record<string, Param> = {};
    const notes: InferredParam[] = [];
    const complete = parsed.filter((t) => t.status === "ok");
    const columns: Record<string, (Scalar | null)[]> = {};
    const overrides = options.overrides ?? {};
    for (const n of names) {
      const c = columnOf.get(n)!;
      columns[c] = complete.map((t) => t.config[c] ?? null);
      const { param, rule } = paramOf(distributions.get(n)!);
      const override = overrides[c];
      let final = param;
      if (override === null) final = null;
      else if (override !== undefined) {
        final = "kind" in override
          ? override as Param
          : param
          ? { ...param, ...override } as Param
          : null;
      }
      notes.push({
        name: c,
        kind: final ? final.kind : "dropped",
        source: override === undefined ? "distribution" : "override",
        present: columns[c].filter((v) => v !== null).length,
        rule: (c !== n ? `Optuna name "${n}" renamed; ` : "") +
          (override === undefined
            ? rule
            : `override ${JSON.stringify(override)} (stored: ${rule})`),
      });
      if (final) spaceParams[c] = final;
    }
    const keepWhen = new Set(
      Object.entries(overrides).filter(([, o]) => o && o.when).map(([k]) => k),
    );
    const space = completeSpace(spaceParams, notes, columns, keepWhen);
    const extras = steps.length > 0
      ? ["last_step", "datetime_start"]
      : ["datetime_start"];
    return {
      trials: buildTrialsTable(parsed, space, objectives, extras),
      space,
      inferred: space.describe(),
      objectives,
      directions,
      counts,
      study: study.name,
    };
  } finally {
    db.close();
  }
}

/** `trials_dataframe()` CSV: `number`, `value`/`values_<k>`, `params_<name>`, `state`, `duration`. */
function importOptunaCsv(
  path: string,
  options: OptunaImportOptions,
): ImportedTrials {
  let header: string[];
  try {
    header = Deno.readTextFileSync(path).split("\n", 1)[0].split(",").map((h) =>
      h.trim().replace(/^"|"$/g, "")
    );
  } catch {
    throw new TrialsImportError(`${path}: no such file`);
  }
  const objectiveColumns = header.includes("value")
    ? ["value"]
    : header.filter((h) => /^values_\d+$/.test(h));
  if (objectiveColumns.length === 0) {
    throw new TrialsImportError(
      `${path}: no objective column ("value" or "values_0", ...) in this trials_dataframe() CSV; columns: ${
        header.join(", ")
      }`,
    );
  }
  const imported = importTrialsTable(path, {
    objective: objectiveColumns,
    prefix: "params_",
    trial: header.includes("number") ? "number" : undefined,
    status: header.includes("state") ? "state" : undefined,
    duration: header.includes("duration") ? "duration" : undefined,
    states: options.states,
    overrides: options.overrides,
    rename: options.objectives,
  });
  const directions = options.directions
    ? [...options.directions]
    : objectiveColumns.map(() => "minimize" as const);
  return { ...imported, directions };
}
