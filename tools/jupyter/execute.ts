/**
 * Executes notebooks headless in the real Deno kernel through nbclient.
 *
 * @module
 */

import { basename, dirname, join, resolve } from "node:path";
import { ensureJupyter, writeKernelspec } from "./kernel.ts";

/** Where a notebook failed. */
export interface NotebookFailure {
  /** 1-based index among code cells, or null when unknown (timeout, dead kernel). */
  cell: number | null;
  source: string;
  ename: string;
  evalue: string;
  traceback: string;
}

/** The outcome of {@linkcode executeNotebook}. */
export interface NotebookRun {
  notebook: string;
  ok: boolean;
  cells: number;
  seconds: number;
  /**
   * Outputs the kernel sent after it reported their cell idle, which the
   * runner waited for and filed under their cell (stock nbclient drops them).
   */
  late?: number;
  error?: NotebookFailure;
}

/** Options of {@linkcode executeNotebook}. */
export interface ExecuteOptions {
  /** Extra environment for the kernel (e.g. `INFOLENS_FIGURES_DIR`). */
  env?: Record<string, string>;
  /** Where to write the executed notebook; not written when absent. */
  out?: string;
  /** Seconds one cell may run. Default 600. */
  cellTimeout?: number;
  /**
   * Seconds of quiet on IOPub, after a cell reports idle, before the next
   * cell starts: the window for outputs the kernel sends late. Default 0.3.
   */
  grace?: number;
}

const SCRIPT = join(import.meta.dirname!, "execute_notebook.py");

/**
 * Runs every cell of a notebook, from the notebook's folder, and reports the
 * first failing cell with its source and error.
 *
 * @example
 * ```ts ignore
 * import { executeNotebook } from "./execute.ts";
 * const run = await executeNotebook("notebooks/00_tour.ipynb");
 * if (!run.ok) console.error(formatFailure(run));
 * ```
 */
export async function executeNotebook(
  path: string,
  options: ExecuteOptions = {},
): Promise<NotebookRun> {
  const python = await ensureJupyter();
  const jupyterPath = await writeKernelspec();
  const notebook = resolve(path);
  const args = [
    SCRIPT,
    notebook,
    "--cwd",
    dirname(notebook),
    "--timeout",
    String(options.cellTimeout ?? 600),
    "--grace",
    String(options.grace ?? 0.3),
  ];
  if (options.out) args.push("--out", resolve(options.out));
  const env: Record<string, string> = {
    JUPYTER_PATH: jupyterPath,
    // Keep a user's ~/.jupyter kernels from shadowing this Deno.
    JUPYTER_DATA_DIR: jupyterPath,
    INFOLENS_QUICK: Deno.env.get("INFOLENS_QUICK") ?? "1",
    ...options.env,
  };
  const out = await new Deno.Command(python, {
    args,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  try {
    return { notebook: basename(path), ...JSON.parse(text) };
  } catch {
    return {
      notebook: basename(path),
      ok: false,
      cells: 0,
      seconds: 0,
      error: {
        cell: null,
        source: "",
        ename: "RunnerError",
        evalue: `the notebook runner exited with ${out.code}`,
        traceback: new TextDecoder().decode(out.stderr).slice(-4000),
      },
    };
  }
}

/** A failure as a message: notebook, cell number, the cell's source, the error. */
export function formatFailure(run: NotebookRun): string {
  if (run.ok || !run.error) return `${run.notebook}: ok`;
  const e = run.error;
  const where = e.cell === null ? "" : ` in code cell ${e.cell}`;
  const source = e.source ? `\n--- cell source ---\n${e.source}\n---` : "";
  // deno-lint-ignore no-control-regex
  const tb = e.traceback.replace(/\x1b\[[0-9;]*m/g, "");
  return `${run.notebook} failed${where}: ${e.ename}: ${e.evalue}${source}${
    tb ? `\n${tb}` : ""
  }`;
}

/** The notebooks in a folder, in name order. */
export async function listNotebooks(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".ipynb")) {
      found.push(join(dir, entry.name));
    }
  }
  return found.sort();
}
