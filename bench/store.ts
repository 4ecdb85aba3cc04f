/**
 * `deno task bench store`: the PostgreSQL trial store.
 *
 * - Throughput: trials stored per second and ask latency with 1, 2 and 8
 *   worker processes on one study, each asking (reap stale trials + claim,
 *   as the shared runner does before every trial), evaluating a 2-d bowl
 *   and telling, for a fixed time; Optuna's RDB storage (Debian
 *   python3-optuna + python3-psycopg2, RandomSampler) on the same database
 *   is the peer, in the same run. Both use random search, so that the
 *   figures are the stores' and not the samplers'.
 * - Scaling: a 64-trial random sweep of a CPU-bound objective (~150 ms a
 *   trial) with 1, 2 and 4 worker processes of one study (`optimize` with
 *   the database URL as its store), and the speed-up over one worker.
 *
 * PostgreSQL comes from `.ci/services.sh`: when its env file names no
 * database, the benchmark runs `.ci/services.sh start` and, at the end,
 * `.ci/services.sh stop` (which ends exactly what it started, by pid).
 *
 * @module
 */

import { havePythonModule, PYTHON } from "./peers/python.ts";
import { PostgresStore } from "../lib/trials/postgres_store.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const SERVICES = `${ROOT}.ci/services.sh`;
const DIR = Deno.env.get("INFOLENS_SERVICES_DIR") ?? "/tmp/infolens-services";
const SECONDS = Number(Deno.env.get("INFOLENS_BENCH_STORE_SECONDS") ?? 5);

/**
 * A fixed amount of arithmetic (not a fixed time, so that workers sharing a
 * core slow each other down as real objectives do), then a 2-d bowl.
 */
export function burn(config: Record<string, unknown>, units: number): number {
  let s = 0;
  for (let i = 0; i < units * 100_000; i++) s += Math.sqrt(i + s * 1e-9);
  const x = config.x as number, y = config.y as number;
  return x * x + y * y + (s < 0 ? 1 : 0);
}

function databaseUrl(): string | null {
  const env = Deno.env.get("INFOLENS_TEST_PG");
  if (env) return env;
  try {
    const line = Deno.readTextFileSync(`${DIR}/env`).split("\n")
      .find((l) => l.startsWith("INFOLENS_TEST_PG="));
    return line ? line.slice("INFOLENS_TEST_PG=".length) : null;
  } catch {
    return null;
  }
}

async function services(action: "start" | "stop"): Promise<void> {
  const out = await new Deno.Command("bash", {
    args: [SERVICES, action],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!out.success) console.log(`.ci/services.sh ${action} failed`);
}

/** What a worker process printed last. */
interface WorkerResult {
  trials: number;
  seconds: number;
  ask_ms?: number[];
}

/** Reads a byte stream line by line. */
function lineReader(stream: ReadableStream<Uint8Array>) {
  const text = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  return {
    async read(): Promise<{ value?: string; done: boolean }> {
      for (;;) {
        const nl = buffer.indexOf("\n");
        if (nl >= 0) {
          const value = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          return { value, done: false };
        }
        const { value, done } = await text.read();
        if (done) {
          if (buffer === "") return { done: true };
          const rest = buffer;
          buffer = "";
          return { value: rest, done: false };
        }
        buffer += value;
      }
    },
  };
}

/**
 * Starts `n` worker processes, waits until each says "ready", starts them
 * together with a line on stdin, and returns what each printed.
 */
async function runWorkers(
  n: number,
  command: (i: number) => [string, string[]],
): Promise<WorkerResult[]> {
  const children = Array.from({ length: n }, (_, i) => {
    const [cmd, args] = command(i);
    return new Deno.Command(cmd, {
      args,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  });
  const lines = children.map((c) => lineReader(c.stdout));
  const stderr = children.map((c) => new Response(c.stderr).text());
  for (const [i, r] of lines.entries()) {
    const { value } = await r.read();
    if (value !== "ready") {
      throw new Error(
        `worker ${i} did not start: ${value ?? ""} ${await stderr[i]}`,
      );
    }
  }
  const go = new TextEncoder().encode("go\n");
  await Promise.all(children.map(async (c) => {
    const w = c.stdin.getWriter();
    await w.write(go);
    await w.close();
  }));
  return await Promise.all(children.map(async (c, i) => {
    let last = "";
    for (;;) {
      const { value, done } = await lines[i].read();
      if (done) break;
      last = value!;
    }
    const status = await c.status;
    if (!status.success) {
      throw new Error(`worker ${i} failed: ${await stderr[i]}`);
    }
    return JSON.parse(last) as WorkerResult;
  }));
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

interface Throughput {
  perSecond: number;
  median: number;
  p95: number;
}

function summarise(results: WorkerResult[]): Throughput {
  const trials = results.reduce((a, r) => a + r.trials, 0);
  const seconds = Math.max(...results.map((r) => r.seconds));
  const asks = results.flatMap((r) => r.ask_ms ?? []);
  return {
    perSecond: trials / seconds,
    median: quantile(asks, 0.5),
    p95: quantile(asks, 0.95),
  };
}

const tag = () => `bench-${Date.now().toString(36)}`;

async function infolensThroughput(url: string, n: number): Promise<Throughput> {
  const study = `${tag()}-store-${n}`;
  const full = `${url}?study=${study}`;
  const results = await runWorkers(n, () => [Deno.execPath(), [
    "run",
    "-A",
    `${ROOT}bench/peers/store_worker.ts`,
    JSON.stringify({
      mode: "throughput",
      url: full,
      seed: 0, // one study, one search: every worker the same seed
      seconds: SECONDS,
    }),
  ]]);
  const s = await PostgresStore.open(full);
  await s.drop();
  await s.close();
  return summarise(results);
}

async function optunaThroughput(url: string, n: number): Promise<Throughput> {
  const rdb = url.replace(/^postgres(ql)?:\/\//, "postgresql+psycopg2://");
  const study = `${tag()}-optuna-${n}`;
  const script = `${ROOT}bench/peers/optuna_store.py`;
  const once = async (mode: string) => {
    const out = await new Deno.Command(PYTHON, {
      args: [script, JSON.stringify({ mode, url: rdb, study })],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new Error(
        `Optuna ${mode} failed: ${new TextDecoder().decode(out.stderr)}`,
      );
    }
  };
  await once("setup");
  const results = await runWorkers(n, (i) => [PYTHON, [
    script,
    JSON.stringify({
      mode: "throughput",
      url: rdb,
      study,
      seed: i,
      seconds: SECONDS,
    }),
  ]]);
  await once("delete");
  return summarise(results);
}

async function sweep(url: string, n: number, work: number): Promise<number> {
  const study = `${tag()}-sweep-${n}`;
  const full = `${url}?study=${study}`;
  const results = await runWorkers(n, () => [Deno.execPath(), [
    "run",
    "-A",
    `${ROOT}bench/peers/store_worker.ts`,
    JSON.stringify({ mode: "sweep", url: full, seed: 7, budget: 64, work }),
  ]]);
  const s = await PostgresStore.open(full);
  const finished = (await s.counts()).finished;
  await s.drop();
  await s.close();
  if (finished !== 64) throw new Error(`the sweep stored ${finished} trials`);
  return Math.max(...results.map((r) => r.seconds));
}

/** Units of `burn` that take about `ms` milliseconds on one core. */
function calibrate(ms: number): { units: number; ms: number } {
  const time = (units: number) => {
    const t = performance.now();
    burn({ x: 0, y: 0 }, units);
    return performance.now() - t;
  };
  time(10); // warm up
  const per = Math.min(time(20), time(20)) / 20;
  const units = Math.max(1, Math.round(ms / per));
  return { units, ms: Math.min(time(units), time(units)) };
}

const f1 = (x: number) => x.toFixed(1);

/** Runs the store benchmarks and prints their tables. */
export async function run(): Promise<void> {
  let url = databaseUrl();
  let started = false;
  if (!url) {
    console.log("no PostgreSQL running; starting it with .ci/services.sh");
    await services("start");
    started = true;
    url = databaseUrl();
  }
  try {
    if (!url) {
      console.log(
        "store: PostgreSQL did not start (see .ci/services.sh status); skipping",
      );
      return;
    }
    const peer = await havePythonModule("optuna") &&
      await havePythonModule("psycopg2");
    if (!peer) {
      console.log(
        "Optuna peer: /usr/bin/python3 lacks optuna or psycopg2 (Debian python3-optuna, python3-psycopg2); skipped",
      );
    }
    console.log(
      `\nThroughput: ${SECONDS} s of ask/tell per configuration, random search, one study in PostgreSQL at ${
        url.replace(/:[^:@/]*@/, ":***@")
      }`,
    );
    console.log(
      "\n| workers | infolens trials/s | ask median / p95 (ms) | Optuna trials/s | ask median / p95 (ms) | ratio |",
    );
    console.log("| ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const n of [1, 2, 8]) {
      const ours = await infolensThroughput(url, n);
      const theirs = peer ? await optunaThroughput(url, n) : null;
      console.log(
        `| ${n} | ${f1(ours.perSecond)} | ${f1(ours.median)} / ${
          f1(ours.p95)
        } | ${
          theirs
            ? `${f1(theirs.perSecond)} | ${f1(theirs.median)} / ${
              f1(theirs.p95)
            } | ${(ours.perSecond / theirs.perSecond).toFixed(2)}×`
            : "— | — | —"
        } |`,
      );
    }
    const { units, ms } = calibrate(150);
    console.log(
      `\nScaling: a 64-trial random sweep, CPU-bound objective of ${
        ms.toFixed(0)
      } ms per trial (one core), worker processes on one study, ${navigator.hardwareConcurrency} cores`,
    );
    console.log("\n| workers | wall (s) | speed-up over 1 |");
    console.log("| ---: | ---: | ---: |");
    let one = 0;
    for (const n of [1, 2, 4]) {
      const s = await sweep(url, n, units);
      if (n === 1) one = s;
      console.log(`| ${n} | ${s.toFixed(2)} | ${(one / s).toFixed(2)}× |`);
    }
  } finally {
    if (started) await services("stop");
  }
}

if (import.meta.main) await run();
