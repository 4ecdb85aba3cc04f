/**
 * Escaping text for HTML, shared by the tables `show` renders and the
 * figures gallery.
 *
 * @module
 */

/**
 * `text` with `&`, `<` and `>` escaped, safe inside an element's content.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./_html.ts";
 * if (escapeHtml("a < b & c") !== "a &lt; b &amp; c") throw new Error();
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(
    />/g,
    "&gt;",
  );
}
