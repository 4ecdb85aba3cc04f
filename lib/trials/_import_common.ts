/**
 * What the importers share: their error, their result, the status words of
 * other tools, and turning parsed trials into infolens's trials table.
 *
 * @module
 */

import { InfolensError } from "../errors.ts";
import type { Config, Scalar } from "../space/space.ts";
import type { InferredSpace } from "../space/infer.ts";
import type { InferredSummary } from "../space/describe_inferred.ts";
import type { DataFrame } from "../_frame.ts";
import {
  type TrialRow,
  trialRow,
  trialSchema,
  trialsFrame,
  type TrialStatus,
} from "./trials.ts";

/** The error raised for a file or table that cannot be imported as trials. */
export class TrialsImportError extends InfolensError {
  /** Always "TrialsImportError", so stack traces and logs name the class. */
  override name = "TrialsImportError";
}

/** What an importer returns. */
export interface ImportedTrials {
  /**
   * infolens's trials table: `trial`, one column per parameter (null where
   * absent), `budget`, the objectives, `seed`, `duration_s`, `status`, then
   * extra columns (`last_step`, `datetime_start` for Optuna).
   */
  trials: DataFrame;
  /** The search space: from stored distributions where known, else inferred. */
  space: InferredSpace;
  /** The printout of how the space was read (also `String(space)`). */
  inferred: InferredSummary;
  /** The objective columns, in order. */
  objectives: string[];
  /** Per objective, whether smaller is better (Optuna stores it; else assumed). */
  directions: ("minimize" | "maximize")[];
  /** Trials read per status, before filtering (`skipped`: running or waiting). */
  counts: Record<TrialStatus | "skipped", number>;
  /** The study imported, for an Optuna storage. */
  study?: string;
}

/** Options every importer takes. */
export interface CommonImportOptions {
  /**
   * Which finished trials become rows. Default ["ok"] (Optuna's COMPLETE);
   * add "pruned" and "failed" to keep those with their status. Running and
   * waiting trials are never imported.
   */
  states?: readonly TrialStatus[];
  /** Per-parameter overrides of the space, as in `inferSpace`. */
  overrides?: Record<string, import("../space/infer.ts").ParamOverride>;
}

const STATUS_WORDS: Record<string, TrialStatus | "skipped"> = {
  complete: "ok",
  completed: "ok",
  ok: "ok",
  finished: "ok",
  terminated: "ok",
  success: "ok",
  pruned: "pruned",
  early_stopped: "pruned",
  fail: "failed",
  failed: "failed",
  error: "failed",
  crashed: "failed",
  killed: "failed",
  running: "skipped",
  waiting: "skipped",
  pending: "skipped",
  paused: "skipped",
};

/** infolens's status for another tool's state word, or null if unknown. */
export function statusOf(word: string): TrialStatus | "skipped" | null {
  return STATUS_WORDS[word.trim().toLowerCase()] ?? null;
}

/** The words {@linkcode statusOf} knows, for error messages. */
export const KNOWN_STATUS_WORDS = Object.keys(STATUS_WORDS);

const RESERVED = new Set(["trial", "budget", "seed", "duration_s", "status"]);

/** A parameter name that does not collide with the table's own columns. */
export function safeParamName(
  name: string,
  taken: ReadonlySet<string>,
): string {
  let out = name;
  while (RESERVED.has(out) || taken.has(out)) out = `param_${out}`;
  return out;
}

/** One parsed trial, before it becomes a row. */
export interface ParsedTrial {
  /** The trial number. */
  trial: number;
  /** Parameter values (absent: the parameter was not suggested). */
  config: Config;
  /** The fidelity, or null. */
  budget: number | null;
  /** Objective values. */
  objectives: Record<string, number | null>;
  /** Wall time, or null when unknown. */
  duration_s: number | null;
  /** How it ended. */
  status: TrialStatus;
  /** Extra columns. */
  extra: Record<string, Scalar | null>;
}

/** The trials table of parsed trials, typed by the space. */
export function buildTrialsTable(
  parsed: readonly ParsedTrial[],
  space: InferredSpace,
  objectives: readonly string[],
  extras: readonly string[],
): DataFrame {
  const rows: TrialRow[] = parsed.map((t) => {
    const row = trialRow({
      trial: t.trial,
      config: t.config,
      budget: t.budget,
      objectives: t.objectives,
      seed: null,
      duration_s: 0,
      status: t.status,
    });
    row.duration_s = t.duration_s;
    for (const e of extras) row[e] = t.extra[e] ?? null;
    return row;
  });
  const schema = trialSchema(space, objectives);
  for (const e of extras) {
    const first = parsed.find((t) =>
      t.extra[e] !== null && t.extra[e] !== undefined
    )
      ?.extra[e];
    if (typeof first === "string") schema[e] = "str";
    else schema[e] = "float";
  }
  return trialsFrame(rows, schema);
}

/** Counts trials per status word mapped. */
export function emptyCounts(): Record<TrialStatus | "skipped", number> {
  return { ok: 0, pruned: 0, failed: 0, skipped: 0 };
}
