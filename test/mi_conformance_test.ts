// One conformance test for every registered MI estimator (scikit-learn's
// "common checks" style): determinism for a seed, finite estimates, and the
// published tolerances on tasks with known MI where the method is expected
// to work.
import { assert, assertEquals } from "./support/assert.ts";
import { setBackend } from "../lib/nets/backend.ts";
import {
  correlatedGaussian,
  type MITask,
  multinormalDense,
  multinormalSparse,
} from "../lib/mi/ground_truth.ts";
import {
  estimateMI,
  MI_METHODS,
  type MIMethod,
  NEURAL_METHODS,
} from "../lib/mi/estimate.ts";

await setBackend("wasm");

/** Small, fast settings for the checks that do not judge accuracy. */
const QUICK = { steps: 60, batchSize: 64, evalEvery: 0 };

function quickOptions(method: MIMethod) {
  return (NEURAL_METHODS as readonly MIMethod[]).includes(method)
    ? { method, ...QUICK }
    : method === "binning"
    ? { method, bins: 5 }
    : { method };
}

Deno.test("every estimator is deterministic for a seed and finite", async () => {
  const { x, y } = correlatedGaussian({ dim: 2, rho: 0.7 }).sample(400, {
    seed: 4,
  });
  for (const method of MI_METHODS) {
    const a = await estimateMI(x, y, quickOptions(method));
    const b = await estimateMI(x, y, quickOptions(method));
    assert(Number.isFinite(a.estimate), `${method}: ${a.estimate}`);
    assertEquals(a.estimate, b.estimate, `${method} is not deterministic`);
    assertEquals([a.method, a.n, a.dx, a.dy], [method, 400, 2, 2]);
  }
});

Deno.test("InfoNCE never exceeds ln(batch size)", async () => {
  // Near-deterministic dependence: true MI far above ln(16).
  const { x, y } = correlatedGaussian({ dim: 4, rho: 0.999 }).sample(2000, {
    seed: 5,
  });
  const r = await estimateMI(x, y, {
    method: "infonce",
    batchSize: 16,
    steps: 300,
    evalEvery: 0,
  });
  assert(r.estimate <= Math.log(16) + 1e-6, `held-out ${r.estimate} > ln 16`);
  assert(
    r.trace!.every((v) => v <= Math.log(16) + 1e-5),
    "a training bound exceeded ln 16",
  );
  assert(
    r.estimate > 1.5,
    `InfoNCE should approach ln 16 = 2.77 here, got ${r.estimate}`,
  );
});

function relErr(estimate: number, task: MITask): number {
  return Math.abs(estimate - task.mutualInformation) / task.mutualInformation;
}

Deno.test("KSG within 5% on 1-D and 2-D Gaussian tasks (n = 10,000)", async () => {
  for (
    const task of [
      correlatedGaussian({ dim: 1, rho: 0.5 }),
      correlatedGaussian({ dim: 1, rho: 0.9 }),
    ]
  ) {
    const { x, y } = task.sample(10_000, { seed: 6 });
    const r = await estimateMI(x, y, { method: "ksg" });
    assert(
      relErr(r.estimate, task) < 0.05,
      `${task.name}: ${r.estimate} vs ${task.mutualInformation}`,
    );
  }
  // 2-D: x and y each of dimension 2 (the "2-D Gaussian task").
  const task = correlatedGaussian({ dim: 2, rho: 0.6 });
  const { x, y } = task.sample(10_000, { seed: 7 });
  const r = await estimateMI(x, y, { method: "ksg" });
  assert(
    relErr(r.estimate, task) < 0.05,
    `${task.name}: ${r.estimate} vs ${task.mutualInformation}`,
  );
});

Deno.test("the Gaussian estimator is accurate on Gaussian tasks", async () => {
  for (
    const task of [
      correlatedGaussian({ dim: 5, rho: 0.5 }),
      multinormalDense({ dimX: 5, dimY: 5 }),
    ]
  ) {
    const { x, y } = task.sample(10_000, { seed: 8 });
    const r = await estimateMI(x, y, { method: "gaussian" });
    assert(
      relErr(r.estimate, task) < 0.05,
      `${task.name}: ${r.estimate} vs ${task.mutualInformation}`,
    );
  }
});

Deno.test("mine, nwj and smile within 10% on gaussian 5×5 rho 0.5 (0.719 nats, n = 10,000)", async () => {
  // The default seed and settings. These estimators sit 5-9% low here; at
  // other seeds they can fall to 15% low (bench/README.md has the spread).
  const task = correlatedGaussian({ dim: 5, rho: 0.5 });
  const { x, y } = task.sample(10_000, { seed: 0 });
  for (const method of ["mine", "nwj", "smile"] as const) {
    const r = await estimateMI(x, y, { method });
    assert(
      relErr(r.estimate, task) < 0.10,
      `${method}: ${r.estimate} vs ${task.mutualInformation}`,
    );
  }
});

Deno.test("every neural estimator within a factor 1.5 on dense 5×5 and 2-pair 5×5", async () => {
  for (
    const task of [
      multinormalDense({ dimX: 5, dimY: 5 }),
      multinormalSparse({ dimX: 5, dimY: 5 }),
    ]
  ) {
    const { x, y } = task.sample(10_000, { seed: 9 });
    for (const method of NEURAL_METHODS) {
      const r = await estimateMI(x, y, { method });
      const logRatio = Math.abs(Math.log(r.estimate / task.mutualInformation));
      assert(
        logRatio < Math.log(1.5),
        `${method} on ${task.name}: ${r.estimate} vs ${task.mutualInformation}`,
      );
    }
  }
});
