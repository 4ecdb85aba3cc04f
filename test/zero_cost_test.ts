// Zero-cost proxies against a PyTorch reference of NASLib's measures
// (test/support/zero_cost_reference.py, Debian python3-torch) on the same
// small networks, weights and batch: a dense network and a small CNN.
import { assert, assertRejects } from "./support/assert.ts";
import { pythonHas, pythonJson } from "./support/python.ts";
import { setBackend, tf } from "../lib/nets/backend.ts";
import {
  ZERO_COST_PROXIES,
  ZeroCostError,
  zeroCostProxies,
  type ZeroCostProxy,
} from "../lib/nets/zero_cost.ts";
import { Random } from "../lib/space/random.ts";

// The cpu backend has conv2d weight gradients (wasm has none).
await setBackend("cpu");

const HAS_TORCH = pythonHas("torch", "numpy");
if (!HAS_TORCH) {
  console.warn(
    "zero-cost proxies vs PyTorch ignored: /usr/bin/python3 cannot import torch (apt-get install python3-torch)",
  );
}
const REFERENCE = Deno.readTextFileSync(
  new URL("./support/zero_cost_reference.py", import.meta.url),
);

function seeded(model: tf.LayersModel, seed: number): void {
  const r = new Random(seed, "zero-cost-weights");
  model.setWeights(
    model.getWeights().map((w) =>
      tf.tensor(Array.from(r.normals(w.size, 0, 0.4)), w.shape)
    ),
  );
}

/** The model's layers as the reference script reads them. */
function spec(model: tf.LayersModel) {
  return model.layers.map((l) => {
    const cls = l.getClassName();
    const config = l.getConfig() as { activation?: string };
    const [kernel, bias] = l.getWeights().map((w) => w.arraySync());
    if (cls === "Dense") {
      return { type: "dense", kernel, bias, activation: config.activation };
    }
    if (cls === "Conv2D") {
      return { type: "conv", kernel, bias, activation: config.activation };
    }
    if (cls === "Flatten") return { type: "flatten" };
    throw new Error(`no reference for ${cls}`);
  });
}

async function compare(model: tf.LayersModel, x: tf.Tensor, y: number[]) {
  const ours = await zeroCostProxies(model, { x, y });
  const ref = await pythonJson<Record<ZeroCostProxy, number>>(REFERENCE, {
    layers: spec(model),
    x: x.arraySync(),
    y,
  });
  for (const p of ZERO_COST_PROXIES) {
    const a = ours[p]!, b = ref[p];
    // float32 here against float32 (float64 for synflow) there.
    const tol = 1e-4 * Math.max(1, Math.abs(b));
    assert(
      Number.isFinite(a) && a !== 0 && Math.abs(a - b) <= tol,
      `${p}: ours ${a}, PyTorch ${b}`,
    );
  }
  return ours;
}

const labels = (n: number, k: number) =>
  Array.from({ length: n }, (_, i) => i % k);

Deno.test({
  name:
    "zero-cost proxies of a dense network match PyTorch (NASLib's definitions)",
  ignore: !HAS_TORCH,
  fn: async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [5], units: 12, activation: "relu" }),
        tf.layers.dense({ units: 7, activation: "relu" }),
        tf.layers.dense({ units: 3, activation: "softmax" }),
      ],
    });
    seeded(model, 1);
    const x = tf.tensor(Array.from(new Random(2).normals(16 * 5)), [16, 5]);
    const before = model.getWeights().map((w) => w.dataSync().slice());
    const ours = await compare(model, x, labels(16, 3));
    // The weights are left as they were (synflow flips signs and back).
    model.getWeights().forEach((w, i) =>
      assert(w.dataSync().every((v, j) => v === before[i][j]))
    );
    assert(ours.naswot! > 0 && ours.synflow! > 0);
  },
});

Deno.test({
  name: "zero-cost proxies of a small CNN match PyTorch (NASLib's definitions)",
  ignore: !HAS_TORCH,
  fn: async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [6, 6, 2],
          filters: 4,
          kernelSize: 3,
          activation: "relu",
        }),
        tf.layers.conv2d({ filters: 3, kernelSize: 2, activation: "relu" }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 4, activation: "softmax" }),
      ],
    });
    seeded(model, 3);
    const x = tf.tensor(Array.from(new Random(4).normals(12 * 72)), [
      12,
      6,
      6,
      2,
    ]);
    await compare(model, x, labels(12, 4));
  },
});

Deno.test("zero-cost proxies refuse unknown names, mismatched labels, branching models", async () => {
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [2], units: 2 })],
  });
  const x = tf.zeros([4, 2]);
  await assertRejects(
    () =>
      zeroCostProxies(model, { x, y: [0, 1, 0, 1] }, {
        proxies: ["nope" as ZeroCostProxy],
      }),
    ZeroCostError,
  );
  await assertRejects(
    () => zeroCostProxies(model, { x, y: [0, 1] }),
    ZeroCostError,
  );
  const input = tf.input({ shape: [2] });
  const a = tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor;
  const b = tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
  await assertRejects(
    () =>
      zeroCostProxies(tf.model({ inputs: input, outputs: sum }), {
        x,
        y: [0, 1, 0, 1],
      }),
    /chain-shaped/,
  );
});

Deno.test("infolens's CNNs (Conv3D of depth 1) score as the same Conv2D network", async () => {
  const { buildNetwork } = await import("../lib/nets/architecture.ts");
  const net = buildNetwork({
    kind: "cnn",
    inputShape: [6, 6, 1],
    filters: [3, 4],
    outputs: 3,
    activation: "relu",
  }, 1);
  const twin = tf.sequential({
    layers: [
      tf.layers.reshape({ inputShape: [36], targetShape: [6, 6, 1] }),
      tf.layers.conv2d({
        filters: 3,
        kernelSize: 3,
        padding: "same",
        activation: "relu",
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({
        filters: 4,
        kernelSize: 3,
        padding: "same",
        activation: "relu",
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3 }),
    ],
  });
  twin.setWeights(
    net.model.getWeights().map((w) =>
      w.rank === 5 ? w.reshape(w.shape.slice(1)) : w
    ),
  );
  const x = tf.tensor(Array.from(new Random(6).normals(10 * 36)), [10, 36]);
  const y = labels(10, 3);
  const a = await zeroCostProxies(net.model, { x, y });
  const b = await zeroCostProxies(twin, { x, y });
  for (const p of ZERO_COST_PROXIES) {
    const tol = 1e-4 * Math.max(1, Math.abs(b[p]!));
    assert(
      a[p] !== 0 && Math.abs(a[p]! - b[p]!) <= tol,
      `${p}: conv3d ${a[p]}, conv2d ${b[p]}`,
    );
  }
  net.dispose();
});
