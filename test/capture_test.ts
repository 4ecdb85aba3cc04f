/**
 * Capturing the layers of the user's own tfjs models: live, saved and
 * loaded back, during model.fit, reduced, and read by layerMI.
 */
import { assert, assertAlmostEquals, assertEquals } from "./support/assert.ts";
import { setBackend, tf } from "../lib/nets/backend.ts";
import { CaptureError, captureLayers } from "../lib/nets/capture.ts";
import { captureCallback } from "../lib/nets/capture_callback.ts";
import {
  loadLayersModel,
  ModelFileError,
  saveLayersModel,
} from "../lib/nets/load_model.ts";
import { InfolensError } from "../lib/errors.ts";
import { layerMIRows } from "../lib/mi/layer_mi.ts";
import { estimateMI } from "../lib/mi/estimate.ts";
import { logSpacedEpochs, trainNetwork } from "../lib/nets/train.ts";
import { Random } from "../lib/space/random.ts";
import { knownAnswerMaps, mixingConv } from "./support/capture_tasks.ts";

await setBackend("wasm");

/** `fn` must reject with an error of class `kind` whose message holds `text`; returns the error. */
async function rejects(
  fn: () => Promise<unknown>,
  kind: new (...args: never[]) => Error,
  text: string,
): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    assert(e instanceof kind, `expected a ${kind.name}, got ${e}`);
    assert(e.message.includes(text), `"${text}" not in: ${e.message}`);
    return e;
  }
  throw new Error("expected the promise to reject");
}

/** A functional CNN with conv, batch norm, pooling, dropout and a softmax head. */
function functionalCnn(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 1], name: "image" });
  let t = tf.layers.conv2d({
    filters: 4,
    kernelSize: 3,
    padding: "same",
    name: "conv",
    kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
  }).apply(input) as tf.SymbolicTensor;
  t = tf.layers.batchNormalization({ name: "bn" }).apply(
    t,
  ) as tf.SymbolicTensor;
  t = tf.layers.activation({ activation: "relu", name: "relu" }).apply(
    t,
  ) as tf.SymbolicTensor;
  t = tf.layers.maxPooling2d({ poolSize: 2, name: "pool" }).apply(
    t,
  ) as tf.SymbolicTensor;
  t = tf.layers.dropout({ rate: 0.5, name: "drop" }).apply(
    t,
  ) as tf.SymbolicTensor;
  t = tf.layers.flatten({ name: "flat" }).apply(t) as tf.SymbolicTensor;
  t = tf.layers.dense({
    units: 6,
    activation: "tanh",
    name: "hidden",
    kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
  }).apply(t) as tf.SymbolicTensor;
  const out = tf.layers.dense({
    units: 3,
    activation: "softmax",
    name: "probs",
    kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
  }).apply(t) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** Images whose batch-norm statistics are not the defaults, so loading must carry them. */
function setMovingStats(model: tf.LayersModel): void {
  const bn = model.getLayer("bn");
  bn.setWeights(
    bn.getWeights().map((w, i) =>
      tf.tidy(() => tf.add(w, tf.scalar(0.1 * (i + 1))))
    ),
  );
}

function probe(n: number, seed = 0): tf.Tensor4D {
  return tf.randomUniform([n, 8, 8, 1], 0, 1, "float32", seed);
}

Deno.test("captureLayers reads the default layers of a functional CNN, described for binning", async () => {
  const model = functionalCnn();
  const x = probe(40);
  const c = await captureLayers(model, x);
  assertEquals(c.layers.map((l) => l.name), [
    "conv",
    "bn",
    "relu",
    "pool",
    "hidden",
    "probs",
  ]);
  assertEquals(c.layers.map((l) => l.activation), [
    "linear",
    "linear",
    "relu",
    "relu",
    "tanh",
    "softmax",
  ]);
  assertEquals(c.layers.map((l) => l.units), [256, 256, 256, 64, 6, 3]);
  assertEquals(c.layers[3].shape, [4, 4, 4]);
  assertEquals(c.rows, 40);
  assertEquals(c.epochs, [0]);
  // The output equals model.predict (dropout off), and rows are probabilities.
  const want = (model.predict(x) as tf.Tensor).dataSync();
  const got = c.activations[0][5];
  for (let i = 0; i < want.length; i++) {
    assertAlmostEquals(got[i], want[i], 1e-6);
  }
  assertAlmostEquals(got[0] + got[1] + got[2], 1, 1e-5);
  // Pooled relu outputs are non-negative; the capture is batched correctly.
  const small = await captureLayers(model, x, {
    layers: ["pool", -1],
    batchSize: 7,
  });
  assertEquals(small.activations[0][0], c.activations[0][3]);
  x.dispose();
  model.dispose();
});

Deno.test("captureLayers softmaxes logits, takes flat rows and { data, shape }", async () => {
  const input = tf.input({ shape: [2, 2, 1] });
  const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: 2, name: "logits" }).apply(
    flat,
  ) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: logits });
  const rows = [[0, 1, 2, 3], [3, 2, 1, 0]];
  const a = await captureLayers(model, rows);
  const b = await captureLayers(model, {
    data: Float32Array.from(rows.flat()),
    shape: [2, 2, 2, 1],
  });
  assertEquals(a.layers.map((l) => [l.name, l.activation]), [[
    "logits",
    "softmax",
  ]]);
  assertEquals(a.activations, b.activations);
  const p = a.activations[0][0];
  assertAlmostEquals(p[0] + p[1], 1, 1e-6);
  const raw =
    (model.predict(tf.tensor(rows).reshape([2, 2, 2, 1])) as tf.Tensor)
      .dataSync();
  assertAlmostEquals(p[0], 1 / (1 + Math.exp(raw[1] - raw[0])), 1e-6);
  model.dispose();
});

Deno.test("a model saved with saveLayersModel and loaded back captures the same activations", async () => {
  const model = functionalCnn();
  setMovingStats(model);
  const dir = await Deno.makeTempDir();
  try {
    await saveLayersModel(model, dir);
    const back = await loadLayersModel(dir);
    const x = probe(30, 5);
    const live = await captureLayers(model, x);
    const loaded = await captureLayers(back, x);
    assertEquals(loaded.layers, live.layers);
    assertEquals(loaded.activations, live.activations);
    x.dispose();
    back.dispose();
  } finally {
    model.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});

/** tfjs's own model.save, written as tensorflowjs_converter does: sharded weights. */
async function saveSharded(
  model: tf.LayersModel,
  dir: string,
  shardBytes: number,
): Promise<string[]> {
  const paths: string[] = [];
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const all = new Uint8Array(
      tf.io.CompositeArrayBuffer.join(artifacts.weightData!),
    );
    const count = Math.ceil(all.byteLength / shardBytes);
    for (let i = 0; i < count; i++) {
      const name = `group1-shard${i + 1}of${count}.bin`;
      paths.push(name);
      await Deno.writeFile(
        `${dir}/${name}`,
        all.slice(i * shardBytes, (i + 1) * shardBytes),
      );
    }
    await Deno.writeTextFile(
      `${dir}/model.json`,
      JSON.stringify({
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths, weights: artifacts.weightSpecs }],
      }),
    );
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: "JSON",
      },
    };
  }));
  return paths;
}

Deno.test("a model saved by tfjs's model.save in sharded files loads back the same; bad files give named errors", async () => {
  const model = functionalCnn();
  setMovingStats(model);
  const dir = await Deno.makeTempDir();
  try {
    const paths = await saveSharded(model, dir, 200);
    assert(paths.length > 1, "several shards");
    const back = await loadLayersModel(`${dir}/model.json`);
    const x = probe(20, 9);
    assertEquals(
      (await captureLayers(back, x)).activations,
      (await captureLayers(model, x)).activations,
    );
    x.dispose();
    back.dispose();

    // A truncated shard.
    const last = `${dir}/${paths.at(-1)}`;
    const bytes = await Deno.readFile(last);
    await Deno.writeFile(last, bytes.slice(0, bytes.length - 4));
    const e1 = await rejects(
      () => loadLayersModel(dir),
      ModelFileError,
      "bytes",
    );
    assert(e1 instanceof InfolensError);
    assert(e1.message.includes("model.json"), e1.message);
    // A missing shard.
    await Deno.remove(last);
    await rejects(
      () => loadLayersModel(dir),
      ModelFileError,
      paths.at(-1)!,
    );
    // A graph model.
    await Deno.writeTextFile(
      `${dir}/model.json`,
      JSON.stringify({
        format: "graph-model",
        modelTopology: { node: [] },
        weightsManifest: [],
      }),
    );
    await rejects(
      () => loadLayersModel(dir),
      ModelFileError,
      "tfjs_layers_model",
    );
    // No model.json at all.
    await Deno.remove(`${dir}/model.json`);
    await rejects(
      () => loadLayersModel(dir),
      ModelFileError,
      "holds no model.json",
    );
    await rejects(
      () => loadLayersModel(`${dir}/nothing-here`),
      ModelFileError,
      "does not exist",
    );
  } finally {
    model.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("unknown layers name the model's layers", async () => {
  const model = functionalCnn();
  const x = probe(4);
  const e = await rejects(
    () => captureLayers(model, x, { layers: ["conv", "dense_9"] }),
    CaptureError,
    'no layer named "dense_9"',
  );
  assert(e.message.includes("bn") && e.message.includes("probs"), e.message);
  await rejects(
    () => captureLayers(model, x, { layers: [42] }),
    CaptureError,
    "outside the model's",
  );
  await rejects(
    () => captureLayers(model, tf.zeros([3, 5, 5, 1]), {}),
    CaptureError,
    "per-sample shape",
  );
  await rejects(
    () => captureLayers(model, x, { reduce: { project: 0 } }),
    InfolensError,
    "project",
  );
  x.dispose();
  model.dispose();
});

Deno.test("captureCallback captures the asked epochs during model.fit, and layerMI reads the capture", async () => {
  // tfjs-wasm has no Conv2D weight gradient, so the model trained here pools
  // its images instead of convolving them.
  const input = tf.input({ shape: [8, 8, 1] });
  let t = tf.layers.averagePooling2d({ poolSize: 2, name: "pool" }).apply(
    input,
  ) as tf.SymbolicTensor;
  t = tf.layers.flatten().apply(t) as tf.SymbolicTensor;
  t = tf.layers.dense({
    units: 8,
    activation: "tanh",
    name: "hidden",
    kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
  }).apply(t) as tf.SymbolicTensor;
  t = tf.layers.batchNormalization({ name: "bn" }).apply(
    t,
  ) as tf.SymbolicTensor;
  t = tf.layers.dropout({ rate: 0.2, seed: 1 }).apply(t) as tf.SymbolicTensor;
  const out = tf.layers.dense({
    units: 2,
    name: "logits",
    kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }),
  }).apply(t) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  model.compile({
    optimizer: tf.train.adam(0.01),
    loss: (yTrue: tf.Tensor, yPred: tf.Tensor) =>
      tf.losses.softmaxCrossEntropy(yTrue, yPred),
  });
  const n = 64;
  const x = probe(n, 3);
  const labels = Array.from(
    tf.tidy(() => tf.greater(tf.mean(x, [1, 2, 3]), 0.5)).dataSync(),
  );
  const y = tf.oneHot(tf.tensor1d(labels, "int32"), 2);
  const cb = captureCallback(x, { epochs: [0, 1, 3] });
  await model.fit(x, y, {
    epochs: 5,
    batchSize: 16,
    callbacks: [cb],
    verbose: 0,
  });
  // epoch 5 is the last run: always captured.
  assertEquals(cb.capture.epochs, [0, 1, 3, 5]);
  assertEquals(cb.capture.layers.map((l) => l.name), [
    "pool",
    "hidden",
    "bn",
    "logits",
  ]);
  assertEquals(cb.capture.activations.length, 4);
  assert(
    cb.capture.activations[0][1].some((v, i) =>
      v !== cb.capture.activations[3][1][i]
    ),
    "training moved the hidden layer",
  );
  // The last checkpoint is what the trained model computes now.
  const now = await captureLayers(model, x);
  assertEquals(now.activations[0], cb.capture.activations[3]);
  const rows = await layerMIRows(cb.capture, { method: "binning", y: labels });
  assertEquals(rows.length, 4 * 4 * 2);
  assert(rows.every((r) => r.estimate <= r.ceiling + 1e-9));
  // {count} follows logSpacedEpochs over fit's epochs.
  // The optimiser's slots exist now: a second fit leaves nothing behind.
  const before = tf.memory().numTensors;
  const cb2 = captureCallback(x, { epochs: { count: 3 }, layers: ["hidden"] });
  await model.fit(x, y, { epochs: 4, callbacks: [cb2], verbose: 0 });
  assertEquals(cb2.capture.epochs, logSpacedEpochs(4, 3));
  assertEquals(tf.memory().numTensors, before, "no tensors left behind");
  tf.dispose([x, y]);
  model.dispose();
});

Deno.test("pooling a conv map keeps a known MI; a seeded projection keeps no more than the truth", async () => {
  const n = 1000;
  const sigma = 8; // truth: ln(1 + 64/64) = 0.693 nats
  const { z, images, truth } = knownAnswerMaps(n, sigma, 0);
  const model = mixingConv();
  const x = { data: images, shape: [n, 8, 8, 2] };
  const zIn = { data: z, rows: n, cols: 2 };
  const pooled = await captureLayers(model, x, {
    layers: ["mix"],
    reduce: "pool",
  });
  assertEquals(pooled.layers[0].units, 2);
  assertEquals(pooled.layers[0].reduction, "pool");
  const t = { data: pooled.activations[0][0], rows: n, cols: 2 };
  const ksg = (await estimateMI(t, zIn, { method: "ksg" })).estimate;
  const gauss = (await estimateMI(t, zIn, { method: "gaussian" })).estimate;
  assertAlmostEquals(gauss, truth, 0.1 * truth);
  assertAlmostEquals(ksg, truth, 0.15 * truth);
  // A projection cannot add information: the gaussian estimate stays below
  // the truth (up to noise) and above nothing.
  const projected = await captureLayers(model, x, {
    layers: ["mix"],
    reduce: { project: 8 },
  });
  assertEquals(projected.layers[0].units, 8);
  assertEquals(projected.layers[0].activation, "linear");
  const again = await captureLayers(model, x, {
    layers: ["mix"],
    reduce: { project: 8 },
  });
  assertEquals(again.activations, projected.activations, "same seed, same map");
  const p = (await estimateMI(
    { data: projected.activations[0][0], rows: n, cols: 8 },
    zIn,
    { method: "gaussian" },
  )).estimate;
  assert(p < truth * 1.1 && p > 0.02, `projected ${p} vs truth ${truth}`);
  model.dispose();
});

Deno.test("trainNetwork's CNN encoding trains on 28×28×1 and 32×32×3 images", async () => {
  for (const shape of [[28, 28, 1], [32, 32, 3]] as const) {
    const d = shape[0] * shape[1] * shape[2];
    const random = new Random(1, "images");
    const x = Array.from({ length: 24 }, () => Array.from(random.uniforms(d)));
    const y = x.map((_, i) => i % 3);
    const r = await trainNetwork(
      {
        kind: "cnn",
        inputShape: shape,
        filters: [4, 8],
        dense: [8],
        outputs: 3,
        activation: "relu",
      },
      { x, y },
      { epochs: 2, batchSize: 8, captureEpochs: [0, 2] },
    );
    assertEquals(r.capture.epochs, [0, 2]);
    const [h, w] = shape;
    assertEquals(r.capture.layers.map((l) => l.units), [
      Math.floor(h / 2) * Math.floor(w / 2) * 4,
      Math.floor(h / 4) * Math.floor(w / 4) * 8,
      8,
      3,
    ]);
    assert(Number.isFinite(r.history[1].trainLoss));
  }
});
