/**
 * compareSignals: each group's τ-b and ρ against scipy (kendalltau,
 * spearmanr, computed here by /usr/bin/python3 on tied data with missing
 * values, dropped pairwise), hand-computed small cases, precision at the top
 * 10 % by hand (with ties), signs, and the errors.
 */
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertThrows,
} from "./support/assert.ts";
import {
  compareSignals,
  tiedPrecisionAtK,
} from "../lib/predict/compare_signals.ts";
import { MetricError, precisionAtK } from "../lib/predict/metrics.ts";
import { Random } from "../lib/space/random.ts";

/** scipy's τ-b and ρ for each pair of arrays, or undefined without scipy. */
async function scipy(
  pairs: [number[], number[]][],
): Promise<[number, number][] | undefined> {
  const script = [
    "import json, sys",
    "from scipy.stats import kendalltau, spearmanr",
    "print(json.dumps([[kendalltau(a, b)[0], spearmanr(a, b)[0]] for a, b in json.load(sys.stdin)]))",
  ].join("\n");
  try {
    const child = new Deno.Command("/usr/bin/python3", {
      args: ["-c", script],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(JSON.stringify(pairs)));
    await w.close();
    const out = await child.output();
    if (!out.success) return undefined;
    return JSON.parse(new TextDecoder().decode(out.stdout));
  } catch {
    return undefined;
  }
}

Deno.test("compareSignals: each task's τ-b and ρ equal scipy's on tied data with missing values", async () => {
  const r = new Random(3, "compare-signals");
  const table: Record<string, unknown>[] = [];
  for (let task = 0; task < 4; task++) {
    for (let i = 0; i < 23; i++) {
      const acc = Math.round(r.normal() * 4) / 4; // ties in the target
      table.push({
        task,
        acc: i === 5 ? null : acc,
        good: Math.round((acc + r.normal()) * 2) / 2,
        noise: i % 7 === 0 ? NaN : Math.round(r.normal() * 3),
      });
    }
  }
  const result = compareSignals(table, {
    target: "acc",
    signals: ["good", "noise"],
    groupBy: "task",
  });
  // The pairs scipy sees: both finite, in row order.
  const pairs: [number[], number[]][] = [];
  for (const signal of ["good", "noise"]) {
    for (let task = 0; task < 4; task++) {
      const rows = table.filter((t) =>
        t.task === task && Number.isFinite(t.acc as number) &&
        Number.isFinite(t[signal] as number)
      );
      pairs.push([
        rows.map((t) => t[signal] as number),
        rows.map((t) => t.acc as number),
      ]);
    }
  }
  assertEquals(result.groups.map((g) => g.n), pairs.map((p) => p[0].length));
  assertEquals(
    result.groups.map((g) => g.dropped),
    pairs.map((p) => 23 - p[0].length),
  );
  const want = await scipy(pairs);
  if (!want) {
    console.warn(
      "SKIPPED the scipy comparison: /usr/bin/python3 cannot import scipy (apt-get install python3-scipy)",
    );
    return;
  }
  result.groups.forEach((g, i) => {
    assertAlmostEquals(
      g.kendall,
      want[i][0],
      1e-12,
      `τ of ${g.signal} ${g.group}`,
    );
    assertAlmostEquals(
      g.spearman,
      want[i][1],
      1e-12,
      `ρ of ${g.signal} ${g.group}`,
    );
  });
  // The summary is the mean and SE of those.
  const taus = want.slice(0, 4).map((w) => w[0]);
  const mean = taus.reduce((a, b) => a + b, 0) / 4;
  const sd = Math.sqrt(taus.reduce((a, t) => a + (t - mean) ** 2, 0) / 3);
  assertAlmostEquals(result.summary[0].kendall, mean, 1e-12);
  assertAlmostEquals(result.summary[0].kendallSE, sd / 2, 1e-12);
  assertEquals(result.summary[0].groups, 4);
});

Deno.test("compareSignals: hand-computed τ-b, ρ and SE over two tasks", () => {
  // Task a: signal 1,2,3 vs target 1,3,2: C = 2, D = 1 → τ = 1/3; ρ = 0.5.
  // Task b: signal 1,1,2 vs target 1,2,3: C = 2, D = 0, one tie in the
  // signal → τ-b = 2/√(2·3); ρ = pearson([1.5,1.5,3],[1,2,3]) = √3/2.
  const table = [
    { t: "a", s: 1, y: 1 },
    { t: "a", s: 2, y: 3 },
    { t: "a", s: 3, y: 2 },
    { t: "b", s: 1, y: 1 },
    { t: "b", s: 1, y: 2 },
    { t: "b", s: 2, y: 3 },
  ];
  const { summary, groups } = compareSignals(table, {
    target: "y",
    signals: ["s"],
    groupBy: "t",
  });
  assertAlmostEquals(groups[0].kendall, 1 / 3, 1e-15);
  assertAlmostEquals(groups[0].spearman, 0.5, 1e-15);
  assertAlmostEquals(groups[1].kendall, 2 / Math.sqrt(6), 1e-15);
  assertAlmostEquals(groups[1].spearman, Math.sqrt(3) / 2, 1e-15);
  const taus = [1 / 3, 2 / Math.sqrt(6)];
  assertAlmostEquals(summary[0].kendall, (taus[0] + taus[1]) / 2, 1e-15);
  // SE of two values: |a − b| / 2.
  assertAlmostEquals(
    summary[0].kendallSE,
    Math.abs(taus[0] - taus[1]) / 2,
    1e-15,
  );
  assertEquals(summary[0].groups, 2);
  assertEquals(summary[0].pairs, 6);
});

Deno.test("compareSignals: sign −1 turns a loss into agreement; without it the τ is negative", () => {
  const table = [0.9, 0.7, 0.5, 0.2].map((acc, i) => ({ acc, loss: i }));
  const up = compareSignals(table, { target: "acc", signals: ["loss"] });
  const down = compareSignals(table, {
    target: "acc",
    signals: [{ column: "loss", sign: -1, name: "−loss" }],
  });
  assertEquals(up.summary[0].kendall, -1);
  assertEquals(down.summary[0].kendall, 1);
  assertEquals(down.summary[0].signal, "−loss");
  assertEquals(down.summary[0].precision, 1);
  assertEquals(up.summary[0].precision, 0);
});

Deno.test("compareSignals: a constant signal has no τ and scores chance precision", () => {
  const table = Array.from(
    { length: 10 },
    (_, i) => ({ task: 0, acc: i, flat: 2 }),
  );
  const { summary, groups } = compareSignals(table, {
    target: "acc",
    signals: ["flat"],
    groupBy: "task",
  });
  assert(Number.isNaN(groups[0].kendall) && groups[0].constant);
  assertEquals(summary[0].groups, 0);
  assertEquals(summary[0].constant, 1);
  // k = 1 of 10: any of the ten is picked with probability 1/10.
  assertAlmostEquals(summary[0].precision, 0.1, 1e-15);
  assertAlmostEquals(summary[0].precisionChance, 0.1, 1e-15);
});

Deno.test("precision at the top 10 %: a hand case of 20 architectures", () => {
  // k = 2. The truth's top 2 are rows 19 and 18; the signal's top 2 are 19
  // and 3 → precision 1/2.
  const acc = Array.from({ length: 20 }, (_, i) => i);
  const signal = acc.map((a) => (a === 3 ? 100 : a === 18 ? -1 : a));
  const { groups } = compareSignals(
    acc.map((a, i) => ({ acc: a, s: signal[i] })),
    { target: "acc", signals: ["s"] },
  );
  assertEquals(groups[0].k, 2);
  assertEquals(groups[0].precision, 0.5);
  assertEquals(precisionAtK(signal, acc, 2), 0.5);
  // k is ⌈0.1 · n⌉: 17 architectures give 2, 30 give 3 (not 4 from 3.0000000000000004).
  const k = (n: number) =>
    compareSignals(
      Array.from({ length: n }, (_, i) => ({ acc: i, s: i })),
      { target: "acc", signals: ["s"] },
    ).groups[0].k;
  assertEquals([k(17), k(30), k(5)], [2, 3, 1]);
});

Deno.test("tiedPrecisionAtK: ties at the cut share the remaining places", () => {
  // Score: row 0 above the cut, rows 1–3 tied for the 1 remaining place (1/3
  // each). Truth's top 2: rows 0 and 1. Expected overlap (1 + 1/3) / 2.
  assertAlmostEquals(
    tiedPrecisionAtK([9, 5, 5, 5, 1], [10, 9, 1, 1, 0], 2),
    (1 + 1 / 3) / 2,
    1e-15,
  );
  // Without ties it is precisionAtK.
  const r = new Random(1, "tied-precision");
  const a = Array.from({ length: 30 }, () => r.normal());
  const b = Array.from({ length: 30 }, () => r.normal());
  for (const k of [1, 3, 10]) {
    assertEquals(tiedPrecisionAtK(a, b, k), precisionAtK(a, b, k));
  }
});

Deno.test("compareSignals: names what is wrong", () => {
  const t = [{ acc: 1, s: 1 }, { acc: 2, s: 2 }, { acc: 3, s: 3 }];
  assertThrows(
    () => compareSignals(t, { target: "acc", signals: [] }),
    MetricError,
  );
  assertThrows(
    () => compareSignals(t, { target: "accuracy", signals: ["s"] }),
    /no column "accuracy"/,
  );
  assertThrows(
    () => compareSignals(t, { target: "acc", signals: ["s"], topShare: 0 }),
    /topShare/,
  );
  assertThrows(
    () =>
      compareSignals(t, {
        target: "acc",
        signals: [{ column: "s", sign: 2 as 1 }],
      }),
    /sign/,
  );
  // Two usable pairs are below minPairs = 3: no scores.
  const few = compareSignals([...t.slice(0, 2), { acc: 3, s: null }], {
    target: "acc",
    signals: ["s"],
  });
  assert(Number.isNaN(few.groups[0].kendall));
  assert(Number.isNaN(few.summary[0].precision));
});
