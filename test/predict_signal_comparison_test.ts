/**
 * The signal comparison of the predictors' study: which columns are signals,
 * the chart rows, the paired difference, and the findings' sentences — each
 * verdict flipped by flipping the data — and the run on the shipped sweep.
 */
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertThrows,
} from "./support/assert.ts";
import {
  compareSweepSignals,
  pairedTauDifference,
  reliabilityFindings,
  signalChartRows,
  signalFindings,
  sweepSignals,
  targetReliability,
} from "../studies/predictors/signal_comparison.ts";
import { compareSignals } from "../lib/predict/compare_signals.ts";
import { Random } from "../lib/space/random.ts";
import { readTable } from "../lib/data/mod.ts";
import { predictorTablePath } from "../studies/predictors/architecture_sweep.ts";

Deno.test("sweepSignals: the last budget is the target; MI, RMI (sign −1), zero-cost and size are signals", () => {
  const s = sweepSignals([
    "trial",
    "task",
    "acc_9",
    "acc_1",
    "acc_3",
    "test_acc",
    "params",
    "mi_mixed-ksg_2",
    "zc_naswot",
    "zc_params",
    "rmi",
    "seed",
  ]);
  assertEquals(s.target, "acc_9");
  assertEquals(
    s.signals.map((x) => [x.column, x.kind, x.sign ?? 1]),
    [
      ["acc_1", "early accuracy", 1],
      ["acc_3", "early accuracy", 1],
      ["mi_mixed-ksg_2", "per-layer MI", 1],
      ["rmi", "RMI", -1],
      ["zc_naswot", "zero-cost", 1],
      ["params", "size", 1],
    ],
  );
  assertEquals(s.signals[2].name, "MI mixed-ksg L2");
  assertThrows(() => sweepSignals(["task", "params"]), /no acc_<epochs>/);
});

/** Tasks of 20 architectures; each signal is acc plus noise of its own size. */
function table(noise: Record<string, number>, tasks = 8, seed = 1) {
  const r = new Random(seed, "signal-findings");
  const rows: Record<string, unknown>[] = [];
  for (let task = 0; task < tasks; task++) {
    for (let i = 0; i < 20; i++) {
      const acc = r.normal();
      const row: Record<string, unknown> = { task, acc_9: acc };
      for (const [c, sd] of Object.entries(noise)) {
        row[c] = acc + sd * r.normal();
      }
      rows.push(row);
    }
  }
  return rows;
}

Deno.test("signalFindings: MI better than, worse than, or no different from early accuracy, as the data say", () => {
  const better = signalFindings(
    compareSweepSignals(table({ acc_1: 3, mi_ksg_1: 0.1, params: 10 })),
  ).text;
  assert(better.includes("Best signal: MI ksg L1"), better);
  assert(
    better.includes(
      "per-layer MI at its best (MI ksg L1) is better than accuracy, 1 epoch",
    ),
    better,
  );
  const worse = signalFindings(
    compareSweepSignals(table({ acc_1: 0.1, mi_ksg_1: 3, params: 10 })),
  ).text;
  assert(worse.includes("Best signal: accuracy, 1 epoch"), worse);
  assert(worse.includes("is worse than accuracy, 1 epoch"), worse);
  const same = signalFindings(
    compareSweepSignals(table({ acc_1: 1, mi_ksg_1: 1, params: 10 })),
  ).text;
  assert(
    same.includes("is no different (within 2 SE) from accuracy, 1 epoch"),
    same,
  );
  // The earliest accuracy is compared too when the rival is another signal.
  const three = signalFindings(
    compareSweepSignals(table({ acc_1: 3, acc_3: 0.1, mi_ksg_1: 1 })),
  ).text;
  assert(
    three.includes(
      "is worse than accuracy, 3 epochs, the best other signal, and better than accuracy, 1 epoch",
    ),
    three,
  );
});

Deno.test("signalFindings: precision above chance only for signals that find the top", () => {
  const text = signalFindings(
    compareSweepSignals(table({ acc_1: 0.01, params: 100 }, 10)),
  ).text;
  assert(
    text.includes(
      "above chance by more than 2 SE: accuracy, 1 epoch.",
    ),
    text,
  );
  const none = signalFindings(
    compareSweepSignals(table({ acc_1: 100, params: 100 }, 10, 4)),
  ).text;
  assert(none.includes("above chance by more than 2 SE: no signal."), none);
});

Deno.test("pairedTauDifference and chart rows follow the per-task scores", () => {
  const c = compareSweepSignals(table({ acc_1: 0.5, mi_ksg_1: 2 }));
  const d = pairedTauDifference(
    c.groups,
    "accuracy, 1 epoch",
    "MI ksg L1",
  );
  const per = c.groups.filter((g) => g.signal === "accuracy, 1 epoch").map(
    (g, i) =>
      g.kendall -
      c.groups.filter((h) => h.signal === "MI ksg L1")[i].kendall,
  );
  assertEquals(d.tasks, 8);
  assert(Math.abs(d.mean - per.reduce((a, b) => a + b, 0) / 8) < 1e-12);
  const rows = signalChartRows(c);
  assertEquals(rows.map((r) => r.signal), [
    "accuracy, 1 epoch",
    "accuracy, 1 epoch",
    "MI ksg L1",
    "MI ksg L1",
  ]);
  assertEquals(rows[0].value, c.summary[0].kendall);
  assertEquals(rows[1].value, c.summary[0].spearman);
});

Deno.test("the shipped MLP sweep: every signal compared on 25 tasks, as compareSignals gives it", async () => {
  const rows = (await readTable(predictorTablePath())).toRecords();
  const c = compareSweepSignals(rows);
  assertEquals(c.target, "acc_9");
  assertEquals(c.signals.length, 2 + 16 + 2);
  const direct = compareSignals(rows, {
    target: "acc_9",
    signals: ["acc_3"],
    groupBy: "task",
  });
  const acc3 = c.summary.find((s) => s.column === "acc_3")!;
  assertEquals(acc3.kendall, direct.summary[0].kendall);
  assertEquals(acc3.groups, 25);
  const text = signalFindings(c).text;
  assert(text.includes("**Conclusion:**"), text);
});

Deno.test("the shipped CNN sweep: 16 architectures on each of 3 image tasks, every signal finite and compared", async () => {
  const { CNN_SMALL, cnnTablePath } = await import(
    "../studies/predictors/cnn_sweep.ts"
  );
  const rows = (await readTable(cnnTablePath(CNN_SMALL))).toRecords();
  assertEquals(rows.length, 48);
  const c = compareSweepSignals(rows);
  assertEquals(c.target, "acc_6");
  for (const s of c.signals) {
    assert(
      rows.every((r) => Number.isFinite(r[s.column] as number)),
      `${s.column} has a missing value`,
    );
  }
  assert(c.summary.every((s) => s.groups === 3 && s.pairs === 48));
  assertEquals(c.summary.find((s) => s.column === "rmi")!.sign, -1);
  assert(signalFindings(c).text.includes("**Conclusion:**"));
});

Deno.test("the shipped thesis-range CNN sweep: 30 architectures on each of 10 image tasks, in the thesis's space", async () => {
  const { CNN_SWEEP, cnnConfigs, cnnTablePath } = await import(
    "../studies/predictors/cnn_sweep.ts"
  );
  const rows = (await readTable(cnnTablePath(CNN_SWEEP))).toRecords();
  assertEquals(rows.length, 300);
  // The rows are the sweep's configurations, in order.
  const configs = await cnnConfigs(CNN_SWEEP);
  rows.forEach((r, i) => {
    for (const k of ["task", "slot", "f1", "f2", "f3", "f4"]) {
      assertEquals(r[k], configs[i][k], `trial ${i}, ${k}`);
    }
    for (const k of ["f1", "f2", "f3", "f4"]) {
      const f = r[k] as number;
      assert(f >= 10 && f <= 120 && f % 5 === 0, `trial ${i}: ${k} = ${f}`);
    }
  });
  const c = compareSweepSignals(rows);
  assertEquals(c.target, "acc_9");
  for (const s of c.signals) {
    assert(
      rows.every((r) => Number.isFinite(r[s.column] as number)),
      `${s.column} has a missing value`,
    );
  }
  assert(c.summary.every((s) => s.groups === 10));
  assert(signalFindings(c).text.includes("**Conclusion:**"));
});

Deno.test({
  name: "a trial of the thesis-range CNN sweep re-runs to its shipped row",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const { CNN_SWEEP, cnnTablePath, measureCnn } = await import(
      "../studies/predictors/cnn_sweep.ts"
    );
    const rows = (await readTable(cnnTablePath(CNN_SWEEP))).toRecords();
    // One of the quickest: "digits 1 vs 7" (217 training rows), 25-10-50-15.
    const shipped = rows.find((r) => r.task === 4 && r.slot === 13)!;
    assertEquals([shipped.f1, shipped.f2, shipped.f3, shipped.f4], [
      25,
      10,
      50,
      15,
    ]);
    const got = await measureCnn(
      { task: 4, slot: 13, f1: 25, f2: 10, f3: 50, f4: 15 },
      CNN_SWEEP,
    );
    // Float32 products may round differently on another CPU (a fused
    // multiply-add or not): one validation row of 72 may flip.
    for (const k of ["acc_1", "acc_3", "acc_9"]) {
      assertAlmostEquals(got[k], shipped[k] as number, 1.5 / 72, k);
    }
    for (const k of ["rmi", "zc_synflow", "zc_naswot", "params"]) {
      const want = shipped[k] as number;
      assertAlmostEquals(got[k], want, 1e-3 * Math.abs(want), k);
    }
  },
});

Deno.test("targetReliability: the target's repeat on the test rows and its spread per task", () => {
  // Task 0: test accuracy ranks like the final one (τ 1), spread 3 points;
  // task 1: reversed (τ −1), spread 1 point.
  const rows = [0, 1, 2, 3].flatMap((i) => [
    { task: 0, acc_1: 0, acc_9: 0.9 + i / 100, test_acc: 0.8 + i / 100 },
    { task: 1, acc_1: 0, acc_9: 0.5 + i / 300, test_acc: 0.5 - i / 100 },
  ]);
  const r = targetReliability(rows);
  assertEquals(r.target, "acc_9");
  assertEquals(r.tasks, 2);
  assertAlmostEquals(r.kendall, 0, 1e-12);
  assertAlmostEquals(r.spread.median, 2, 1e-9);
  assertAlmostEquals(r.spread.min, 1, 1e-9);
  assertAlmostEquals(r.spread.max, 3, 1e-9);
  const text = reliabilityFindings(r).text;
  assert(
    text.includes("τ = 0.00 ±") && text.includes("median of 2.0 points"),
    text,
  );
  let message = "";
  try {
    targetReliability([{ task: 0, acc_1: 0, acc_9: 1 }]);
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.includes("test_acc"), message);
});
