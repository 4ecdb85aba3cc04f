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
 *   threads (`workers`), and whether the estimates agree.
 *
 * @module
 */

import { setBackend } from "../lib/nets/backend.ts";
import { twelveBit } from "../lib/data/twelve_bit.ts";
import { type LayerMIRow, layerMIRows } from "../lib/mi/layer_mi.ts";
import { trainNetwork } from "../lib/nets/train.ts";

const EPOCHS = 200;
const CHECKPOINTS = [0, 10, 50, 200];

function perCheckpoint(rows: LayerMIRow[], epochs: number[]): number[] {
  return epochs.map((e) =>
    rows.filter((r) => r.epoch === e).reduce((s, r) => s + r.seconds, 0)
  );
}

export async function run(): Promise<void> {
  const backend = await setBackend();
  console.log(`backend: ${backend.description}`);
  const { x, y, ids } = twelveBit();
  const t0 = performance.now();
  const trained = await trainNetwork(
    {
      kind: "mlp",
      inputs: 12,
      widths: [10, 7, 5, 4, 3],
      outputs: 2,
      activation: "tanh",
    },
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
