/**
 * The store interface every trial store implements, and `openStore`, which
 * opens one from where it lives: a path opens the JSON Lines file store
 * (the embedded default), a `postgres://` URL the PostgreSQL store that
 * many workers on many machines share. `INFOLENS_STORE` (a URL) sends every
 * store path to the database instead, so that a cluster job runs the same
 * code as the laptop.
 *
 * @module
 */

import type { DataFrame } from "../_frame.ts";
import {
  type TrialRow,
  type TrialSchema,
  TrialsError,
  TrialStore,
} from "./trials.ts";

/** A searcher's saved state, as the runner keeps it beside the trials. */
export interface SearcherState {
  /** What the state must agree on to be used (method, seed, direction). */
  key: Record<string, unknown>;
  /** How many trials the state was taken after. */
  trials: number;
  /** What `Searcher.snapshot` returned. */
  state: unknown;
}

/**
 * A trials store: appends finished trials durably and reads them back as
 * the trials table. The file store ({@linkcode TrialStore}) and the
 * PostgreSQL store (`PostgresStore`) implement it; both pass the same
 * conformance tests. Reads (`has`, `rows`, `size`, ...) answer from what the
 * handle last read or wrote; `refresh` reads what others wrote since.
 */
export interface Store {
  /** Where the store lives, for messages: a path, or a URL without password and `#study`. */
  readonly location: string;
  /** The column types known so far. */
  readonly schema: TrialSchema;
  /** The number of finished trials read or written by this handle. */
  readonly size: number;
  /** Whether trial `trial` is stored (as of the last read or append). */
  has(trial: number): boolean;
  /** The finished trial numbers. */
  completed(): Set<number>;
  /** The next trial number after the largest stored. */
  nextTrial(): number;
  /** The rows, in the order they were appended. */
  rows(): TrialRow[];
  /** Re-reads what other processes appended since the last read. */
  refresh(): Promise<this>;
  /**
   * Appends one finished trial durably and returns the stored row; a null
   * `trial` gets the next free number, a number already stored is an error.
   */
  append(row: TrialRow): Promise<TrialRow>;
  /** The trials table as a DataFrame, with the store's dtypes. */
  toDataFrame(): DataFrame;
  /** The searcher state saved with the trials, or null (none, or unreadable). */
  readSearcherState(): Promise<SearcherState | null>;
  /** Saves a searcher state with the trials, replacing the last one. */
  writeSearcherState(saved: SearcherState): Promise<void>;
  /** Releases what the store holds open (connections); the file store holds nothing. */
  close(): Promise<void>;
}

/** Options of {@linkcode openStore}. */
export interface OpenStoreOptions {
  /** Column types fixed ahead of the first rows; see `trialSchema`. */
  schema?: TrialSchema;
  /**
   * The study in a database store (several share one database); default the
   * URL's `?study=` parameter, else the store path's file name without
   * `.trials.jsonl` when `INFOLENS_STORE` redirects a path, else "default".
   */
  study?: string;
  /**
   * The URL that store paths are redirected to; default the
   * `INFOLENS_STORE` environment variable (unset: paths open files).
   */
  redirect?: string | null;
}

/** Whether `location` names a PostgreSQL database. */
export function isDatabaseUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * A connection URL with its password replaced by `***`, for messages.
 *
 * @example
 * ```ts
 * import { redactUrl } from "./store.ts";
 * if (redactUrl("postgres://me:secret@db:5432/x") !== "postgres://me:***@db:5432/x") throw new Error();
 * ```
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, "$1:***@");
}

/** The study name a path stands for: its file name without `.trials.jsonl`. */
function studyOfPath(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.replace(/\.trials\.jsonl$|\.jsonl$/, "") || "default";
}

function envStore(): string | null {
  try {
    return Deno.env.get("INFOLENS_STORE") ?? null;
  } catch {
    return null; // no --allow-env: paths open files
  }
}

/**
 * Opens (creating if needed) a trials store: `postgres://user:pass@host/db`
 * (with `?study=name`, and optionally `heartbeat=s`, `grace=s`,
 * `stale=fail|requeue`) opens a study in PostgreSQL, any other string a
 * JSON Lines file. With `INFOLENS_STORE` set to a URL, a path opens the
 * study named after the file in that database instead. The PostgreSQL
 * client is loaded only when a URL is opened.
 *
 * @example
 * ```ts
 * import { openStore } from "./store.ts";
 * import { trialRow } from "./trials.ts";
 * const path = await Deno.makeTempFile({ suffix: ".trials.jsonl" });
 * const store = await openStore(path, { redirect: null });
 * await store.append(trialRow({ config: { x: 1 }, objectives: { loss: 2 }, duration_s: 0 }));
 * if (store.size !== 1) throw new Error();
 * await store.close();
 * await Deno.remove(path);
 * ```
 */
export async function openStore(
  location: string,
  options: OpenStoreOptions = {},
): Promise<Store> {
  if (typeof location !== "string" || location === "") {
    throw new TrialsError(
      `openStore() takes a path or a postgres:// URL, got ${
        JSON.stringify(location)
      }`,
    );
  }
  let url: string | null = null;
  let study = options.study;
  if (isDatabaseUrl(location)) url = location;
  else {
    const redirect = options.redirect === undefined
      ? envStore()
      : options.redirect;
    if (redirect) {
      if (!isDatabaseUrl(redirect)) {
        throw new TrialsError(
          `INFOLENS_STORE must be a postgres:// URL, got ${
            redactUrl(redirect)
          }`,
        );
      }
      url = redirect;
      study ??= studyOfPath(location);
    }
  }
  if (url === null) {
    return await TrialStore.open(location, { schema: options.schema });
  }
  // Loaded here so that file-store users never load the client.
  const { PostgresStore } = await import("./postgres_store.ts");
  return await PostgresStore.open(url, { schema: options.schema, study });
}

/**
 * The trials table of a store, file or database alike: what the HSIC
 * analysis, the charts and the predictors read. Opens, reads, closes.
 *
 * @example
 * ```ts
 * import { readTrialsTable } from "./store.ts";
 * import { TrialStore, trialRow } from "./trials.ts";
 * const path = await Deno.makeTempFile({ suffix: ".trials.jsonl" });
 * const store = await TrialStore.open(path);
 * await store.append(trialRow({ config: { x: 1 }, objectives: { loss: 2 }, duration_s: 0 }));
 * const df = await readTrialsTable(path, { redirect: null });
 * if (df.height !== 1) throw new Error();
 * await Deno.remove(path);
 * ```
 */
export async function readTrialsTable(
  location: string,
  options: Omit<OpenStoreOptions, "schema"> = {},
): Promise<DataFrame> {
  const store = await openStore(location, options);
  try {
    return store.toDataFrame();
  } finally {
    await store.close();
  }
}
