/**
 * Predictor metrics against scipy's values on data with ties, their errors,
 * and the public check on NASLib's zero-cost proxies (when the table is
 * beside the project).
 */
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertThrows,
} from "./support/assert.ts";
import {
  kendallTau,
  klDivergence,
  mse,
  pearson,
  precisionAtK,
  ranks,
  spearman,
} from "../lib/predict/metrics.ts";
import {
  loadZeroCost,
  proxyCorrelations,
} from "../studies/predictors/naslib_zero_cost.ts";
import { findZeroCostTable } from "../studies/shared_data.ts";

// Rounded normal samples (many ties); scipy 1.10: kendalltau (τ-b), spearmanr, pearsonr.
const A = [
  0.1,
  -0.1,
  0.6,
  0.1,
  -0.5,
  0.4,
  1.3,
  0.9,
  -0.7,
  -1.3,
  -0.6,
  0.0,
  -2.3,
  -0.2,
  -1.2,
  -0.7,
  -0.5,
  -0.3,
  0.4,
  1.0,
  -0.1,
  1.4,
  -0.7,
  0.4,
  0.9,
  0.1,
  -0.7,
  -0.9,
  -0.5,
  0.2,
  -1.0,
  -0.2,
  -0.2,
  0.5,
  0.2,
  0.4,
  -0.7,
  -0.1,
  0.8,
  1.5,
];
const B = [
  -1.2,
  1.4,
  1.9,
  0.9,
  -0.2,
  0.1,
  2.8,
  2.9,
  1.1,
  0.0,
  -0.2,
  -1.2,
  -2.3,
  0.5,
  -2.5,
  -0.3,
  -0.1,
  0.4,
  -0.8,
  0.3,
  -0.5,
  0.2,
  1.0,
  -0.1,
  1.2,
  -0.2,
  0.9,
  0.4,
  0.1,
  -2.0,
  -0.9,
  0.5,
  0.8,
  -0.1,
  2.0,
  -0.9,
  -1.4,
  0.8,
  0.8,
  3.5,
];

Deno.test("rank metrics equal scipy's on tied data", () => {
  assertAlmostEquals(kendallTau(A, B), 0.29044327927315783, 1e-12);
  assertAlmostEquals(spearman(A, B), 0.3769647116441021, 1e-12);
  assertAlmostEquals(pearson(A, B), 0.5486816741724353, 1e-12);
  assertEquals(ranks([3, 1, 3, 2]), [3.5, 1, 3.5, 2]);
  assertEquals(kendallTau([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  assert(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])), "constant side: NaN");
});

Deno.test("errors and precision@k", () => {
  assertAlmostEquals(
    mse([[0.2, 0.8], [0.5, 0.5]], [[0, 1], [0.5, 0.5]]),
    0.02,
    1e-15,
  );
  assertAlmostEquals(
    klDivergence([0.2, 0.8], [0.5, 0.5]),
    0.2 * Math.log(0.4) + 0.8 * Math.log(1.6),
    1e-9,
  );
  assert(
    Number.isFinite(klDivergence([0.5, 0.5], [1, 0])),
    "a zero in q stays finite",
  );
  assertEquals(precisionAtK([5, 4, 3, 2, 1], [5, 4, 3, 2, 1], 3), 1);
  assertEquals(precisionAtK([5, 4, 3, 2, 1], [1, 2, 3, 4, 5], 2), 0);
  assertThrows(() => kendallTau([1, 2], [1]), /paired values: got 2 and 1/);
  assertThrows(() => spearman([1, NaN], [1, 2]), /holds NaN at 1/);
  assertThrows(
    () => precisionAtK([1, 2], [1, 2], 3),
    /k must be an integer in 1..2/,
  );
  assertThrows(() => mse([1], [1, 2]), /1 predictions for 2 truths/);
  assertThrows(() => klDivergence([1, -1], [1, 1]), /non-negative/);
});

const table = await findZeroCostTable();

Deno.test({
  name: "Kendall τ of zero-cost proxies on NAS-Bench-201 CIFAR-10 as published",
  ignore: table === null,
  fn: async () => {
    const rows = await loadZeroCost(table!);
    assertEquals(rows.filter((r) => r.dataset === "cifar10").length, 491);
    const tau = new Map(
      proxyCorrelations(rows).filter((c) => c.dataset === "cifar10").map((
        c,
      ) => [c.proxy, c.kendall]),
    );
    // The figures (NASLib): synflow about 0.54, jacov 0.57, params 0.52, flops 0.48.
    for (
      const [proxy, published] of [["synflow", 0.54], ["jacov", 0.57], [
        "params",
        0.52,
      ], ["flops", 0.48]] as const
    ) {
      assertAlmostEquals(tau.get(proxy)!, published, 0.01);
    }
    // The done-when figures, to their published 4 decimals (scipy's
    // kendalltau on the same columns gives the same): rounding, not a
    // tolerance, so a drift of half a unit in the 4th decimal fails.
    assertEquals(tau.get("synflow")!.toFixed(4), "0.5445");
    assertEquals(tau.get("jacov")!.toFixed(4), "0.5692");
  },
});

if (table === null) {
  console.log(
    "naslib-zc-nasbench201.json not found beside the project: the zero-cost check is skipped",
  );
}
