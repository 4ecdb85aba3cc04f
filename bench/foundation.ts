/**
 * Foundation figures: search-space sampling and encoding, durable trial
 * appends (each fsynced), and chart rendering. No peer: these are the
 * overheads a sweep pays per trial, to keep in view as modules grow.
 *
 * @module
 */

import { join } from "node:path";
import { categorical, float, int, SearchSpace } from "../lib/space/space.ts";
import { Random } from "../lib/space/random.ts";
import { trialRow, TrialStore } from "../lib/trials/trials.ts";
import { lineChart } from "../lib/viz/builders.ts";

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const out = fn();
  return [out, (performance.now() - t0) / 1000];
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  return [out, (performance.now() - t0) / 1000];
}

/** Runs the foundation benchmark and prints its figures. */
export async function run(): Promise<void> {
  const space = new SearchSpace({
    lr: float(1e-5, 1, { log: true }),
    depth: int(1, 8),
    width_4: int(8, 1024, { log: true, when: { depth: { gte: 4 } } }),
    act: categorical(["relu", "tanh", "elu", "gelu"]),
    dropout: float(0, 0.5),
  });
  const n = 100_000;
  const [configs, tSample] = time(() => space.sampleMany(n, 0));
  const jitter = new Random(1);
  const [, tEncode] = time(() =>
    configs.map((c) => space.encode(c, { seed: jitter }))
  );
  console.log(
    `space: sample ${(n / tSample / 1e3).toFixed(0)}k configs/s, encode ${
      (n / tEncode / 1e3).toFixed(0)
    }k configs/s`,
  );

  const dir = await Deno.makeTempDir();
  const store = await TrialStore.open(join(dir, "bench.trials.jsonl"));
  const m = 500;
  const [, tAppend] = await timeAsync(async () => {
    for (let i = 0; i < m; i++) {
      await store.append(
        trialRow({
          config: configs[i],
          objectives: { loss: i },
          seed: i,
          duration_s: 0,
        }),
      );
    }
  });
  const [df, tRead] = await timeAsync(async () =>
    (await TrialStore.open(join(dir, "bench.trials.jsonl"))).toDataFrame()
  );
  console.log(
    `trials store: ${(m / tAppend).toFixed(0)} durable appends/s (${
      (1000 * tAppend / m).toFixed(2)
    } ms each, lock + fsync), ` +
      `read back ${df.height} rows in ${(1000 * tRead).toFixed(0)} ms`,
  );
  await Deno.remove(dir, { recursive: true });

  const rows = Array.from(
    { length: 1000 },
    (_, i) => ({ step: i, loss: Math.exp(-i / 200) }),
  );
  const chart = lineChart(rows, { x: "step", y: "loss" });
  const [, tSvg] = await timeAsync(() => chart.toSVG());
  const [, tPng] = await timeAsync(() => chart.toPNG());
  console.log(
    `chart (1,000 points): SVG ${(1000 * tSvg).toFixed(0)} ms, PNG ${
      (1000 * tPng).toFixed(0)
    } ms`,
  );
}
