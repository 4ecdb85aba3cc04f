/**
 * `show(df)`: a DataFrame summary for notebooks and terminals — shape,
 * dtypes and a truncated table (first and last rows).
 *
 * In a `deno jupyter` kernel `show` works like IPython's `display`: it sends
 * the table to the notebook where it is called, anywhere in a cell, and what
 * it returns displays nothing more (an empty bundle), so a cell that ends
 * with `show(df)` shows the table once. Outside a kernel nothing is sent and
 * the returned value renders itself (text, HTML, or the Jupyter bundle).
 * To show a returned table again, pass it to `display`.
 *
 * @module
 */

import type { DataFrame } from "../_frame.ts";
import { escapeHtml } from "./_html.ts";
import { inJupyter, sendDisplay } from "./_jupyter.ts";

/** Options of {@linkcode show}. */
export interface ShowOptions {
  /** Rows shown at most; half from the top, half from the bottom. Default 10. */
  rows?: number;
  /** Columns shown at most; the rest are elided in the middle. Default 12. */
  columns?: number;
  /** Significant digits for floats. Default 4. */
  digits?: number;
}

/**
 * What {@linkcode show} returns: the table as text and HTML. In a kernel the
 * table is already shown, and `Symbol.for("Jupyter.display")` returns an
 * empty bundle; elsewhere it returns text/plain and text/html.
 */
export interface Shown {
  /** The plain-text rendering. */
  readonly text: string;
  /** The HTML rendering. */
  readonly html: string;
  /** Resolves when the kernel has queued the table (at once outside a kernel). */
  readonly sent: Promise<void>;
  /** The Jupyter bundle (see above). */
  [key: symbol]: unknown;
}

function cell(value: unknown, digits: number): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") {
    if (Number.isInteger(value)) return String(value);
    return Number(value.toPrecision(digits)).toString();
  }
  if (typeof value === "bigint") return value.toString();
  return String(value);
}

/**
 * Summarises a DataFrame: `shape: (rows, columns)`, each column's dtype, and
 * at most `rows` rows with an ellipsis row between the head and the tail.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { show } from "./show.ts";
 * const shown = show(pl.DataFrame({ a: [1, 2, 3], b: ["x", "y", "z"] }), { rows: 2 });
 * if (!shown.text.includes("shape: (3, 2)")) throw new Error(shown.text);
 * ```
 */
export function show(df: DataFrame, options: ShowOptions = {}): Shown {
  if (!df || typeof df.toRecords !== "function") {
    throw new TypeError("show() takes a nodejs-polars DataFrame");
  }
  const maxRows = options.rows ?? 10;
  const digits = options.digits ?? 4;
  if (!Number.isInteger(maxRows) || maxRows < 1) {
    throw new RangeError(`rows must be a positive integer, got ${maxRows}`);
  }
  const maxColumns = options.columns ?? 12;
  if (!Number.isInteger(maxColumns) || maxColumns < 2) {
    throw new RangeError(`columns must be an integer >= 2, got ${maxColumns}`);
  }
  const [height, width] = [df.height, df.width];
  const allNames = df.columns;
  const allTypes = df.dtypes.map((d) =>
    String(d).replace(/^DataType\((.*)\)$/, "$1")
  );
  // Wide frames keep their first and last columns, with "…" between.
  const keep = width > maxColumns
    ? [
      ...allNames.keys().take(Math.ceil(maxColumns / 2)),
      -1,
      ...[...allNames.keys()].slice(width - Math.floor(maxColumns / 2)),
    ]
    : [...allNames.keys()];
  const names = keep.map((j) => (j < 0 ? "…" : allNames[j]));
  const dtypes = keep.map((j) => (j < 0 ? "" : allTypes[j]));
  const read = (r: Record<string, unknown>) =>
    keep.map((j) => (j < 0 ? "…" : cell(r[allNames[j]], digits)));
  const truncated = height > maxRows;
  const top = truncated ? Math.ceil(maxRows / 2) : height;
  const bottom = truncated ? Math.floor(maxRows / 2) : 0;
  const body: (string[] | null)[] = [];
  for (const r of df.head(top).toRecords()) body.push(read(r));
  if (truncated) {
    body.push(null);
    for (const r of df.tail(bottom).toRecords()) body.push(read(r));
  }
  const shape = `shape: (${height}, ${width})`;

  const widths = names.map((n, j) =>
    Math.max(
      n.length,
      dtypes[j].length,
      ...body.map((row) => (row ? row[j].length : 1)),
    )
  );
  const line = (cells: string[]) =>
    cells.map((c, j) => c.padEnd(widths[j])).join("  ");
  const text = [
    shape,
    line(names),
    line(dtypes),
    line(widths.map((w) => "-".repeat(w))),
    ...body.map((row) => line(row ?? widths.map(() => "…"))),
  ].join("\n");

  const th = names.map((n, j) =>
    `<th>${escapeHtml(n)}<br><small>${escapeHtml(dtypes[j])}</small></th>`
  ).join("");
  const trs = body.map((row) =>
    row
      ? `<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`
      : `<tr>${names.map(() => "<td>…</td>").join("")}</tr>`
  ).join("");
  const html =
    `<div><small>${shape}</small><table><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table></div>`;

  const bundle = { "text/plain": text, "text/html": html };
  const kernel = inJupyter();
  // Sent now, not when the cell ends, so a table shown mid-cell lands in
  // order with the cell's other outputs.
  const sent = kernel ? sendDisplay(bundle) : Promise.resolve();
  return {
    text,
    html,
    sent,
    toString: () => text,
    // In a kernel: already shown where show() was called, so nothing more.
    [Symbol.for("Jupyter.display")]: () =>
      kernel ? sent.then(() => ({})) : bundle,
    [Symbol.for("Deno.customInspect")]: () => text,
  } as Shown;
}
