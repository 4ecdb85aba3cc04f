/**
 * `markdown(text)`: prose computed in a notebook cell, shown as formatted
 * Markdown in Jupyter and as plain text in a terminal (not as a quoted
 * string literal).
 *
 * @module
 */

/** What {@linkcode markdown} returns: displays itself in Jupyter and prints in a terminal. */
export interface Markdown {
  /** The Markdown source. */
  readonly text: string;
  /** The Jupyter bundle: text/markdown and text/plain. */
  [key: symbol]: unknown;
}

/**
 * Wraps Markdown source so that a notebook cell ending in it renders it
 * (headings, lists, emphasis) instead of printing an escaped string.
 *
 * @example
 * ```ts
 * import { markdown } from "./markdown.ts";
 * const m = markdown("- **KSG** is closest");
 * const bundle = (m[Symbol.for("Jupyter.display")] as () => Record<string, string>)();
 * if (bundle["text/markdown"] !== "- **KSG** is closest") throw new Error();
 * if (String(m) !== m.text) throw new Error();
 * ```
 */
export function markdown(text: string): Markdown {
  return {
    text,
    toString: () => text,
    [Symbol.for("Jupyter.display")]: () => ({
      "text/markdown": text,
      "text/plain": text,
    }),
    [Symbol.for("Deno.customInspect")]: () => text,
  } as Markdown;
}
