import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertRejects,
} from "./support/assert.ts";
import { setBackend, tf } from "../lib/nets/backend.ts";
import { correlatedGaussian } from "../lib/mi/ground_truth.ts";
import {
  estimateMI,
  MI_METHODS,
  type MIMethod,
  type MIOptions,
  NEURAL_METHODS,
  toBits,
} from "../lib/mi/estimate.ts";
import { MIError } from "../lib/mi/input.ts";
import { dimensionSweep } from "../lib/mi/compare.ts";

await setBackend("wasm");

Deno.test("bad input gets errors that name the problem", async () => {
  const x = [[1], [2], [3]];
  await assertRejects(
    () => estimateMI(x, [[1], [2]], { method: "ksg" }),
    /x has 3 rows but y has 2/,
  );
  await assertRejects(
    () => estimateMI([[1]], [[2]], { method: "gaussian" }),
    /at least 2 samples/,
  );
  await assertRejects(
    () => estimateMI([], [], { method: "ksg" }),
    /x is empty/,
  );
  await assertRejects(
    () => estimateMI([[1], [NaN], [3]], x, { method: "ksg" }),
    /x\[1\]\[0\] is NaN/,
  );
  await assertRejects(
    () => estimateMI(x, [[1], [2], [Infinity]], { method: "ksg" }),
    /y\[2\]\[0\] is Infinity/,
  );
  await assertRejects(
    () => estimateMI([[1, 2], [3]], [[1], [2]], { method: "ksg" }),
    /row 1 has 1 values, but row 0 has 2/,
  );
  await assertRejects(
    () => estimateMI(x, x, { method: "mutual" as MIMethod }),
    /unknown method "mutual"; choose one of mine, mine-biased/,
  );
  await assertRejects(
    // @ts-expect-error bins do not apply to ksg: a type error as well
    () => estimateMI(x, x, { method: "ksg", bins: 4 }),
    /option "bins" does not apply to method "ksg"; it takes: k, seed/,
  );
  await assertRejects(
    () => estimateMI(x, x, { method: "ksg", k: 5 }),
    /more samples than neighbours/,
  );
  await assertRejects(
    () => estimateMI(x, x, { method: "binning", bins: 1 }),
    /bins must be an integer >= 2/,
  );
  await assertRejects(
    () => estimateMI(x, x, { method: "mine", steps: 0 }),
    /steps must be a positive integer/,
  );
  await assertRejects(
    () => estimateMI(x, x, { method: "mine", testFraction: 1 }),
    /testFraction must be in \(0, 1\)/,
  );
  await assertRejects(
    () =>
      estimateMI({ data: [1, 2, 3], rows: 2, cols: 2 }, x, { method: "ksg" }),
    /data has 3 values, but rows × cols = 4/,
  );
});

Deno.test("an option that does not apply is a type error and a run-time error", async () => {
  const x = [[1], [2], [3], [4], [5]];
  const wrong = [
    // @ts-expect-error steps are a neural option
    () => estimateMI(x, x, { method: "ksg", steps: 10 }),
    // @ts-expect-error emaAlpha is MINE's alone
    () => estimateMI(x, x, { method: "nwj", emaAlpha: 0.1 }),
    // @ts-expect-error clip is SMILE's alone
    () => estimateMI(x, x, { method: "mine", clip: 3 }),
    // @ts-expect-error gaussian takes no options
    () => estimateMI(x, x, { method: "gaussian", k: 3 }),
    // @ts-expect-error bins are binning's
    () => estimateMI(x, x, { method: "infonce", bins: 3 }),
    // @ts-expect-error a misspelt method
    () => estimateMI(x, x, { method: "kgs" }),
  ];
  const messages = [
    /option "steps" does not apply to method "ksg"; it takes: k, seed/,
    /option "emaAlpha" does not apply to method "nwj"; it takes: critic, /,
    /option "clip" does not apply to method "mine"; it takes: .*emaAlpha$/,
    /option "k" does not apply to method "gaussian" \(it takes no options\)/,
    /option "bins" does not apply to method "infonce"/,
    /unknown method "kgs"; choose one of mine, /,
  ];
  for (const [i, call] of wrong.entries()) {
    await assertRejects(call, MIError);
    await assertRejects(call, messages[i]);
  }
  // Each method's own options type-check.
  const right: MIOptions[] = [
    { method: "mine", emaAlpha: 0.1, steps: 10 },
    { method: "smile", clip: 3 },
    { method: "ksg", k: 5, seed: 1 },
    { method: "binning", bins: 4, range: [0, 1] },
    { method: "gaussian" },
  ];
  assertEquals(right.length, 5);
});

Deno.test("constant columns: KSG copes through its noise, Gaussian drops them", async () => {
  const { x, y } = correlatedGaussian({ dim: 1, rho: 0.8 }).sample(500, {
    seed: 1,
  });
  const xc = x.map((r) => [r[0], 5]);
  const k = await estimateMI(xc, y, { method: "ksg" });
  const g = await estimateMI(xc, y, { method: "gaussian" });
  const g1 = await estimateMI(x, y, { method: "gaussian" });
  assert(Number.isFinite(k.estimate) && k.estimate > 0.2, String(k.estimate));
  assertAlmostEquals(g.estimate, g1.estimate, 1e-12);
  assertEquals(
    (await estimateMI(x.map(() => [1]), y, { method: "gaussian" })).estimate,
    0,
  );
});

Deno.test("inputs: number[] for 1-D and typed arrays with a shape", async () => {
  const { x, y } = correlatedGaussian({ dim: 1, rho: 0.6 }).sample(300, {
    seed: 2,
  });
  const a = await estimateMI(x, y, { method: "ksg" });
  const b = await estimateMI(x.map((r) => r[0]), y.map((r) => r[0]), {
    method: "ksg",
  });
  const c = await estimateMI(
    { data: Float32Array.from(x.flat()), rows: 300, cols: 1 },
    { data: Float64Array.from(y.flat()), rows: 300, cols: 1 },
    { method: "ksg" },
  );
  assertEquals(a.estimate, b.estimate);
  assertAlmostEquals(a.estimate, c.estimate, 1e-6);
  assertEquals([a.n, a.dx, a.dy], [300, 1, 1]);
  assertAlmostEquals(toBits(a), a.estimate / Math.LN2, 1e-15);
});

Deno.test("neural estimates report trace, steps and time, and call onStep", async () => {
  const { x, y } = correlatedGaussian({ dim: 2, rho: 0.5 }).sample(600, {
    seed: 3,
  });
  let calls = 0;
  const r = await estimateMI(x, y, {
    method: "mine",
    steps: 150,
    evalEvery: 0,
    onStep: () => calls++,
  });
  assertEquals(r.steps, 150);
  assertEquals(r.trace!.length, 150);
  assertEquals(calls, 150);
  assert(r.seconds > 0 && Number.isFinite(r.trainEstimate!));
  assertEquals(MI_METHODS.length, 11);
});

Deno.test("neural estimators leave no tensors behind, with either critic", async () => {
  const { x, y } = correlatedGaussian({ dim: 2, rho: 0.5 }).sample(400, {
    seed: 0,
  });
  for (const method of NEURAL_METHODS) {
    for (const critic of ["concat", "separable"] as const) {
      const before = tf.memory().numTensors;
      await estimateMI(x, y, { method, critic, steps: 30, evalEvery: 10 });
      assertEquals(tf.memory().numTensors, before, `${method}, ${critic}`);
    }
  }
});

Deno.test("dimensionSweep counts progress over the whole sweep", async () => {
  const seen: [number, number][] = [];
  await dimensionSweep({
    dims: [1, 2],
    mutualInformation: 0.5,
    estimators: ["gaussian", "ksg"],
    n: 200,
    onRow: (_row, done, total) => seen.push([done, total]),
  });
  assertEquals(seen, [[1, 4], [2, 4], [3, 4], [4, 4]]);
});
