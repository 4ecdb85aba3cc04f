/**
 * Many workers, one PostgreSQL study: processes running the same search
 * share it, a worker killed mid-trial has its trial failed (or re-queued)
 * after the grace period, studies in one database stay apart, a dropped
 * connection is retried and an unreachable database is named without its
 * password. Skipped, saying why, without a database (`.ci/services.sh start`).
 */
import { assert, assertEquals, assertRejects } from "./support/assert.ts";
import { havePg, pgUrl, uniqueStudy } from "./support/services.ts";
import { openStore } from "../lib/trials/store.ts";
import { trialRow, TrialsError } from "../lib/trials/trials.ts";
import type {
  PostgresStore,
  Proposal,
  StudyTrial,
} from "../lib/trials/postgres_store.ts";
import postgres from "postgres";

const ok = havePg("shared study tests");
const WORKER = new URL("./support/study_worker.ts", import.meta.url).pathname;

function spawnWorker(store: string, budget: number, sleepMs: number) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WORKER, store, String(budget), "tpe", String(sleepMs)],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function studyRows(url: string) {
  const s = await openStore(url) as PostgresStore;
  try {
    return { rows: s.rows(), counts: await s.counts(), frame: s.toDataFrame() };
  } finally {
    await s.close();
  }
}

async function drop(url: string) {
  const s = await openStore(url) as PostgresStore;
  await s.drop();
  await s.close();
}

/** Waits until `pid` holds a running trial of the study; returns its number. */
async function runningTrialOf(url: string, pid: number): Promise<number> {
  const sql = postgres(pgUrl!, { max: 1, onnotice: () => {} });
  try {
    for (let i = 0; i < 200; i++) {
      const [r] = await sql`SELECT t.trial FROM infolens_trials t
        JOIN infolens_studies s ON s.id = t.study
        WHERE s.name = ${new URL(url).searchParams.get("study")!}
          AND t.state = 'running' AND t.worker LIKE ${`%:${pid}:%`}`;
      if (r) return r.trial;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`worker ${pid} never ran a trial`);
  } finally {
    await sql.end();
  }
}

for (const stale of ["fail", "requeue"] as const) {
  Deno.test({
    name: `a worker killed mid-trial: its trial is ${
      stale === "fail" ? "failed" : "re-queued"
    }, nothing lost or duplicated, the study reaches its budget`,
    ignore: !ok,
    async fn() {
      const budget = 14;
      const url = `${pgUrl}?study=${
        uniqueStudy(`kill-${stale}`)
      }&heartbeat=0.2&grace=1&stale=${stale}`;
      const victim = spawnWorker(url, budget, 400);
      const trial = await runningTrialOf(url, victim.pid);
      victim.kill("SIGKILL");
      await victim.output();
      const survivor = await spawnWorker(url, budget, 100).output();
      assert(
        survivor.success,
        new TextDecoder().decode(survivor.stderr),
      );
      const { rows, counts } = await studyRows(url);
      const numbers = rows.map((r) => r.trial as number).sort((a, b) => a - b);
      assertEquals(numbers, Array.from({ length: budget }, (_, i) => i));
      assertEquals(counts, {
        queued: 0,
        running: 0,
        finished: budget,
        total: budget,
      });
      const killed = rows.find((r) => r.trial === trial)!;
      assertEquals(killed.status, stale === "fail" ? "failed" : "ok");
      assert(
        new TextDecoder().decode(survivor.stderr).includes(
          `trial ${trial}'s worker`,
        ),
        "the survivor says which trial it reaped",
      );
      await drop(url);
    },
  });
}

Deno.test({
  name: "two worker processes share one TPE study to its budget",
  ignore: !ok,
  async fn() {
    const url = `${pgUrl}?study=${uniqueStudy("two")}&heartbeat=0.5`;
    const budget = 16;
    const outs = await Promise.all([
      spawnWorker(url, budget, 100).output(),
      spawnWorker(url, budget, 100).output(),
    ]);
    for (const o of outs) {
      assert(o.success, new TextDecoder().decode(o.stderr));
    }
    const { rows } = await studyRows(url);
    assertEquals(
      rows.map((r) => r.trial as number).sort((a, b) => a - b),
      Array.from({ length: budget }, (_, i) => i),
    );
    // Both processes did some of the work.
    const sql = postgres(pgUrl!, { max: 1, onnotice: () => {} });
    const workers = await sql`SELECT DISTINCT worker FROM infolens_trials t
      JOIN infolens_studies s ON s.id = t.study
      WHERE s.name = ${new URL(url).searchParams.get("study")!}`;
    await sql.end();
    assertEquals(workers.length, 2);
    await drop(url);
  },
});

Deno.test({
  name: "two studies in one database stay apart",
  ignore: !ok,
  async fn() {
    const a = `${pgUrl}?study=${uniqueStudy("apart-a")}`;
    const b = `${pgUrl}?study=${uniqueStudy("apart-b")}`;
    const sa = await openStore(a), sb = await openStore(b);
    for (let i = 0; i < 3; i++) {
      await sa.append(
        trialRow({ config: { x: i }, objectives: { loss: i }, duration_s: 0 }),
      );
    }
    await sb.append(
      trialRow({
        config: { lr: 0.1 },
        objectives: { acc: 0.9 },
        duration_s: 0,
      }),
    );
    await sa.refresh();
    await sb.refresh();
    assertEquals(sa.size, 3);
    assertEquals(sb.size, 1);
    assertEquals(sb.rows()[0].trial, 0);
    assert(!("x" in sb.schema) && !("lr" in sa.schema));
    await sa.writeSearcherState({ key: {}, trials: 3, state: "a" });
    assertEquals(await sb.readSearcherState(), null);
    await (sa as PostgresStore).drop();
    assertEquals((await sb.refresh()).size, 1);
    await sa.close();
    await (sb as PostgresStore).drop();
    await sb.close();
  },
});

Deno.test({
  name: "a dropped connection is retried",
  ignore: !ok,
  async fn() {
    const url = `${pgUrl}?study=${uniqueStudy("dropped")}`;
    const store = await openStore(url);
    await store.append(
      trialRow({ config: { x: 1 }, objectives: { loss: 1 }, duration_s: 0 }),
    );
    // Ends every other connection to the database, the store's included.
    const admin = postgres(pgUrl!, { max: 1, onnotice: () => {} });
    const [ended] =
      await admin`SELECT count(pg_terminate_backend(pid))::int AS n
      FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid()`;
    await admin.end();
    assert(ended.n >= 1, "the store's connection was ended");
    await store.append(
      trialRow({ config: { x: 2 }, objectives: { loss: 4 }, duration_s: 0 }),
    );
    await store.refresh();
    assertEquals(store.size, 2);
    await (store as PostgresStore).drop();
    await store.close();
  },
});

Deno.test({
  name:
    "a claim or finish repeated after a lost acknowledgment takes no second trial",
  ignore: !ok,
  async fn() {
    const url = `${pgUrl}?study=${uniqueStudy("again")}`;
    const store = await openStore(url) as PostgresStore;
    let proposals = 0;
    const propose = (trials: StudyTrial[]): Proposal => {
      proposals++;
      return {
        config: { x: trials.length },
        budget: null,
        seed: 7,
        state: { key: {}, trials: trials.length + 1, state: null },
      };
    };
    // What the store's retry does after a commit whose answer was lost.
    const first = await store.claim("w", 10, propose, { id: "c1" });
    const again = await store.claim("w", 10, propose, { id: "c1" });
    assertEquals(again, first);
    assertEquals(proposals, 1);
    assertEquals((await store.counts()).running, 1);
    // Another id, or the same id from another worker, is another claim.
    const other = await store.claim("w", 10, propose, { id: "c2" });
    const elsewhere = await store.claim("v", 10, propose, { id: "c1" });
    assertEquals([other!.trial, elsewhere!.trial], [1, 2]);
    assertEquals((await store.counts()).running, 3);
    const row = trialRow({
      trial: first!.trial,
      config: first!.config,
      objectives: { loss: 1 },
      seed: 7,
      duration_s: 0,
    });
    assert(await store.finish("w", row));
    assert(await store.finish("w", row), "the same row again is done");
    assert(!(await store.finish("v", row)), "not v's trial");
    assert(
      !(await store.finish("w", { ...row, loss: 2 })),
      "another row for a finished trial is refused",
    );
    await store.refresh();
    assertEquals(store.rows().map((r) => [r.trial, r.loss]), [[0, 1]]);
    assertEquals(
      [...(await store.trialWorkers()).entries()],
      [[0, "w"], [1, "w"], [2, "v"]],
    );
    await store.drop();
    await store.close();
  },
});

Deno.test("an unreachable database is an error naming the URL without its password", async () => {
  let message = "";
  await assertRejects(async () => {
    try {
      await openStore("postgres://alice:s3cret@127.0.0.1:1/nowhere?study=x");
    } catch (e) {
      message = (e as Error).message;
      throw e;
    }
  }, TrialsError);
  assert(message.includes("postgres://alice:***@127.0.0.1:1/nowhere"), message);
  assert(!message.includes("s3cret"), message);
});
