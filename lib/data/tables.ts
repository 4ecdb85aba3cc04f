/**
 * Loading CSV (optionally gzipped), Parquet and JSON tables through polars,
 * with errors that name the file and the fix.
 *
 * @module
 */

import { InfolensError } from "../errors.ts";

import pl from "nodejs-polars";
import { Buffer } from "node:buffer";
import type { DataFrame } from "../_frame.ts";

/** Formats {@linkcode readTable} reads. */
export type TableFormat = "csv" | "parquet" | "json" | "ndjson";

/** Options of {@linkcode readTable}. */
export interface ReadTableOptions {
  /** The format; default from the extension (`.csv`, `.csv.gz`, `.parquet`, `.json`, `.jsonl`/`.ndjson`). */
  format?: TableFormat;
  /** Columns that must be present; a missing one is an error naming it. */
  columns?: readonly string[];
  /** CSV only: whether the first line holds column names. Default true. */
  hasHeader?: boolean;
  /**
   * CSV only: accept rows with fewer or more fields than the first (short
   * rows are filled with nulls, extra fields dropped). Default false: such
   * a row is an error naming its line, since it usually means a stray
   * comma or a cut file.
   */
  ragged?: boolean;
}

/** The error raised when a table cannot be read as asked. */
export class TableError extends InfolensError {
  /** Always "TableError", so stack traces and logs name the class. */
  override name = "TableError";
}

function formatOf(path: string): TableFormat {
  const p = path.toLowerCase().replace(/\.gz$/, "");
  if (p.endsWith(".csv")) return "csv";
  if (p.endsWith(".parquet")) return "parquet";
  if (p.endsWith(".jsonl") || p.endsWith(".ndjson")) return "ndjson";
  if (p.endsWith(".json")) return "json";
  throw new TableError(
    `cannot tell the format of "${path}" from its extension; pass { format: "csv" | "parquet" | "json" | "ndjson" }`,
  );
}

/** Reads a file, un-gzipping when its name ends in `.gz`. */
export async function readBytes(path: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new TableError(
        `file not found: "${path}" (looked in ${Deno.cwd()}); check the path — notebooks run from notebooks/, so data files are at ../data/`,
      );
    }
    throw e;
  }
  if (!path.endsWith(".gz")) return bytes;
  try {
    return await gunzip(bytes);
  } catch (e) {
    throw new TableError(
      `"${path}" ends in .gz but does not decompress (${
        (e as Error).message
      }); the file is probably incomplete or not gzip — fetch it again, or rename it`,
    );
  }
}

/**
 * The first CSV record (1-based line where it starts, and its field count)
 * whose field count differs from the first record's, or null. Quoted fields
 * may hold commas, quotes ("") and newlines; blank lines are skipped.
 */
function raggedCsvLine(
  text: string,
): { line: number; fields: number; expected: number } | null {
  let expected = -1;
  let fields = 1;
  let quoted = false;
  let line = 1;
  let start = 1;
  let empty = true;
  const end = (at: number) => {
    if (!empty) {
      if (expected < 0) expected = fields;
      else if (fields !== expected) return { line: start, fields, expected };
    }
    fields = 1;
    empty = true;
    start = at;
    return null;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') i++;
        else quoted = false;
      } else if (c === "\n") line++;
      continue;
    }
    if (c === '"') {
      quoted = true;
      empty = false;
    } else if (c === ",") {
      fields++;
      empty = false;
    } else if (c === "\n") {
      line++;
      const bad = end(line);
      if (bad) return bad;
    } else if (c !== "\r") empty = false;
  }
  return end(line);
}

/** Decompresses gzip bytes. */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(
    new DecompressionStream("gzip"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Reads a table into a polars DataFrame.
 *
 * @example
 * ```ts
 * import { readTable } from "./tables.ts";
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * await Deno.writeTextFile(path, "a,b\n1,x\n2,y\n");
 * const df = await readTable(path, { columns: ["a", "b"] });
 * if (df.height !== 2) throw new Error();
 * await Deno.remove(path);
 * ```
 */
export async function readTable(
  path: string,
  options: ReadTableOptions = {},
): Promise<DataFrame> {
  if (typeof path !== "string" || path === "") {
    throw new TableError(
      `readTable(path): path must be a file path, got ${JSON.stringify(path)}`,
    );
  }
  for (const name of ["hasHeader", "ragged"] as const) {
    const v = options[name];
    if (v !== undefined && typeof v !== "boolean") {
      throw new TableError(
        `readTable: ${name} must be true or false, got ${JSON.stringify(v)}`,
      );
    }
  }
  const format = options.format ?? formatOf(path);
  const bytes = await readBytes(path);
  if (bytes.length === 0) {
    throw new TableError(`"${path}" is empty; expected a ${format} table`);
  }
  let df: pl.DataFrame;
  try {
    const buffer = Buffer.from(bytes);
    switch (format) {
      case "csv": {
        const ragged = options.ragged
          ? null
          : raggedCsvLine(new TextDecoder().decode(bytes));
        if (ragged) {
          throw new TableError(
            `"${path}" line ${ragged.line} has ${ragged.fields} field${
              ragged.fields === 1 ? "" : "s"
            }, the first row ${ragged.expected}; fix the row (a stray or missing comma, a cut file), or pass { ragged: true } to fill short rows with nulls and drop extra fields`,
          );
        }
        df = pl.readCSV(buffer, { hasHeader: options.hasHeader ?? true });
        break;
      }
      case "parquet":
        df = pl.readParquet(buffer);
        break;
      case "json":
        df = pl.readJSON(buffer, { format: "json" });
        break;
      case "ndjson":
        df = pl.readJSON(buffer, { format: "lines" });
        break;
      default:
        throw new TableError(
          `unknown format "${format}"; use csv, parquet, json or ndjson`,
        );
    }
  } catch (e) {
    if (e instanceof TableError) throw e;
    throw new TableError(
      `could not read "${path}" as ${format}: ${(e as Error).message}`,
    );
  }
  const missing = (options.columns ?? []).filter((c) =>
    !df.columns.includes(c)
  );
  if (missing.length > 0) {
    throw new TableError(
      `"${path}" lacks column${missing.length > 1 ? "s" : ""} ${
        missing.map((c) => `"${c}"`).join(", ")
      }; it has: ${df.columns.join(", ")}`,
    );
  }
  return df;
}
