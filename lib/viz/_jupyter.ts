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

/** Options of {@linkcode sendDisplay}. */
export interface SendOptions {
  /** Per-MIME metadata, e.g. `{ "image/png": { width, height } }`. */
  metadata?: object;
  /** Names the output so later sends with `update` replace it in place. */
  displayId?: string;
  /** Replace the output named `displayId` instead of adding one. */
  update?: boolean;
}

/**
 * Sends a `display_data` (or, with `update`, an `update_display_data`)
 * message from a `deno jupyter` kernel.
 *
 * It calls `Deno.jupyter.broadcast` at once, not after an `await`, so the
 * kernel queues the message while the cell still runs, under that cell and
 * in call order even when the caller does not await the promise (which
 * settles when the kernel has taken it). `Deno.jupyter.display` would queue
 * it one microtask later, and has no way to pass metadata.
 *
 * @example
 * ```ts
 * import { inJupyter, sendDisplay } from "./_jupyter.ts";
 * if (inJupyter()) await sendDisplay({ "text/plain": "hello" });
 * ```
 */
export function sendDisplay(
  data: object,
  options: SendOptions = {},
): Promise<void> {
  const transient = options.displayId === undefined
    ? {}
    : { display_id: options.displayId };
  // Deno 2.9's broadcast may return undefined rather than a promise.
  return Promise.resolve(Deno.jupyter.broadcast(
    options.update ? "update_display_data" : "display_data",
    { data, metadata: options.metadata ?? {}, transient },
  ));
}
