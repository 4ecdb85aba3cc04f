/**
 * The CNN sweep's quick mode end to end: three small CNNs on the digits in
 * two shards (workers), merged into a table with every signal, in range,
 * that the signal comparison reads; one trial re-measured in this process
 * gives the same row (seeds come from the trial's place).
 */
import { assert, assertEquals, assertRejects } from "./support/assert.ts";
import {
  CNN_QUICK,
  CNN_SWEEP,
  cnnConfigs,
  cnnTasks,
  measureCnn,
  mergeCnnShards,
  runCnnShard,
} from "../studies/predictors/cnn_sweep.ts";
import {
  compareSweepSignals,
  sweepSignals,
} from "../studies/predictors/signal_comparison.ts";
import { readTable } from "../lib/data/mod.ts";
import { join } from "node:path";

Deno.test("the CNN space is the thesis's, on the suite's 8×8 image tasks", async () => {
  assertEquals(CNN_SWEEP.filters.length, 23);
  assertEquals([CNN_SWEEP.filters[0], CNN_SWEEP.filters.at(-1)], [10, 120]);
  const tasks = await cnnTasks();
  assert(tasks.length >= 8, `${tasks.length} image tasks`);
  assert(tasks.every(({ task }) => task.x[0].length === 64));
  assert(tasks.some(({ task }) => task.name === "digits"));
  const configs = await cnnConfigs();
  assertEquals(configs.length, tasks.length * CNN_SWEEP.architectures);
});

Deno.test("quick CNN sweep: two shards, merged, every signal measured and in range", async () => {
  const root = await Deno.makeTempDir({ prefix: "infolens-cnn-" });
  try {
    for (const shard of ["0/2", "1/2"]) {
      await runCnnShard({ settings: CNN_QUICK, shard, workers: 1, root });
    }
    const out = join(root, "cnn_quick.parquet");
    await mergeCnnShards({ settings: CNN_QUICK, root, out });
    const rows = (await readTable(out)).toRecords();
    assertEquals(rows.map((r) => r.trial), [0, 1, 2]);
    const { target, signals } = sweepSignals(Object.keys(rows[0]));
    assertEquals(target, "acc_2");
    const kinds = new Set(signals.map((s) => s.kind));
    assertEquals(
      [...kinds].sort(),
      ["RMI", "early accuracy", "per-layer MI", "size", "zero-cost"],
    );
    const h = Math.log(10);
    for (const r of rows) {
      for (const s of signals) {
        assert(
          Number.isFinite(r[s.column] as number),
          `${s.column} = ${r[s.column]}`,
        );
      }
      for (const c of ["acc_1", "acc_2", "test_acc"]) {
        assert((r[c] as number) >= 0 && (r[c] as number) <= 1, c);
      }
      // Every MI estimate within [0, H(Y)] up to a margin for estimator noise.
      for (const s of signals.filter((s) => s.kind === "per-layer MI")) {
        const v = r[s.column] as number;
        assert(v > -0.2 && v < h + 0.2, `${s.column} = ${v}`);
      }
      assertEquals(signals.filter((s) => s.kind === "per-layer MI").length, 16);
    }
    const c = compareSweepSignals(rows);
    assertEquals(c.summary.length, signals.length);
    // Resuming a finished shard runs nothing new.
    await runCnnShard({ settings: CNN_QUICK, shard: "0/2", workers: 1, root });
    await mergeCnnShards({ settings: CNN_QUICK, root, out });
    assertEquals((await readTable(out)).height, 3);
    // The same trial measured here gives the same row.
    const again = await measureCnn((await cnnConfigs(CNN_QUICK))[1], CNN_QUICK);
    for (const col of ["acc_1", "acc_2", "rmi", "zc_snip", "mi_probe_2"]) {
      assert(
        Math.abs(again[col] - (rows[1][col] as number)) < 1e-5,
        `${col}: ${again[col]} against ${rows[1][col]}`,
      );
    }
    // A missing shard is named.
    await Deno.remove(join(root, ".cache", "cnn_quick", "shard-1-of-2.jsonl"));
    await assertRejects(
      () => mergeCnnShards({ settings: CNN_QUICK, root, out }),
      /hold 2 of 3 trials/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("the kernel trainer's row agrees with the tfjs trainer's (accuracies, RMI, zero-cost proxies)", async () => {
  const config = (await cnnConfigs(CNN_QUICK))[0];
  const kernel = await measureCnn(config, CNN_QUICK);
  const tfjs = await measureCnn(config, { ...CNN_QUICK, trainer: "tfjs" });
  assertEquals(Object.keys(kernel), Object.keys(tfjs));
  for (const col of ["acc_1", "acc_2", "test_acc"]) {
    // A row whose two top logits nearly tie may flip: one row of ~360.
    assert(
      Math.abs(kernel[col] - tfjs[col]) <= 0.006,
      `${col}: kernel ${kernel[col]}, tfjs ${tfjs[col]}`,
    );
  }
  for (
    const col of Object.keys(kernel).filter((c) => /^(zc_|rmi|params)/.test(c))
  ) {
    assert(
      Math.abs(kernel[col] - tfjs[col]) <= 1e-3 * Math.abs(tfjs[col]) + 1e-12,
      `${col}: kernel ${kernel[col]}, tfjs ${tfjs[col]}`,
    );
  }
});
