// One conformance test for every registered MI estimator (scikit-learn's
// "common checks" style): checkMIEstimator (lib/testing, what third parties
// run on their own estimators) holds each one to determinism for a seed,
// finite estimates, refusing bad input, the published tolerances on tasks
// with known MI where the method is expected to work, and its declared
// ceiling (InfoNCE).
import { assertEquals } from "./support/assert.ts";
import { setBackend } from "../lib/nets/backend.ts";
import {
  correlatedGaussian,
  multinormalDense,
  multinormalSparse,
} from "../lib/mi/ground_truth.ts";
import {
  MI_METHODS,
  type MIMethod,
  NEURAL_METHODS,
} from "../lib/mi/estimate.ts";
import { overlappingClasses } from "./support/label_tasks.ts";
import {
  checkMIEstimator,
  type MIAccuracyCase,
  type MIEstimatorCheck,
} from "../lib/testing/mod.ts";

await setBackend("wasm");

/** Small, fast settings for the checks that do not judge accuracy. */
const QUICK = { steps: 60, batchSize: 64, evalEvery: 0 };

const NEURAL: readonly MIMethod[] = NEURAL_METHODS;

/** Estimators of I(X; label): their checks draw a discrete y. */
const LABEL: readonly string[] = ["mixed-ksg", "probe"];

function quickOptions(method: MIMethod) {
  return NEURAL.includes(method)
    ? QUICK
    : method === "binning"
    ? { bins: 5 }
    : {};
}

// The tolerances this project publishes, at n = 10,000 and default settings.
function accuracyCases(method: MIMethod): MIAccuracyCase[] {
  const n = 10_000;
  if (method === "mixed-ksg") {
    return [
      { task: overlappingClasses({ classes: 2, dim: 1 }), relativeError: 0.05 },
      { task: overlappingClasses({ classes: 5, dim: 2 }), relativeError: 0.10 },
    ].map((c) => ({ ...c, n, seed: 6 }));
  }
  if (method === "probe") {
    // A lower bound: at most the truth (up to noise) and not far below it.
    // The posterior here is a step function, which only the MLP can fit
    // (softmax regression reaches about 0.27 of the 0.35 nats).
    return [
      { task: overlappingClasses({ classes: 2, dim: 1 }), factor: 1.25 },
      { task: overlappingClasses({ classes: 5, dim: 2 }), factor: 1.25 },
    ].map((c) => ({
      ...c,
      n,
      seed: 6,
      options: { classifier: "mlp" as const },
    }));
  }
  if (method === "ksg") {
    // 1-D, and x and y each of dimension 2 (the "2-D Gaussian task").
    return [
      { task: correlatedGaussian({ dim: 1, rho: 0.5 }), seed: 6 },
      { task: correlatedGaussian({ dim: 1, rho: 0.9 }), seed: 6 },
      { task: correlatedGaussian({ dim: 2, rho: 0.6 }), seed: 7 },
    ].map((c) => ({ ...c, n, relativeError: 0.05 }));
  }
  if (method === "gaussian") {
    return [
      correlatedGaussian({ dim: 5, rho: 0.5 }),
      multinormalDense({ dimX: 5, dimY: 5 }),
    ].map((task) => ({ task, n, seed: 8, relativeError: 0.05 }));
  }
  if (!NEURAL.includes(method)) return [];
  // mine, nwj and smile within 10% on gaussian 5×5 rho 0.5 (0.719 nats) at
  // the default seed and settings: they sit 5-9% low here; at other seeds
  // they can fall to 15% low (bench/README.md has the spread). Every
  // neural estimator within a factor 1.5 on dense 5×5 and 2-pair 5×5.
  const tenPercent: MIAccuracyCase[] = ["mine", "nwj", "smile"].includes(method)
    ? [{
      task: correlatedGaussian({ dim: 5, rho: 0.5 }),
      n,
      seed: 0,
      relativeError: 0.10,
    }]
    : [];
  return [
    ...tenPercent,
    ...[
      multinormalDense({ dimX: 5, dimY: 5 }),
      multinormalSparse({ dimX: 5, dimY: 5 }),
    ].map((task) => ({ task, n, seed: 9, factor: 1.5 })),
  ];
}

for (const method of MI_METHODS) {
  const quick: MIEstimatorCheck[] = [
    "finite",
    "deterministic",
    "rejects-bad-input",
  ];
  Deno.test(`${method}: finite, deterministic for a seed, refuses bad input`, async () => {
    const passed = await checkMIEstimator(method, {
      checks: quick,
      options: quickOptions(method),
      ...(LABEL.includes(method)
        ? { sample: overlappingClasses({ classes: 3, dim: 2 }) }
        : {}),
    });
    assertEquals(passed, quick);
  });
  const cases = accuracyCases(method);
  if (cases.length > 0) {
    Deno.test(`${method}: within the published tolerance on known-truth tasks (n = 10,000)`, async () => {
      await checkMIEstimator(method, {
        checks: ["accuracy"],
        accuracy: cases,
      });
    });
  }
}

Deno.test("InfoNCE never exceeds ln(batch size)", async () => {
  // Near-deterministic dependence: true MI far above ln(16); the estimate
  // should still approach ln 16 = 2.77 (above 1.5).
  await checkMIEstimator("infonce", {
    checks: ["ceiling"],
    ceiling: {
      options: { batchSize: 16, steps: 300, evalEvery: 0 },
      reach: 1.5 / Math.log(16),
    },
  });
});
