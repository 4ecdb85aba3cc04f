/**
 * bore-rmi against random search and regularized evolution at equal compute
 * on the CNN space (studies/predictors/rmi_search.ts): the budget
 * accounting, bore-rmi's training order, and a quick real run.
 */
import { assert, assertEquals } from "./support/assert.ts";
import {
  cnnSearchEvaluator,
  referenceMacs,
  RMI_SEARCH,
  RMI_SEARCH_METHODS,
  RMI_SEARCH_QUICK,
  rmiMacs,
  type RmiSearchEvaluator,
  runRmiSearch,
  searchAtEqualCompute,
  trainingMacs,
} from "../studies/predictors/rmi_search.ts";
import { rmiSearchFindings } from "../studies/predictors/findings.ts";

/** Accuracy grows with the filter sum; RMI is its negation times `sign`. */
function synthetic(sign: 1 | -1) {
  const trained: string[] = [];
  const scored = new Map<string, number>();
  const sum = (f: readonly number[]) => f.reduce((a, b) => a + b, 0);
  const evaluator: RmiSearchEvaluator = {
    accuracy: (f) => {
      trained.push(f.join("-"));
      return Promise.resolve(sum(f) / 100);
    },
    rmi: (f) => {
      scored.set(f.join("-"), -sign * sum(f));
      return Promise.resolve(-sign * sum(f));
    },
  };
  return { evaluator, trained, scored };
}

Deno.test("every method stays within its budget and trains something", async () => {
  const settings = { ...RMI_SEARCH, filters: [4, 8, 12, 16, 20, 24] };
  for (const method of RMI_SEARCH_METHODS) {
    for (const budget of [3, 10]) {
      const { evaluator } = synthetic(1);
      const run = await searchAtEqualCompute(
        method,
        budget,
        1,
        evaluator,
        settings,
      );
      assert(run.spent <= budget + 1e-9, `${method} spent ${run.spent}`);
      assert(run.trained >= 1, `${method} trained nothing`);
      assertEquals(run.scored > 0, method === "bore-rmi");
    }
  }
});

Deno.test("bore-rmi trains what it scored, lowest RMI first", async () => {
  for (const sign of [1, -1] as const) {
    const { evaluator, trained, scored } = synthetic(sign);
    await searchAtEqualCompute("bore-rmi", 10, 0, evaluator, RMI_SEARCH);
    const byScore = [...scored.entries()].sort((a, b) => a[1] - b[1])
      .map(([k]) => k);
    assert(trained.length >= 1);
    assertEquals(trained, byScore.slice(0, trained.length));
  }
});

Deno.test("the cost model: RMI is linear in its steps, training in its epochs", () => {
  const f = [4, 12, 24, 8];
  assertEquals(
    rmiMacs(f, { ...RMI_SEARCH, rmiSteps: 20 }),
    2 * rmiMacs(f, { ...RMI_SEARCH, rmiSteps: 10 }),
  );
  assertEquals(
    trainingMacs(f, { ...RMI_SEARCH, epochs: 4 }),
    2 * trainingMacs(f, { ...RMI_SEARCH, epochs: 2 }),
  );
  assertEquals(
    trainingMacs([12, 12, 12, 12], RMI_SEARCH),
    referenceMacs(RMI_SEARCH),
  );
});

Deno.test("findings: bore-rmi's verdict follows the numbers, none with one seed", () => {
  const s = (
    method: "random" | "evolution" | "bore-rmi",
    mean: number,
    seeds = 3,
  ) => ({ method, budget: 8, mean, se: 0.002, seeds, trained: 5, scored: 0 });
  const close = rmiSearchFindings([
    s("random", 0.9),
    s("evolution", 0.9),
    s("bore-rmi", 0.901),
  ]).text;
  assert(close.includes("bore-rmi within 2 SE of the others"), close);
  const one = rmiSearchFindings([
    s("random", 0.9, 1),
    s("evolution", 0.9, 1),
    s("bore-rmi", 0.95, 1),
  ]).text;
  assert(one.includes("no verdict"), one);
  assert(one.includes("**bore-rmi**"), one);
});

Deno.test({
  name: "quick mode: the three searchers on real CNN trainings of the digits",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const evaluator = await cnnSearchEvaluator(RMI_SEARCH_QUICK);
    try {
      const runs = await runRmiSearch(RMI_SEARCH_QUICK, evaluator);
      assertEquals(runs.map((r) => r.method), [...RMI_SEARCH_METHODS]);
      for (const r of runs) {
        assert(r.best > 0 && r.best <= 1, `${r.method} best ${r.best}`);
        assert(r.spent <= r.budget + 1e-9);
      }
      // Memoised: asking again trains nothing and gives the same value.
      const before = evaluator.clock.trainings;
      const a = await evaluator.accuracy([4, 4, 4, 4]);
      const b = await evaluator.accuracy([4, 4, 4, 4]);
      assertEquals(a, b);
      assert(evaluator.clock.trainings <= before + 1);
      assert(evaluator.clock.rmiScores >= 1);
    } finally {
      evaluator.dispose();
    }
  },
});

Deno.test({
  name: "the kernel evaluator agrees with the tfjs one (accuracy, RMI score)",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tfjs = await cnnSearchEvaluator(RMI_SEARCH_QUICK);
    const kernel = await cnnSearchEvaluator({
      ...RMI_SEARCH_QUICK,
      trainer: "kernel",
    });
    try {
      for (const f of [[4, 8, 4, 8], [8, 8, 4, 4]]) {
        const [a, b] = [await tfjs.accuracy(f), await kernel.accuracy(f)];
        // One validation row whose top two logits nearly tie may flip.
        assert(Math.abs(a - b) <= 0.01, `${f}: accuracy ${a} vs ${b}`);
        const [r, s] = [await tfjs.rmi(f), await kernel.rmi(f)];
        assert(Math.abs(r - s) <= 1e-3 * Math.abs(r), `${f}: RMI ${r} vs ${s}`);
      }
    } finally {
      tfjs.dispose();
      kernel.dispose();
    }
  },
});

Deno.test("a budget larger than the whole space ends once the space is exhausted", async () => {
  // 2⁴ configurations of 4 and 8 filters cost far less than 1,000 reference trainings.
  const settings = { ...RMI_SEARCH, filters: [4, 8] };
  for (const method of RMI_SEARCH_METHODS) {
    const { evaluator } = synthetic(1);
    const run = await searchAtEqualCompute(
      method,
      1000,
      0,
      evaluator,
      settings,
    );
    assert(run.trained <= 16, `${method} trained ${run.trained}`);
    assert(run.spent < 1000);
  }
});
