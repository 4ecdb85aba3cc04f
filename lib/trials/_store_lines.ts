/**
 * Reading the lines of a trials store file (internal): which lines are
 * rows, schema or the header, which are damaged, and whether the end is a
 * torn write. Lenient about what other tools do to a JSON Lines file (CRLF,
 * blank lines, no final newline), strict about what is not a store line, and
 * never decides to drop a complete line: the store does that only for a torn
 * final fragment.
 *
 * @module
 */

import {
  checkRow,
  type ColumnType,
  type TrialRow,
  type TrialSchema,
  TrialsError,
} from "./trials.ts";

/** The version of the store format this library reads and writes. */
export const STORE_VERSION = 1;

/** The first line of every store. */
export const HEADER_LINE = JSON.stringify({
  format: "infolens-trials",
  version: STORE_VERSION,
});

/** A line of the store that is not a store line. */
export interface BadLine {
  /** 1-based line number in the file. */
  line: number;
  /** Byte offset of the line's start. */
  byte: number;
  /** Why it was refused. */
  why: string;
}

/** What {@linkcode parseStoreBytes} found in a chunk of the file. */
export interface ParsedChunk {
  rows: TrialRow[];
  /** Bytes of the chunk made of whole lines (a complete last line without newline included). */
  consumed: number;
  /** Lines consumed. */
  lines: number;
  /** Whether the last consumed line lacks its newline (a writer must add one first). */
  unterminated: boolean;
  /** A torn final fragment (a write cut short): where it starts and its text. */
  torn: { byte: number; text: string } | null;
  bad: BadLine[];
  /** Whether a header line was read (or was not expected). */
  header: boolean;
}

const TYPES = new Set<string>(["int", "float", "bool", "str"]);
const decoder = new TextDecoder();

/** What the store itself writes starts like one of these. */
const WRITTEN_PREFIXES = ['{"row":{', '{"schema":{', HEADER_LINE];

/** Whether `text` can be the start of a line the store writes, cut short. */
function isTornWrite(text: string): boolean {
  return WRITTEN_PREFIXES.some((p) =>
    text.length < p.length ? p.startsWith(text) : text.startsWith(p)
  );
}

/** A short, exact rendering of a value for messages (NaN stays NaN). */
export function describeValue(value: unknown): string {
  if (typeof value === "number") {
    return Object.is(value, -0) ? "-0" : `${value}`;
  }
  if (value === undefined) return "undefined";
  const s = JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Parses a chunk of a store file starting at byte `base` (line `line` + 1),
 * merging schema lines into `schema`. With `expectHeader`, the first
 * non-blank line must be the header, else the file is refused as not a
 * store (or of another version).
 */
export function parseStoreBytes(
  bytes: Uint8Array,
  options: {
    path: string;
    base: number;
    line: number;
    schema: TrialSchema;
    expectHeader: boolean;
  },
): ParsedChunk {
  const { path, base, schema } = options;
  const out: ParsedChunk = {
    rows: [],
    consumed: 0,
    lines: 0,
    unterminated: false,
    torn: null,
    bad: [],
    header: !options.expectHeader,
  };
  let start = 0;
  let line = options.line;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    const terminated = end >= 0;
    if (!terminated) end = bytes.length;
    line++;
    let text = decoder.decode(bytes.subarray(start, end));
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (base + start === 0 && text.startsWith("\uFEFF")) text = text.slice(1);
    const next = terminated ? end + 1 : end;
    if (text.trim() === "") {
      if (terminated) {
        out.consumed = next;
        out.lines = line - options.line;
      }
      start = next;
      continue;
    }
    let parsed: unknown;
    let json = true;
    try {
      parsed = JSON.parse(text);
    } catch {
      json = false;
    }
    if (!terminated && !json && isTornWrite(text)) {
      out.torn = { byte: base + start, text };
      break;
    }
    if (!out.header) {
      checkHeader(parsed, json, text, path);
      out.header = true;
    } else {
      const why = json ? storeLine(parsed, schema, out.rows) : "is not JSON";
      if (why) out.bad.push({ line, byte: base + start, why });
    }
    out.consumed = next;
    out.lines = line - options.line;
    out.unterminated = !terminated;
    start = next;
  }
  return out;
}

/** Refuses a first line that is not this version's header. */
function checkHeader(
  parsed: unknown,
  json: boolean,
  text: string,
  path: string,
): void {
  const p = parsed as { format?: unknown; version?: unknown } | null;
  if (
    !json || p === null || typeof p !== "object" ||
    p.format !== "infolens-trials"
  ) {
    throw new TrialsError(
      `${path} is not an infolens trials store: its first line is ${
        describeValue(json ? parsed : text)
      }, not ${HEADER_LINE}; nothing was written to it. Give a new path for the store, or read a table from another tool with importTrialsTable`,
    );
  }
  if (p.version !== STORE_VERSION) {
    throw new TrialsError(
      `${path} is a trials store of version ${
        describeValue(p.version)
      }; this infolens reads version ${STORE_VERSION}: open it with the infolens that wrote it (or a newer one); nothing was written to it`,
    );
  }
}

/**
 * Takes one parsed line after the header into `schema` and `rows`, or says
 * why it is not a store line.
 */
function storeLine(
  parsed: unknown,
  schema: TrialSchema,
  rows: TrialRow[],
): string | null {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isObject(parsed)) {
    return `is ${
      describeValue(parsed)
    }, not a store line ({"row": {…}} or {"schema": {…}})`;
  }
  if ("row" in parsed) {
    const row = parsed.row;
    if (!isObject(row)) {
      return `has "row": ${describeValue(row)}, not an object`;
    }
    if (
      typeof row.trial !== "number" || !Number.isSafeInteger(row.trial) ||
      row.trial < 0
    ) {
      return `has a row whose "trial" is ${
        describeValue(row.trial)
      }, not a non-negative integer`;
    }
    try {
      Object.assign(schema, checkRow(row as TrialRow, schema));
    } catch (e) {
      if (!(e instanceof TrialsError)) throw e;
      return `has a row that does not fit the table: ${e.message}`;
    }
    rows.push(row as TrialRow);
    return null;
  }
  if ("schema" in parsed) {
    const s = parsed.schema;
    if (!isObject(s)) return `has "schema": ${describeValue(s)}, not an object`;
    for (const [column, type] of Object.entries(s)) {
      if (typeof type !== "string" || !TYPES.has(type)) {
        return `gives column "${column}" the type ${
          describeValue(type)
        }; types are int, float, bool or str`;
      }
      if (schema[column] !== undefined && schema[column] !== type) {
        return `retypes column "${column}" from ${schema[column]} to ${type}`;
      }
    }
    Object.assign(schema, s as Record<string, ColumnType>);
    return null;
  }
  if ("format" in parsed) return "is a second header line";
  return `is ${
    describeValue(parsed)
  }, not a store line ({"row": {…}} or {"schema": {…}})`;
}
