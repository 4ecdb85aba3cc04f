/**
 * The PostgreSQL trial store: the {@linkcode Store} interface over two
 * tables that any number of studies share (`infolens_studies`,
 * `infolens_trials`), and what many workers of one study need on top: a
 * proposal made under the study's row lock (so every worker's proposal sees
 * every finished and pending trial, and no trial number is given twice),
 * re-queued trials claimed with `FOR UPDATE SKIP LOCKED`, heartbeats from a
 * thread of their own, and stale trials (no heartbeat for longer than the
 * grace period) failed or re-queued by the next worker, as Optuna's
 * `heartbeat_interval` and `fail_stale_trials` do.
 *
 * The client is `postgres` (porsager's postgres.js): pure JavaScript over
 * `node:net`, so it runs in Deno without native code. Operations that lose
 * their connection are retried; an unreachable database is a
 * {@linkcode TrialsError} naming the URL without its password.
 *
 * @module
 */

import postgres from "postgres";
import type { DataFrame } from "../_frame.ts";
import {
  checkRow,
  type TrialRow,
  trialRow,
  type TrialSchema,
  TrialsError,
  trialsFrame,
} from "./trials.ts";
import { redactUrl, type SearcherState, type Store } from "./store.ts";
import type { Config } from "../space/space.ts";

/** What becomes of a trial whose worker stopped beating. */
export type StalePolicy = "fail" | "requeue";

/** Options of {@linkcode PostgresStore.open}. */
export interface PostgresStoreOptions {
  /** The study; default the URL's `?study=`, else "default". */
  study?: string;
  /** Column types fixed ahead of the first rows. */
  schema?: TrialSchema;
  /** Seconds between a worker's heartbeats; default the URL's `heartbeat=`, else 5. */
  heartbeat?: number;
  /** Seconds without a heartbeat after which a trial is stale; default `grace=`, else 4 heartbeats. */
  grace?: number;
  /** Fail a stale trial (counted, like Optuna) or re-queue it; default `stale=`, else "fail". */
  stale?: StalePolicy;
  /** Attempts of an operation whose connection dropped; default 5. */
  retries?: number;
}

/** A trial of a shared study as a proposal sees it. */
export interface StudyTrial {
  /** The trial number. */
  trial: number;
  /** "queued", "running", or how it finished. */
  state: string;
  /** The configuration asked. */
  config: Config;
  /** The fidelity asked, or null. */
  budget: number | null;
  /** The stored row once finished, else null. */
  row: TrialRow | null;
}

/** A trial claimed by a worker. */
export interface Claim {
  /** The trial number. */
  trial: number;
  /** The configuration to evaluate. */
  config: Config;
  /** The fidelity, or null. */
  budget: number | null;
  /** The evaluation seed. */
  seed: number;
}

/** What a proposal returns: the trial to add, and the searcher state after it. */
export interface Proposal {
  /** The configuration. */
  config: Config;
  /** The fidelity, or null. */
  budget: number | null;
  /** The evaluation seed. */
  seed: number;
  /** The searcher's state right after asking. */
  state: SearcherState;
}

/** Options of {@linkcode PostgresStore.claim}. */
export interface ClaimOptions {
  /**
   * The claim's id; default a fresh random one. Claiming again with the
   * same id and worker returns the trial the first claim took while it is
   * running, instead of a second one: how a claim retried after a dropped
   * connection (its commit done, the answer lost) stays one trial.
   */
  id?: string;
}

/** Trials of a study by state. */
export interface StudyCounts {
  /** Waiting to be claimed. */
  queued: number;
  /** Claimed and not finished. */
  running: number;
  /** Finished (ok, failed or pruned). */
  finished: number;
  /** All of them. */
  total: number;
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01", // terminated by an administrator
  "57P02",
  "57P03", // cannot connect now (starting up)
  "08000",
  "08001",
  "08003",
  "08006",
]);

/** Whether an error means the connection, not the statement, failed. */
function connectionLost(e: unknown): boolean {
  const err = e as { code?: string; name?: string; message?: string };
  return CONNECTION_CODES.has(err?.code ?? "") ||
    err?.name === "ConnectionRefused" || err?.name === "ConnectionReset" ||
    /connection (refused|reset|closed)|ECONNREFUSED/i.test(err?.message ?? "");
}

const DDL = [
  `CREATE TABLE IF NOT EXISTS infolens_studies (
    id serial PRIMARY KEY,
    name text UNIQUE NOT NULL,
    schema json NOT NULL DEFAULT '{}', -- json keeps the column order
    searcher json,
    created timestamptz NOT NULL DEFAULT now())`,
  `CREATE TABLE IF NOT EXISTS infolens_trials (
    study integer NOT NULL REFERENCES infolens_studies (id) ON DELETE CASCADE,
    trial integer NOT NULL,
    state text NOT NULL
      CHECK (state IN ('queued', 'running', 'ok', 'failed', 'pruned')),
    config json NOT NULL DEFAULT '{}',
    budget double precision,
    seed bigint,
    row json,
    worker text,
    started timestamptz,
    heartbeat timestamptz,
    attempts integer NOT NULL DEFAULT 0,
    seq bigint,
    PRIMARY KEY (study, trial))`,
  // The id of the claim that took the trial: a retried claim whose first
  // commit went through (its acknowledgment lost) finds it, not a new one.
  `ALTER TABLE infolens_trials ADD COLUMN IF NOT EXISTS claim text`,
  `CREATE SEQUENCE IF NOT EXISTS infolens_trials_seq`,
  `CREATE INDEX IF NOT EXISTS infolens_trials_state
    ON infolens_trials (study, state)`,
];

/** A json column's value (the client hands json as text). */
function json<T>(v: unknown): T {
  return (typeof v === "string" ? JSON.parse(v) : v) as T;
}

/** Our parameters in the URL's query, taken out before connecting. */
const OWN_PARAMS = ["study", "heartbeat", "grace", "stale"];

function parseUrl(url: string): { conn: string; params: URLSearchParams } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TrialsError(`not a database URL: ${redactUrl(url)}`);
  }
  const params = new URLSearchParams(parsed.search);
  for (const p of OWN_PARAMS) parsed.searchParams.delete(p);
  return { conn: parsed.href, params };
}

function positive(name: string, v: number): number {
  if (!(Number.isFinite(v) && v > 0)) {
    throw new TrialsError(
      `${name} must be a positive number of seconds, got ${v}`,
    );
  }
  return v;
}

/**
 * One study in a PostgreSQL database, as a {@linkcode Store}; open it with
 * {@linkcode PostgresStore.open} or `openStore("postgres://…")`.
 *
 * @example
 * ```ts ignore
 * import { openStore } from "./store.ts";
 * const store = await openStore("postgres://me@db.cluster/infolens?study=hsic");
 * console.log(store.toDataFrame());
 * await store.close();
 * ```
 */
export class PostgresStore implements Store {
  /** Marks a store whose study many workers share (the runner's cue). */
  readonly shared = true;
  /** The URL without password, and `#study`. */
  readonly location: string;
  /** The study's name. */
  readonly study: string;
  /** Seconds between heartbeats. */
  readonly heartbeatInterval: number;
  /** Seconds without a heartbeat after which a trial is stale. */
  readonly grace: number;
  /** What becomes of a stale trial. */
  readonly stale: StalePolicy;
  readonly #url: string;
  readonly #sql: postgres.Sql;
  readonly #retries: number;
  #id = -1;
  #schema: TrialSchema = {};
  #rows: TrialRow[] = [];
  #trials = new Set<number>();

  private constructor(url: string, options: PostgresStoreOptions) {
    const { conn, params } = parseUrl(url);
    this.#url = conn;
    this.study = options.study ?? params.get("study") ?? "default";
    this.heartbeatInterval = positive(
      "heartbeat",
      options.heartbeat ?? Number(params.get("heartbeat") ?? 5),
    );
    this.grace = positive(
      "grace",
      options.grace ??
        Number(params.get("grace") ?? 4 * this.heartbeatInterval),
    );
    const stale = options.stale ?? params.get("stale") ?? "fail";
    if (stale !== "fail" && stale !== "requeue") {
      throw new TrialsError(`stale must be "fail" or "requeue", got ${stale}`);
    }
    this.stale = stale;
    this.#retries = options.retries ?? 5;
    this.location = `${redactUrl(conn)}#${this.study}`;
    this.#sql = postgres(conn, {
      max: 2,
      onnotice: () => {},
      connect_timeout: 10,
      idle_timeout: 60,
    });
  }

  /**
   * Connects, creates the tables and the study when missing, merges
   * `schema` into the study's (a type conflict is an error), and reads the
   * finished trials.
   */
  static async open(
    url: string,
    options: PostgresStoreOptions = {},
  ): Promise<PostgresStore> {
    const store = new PostgresStore(url, options);
    try {
      await store.#retry(async () => {
        await store.#sql.begin(async (tx) => {
          // Two workers creating the tables at once would race.
          await tx`SELECT pg_advisory_xact_lock(1852796780)`;
          for (const ddl of DDL) await tx.unsafe(ddl);
          await tx`INSERT INTO infolens_studies (name) VALUES (${store.study})
            ON CONFLICT (name) DO NOTHING`;
          const [study] = await tx`SELECT id, schema FROM infolens_studies
            WHERE name = ${store.study} FOR UPDATE`;
          store.#id = study.id;
          const have = json<TrialSchema>(study.schema);
          const added: TrialSchema = {};
          for (const [column, type] of Object.entries(options.schema ?? {})) {
            if (have[column] && have[column] !== type) {
              throw new TrialsError(
                `${store.location}: column "${column}" is ${
                  have[column]
                } in the store but ${type} in the schema given`,
              );
            }
            if (!have[column]) added[column] = type;
          }
          if (Object.keys(added).length > 0) {
            // json, not jsonb: the column order is the table's.
            await tx`UPDATE infolens_studies
              SET schema = ${store.#json({ ...have, ...added })}::text::json
              WHERE id = ${store.#id}`;
          }
        });
      });
      await store.refresh();
    } catch (e) {
      await store.#sql.end({ timeout: 1 }).catch(() => {});
      throw e;
    }
    return store;
  }

  /**
   * A value as text for a `::text::json` cast: json (not jsonb, whose keys
   * the client reorders) keeps the column order of rows and schemas.
   */
  #json(value: unknown): string {
    return JSON.stringify(value);
  }

  /** Runs `fn`, again after a dropped connection, up to `retries` times. */
  async #retry<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0;; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (!connectionLost(e)) throw e;
        if (attempt + 1 >= this.#retries) {
          throw new TrialsError(
            `cannot reach the PostgreSQL store at ${
              redactUrl(this.#url)
            } (${this.#retries} attempts): ${(e as Error).message ?? e}`,
            { cause: e },
          );
        }
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }

  /** The column types known so far. */
  get schema(): TrialSchema {
    return { ...this.#schema };
  }

  /** The number of finished trials as of the last read or append. */
  get size(): number {
    return this.#rows.length;
  }

  /** Whether trial `trial` has finished (as of the last read or append). */
  has(trial: number): boolean {
    return this.#trials.has(trial);
  }

  /** The finished trial numbers. */
  completed(): Set<number> {
    return new Set(this.#trials);
  }

  /** The next trial number after the largest finished one. */
  nextTrial(): number {
    let max = -1;
    for (const t of this.#trials) max = Math.max(max, t);
    return max + 1;
  }

  /** The finished rows, in the order they finished. */
  rows(): TrialRow[] {
    return this.#rows.map((r) => ({ ...r }));
  }

  /** Re-reads the study's schema and finished trials. */
  async refresh(): Promise<this> {
    const [study, rows] = await this.#retry(() =>
      Promise.all([
        this.#sql`SELECT schema FROM infolens_studies WHERE id = ${this.#id}`,
        this.#sql`SELECT row FROM infolens_trials
          WHERE study = ${this.#id} AND row IS NOT NULL ORDER BY seq`,
      ])
    );
    this.#schema = { ...json<TrialSchema>(study[0]?.schema ?? {}) };
    this.#rows = rows.map((r) => json<TrialRow>(r.row));
    this.#trials = new Set(this.#rows.map((r) => r.trial as number));
    return this;
  }

  /** Merges columns a row adds into the study's schema, under its row lock. */
  async #extendSchema(tx: postgres.TransactionSql, row: TrialRow) {
    const [study] = await tx`SELECT schema FROM infolens_studies
      WHERE id = ${this.#id} FOR UPDATE`;
    this.#schema = { ...json<TrialSchema>(study.schema) };
    const added = checkRow(row, this.#schema);
    if (Object.keys(added).length > 0) {
      Object.assign(this.#schema, added);
      await tx`UPDATE infolens_studies
        SET schema = ${this.#json(this.#schema)}::text::json
        WHERE id = ${this.#id}`;
    }
  }

  #remember(row: TrialRow) {
    this.#rows.push(row);
    this.#trials.add(row.trial as number);
  }

  /**
   * Appends one finished trial in a transaction; a null `trial` gets the
   * next number of the study (finished or pending), a number the study
   * already has is an error.
   */
  async append(row: TrialRow): Promise<TrialRow> {
    if (row === null || typeof row !== "object") {
      throw new TrialsError("append() takes a row object; see trialRow()");
    }
    checkRow(row, this.#schema); // fail early, before any round trip
    const stored = await this.#retry(() =>
      this.#sql.begin(async (tx) => {
        // The study's row lock first: numbers are given one at a time.
        await tx`SELECT 1 FROM infolens_studies WHERE id = ${this.#id} FOR UPDATE`;
        const out = { ...row };
        if (out.trial === null || out.trial === undefined) {
          const [n] = await tx`SELECT coalesce(max(trial) + 1, 0)::int AS next
            FROM infolens_trials WHERE study = ${this.#id}`;
          out.trial = n.next;
        } else {
          const [dup] = await tx`SELECT state FROM infolens_trials
            WHERE study = ${this.#id} AND trial = ${out.trial as number}`;
          if (dup) {
            throw new TrialsError(
              `trial ${out.trial} is already in ${this.location} (${dup.state}); check has() before re-running it, or leave trial null to number it automatically`,
            );
          }
        }
        await this.#extendSchema(tx, out);
        await tx`INSERT INTO infolens_trials
          (study, trial, state, budget, seed, row, seq)
          VALUES (${this.#id}, ${out.trial as number}, ${out.status as string},
            ${(out.budget ?? null) as number | null},
            ${(out.seed ?? null) as number | null},
            ${this.#json(out)}::text::json, nextval('infolens_trials_seq'))`;
        return out;
      })
    );
    this.#remember(stored);
    return stored;
  }

  /** The finished trials as the trials table, with the study's dtypes. */
  toDataFrame(): DataFrame {
    return trialsFrame(this.#rows, this.#schema);
  }

  /** The searcher state kept in the study's row, or null. */
  async readSearcherState(): Promise<SearcherState | null> {
    const [study] = await this.#retry(() =>
      this.#sql`SELECT searcher FROM infolens_studies WHERE id = ${this.#id}`
    );
    return json<SearcherState | null>(study?.searcher ?? null);
  }

  /** Saves a searcher state in the study's row. */
  async writeSearcherState(saved: SearcherState): Promise<void> {
    await this.#retry(() =>
      this.#sql`UPDATE infolens_studies
        SET searcher = ${this.#json(saved)}::text::json WHERE id = ${this.#id}`
    );
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await this.#sql.end({ timeout: 5 });
  }

  // --- many workers, one study ---

  /** Trials of the study by state. */
  async counts(): Promise<StudyCounts> {
    const rows = await this.#retry(() =>
      this.#sql`SELECT state, count(*)::int AS n FROM infolens_trials
        WHERE study = ${this.#id} GROUP BY state`
    );
    const by = Object.fromEntries(rows.map((r) => [r.state, r.n as number]));
    const queued = by.queued ?? 0, running = by.running ?? 0;
    const total = rows.reduce((a, r) => a + (r.n as number), 0);
    return { queued, running, finished: total - queued - running, total };
  }

  /**
   * Fails (a "failed" row, counted in the budget) or re-queues every
   * running trial whose worker has not beaten for `grace` seconds; returns
   * the trial numbers, each said on stderr.
   */
  async reapStale(): Promise<number[]> {
    const stale = await this.#retry(() =>
      this.#sql.begin(async (tx) => {
        const found =
          await tx`SELECT trial, config, budget, seed::float8 AS seed,
            worker, extract(epoch FROM heartbeat - started)::float8 AS ran,
            extract(epoch FROM now() - heartbeat)::float8 AS silent
          FROM infolens_trials
          WHERE study = ${this.#id} AND state = 'running'
            AND heartbeat < now() - ${this.grace} * interval '1 second'
          FOR UPDATE SKIP LOCKED`;
        for (const t of found) {
          if (this.stale === "requeue") {
            await tx`UPDATE infolens_trials
              SET state = 'queued', worker = NULL, heartbeat = NULL,
                claim = NULL
              WHERE study = ${this.#id} AND trial = ${t.trial}`;
          } else {
            const row = trialRow({
              trial: t.trial,
              config: json(t.config),
              budget: t.budget,
              objectives: {},
              seed: t.seed,
              duration_s: Math.max(0, t.ran ?? 0),
              status: "failed",
            });
            await this.#extendSchema(tx, row);
            await tx`UPDATE infolens_trials
              SET state = 'failed', row = ${this.#json(row)}::text::json,
                seq = nextval('infolens_trials_seq')
              WHERE study = ${this.#id} AND trial = ${t.trial}`;
          }
        }
        return found.map((t) => ({
          trial: t.trial as number,
          worker: t.worker as string,
          silent: t.silent as number,
        }));
      })
    );
    for (const t of stale) {
      console.error(
        `${this.location}: trial ${t.trial}'s worker ${t.worker} has not beaten for ${
          t.silent.toFixed(0)
        } s (grace ${this.grace} s); trial ${
          this.stale === "requeue" ? "re-queued" : "marked failed"
        }`,
      );
    }
    return stale.map((t) => t.trial);
  }

  /**
   * Claims a trial for `worker`: a queued one if any (`SKIP LOCKED`, so
   * workers never wait on each other), else, under the study's row lock, a
   * new one from `propose` given every trial of the study in trial order and
   * the saved searcher state. Null when the study has `budget` trials (or
   * `propose` returns null: nothing can be proposed until trials finish).
   * Every attempt after a dropped connection carries the same claim id, so
   * a retry whose first commit went through gets that trial back instead of
   * claiming a second one (which would run unbeaten and be reaped).
   */
  async claim(
    worker: string,
    budget: number,
    propose: (
      trials: StudyTrial[],
      saved: SearcherState | null,
    ) => Proposal | null,
    options: ClaimOptions = {},
  ): Promise<Claim | null> {
    // One id for every attempt, so that a retry finds what a lost commit took.
    const id = options.id ?? crypto.randomUUID();
    return await this.#retry(() =>
      this.#sql.begin(async (tx) => {
        const [taken] = await tx`SELECT trial, config, budget,
            seed::float8 AS seed
          FROM infolens_trials
          WHERE study = ${this.#id} AND state = 'running' AND claim = ${id}
            AND worker = ${worker}`;
        if (taken) return { ...taken, config: json(taken.config) } as Claim;
        const [queued] = await tx`UPDATE infolens_trials AS t
          SET state = 'running', worker = ${worker}, started = now(),
            heartbeat = now(), attempts = t.attempts + 1, claim = ${id}
          FROM (SELECT trial FROM infolens_trials
            WHERE study = ${this.#id} AND state = 'queued' AND trial < ${budget}
            ORDER BY trial LIMIT 1 FOR UPDATE SKIP LOCKED) AS q
          WHERE t.study = ${this.#id} AND t.trial = q.trial
          RETURNING t.trial, t.config, t.budget, t.seed::float8 AS seed`;
        if (queued) return { ...queued, config: json(queued.config) } as Claim;
        const [study] = await tx`SELECT searcher FROM infolens_studies
          WHERE id = ${this.#id} FOR UPDATE`;
        const trials = await tx`SELECT trial, state, config, budget, row
          FROM infolens_trials WHERE study = ${this.#id} ORDER BY trial`;
        if (trials.length >= budget) return null;
        const p = propose(
          trials.map((t) => ({
            trial: t.trial,
            state: t.state,
            config: json(t.config),
            budget: t.budget,
            row: json(t.row),
          })),
          json(study.searcher ?? null),
        );
        if (p === null) return null;
        const trial = trials.length;
        await tx`INSERT INTO infolens_trials
          (study, trial, state, config, budget, seed, worker, started,
            heartbeat, attempts, claim)
          VALUES (${this.#id}, ${trial}, 'running',
            ${this.#json(p.config)}::text::json, ${p.budget}, ${p.seed},
            ${worker}, now(), now(), 1, ${id})`;
        await tx`UPDATE infolens_studies
          SET searcher = ${this.#json(p.state)}::text::json
          WHERE id = ${this.#id}`;
        return { trial, config: p.config, budget: p.budget, seed: p.seed };
      })
    );
  }

  /**
   * Stores a claimed trial's row. False (nothing written) when the trial is
   * no longer this worker's: it went stale and was failed or re-queued.
   */
  async finish(worker: string, row: TrialRow): Promise<boolean> {
    const text = this.#json(row);
    const done = await this.#retry(() =>
      this.#sql.begin(async (tx) => {
        if (Object.keys(checkRow(row, this.#schema)).length > 0) {
          await this.#extendSchema(tx, row);
        }
        const updated = await tx`UPDATE infolens_trials
          SET state = ${row.status as string}, row = ${text}::text::json,
            seq = nextval('infolens_trials_seq'), heartbeat = now()
          WHERE study = ${this.#id} AND trial = ${row.trial as number}
            AND worker = ${worker} AND state = 'running'
          RETURNING trial`;
        if (updated.length === 1) return true;
        // A retry whose first commit went through finds its own row (json
        // keeps the text as sent); a trial reaped as stale has another.
        const [mine] = await tx`SELECT 1 FROM infolens_trials
          WHERE study = ${this.#id} AND trial = ${row.trial as number}
            AND worker = ${worker} AND row::text = ${text}`;
        return mine !== undefined;
      })
    );
    if (done) this.#remember(row);
    return done;
  }

  /**
   * Beats for `worker`'s running trials from a thread of its own (with its
   * own connection), so that a long synchronous objective does not stop
   * the beats; add and delete trial numbers as they start and finish.
   */
  startHeartbeat(worker: string): Heartbeat {
    const thread = new Worker(
      new URL("./_heartbeat_worker.ts", import.meta.url).href,
      { type: "module" },
    );
    const trials = new Set<number>();
    const send = () =>
      thread.postMessage({ trials: [...trials], worker, study: this.#id });
    thread.postMessage({
      url: this.#url,
      interval: this.heartbeatInterval,
      study: this.#id,
      worker,
    });
    return {
      add(trial: number) {
        trials.add(trial);
        send();
      },
      delete(trial: number) {
        trials.delete(trial);
        send();
      },
      stop() {
        thread.terminate();
      },
    };
  }

  /**
   * The worker that claimed each trial (`host:pid:tag`, as the runner names
   * its workers), by trial number; null for rows appended without a claim.
   * Which machines and processes ran a study, for status and tests.
   */
  async trialWorkers(): Promise<Map<number, string | null>> {
    const rows = await this.#retry(() =>
      this.#sql`SELECT trial, worker FROM infolens_trials
        WHERE study = ${this.#id} ORDER BY trial`
    );
    return new Map(rows.map((r) => [r.trial as number, r.worker ?? null]));
  }

  /** Deletes the study and its trials (tests and clean-ups). */
  async drop(): Promise<void> {
    await this.#retry(() =>
      this.#sql`DELETE FROM infolens_studies WHERE id = ${this.#id}`
    );
    this.#rows = [];
    this.#trials.clear();
    this.#schema = {};
  }
}

/** A worker's heartbeat thread. */
export interface Heartbeat {
  /** Beats for this trial from now on. */
  add(trial: number): void;
  /** Stops beating for this trial. */
  delete(trial: number): void;
  /** Ends the thread. */
  stop(): void;
}
