/**
 * `markdown(text)`: prose computed in a notebook cell, shown as formatted
 * Markdown in Jupyter and as plain text in a terminal (not as a quoted
 * string literal). Like `show`, inside a kernel it sends its output at once,
 * so it appears anywhere in a cell, and what it returns displays nothing more.
 *
 * @module
 */

import { inJupyter, sendDisplay } from "./_jupyter.ts";

/** What {@linkcode markdown} returns: displays itself in Jupyter and prints in a terminal. */
export interface Markdown {
  /** The Markdown source. */
  readonly text: string;
  /** Settles when the kernel has taken the output (at once outside a kernel). */
  readonly sent: Promise<void>;
  /** The Jupyter bundle: text/markdown and text/plain. */
  [key: symbol]: unknown;
}

/**
 * Shows Markdown source rendered (headings, lists, emphasis) in a notebook,
 * wherever in a cell it is called, instead of an escaped string; elsewhere
 * it prints as plain text.
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
  const bundle = { "text/markdown": text, "text/plain": text };
  const kernel = inJupyter();
  // Sent now, while the cell runs: a returned value's display can arrive
  // after the kernel reports the cell finished (Deno 2.9.6).
  const sent = kernel ? sendDisplay(bundle) : Promise.resolve();
  return {
    text,
    sent,
    toString: () => text,
    [Symbol.for("Jupyter.display")]: () =>
      kernel ? sent.then(() => ({})) : bundle,
    [Symbol.for("Deno.customInspect")]: () => text,
  } as Markdown;
}
