/**
 * The kernel CNN against tfjs: from the same weights and batch, the same
 * logits, conv maps, loss and gradients (to float32 rounding); trained from
 * the same seed, the same history; and the architectures it refuses.
 */
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertRejects,
  assertThrows,
} from "./support/assert.ts";
import { digitsCnn } from "./support/cnn.ts";
import { setBackend, tf } from "../lib/nets/backend.ts";
import {
  buildNetwork,
  type CnnArchitecture,
} from "../lib/nets/architecture.ts";
import { KernelCnn } from "../lib/nets/kernel_cnn.ts";
import { trainKernelCnn } from "../lib/nets/train_kernel_cnn.ts";
import { trainNetwork } from "../lib/nets/train.ts";
import { loadDigits } from "../lib/data/digits.ts";
import { Random } from "../lib/space/random.ts";

await setBackend("wasm");

const cnn = digitsCnn;

/** max |a − b| / max |b|: the error relative to the reference's scale. */
function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assertEquals(a.length, b.length);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / scale;
}

/** Rows and labels: the digits, or seeded uniform noise for other shapes. */
async function batch(a: CnnArchitecture, n: number) {
  const d = a.inputShape[0] * a.inputShape[1] * a.inputShape[2];
  if (d === 64) {
    const digits = await loadDigits({ scale: true });
    return { x: digits.x.slice(0, n), y: digits.y.slice(0, n) };
  }
  const r = new Random(7, "kernel-cnn-batch");
  return {
    x: Array.from(
      { length: n },
      () => Array.from({ length: d }, () => r.uniform(0, 1)),
    ),
    y: Array.from({ length: n }, (_, i) => i % a.outputs),
  };
}

const SHAPES: [string, CnnArchitecture][] = [
  ["the thesis's 4 layers, 8×8×1, 3×3", cnn([5, 7, 4, 6])],
  [
    "3 channels in, 6×5 images, 5×5 kernels",
    cnn([4, 3], {
      inputShape: [6, 5, 3],
      kernelSize: 5,
      outputs: 3,
    }),
  ],
  [
    "an even kernel (asymmetric 'same' padding)",
    cnn([3, 5], {
      kernelSize: 2,
    }),
  ],
];

for (const [name, a] of SHAPES) {
  Deno.test(`kernel CNN = tfjs from the same weights and batch: ${name}`, async () => {
    const n = 24;
    const { x, y } = await batch(a, n);
    const net = buildNetwork(a, 3);
    const k = new KernelCnn(a, 32);
    try {
      const weights = net.model.getWeights().map((t) => t.dataSync());
      k.setWeights(weights);
      assertEquals(k.size, net.parameters);
      const xt = tf.tensor2d(x);
      const yt = tf.oneHot(tf.tensor1d(y, "int32"), a.outputs);
      // tfjs: logits, every conv map, loss and gradients.
      const outs = net.probe.predict(xt) as tf.Tensor[];
      const maps = outs.map((t) => t.dataSync());
      const { value, grads } = tf.variableGrads(
        () =>
          tf.losses.softmaxCrossEntropy(
            yt,
            net.model.apply(xt, { training: true }) as tf.Tensor,
          ) as tf.Scalar,
        net.model.trainableWeights.map((w) => w.read() as tf.Variable),
      );
      const tfGrads = net.model.trainableWeights.map((w) =>
        grads[(w.read() as tf.Variable).name].dataSync()
      );
      // The kernel.
      k.input(n).set(Float32Array.from(x.flat()));
      const logits = k.forward(n);
      assert(relError(logits, maps.at(-1)!) < 1e-4, "logits");
      for (let l = 0; l < a.filters.length; l++) {
        const e = relError(k.activation(l, n), maps[l]);
        assert(e < 1e-4, `conv ${l + 1} maps: ${e}`);
      }
      const { loss, correct } = k.loss(n, y);
      assertAlmostEquals(loss, value.dataSync()[0], 1e-4 * loss);
      const argmax = tf.argMax(outs.at(-1)!, 1).dataSync();
      assertEquals(correct, y.filter((c, i) => argmax[i] === c).length);
      k.backward(n);
      const parts = k.parts;
      let at = 0;
      parts.forEach((len, i) => {
        const e = relError(k.grad.subarray(at, at + len), tfGrads[i]);
        assert(
          e < 1e-4,
          `gradient ${i} (${net.model.trainableWeights[i].name}): ${e}`,
        );
        at += len;
      });
      tf.dispose([xt, yt, value, ...outs, ...Object.values(grads)]);
    } finally {
      k.close();
      net.dispose();
    }
  });
}

Deno.test("trainKernelCnn follows trainNetwork from the same seed (Adam and SGD)", async () => {
  const digits = await loadDigits({ scale: true });
  const train = { x: digits.x.slice(0, 256), y: digits.y.slice(0, 256) };
  const validation = {
    x: digits.x.slice(256, 400),
    y: digits.y.slice(256, 400),
  };
  const a = cnn([6, 8, 5, 7]);
  for (const optimizer of ["adam", "sgd"] as const) {
    const options = {
      epochs: 3,
      batchSize: 64,
      learningRate: optimizer === "adam" ? 3e-3 : 0.1,
      optimizer,
      seed: 5,
      validation,
      captureEpochs: [1],
    };
    const fast = await trainKernelCnn(a, train, options);
    const slow = await trainNetwork(a, train, options);
    assertEquals(fast.id, slow.id);
    assertEquals(fast.parameters, slow.parameters);
    assertEquals(fast.capture.epochs, slow.capture.epochs);
    assertEquals(
      fast.capture.layers.map((l) => l.units),
      slow.capture.layers.map((l) => l.units),
    );
    for (const [e, m] of fast.history.entries()) {
      const t = slow.history[e];
      assertAlmostEquals(m.trainLoss, t.trainLoss, 1e-3 * t.trainLoss);
      assertAlmostEquals(
        m.validationLoss!,
        t.validationLoss!,
        1e-3 * t.validationLoss!,
      );
      // A row whose two top logits nearly tie may flip; allow one.
      assertAlmostEquals(
        m.validationAccuracy!,
        t.validationAccuracy!,
        1.5 / 144,
      );
    }
    for (const [c, layers] of fast.capture.activations.entries()) {
      layers.forEach((got, l) => {
        const e = relError(got, slow.capture.activations[c][l]);
        assert(e < 1e-3, `${optimizer}: checkpoint ${c}, layer ${l}: ${e}`);
      });
    }
    assert(
      fast.history[2].trainLoss < fast.history[0].trainLoss,
      `${optimizer}: training lowers the loss (${
        fast.history.map((h) => h.trainLoss)
      })`,
    );
  }
});

Deno.test("the kernel CNN refuses what it cannot run, naming it", async () => {
  for (
    const [a, re] of [
      [cnn([4], { pooling: "max" }), /pooling "max"/],
      [cnn([4], { activation: "tanh" }), /activation "tanh"/],
      [cnn([4], { dense: [8] }), /hidden dense layers/],
    ] as const
  ) {
    assertThrows(
      () => new KernelCnn(a, 8),
      re,
    );
  }
  const k = new KernelCnn(cnn([4]), 8);
  assertThrows(() => k.forward(9), /1 to 8 rows/);
  assertThrows(() => k.setWeights([[1]]), /setWeights needs 4 arrays/);
  const digits = await loadDigits({ scale: true });
  await assertRejects(
    () =>
      trainKernelCnn(cnn([4]), {
        x: digits.x.slice(0, 8),
        y: digits.y.slice(0, 8),
      }, {
        epochs: 1,
        optimizer: "rmsprop",
      }),
    /"adam" or "sgd"/,
  );
  await assertRejects(
    () =>
      trainKernelCnn(cnn([4]), {
        x: digits.x.slice(0, 8),
        y: digits.y.slice(0, 8),
      }, { epochs: 1, captureEpochs: [2] }),
    /captureEpochs must list integers in 0\.\.1/,
  );
});
