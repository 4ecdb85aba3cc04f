import { assert, assertEquals, assertRejects } from "./support/assert.ts";
import { float, SearchSpace } from "../lib/space/space.ts";
import { sweep, trialSeed } from "../lib/trials/evaluate.ts";
import { TrialStore } from "../lib/trials/trials.ts";
import { objectives } from "./support/objectives.ts";

const space = new SearchSpace({ x: float(-1, 1), y: float(0, 1) });
const ref = {
  module: import.meta.resolve("./support/objectives.ts"),
  name: "objectives.bowl",
};

Deno.test("a sweep records every trial, failures included, and goes on", async () => {
  const df = await sweep(space, objectives.bowl, {
    n: 40,
    seed: 3,
    progress: "quiet",
  });
  assertEquals(df.height, 40);
  assertEquals(
    df.getColumn("trial").toArray(),
    Array.from({ length: 40 }, (_, i) => i),
  );
  const rows = df.toRecords();
  const configs = space.sampleMany(40, 3);
  rows.forEach((r, i) => {
    assertEquals(r.x, configs[i].x);
    assertEquals(r.seed, trialSeed(3, i));
    const x = r.x as number;
    if (x > 0.9 || x < -0.9) {
      assertEquals(r.status, "failed");
      assertEquals(r.loss, null);
    } else {
      assertEquals(r.status, "ok");
      assertEquals(r.loss, (x - 0.3) ** 2 + (r.y as number));
      assertEquals(r.seed_seen, r.seed);
    }
  });
  assert(
    rows.some((r) => r.status === "failed"),
    "the seed should hit a failing x",
  );
});

Deno.test("a resumed sweep runs only the missing trials and matches an uninterrupted one", async () => {
  const path = await Deno.makeTempFile({ suffix: ".trials.jsonl" });
  let calls = 0;
  const counted = (c: Record<string, unknown>, ctx: { seed: number }) => {
    calls++;
    return objectives.bowl(c as never, ctx);
  };
  await sweep(space, counted, {
    n: 5,
    seed: 1,
    store: path,
    progress: "quiet",
  });
  assertEquals(calls, 5);
  const resumed = await sweep(space, counted, {
    n: 12,
    seed: 1,
    store: path,
    progress: "quiet",
  });
  assertEquals(calls, 12);
  const fresh = await sweep(space, objectives.bowl, {
    n: 12,
    seed: 1,
    progress: "quiet",
  });
  const strip = (rows: Record<string, unknown>[]) =>
    rows.map(({ duration_s: _, ...r }) => r);
  assertEquals(strip(resumed.toRecords()), strip(fresh.toRecords()));
  assertEquals((await TrialStore.open(path)).size, 12);
  await assertRejects(
    () =>
      sweep(space, counted, { n: 12, seed: 2, store: path, progress: "quiet" }),
    /holds trial 0 with x = .* but this sweep's trial 0 has x = .*use a new store/,
  );
  await Deno.remove(path);
});

Deno.test("workers import the objective and give the same table as one process", async () => {
  const path = await Deno.makeTempFile({ suffix: ".trials.jsonl" });
  const parallel = await sweep(space, ref, {
    n: 16,
    seed: 5,
    workers: 2,
    store: path,
    progress: "quiet",
  });
  const serial = await sweep(space, objectives.bowl, {
    n: 16,
    seed: 5,
    progress: "quiet",
  });
  const strip = (rows: Record<string, unknown>[]) =>
    rows.map(({ duration_s: _, ...r }) => r);
  assertEquals(strip(parallel.toRecords()), strip(serial.toRecords()));
  assertEquals((await TrialStore.open(path)).size, 16);
  await Deno.remove(path);
});

Deno.test("bad sweep setups get clear errors", async () => {
  await assertRejects(
    () =>
      sweep(space, objectives.bowl, { n: 4, workers: 2, progress: "quiet" }),
    /workers > 1 need an objective they can import/,
  );
  await assertRejects(
    () => sweep(space, objectives.bowl, { n: 0, progress: "quiet" }),
    /n must be a positive integer/,
  );
  await assertRejects(
    () =>
      sweep(space, { module: ref.module, name: "objectives.nope" }, {
        n: 2,
        workers: 2,
        progress: "quiet",
      }),
    /no function at "objectives.nope"/,
  );
});
