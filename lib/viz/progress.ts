/**
 * `progress()`: one progress display for long loops that updates a single
 * output in place in a notebook, draws a bar on a terminal, and stays quiet
 * in CI or when output is not a terminal.
 *
 * @module
 */

import { escapeHtml } from "./_html.ts";
import { inJupyter, sendDisplay } from "./_jupyter.ts";

/** Where progress goes. */
export type ProgressMode = "auto" | "jupyter" | "terminal" | "quiet";

/** Options of {@linkcode progress}. */
export interface ProgressOptions {
  /** The number of steps, when known. */
  total?: number;
  /** A label before the bar. */
  label?: string;
  /** Default "auto": Jupyter in a kernel, a bar on a terminal, else quiet. */
  mode?: ProgressMode;
  /** Least time between two redraws, in milliseconds. Default 250. */
  intervalMs?: number;
}

/** Extra figures shown beside the bar, e.g. `{ loss: 0.31 }`. */
export type ProgressInfo = Record<string, number | string>;

function isCI(): boolean {
  try {
    const ci = Deno.env.get("CI");
    return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
  } catch {
    return false;
  }
}

/** Picks the concrete mode for "auto". */
export function resolveMode(
  mode: ProgressMode = "auto",
): Exclude<ProgressMode, "auto"> {
  if (mode !== "auto") return mode;
  if (inJupyter()) return "jupyter";
  if (!isCI() && Deno.stderr.isTerminal()) return "terminal";
  return "quiet";
}

function seconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - 60 * m)).padStart(2, "0")}s`;
}

function infoText(info: ProgressInfo): string {
  return Object.entries(info).map(([k, v]) =>
    `${k}=${typeof v === "number" ? Number(v.toPrecision(4)) : v}`
  ).join(" ");
}

let displayCounter = 0;

/**
 * A progress display. Call `update` or `tick` as work advances and `done`
 * at the end (which always draws the final state).
 *
 * @example
 * ```ts
 * import { progress } from "./progress.ts";
 * const bar = progress({ total: 3, label: "fitting", mode: "quiet" });
 * for (let i = 0; i < 3; i++) bar.tick(1, { loss: 1 / (i + 1) });
 * bar.done();
 * if (bar.value !== 3) throw new Error();
 * ```
 */
export class Progress {
  /** Steps done so far. */
  value = 0;
  /**
   * Steps expected, from the options; undefined shows a count without a bar.
   */
  readonly total: number | undefined;
  /** The label drawn before the bar ("" for none). */
  readonly label: string;
  /** Where the display goes, "auto" already resolved. */
  readonly mode: Exclude<ProgressMode, "auto">;
  #info: ProgressInfo = {};
  #start = performance.now();
  #lastDraw = -Infinity;
  #interval: number;
  #displayId = `infolens-progress-${Date.now()}-${displayCounter++}`;
  #shown = false;
  #finished = false;

  /** See {@linkcode progress}. */
  constructor(options: ProgressOptions = {}) {
    if (
      options.total !== undefined &&
      (!Number.isFinite(options.total) || options.total < 0)
    ) {
      throw new RangeError(
        `progress total must be a non-negative number, got ${options.total}`,
      );
    }
    this.total = options.total;
    this.label = options.label ?? "";
    this.mode = resolveMode(options.mode);
    this.#interval = options.intervalMs ?? 250;
  }

  /** Sets the number of steps done. */
  update(value: number, info?: ProgressInfo): void {
    this.value = value;
    if (info) this.#info = { ...this.#info, ...info };
    const now = performance.now();
    if (now - this.#lastDraw >= this.#interval) {
      this.#lastDraw = now;
      this.#draw(false);
    }
  }

  /** Advances by `n` steps (default 1). */
  tick(n = 1, info?: ProgressInfo): void {
    this.update(this.value + n, info);
  }

  /** Marks the work finished and draws the final state. */
  done(info?: ProgressInfo): void {
    if (this.#finished) return;
    if (info) this.#info = { ...this.#info, ...info };
    this.#finished = true;
    this.#draw(true);
  }

  /** The current state as one line of text. */
  text(): string {
    const elapsed = (performance.now() - this.#start) / 1000;
    const parts: string[] = [];
    if (this.label) parts.push(this.label);
    if (this.total) {
      const f = Math.min(1, this.value / this.total);
      const filled = Math.round(f * 24);
      parts.push(`[${"#".repeat(filled)}${".".repeat(24 - filled)}]`);
      parts.push(`${this.value}/${this.total}`);
      const eta = this.value > 0 && !this.#finished
        ? ` eta ${seconds(elapsed * (this.total - this.value) / this.value)}`
        : "";
      parts.push(`${seconds(elapsed)}${eta}`);
    } else {
      parts.push(`${this.value}`, seconds(elapsed));
    }
    const info = infoText(this.#info);
    if (info) parts.push(info);
    return parts.join(" ");
  }

  #draw(final: boolean): void {
    if (this.mode === "quiet") return;
    const line = this.text();
    if (this.mode === "terminal") {
      const bytes = new TextEncoder().encode(
        `\r\x1b[2K${line}${final ? "\n" : ""}`,
      );
      Deno.stderr.writeSync(bytes);
      return;
    }
    const max = this.total ?? 0;
    const bar = this.total
      ? `<progress value="${
        Math.min(this.value, max)
      }" max="${max}" style="width:16em"></progress> `
      : "";
    const html = `<div style="font-family:monospace">${bar}${
      escapeHtml(line)
    }</div>`;
    // Queued at once and in order (see sendDisplay), without waiting: a
    // loop must not wait on the kernel's socket. Every redraw after the
    // first replaces the same output, so the notebook keeps the final state.
    sendDisplay(
      { "text/plain": line, "text/html": html },
      { displayId: this.#displayId, update: this.#shown },
    ).catch(() => {});
    this.#shown = true;
  }
}

/**
 * Starts a progress display.
 *
 * @example
 * ```ts
 * import { progress } from "./progress.ts";
 * const bar = progress({ total: 10, label: "epochs" });
 * bar.done();
 * ```
 */
export function progress(options: ProgressOptions = {}): Progress {
  return new Progress(options);
}

/**
 * Wraps an iterable (an array, a range) so that iterating it shows progress.
 *
 * @example
 * ```ts
 * import { track } from "./progress.ts";
 * let sum = 0;
 * for (const x of track([1, 2, 3], { label: "summing", mode: "quiet" })) sum += x;
 * if (sum !== 6) throw new Error();
 * ```
 */
export function* track<T>(
  items: Iterable<T>,
  options: ProgressOptions = {},
): Generator<T> {
  const total = options.total ??
    (Array.isArray(items) ? items.length : undefined);
  const bar = new Progress({ ...options, total });
  try {
    for (const item of items) {
      yield item;
      bar.tick();
    }
  } finally {
    bar.done();
  }
}
