/**
 * Architecture encodings, the training loop and activation capture.
 */
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertNotEquals,
  assertRejects,
  assertThrows,
} from "./support/assert.ts";
import { setBackend, tf } from "../lib/nets/backend.ts";
import { loadDigits } from "../lib/data/digits.ts";
import { twelveBit } from "../lib/data/twelve_bit.ts";
import {
  type Architecture,
  architectureId,
  validateArchitecture,
} from "../lib/nets/architecture.ts";
import { logSpacedEpochs, trainNetwork } from "../lib/nets/train.ts";

await setBackend("wasm");

const SZT: Architecture = {
  kind: "mlp",
  inputs: 12,
  widths: [10, 7, 5, 4, 3],
  outputs: 2,
  activation: "tanh",
};

Deno.test("architectures validate themselves and name the bad field", () => {
  const bad: [unknown, RegExp][] = [
    [{ ...SZT, kind: "rnn" }, /unknown architecture kind "rnn"/],
    [{ ...SZT, widths: [10, 0] }, /widths\[1\] must be a positive integer/],
    [{ ...SZT, widths: [] }, /at least one entry/],
    [{ ...SZT, activation: "gelu" }, /activation must be one of/],
    [{ ...SZT, outputs: 1 }, /at least 2/],
    [{ ...SZT, dropout: 1 }, /dropout must be in \[0, 1\)/],
    [{ ...SZT, width: [3] }, /unknown mlp field "width"/],
    [
      {
        kind: "cnn",
        inputShape: [8, 8, 1],
        filters: [4, 4, 4, 4],
        outputs: 10,
        activation: "relu",
      },
      /below 1 pixel/,
    ],
    [
      {
        kind: "cnn",
        inputShape: [8, 8],
        filters: [4],
        outputs: 10,
        activation: "relu",
      },
      /inputShape must be \[height, width, channels\]/,
    ],
  ];
  for (const [a, pattern] of bad) {
    assertThrows(() => validateArchitecture(a as Architecture), pattern);
  }
});

Deno.test("architecture ids are stable and tell architectures apart", () => {
  assertEquals(architectureId(SZT), "mlp:12-10-7-5-4-3-2:tanh");
  assertEquals(architectureId({ ...SZT }), architectureId(SZT));
  const variants: Architecture[] = [
    { ...SZT, activation: "relu" },
    { ...SZT, dropout: 0.2 },
    { ...SZT, batchNorm: true },
    { ...SZT, widths: [10, 7, 5, 4] },
  ];
  const ids = new Set([SZT, ...variants].map(architectureId));
  assertEquals(ids.size, variants.length + 1);
  assertEquals(
    architectureId({
      kind: "cnn",
      inputShape: [8, 8, 1],
      filters: [8, 16],
      dense: [32],
      outputs: 10,
      activation: "relu",
    }),
    "cnn:8x8x1:c8-c16:k3:pool-max:d32-o10:relu",
  );
});

Deno.test("logSpacedEpochs: 0, the last epoch, distinct and ascending", () => {
  const e = logSpacedEpochs(10_000, 30);
  assertEquals(e[0], 0);
  assertEquals(e.at(-1), 10_000);
  assert(e.every((v, i) => i === 0 || v > e[i - 1]));
  assert(e.length >= 20 && e.length <= 30, `${e.length} epochs`);
  assertEquals(logSpacedEpochs(3, 20), [0, 1, 2, 3]);
});

Deno.test("capture returns every layer with the right shapes, in one pass per checkpoint", async () => {
  const { x, y } = twelveBit();
  const probe = x.slice(0, 300);
  const r = await trainNetwork(SZT, { x, y }, {
    epochs: 4,
    batchSize: 512,
    probe,
    captureEpochs: [0, 2],
  });
  assertEquals(r.capture.epochs, [0, 2, 4]); // the last epoch is always kept
  assertEquals(r.capture.rows, 300);
  assertEquals(r.capture.layers.map((l) => l.units), [10, 7, 5, 4, 3, 2]);
  assertEquals(r.capture.layers.at(-1)!.activation, "softmax");
  for (const checkpoint of r.capture.activations) {
    assertEquals(checkpoint.map((a) => a.length), [
      3000,
      2100,
      1500,
      1200,
      900,
      600,
    ]);
    // tanh units lie in (−1, 1); softmax rows sum to 1.
    assert(checkpoint[0].every((v) => v > -1 && v < 1));
    for (let i = 0; i < 300; i++) {
      assertAlmostEquals(
        checkpoint[5][2 * i] + checkpoint[5][2 * i + 1],
        1,
        1e-5,
      );
    }
  }
  assertNotEquals(
    Array.from(r.capture.activations[0][0].slice(0, 5)),
    Array.from(r.capture.activations[2][0].slice(0, 5)),
  );

  const cnn = await trainNetwork(
    {
      kind: "cnn",
      inputShape: [8, 8, 1],
      filters: [4, 8],
      dense: [16],
      outputs: 10,
      activation: "relu",
    },
    (() => {
      const d = twelveBit();
      return {
        x: d.x.slice(0, 64).map((
          row,
        ) => [...row, ...row, ...row, ...row, ...row, ...row.slice(0, 4)]),
        y: d.y.slice(0, 64),
      };
    })(),
    { epochs: 1, captureEpochs: [1] },
  );
  assertEquals(cnn.capture.layers.map((l) => `${l.name}:${l.units}`), [
    "conv 1:64", // 4 × 4 × 4 after pooling
    "conv 2:32", // 2 × 2 × 8
    "dense 1:16",
    "output:10",
  ]);
  assertEquals(cnn.capture.activations[0].map((a) => a.length), [
    64 * 64,
    64 * 32,
    64 * 16,
    64 * 10,
  ]);
});

Deno.test("the tensor count stays flat across a training run, and nothing leaks", async () => {
  const { x, y } = twelveBit();
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  for (const architecture of [SZT, { ...SZT, dropout: 0.1, batchNorm: true }]) {
    counts.length = 0;
    await trainNetwork(architecture as Architecture, { x, y }, {
      epochs: 8,
      batchSize: 256,
      validation: { x: x.slice(0, 200), y: y.slice(0, 200) },
      captureEpochs: [0, 3, 6],
      onEpoch: () => {
        counts.push(tf.memory().numTensors);
      },
    });
    // Adam's slots appear in the first epoch; after it, nothing grows.
    assertEquals(new Set(counts.slice(1)).size, 1, `counts ${counts}`);
  }
  assertEquals(tf.memory().numTensors, before);
});

Deno.test("training learns the 12-bit task and the digits, deterministically", async () => {
  const { x, y } = twelveBit();
  const options = { epochs: 40, batchSize: 256, learningRate: 0.01, seed: 3 };
  const a = await trainNetwork(SZT, { x, y }, {
    ...options,
    captureEpochs: [],
  });
  const b = await trainNetwork(SZT, { x, y }, {
    ...options,
    captureEpochs: [],
  });
  assert(
    a.history.at(-1)!.trainAccuracy > 0.9,
    `${a.history.at(-1)!.trainAccuracy}`,
  );
  assertEquals(
    a.history.map((h) => h.trainLoss),
    b.history.map((h) => h.trainLoss),
  );

  const digits = await loadDigits({ scale: true });
  const train = { x: digits.x.slice(0, 1400), y: digits.y.slice(0, 1400) };
  const validation = { x: digits.x.slice(1400), y: digits.y.slice(1400) };
  const cnn = await trainNetwork(
    {
      kind: "cnn",
      inputShape: [8, 8, 1],
      filters: [8],
      dense: [32],
      outputs: 10,
      activation: "relu",
    },
    train,
    { epochs: 6, learningRate: 0.005, validation, captureEpochs: [] },
  );
  assert(
    cnn.history.at(-1)!.validationAccuracy! > 0.85,
    `CNN validation accuracy ${cnn.history.at(-1)!.validationAccuracy}`,
  );
});

Deno.test("early stopping ends a run that stopped improving", async () => {
  const { x, y } = twelveBit();
  const r = await trainNetwork(SZT, { x, y }, {
    epochs: 200,
    learningRate: 1e-9, // the loss barely moves
    batchSize: 1024,
    earlyStopping: { patience: 3, minDelta: 1e-3 },
    captureEpochs: [0],
  });
  assertEquals(r.stopped, "early-stopping");
  assert(r.epochs < 10, `${r.epochs} epochs`);
  assertEquals(r.capture.epochs, [0, r.epochs]);
});

Deno.test("bad training input gets errors that name the problem", async () => {
  const { x, y } = twelveBit();
  const cases: [() => Promise<unknown>, RegExp][] = [
    [
      () => trainNetwork(SZT, { x, y: y.slice(1) }, { epochs: 1 }),
      /4096 rows but train.y has 4095/,
    ],
    [
      () =>
        trainNetwork(SZT, { x: x.map((r) => r.slice(1)), y }, { epochs: 1 }),
      /has 11 features; the architecture takes 12/,
    ],
    [
      () => trainNetwork(SZT, { x, y: y.map((v) => v * 2) }, { epochs: 1 }),
      /labels must be integers in 0..1/,
    ],
    [
      () =>
        trainNetwork(SZT, { x: [[NaN, ...x[0].slice(1)]], y: [0] }, {
          epochs: 1,
        }),
      /holds NaN/,
    ],
    [
      () =>
        trainNetwork(SZT, { x, y }, {
          epochs: 1,
          optimizer: "lbfgs" as "adam",
        }),
      /unknown optimizer "lbfgs"/,
    ],
    [
      () => trainNetwork(SZT, { x, y }, { epochs: 1.5 }),
      /epochs must be a non-negative integer/,
    ],
    [
      () => trainNetwork(SZT, { x, y }, { epochs: 5, captureEpochs: [7] }),
      /captureEpochs holds 7/,
    ],
  ];
  for (const [run, pattern] of cases) await assertRejects(run, pattern);
});
