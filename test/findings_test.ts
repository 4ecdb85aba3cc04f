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
import { groupFindings, regretFindings } from "../studies/search/findings.ts";
import { similarityFindings } from "../studies/search/arch_similarity.ts";
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

Deno.test("predictor findings set the chosen signal's MLP against MI and the baselines, and flip with the numbers", () => {
  const m = (method: string, mse: number) => ({ method, mse, mseSE: 1e-6 });
  const table1 = (signal: number) => [
    m("uniform", 8e-5),
    m("gaussian", 7e-5),
    m("MLP + mi-ksg", 6e-5),
    m("MLP + mi-mine", 6.5e-5),
    m("MLP + accuracy, 3 epochs", signal),
  ];
  const options = { signals: ["accuracy, 3 epochs"] };
  const line = (signal: number) =>
    predictorFindings(table1(signal), [], options).text.split("\n").find((l) =>
      l.startsWith("- Chosen signal accuracy, 3 epochs")
    )!;
  assert(line(5e-5).includes("beats the best MI-fed MLP (MLP + mi-ksg)"));
  assert(
    line(5e-5).endsWith("MI-fed MLPs it beats: MLP + mi-ksg, MLP + mi-mine."),
  );
  assert(line(6.25e-5).endsWith("MI-fed MLPs it beats: none."));
  assert(line(6e-5).includes("within 2 SE of the best MI-fed MLP"));
  assert(line(7.5e-5).includes("loses to the best MI-fed MLP"));
  assert(
    line(7.5e-5).includes("loses to the fitted Gaussian and beats the uniform"),
  );
  // The control row: which feature sets beat the architecture alone.
  const control = (mse: number) =>
    predictorFindings([...table1(5e-5), m("MLP + architecture only", mse)], [])
      .text.split("\n").find((l) => l.startsWith("- The same MLP given"))!;
  assert(
    control(5.5e-5).endsWith(
      "beat it: MLP + accuracy, 3 epochs; that lose to it: MLP + mi-ksg, MLP + mi-mine.",
    ),
  );
  assert(
    control(4e-5).endsWith(
      "beat it: none; that lose to it: MLP + mi-ksg, MLP + mi-mine, MLP + accuracy, 3 epochs.",
    ),
  );
  // A signal that was not run adds no line.
  assert(
    !predictorFindings(table1(5e-5), [], { signals: ["RMI"] }).text.includes(
      "RMI",
    ),
  );

  const p = (prior: string, mean: number) => ({
    prior,
    mean,
    se: 1e-3,
    runs: 100,
  });
  const priors = (mean: number) =>
    predictorFindings(table1(5e-5), [], {
      priors: [p("uniform", 0.5), p("controller", 0.5), p("signal", mean)],
    }).text;
  assert(
    priors(0.51).includes(
      "signal: 100.00 ± 14.14; beating it by more than 2 SE: signal.",
    ),
  );
  assert(
    priors(0.501).includes(
      "controller: 0.00 ± 14.14; signal: 10.00 ± 14.14; beating it by more than 2 SE: none.",
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

Deno.test("group findings flip with the best member against the baseline", () => {
  const p = (method: string, mean: number) => ({
    method,
    x: 50,
    mean,
    low: mean - 0.01,
    high: mean + 0.01,
  });
  const aware = ["gp-wl", "bananas"];
  const ahead = groupFindings(
    [p("gp-ei", 0.5), p("gp-wl", 0.3), p("bananas", 0.1)],
    aware,
    "gp-ei",
  ).text;
  assert(ahead.includes("**bananas** (0.1 ± 0.01)"), ahead);
  assert(ahead.includes("lower by more than 2 SE"), ahead);
  assert(ahead.includes("lowest first: bananas 0.1 ± 0.01, gp-wl 0.3 ± 0.01"));
  const tied = groupFindings(
    [p("gp-ei", 0.5), p("gp-wl", 0.52), p("bananas", 0.9)],
    aware,
    "gp-ei",
  ).text;
  assert(tied.includes("**gp-wl**") && tied.includes("within 2 SE of it"));
  const behind = groupFindings(
    [p("gp-ei", 0.1), p("gp-wl", 0.52), p("bananas", 0.9)],
    aware,
    "gp-ei",
  ).text;
  assert(behind.includes("higher by more than 2 SE"), behind);
});

Deno.test("similarity findings follow the matrices", () => {
  const m = (ab: number, ac: number, bc: number) => ({
    kernel: "WL",
    methods: ["gp-wl"],
    names: ["best", "near", "far"],
    matrix: [[1, ab, ac], [ab, 1, bc], [ac, bc, 1]],
  });
  const a = similarityFindings([m(0.9, 0.2, 0.5)]).text;
  assert(a.includes("most like best: near at 0.90; least: far at 0.20"), a);
  assert(a.includes("cannot tell apart (similarity 1): none."), a);
  const b = similarityFindings([m(0.1, 0.7, 1)]).text;
  assert(b.includes("most like best: far at 0.70; least: near at 0.10"), b);
  assert(b.includes("cannot tell apart (similarity 1): WL: near = far."), b);
});
