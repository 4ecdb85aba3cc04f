/**
 * `inferSpace`: a {@linkcode SearchSpace} read off a table of trials that
 * some other tool ran (an Optuna study, a W&B sweep, Ray Tune results), with
 * overrides for what the values cannot tell, and a record of every guess.
 *
 * The rules, applied per parameter column to its non-missing values:
 *
 * - booleans (or only `true`/`false`) give `boolean`;
 * - strings, or a mix of kinds, give `categorical` (choices sorted);
 * - numbers with at most {@linkcode FEW_VALUES} distinct values, each seen
 *   twice on average, give `ordinal` (values ascending), unless they are
 *   consecutive integers, which stay `int`;
 * - other numbers give `int` when all are integers, else `float`, bounded by
 *   the smallest and largest value seen;
 * - a number range is log-scaled when every value is positive (≥ 1 for an
 *   int) and the largest is at least {@linkcode LOG_RATIO} (100, two decades)
 *   times the smallest;
 * - a column with one distinct value is left out (it has nothing to rank);
 * - a column missing (null, NaN, absent) in some rows is conditional: its
 *   parent is another parameter, present wherever it is and missing in fewer
 *   rows, whose values exactly separate the rows where it is present (a set of
 *   values for a discrete parent, a one-sided bound for a numeric one). When
 *   no parameter does, it is marked optional: unconditioned in the space and
 *   listed in `optional`, since a space cannot say "sometimes absent" without
 *   a parent.
 *
 * Importing this module loads no polars: a DataFrame is read through its own
 * methods.
 *
 * @module
 */

import type { DataFrame } from "../_frame.ts";
import {
  type Condition,
  type ConditionRule,
  type Param,
  type Scalar,
  SearchSpace,
  SpaceError,
  valuesOf,
} from "./space.ts";
import {
  describeInferredSpace,
  type InferredSummary,
} from "./describe_inferred.ts";

/** Distinct numbers at most for a numeric column to become `ordinal`. */
export const FEW_VALUES = 6;

/** Largest over smallest value from which a positive range is log-scaled. */
export const LOG_RATIO = 100;

/** Distinct values at most of a discrete parent of an inferred condition. */
const MAX_PARENT_VALUES = 16;

/** A table of trials: a nodejs-polars DataFrame or plain rows. */
export type TrialsTableLike = DataFrame | readonly Record<string, unknown>[];

/**
 * An override for one parameter: a full definition (with `kind`) replaces
 * what was inferred; a partial one (`log`, `low`, `high`, `when`) is merged
 * into it; `null` leaves the parameter out of the space.
 */
export type ParamOverride =
  | Param
  | { log?: boolean; low?: number; high?: number; when?: Condition }
  | null;

/** Options of {@linkcode inferSpace}. */
export interface InferSpaceOptions {
  /**
   * The parameter columns. Default: every column except the trials table's
   * own (`trial`, `budget`, `seed`, `duration_s`, `status`), measurements
   * `mi_<k>`, and `exclude`.
   */
  params?: readonly string[];
  /** Columns that are not parameters (objectives, say). Default ["loss", "accuracy"]. */
  exclude?: readonly string[];
}

/** How one parameter was inferred: a row of the printout. */
export interface InferredParam {
  /** The parameter (column) name. */
  name: string;
  /** Its kind in the space, or "dropped". */
  kind: Param["kind"] | "dropped";
  /** Where the definition came from. */
  source: "values" | "distribution" | "override";
  /** Rows where it has a value, of all rows. */
  present: number;
  /** Why this kind, range, scale and condition: the rule that fired. */
  rule: string;
}

const TABLE_COLUMNS = new Set([
  "trial",
  "budget",
  "seed",
  "duration_s",
  "status",
]);

/**
 * A {@linkcode SearchSpace} that remembers how it was inferred: `inferred`
 * has one row per column considered, `optional` the conditional parameters
 * no parent explains. It prints (and displays in Jupyter) as a table.
 */
export class InferredSpace extends SearchSpace {
  /** One row per parameter column considered, dropped ones included. */
  readonly inferred: readonly InferredParam[];
  /**
   * Parameters missing in some rows that no other parameter explains: left
   * unconditioned, so rows without them fail `validate`. Give each a `when`
   * override, or leave it out (`null`) before an HSIC analysis.
   */
  readonly optional: readonly string[];

  /** Builds the space; use {@linkcode inferSpace} rather than this. */
  constructor(
    params: Record<string, Param>,
    inferred: readonly InferredParam[],
    optional: readonly string[] = [],
  ) {
    super(params);
    this.inferred = inferred;
    this.optional = optional;
  }

  /** The printout: text, HTML, and a Jupyter display bundle. */
  describe(): InferredSummary {
    return describeInferredSpace(this);
  }

  /** The text printout. */
  override toString(): string {
    return this.describe().text;
  }

  /** Jupyter shows the printout as a table. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    const d = this.describe();
    return { "text/plain": d.text, "text/html": d.html };
  }
}

/**
 * Reads a table's columns as plain arrays: bigints to numbers, NaN and
 * undefined to null.
 */
export function tableColumns(
  table: TrialsTableLike,
): { columns: string[]; values: Record<string, unknown[]>; height: number } {
  const values: Record<string, unknown[]> = {};
  let columns: string[];
  let height: number;
  if (Array.isArray(table)) {
    const rows = table as readonly Record<string, unknown>[];
    const seen = new Set<string>();
    for (const row of rows) for (const k of Object.keys(row)) seen.add(k);
    columns = [...seen];
    height = rows.length;
    for (const c of columns) values[c] = rows.map((r) => r[c]);
  } else {
    const df = table as DataFrame;
    if (typeof df.getColumn !== "function") {
      throw new SpaceError(
        "inferSpace takes a nodejs-polars DataFrame or an array of row objects",
      );
    }
    columns = [...df.columns];
    height = df.height;
    for (const c of columns) values[c] = [...df.getColumn(c).toArray()];
  }
  for (const c of columns) {
    values[c] = values[c].map(clean);
  }
  return { columns, values, height };
}

function clean(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number" && Number.isNaN(v)) return null;
  return v;
}

function sortScalars(values: Scalar[]): Scalar[] {
  const rank = (v: Scalar) =>
    typeof v === "boolean" ? 0 : typeof v === "number" ? 1 : 2;
  return values.sort((a, b) =>
    rank(a) - rank(b) ||
    (typeof a === "number" && typeof b === "number"
      ? a - b
      : String(a) < String(b)
      ? -1
      : String(a) > String(b)
      ? 1
      : 0)
  );
}

/** The kind, range and scale one column's values imply, with the rule. */
export function inferParam(
  values: readonly unknown[],
): { param: Param | null; rule: string } {
  const present = values.filter((v) => v !== null) as Scalar[];
  const distinct = sortScalars([...new Set(present)]);
  if (distinct.length === 0) return { param: null, rule: "no values" };
  if (distinct.length === 1) {
    return {
      param: null,
      rule: `constant (${JSON.stringify(distinct[0])}): nothing to rank`,
    };
  }
  if (distinct.every((v) => typeof v === "boolean")) {
    return { param: { kind: "boolean" }, rule: "booleans" };
  }
  if (!distinct.every((v) => typeof v === "number")) {
    const choices = distinct.every((v) => typeof v === "string")
      ? distinct
      : distinct.map(String);
    return {
      param: { kind: "categorical", choices },
      rule: `${distinct.length} distinct ${
        distinct.every((v) => typeof v === "string")
          ? "strings"
          : "mixed values (as strings)"
      }`,
    };
  }
  const nums = distinct as number[];
  const low = nums[0];
  const high = nums[nums.length - 1];
  const integral = nums.every(Number.isInteger);
  const consecutive = integral && high - low === nums.length - 1;
  if (
    nums.length <= FEW_VALUES && present.length >= 2 * nums.length &&
    !consecutive
  ) {
    return {
      param: { kind: "ordinal", values: nums },
      rule: `${nums.length} distinct numbers (≤ ${FEW_VALUES}), each seen ~${
        Math.round(present.length / nums.length)
      }×`,
    };
  }
  const ratio = high / low;
  const log = low > 0 && (!integral || low >= 1) && ratio >= LOG_RATIO;
  const scale = log
    ? `log: all > 0, max/min = ${ratio.toPrecision(3)} ≥ ${LOG_RATIO}`
    : low > 0
    ? `linear: max/min = ${ratio.toPrecision(3)} < ${LOG_RATIO}`
    : "linear: not all > 0";
  return integral
    ? {
      param: { kind: "int", low, high, ...(log ? { log } : {}) },
      rule: `all integers, bounds from min/max; ${scale}`,
    }
    : {
      param: { kind: "float", low, high, ...(log ? { log } : {}) },
      rule: `numbers, bounds from min/max; ${scale}`,
    };
}

/**
 * The condition under which `name` has a value, from which parameters have
 * values in the same rows (see the module doc), or null when none explains it.
 */
export function inferCondition(
  name: string,
  params: Record<string, Param>,
  values: Record<string, readonly unknown[]>,
): Condition | null {
  const own = values[name];
  const rows = own.flatMap((v, i) => (v === null ? [] : [i]));
  const missing = own.length - rows.length;
  const candidates: { parent: string; rule: ConditionRule; order: number }[] =
    [];
  for (const [parent, q] of Object.entries(params)) {
    if (parent === name) continue;
    const pv = values[parent];
    const parentMissing = pv.filter((v) => v === null).length;
    if (parentMissing >= missing) continue; // a parent is present more often
    if (rows.some((i) => pv[i] === null)) continue;
    const discrete = valuesOf(q);
    if (discrete) {
      if (discrete.length > MAX_PARENT_VALUES) continue;
      const set = new Set(rows.map((i) => pv[i]));
      const exact = pv.every((v, i) =>
        v === null || !set.has(v) || own[i] !== null
      );
      if (!exact) continue;
      const chosen = discrete.filter((v) => set.has(v));
      candidates.push({
        parent,
        rule: chosen.length === 1 ? chosen[0] : { in: chosen },
        order: q.kind === "categorical" || q.kind === "boolean" ? 0 : 1,
      });
    } else {
      const nums = rows.map((i) => pv[i] as number);
      const a = Math.min(...nums);
      const b = Math.max(...nums);
      const inside = pv.every((v, i) =>
        v === null || (v as number) < a || (v as number) > b || own[i] !== null
      );
      if (!inside) continue;
      const all = pv.filter((v) => v !== null) as number[];
      const rule = b === Math.max(...all)
        ? { gte: a }
        : a === Math.min(...all)
        ? { lte: b }
        : null;
      if (rule) candidates.push({ parent, rule, order: 2 });
    }
  }
  if (candidates.length === 0) return null;
  // Discrete parents first; among equals, the one missing most often (the
  // nearest ancestor of a nested chain).
  const missingOf = (p: string) => values[p].filter((v) => v === null).length;
  candidates.sort((x, y) =>
    x.order - y.order || missingOf(y.parent) - missingOf(x.parent)
  );
  const best = candidates[0];
  return { [best.parent]: best.rule };
}

function ruleText(condition: Condition): string {
  return Object.entries(condition).map(([k, r]) =>
    `${k} ${
      typeof r === "object"
        ? Object.entries(r).map(([op, v]) => `${op} ${JSON.stringify(v)}`)
          .join(", ")
        : `= ${JSON.stringify(r)}`
    }`
  ).join(" and ");
}

/**
 * Adds conditions to parameters missing in some rows (unless they already
 * have one) and finishes the space. Shared by {@linkcode inferSpace} and the
 * importers, which know kinds from stored distributions.
 */
export function completeSpace(
  params: Record<string, Param>,
  notes: InferredParam[],
  values: Record<string, readonly unknown[]>,
  keepWhen: ReadonlySet<string> = new Set(),
): InferredSpace {
  const optional: string[] = [];
  for (const name of Object.keys(params)) {
    const note = notes.find((n) => n.name === name)!;
    const column = values[name];
    if (!column || column.every((v) => v !== null)) continue;
    if (keepWhen.has(name) || params[name].when) continue;
    const when = inferCondition(name, params, values);
    if (when) {
      params[name] = { ...params[name], when };
      note.rule += `; conditional: present exactly when ${ruleText(when)}`;
    } else {
      optional.push(name);
      note.rule += `; optional: missing in ${
        column.length - note.present
      } rows and no parameter explains when (give a "when" override, or null to leave it out)`;
    }
  }
  return new InferredSpace(params, notes, optional);
}

function applyOverride(
  name: string,
  inferred: Param | null,
  override: ParamOverride,
): Param | null {
  if (override === null) return null;
  if ("kind" in override) return override as Param;
  if (!inferred) {
    throw new SpaceError(
      `override for "${name}" has no kind and nothing was inferred to merge it into (the column is constant or empty); give a full definition such as float(0, 1)`,
    );
  }
  const merged = { ...inferred, ...override } as Param;
  return merged;
}

/**
 * Infers a search space from a table of trials (see the module doc for the
 * rules), applying `overrides` per parameter. The result is a
 * {@linkcode SearchSpace} that also carries `inferred` (how each parameter
 * was read) and prints as a table.
 *
 * @example
 * ```ts
 * import { inferSpace } from "./infer.ts";
 * const rows = Array.from({ length: 40 }, (_, i) => ({
 *   lr: 10 ** (-4 + (i % 10) / 3),
 *   depth: 1 + (i % 4),
 *   act: i % 2 ? "relu" : "tanh",
 *   loss: i / 40,
 * }));
 * const space = inferSpace(rows);
 * if (space.params.lr.kind !== "float" || !space.params.lr.log) throw new Error();
 * if (space.params.depth.kind !== "int" || space.params.act.kind !== "categorical") throw new Error();
 * if (!String(space).includes("log: all > 0")) throw new Error("the rule is printed");
 * ```
 */
export function inferSpace(
  table: TrialsTableLike,
  overrides: Record<string, ParamOverride> = {},
  options: InferSpaceOptions = {},
): InferredSpace {
  const { columns, values, height } = tableColumns(table);
  const exclude = new Set(options.exclude ?? ["loss", "accuracy"]);
  const names = options.params
    ? [...options.params]
    : columns.filter((c) =>
      !TABLE_COLUMNS.has(c) && !/^mi_\d+$/.test(c) && !exclude.has(c)
    );
  for (const n of [...names, ...Object.keys(overrides)]) {
    if (!columns.includes(n)) {
      throw new SpaceError(
        `no column "${n}" in the table; columns: ${columns.join(", ")}`,
      );
    }
  }
  const params: Record<string, Param> = {};
  const notes: InferredParam[] = [];
  const keepWhen = new Set<string>();
  for (const name of names) {
    const column = values[name];
    const present = column.filter((v) => v !== null).length;
    const { param, rule } = inferParam(column);
    const override = overrides[name];
    const final = override === undefined
      ? param
      : applyOverride(name, param, override);
    if (override?.when) keepWhen.add(name);
    notes.push({
      name,
      kind: final ? final.kind : "dropped",
      source: override === undefined ? "values" : "override",
      present,
      rule: override === undefined
        ? rule
        : override === null
        ? "left out by override"
        : `override ${JSON.stringify(override)} (values: ${rule})`,
    });
    if (final) params[name] = final;
  }
  void height;
  return completeSpace(params, notes, values, keepWhen);
}
