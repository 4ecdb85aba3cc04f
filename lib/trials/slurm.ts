/**
 * Submits a study to Slurm as a job array. With a PostgreSQL store each
 * array task is one more worker of the shared study (the command runs with
 * `INFOLENS_STORE` set, so code that names a store path needs no change);
 * with the file store each task runs the command with `--shard i/n` and a
 * job that depends on the array runs it with `--merge`. Status and results
 * are read back from the store, never from Slurm's logs.
 *
 * @module
 */

import { InfolensError } from "../errors.ts";
import { isDatabaseUrl } from "./store.ts";

/** Options of {@linkcode slurmScripts} and {@linkcode submitStudy}. */
export interface SlurmOptions {
  /** The command each array task runs, e.g. `["deno", "task", "regenerate", "predictors"]`. */
  command: string[];
  /** Array tasks (workers or shards). */
  tasks: number;
  /** A `postgres://` URL: tasks are workers of that study; absent: file-store shards. */
  store?: string;
  /** The job's name; default "infolens". */
  name?: string;
  /** `--partition`, `--time`, `--gres=gpu:N`, `--cpus-per-task`, `--mem`; none by default. */
  partition?: string;
  /** Wall-time limit, e.g. "02:00:00". */
  time?: string;
  /** GPUs per task. */
  gpus?: number;
  /** Cores per task; default 1. */
  cpusPerTask?: number;
  /** Memory per task, e.g. "4G". */
  mem?: string;
  /** Lines run before the command (`module load …`, `source venv`). */
  setup?: string[];
  /** Where the job runs and its logs go; default the current directory. */
  cwd?: string;
  /** With file stores, the merge command; default `command` with `--merge`. */
  merge?: string[];
}

/** The batch scripts of a submission. */
export interface SlurmScripts {
  /** The array's script. */
  array: string;
  /** The merge job's script (file stores only). */
  merge: string | null;
}

/** The error raised when Slurm refuses or is missing. */
export class SlurmError extends InfolensError {
  /** Always "SlurmError". */
  override name = "SlurmError";
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg)
    ? arg
    : `'${arg.replaceAll("'", `'\\''`)}'`;
}

function header(o: SlurmOptions, name: string, extra: string[]): string[] {
  const lines = ["#!/bin/bash", `#SBATCH --job-name=${name}`];
  for (const e of extra) lines.push(`#SBATCH ${e}`);
  if (o.partition) lines.push(`#SBATCH --partition=${o.partition}`);
  if (o.time) lines.push(`#SBATCH --time=${o.time}`);
  if (o.gpus) lines.push(`#SBATCH --gres=gpu:${o.gpus}`);
  lines.push(`#SBATCH --cpus-per-task=${o.cpusPerTask ?? 1}`);
  if (o.mem) lines.push(`#SBATCH --mem=${o.mem}`);
  lines.push(`#SBATCH --output=${name}_%A_%a.out`, "set -euo pipefail");
  if (o.cwd) lines.push(`cd ${quote(o.cwd)}`);
  return [...lines, ...(o.setup ?? [])];
}

/**
 * The batch scripts for a study, to submit or to adapt by hand.
 *
 * @example
 * ```ts
 * import { slurmScripts } from "./slurm.ts";
 * const s = slurmScripts({
 *   command: ["deno", "task", "regenerate", "predictors"], tasks: 4,
 *   store: "postgres://me@db/infolens",
 * });
 * if (!s.array.includes("--array=0-3") || s.merge !== null) throw new Error();
 * ```
 */
export function slurmScripts(o: SlurmOptions): SlurmScripts {
  if (!Number.isInteger(o.tasks) || o.tasks < 1) {
    throw new SlurmError(`tasks must be a positive integer, got ${o.tasks}`);
  }
  if (o.command.length === 0) throw new SlurmError("no command to run");
  const name = o.name ?? "infolens";
  const cmd = o.command.map(quote).join(" ");
  const array = header(o, name, [`--array=0-${o.tasks - 1}`]);
  if (o.store) {
    if (!isDatabaseUrl(o.store)) {
      throw new SlurmError(
        `store must be a postgres:// URL (workers share it); leave it out for file-store shards`,
      );
    }
    array.push(
      "# Every task is one more worker of the study in the database.",
      `export INFOLENS_STORE=${quote(o.store)}`,
      `exec ${cmd}`,
    );
    return { array: array.join("\n") + "\n", merge: null };
  }
  array.push(
    "# Each task runs one shard into its own file; the merge job joins them.",
    `exec ${cmd} --shard "$SLURM_ARRAY_TASK_ID/${o.tasks}"`,
  );
  const merge = header(o, `${name}-merge`, []);
  merge.push(
    `exec ${(o.merge ?? [...o.command, "--merge"]).map(quote).join(" ")}`,
  );
  return { array: array.join("\n") + "\n", merge: merge.join("\n") + "\n" };
}

/** What {@linkcode submitStudy} submitted. */
export interface Submission extends SlurmScripts {
  /** The array's job id. */
  jobId: string;
  /** The merge job's id, or null. */
  mergeJobId: string | null;
}

async function sbatch(
  script: string,
  args: string[],
  cwd?: string,
): Promise<string> {
  let out: Deno.CommandOutput;
  try {
    const child = new Deno.Command("sbatch", {
      args: ["--parsable", ...args],
      cwd,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(script));
    await w.close();
    out = await child.output();
  } catch (e) {
    throw new SlurmError(
      `could not run sbatch (${
        (e as Error).message
      }); is Slurm installed here? Use --dry-run to print the script`,
    );
  }
  if (!out.success) {
    throw new SlurmError(
      `sbatch refused the job: ${new TextDecoder().decode(out.stderr).trim()}`,
    );
  }
  return new TextDecoder().decode(out.stdout).trim().split(";")[0];
}

/**
 * Submits the study's array (and, for file stores, the merge job that
 * waits for it with `--dependency=afterok`) and returns the job ids and
 * scripts. Follow it with the store: `openStore(url)` and its `counts()`,
 * or `deno task slurm status URL`.
 */
export async function submitStudy(o: SlurmOptions): Promise<Submission> {
  const scripts = slurmScripts(o);
  const jobId = await sbatch(scripts.array, [], o.cwd);
  const mergeJobId = scripts.merge
    ? await sbatch(scripts.merge, [`--dependency=afterok:${jobId}`], o.cwd)
    : null;
  return { ...scripts, jobId, mergeJobId };
}
