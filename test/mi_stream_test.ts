import {
  assert,
  assertEquals,
  assertRejects,
  assertThrows,
} from "./support/assert.ts";
import { setBackend } from "../lib/nets/backend.ts";
import { correlatedGaussian, staircase } from "../lib/mi/ground_truth.ts";
import {
  biasVariance,
  compareEstimators,
  dimensionSweep,
} from "../lib/mi/compare.ts";
import {
  biasVarianceChart,
  dimensionChart,
  errorTableChart,
  staircaseChart,
} from "../lib/viz/mi_charts.ts";
import { taskSchedule, traceMI } from "../lib/mi/stream.ts";

await setBackend("wasm");

const mean = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / xs.length;

Deno.test("traceMI follows a rising staircase, is deterministic, and InfoNCE stays under ln(batch)", async () => {
  const per = 300;
  const schedule = taskSchedule(staircase({ levels: [1, 4] }), per);
  const options = { steps: schedule.steps, batchSize: 32, learningRate: 1e-3 };
  const a = await traceMI("infonce", schedule.source, options);
  const b = await traceMI("infonce", schedule.source, options);
  assertEquals(a.trace.length, 2 * per);
  assertEquals(a.trace, b.trace, "not deterministic for a seed");
  assert(a.trace.every((v) => v <= Math.log(32) + 1e-5), "above ln 32");
  const first = mean(a.trace.slice(per - 100, per));
  const second = mean(a.trace.slice(2 * per - 100));
  assert(first > 0.4 && first < 1.3, `level 1 read ${first}`);
  assert(second > first + 1, `level 4 read ${second} after ${first}`);
});

Deno.test("traceMI: every neural method runs on fresh batches", async () => {
  const task = correlatedGaussian({ dim: 2, rho: 0.8 });
  for (
    const method of ["mine", "mine-biased", "mine-f", "nwj", "smile"] as const
  ) {
    let calls = 0;
    const r = await traceMI(
      method,
      (step, n) => task.sample(n, { seed: step }),
      {
        steps: 120,
        batchSize: 32,
        learningRate: 1e-3,
        onStep: () => calls++,
      },
    );
    assertEquals(calls, 120);
    assert(r.trace.every(Number.isFinite), `${method}: a non-finite bound`);
    assert(
      mean(r.trace.slice(-40)) > mean(r.trace.slice(0, 10)),
      `${method} did not learn`,
    );
  }
});

Deno.test("traceMI and taskSchedule: bad input names the problem", async () => {
  const task = correlatedGaussian({ dim: 1, rho: 0.5 });
  await assertRejects(
    () =>
      traceMI(
        "nwj",
        (_s, n) => task.sample(n),
        { steps: 2, testFraction: 0.2 } as never,
      ),
    /"testFraction" does not apply/,
  );
  await assertRejects(
    () => traceMI("nwj", () => task.sample(5), { steps: 2, batchSize: 8 }),
    /gave 5 rows of x for a batch of 8/,
  );
  await assertRejects(
    () =>
      traceMI("nwj", (_s, n) => {
        const s = task.sample(n);
        s.y[3][0] = NaN;
        return s;
      }, { steps: 2, batchSize: 8 }),
    /gave NaN in y/,
  );
  const schedule = taskSchedule(staircase(), 10);
  assertEquals(
    [schedule.truth(1), schedule.truth(11), schedule.truth(999)].map(
      Math.round,
    ),
    [2, 4, 10],
  );
  assertThrows(() => taskSchedule([], 10), /needs tasks/);
  assertThrows(
    () => taskSchedule(staircase(), 0),
    /stepsPerTask/,
  );
});

Deno.test("compareEstimators, biasVariance and dimensionSweep build the grid", async () => {
  const tasks = [
    correlatedGaussian({ dim: 1, rho: 0.6 }),
    correlatedGaussian({ dim: 2, rho: 0.3 }),
  ];
  const rows = await compareEstimators({
    tasks,
    estimators: ["gaussian", { method: "ksg", k: 5 }],
    sizes: [300, 1000],
    seeds: [0, 1, 2],
  });
  assertEquals(rows.length, 2 * 2 * 2 * 3);
  for (const r of rows) {
    assertEquals(r.logRatioError, Math.abs(Math.log(r.estimate / r.truth)));
  }
  const summary = biasVariance(rows);
  assertEquals(summary.length, 2 * 2 * 2);
  assert(summary.every((s) => s.fits === 3 && s.sd > 0));
  // The Gaussian estimator's spread shrinks with n.
  const sd = (n: number) =>
    summary.find((s) =>
      s.method === "gaussian" && s.n === n && s.task === tasks[0].name
    )!.sd;
  assert(sd(1000) < sd(300), `sd at 1000 = ${sd(1000)}, at 300 = ${sd(300)}`);
  const sweep = await dimensionSweep({
    dims: [1, 3],
    mutualInformation: 0.8,
    estimators: ["gaussian"],
    n: 2000,
  });
  assertEquals(sweep.map((r) => r.dim), [1, 3]);
  assert(
    sweep.every((r) =>
      Math.abs(r.truth - 0.8) < 1e-9 && r.logRatioError < 0.15
    ),
  );
  await assertRejects(
    () => compareEstimators({ tasks: [], estimators: ["ksg"] }),
    /at least one task/,
  );
});

Deno.test("the notebook 01 charts render", async () => {
  const trace = {
    method: "infonce" as const,
    trace: Array.from({ length: 50 }, (_, i) => i / 20),
    batchSize: 16,
    seconds: 0,
  };
  const charts = [
    staircaseChart(
      [trace, { ...trace, method: "nwj" as const }],
      (s) => (s < 25 ? 1 : 2),
    ),
    biasVarianceChart([
      {
        task: "t",
        method: "ksg",
        n: 100,
        mean: 1,
        sd: 0.1,
        truth: 1.1,
        bias: -0.1,
        fits: 3,
      },
      {
        task: "t",
        method: "ksg",
        n: 1000,
        mean: 1.05,
        sd: 0.05,
        truth: 1.1,
        bias: -0.05,
        fits: 3,
      },
    ]),
    errorTableChart([{
      task: "t",
      method: "ksg",
      n: 10,
      seed: 0,
      estimate: 0,
      truth: 1,
      logRatioError: Infinity,
      seconds: 0,
    }]),
    dimensionChart([{ dim: 1, method: "ksg", estimate: 0.9, truth: 1 }, {
      dim: 10,
      method: "ksg",
      estimate: 0.5,
      truth: 1,
    }]),
  ];
  for (const chart of charts) {
    const svg = await chart.toSVG();
    assert(
      svg.startsWith("<svg") && svg.length > 1000,
      `${chart.name} did not render`,
    );
  }
  assert(
    (await charts[0].toSVG()).includes("nwj"),
    "the staircase has a panel per method",
  );
  assert(
    (await charts[2].toSVG()).includes("5.00"),
    "a zero estimate shows as the capped error",
  );
});
