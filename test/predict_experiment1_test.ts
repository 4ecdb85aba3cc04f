/**
 * Hyperband replay, the Hyperband posterior and experiment 1 on synthetic
 * sweeps whose answers are known.
 */
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertRejects,
} from "./support/assert.ts";
import { setBackend } from "../lib/nets/backend.ts";
import { Random } from "../lib/space/random.ts";
import {
  hyperbandPosterior,
  hyperbandSelect,
} from "../studies/predictors/hyperband_posterior.ts";
import {
  experiment1,
  summariseExperiment1,
  type SweepRow,
  type TaskInfo,
} from "../studies/predictors/posterior_prediction.ts";

await setBackend("wasm");

const OPTIONS = [10, 20, 30, 40, 50];

/** Li et al.'s brackets for R = 9, η = 3: 9, 5 and 3 architectures. */
function sweep(
  task: number,
  accuracy: (w: number[], r: Random) => number,
  widthChoices: readonly number[] = OPTIONS,
): SweepRow[] {
  const r = new Random(task, "synthetic sweep");
  const rows: SweepRow[] = [];
  for (const [bracket, n] of [[2, 9], [1, 5], [0, 3]]) {
    for (let slot = 0; slot < n; slot++) {
      const widths = Array.from({ length: 4 }, () => r.choice(widthChoices));
      const a = accuracy(widths, r);
      rows.push({
        task,
        bracket,
        slot,
        widths,
        accuracy: { 1: a - 0.2, 3: a - 0.1, 9: a },
        mi: { binning: widths.map((w) => w / 50 + task) },
      });
    }
  }
  return rows;
}

Deno.test("Hyperband replay keeps the best at each rung, and the posterior follows the selected widths", () => {
  const rows = sweep(0, (w) => w[0] / 100);
  const selected = hyperbandSelect(rows, 9, 3);
  // Bracket 2: 9 → 3 → 1; bracket 1: 5 → 1; bracket 0: 3 kept.
  assertEquals(selected.length, 1 + 1 + 3);
  const bracket2 = rows.filter((r) => r.bracket === 2);
  const best = Math.max(...bracket2.map((r) => r.accuracy[1]));
  assertEquals(selected[0].accuracy[1], best);
  const p = hyperbandPosterior(selected, 9, { options: OPTIONS, lambda: 0 });
  assertEquals(p.length, 4);
  for (const layer of p) {
    assertAlmostEquals(layer.reduce((a, b) => a + b, 0), 1, 1e-12);
  }
  // Accuracy grows with the first width, so the first layer's mass leans wide.
  const meanIndex = p[0].reduce((s, v, j) => s + v * j, 0);
  assert(meanIndex > 2, `mean option index ${meanIndex}`);
});

Deno.test("experiment 1: every method scored on held-out tasks over seeds; shared structure beats uniform", async () => {
  // Every task's good architectures are wide (40 or 50): a fitted Gaussian
  // and the MLP should beat uniform on held-out tasks.
  const rows = Array.from(
    { length: 8 },
    (_, t) => sweep(t, (_w, r) => 0.8 + 0.05 * r.normal(), [40, 50, 50]),
  ).flat();
  const tasks: TaskInfo[] = Array.from({ length: 8 }, (_, t) => ({
    index: t,
    name: `task ${t}`,
    heldOut: t % 4 === 3,
    meta: [t, 1, 2, 0.5],
  }));
  const { rows: result, example } = await experiment1(rows, tasks, {
    options: OPTIONS,
    maxBudget: 9,
    eta: 3,
    budgets: [1, 3, 9],
    features: ["mi-binning", "accuracy"],
    nearestBy: "binning",
    seeds: 2,
    epochCandidates: [50, 150],
    learningRate: 1e-2,
  });
  assertEquals(result.length, 2 * 5);
  // The example: truth and 5 methods × 4 layers × 5 options, each a distribution.
  assertEquals(example.length, 6 * 4 * 5);
  for (const m of new Set(example.map((e) => e.method))) {
    const layer1 = example.filter((e) => e.method === m && e.layer === 1);
    assertAlmostEquals(layer1.reduce((s, e) => s + e.probability, 0), 1, 1e-5);
  }
  assert(
    result.every((r) =>
      Number.isFinite(r.mse) && Number.isFinite(r.kl) && r.kl >= 0
    ),
  );
  const table = summariseExperiment1(result);
  const by = new Map(table.map((s) => [s.method, s]));
  assertEquals(by.get("uniform")!.seeds, 2);
  assertEquals(by.get("uniform")!.mseSE, 0); // no randomness in a constant prediction
  assert(
    by.get("gaussian")!.mse < by.get("uniform")!.mse,
    JSON.stringify(table),
  );
  assert(
    by.get("MLP + mi-binning")!.mse < by.get("uniform")!.mse,
    JSON.stringify(table),
  );
});

Deno.test("experiment 1: a computed feature set runs through the same path as a named one", async () => {
  const rows = Array.from(
    { length: 8 },
    (_, t) => sweep(t, (w, r) => 0.6 + w[0] / 200 + 0.02 * r.normal()),
  ).flat();
  const tasks: TaskInfo[] = Array.from({ length: 8 }, (_, t) => ({
    index: t,
    name: `task ${t}`,
    heldOut: t % 4 === 3,
    meta: [t, 1, 2, 0.5],
  }));
  const options = {
    options: OPTIONS,
    maxBudget: 9,
    eta: 3,
    budgets: [1, 3, 9],
    nearestBy: "binning",
    seeds: 2,
    epochCandidates: [20, 60],
    learningRate: 1e-2,
  };
  // The binned MI again, as a feature set the caller computes.
  const copy = { name: "binning again", of: (r: SweepRow) => r.mi.binning };
  const { rows: result, priors } = await experiment1(rows, tasks, {
    ...options,
    features: ["mi-binning", copy],
  });
  const of = (method: string) =>
    result.filter((r) => r.method === method).map((r) => [r.mse, r.kl]);
  assertEquals(of("MLP + binning again").length, 2);
  assertEquals(of("MLP + binning again"), of("MLP + mi-binning"));
  assertEquals(priors["MLP + binning again"], priors["MLP + mi-binning"]);
  // The control: no features, so no column to standardise.
  const control = await experiment1(rows, tasks, {
    ...options,
    seeds: 1,
    features: ["architecture only"],
  });
  const only = control.rows.filter((r) =>
    r.method === "MLP + architecture only"
  );
  assertEquals(only.length, 1);
  assert(
    Number.isFinite(only[0].mse) &&
      only[0].mse !== of("MLP + mi-binning")[0][0],
  );
  await assertRejects(
    () =>
      experiment1(rows, tasks, {
        ...options,
        features: ["accuracy", { name: "accuracy", of: () => [0] }],
      }),
    RangeError,
  );
});
