import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertThrows,
} from "./support/assert.ts";
import {
  boolean,
  categorical,
  float,
  int,
  SearchSpace,
} from "../lib/space/space.ts";
import { type TrialRow, trialRow, trialsFrame } from "../lib/trials/trials.ts";
import {
  hsicAnalysis,
  type HsicAnalysisOptions,
} from "../lib/hsic/analysis.ts";
import { Random } from "../lib/space/random.ts";

const space = new SearchSpace({
  lr: float(1e-4, 1, { log: true }),
  depth: int(1, 3),
  width_3: int(8, 128, { when: { depth: 3 } }),
  act: categorical(["relu", "tanh", "elu"]),
  dropout: boolean(),
});

/** Loss driven by lr (near 1e-2) and, where it exists, by width_3 (small is good). */
function sweep(n: number, seed: number): TrialRow[] {
  const r = new Random(seed, "noise");
  return space.sampleMany(n, seed).map((config, trial) => {
    const lr = config.lr as number;
    const w = config.width_3 as number | undefined;
    const loss = Math.abs(Math.log10(lr) + 2) +
      (w === undefined ? 0.5 : w / 128) + 0.05 * r.normal();
    return trialRow({ trial, config, objectives: { loss }, duration_s: 1 });
  });
}

Deno.test("the hyperparameters that decide the good region come first", () => {
  const rows = sweep(300, 1);
  const a = hsicAnalysis(rows, space, { goal: { quantile: 0.1 } });
  const names = a.indices.getColumn("name").toArray();
  assertEquals(names[0], "lr");
  const records = a.indices.toRecords();
  const byName = Object.fromEntries(records.map((r) => [r.name, r]));
  assert((byName.lr.pAsymptotic as number) < 1e-6);
  assert((byName.act.pPermutation as number) > 0.01);
  assert((byName.dropout.pAsymptotic as number) > 0.01);
  // width_3 only exists when depth = 3: about a third of the trials.
  const nw = byName.width_3.nActive as number;
  assert(nw > 70 && nw < 130, `nActive ${nw}`);
  assertEquals(byName.lr.nActive, 300);
  assertEquals(a.n, 300);
  assertEquals(a.dropped, 0);
  assertEquals(a.interactions, null);
  // A DataFrame in gives the same as rows in.
  const fromFrame = hsicAnalysis(trialsFrame(rows), space, {
    goal: { quantile: 0.1 },
  });
  assertEquals(fromFrame.indices.toRecords(), a.indices.toRecords());
});

Deno.test("failed trials and NaN objectives are dropped and counted", () => {
  const rows = sweep(60, 2);
  rows[3].loss = NaN;
  rows[5].loss = null;
  rows[7].status = "failed";
  const a = hsicAnalysis(rows, space, { pValues: [] });
  assertEquals(a.dropped, 3);
  assertEquals(a.n, 57);
});

Deno.test("maximize flips the good region; the threshold is in the objective's units", () => {
  const rows = sweep(120, 3).map((r) => ({
    ...r,
    accuracy: -(r.loss as number),
  }));
  const min = hsicAnalysis(rows, space, { pValues: [] });
  const max = hsicAnalysis(rows, space, {
    objective: "accuracy",
    minimize: false,
    pValues: [],
  });
  assertEquals(max.indices.toRecords(), min.indices.toRecords());
  assertAlmostEquals(max.threshold!, -min.threshold!, 1e-15);
});

Deno.test("interactions: the pair's R2 on rows where both are active", () => {
  const a = hsicAnalysis(sweep(150, 4), space, {
    interactions: true,
    pValues: [],
  });
  const pairs = a.interactions!.toRecords();
  assertEquals(pairs.length, 10); // 5 choose 2
  const lrDepth = pairs.find((p) => p.a === "lr" && p.b === "depth")!;
  assertEquals(lrDepth.nActive, 150);
  const withWidth = pairs.find((p) => p.a === "lr" && p.b === "width_3")!;
  assert((withWidth.nActive as number) < 150);
  assert((lrDepth.r2 as number) > 0 && (lrDepth.r2 as number) < 1);
});

Deno.test("bootstrap intervals bracket the estimate and repeat with the seed", () => {
  const rows = sweep(120, 5);
  const opts = { bootstrap: 40, pValues: [], seed: 3 } as const;
  const a = hsicAnalysis(rows, space, opts).indices.toRecords();
  const b = hsicAnalysis(rows, space, opts).indices.toRecords();
  assertEquals(a, b);
  const lr = a.find((r) => r.name === "lr")!;
  assert(
    (lr.r2Low as number) < (lr.r2High as number) &&
      (lr.r2Low as number) <= (lr.r2 as number) * 1.5,
    JSON.stringify(lr),
  );
});

Deno.test("bad input: few trials, constant columns, bad quantiles, unknown columns", () => {
  const rows = sweep(40, 6);
  assertThrows(
    () => hsicAnalysis(rows.slice(0, 8), space),
    /at least 10 finished trials with a finite objective; got 8/,
  );
  assertThrows(
    () => hsicAnalysis(rows.map((r) => ({ ...r, dropout: true })), space),
    /"dropout" is constant/,
  );
  assertThrows(
    () => hsicAnalysis(rows, space, { goal: { quantile: 0 } }),
    /quantile must be in \(0, 1\)/,
  );
  assertThrows(
    () => hsicAnalysis(rows, space, { objective: "acc" }),
    /no objective column "acc"/,
  );
  assertThrows(
    () => hsicAnalysis(rows, space, { bootstrap: -1 }),
    /bootstrap must be/,
  );
  assertThrows(
    () => hsicAnalysis(rows, space, { quantile: 0.1 } as HsicAnalysisOptions),
    /unknown option "quantile"/,
  );
});
