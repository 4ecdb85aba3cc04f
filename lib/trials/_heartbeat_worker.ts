/**
 * The heartbeat thread of a worker of a shared PostgreSQL study: every
 * interval it stamps `heartbeat = now()` on the trials the worker is
 * running, over a connection of its own, so that a trial whose objective
 * blocks the main thread still beats, and one whose process died stops.
 *
 * @module
 */

import postgres from "postgres";

declare const self: Worker & { close(): void };

let trials: number[] = [];
let sql: postgres.Sql | null = null;

self.onmessage = (e: MessageEvent) => {
  const msg = e.data;
  if (msg.url) {
    sql = postgres(msg.url, { max: 1, onnotice: () => {} });
    setInterval(beat, msg.interval * 1000, msg.study, msg.worker);
  } else trials = msg.trials;
};

async function beat(study: number, worker: string) {
  if (!sql || trials.length === 0) return;
  try {
    await sql`UPDATE infolens_trials SET heartbeat = now()
      WHERE study = ${study} AND worker = ${worker} AND state = 'running'
        AND trial = ANY(${trials}::int[])`;
  } catch {
    // A missed beat: the next one retries; a long outage makes trials stale.
  }
}
