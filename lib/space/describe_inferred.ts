/**
 * The printout of an inferred search space: one row per parameter with its
 * kind, range or choices, scale, condition and the rule that produced it, as
 * text for a terminal and an HTML table for Jupyter.
 *
 * @module
 */

import type { Param } from "./space.ts";
import type { InferredParam } from "./infer.ts";

/** The printout of {@linkcode describeInferredSpace}. */
export interface InferredSummary {
  /** A plain-text table. */
  readonly text: string;
  /** An HTML table. */
  readonly html: string;
  /** The rows behind both, one per parameter column considered. */
  readonly rows: readonly Record<string, string>[];
  /** The text. */
  toString(): string;
}

/** What {@linkcode describeInferredSpace} reads. */
export interface InferredLike {
  /** The parameters kept. */
  readonly params: Readonly<Record<string, Param>>;
  /** How each column was read. */
  readonly inferred: readonly InferredParam[];
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(
    />/g,
    "&gt;",
  );
}

function rangeOf(p: Param | undefined): string {
  if (!p) return "";
  switch (p.kind) {
    case "float":
    case "int":
      return `[${p.low}, ${p.high}]`;
    case "categorical":
      return p.choices.map((c) => JSON.stringify(c)).join(", ");
    case "ordinal":
      return p.values.map((c) => JSON.stringify(c)).join(" < ");
    default:
      return "false, true";
  }
}

/**
 * The printout of an inferred space (what `String(space)` gives and Jupyter
 * shows): kind, range, scale, condition and the rule behind each parameter.
 *
 * @example
 * ```ts
 * import { inferSpace } from "./infer.ts";
 * import { describeInferredSpace } from "./describe_inferred.ts";
 * const rows = Array.from({ length: 20 }, (_, i) => ({ x: i / 19, loss: i }));
 * const summary = describeInferredSpace(inferSpace(rows));
 * if (!summary.text.includes("float")) throw new Error(summary.text);
 * ```
 */
export function describeInferredSpace(space: InferredLike): InferredSummary {
  const total = Math.max(0, ...space.inferred.map((n) => n.present));
  const rows = space.inferred.map((n) => {
    const p = space.params[n.name];
    return {
      name: n.name,
      kind: n.kind,
      range: rangeOf(p),
      log: p && (p.kind === "float" || p.kind === "int") && p.log ? "log" : "",
      when: p?.when ? JSON.stringify(p.when) : "",
      present: String(n.present),
      source: n.source,
      rule: n.rule,
    };
  });
  const header = ["name", "kind", "range", "log", "when", "present", "source"];
  const widths = header.map((h) =>
    Math.max(
      h.length,
      ...rows.map((r) => (r[h as keyof typeof r] as string).length),
    )
  );
  const line = (cells: string[]) =>
    cells.map((c, j) => c.padEnd(widths[j])).join("  ").trimEnd();
  const text = [
    `inferred search space: ${
      Object.keys(space.params).length
    } parameters from ${space.inferred.length} columns (${total} rows at most)`,
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map((r) => line(header.map((h) => r[h as keyof typeof r]))),
    "",
    "rules:",
    ...rows.map((r) => `  ${r.name}: ${r.rule}`),
  ].join("\n");
  const all = [...header, "rule"];
  const html = `<table><thead><tr>${
    all.map((h) => `<th>${h}</th>`).join("")
  }</tr></thead><tbody>${
    rows.map((r) =>
      `<tr>${
        all.map((h) =>
          `<td>${escapeHtml(r[h as keyof typeof r] as string)}</td>`
        ).join("")
      }</tr>`
    ).join("")
  }</tbody></table>`;
  return { text, html, rows, toString: () => text };
}
