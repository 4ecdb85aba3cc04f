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

Deno.test("every method stays within its budget and trains something, charged in multiply-adds or seconds", async () => {
  for (const charge of ["macs", "seconds"] as const) {
    const settings = { ...RMI_SEARCH, charge };
    for (const method of RMI_SEARCH_METHODS) {
      for (const budget of [3, 10]) {
        const { evaluator, trained } = charge === "macs"
          ? synthetic(1)
          : timedSynthetic();
        const run = await searchAtEqualCompute(
          method,
          budget,
          1,
          evaluator,
          settings,
        );
        const what = `${charge}, ${method}, budget ${budget}`;
        assert(run.spent <= budget + 1e-9, `${what}: spent ${run.spent}`);
        assert(run.trained >= 1, `${what}: trained nothing`);
        // In seconds, the evaluation that ran past the budget is not counted.
        assert(trained.length >= run.trained, what);
        assertEquals(run.scored > 0, method === "bore-rmi", what);
      }
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

/** The synthetic evaluator, with seconds: training costs the filter sum / 48. */
function timedSynthetic() {
  const { evaluator, trained, scored } = synthetic(1);
  const sum = (f: readonly number[]) => f.reduce((a, b) => a + b, 0);
  const timed: RmiSearchEvaluator = {
    ...evaluator,
    seconds: (kind, f) => (kind === "training" ? 1 : 0.25) * sum(f) / 48,
    referenceSeconds: { training: 1, rmi: 0.25 },
  };
  return { evaluator: timed, trained, scored };
}

Deno.test("charged in seconds: an evaluation ending past the budget does not count", async () => {
  // Every configuration of 12 filters costs exactly one reference training.
  const settings = {
    ...RMI_SEARCH,
    filters: [12],
    charge: "seconds" as const,
  };
  const { evaluator, trained } = timedSynthetic();
  const run = await searchAtEqualCompute(
    "random",
    2.5,
    0,
    evaluator,
    settings,
  );
  // One configuration exists: trained once (1 of 2.5), then looked up free.
  assertEquals(run.trained, 1);
  assertEquals(trained.length, 1);
  const wide = { ...settings, filters: [12, 24] };
  const t = timedSynthetic();
  const r = await searchAtEqualCompute("random", 2.5, 0, t.evaluator, wide);
  assert(r.spent <= 2.5 + 1e-9, `spent ${r.spent}`);
  // Costs are 1 to 2 each: at most two fit, and a third one ran but was dropped.
  assert(r.trained <= 2, `trained ${r.trained}`);
  assert(t.trained.length === r.trained + 1, `${t.trained.length} ran`);
});

Deno.test("charged in seconds: an evaluator without a clock is refused by name", async () => {
  const { evaluator } = synthetic(1);
  const settings = { ...RMI_SEARCH, charge: "seconds" as const };
  let message = "";
  try {
    await searchAtEqualCompute("random", 4, 0, evaluator, settings);
  } catch (e) {
    message = (e as Error).message;
  }
  assert(
    message.includes('charge "seconds"') && message.includes("macs"),
    message,
  );
});

Deno.test({
  name: "the real evaluator times its reference and each evaluation",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const settings = { ...RMI_SEARCH_QUICK, charge: "seconds" as const };
    const evaluator = await cnnSearchEvaluator(settings);
    try {
      const ref = evaluator.referenceSeconds!;
      assert(ref.training > 0 && ref.rmi > 0, JSON.stringify(ref));
      assertEquals(
        evaluator.seconds!("training", [12, 12, 12, 12]),
        ref.training,
      );
      let message = "";
      try {
        evaluator.seconds!("rmi", [8, 8, 8, 8]);
      } catch (e) {
        message = (e as Error).message;
      }
      assert(message.includes("no rmi of 8-8-8-8 measured"), message);
      await evaluator.rmi([8, 8, 8, 8]);
      assert(evaluator.seconds!("rmi", [8, 8, 8, 8]) > 0);
      const run = await searchAtEqualCompute(
        "bore-rmi",
        4,
        0,
        evaluator,
        settings,
      );
      assert(run.spent <= 4 + 1e-9 && run.scored >= 1, JSON.stringify(run));
    } finally {
      evaluator.dispose();
    }
  },
});
