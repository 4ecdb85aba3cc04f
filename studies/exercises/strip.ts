/**
 * Student versions of exercise notebooks, made from the solution versions so
 * a teacher edits one file:
 *
 * - in code cells, the lines between `// BEGIN SOLUTION` and
 *   `// END SOLUTION` become `// YOUR CODE HERE`, followed by the stub
 *   written after the marker (`// BEGIN SOLUTION: return todo();`);
 * - a cell tagged `solution` (cell metadata `tags`) becomes a placeholder
 *   ("*Your answer here.*" in markdown, `// YOUR CODE HERE` in code);
 * - every output and execution count is cleared.
 *
 * @module
 */

/** The parts of a Jupyter notebook this module reads and writes. */
export interface NotebookJson {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** One cell. */
export interface NotebookCell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: { tags?: string[]; [key: string]: unknown };
  outputs?: unknown[];
  execution_count?: number | null;
  [key: string]: unknown;
}

/** The error raised for malformed solution markers. */
export class ExerciseError extends Error {
  override name = "ExerciseError";
}

const BEGIN = /^(\s*)\/\/ BEGIN SOLUTION(?::\s*(.*))?$/;
const END = /^\s*\/\/ END SOLUTION\s*$/;

function text(source: string | string[]): string {
  return Array.isArray(source) ? source.join("") : source;
}

/** Splits text into notebook source lines (each but the last ends in "\n"). */
function lines(s: string): string[] {
  const parts = s.split("\n");
  return parts.map((p, i) => (i < parts.length - 1 ? `${p}\n` : p)).filter((
    p,
  ) => p !== "");
}

/**
 * A code cell's source with every solution region replaced by its stub.
 *
 * @example
 * ```ts
 * import { stripSource } from "./strip.ts";
 * const src = "function f() {\n  // BEGIN SOLUTION: return todo();\n  return 42;\n  // END SOLUTION\n}";
 * const out = stripSource(src, "cell 1");
 * if (out !== "function f() {\n  // YOUR CODE HERE\n  return todo();\n}") throw new Error(out);
 * ```
 */
export function stripSource(source: string, where: string): string {
  const out: string[] = [];
  let open: { indent: string; stub?: string; line: number } | null = null;
  source.split("\n").forEach((line, i) => {
    const begin = line.match(BEGIN);
    if (begin) {
      if (open) {
        throw new ExerciseError(
          `${where}, line ${
            i + 1
          }: BEGIN SOLUTION inside the region opened on line ${open.line}; close it with // END SOLUTION first`,
        );
      }
      open = { indent: begin[1], stub: begin[2]?.trim(), line: i + 1 };
      return;
    }
    if (END.test(line)) {
      if (!open) {
        throw new ExerciseError(
          `${where}, line ${i + 1}: END SOLUTION without a BEGIN SOLUTION`,
        );
      }
      const { indent, stub } = open as { indent: string; stub?: string };
      out.push(`${indent}// YOUR CODE HERE`);
      if (stub) out.push(`${indent}${stub}`);
      open = null;
      return;
    }
    if (!open) out.push(line);
  });
  if (open) {
    throw new ExerciseError(
      `${where}: the BEGIN SOLUTION on line ${
        (open as { line: number }).line
      } is never closed with // END SOLUTION`,
    );
  }
  return out.join("\n");
}

/**
 * The student version of a solution notebook (a new object; the input is
 * not changed).
 *
 * @example
 * ```ts
 * import { stripSolutions } from "./strip.ts";
 * const nb = {
 *   nbformat: 4, nbformat_minor: 5, metadata: {},
 *   cells: [
 *     { cell_type: "markdown" as const, source: "Why?", metadata: {} },
 *     { cell_type: "markdown" as const, source: "Because.", metadata: { tags: ["solution"] } },
 *     { cell_type: "code" as const, source: "1 + 1", metadata: {}, outputs: [{}], execution_count: 3 },
 *   ],
 * };
 * const student = stripSolutions(nb);
 * if (student.cells[1].source !== "*Your answer here.*") throw new Error();
 * if (student.cells[2].outputs!.length !== 0) throw new Error("outputs cleared");
 * ```
 */
export function stripSolutions(notebook: NotebookJson): NotebookJson {
  if (!notebook || !Array.isArray(notebook.cells)) {
    throw new ExerciseError("not a notebook: it has no cells array");
  }
  const cells = notebook.cells.map((cell, i) => {
    const where = `cell ${i + 1}`;
    const tagged = (cell.metadata?.tags ?? []).includes("solution");
    const copy: NotebookCell = structuredClone(cell);
    if (tagged) {
      copy.source = cell.cell_type === "markdown"
        ? "*Your answer here.*"
        : "// YOUR CODE HERE";
      copy.metadata = {
        ...copy.metadata,
        tags: (copy.metadata.tags ?? []).filter((t) => t !== "solution"),
      };
      if (copy.metadata.tags!.length === 0) delete copy.metadata.tags;
    } else if (cell.cell_type === "code") {
      copy.source = lines(stripSource(text(cell.source), where));
    }
    if (cell.cell_type === "code") {
      copy.outputs = [];
      copy.execution_count = null;
    }
    return copy;
  });
  return { ...structuredClone(notebook), cells };
}

/** A notebook as this project writes it (one-space indent, final newline). */
export function notebookText(notebook: NotebookJson): string {
  return JSON.stringify(notebook, null, 1) + "\n";
}
