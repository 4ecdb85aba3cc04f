/**
 * Experiment 2 on synthetic tasks where the right prior is learnable from
 * the features: the controller must beat a uniform prior on held-out tasks.
 */
import { assert, assertEquals } from "./support/assert.ts";
import { Random } from "../lib/space/random.ts";
import {
  type ControllerTask,
  experiment2,
  hyperbandWithPrior,
} from "../studies/predictors/prior_controller.ts";

const OPTIONS = [10, 20, 30, 40, 50];

/** Tasks whose feature (+1 or −1) says whether wide or narrow layers score well. */
function tasks(): ControllerTask[] {
  const r = new Random(0, "synthetic controller tasks");
  return Array.from({ length: 12 }, (_, t) => {
    const sign = t % 2 === 0 ? 1 : -1;
    const archs = [];
    let slot = 0;
    // Every width combination on a coarse grid, so the surrogate is exact.
    for (const w1 of OPTIONS) {
      for (const w2 of OPTIONS) {
        const mean = (w1 + w2) / 2;
        const acc = 0.5 + 0.4 * sign * (mean - 30) / 20 + 0.01 * r.normal();
        archs.push({
          task: t,
          bracket: 0,
          slot: slot++,
          widths: [w1, w2],
          accuracy: { 1: acc, 3: acc, 9: acc },
        });
      }
    }
    return { index: t, heldOut: t >= 8, features: [sign], archs };
  });
}

Deno.test("hyperbandWithPrior draws every bracket's architectures from the prior", () => {
  const t = tasks()[0];
  const onlyWide = [[0, 0, 0, 0, 1], [0, 0, 0, 0, 1]];
  const run = hyperbandWithPrior(t.archs, onlyWide, {
    options: OPTIONS,
    maxBudget: 9,
    eta: 3,
  }, new Random(1));
  assertEquals(run.drawn.length, 9 + 5 + 3);
  assert(run.drawn.every((d) => d[0] === 4 && d[1] === 4));
});

Deno.test("the controller learns a prior that beats uniform on held-out tasks", () => {
  const curvePoints: number[] = [];
  const { curve, scores } = experiment2(tasks(), {
    options: OPTIONS,
    maxBudget: 9,
    eta: 3,
    episodes: 1500,
    evaluationRuns: 100,
    lambda: 0,
    onProgress: (_, m) => curvePoints.push(m),
  }, {
    "always narrow": () => [[1, 0, 0, 0, 0], [1, 0, 0, 0, 0]],
  });
  assertEquals(curve.length, 15);
  assertEquals(curvePoints.length, 15);
  const by = new Map(scores.map((s) => [s.prior, s]));
  const controller = by.get("controller")!, uniform = by.get("uniform")!;
  assertEquals(uniform.runs, 4 * 100);
  assert(
    controller.mean > uniform.mean + 2 * Math.hypot(controller.se, uniform.se),
    JSON.stringify(scores),
  );
  // A fixed prior that is right on half the tasks and wrong on the others.
  assert(
    by.get("always narrow")!.mean < controller.mean,
    JSON.stringify(scores),
  );
});
