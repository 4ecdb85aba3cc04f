// layerMI's nwj, infonce and smile critics spread over worker threads give
// the same rows as on one thread, on both CPU backends: each critic's chain
// (its seed, batches, warm starts and held-out read) is independent of
// where it runs.
import { assert, assertEquals } from "./support/assert.ts";
import { setBackend } from "../lib/nets/backend.ts";
import { twelveBit } from "../lib/data/twelve_bit.ts";
import { type LayerMIRow, layerMIRows } from "../lib/mi/layer_mi.ts";
import { trainNetwork } from "../lib/nets/train.ts";

await setBackend("wasm");

const { x, y } = twelveBit();
const probe = x.slice(0, 384);
const { capture } = await trainNetwork(
  { kind: "mlp", inputs: 12, widths: [5, 3], outputs: 2, activation: "tanh" },
  { x, y },
  {
    epochs: 4,
    batchSize: 512,
    learningRate: 0.01,
    captureEpochs: [0, 2, 4],
    probe,
  },
);
const base = {
  x: probe,
  y: y.slice(0, 384),
  hidden: [12],
  batchSize: 32,
  steps: 40,
  warmSteps: 20,
};

/** Everything of a row but its timing. */
const untimed = (rows: LayerMIRow[]) =>
  rows.map(({ seconds: _, ...rest }) => rest);

for (const method of ["nwj", "infonce", "smile"] as const) {
  Deno.test(`${method}: workers 2 gives the rows of workers 1`, async () => {
    const one = await layerMIRows(capture, { ...base, method, workers: 1 });
    const progress: number[] = [];
    const two = await layerMIRows(capture, {
      ...base,
      method,
      workers: 2,
      onProgress: (done) => progress.push(done),
    });
    assertEquals(one.length, 3 * 3 * 2);
    assertEquals(untimed(two), untimed(one));
    assertEquals(progress, [1, 2, 3]);
    // The critics differ from each other, so a mixed-up assignment would show.
    assert(new Set(one.map((r) => r.estimate)).size > one.length / 2);
  });
}

Deno.test("infonce: plateau stops and cold starts are the same in workers", async () => {
  const options = {
    ...base,
    method: "infonce" as const,
    until: "plateau" as const,
    evalEvery: 10,
    patience: 1,
    warmStart: false,
  };
  const one = await layerMIRows(capture, { ...options, workers: 1 });
  const three = await layerMIRows(capture, { ...options, workers: 3 });
  assertEquals(untimed(three), untimed(one));
  assert(one.some((r) => r.steps! < 40), "some critic stopped early");
});

Deno.test("smile on the cpu backend: workers read out on the same backend", async () => {
  await setBackend("cpu");
  try {
    const options = { ...base, method: "smile" as const, warmStart: false };
    const one = await layerMIRows(capture, { ...options, workers: 1 });
    const two = await layerMIRows(capture, { ...options, workers: 2 });
    assertEquals(untimed(two), untimed(one));
  } finally {
    await setBackend("wasm");
  }
});

Deno.test("another seed moves the nwj estimates in workers too", async () => {
  const [a, b] = await Promise.all([0, 1].map((seed) =>
    layerMIRows(capture, {
      ...base,
      method: "nwj",
      quantities: ["I(T;Y)"],
      seed,
      workers: 2,
    })
  ));
  assert(a.some((r, i) => r.estimate !== b[i].estimate));
});
