// The one trial runner behind optimize: batch resume from a store (with the
// searcher's saved state), parallel workers that ask ahead, and hsic-guided
// rounds that wait for their last trial.
import { assert, assertEquals } from "./support/assert.ts";
import { optimize } from "../lib/search/optimize.ts";
import { branin } from "../lib/search/functions.ts";
import { GpEiSearcher } from "../lib/search/gp_ei.ts";
import { HsicGuidedSearcher } from "../lib/search/hsic_guided.ts";
import type { Config } from "../lib/space/space.ts";

const quiet = { progress: "quiet" as const };
const ref = {
  module: import.meta.resolve("./support/objectives.ts"),
  name: "searchObjectives.branin",
};
const configsOf = (df: { toRecords(): Record<string, unknown>[] }) =>
  df.toRecords().map((r) => branin.space.names.map((n) => r[n] ?? null));

async function tempStore(): Promise<[string, () => Promise<void>]> {
  const path = await Deno.makeTempFile({ suffix: ".trials.jsonl" });
  return [path, async () => {
    await Deno.remove(path);
    await Deno.remove(`${path}.searcher.json`).catch(() => {});
  }];
}

/** Counts GP-EI proposals (model fits) while `fn` runs. */
async function countFits(fn: () => Promise<unknown>): Promise<number> {
  const proto = GpEiSearcher.prototype as unknown as {
    propose(this: unknown): Config;
  };
  const original = proto.propose;
  let fits = 0;
  proto.propose = function () {
    fits++;
    return original.call(this);
  };
  try {
    await fn();
  } finally {
    proto.propose = original;
  }
  return fits;
}

// (rf-smbo and bore-rmi plan their start-up by the budget: none to grow.)
for (const method of ["gp-ei", "tpe", "bore"] as const) {
  Deno.test(`${method}: resumed with a larger budget, it gives the uninterrupted trials`, async () => {
    const [path, cleanup] = await tempStore();
    let calls = 0;
    const f = (c: Config) => (calls++, branin.evaluate(c));
    const options = { method, seed: 6, store: path, ...quiet };
    await optimize(f, branin.space, { ...options, budget: 20 });
    calls = 0;
    const resumed = await optimize(f, branin.space, { ...options, budget: 30 });
    assertEquals(calls, 10);
    const fresh = await optimize((c) => branin.evaluate(c), branin.space, {
      method,
      seed: 6,
      budget: 30,
      ...quiet,
    });
    assertEquals(configsOf(resumed), configsOf(fresh));
    await cleanup();
  });
}

Deno.test("gp-ei: a resume fits the model once per new trial, not per stored one", async () => {
  const [path, cleanup] = await tempStore();
  const options = { method: "gp-ei" as const, seed: 1, store: path, ...quiet };
  await optimize((c) => branin.evaluate(c), branin.space, {
    ...options,
    budget: 25,
  });
  const fits = await countFits(() =>
    optimize((c) => branin.evaluate(c), branin.space, {
      ...options,
      budget: 28,
    })
  );
  assertEquals(fits, 3);
  await cleanup();
});

Deno.test("gp-ei: a state older than the store restores what it covers and replays the rest", async () => {
  const [path, cleanup] = await tempStore();
  const [older, cleanupOlder] = await tempStore();
  const f = (c: Config) => branin.evaluate(c);
  await optimize(f, branin.space, {
    method: "gp-ei",
    seed: 2,
    budget: 16,
    store: older,
    ...quiet,
  });
  await optimize(f, branin.space, {
    method: "gp-ei",
    seed: 2,
    budget: 20,
    store: path,
    ...quiet,
  });
  // As if killed after trial 19 landed but before its state was saved.
  await Deno.copyFile(`${older}.searcher.json`, `${path}.searcher.json`);
  const resumed = await optimize(f, branin.space, {
    method: "gp-ei",
    seed: 2,
    budget: 24,
    store: path,
    ...quiet,
  });
  const fresh = await optimize(f, branin.space, {
    method: "gp-ei",
    seed: 2,
    budget: 24,
    ...quiet,
  });
  assertEquals(configsOf(resumed), configsOf(fresh));
  await cleanup();
  await cleanupOlder();
});

Deno.test("workers: optimize asks ahead and the model knows the pending trials", async () => {
  const [path, cleanup] = await tempStore();
  const df = await optimize(ref, branin.space, {
    method: "gp-ei",
    budget: 24,
    seed: 3,
    workers: 3,
    store: path,
    ...quiet,
  });
  assertEquals(df.height, 24);
  assertEquals(
    df.getColumn("trial").toArray(),
    Array.from({ length: 24 }, (_, i) => i),
  );
  assert(df.toRecords().every((r) => r.status === "ok"));
  // Asked ahead with lies for the pending trials, it never proposes one twice.
  const keys = new Set(configsOf(df).map((c) => JSON.stringify(c)));
  assertEquals(keys.size, 24);
  await cleanup();
});

Deno.test("workers: hsic-guided waits for each round, so parallel equals serial", async () => {
  const guided = () =>
    new HsicGuidedSearcher({ space: branin.space, seed: 4, budget: 40 });
  const parallel = await optimize(ref, branin.space, {
    method: guided(),
    budget: 40,
    seed: 4,
    workers: 3,
    ...quiet,
  });
  const serial = await optimize((c) => branin.evaluate(c), branin.space, {
    method: "hsic-guided",
    budget: 40,
    seed: 4,
    ...quiet,
  });
  assertEquals(configsOf(parallel), configsOf(serial));
  const strip = (rows: Record<string, unknown>[]) =>
    rows.map(({ duration_s: _, ...r }) => r);
  assertEquals(strip(parallel.toRecords()), strip(serial.toRecords()));
});
