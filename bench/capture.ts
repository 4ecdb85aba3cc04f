/**
 * `deno task bench capture`:
 *
 * - time to capture 10 checkpoints of a ~1-million-parameter CNN
 *   (28×28×1 → conv 32 → pool → conv 64 → pool → dense 300 → 10) on 2,000
 *   probe images, every default layer, with `reduce: "pool"` and with
 *   `{ project: 256 }` (the projection matrices are drawn once per run);
 * - the known-answer task of test/capture_test.ts at n = 2,000: z ~ N(0, I₂)
 *   written into an 8×8×2 conv map with pixel noise σ = 8, read through an
 *   invertible 1×1 convolution, so I(T;Z) = ln 2 = 0.693 nats whatever
 *   invertible map the layer applies; MI of the captured layer with z after
 *   each reduction, per estimator, against that truth.
 *
 * @module
 */

import { setBackend, tf } from "../lib/nets/backend.ts";
import { captureLayers } from "../lib/nets/capture.ts";
import { planCapture, probeTensor } from "../lib/nets/_capture_plan.ts";
import type { Reduction } from "../lib/nets/reduce.ts";
import { estimateMI, type MIMethod } from "../lib/mi/estimate.ts";
import { knownAnswerMaps, mixingConv } from "../test/support/capture_tasks.ts";

function millionCnn(): tf.LayersModel {
  const input = tf.input({ shape: [28, 28, 1] });
  let t = tf.layers.conv2d({
    filters: 32,
    kernelSize: 3,
    padding: "same",
    activation: "relu",
  }).apply(input) as tf.SymbolicTensor;
  t = tf.layers.maxPooling2d({ poolSize: 2 }).apply(t) as tf.SymbolicTensor;
  t = tf.layers.conv2d({
    filters: 64,
    kernelSize: 3,
    padding: "same",
    activation: "relu",
  }).apply(t) as tf.SymbolicTensor;
  t = tf.layers.maxPooling2d({ poolSize: 2 }).apply(t) as tf.SymbolicTensor;
  t = tf.layers.flatten().apply(t) as tf.SymbolicTensor;
  t = tf.layers.dense({ units: 300, activation: "relu" }).apply(
    t,
  ) as tf.SymbolicTensor;
  t = tf.layers.dropout({ rate: 0.5 }).apply(t) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 10 }).apply(t) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

async function timing(): Promise<void> {
  const model = millionCnn();
  const x = tf.randomUniform([2000, 28, 28, 1], 0, 1, "float32", 0);
  console.log(
    `CNN of ${
      model.countParams().toLocaleString("en")
    } parameters, 2,000 probe images 28×28×1`,
  );
  for (const reduce of ["pool", { project: 256 }] as Reduction[]) {
    const t0 = performance.now();
    const plan = planCapture(model, { reduce });
    const { tensor } = probeTensor(model, x);
    const setup = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    for (let c = 0; c < 10; c++) await plan.read(tensor);
    const seconds = (performance.now() - t1) / 1000;
    plan.dispose();
    console.log(
      `  reduce ${JSON.stringify(reduce)}: 10 checkpoints in ${
        seconds.toFixed(2)
      } s (${(seconds / 10).toFixed(2)} s each), setup ${
        setup.toFixed(2)
      } s; units ${plan.layers.map((l) => l.units).join(", ")}`,
    );
  }
  x.dispose();
  model.dispose();
}

async function knownAnswer(): Promise<void> {
  const n = 2000;
  const { z, images, truth } = knownAnswerMaps(n, 8, 0);
  const model = mixingConv();
  const zIn = { data: z, rows: n, cols: 2 };
  console.log(
    `known answer: I(T;Z) = ${
      truth.toFixed(3)
    } nats, n = ${n}; estimate (nats) per reduction`,
  );
  const reductions: Reduction[] = [
    "flatten",
    "pool",
    { project: 8 },
    { project: 32 },
  ];
  const methods: MIMethod[] = ["gaussian", "ksg", "infonce"];
  console.log(
    `  ${"reduction".padEnd(16)} units ${
      methods.map((m) => m.padStart(10)).join("")
    }`,
  );
  for (const reduce of reductions) {
    const c = await captureLayers(
      model,
      { data: images, shape: [n, 8, 8, 2] },
      {
        layers: ["mix"],
        reduce,
      },
    );
    const units = c.layers[0].units;
    const t = { data: c.activations[0][0], rows: n, cols: units };
    const cells: string[] = [];
    for (const method of methods) {
      const r = await estimateMI(t, zIn, { method });
      cells.push(r.estimate.toFixed(3).padStart(10));
    }
    console.log(
      `  ${JSON.stringify(reduce).padEnd(16)} ${String(units).padStart(5)} ${
        cells.join("")
      }`,
    );
  }
  model.dispose();
}

export async function run(): Promise<void> {
  const backend = await setBackend();
  console.log(`backend: ${backend.description}`);
  await timing();
  await knownAnswer();
}

if (import.meta.main) await run();
