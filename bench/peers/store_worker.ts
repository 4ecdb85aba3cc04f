/**
 * One infolens worker process of the store benchmark (`bench/store.ts`):
 *   deno run -A bench/peers/store_worker.ts '{"mode": ..., "url": ..., ...}'
 * opens the study, prints "ready", waits for a line on stdin (so that every
 * worker starts together), then
 * - `throughput`: for `seconds`, asks (reap stale trials and claim one, as
 *   the shared runner does before each trial), evaluates a 2-d bowl and
 *   tells (stores the row); prints `{trials, seconds, ask_ms}`;
 * - `sweep`: runs `optimize` (random search) to the study's `budget` on a
 *   CPU-bound objective of `work` units; prints `{trials, seconds}`.
 *
 * @module
 */

import { PostgresStore } from "../../lib/trials/postgres_store.ts";
import { proposeShared } from "../../lib/trials/_shared_runner.ts";
import { searcherFactory } from "../../lib/search/registry.ts";
import { optimize } from "../../lib/search/optimize.ts";
import { float, SearchSpace } from "../../lib/space/space.ts";
import { trialRow } from "../../lib/trials/trials.ts";
import { burn } from "../store.ts";

interface Request {
  mode: "throughput" | "sweep";
  url: string;
  seed: number;
  seconds?: number;
  budget?: number;
  work?: number;
}

const req = JSON.parse(Deno.args[0]) as Request;
const space = new SearchSpace({ x: float(-1, 1), y: float(-1, 1) });

async function go(): Promise<void> {
  console.log("ready");
  const reader = Deno.stdin.readable.getReader();
  await reader.read(); // the "go" line
  reader.releaseLock();
}

if (req.mode === "throughput") {
  const budget = 1_000_000;
  const store = await PostgresStore.open(req.url);
  const worker = `bench:${Deno.pid}`;
  const fresh = () =>
    searcherFactory("random")({
      space,
      seed: req.seed,
      minimize: true,
      budget,
    });
  const options = {
    budget,
    seed: req.seed,
    objective: "loss",
    label: "random",
    key: { method: "random", seed: req.seed, minimize: true },
    fresh,
  };
  const beat = store.startHeartbeat(worker);
  await go();
  const t0 = performance.now();
  const end = t0 + req.seconds! * 1000;
  const ask: number[] = [];
  let trials = 0;
  while (performance.now() < end) {
    const a = performance.now();
    await store.reapStale();
    const c = await store.claim(
      worker,
      budget,
      (all, saved) => proposeShared(fresh, space, options, all, saved),
    );
    ask.push(performance.now() - a);
    if (c === null) break;
    beat.add(c.trial);
    const x = c.config.x as number, y = c.config.y as number;
    const row = trialRow({
      trial: c.trial,
      config: c.config,
      budget: c.budget,
      objectives: { loss: x * x + y * y },
      seed: c.seed,
      duration_s: 0,
    });
    beat.delete(c.trial);
    if (await store.finish(worker, row)) trials++;
  }
  const seconds = (performance.now() - t0) / 1000;
  beat.stop();
  await store.close();
  console.log(JSON.stringify({ trials, seconds, ask_ms: ask }));
} else {
  await go();
  const t0 = performance.now();
  const df = await optimize((c) => burn(c, req.work!), space, {
    method: "random",
    budget: req.budget!,
    seed: req.seed,
    store: req.url,
    progress: "quiet",
  });
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ trials: df.height, seconds }));
}
