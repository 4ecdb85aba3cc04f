/**
 * `deno task bench layers`: the information plane of Shwartz-Ziv & Tishby's
 * 12-bit network (12-10-7-5-4-3-2, tanh; all 4,096 patterns probed, 6
 * layers × I(X;T), I(T;Y)):
 *
 * - training speed (epochs per second at batch 512, with capture);
 * - seconds per checkpoint for the full plane with binning (30 bins) and
 *   with MINE at `layerMI`'s defaults (critics 2 × 100 ReLU, batch 256;
 *   2,000 steps at the first checkpoint, 500 warm-started steps after), on
 *   one thread;
 * - the full MINE plane's wall time with its critics on 1 and 2 worker
 *   threads (`workers`), and whether the estimates agree;
 * - issue 23's target: the plane at 10 checkpoints (`layerMI` defaults,
 *   workers 1 and 2) against the same critics, batches and steps in PyTorch
 *   (bench/peers/layer_mine_torch.py) on 1 and 2 threads, best against
 *   best. `LAYERS_PART=torch` runs this part alone, `LAYERS_CHECKPOINTS`
 *   sets the checkpoint count (default 10).
 *
 * @module
 */

import { setBackend } from "../lib/nets/backend.ts";
import { Random } from "../lib/space/random.ts";
import { standardised } from "../lib/mi/_layer_critics.ts";
import { twelveBit } from "../lib/data/twelve_bit.ts";
import { type LayerMIRow, layerMIRows } from "../lib/mi/layer_mi.ts";
import { trainNetwork } from "../lib/nets/train.ts";
import { havePythonModule, runPythonJson } from "./peers/python.ts";

const EPOCHS = 200;
const CHECKPOINTS = [0, 10, 50, 200];

function perCheckpoint(rows: LayerMIRow[], epochs: number[]): number[] {
  return epochs.map((e) =>
    rows.filter((r) => r.epoch === e).reduce((s, r) => s + r.seconds, 0)
  );
}

/** The 12-bit network of the information-plane papers: 12-10-7-5-4-3-2, tanh. */
const TWELVE_BIT_NETWORK = {
  kind: "mlp",
  inputs: 12,
  widths: [10, 7, 5, 4, 3],
  outputs: 2,
  activation: "tanh",
} as const;

/** Runs the benchmark (`LAYERS_PART=torch`: the PyTorch comparison alone). */
export async function run(): Promise<void> {
  const backend = await setBackend();
  console.log(`backend: ${backend.description}`);
  if (Deno.env.get("LAYERS_PART") === "torch") return await againstTorch();
  const { x, y, ids } = twelveBit();
  const t0 = performance.now();
  const trained = await trainNetwork(
    TWELVE_BIT_NETWORK,
    { x, y },
    {
      epochs: EPOCHS,
      batchSize: 512,
      learningRate: 4e-3,
      captureEpochs: CHECKPOINTS,
    },
  );
  const trainSeconds = (performance.now() - t0) / 1000;
  console.log(
    `training: ${EPOCHS} epochs of 4,096 patterns in ${
      trainSeconds.toFixed(1)
    } s (${(EPOCHS / trainSeconds).toFixed(1)} epochs/s, ${
      (EPOCHS * 8 / trainSeconds).toFixed(0)
    } steps/s), ${CHECKPOINTS.length} captures`,
  );
  const capture = trained.capture;

  const binned = await layerMIRows(capture, {
    method: "binning",
    y,
    xIds: ids,
  });
  const binSeconds = perCheckpoint(binned, capture.epochs);
  console.log(
    `binning, full plane (12 estimates): ${
      (binSeconds.reduce((a, b) => a + b, 0) / binSeconds.length).toFixed(3)
    } s per checkpoint`,
  );

  const mine = await layerMIRows(capture, { method: "mine", x, y, workers: 1 });
  const per = perCheckpoint(mine, capture.epochs);
  const warm = per.slice(1);
  console.log(
    `MINE, full plane (12 critics): first checkpoint ${
      per[0].toFixed(1)
    } s (2,000 steps), warm-started checkpoints ${
      (warm.reduce((a, b) => a + b, 0) / warm.length).toFixed(1)
    } s each (500 steps)`,
  );
  const last = mine.filter((r) => r.epoch === EPOCHS);
  console.log(
    `last checkpoint, MINE (nats): ${
      last.map((r) => `L${r.layer} ${r.quantity} ${r.estimate.toFixed(3)}`)
        .join(", ")
    }`,
  );

  await parallelPlane(capture, x, y);
  await againstTorch();
}

/**
 * The information plane at `LAYERS_CHECKPOINTS` (10) checkpoints over 200
 * epochs, MINE at `layerMI`'s defaults on 1 and 2 workers, against the
 * PyTorch peer doing the same critics, batches and steps on 1 and 2 threads.
 */
async function againstTorch(): Promise<void> {
  const count = Number(Deno.env.get("LAYERS_CHECKPOINTS") ?? 10);
  const { x, y } = twelveBit();
  const trained = await trainNetwork(
    TWELVE_BIT_NETWORK,
    { x, y },
    {
      epochs: EPOCHS,
      batchSize: 512,
      learningRate: 4e-3,
      // exactly `count` checkpoints, evenly spaced ({ count } is
      // log-spaced and merges epochs that round alike: 9 for 10 here)
      captureEpochs: Array.from(
        { length: count },
        (_, i) => Math.round((EPOCHS * i) / (count - 1)),
      ),
    },
  );
  const capture = trained.capture;
  console.log(
    `\nMINE information plane, ${capture.epochs.length} checkpoints × 12 critics (layerMI defaults), wall s (each as it ends):`,
  );
  const ours: number[] = [];
  let last: LayerMIRow[] = [];
  for (const workers of [1, 2]) {
    const t = performance.now();
    last = await layerMIRows(capture, { method: "mine", x, y, workers });
    ours.push((performance.now() - t) / 1000);
    console.log(`  infolens workers ${workers}: ${ours.at(-1)!.toFixed(1)}`);
  }
  const theirs: number[] = [];
  let peerEstimates = "";
  if (await havePythonModule("torch")) {
    const request = await torchRequest(capture, x, y);
    try {
      for (const threads of [1, 2]) {
        // a failed (or killed) peer run counts as NaN; the others still print
        try {
          const r = await runPythonJson<
            { seconds: number; estimates: number[][] }
          >("layer_mine_torch.py", { ...request, threads }, "PyTorch");
          theirs.push(r.seconds);
          peerEstimates = r.estimates.map((e) => e.map((v) => v.toFixed(2)))
            .join(" ");
        } catch (e) {
          theirs.push(NaN);
          console.log(`  (${e instanceof Error ? e.message : e})`);
        }
        console.log(
          `  PyTorch threads ${threads}: ${theirs.at(-1)!.toFixed(1)}`,
        );
      }
    } finally {
      await Deno.remove(request.data);
    }
  }
  const best = Math.min(...ours);
  const ran = theirs.filter((t) => Number.isFinite(t));
  const peerBest = ran.length ? Math.min(...ran) : NaN;
  console.log(
    `  infolens workers 1: ${ours[0].toFixed(1)}, workers 2: ${
      ours[1].toFixed(1)
    }; PyTorch threads 1: ${theirs[0]?.toFixed(1) ?? "n/a"}, threads 2: ${
      theirs[1]?.toFixed(1) ?? "n/a"
    }; best against best: ${
      Number.isFinite(peerBest) ? (peerBest / best).toFixed(2) + "×" : "n/a"
    } (> 1: infolens faster)`,
  );
  const final = last.filter((r) => r.epoch === EPOCHS);
  console.log(
    `  last checkpoint, [I(X;T), I(T;Y)] per layer: infolens ${
      final.filter((r) => r.quantity === "I(X;T)").map((r, i) =>
        `${r.estimate.toFixed(2)},${
          final.filter((q) => q.quantity === "I(T;Y)")[i].estimate.toFixed(2)
        }`
      ).join(" ")
    }; PyTorch ${peerEstimates || "n/a"}`,
  );
}

/**
 * What the PyTorch peer needs: the capture's activations, x and one-hot y
 * standardised as `layerMI` standardises them, and the same split, in one
 * float32 file beside a JSON request.
 */
async function torchRequest(
  capture: Parameters<typeof layerMIRows>[0],
  x: number[][],
  y: number[],
) {
  const n = capture.rows;
  // layerMI's split and standardisation (lib/mi/layer_mi.ts neuralSetup)
  const split = new Random(0, "layer-mi-split").permutation(n);
  const nTest = Math.max(2, Math.round(n * 0.2));
  const test = [...split.slice(0, nTest)];
  const train = [...split.slice(nTest)];
  const classes = Math.max(...y) + 1;
  const oneHot = new Float32Array(n * classes);
  y.forEach((c, i) => (oneHot[i * classes + c] = 1));
  const parts: Float32Array[] = [
    standardised(Float32Array.from(x.flat()), n, x[0].length, train),
    standardised(oneHot, n, classes, train),
  ];
  let at = parts[0].length + parts[1].length;
  const layers = capture.layers.map((info) => ({
    units: info.units,
    at: capture.activations.map((c) => {
      parts.push(c[info.index - 1]);
      const here = at;
      at += c[info.index - 1].length;
      return here;
    }),
  }));
  const all = new Float32Array(at);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  const data = await Deno.makeTempFile({ suffix: ".f32" });
  await Deno.writeFile(data, new Uint8Array(all.buffer));
  return {
    data,
    rows: n,
    dx: x[0].length,
    classes,
    x_at: 0,
    y_at: parts[0].length,
    layers,
    train,
    test,
    steps: 2000,
    warm_steps: 500,
    batch: 256,
    hidden: [100, 100],
    lr: 1e-3,
  };
}

/**
 * The full MINE plane's wall time on 1 and 2 worker threads (the critics'
 * chains spread over threads), and that both give the same estimates.
 */
async function parallelPlane(
  capture: Parameters<typeof layerMIRows>[0],
  x: number[][],
  y: number[],
): Promise<void> {
  const times: string[] = [];
  const estimates: string[] = [];
  for (const workers of [1, 2]) {
    const t = performance.now();
    const rows = await layerMIRows(capture, { method: "mine", x, y, workers });
    const seconds = (performance.now() - t) / 1000;
    times.push(`workers ${workers}: ${seconds.toFixed(1)} s`);
    estimates.push(JSON.stringify(rows.map((r) => r.estimate)));
  }
  console.log(
    `MINE, full plane (${capture.epochs.length} checkpoints × 12 critics), wall time: ${
      times.join(", ")
    } (${navigator.hardwareConcurrency} cores); estimates ${
      estimates[0] === estimates[1] ? "identical" : "DIFFER"
    }`,
  );
}
