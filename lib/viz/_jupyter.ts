/**
 * Whether this code runs in a `deno jupyter` kernel, for output that shows
 * itself in place in a notebook and prints elsewhere.
 *
 * @module
 */

/**
 * True inside a `deno jupyter` kernel (where `Deno.jupyter.display`
 * exists), false elsewhere.
 *
 * @example
 * ```ts
 * import { inJupyter } from "./_jupyter.ts";
 * if (inJupyter()) throw new Error("deno test is not a kernel");
 * ```
 */
export function inJupyter(): boolean {
  try {
    return typeof Deno.jupyter?.display === "function";
  } catch {
    return false; // outside `deno jupyter` the getter throws
  }
}
