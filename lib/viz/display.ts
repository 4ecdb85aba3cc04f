/**
 * `display(value)`: shows a chart, a table or any value in the notebook from
 * anywhere in a cell, like IPython's `display`, and resolves when the kernel
 * has queued it. Outside a `deno jupyter` kernel it prints the value.
 *
 * @module
 */

import type { DataFrame } from "../_frame.ts";
import { Chart } from "./chart.ts";
import { inJupyter, sendDisplay } from "./_jupyter.ts";
import { show, type Shown } from "./show.ts";

const DISPLAY = Symbol.for("Jupyter.display");

function isShown(value: unknown): value is Shown {
  return typeof value === "object" && value !== null &&
    typeof (value as Shown).text === "string" &&
    typeof (value as Shown).html === "string" &&
    (value as Shown).sent instanceof Promise;
}

function isFrame(value: unknown): value is DataFrame {
  return typeof value === "object" && value !== null &&
    typeof (value as DataFrame).toRecords === "function" &&
    typeof (value as DataFrame).head === "function";
}

/**
 * Shows `value` now: a {@linkcode Chart} (its Vega-Lite spec and a sized
 * PNG), a DataFrame (as {@linkcode show} draws it), what `show` returned
 * (shown again), an object with `Symbol.for("Jupyter.display")`, or any
 * other value as text. Await it so the output is queued before the cell ends.
 *
 * @example
 * ```ts
 * import { display } from "./display.ts";
 * await display("printed outside a notebook");
 * ```
 */
export async function display(value: unknown): Promise<void> {
  if (value instanceof Chart) return await value.display();
  if (isFrame(value)) return await show(value).sent;
  const kernel = inJupyter();
  if (isShown(value)) {
    if (kernel) {
      await sendDisplay({ "text/plain": value.text, "text/html": value.html });
    } else console.log(value.text);
    return;
  }
  if (!kernel) {
    console.log(value);
    return;
  }
  const custom = typeof value === "object" && value !== null &&
    typeof (value as Record<symbol, unknown>)[DISPLAY] === "function";
  const bundle = custom
    ? await (value as Record<symbol, () => unknown>)[DISPLAY]()
    : { "text/plain": Deno.inspect(value) };
  // An empty bundle means the value has shown itself already.
  if (bundle && typeof bundle === "object" && Object.keys(bundle).length > 0) {
    await sendDisplay(bundle);
  }
}
