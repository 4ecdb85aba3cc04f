/**
 * Activations saved in each documented layout (by us, and by numpy) read
 * back into the same `ActivationCapture` and give `layerMI` the same numbers
 * as the in-memory capture; conv activations are flattened; logits are
 * turned into probabilities only when asked; bad layouts give named errors.
 */

import { assert, assertEquals } from "./support/assert.ts";
import { readActivations, writeActivations } from "../lib/data/activations.ts";
import { writeNpy } from "../lib/data/npy.ts";
import { writeNpz } from "../lib/data/npz.ts";
import { DataFileError, ndarray } from "../lib/data/ndarray.ts";
import { layerMIRows } from "../lib/mi/layer_mi.ts";
import type { ActivationCapture } from "../lib/nets/train.ts";
import { Random } from "../lib/space/random.ts";

const ROWS = 48;

/** A capture as trainNetwork makes one: tanh, linear, softmax output. */
function makeCapture(): { capture: ActivationCapture; y: number[] } {
  const r = new Random(11);
  const epochs = [0, 2, 7];
  const layers = [
    { index: 1, name: "dense 1", units: 4, activation: "tanh" as const },
    { index: 2, name: "dense 2", units: 3, activation: "linear" as const },
    { index: 3, name: "output", units: 2, activation: "softmax" as const },
  ];
  const activations = epochs.map(() =>
    layers.map((l) => {
      const a = new Float32Array(ROWS * l.units);
      for (let i = 0; i < a.length; i++) {
        a[i] = l.activation === "tanh"
          ? Math.tanh(r.normal(0, 1.5))
          : r.normal(0, 3);
      }
      if (l.activation === "softmax") {
        for (let i = 0; i < ROWS; i++) {
          const p = 1 / (1 + Math.exp(a[2 * i] - a[2 * i + 1]));
          a[2 * i] = 1 - p;
          a[2 * i + 1] = p;
        }
      }
      return a;
    })
  );
  const y = Array.from({ length: ROWS }, () => r.integer(0, 2));
  return { capture: { epochs, layers, rows: ROWS, activations }, y };
}

const ACTS = { "dense 1": "tanh", "dense 2": "linear" } as const;

async function miRows(capture: ActivationCapture, y: number[]) {
  const rows = await layerMIRows(capture, { method: "binning", y, bins: 8 });
  return rows.map(({ seconds: _, ...rest }) => rest);
}

async function rejectsWith(fn: () => Promise<unknown>, pattern: RegExp) {
  try {
    await fn();
  } catch (e) {
    assert(e instanceof DataFileError, `expected a DataFileError, got ${e}`);
    assert(pattern.test(e.message), `"${e.message}" does not match ${pattern}`);
    return;
  }
  throw new Error(`expected a rejection matching ${pattern}`);
}

Deno.test("layouts 1 and 2 written by writeActivations feed layerMI as the in-memory capture", async () => {
  const { capture, y } = makeCapture();
  const expected = await miRows(capture, y);
  const dir = await Deno.makeTempDir();
  for (const layout of [2, 1] as const) {
    const path = layout === 2 ? `${dir}/run.npz` : `${dir}/epochs`;
    await writeActivations(path, capture, {
      layout,
      y,
      compress: layout === 1,
    });
    const back = await readActivations(path, { activations: ACTS });
    assertEquals(back.layout, layout);
    assertEquals(back.capture, capture);
    assertEquals(back.y, y);
    assertEquals(await miRows(back.capture, back.y!), expected);
  }
  assert(
    (await Array.fromAsync(Deno.readDir(`${dir}/epochs`))).some((e) =>
      e.name === "epoch_0007.npz"
    ),
  );
});

Deno.test("layout 3: a folder per epoch of .npy, conv activations flattened, order by option", async () => {
  const { capture, y } = makeCapture();
  const dir = await Deno.makeTempDir();
  await writeNpy(`${dir}/y.npy`, new BigInt64Array(y.map(BigInt)));
  for (const [c, epoch] of capture.epochs.entries()) {
    const sub = `${dir}/epoch_${epoch}`;
    await Deno.mkdir(sub);
    // "dense 1" saved as (N, 2, 2), as a conv layer's (N, C, H, W) would be
    await writeNpy(
      `${sub}/dense 1.npy`,
      ndarray(capture.activations[c][0], [ROWS, 2, 2]),
    );
    await writeNpy(
      `${sub}/dense 2.npy`,
      ndarray(Float64Array.from(capture.activations[c][1]), [ROWS, 3]),
    );
    await writeNpy(
      `${sub}/output.npy`,
      ndarray(capture.activations[c][2], [ROWS, 2]),
    );
  }
  const back = await readActivations(dir, {
    activations: ACTS,
    output: "output",
  });
  assertEquals(back.layout, 3);
  assertEquals(back.capture, capture);
  assertEquals(await miRows(back.capture, back.y!), await miRows(capture, y));
  const reordered = await readActivations(dir, {
    layers: ["dense 2", "output", "dense 1"],
    output: "output",
  });
  assertEquals(reordered.capture.layers.map((l) => l.name), [
    "dense 2",
    "dense 1",
    "output",
  ]);
  assertEquals(reordered.capture.layers[1].activation, "linear");
  const subset = await readActivations(dir, {
    layers: ["dense 1", "output"],
    activations: "tanh",
  });
  assertEquals(
    subset.capture.layers.map((l) => [l.name, l.units, l.activation]),
    [
      ["dense 1", 4, "tanh"],
      ["output", 2, "softmax"],
    ],
  );
});

Deno.test("logits are refused as probabilities, and softmaxed when asked", async () => {
  const dir = await Deno.makeTempDir();
  const logits = [[2, 0, -1], [0.5, 0.5, 3]];
  await writeNpz(`${dir}/run.npz`, {
    "h@1": [[1], [2]],
    "out@1": logits,
    y: new Uint8Array([0, 2]),
  });
  await rejectsWith(
    () => readActivations(`${dir}/run.npz`),
    /holds 2 at row 0, not a probability; pass outputIs: "logits"/,
  );
  const { capture, y } = await readActivations(`${dir}/run.npz`, {
    outputIs: "logits",
  });
  assertEquals(y, [0, 2]);
  const out = capture.activations[0][1];
  for (let i = 0; i < 2; i++) {
    const z = logits[i].map(Math.exp);
    const s = z.reduce((a, b) => a + b);
    for (let j = 0; j < 3; j++) {
      assert(Math.abs(out[i * 3 + j] - z[j] / s) < 1e-6);
    }
  }
});

Deno.test("bad activation files give named errors", async () => {
  const dir = await Deno.makeTempDir();
  await writeNpz(`${dir}/a.npz`, {
    "h@0": [[0.5], [0.1]],
    "out@0": [[1, 0], [0, 1]],
    "out@3": [[1, 0], [0, 1]],
  });
  await rejectsWith(
    () => readActivations(`${dir}/a.npz`),
    /layer "h" at epoch 3 .* is missing/,
  );
  await writeNpz(`${dir}/b.npz`, { h: [[0.5]], "out@0": [[1, 0]] });
  await rejectsWith(
    () => readActivations(`${dir}/b.npz`),
    /array "h" is not named <layer>@<epoch>/,
  );
  await writeNpz(`${dir}/c.npz`, {
    "h@0": [[0.5], [0.1], [0.2]],
    "out@0": [[1, 0], [0, 1]],
  });
  await rejectsWith(
    () => readActivations(`${dir}/c.npz`),
    /has 2 rows, other layers 3/,
  );
  await rejectsWith(
    () => readActivations(`${dir}/a.npz`, { layers: ["nope"] }),
    /layer "nope" is not in .*; its layers are h, out/,
  );
  await writeNpz(`${dir}/d.npz`, {
    "h@0": [[0.5], [0.1]],
    "out@0": [[1, 0], [0, 1]],
    y: [0, 0.5],
  });
  await rejectsWith(
    () => readActivations(`${dir}/d.npz`),
    /"y"\[1\] is 0.5; labels must be class ids/,
  );
  await Deno.mkdir(`${dir}/empty`);
  await rejectsWith(
    () => readActivations(`${dir}/empty`),
    /no activations in a known layout/,
  );
});

Deno.test({
  name:
    "a run saved by numpy (layout 2, int64 labels, float64 arrays) feeds layerMI",
  ignore: (() => {
    try {
      return !new Deno.Command("/usr/bin/python3", {
        args: ["-c", "import numpy"],
      }).outputSync().success;
    } catch {
      return true;
    }
  })(),
  async fn() {
    const { capture, y } = makeCapture();
    const dir = await Deno.makeTempDir();
    const json = {
      y,
      arrays: Object.fromEntries(
        capture.epochs.flatMap((e, c) =>
          capture.layers.map((
            l,
            i,
          ) => [`${l.name}@${e}`, Array.from(capture.activations[c][i])])
        ),
      ),
      units: capture.layers.map((l) => l.units),
    };
    await Deno.writeTextFile(`${dir}/in.json`, JSON.stringify(json));
    const code = `
import json, numpy as np
d = json.load(open("in.json"))
arrays = {k: np.array(v, dtype=np.float32).astype(np.float64).reshape(${ROWS}, -1) for k, v in d["arrays"].items()}
np.savez_compressed("run.npz", y=np.array(d["y"], dtype=np.int64), **arrays)`;
    const r = new Deno.Command("/usr/bin/python3", {
      args: ["-c", code],
      cwd: dir,
    }).outputSync();
    assert(r.success, new TextDecoder().decode(r.stderr));
    const back = await readActivations(`${dir}/run.npz`, { activations: ACTS });
    assertEquals(back.capture, capture);
    assertEquals(await miRows(back.capture, back.y!), await miRows(capture, y));
  },
});
