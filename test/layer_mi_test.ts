/**
 * Per-layer MI: ceilings, the exact cases of binning (a permutation of the
 * input, wide tanh layers with large weights), warm starts of the MINE
 * critics, and errors.
 */
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertRejects,
} from "./support/assert.ts";
import { setBackend, tf } from "../lib/nets/backend.ts";
import { twelveBit } from "../lib/data/twelve_bit.ts";
import { layerMI, layerMIRows } from "../lib/mi/layer_mi.ts";
import type { LayerInfo } from "../lib/nets/architecture.ts";
import { type ActivationCapture, trainNetwork } from "../lib/nets/train.ts";
import { Random } from "../lib/space/random.ts";

await setBackend("wasm");

const { x, y, ids } = twelveBit();
const H_X = Math.log(4096);

/** A capture of hand-made layers (one checkpoint) of the 12-bit inputs. */
function handCapture(
  layers: {
    units: number;
    activation: LayerInfo["activation"];
    f: (row: number[]) => number[];
  }[],
): ActivationCapture {
  return {
    epochs: [0],
    rows: x.length,
    layers: layers.map((l, i) => ({
      index: i + 1,
      name: `hand ${i + 1}`,
      units: l.units,
      activation: l.activation,
    })),
    activations: [layers.map((l) => Float32Array.from(x.flatMap(l.f)))],
  };
}

/** tanh(x W + b), W ~ N(0, scale²), b ~ N(0, scale²) or the given bias. */
function randomLayer(
  units: number,
  scale: number,
  seed: number,
  bias?: number,
) {
  const r = new Random(seed);
  const w = Array.from({ length: 12 * units }, () => r.normal() * scale);
  const b = Array.from({ length: units }, () => bias ?? r.normal() * scale);
  return (row: number[]) =>
    Array.from(
      { length: units },
      (_, j) =>
        Math.tanh(row.reduce((s, v, i) => s + v * w[i * units + j], b[j])),
    );
}

Deno.test("a fixed permutation of the input carries all of X: I(X;T) = H(X)", async () => {
  const perm = new Random(1).permutation(12);
  const capture = handCapture([
    { units: 12, activation: "linear", f: (row) => perm.map((p) => row[p]) },
  ]);
  const [xt, ty] = await layerMIRows(capture, {
    method: "binning",
    y,
    xIds: ids,
  });
  assertAlmostEquals(xt.estimate, H_X, 1e-9);
  assertAlmostEquals(xt.ceiling, H_X, 1e-9);
  // T holds X, so I(T;Y) = H(Y).
  assertAlmostEquals(ty.estimate, ty.ceiling, 1e-9);
});

Deno.test("binned I(X;T) of a wide tanh layer with large weights approaches H(X); small weights leave one bin", async () => {
  const capture = handCapture([
    { units: 64, activation: "tanh", f: randomLayer(64, 10, 2) },
    { units: 64, activation: "tanh", f: randomLayer(64, 0.001, 3, 0.3) },
  ]);
  const rows = await layerMIRows(capture, {
    method: "binning",
    y,
    quantities: ["I(X;T)"],
  });
  assert(rows[0].estimate > 0.98 * H_X, `large weights: ${rows[0].estimate}`);
  assert(rows[1].estimate < 0.2 * H_X, `tiny weights: ${rows[1].estimate}`);
});

Deno.test("estimates never exceed the ceilings H(X) and H(Y) through training", async () => {
  for (const activation of ["tanh", "relu"] as const) {
    const { capture } = await trainNetwork(
      {
        kind: "mlp",
        inputs: 12,
        widths: [10, 7, 5, 4, 3],
        outputs: 2,
        activation,
      },
      { x, y },
      {
        epochs: 30,
        batchSize: 512,
        learningRate: 0.01,
        captureEpochs: { count: 5 },
      },
    );
    const binned = await layerMIRows(capture, { method: "binning", y });
    assertEquals(binned.length, capture.epochs.length * 6 * 2);
    for (const r of binned) {
      assert(
        r.estimate >= 0 && r.estimate <= r.ceiling + 1e-12,
        JSON.stringify(r),
      );
    }
    // A neural bound on held-out rows can overshoot by its sampling error only.
    const mine = await layerMIRows(capture, {
      method: "mine",
      x,
      y,
      quantities: ["I(T;Y)"],
      layers: [5, 6],
      steps: 200,
      warmSteps: 50,
      hidden: [32],
    });
    for (const r of mine) {
      assert(Number.isFinite(r.estimate), JSON.stringify(r));
      assert(r.estimate <= r.ceiling + 0.05, JSON.stringify(r));
    }
  }
});

/** A 12-6-3-2 tanh network's layers on 1,024 probe rows at epochs 0 and 2. */
async function twoCheckpoints() {
  const { capture } = await trainNetwork(
    { kind: "mlp", inputs: 12, widths: [6, 3], outputs: 2, activation: "tanh" },
    { x, y },
    {
      epochs: 4,
      batchSize: 512,
      learningRate: 0.01,
      captureEpochs: [0, 2],
      probe: x.slice(0, 1024),
    },
  );
  return capture;
}

Deno.test("MINE critics: warm starts change the later checkpoints only", async () => {
  const capture = await twoCheckpoints();
  const options = {
    method: "mine" as const,
    x: x.slice(0, 1024),
    y: y.slice(0, 1024),
    steps: 60,
    warmSteps: 20,
    hidden: [16],
    batchSize: 64,
  };
  const warm = await layerMIRows(capture, options);
  assertEquals(warm.length, 3 * 3 * 2);
  const cold = await layerMIRows(capture, {
    ...options,
    warmStart: false,
    warmSteps: 60,
  });
  assertEquals(
    cold.slice(0, 6).map((r) => r.estimate),
    warm.slice(0, 6).map((r) => r.estimate),
  );
  assert(cold.slice(6).some((r, i) => r.estimate !== warm[6 + i].estimate));
});

Deno.test("other estimators run through estimateMI, and layerMI returns the table", async () => {
  const capture = handCapture([
    { units: 3, activation: "tanh", f: randomLayer(3, 1, 4) },
  ]);
  const sub: ActivationCapture = {
    ...capture,
    rows: 500,
    activations: [[capture.activations[0][0].slice(0, 1500)]],
  };
  const df = await layerMI(sub, {
    method: "ksg",
    x: x.slice(0, 500),
    y: y.slice(0, 500),
  });
  assertEquals(df.columns, [
    "epoch",
    "layer",
    "name",
    "quantity",
    "estimate",
    "ceiling",
    "method",
    "seconds",
  ]);
  assertEquals(df.height, 2);
  const estimates = df.getColumn("estimate").toArray() as number[];
  assert(estimates.every(Number.isFinite), `${estimates}`);
});

Deno.test("bad layerMI input gets errors that name the problem", async () => {
  const capture = handCapture([
    { units: 2, activation: "tanh", f: (row) => [row[0], row[1]] },
  ]);
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { method: "binning", y: y.slice(1) },
      /one label per probe row: 4096 expected, got 4095/,
    ],
    [{ method: "mine", y }, /needs the probe inputs as x/],
    [{ method: "binning", y, layers: [3] }, /layer 3 was not captured/],
    [{ method: "binning", y, k: 3 }, /unknown layerMI option "k"/],
    [{ method: "histogram", y }, /unknown method "histogram"/],
    [{ method: "binning", y, bins: 1 }, /bins must be an integer >= 2/],
    [
      { method: "smile", x, y, estimator: { steps: 10 } },
      /estimator options apply to ksg and gaussian/,
    ],
    [{ method: "binning", y, quantities: ["I(X;Y)"] }, /unknown quantity/],
    [
      { method: "binning", y: y.map((v) => v - 0.5) },
      /labels must be integers/,
    ],
  ];
  for (const [options, pattern] of cases) {
    await assertRejects(
      () =>
        layerMIRows(
          capture,
          options as unknown as Parameters<typeof layerMIRows>[1],
        ),
      pattern,
    );
  }
});

Deno.test("nwj, infonce and smile: separable critics warm-started across checkpoints", async () => {
  const capture = await twoCheckpoints();
  const base = {
    x: x.slice(0, 1024),
    y: y.slice(0, 1024),
    steps: 80,
    warmSteps: 30,
    hidden: [16],
    batchSize: 64,
  };
  for (const method of ["nwj", "infonce", "smile"] as const) {
    const warm = await layerMIRows(capture, { ...base, method });
    assertEquals(warm.length, 3 * 3 * 2);
    assert(warm.every((r) => Number.isFinite(r.estimate)), method);
    if (method === "infonce") {
      assert(
        warm.every((r) => r.estimate <= Math.log(64) + 1e-9),
        "InfoNCE stays under ln(batch)",
      );
    }
    const cold = await layerMIRows(capture, {
      ...base,
      method,
      warmStart: false,
      warmSteps: 80,
    });
    assertEquals(
      cold.slice(0, 6).map((r) => r.estimate),
      warm.slice(0, 6).map((r) => r.estimate),
    );
    assert(
      cold.slice(6).some((r, i) => r.estimate !== warm[6 + i].estimate),
      method,
    );
  }
});

Deno.test("neural per-layer MI leaves no tensors behind", async () => {
  const probe = x.slice(0, 300);
  const { capture } = await trainNetwork(
    { kind: "mlp", inputs: 12, widths: [4], outputs: 2, activation: "tanh" },
    { x, y },
    { epochs: 2, captureEpochs: [0, 2], probe },
  );
  const base = {
    x: probe,
    y: y.slice(0, 300),
    steps: 10,
    warmSteps: 5,
    hidden: [8],
  };
  for (
    const options of [
      { ...base, method: "mine" as const },
      { ...base, method: "smile" as const },
    ]
  ) {
    const before = tf.memory().numTensors;
    await layerMIRows(capture, options);
    assertEquals(
      tf.memory().numTensors,
      before,
      JSON.stringify(options.method),
    );
  }
});
