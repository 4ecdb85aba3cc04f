/**
 * `deno task bench conv`: one training epoch of the thesis's CNN (4 conv
 * layers of equal width, 3×3 "same", ReLU, no pooling, on the 8×8 digits;
 * Adam 3e-3, batch 64, as the CNN sweep trains) by `trainNetwork` on
 * tfjs-wasm against `trainKernelCnn` on our matrix kernel (one thread, and
 * two), in the same run; seconds per epoch and the ratio.
 *
 * Environment: `INFOLENS_CONV_WIDTHS` (filters per layer; default
 * 10,40,120), `INFOLENS_CONV_ROWS` (rows per epoch; default 128: tfjs-wasm
 * takes about half a minute per 128 rows at 120 filters).
 *
 * @module
 */

import { setBackend } from "../lib/nets/backend.ts";
import type { CnnArchitecture } from "../lib/nets/architecture.ts";
import { trainNetwork } from "../lib/nets/train.ts";
import { trainKernelCnn } from "../lib/nets/train_kernel_cnn.ts";
import { loadDigits } from "../lib/data/digits.ts";

const WIDTHS = (Deno.env.get("INFOLENS_CONV_WIDTHS") ?? "10,40,120")
  .split(",").map(Number);
const ROWS = Number(Deno.env.get("INFOLENS_CONV_ROWS") ?? 128);

function cnn(filters: number): CnnArchitecture {
  return {
    kind: "cnn",
    inputShape: [8, 8, 1],
    filters: [filters, filters, filters, filters],
    pooling: "none",
    outputs: 10,
    activation: "relu",
  };
}

export async function run(): Promise<void> {
  const backend = await setBackend("wasm");
  console.log(`backend: ${backend.description}`);
  console.log(`load average at start: ${Deno.loadavg().join(", ")}`);
  const digits = await loadDigits({ scale: true });
  const train = { x: digits.x.slice(0, ROWS), y: digits.y.slice(0, ROWS) };
  // One probe row: the capture after the last epoch costs next to nothing.
  const options = {
    epochs: 1,
    batchSize: 64,
    learningRate: 3e-3,
    seed: 1,
    probe: train.x.slice(0, 1),
    captureEpochs: [],
  };
  console.log(
    `seconds per epoch of ${ROWS} rows (batch 64, Adam), and the ratio\n`,
  );
  console.log(
    ["filters", "tfjs-wasm", "kernel", "kernel ×2", "ratio", "ratio ×2"]
      .map((h) => h.padStart(10)).join(" "),
  );
  for (const f of WIDTHS) {
    // `seconds` is read before the final capture: the epoch alone.
    const slow = (await trainNetwork(cnn(f), train, options)).history[0]
      .seconds;
    const fast = (await trainKernelCnn(cnn(f), train, options)).history[0]
      .seconds;
    const fast2 = (await trainKernelCnn(cnn(f), train, {
      ...options,
      threads: 2,
    })).history[0].seconds;
    console.log(
      [
        String(f),
        slow.toFixed(3),
        fast.toFixed(3),
        fast2.toFixed(3),
        `${(slow / fast).toFixed(1)}×`,
        `${(slow / fast2).toFixed(1)}×`,
      ].map((c) => c.padStart(10)).join(" "),
    );
  }
  console.log(`load average at end: ${Deno.loadavg().join(", ")}`);
}

if (import.meta.main) await run();
