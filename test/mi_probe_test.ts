// The probe (Barber-Agakov) bound: a lower bound of I(X; Y) that reaches
// H(Y) when the classes separate, is near 0 when X says nothing of Y, and
// never stops later than its patience allows.
import { assert } from "./support/assert.ts";
import { overlappingClasses } from "./support/label_tasks.ts";
import { estimateMI } from "../lib/mi/estimate.ts";
import { Random } from "../lib/space/random.ts";

Deno.test("probe: under the truth by at most noise, for both classifiers", async () => {
  const task = overlappingClasses({ classes: 3, dim: 2 });
  const { x, y } = task.sample(4000, { seed: 1 });
  for (const classifier of ["linear", "mlp"] as const) {
    const r = await estimateMI(x, y, { method: "probe", classifier });
    assert(r.standardError! > 0, "a standard error");
    assert(
      r.estimate <= task.mutualInformation + 3 * r.standardError!,
      `${classifier}: ${r.estimate} above the truth ${task.mutualInformation}`,
    );
    assert(
      r.estimate > 0.5 * task.mutualInformation,
      `${classifier}: ${r.estimate}`,
    );
  }
});

Deno.test("probe: near 0 for independent X and Y, near H(Y) when separable", async () => {
  const r = new Random(3);
  const n = 3000;
  const labels = Array.from({ length: n }, () => r.integer(0, 4));
  const noise = labels.map(() => [r.normal(), r.normal()]);
  const independent = await estimateMI(noise, labels, { method: "probe" });
  assert(
    Math.abs(independent.estimate) < 3 * independent.standardError! + 0.01,
    `independent: ${independent.estimate} ± ${independent.standardError}`,
  );
  const separable = labels.map((c) => [10 * c + r.normal(), r.normal()]);
  const s = await estimateMI(separable, labels, { method: "probe" });
  const h = Math.log(4);
  assert(
    s.estimate > h - 0.05 && s.estimate <= h + 0.01,
    `separable: ${s.estimate}`,
  );
});

Deno.test("probe: early stopping ends training before maxEpochs", async () => {
  const { x, y } = overlappingClasses({ classes: 2 }).sample(2000);
  const r = await estimateMI(x, y, {
    method: "probe",
    maxEpochs: 500,
    patience: 3,
  });
  assert(r.steps! < 500 && r.trace!.length === r.steps, `${r.steps} epochs`);
});
