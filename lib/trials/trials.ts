/**
 * The trials table: one row per evaluation, as a nodejs-polars DataFrame,
 * and a store on disk that appends each finished trial durably.
 *
 * Columns, in this order: `trial` (int), one per hyperparameter (null when
 * inactive), `budget` (null for single fidelity), the objectives (`loss`,
 * `accuracy`, ...), `seed`, `duration_s`, `status`, then measurements such as
 * `mi_0..mi_{L-1}`.
 *
 * The store is a JSON Lines file. Every append happens under an exclusive
 * file lock, as one write followed by an fsync, so a killed process loses at
 * most the trial it was running, two processes can append to one store, and a
 * torn last line (a crash inside a write) is ignored on reading and cut off
 * by the next writer.
 *
 * @module
 */

import { InfolensError } from "../errors.ts";

import pl from "nodejs-polars";
import type { Config, Scalar, SearchSpace } from "../space/space.ts";
import type { DataFrame } from "../_frame.ts";
import type { SearcherState, Store } from "./store.ts";
import {
  type BadLine,
  describeValue,
  HEADER_LINE,
  parseStoreBytes,
} from "./_store_lines.ts";

/** Column types of a trials table. */
export type ColumnType = "int" | "float" | "bool" | "str";

/** Column name to type, in column order. */
export type TrialSchema = Record<string, ColumnType>;

/** How an evaluation ended. */
export type TrialStatus = "ok" | "failed" | "pruned";

/** One flat row of the trials table. */
export type TrialRow = Record<string, Scalar | null>;

/** The parts of a trial, before flattening into a row. */
export interface TrialParts {
  /** The trial number; the store assigns the next free one when absent. */
  trial?: number;
  /** The configuration evaluated. */
  config: Config;
  /** The fidelity (e.g. epochs); null or absent for single fidelity. */
  budget?: number | null;
  /** Objective values, e.g. `{ loss: 0.3, accuracy: 0.91 }`. */
  objectives: Record<string, number | null>;
  /** The seed of the evaluation. */
  seed?: number | null;
  /** Wall time of the evaluation in seconds. */
  duration_s: number;
  /** How it ended. Default "ok". */
  status?: TrialStatus;
  /** Extra measurements, e.g. `{ mi_0: 1.2, mi_1: 0.8 }`. */
  measurements?: Record<string, number | null>;
}

/** The error raised for a malformed trial or store. */
export class TrialsError extends InfolensError {
  /** Always "TrialsError", so stack traces and logs name the class. */
  override name = "TrialsError";
}

const STATUSES = new Set(["ok", "failed", "pruned"]);

/**
 * Tracks which part of a trial each column name comes from, so that one name
 * with two meanings (a hyperparameter named like the objective, say) is an
 * error instead of a silent overwrite.
 */
class ColumnOwners {
  readonly #from = new Map<string, string>([
    ["trial", "a column the table always has"],
    ["budget", "a column the table always has"],
    ["seed", "a column the table always has"],
    ["duration_s", "a column the table always has"],
    ["status", "a column the table always has"],
  ]);

  claim(column: string, part: string): void {
    const owner = this.#from.get(column);
    if (owner) {
      throw new TrialsError(
        `"${column}" is both ${owner} and ${part}; a trials table has one column per name, so rename one of them (e.g. the hyperparameter "${column}_fn")`,
      );
    }
    this.#from.set(column, part);
  }
}

/**
 * Flattens trial parts into a row in the table's column order.
 *
 * @example
 * ```ts
 * import { trialRow } from "./trials.ts";
 * const row = trialRow({
 *   trial: 0, config: { lr: 0.01 }, objectives: { loss: 0.5 },
 *   seed: 1, duration_s: 2.5,
 * });
 * if (row.status !== "ok" || row.budget !== null) throw new Error();
 * ```
 */
export function trialRow(parts: TrialParts): TrialRow {
  const row: TrialRow = { trial: parts.trial ?? null };
  const owners = new ColumnOwners();
  const put = (k: string, v: Scalar | null, part: string) => {
    owners.claim(k, part);
    row[k] = v;
  };
  for (const [k, v] of Object.entries(parts.config)) {
    put(k, v ?? null, "a hyperparameter");
  }
  row.budget = parts.budget ?? null;
  for (const [k, v] of Object.entries(parts.objectives)) {
    put(k, v, "an objective");
  }
  row.seed = parts.seed ?? null;
  row.duration_s = parts.duration_s;
  row.status = parts.status ?? "ok";
  for (const [k, v] of Object.entries(parts.measurements ?? {})) {
    put(k, v, "a measurement");
  }
  return row;
}

/**
 * The schema of a trials table for a search space and objectives:
 * float hyperparameters, budget, objectives, duration and measurements are
 * floats; ints, trial and seed are ints; booleans bool; categorical and
 * ordinal values keep their type when all choices share one, else strings.
 * A name used twice (a hyperparameter named like an objective) is a
 * {@linkcode TrialsError}, as in {@linkcode trialRow}.
 *
 * @example
 * ```ts
 * import { SearchSpace, float, categorical } from "../space/space.ts";
 * import { trialSchema } from "./trials.ts";
 * const space = new SearchSpace({ lr: float(1e-3, 1), act: categorical(["relu", "tanh"]) });
 * const schema = trialSchema(space, ["loss"]);
 * if (schema.act !== "str" || schema.lr !== "float") throw new Error();
 * ```
 */
export function trialSchema(
  space: SearchSpace,
  objectives: readonly string[],
  measurements: readonly string[] = [],
): TrialSchema {
  const owners = new ColumnOwners();
  for (const name of space.names) owners.claim(name, "a hyperparameter");
  for (const o of objectives) owners.claim(o, "an objective");
  for (const m of measurements) owners.claim(m, "a measurement");
  const schema: TrialSchema = { trial: "int", ...hyperparameterSchema(space) };
  schema.budget = "float";
  for (const o of objectives) schema[o] = "float";
  schema.seed = "int";
  schema.duration_s = "float";
  schema.status = "str";
  for (const m of measurements) schema[m] = "float";
  return schema;
}

/** Column types of a space's hyperparameters. */
function hyperparameterSchema(space: SearchSpace): TrialSchema {
  const schema: TrialSchema = {};
  for (const name of space.names) {
    const p = space.params[name];
    switch (p.kind) {
      case "float":
      case "int":
        schema[name] = p.kind;
        break;
      case "boolean":
        schema[name] = "bool";
        break;
      default: {
        const values = p.kind === "categorical" ? p.choices : p.values;
        schema[name] = commonType(values) ?? "str";
      }
    }
  }
  return schema;
}

/**
 * Configurations as a DataFrame: one column per hyperparameter, typed by the
 * space, null where inactive.
 *
 * @example
 * ```ts
 * import { SearchSpace, int } from "../space/space.ts";
 * import { configsFrame } from "./trials.ts";
 * const space = new SearchSpace({ depth: int(1, 4) });
 * const df = configsFrame(space, space.sampleMany(5, 0));
 * if (String(df.dtypes[0]) !== "DataType(Int64)") throw new Error();
 * ```
 */
export function configsFrame(
  space: SearchSpace,
  configs: readonly Config[],
): DataFrame {
  return pl.DataFrame(
    Object.entries(hyperparameterSchema(space)).map(([name, type]) =>
      pl.Series(name, configs.map((c) => c[name] ?? null), DTYPES[type])
    ),
  );
}

function commonType(values: readonly Scalar[]): ColumnType | null {
  if (values.every((v) => typeof v === "boolean")) return "bool";
  if (values.every((v) => typeof v === "string")) return "str";
  if (values.every((v) => typeof v === "number")) {
    return values.every(Number.isInteger) ? "int" : "float";
  }
  return null;
}

const KNOWN_INTS = new Set(["trial", "seed"]);

/** The type a value implies for a new column (ints only for trial/seed). */
function inferType(column: string, value: Scalar): ColumnType {
  if (typeof value === "boolean") return "bool";
  if (typeof value === "string") return "str";
  return KNOWN_INTS.has(column) ? "int" : "float";
}

function checkCell(column: string, type: ColumnType, value: unknown): void {
  if (value === null) return;
  const ok = type === "str"
    ? typeof value === "string"
    : type === "bool"
    ? typeof value === "boolean"
    : type === "int"
    ? typeof value === "number" && Number.isSafeInteger(value)
    : typeof value === "number" && !Number.isNaN(value);
  if (!ok) {
    throw new TrialsError(
      `column "${column}" holds ${type} values, got ${describeValue(value)}${
        typeof value === "number" && Number.isNaN(value)
          ? " (use null for a missing value, not NaN)"
          : ""
      }`,
    );
  }
}

/**
 * Checks a row against required columns and a schema; returns the columns
 * it adds (internal: the stores call it before writing).
 */
export function checkRow(row: TrialRow, schema: TrialSchema): TrialSchema {
  for (const required of ["trial", "duration_s", "status"]) {
    if (!(required in row)) {
      throw new TrialsError(
        `a trial row needs a "${required}" column; build rows with trialRow()`,
      );
    }
  }
  if (!STATUSES.has(row.status as string)) {
    throw new TrialsError(
      `status must be "ok", "failed" or "pruned", got ${
        JSON.stringify(row.status)
      }`,
    );
  }
  const added: TrialSchema = {};
  for (const [column, value] of Object.entries(row)) {
    if (value === undefined) {
      throw new TrialsError(`column "${column}" is undefined; use null`);
    }
    let type = schema[column] ?? added[column];
    if (type === undefined) {
      if (value === null) continue; // typed when a value first arrives
      type = added[column] = inferType(column, value);
    }
    checkCell(column, type, value);
  }
  return added;
}

const DTYPES = {
  int: pl.Int64,
  float: pl.Float64,
  bool: pl.Bool,
  str: pl.Utf8,
} as const;

/**
 * Builds the trials DataFrame from rows. Columns follow the schema's order,
 * then any untyped columns in order of first appearance; missing values are
 * null. Columns without a schema entry are inferred (numbers as floats,
 * except `trial` and `seed`; a column null everywhere is float).
 *
 * @example
 * ```ts
 * import { trialsFrame } from "./trials.ts";
 * const df = trialsFrame([
 *   { trial: 0, lr: 0.1, budget: null, loss: 0.4, seed: 0, duration_s: 1, status: "ok" },
 * ]);
 * if (df.height !== 1) throw new Error();
 * ```
 */
export function trialsFrame(
  rows: readonly TrialRow[],
  schema: TrialSchema = {},
): DataFrame {
  const full: TrialSchema = { ...schema };
  for (const row of rows) Object.assign(full, checkRow(row, full));
  // A column that is null everywhere has no value to type it by.
  for (const row of rows) {
    for (const column of Object.keys(row)) {
      full[column] ??= KNOWN_INTS.has(column) ? "int" : "float";
    }
  }
  return pl.DataFrame(
    Object.entries(full).map(([column, type]) =>
      pl.Series(
        column,
        rows.map((r) => r[column] ?? null),
        DTYPES[type],
      )
    ),
  );
}

/** A line the store writes. */
type StoreLine = { schema: TrialSchema } | { row: TrialRow };

const encoder = new TextEncoder();

/**
 * Reads a store file into rows and schema without taking the lock. A torn
 * last line (from a killed writer) is ignored; a damaged line elsewhere
 * leaves the store read-only (see {@linkcode TrialStore.damage}).
 *
 * @example
 * ```ts ignore
 * import { readTrials } from "./trials.ts";
 * const df = (await readTrials("sweep.trials.jsonl")).toDataFrame();
 * ```
 */
export async function readTrials(path: string): Promise<TrialStore> {
  const store = new TrialStore(path);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new TrialsError(
        `no trials store at ${path}; check the path or create one with TrialStore.open()`,
      );
    }
    throw e;
  }
  store.ingest(bytes, 0);
  return store;
}

/**
 * A trials store on disk: append finished trials, read them back as a
 * DataFrame with the same dtypes, resume a sweep by asking which trials are
 * done. Safe for several processes appending at once.
 *
 * @example
 * ```ts
 * import { TrialStore, trialRow } from "./trials.ts";
 * const path = await Deno.makeTempFile({ suffix: ".trials.jsonl" });
 * const store = await TrialStore.open(path);
 * await store.append(trialRow({ config: { lr: 0.1 }, objectives: { loss: 0.3 }, duration_s: 1 }));
 * const again = await TrialStore.open(path);
 * if (!again.has(0)) throw new Error("trial 0 was stored");
 * if (again.toDataFrame().height !== 1) throw new Error();
 * await Deno.remove(path);
 * ```
 */
export class TrialStore implements Store {
  /** The store file. */
  readonly path: string;
  #schema: TrialSchema = {};
  #rows: TrialRow[] = [];
  #trials = new Set<number>();
  #offset = 0;
  #lines = 0;
  #unterminated = false;
  #header = false;
  #torn: { byte: number; text: string } | null = null;
  #bad: BadLine[] = [];

  /** Use {@linkcode TrialStore.open} or {@linkcode readTrials}. */
  constructor(path: string) {
    this.path = path;
  }

  /**
   * Opens (creating if needed) a store. A `schema` fixes column types ahead
   * of the first rows; see {@linkcode trialSchema}. A torn last line (a
   * write cut short) is cut off, with a warning; a file that is not a store
   * (or of another version) is refused untouched; a store with a damaged
   * line opens read-only with its good rows and a warning naming the line
   * (see {@linkcode TrialStore.damage} and {@linkcode repairTrialStore}).
   */
  static async open(
    path: string,
    options: { schema?: TrialSchema } = {},
  ): Promise<TrialStore> {
    if (typeof path !== "string" || path === "") {
      throw new TrialsError(
        `TrialStore.open takes a file path, got ${describeValue(path)}`,
      );
    }
    const store = new TrialStore(path);
    await store.#locked(async (file) => {
      await store.#catchUp(file);
      if (!store.#header) await store.#writeText(file, HEADER_LINE + "\n");
      const damage = store.damage;
      if (damage) console.warn(damage);
      if (options.schema) {
        const added: TrialSchema = {};
        for (const [column, type] of Object.entries(options.schema)) {
          const have = store.#schema[column];
          if (have && have !== type) {
            throw new TrialsError(
              `${path}: column "${column}" is ${have} in the store but ${type} in the schema given`,
            );
          }
          if (!have) added[column] = type;
        }
        if (Object.keys(added).length > 0) {
          if (damage) Object.assign(store.#schema, added);
          else await store.#write(file, [{ schema: added }]);
        }
      }
    });
    return store;
  }

  /**
   * Why the store is read-only, or null: the lines of the file that are not
   * store lines (damaged, or edited by hand). The good rows are still read;
   * {@linkcode repairTrialStore} writes a clean copy beside the file.
   */
  get damage(): string | null {
    if (this.#bad.length === 0) return null;
    const shown = this.#bad.slice(0, 3).map((b) =>
      `line ${b.line} (byte ${b.byte}) ${b.why}`
    ).join("; ");
    const more = this.#bad.length > 3
      ? ` and ${this.#bad.length - 3} more lines`
      : "";
    return `${this.path} is damaged: ${shown}${more}. It is read-only (its ${this.#rows.length} good rows are read); repairTrialStore("${this.path}") writes a clean copy beside it`;
  }

  /** @internal Parses file bytes from `base` into this store's state. */
  ingest(bytes: Uint8Array, base: number): void {
    const parsed = parseStoreBytes(bytes, {
      path: this.path,
      base,
      line: this.#lines,
      schema: this.#schema,
      expectHeader: !this.#header,
    });
    this.#header = parsed.header;
    for (const row of parsed.rows) {
      this.#rows.push(row);
      this.#trials.add(row.trial as number);
    }
    this.#bad.push(...parsed.bad);
    this.#offset = base + parsed.consumed;
    this.#lines += parsed.lines;
    if (parsed.consumed > 0) this.#unterminated = parsed.unterminated;
    this.#torn = parsed.torn;
  }

  /** @internal Bad lines read so far (for the repair). */
  badLines(): BadLine[] {
    return [...this.#bad];
  }

  /** The column types known so far. */
  get schema(): TrialSchema {
    return { ...this.#schema };
  }

  /** The number of finished trials read or written by this handle. */
  get size(): number {
    return this.#rows.length;
  }

  /** Whether trial `trial` is in the store (as of the last read or append). */
  has(trial: number): boolean {
    return this.#trials.has(trial);
  }

  /** The finished trial numbers. */
  completed(): Set<number> {
    return new Set(this.#trials);
  }

  /** The next trial number after the largest stored. */
  nextTrial(): number {
    let max = -1;
    for (const t of this.#trials) max = Math.max(max, t);
    return max + 1;
  }

  /** The rows, in the order they were appended. */
  rows(): TrialRow[] {
    return this.#rows.map((r) => ({ ...r }));
  }

  /** Re-reads what other processes appended since the last read. */
  async refresh(): Promise<this> {
    await this.#locked((file) => this.#catchUp(file));
    return this;
  }

  /**
   * Appends one finished trial durably (written and fsynced before the
   * promise resolves) and returns the stored row. A row whose `trial` is
   * null gets the next free number, chosen under the lock, so concurrent
   * writers never collide. A trial number already stored is an error.
   */
  async append(row: TrialRow): Promise<TrialRow> {
    if (row === null || typeof row !== "object") {
      throw new TrialsError("append() takes a row object; see trialRow()");
    }
    let stored: TrialRow = row;
    await this.#locked(async (file) => {
      await this.#catchUp(file);
      const damage = this.damage;
      if (damage) throw new TrialsError(`cannot append: ${damage}`);
      stored = { ...row };
      if (stored.trial === null || stored.trial === undefined) {
        stored.trial = this.nextTrial();
      } else if (this.#trials.has(stored.trial as number)) {
        throw new TrialsError(
          `trial ${stored.trial} is already in ${this.path}; check has() before re-running it, or leave trial null to number it automatically`,
        );
      }
      const added = checkRow(stored, this.#schema);
      const lines: StoreLine[] = [];
      if (Object.keys(added).length > 0) lines.push({ schema: added });
      lines.push({ row: stored });
      await this.#write(file, lines);
    });
    return stored;
  }

  /** The trials table as a DataFrame, with the store's dtypes. */
  toDataFrame(): DataFrame {
    return trialsFrame(this.#rows, this.#schema);
  }

  /** The store file's path (the {@linkcode Store} interface's name for it). */
  get location(): string {
    return this.path;
  }

  /** The searcher state saved beside the store (`<path>.searcher.json`), or null. */
  async readSearcherState(): Promise<SearcherState | null> {
    try {
      return JSON.parse(await Deno.readTextFile(`${this.path}.searcher.json`));
    } catch {
      return null; // none, or torn: the trials are replayed instead
    }
  }

  /** Saves a searcher state beside the store, atomically. */
  async writeSearcherState(saved: SearcherState): Promise<void> {
    // Written aside and renamed, so a kill never leaves half a state.
    const path = `${this.path}.searcher.json`;
    const tmp = `${path}.tmp`;
    await Deno.writeTextFile(tmp, JSON.stringify(saved));
    await Deno.rename(tmp, path);
  }

  /** Nothing to release: every operation opens and closes the file. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  async #locked<T>(fn: (file: Deno.FsFile) => Promise<T>): Promise<T> {
    const file = await Deno.open(this.path, {
      read: true,
      write: true,
      create: true,
    });
    try {
      await file.lock(true);
      return await fn(file);
    } finally {
      file.close(); // closing releases the lock
    }
  }

  /** Reads lines appended since our offset; cuts a torn tail. */
  async #catchUp(file: Deno.FsFile): Promise<void> {
    const size = (await file.stat()).size;
    if (size <= this.#offset) return;
    await file.seek(this.#offset, Deno.SeekMode.Start);
    const buf = new Uint8Array(size - this.#offset);
    let read = 0;
    while (read < buf.length) {
      const n = await file.read(buf.subarray(read));
      if (n === null) break;
      read += n;
    }
    this.ingest(buf.subarray(0, read), this.#offset);
    const torn = this.#torn;
    if (torn && this.#bad.length === 0) {
      // A writer died mid-line: drop the fragment so appends stay parseable.
      await file.truncate(torn.byte);
      this.#torn = null;
      console.warn(
        `${this.path}: cut a torn last line (${
          size - torn.byte
        } bytes at byte ${torn.byte}, a write that did not finish): ${
          torn.text.length > 80 ? torn.text.slice(0, 77) + "..." : torn.text
        }`,
      );
    }
  }

  async #write(file: Deno.FsFile, lines: StoreLine[]): Promise<void> {
    await this.#writeText(
      file,
      lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
    );
  }

  /** Writes whole lines at the end of what was read, and ingests them. */
  async #writeText(file: Deno.FsFile, text: string): Promise<void> {
    // A last line another tool left without its newline gets one first.
    const lead = this.#unterminated ? "\n" : "";
    const bytes = encoder.encode(lead + text);
    await file.seek(this.#offset, Deno.SeekMode.Start);
    await writeAll(file, bytes);
    await file.syncData();
    this.#offset += lead.length;
    this.#unterminated = false;
    this.ingest(bytes.subarray(lead.length), this.#offset);
  }
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    written += await file.write(bytes.subarray(written));
  }
}
