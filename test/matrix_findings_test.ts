// Notebook 07's findings: each sentence is computed from the matrix rows, so
// these tests move the numbers across a finding and check the words follow.
import { assert, assertEquals, assertThrows } from "./support/assert.ts";
import type { MatrixRow } from "../lib/search/matrix.ts";
import {
  autoFindings,
  autoRuleCheck,
  autoRuleFindings,
  matrixWinners,
  overallRanks,
  rankHeatmapData,
  readingFindings,
  readSearchMatrix,
} from "../studies/search/matrix_findings.ts";
import { rankHeatmap } from "../lib/viz/matrix_charts.ts";
import { matrixConditions } from "../lib/search/matrix_conditions.ts";

/** Two seeds per cell: regret ± spread, so each cell has a standard error. */
function cell(
  condition: string,
  group: string,
  method: string,
  budget: number,
  regret: number,
  spread = 0.01,
): MatrixRow[] {
  return [0, 1].map((seed) => ({
    condition,
    group,
    method,
    budget,
    seed,
    best: regret + (seed ? spread : -spread),
    regret: regret + (seed ? spread : -spread),
  }));
}

Deno.test("BOHB's claim flips with BOHB's regret against the first method", () => {
  const rows = (bohb: number) => [
    ...cell("mf", "multi-fidelity", "bohb", 20, bohb),
    ...cell("mf", "multi-fidelity", "gp-ei", 20, 0.5),
    ...cell("mf", "multi-fidelity", "random", 20, 1),
    // Peers and auto never take first place in the reading.
    ...cell("mf", "multi-fidelity", "optuna-tpe", 20, 0.01),
    ...cell("mf", "multi-fidelity", "auto", 20, 0.01),
  ];
  const wins = readingFindings(rows(0.2)).text;
  assert(
    wins.includes(
      "**BOHB when several fidelities can be evaluated** holds: confirmed in 1 of 1",
    ),
    wins,
  );
  assert(wins.includes("mf: at 20 confirmed (bohb 0.20)"), wins);
  const close = readingFindings(rows(0.52)).text;
  assert(
    close.includes(
      "holds: confirmed in 0 of 1 cells, not contradicted (within 2 SE) in 1",
    ),
    close,
  );
  const loses = readingFindings(rows(0.9)).text;
  assert(loses.includes("is corrected: confirmed in 0 of 1"), loses);
  assert(
    loses.includes(
      "at 20 corrected: gp-ei first (0.50 ± 0.010), bohb 0.90 ± 0.010",
    ),
    loses,
  );
});

Deno.test("the GP claim reads only tight budgets, and the conditional claim any of its methods", () => {
  const rows = [
    ...cell("branin", "small-continuous", "gp-ei", 20, 0.1),
    ...cell("branin", "small-continuous", "tpe", 20, 0.5),
    ...cell("branin", "small-continuous", "gp-ei", 100, 0.9),
    ...cell("branin", "small-continuous", "tpe", 100, 0.1),
    ...cell("cond", "conditional", "rf-smbo", 20, 0.3),
    ...cell("cond", "conditional", "gp-ei", 20, 0.1),
    ...cell("cond", "conditional", "tpe-multivariate", 50, 0.05),
    ...cell("cond", "conditional", "gp-ei", 50, 0.2),
  ];
  const text = readingFindings(rows).text;
  // Budget 100 is not a tight budget: only budget 20 is judged.
  assert(
    text.includes(
      "**GP-based BO for small continuous spaces and tight budgets** holds: confirmed in 1 of 1",
    ),
    text,
  );
  assert(
    text.includes(
      "holds in part: confirmed in 1 of 2 cells, not contradicted (within 2 SE) in 0, corrected in 1",
    ),
    text,
  );
  assert(text.includes("cond: at 20 corrected: gp-ei first"), text);
  // Cells where the named method did not run do not test the claim.
  const untested = readingFindings([
    ...cell("branin", "small-continuous", "tpe", 20, 0.5),
    ...cell("branin", "small-continuous", "random", 20, 0.9),
  ]).text;
  assert(
    untested.includes("not tested here: gp-ei did not run on branin."),
    untested,
  );
  // Without rows for a claim, it says so.
  const none = readingFindings(cell("x", "noisy", "tpe", 10, 1)).text;
  assert(none.includes("no condition of the table tests it"), none);
});

Deno.test("winners, heatmap data and overall ranks follow the regrets", () => {
  const rows = (gp: number) => [
    ...cell("a", "g", "gp-ei", 10, gp),
    ...cell("a", "g", "tpe", 10, 0.5),
    ...cell("a", "g", "optuna-tpe", 10, 0.01),
  ];
  const [w] = matrixWinners(rows(0.1));
  assertEquals([w.method, w.second?.method], ["gp-ei", "tpe"]);
  assertEquals(matrixWinners(rows(0.9))[0].method, "tpe");
  // Every method, peers included, with a peer as the winner.
  assertEquals(matrixWinners(rows(0.9), () => true)[0].method, "optuna-tpe");
  const heat = rankHeatmapData(rows(0.1));
  assertEquals(heat.find((c) => c.method === "tpe")!.rank, 1);
  assertEquals(overallRanks(rows(0.1)).map((o) => o.method), [
    "optuna-tpe",
    "gp-ei",
    "tpe",
  ]);
});

Deno.test("auto's findings flip with its rank and with random search", () => {
  const rows = (auto: number) => [
    ...cell("a", "g", "auto", 10, auto),
    ...cell("a", "g", "random", 10, 1),
    ...cell("a", "g", "tpe", 10, 0.5),
  ];
  const good = autoFindings(rows(0.1)).text;
  assert(
    good.includes(
      "ahead of every method that ran on as many (best of them: tpe 0.500)",
    ),
    good,
  );
  assert(good.includes("In no cell does `auto` end worse than random"), good);
  const bad = autoFindings(rows(2)).text;
  assert(
    bad.includes("is behind tpe (0.000), random (0.500): the target"),
    bad,
  );
  assert(
    bad.includes(
      "worse than random search by more than 2 SE in 1 cell(s): a at 10 (2.0 against 1.0)",
    ),
    bad,
  );
  assert(autoFindings(cell("a", "g", "tpe", 10, 1)).text.includes("no rows"));
});

Deno.test("the rank heatmap orders methods by mean rank and refuses ranks outside [0, 1]", () => {
  const chart = rankHeatmap([
    { condition: "a", method: "x", rank: 1 },
    { condition: "a", method: "y", rank: 0 },
    { condition: "b", method: "x", rank: 0.5 },
    { condition: "b", method: "y", rank: 0.25 },
  ], { conditions: ["b", "a"] });
  const [rect, text] = chart.spec.layer as {
    encoding: Record<string, { sort?: string[]; scale?: { domain: number[] } }>;
  }[];
  assertEquals(rect.encoding.x.sort, ["y", "x"]);
  assertEquals(rect.encoding.y.sort, ["b", "a"]);
  assertEquals(rect.encoding.color.scale!.domain, [0, 1]);
  assert(text.encoding.text !== undefined);
  assertThrows(
    () => rankHeatmap([{ condition: "a", method: "x", rank: 1.5 }]),
    RangeError,
  );
});

Deno.test("the shipped table reads back: every group, ranks in [0, 1]", async () => {
  const rows = await readSearchMatrix();
  const groups = new Set(rows.map((r) => r.group));
  for (
    const g of [
      "small-continuous",
      "large-continuous",
      "conditional",
      "multi-fidelity",
      "noisy",
    ]
  ) assert(groups.has(g), g);
  for (const c of rankHeatmapData(rows)) assert(c.rank >= 0 && c.rank <= 1);
  assert(rows.some((r) => r.method === "auto"));
});

Deno.test("auto's rule check flips with the table's best method per rule and budget", async () => {
  const conditions = await matrixConditions({
    only: ["branin", "levy-10d", "hartmann6-noisy"],
  });
  const rows = (gpOnLevy: number) => [
    ...cell("branin", "small-continuous", "tpe-multivariate", 50, 0.1),
    ...cell("branin", "small-continuous", "gp-ei", 50, 0.2),
    ...cell("hartmann6-noisy", "noisy", "tpe-multivariate", 50, 0.3),
    ...cell("hartmann6-noisy", "noisy", "gp-ei", 50, 0.9),
    ...cell("levy-10d", "large-continuous", "gp-ei", 50, gpOnLevy),
    ...cell("levy-10d", "large-continuous", "tpe", 50, 5),
    ...cell("levy-10d", "large-continuous", "evolution", 20, 9),
    ...cell("levy-10d", "large-continuous", "tpe", 20, 7),
    // Peers and auto are not candidates.
    ...cell("levy-10d", "large-continuous", "optuna-tpe", 50, 0.01),
  ];
  const agree = autoRuleCheck(rows(1), conditions);
  // The noisy Hartmann-6 falls under the small numeric rule with Branin.
  const small = agree.find((c) => c.rule === "numeric-small")!;
  assertEquals(small.conditions.sort(), ["branin", "hartmann6-noisy"]);
  assertEquals([small.chosen, small.best, small.chosenRank], [
    "tpe-multivariate",
    "tpe-multivariate",
    0,
  ]);
  const large = agree.find((c) => c.rule === "numeric-large")!;
  assertEquals([large.best, large.budget], ["gp-ei", 50]);
  const tight = agree.find((c) => c.rule === "numeric-large-tight")!;
  assertEquals([tight.chosen, tight.best, tight.chosenRank], [
    "evolution",
    "tpe",
    1,
  ]);
  const text = autoRuleFindings(agree).text;
  assert(text.includes("in 2 of 3 rule × budget groups"), text);
  assert(
    text.includes(
      "numeric-large-tight at 20: auto runs evolution (1.00), the table's best is tpe (0.00) over levy-10d.",
    ),
    text,
  );
  // GP-EI losing on Levy at 50 flips the large rule too.
  const flipped = autoRuleFindings(autoRuleCheck(rows(10), conditions)).text;
  assert(flipped.includes("in 1 of 3 rule × budget groups"), flipped);
  assert(flipped.includes("numeric-large at 50: auto runs gp-ei (1.00)"));
});

Deno.test("auto's rule check judges a switching rule by auto's own cells", async () => {
  const conditions = await matrixConditions({ only: ["branin"] });
  const rows = [
    ...cell("branin", "small-continuous", "tpe-multivariate", 100, 0.3),
    ...cell("branin", "small-continuous", "gp-ei", 100, 0.2),
    ...cell("branin", "small-continuous", "auto", 100, 0.1),
  ];
  const [check] = autoRuleCheck(rows, conditions);
  assertEquals(check.rule, "numeric-small");
  assertEquals(check.chosen, "tpe-multivariate → gp-ei");
  // auto first of three (0), GP-EI the best single method (0.5).
  assertEquals([check.chosenRank, check.best, check.bestRank], [
    0,
    "gp-ei",
    0.5,
  ]);
  // Without auto's rows the switch has no cells of its own.
  const [none] = autoRuleCheck(
    rows.filter((r) => r.method !== "auto"),
    conditions,
  );
  assertEquals([none.chosenRank, none.best, none.bestRank], [null, "gp-ei", 0]);
});
