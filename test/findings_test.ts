// The notebooks' computed sentences must follow their numbers: give each
// findings function numbers on both sides of a finding and check the
// sentence flips with them.
import { assert } from "./support/assert.ts";
import {
  dimensionFindings,
  errorTableFindings,
  staircaseLevels,
} from "../studies/mi/findings.ts";
import {
  agreementFindings,
  predictorFindings,
  retestRow,
} from "../studies/predictors/findings.ts";
import { regretFindings } from "../studies/search/findings.ts";
import { curvesChart } from "../lib/viz/search_charts.ts";

Deno.test("dimension findings follow which estimator is closer than KSG", () => {
  const rows = (ksg: number, infonce: number) => [
    { dim: 1, method: "ksg", estimate: 0.98, truth: 1 },
    { dim: 10, method: "ksg", estimate: ksg, truth: 1 },
    { dim: 1, method: "infonce", estimate: 0.9, truth: 1 },
    { dim: 10, method: "infonce", estimate: infonce, truth: 1 },
  ];
  const neuralWins = dimensionFindings(rows(0.5, 0.8)).text;
  assert(neuralWins.includes("than KSG at d = 10: infonce; not closer: none"));
  assert(neuralWins.includes("closest first): infonce 0.80, ksg 0.50"));
  const ksgWins = dimensionFindings(rows(0.7, 0.44)).text;
  assert(ksgWins.includes("than KSG at d = 10: none; not closer: infonce"));
  assert(ksgWins.includes("KSG goes from 0.98 at d = 1 to 0.70 at d = 10"));
});

Deno.test("error-table findings name the closest estimator per task", () => {
  const row = (task: string, method: "ksg" | "mine", e: number) => ({
    task,
    method,
    logRatioError: e,
  });
  const a = errorTableFindings([row("t", "ksg", 0.1), row("t", "mine", 0.5)]);
  const b = errorTableFindings([row("t", "ksg", 0.5), row("t", "mine", 0.1)]);
  assert(a.text.includes("t: ksg (0.10)") && b.text.includes("t: mine (0.10)"));
  assert(a.text.includes("every task: ksg."));
});

Deno.test("staircase levels label columns by the rounded truth", () => {
  const trace = {
    method: "nwj" as const,
    trace: [1, 1, 1, 1, 5, 5, 6, 6],
    batchSize: 64,
    seconds: 0.123,
  };
  const [row] = staircaseLevels([trace], [
    2.0000000000000004,
    3.9999999999999996,
  ], 4);
  assert(
    row["true 2 nats"] === 1 && row["true 4 nats"] === 6,
    JSON.stringify(row),
  );
  assert(row.seconds === 0.12);
});

Deno.test("agreement findings name the weakest estimator from the numbers", () => {
  const a = (estimator: string, layer: number, meanSpearman: number) => ({
    estimator,
    layer,
    meanSpearman,
    se: 0.05,
    tasks: 25,
  });
  const binningLow = agreementFindings(
    [a("binning", 2, 0.05), a("mine", 2, 0.15), a("ksg", 4, 0.4)],
    25,
  ).text;
  assert(binningLow.includes("Weakest even at its best layer: binning"));
  const binningHigh = agreementFindings(
    [a("binning", 2, 0.32), a("mine", 2, 0.15), a("ksg", 4, 0.4)],
    25,
  ).text;
  assert(binningHigh.includes("Weakest even at its best layer: mine"));
  assert(binningHigh.includes("Highest agreement: ksg, layer 4"));
});

Deno.test("predictor findings flip with the controller's gain", () => {
  const table1 = [{ method: "uniform", mse: 1e-3, mseSE: 0 }];
  const row = (mean: number) =>
    retestRow("ksg", [
      { prior: "controller", mean, se: 0.001, runs: 100 },
      { prior: "uniform", mean: 0.5, se: 0.001, runs: 100 },
    ]);
  assert(
    predictorFindings(table1, [row(0.51)]).text.includes("uniform prior: ksg."),
  );
  assert(
    predictorFindings(table1, [row(0.501)]).text.includes(
      "uniform prior: none.",
    ),
  );
});

Deno.test("regret findings flip with the numbers", () => {
  const p = (method: string, mean: number) => ({
    method,
    x: 10,
    mean,
    low: mean - 0.01,
    high: mean + 0.01,
  });
  assert(
    regretFindings([p("hyperband", 0.5), p("bohb", 0.2)], "hyperband").text
      .includes("by more than 2 SE: bohb;"),
  );
  assert(
    regretFindings([p("hyperband", 0.2), p("bohb", 0.5)], "hyperband").text
      .includes("by more than 2 SE: none; not: bohb."),
  );
});

Deno.test("regret curves take their legend from the lines, not the pale band", () => {
  const chart = curvesChart([
    { method: "a", x: 1, mean: 2, low: 1.5, high: 2.5 },
    { method: "b", x: 1, mean: 1, low: 0.5, high: 1.5 },
  ]);
  const [band, line] = chart.spec.layer as {
    encoding: Record<
      string,
      { legend?: unknown; scale?: { range?: string[] } }
    >;
  }[];
  assert(!band.encoding.color && band.encoding.fill.legend !== undefined);
  assert(
    (line.encoding.color.legend as { symbolOpacity: number }).symbolOpacity ===
      1,
  );
  assert(line.encoding.color.scale?.range?.[0] === "#0072B2");
});
