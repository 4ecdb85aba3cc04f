/**
 * Bad estimator inputs and options are refused with a named error before
 * any work: values that are not numbers, learning rates and batch sizes
 * that `estimateMI` refuses (refused by `layerMI` too, by the same
 * validator), and a capture missing a layer.
 */
import { estimateMI } from "../lib/mi/estimate.ts";
import { MIError } from "../lib/mi/input.ts";
import { layerMIRows } from "../lib/mi/layer_mi.ts";
import { CaptureError } from "../lib/nets/_errors.ts";
import type { ActivationCapture } from "../lib/nets/train.ts";
import { Random } from "../lib/space/random.ts";

/** `fn` must reject with a `cls` whose message matches `pattern`. */
async function rejectsWith(
  fn: () => Promise<unknown>,
  cls: new (...args: never[]) => Error,
  pattern: RegExp,
): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof cls && pattern.test(e.message)) return;
    throw new Error(
      `expected a ${cls.name} matching ${pattern}, got ${(e as Error)?.name}: ${
        (e as Error)?.message
      }`,
    );
  }
  throw new Error(`expected a ${cls.name} matching ${pattern}; it resolved`);
}

const r = new Random(7);
const n = 40;
const xs = Array.from({ length: n }, () => [r.normal(), r.normal()]);
const ys = xs.map(([a, b]) => a + 0.5 * b + r.normal());

Deno.test("estimateMI names a string or boolean in its inputs", async () => {
  const bad: [unknown, unknown, RegExp][] = [
    [
      xs.map((row, i) => (i === 3 ? [row[0], "2"] : row)),
      ys,
      /x\[3\]\[1\].*string/,
    ],
    [
      xs.map((row, i) => (i === 5 ? [true, row[1]] : row)),
      ys,
      /x\[5\]\[0\].*boolean/,
    ],
    [xs, ys.map((v, i) => (i === 2 ? String(v) : v)), /y\[2\].*string/],
    [xs, ys.map((v, i) => (i === 1 ? false : v)), /y\[1\].*boolean/],
    [
      { data: xs.flat().map(String), rows: n, cols: 2 },
      ys,
      /x\[0\]\[0\].*string/,
    ],
    [{ data: null, rows: n, cols: 2 }, ys, /x\.data/],
  ];
  for (const method of ["ksg", "gaussian", "binning"] as const) {
    for (const [x, y, message] of bad) {
      await rejectsWith(
        // deno-lint-ignore no-explicit-any
        () => estimateMI(x as any, y as any, { method }),
        MIError,
        message,
      );
    }
  }
});

Deno.test("estimateMI refuses a learning rate that is a string or infinite", async () => {
  for (const learningRate of ["0.01", Infinity]) {
    await rejectsWith(
      () =>
        // deno-lint-ignore no-explicit-any
        estimateMI(xs, ys, { method: "mine", steps: 2, learningRate } as any),
      MIError,
      /learningRate/,
    );
  }
});

/** A capture of two random tanh-ish layers at one checkpoint. */
function capture(): ActivationCapture {
  const units = [3, 2];
  return {
    epochs: [0],
    rows: n,
    layers: units.map((u, i) => ({
      index: i + 1,
      name: `dense ${i + 1}`,
      units: u,
      activation: "tanh" as const,
    })),
    activations: [
      units.map((u) =>
        Float32Array.from({ length: n * u }, () => Math.tanh(r.normal()))
      ),
    ],
  };
}
const labels = Array.from({ length: n }, (_, i) => i % 2);

Deno.test("layerMI refuses the neural options estimateMI refuses", async () => {
  const bad: [string, number | string][] = [
    ["learningRate", NaN],
    ["learningRate", -1],
    ["learningRate", "0.001"],
    ["batchSize", 2.5],
    ["batchSize", 0],
  ];
  for (const method of ["mine", "mine-f", "infonce"] as const) {
    for (const [key, value] of bad) {
      await rejectsWith(
        () =>
          layerMIRows(capture(), {
            method,
            y: labels,
            quantities: ["I(T;Y)"],
            steps: 2,
            [key]: value,
          }),
        MIError,
        new RegExp(key),
      );
    }
  }
});

Deno.test("layerMI names a capture missing a layer", async () => {
  const c = capture();
  c.activations[0].pop();
  for (const method of ["binning", "ksg", "mine"] as const) {
    await rejectsWith(
      () =>
        layerMIRows(c, {
          method,
          y: labels,
          quantities: ["I(T;Y)"],
          steps: 2,
        }),
      CaptureError,
      /layer/,
    );
  }
});
