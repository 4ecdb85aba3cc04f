/**
 * The trials table (one row per trial: configuration, objectives, status,
 * seed, duration) as a polars DataFrame, the `Store` interface and its two
 * stores (`TrialStore`, the durable, lock-protected JSONL file a killed
 * sweep resumes from, and `PostgresStore`, a study many workers on many
 * machines share, opened by `openStore("postgres://…")`), and the runner
 * that evaluates configurations in worker threads.
 *
 * @example
 * ```ts
 * import { float, SearchSpace } from "../space/mod.ts";
 * import { sweep } from "./mod.ts";
 * const space = new SearchSpace({ x: float(-1, 1) });
 * const df = await sweep(space, (c) => (c.x as number) ** 2, { n: 5, progress: "quiet" });
 * if (df.height !== 5) throw new Error();
 * ```
 *
 * @module
 */

export type { DataFrame } from "../_frame.ts";
export {
  type ColumnType,
  configsFrame,
  readTrials,
  type TrialParts,
  type TrialRow,
  trialRow,
  type TrialSchema,
  trialSchema,
  TrialsError,
  trialsFrame,
  type TrialStatus,
  TrialStore,
} from "./trials.ts";
export {
  isDatabaseUrl,
  openStore,
  type OpenStoreOptions,
  readTrialsTable,
  redactUrl,
  type SearcherState,
  type Store,
} from "./store.ts";
export {
  SlurmError,
  type SlurmOptions,
  type SlurmScripts,
  slurmScripts,
  type Submission,
  submitStudy,
} from "./slurm.ts";
// Types only: the PostgreSQL client loads when openStore() opens a URL.
export type {
  Claim,
  ClaimOptions,
  Heartbeat,
  PostgresStore,
  PostgresStoreOptions,
  Proposal,
  StalePolicy,
  StudyCounts,
  StudyTrial,
} from "./postgres_store.ts";
export {
  type EvaluateOptions,
  evaluateTrials,
  type Objective,
  type ObjectiveRef,
  type ObjectiveValue,
  sweep,
  SweepError,
  type SweepOptions,
  trialSeed,
} from "./evaluate.ts";
export {
  type CommonImportOptions,
  type ImportedTrials,
  TrialsImportError,
} from "./_import_common.ts";
export {
  importOptunaStudy,
  type OptunaImportOptions,
  SCHEMA_VERSION,
  SUPPORTED_REVISIONS,
} from "./import_optuna.ts";
export {
  importTrialsTable,
  PARAM_PREFIXES,
  type TableImportOptions,
} from "./import_table.ts";
export { exportTrials } from "./export_trials.ts";
export { type RepairReport, repairTrialStore } from "./repair.ts";
export type { BadLine } from "./_store_lines.ts";
