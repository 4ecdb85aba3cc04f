// Per-layer neural bounds trained until their held-out bound plateaus
// (`until: "plateau"`), and the range check of per-layer rows.
import { assert, assertEquals, assertRejects } from "./support/assert.ts";
import { setBackend } from "../lib/nets/backend.ts";
import { twelveBit } from "../lib/data/twelve_bit.ts";
import { layerMIRows } from "../lib/mi/layer_mi.ts";
import { checkRange, rangeSummary } from "../lib/mi/layer_range.ts";
import { trainNetwork } from "../lib/nets/train.ts";

await setBackend("wasm");

const { x, y } = twelveBit();
const { capture } = await trainNetwork(
  { kind: "mlp", inputs: 12, widths: [6, 3], outputs: 2, activation: "tanh" },
  { x, y },
  {
    epochs: 2,
    batchSize: 512,
    learningRate: 0.01,
    captureEpochs: [2],
    probe: x.slice(0, 512),
  },
);
const base = {
  x: x.slice(0, 512),
  y: y.slice(0, 512),
  hidden: [16],
  batchSize: 64,
  quantities: ["I(T;Y)" as const],
};

for (const method of ["mine", "infonce"] as const) {
  Deno.test(`${method}: one read after all the steps is the fixed-steps estimate`, async () => {
    const fixed = await layerMIRows(capture, { ...base, method, steps: 80 });
    const plateau = await layerMIRows(capture, {
      ...base,
      method,
      steps: 80,
      until: "plateau",
      evalEvery: 80,
    });
    assertEquals(
      plateau.map((r) => r.estimate),
      fixed.map((r) => r.estimate),
    );
    assert(plateau.every((r) => r.steps === 80));
    assert(fixed.every((r) => r.steps === undefined), "default rows unchanged");
  });

  Deno.test(`${method}: stops once the held-out bound stops improving`, async () => {
    const rows = await layerMIRows(capture, {
      ...base,
      method,
      steps: 4000,
      until: "plateau",
      evalEvery: 20,
      patience: 2,
    });
    assert(
      rows.every((r) =>
        r.steps! >= 60 && r.steps! < 4000 && r.steps! % 20 === 0
      ),
      rows.map((r) => r.steps).join(),
    );
  });
}

Deno.test("plateau options are checked", async () => {
  await assertRejects(
    () =>
      layerMIRows(capture, {
        ...base,
        method: "mine",
        until: "forever" as "plateau",
      }),
    /until must be/,
  );
  await assertRejects(
    () => layerMIRows(capture, { ...base, method: "mine", patience: 0 }),
    /patience must be/,
  );
});

Deno.test("range check of per-layer rows: binning never leaves [0, H(Y)]", async () => {
  const rows = await layerMIRows(capture, { method: "binning", y: base.y });
  const checked = checkRange(rows);
  assert(checked.every((r) => r.inRange));
  const shifted = rows.map((r) => ({ ...r, estimate: r.estimate + 1 }));
  const summary = rangeSummary(shifted, { tolerance: 0 });
  // I(T;Y) + 1 nat is above H(Y) ≤ ln 2; I(X;T) + 1 is above H(X) only where
  // it was within 1 nat of it.
  assertEquals(summary[0].method, "binning");
  assert(summary[0].above >= rows.length / 2 && summary[0].below === 0);
});

Deno.test("mixed-ksg and probe give I(T;Y) per layer (their default), the probe with a standard error", async () => {
  for (const method of ["mixed-ksg", "probe"] as const) {
    const rows = await layerMIRows(capture, { method, y: base.y });
    assertEquals(rows.length, 3);
    assert(rows.every((r) => r.quantity === "I(T;Y)"));
    assert(
      rows.every((r) =>
        (r.standardError !== undefined) === (method === "probe")
      ),
    );
    const checked = checkRange(rows);
    assert(checked.every((r) => typeof r.inRange === "boolean"));
  }
  await assertRejects(
    () =>
      layerMIRows(capture, {
        method: "probe",
        y: base.y,
        x: base.x,
        quantities: ["I(X;T)"],
      }),
    /I\(T;Y\) against the discrete label only/,
  );
});
