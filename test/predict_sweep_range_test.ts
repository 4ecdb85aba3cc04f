/** A sweep's per-layer MI against [0, H(Y)] (studies/predictors/sweep_range.ts). */
import { assert, assertAlmostEquals, assertEquals } from "./support/assert.ts";
import {
  labelEntropy,
  sweepEstimates,
  sweepRangeSummary,
} from "../studies/predictors/sweep_range.ts";
import type { SuiteTask } from "../studies/predictors/task_suite.ts";

Deno.test("labelEntropy is the plug-in entropy in nats", () => {
  assertAlmostEquals(labelEntropy([0, 1, 2, 3]), Math.log(4), 1e-12);
  assertEquals(labelEntropy([5, 5, 5]), 0);
  assertAlmostEquals(
    labelEntropy([0, 0, 0, 1]),
    -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)),
    1e-12,
  );
});

Deno.test("sweepEstimates reads every MI column, its method and checkpoint, and skips missing values", () => {
  const rows = sweepEstimates([
    {
      trial: 7,
      task: 1,
      "mi1_mixed-ksg_3": 0.2,
      "mi_probe_4": NaN,
      "mi_binning_2": 0.1,
      acc_9: 0.9,
      "zc_synflow": 3,
    },
  ], (t) => t + 0.5);
  assertEquals(rows.map((r) => [r.column, r.method, r.trial, r.ceiling]), [
    ["mi1_mixed-ksg_3", "mixed-ksg", 7, 1.5],
    ["mi_binning_2", "binning", 7, 1.5],
  ]);
});

Deno.test("sweepRangeSummary counts below 0 and above H(Y) per estimator, per task's labels", () => {
  const task = (y: number[]) =>
    ({
      x: y.map((v) => [v]),
      y,
      split: { train: [], validation: y.map((_, i) => i), test: [] },
    }) as unknown as SuiteTask;
  // Task 0: two balanced labels (H = ln 2); task 1: one label (H = 0).
  const tasks = [task([0, 1, 0, 1]), task([3, 3, 3])];
  const s = sweepRangeSummary([
    { task: 0, "mi_mine_1": 0.6, "mi_ksg_1": 0.9 }, // ksg above ln 2 + 0.05
    { task: 0, "mi_mine_1": -0.2, "mi_ksg_1": 0.7 }, // mine below 0
    { task: 1, "mi_mine_1": 0.03, "mi_ksg_1": 0.2 }, // ksg above 0 + 0.05
  ], tasks);
  const mine = s.find((r) => r.method === "mine")!;
  const ksg = s.find((r) => r.method === "ksg")!;
  assertEquals([mine.rows, mine.below, mine.above], [3, 1, 0]);
  assertEquals([ksg.rows, ksg.below, ksg.above], [3, 0, 2]);
  assertAlmostEquals(ksg.shareOutOfRange, 2 / 3, 1e-12);
  let message = "";
  try {
    sweepRangeSummary([{ task: 5, "mi_mine_1": 0 }], tasks);
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.includes("task 5") && message.includes("taskSuite"), message);
});
