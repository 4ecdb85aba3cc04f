/**
 * Training never poisons the process: a network too large for the
 * WebAssembly heap is refused before anything is allocated, every refusal
 * and every failure inside training leaves no tensor behind, and the backend
 * stays usable afterwards.
 */
import { assert, assertEquals, assertRejects } from "./support/assert.ts";
import { setBackend, tf } from "../lib/nets/backend.ts";
import { NetError } from "../lib/nets/architecture.ts";
import { NetMemoryError, trainingBytes } from "../lib/nets/memory.ts";
import { trainNetwork } from "../lib/nets/train.ts";

await setBackend("wasm");

const x = Array.from({ length: 64 }, (_, i) => [i % 2, (i >> 1) % 2]);
const y = x.map(([a, b]) => a ^ b);
const small = {
  kind: "mlp" as const,
  inputs: 2,
  widths: [8],
  outputs: 2,
  activation: "tanh" as const,
};

/** The error `run` rejects with; fails unless it is a `cls`. */
async function rejection(
  run: () => Promise<unknown>,
  cls: new (...args: never[]) => Error,
): Promise<Error> {
  try {
    await run();
  } catch (e) {
    assert(e instanceof cls, `expected ${cls.name}, got ${e}`);
    return e;
  }
  throw new Error("expected a rejection");
}

/** A small model still trains, and to a finite loss. */
async function backendUsable(): Promise<void> {
  const r = await trainNetwork(small, { x, y }, {
    epochs: 2,
    captureEpochs: [2],
  });
  assert(Number.isFinite(r.history[1].trainLoss));
}

Deno.test("a network too large for the wasm heap is refused at once, naming size and fix", async () => {
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  // 625M parameters: before the check this ran ~20 s, failed with
  // "memory access out of bounds", leaked 28 tensors and broke every
  // later tfjs call in the process.
  const huge = { ...small, widths: [25000, 25000] };
  const e = await rejection(
    () => trainNetwork(huge, { x, y }, { epochs: 1 }),
    NetMemoryError,
  );
  assert(performance.now() - t0 < 2000, "refused before allocating");
  assert(/GiB/.test(e.message) && /625,1\d\d,\d{3} parameters/.test(e.message));
  assert(/smaller widths/.test(e.message) && /"cpu"/.test(e.message));
  assertEquals(tf.memory().numTensors, before);
  await backendUsable();
  assertEquals(tf.memory().numTensors, before);
});

Deno.test("a big batch of a wide CNN is refused too (activations count)", async () => {
  const cnn = {
    kind: "cnn" as const,
    inputShape: [512, 512, 3] as [number, number, number],
    filters: [64],
    outputs: 2,
    activation: "relu" as const,
  };
  const rows = 16;
  const bytes = trainingBytes(cnn, {
    rows,
    batchSize: rows,
    probeRows: rows,
  });
  assert(bytes > 2 ** 30, "16 rows of 512×512×64 feature maps");
  // probe rows are the training rows: 16 × 786,432 features
  const big = Array.from(
    { length: rows },
    () => new Array(512 * 512 * 3).fill(0),
  );
  await assertRejects(
    () =>
      trainNetwork(cnn, { x: big, y: big.map((_, i) => i % 2) }, {
        epochs: 1,
        batchSize: 4096,
        probe: Array.from({ length: 1000 }, () => big[0]),
      }),
    NetMemoryError,
  );
});

Deno.test("refusals after checking the data leave no tensor behind", async () => {
  const before = tf.memory().numTensors;
  const cases: [string, () => Promise<unknown>][] = [
    [
      "bad label",
      () => trainNetwork(small, { x, y: y.map(() => 5) }, { epochs: 1 }),
    ],
    [
      "NaN input",
      () =>
        trainNetwork(small, { x: x.map((r, i) => i === 3 ? [NaN, 1] : r), y }, {
          epochs: 1,
        }),
    ],
    [
      "probe width",
      () => trainNetwork(small, { x, y }, { epochs: 1, probe: [[1, 2, 3]] }),
    ],
    ["optimizer", () =>
      // deno-lint-ignore no-explicit-any
      trainNetwork(small, { x, y }, { epochs: 1, optimizer: "adamw" as any })],
    ["captureEpochs", () =>
      // deno-lint-ignore no-explicit-any
      trainNetwork(small, { x, y }, { epochs: 1, captureEpochs: null as any })],
  ];
  for (const [what, run] of cases) {
    const e = await rejection(run, NetError);
    assert(e.message.length > 0, what);
    assertEquals(tf.memory().numTensors, before, what);
  }
  await backendUsable();
});

Deno.test("a failure in the middle of training disposes the model and its data", async () => {
  const before = tf.memory().numTensors;
  const variables = Object.keys(tf.engine().registeredVariables).length;
  await assertRejects(
    () =>
      trainNetwork(small, { x, y }, {
        epochs: 5,
        batchSize: 8,
        onEpoch: ({ epoch }) => {
          if (epoch === 2) throw new Error("stop here");
        },
      }),
    /stop here/,
  );
  assertEquals(tf.memory().numTensors, before);
  assertEquals(Object.keys(tf.engine().registeredVariables).length, variables);
  await backendUsable();
  assertEquals(tf.memory().numTensors, before);
});
