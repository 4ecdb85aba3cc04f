/**
 * `checkCapture`: a capture missing a layer, or holding the wrong number of
 * values, is a named CaptureError wherever it is read.
 */
import { assertRejects, assertThrows } from "./support/assert.ts";
import { checkCapture } from "../lib/nets/check_capture.ts";
import { CaptureError } from "../lib/nets/_errors.ts";
import { writeActivations } from "../lib/data/activations.ts";
import type { ActivationCapture } from "../lib/nets/train.ts";

function capture(): ActivationCapture {
  return {
    epochs: [0, 5],
    rows: 3,
    layers: [
      { index: 1, name: "dense 1", units: 2, activation: "tanh" },
      { index: 2, name: "output", units: 2, activation: "softmax" },
    ],
    activations: [
      [new Float32Array(6), new Float32Array(6).fill(0.5)],
      [new Float32Array(6), new Float32Array(6).fill(0.5)],
    ],
  };
}

Deno.test("checkCapture accepts a consistent capture", () => {
  checkCapture(capture());
});

Deno.test("checkCapture names what is missing or mismatched", () => {
  const cases: [RegExp, (c: ActivationCapture) => void][] = [
    [
      /epoch 5 holds 1 layers, the capture lists 2/,
      (c) => c.activations[1].pop(),
    ],
    [
      /layer "output" at epoch 0 holds 4 values; expected 3 rows × 2/,
      (c) => c.activations[0][1] = new Float32Array(4),
    ],
    [/2 epochs but 1 checkpoints/, (c) => c.activations.pop()],
    [/rows must be a non-negative integer/, (c) => c.rows = NaN],
    [/index 3/, (c) => c.layers[1].index = 3],
    [/has 0 units/, (c) => c.layers[0].units = 0],
    [/null, not an array/, (c) =>
      // deno-lint-ignore no-explicit-any
      c.activations[0][0] = null as any],
  ];
  for (const [message, spoil] of cases) {
    const c = capture();
    spoil(c);
    assertThrows(() => checkCapture(c), CaptureError);
    assertThrows(() => checkCapture(c), message);
  }
  // deno-lint-ignore no-explicit-any
  assertThrows(() => checkCapture(undefined as any), CaptureError);
});

Deno.test("writeActivations refuses a capture missing a layer by name (was a TypeError)", async () => {
  const c = capture();
  c.activations[1].pop();
  const path = await Deno.makeTempFile({ suffix: ".npz" });
  try {
    await assertRejects(() => writeActivations(path, c), CaptureError);
  } finally {
    await Deno.remove(path);
  }
});
