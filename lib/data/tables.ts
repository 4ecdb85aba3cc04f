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
  return path.endsWith(".gz") ? await gunzip(bytes) : bytes;
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
  const format = options.format ?? formatOf(path);
  const bytes = await readBytes(path);
  if (bytes.length === 0) {
    throw new TableError(`"${path}" is empty; expected a ${format} table`);
  }
  let df: pl.DataFrame;
  try {
    const buffer = Buffer.from(bytes);
    switch (format) {
      case "csv":
        df = pl.readCSV(buffer, { hasHeader: options.hasHeader ?? true });
        break;
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
