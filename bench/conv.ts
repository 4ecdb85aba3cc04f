/**
 * `deno task bench conv`: one training epoch of the thesis's CNN (4 conv
 * layers of equal width, 3×3 "same", ReLU, no pooling, on the 8×8 digits;
 * Adam 3e-3, batch 64, as the CNN sweep trains) by `trainNetwork` on
 * tfjs-wasm against `trainKernelCnn` on our matrix kernel (one thread, and
 * two), in the same run; seconds per epoch and the ratio. Then RMI-NAS's
 * proxy training (one batch of 32, 4 conv stages against an untrained
 * 60-filter teacher): `rmiScore` on tfjs-wasm against `rmiScoreKernel`.
 *
 * Environment: `INFOLENS_CONV_WIDTHS` (filters per layer; default
 * 10,40,120), `INFOLENS_CONV_ROWS` (rows per epoch; default 128: tfjs-wasm
 * takes about half a minute per 128 rows at 120 filters),
 * `INFOLENS_CONV_RMI_STEPS` (default 10; every step is the same
 * computation, so the cost scales linearly to the published 150),
 * `INFOLENS_CONV_PARTS` (which sections: epoch, rmi, zc; default all). The
 * zc section times the six proxies with passes (synflow, snip, grad_norm,
 * fisher, jacov, naswot) on one batch of 64, `zeroCostProxies` against
 * `kernelZeroCostProxies`.
 *
 * @module
 */

import { setBackend } from "../lib/nets/backend.ts";
import type { CnnArchitecture } from "../lib/nets/architecture.ts";
import { trainNetwork } from "../lib/nets/train.ts";
import { trainKernelCnn } from "../lib/nets/train_kernel_cnn.ts";
import { loadDigits } from "../lib/data/digits.ts";
import { buildNetwork } from "../lib/nets/architecture.ts";
import { tf } from "../lib/nets/backend.ts";
import { convStages, rmiScore, teacherFeatures } from "../lib/mi/rmi.ts";
import { rmiScoreKernel } from "../lib/mi/rmi_kernel.ts";
import { zeroCostProxies } from "../lib/nets/zero_cost.ts";
import {
  KERNEL_ZERO_COST_PROXIES,
  kernelZeroCostProxies,
} from "../lib/nets/kernel_zero_cost.ts";

const WIDTHS = (Deno.env.get("INFOLENS_CONV_WIDTHS") ?? "10,40,120")
  .split(",").map(Number);
const ROWS = Number(Deno.env.get("INFOLENS_CONV_ROWS") ?? 128);
const RMI_STEPS = Number(Deno.env.get("INFOLENS_CONV_RMI_STEPS") ?? 10);
const PARTS = (Deno.env.get("INFOLENS_CONV_PARTS") ?? "epoch,rmi,zc").split(
  ",",
);

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
  if (PARTS.includes("epoch")) await epochCost(train, options);
  if (PARTS.includes("rmi")) await rmiCost(digits);
  if (PARTS.includes("zc")) await zeroCostCost(digits);
  console.log(`load average at end: ${Deno.loadavg().join(", ")}`);
}

/** Seconds per training epoch, tfjs against the kernel (one and two threads). */
async function epochCost(
  train: { x: number[][]; y: number[] },
  options: Parameters<typeof trainKernelCnn>[2],
): Promise<void> {
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
}

/**
 * For each width, from the same initial weights: seconds of `onKernel` and
 * of `onTfjs`, printed as a row of filters, tfjs-wasm, kernel, ratio.
 */
async function timeBoth(
  onKernel: (filters: number, weights: Float32Array[]) => unknown,
  onTfjs: (net: ReturnType<typeof buildNetwork>) => Promise<unknown>,
): Promise<void> {
  console.log(
    ["filters", "tfjs-wasm", "kernel", "ratio"].map((h) => h.padStart(10))
      .join(" "),
  );
  for (const f of WIDTHS) {
    const net = buildNetwork(cnn(f), f);
    const weights = net.model.getWeights().map((w) =>
      Float32Array.from(w.dataSync())
    );
    let t0 = performance.now();
    await onKernel(f, weights);
    const fast = (performance.now() - t0) / 1000;
    t0 = performance.now();
    await onTfjs(net);
    const slow = (performance.now() - t0) / 1000;
    net.dispose();
    console.log(
      [
        String(f),
        slow.toFixed(3),
        fast.toFixed(3),
        `${(slow / fast).toFixed(1)}×`,
      ]
        .map((c) => c.padStart(10)).join(" "),
    );
  }
}

/** Seconds of the six zero-cost proxies with passes, tfjs against the kernel. */
async function zeroCostCost(
  digits: { x: number[][]; y: number[] },
): Promise<void> {
  const x = digits.x.slice(0, 64);
  const y = digits.y.slice(0, 64);
  const xt = tf.tensor2d(x);
  console.log(
    `\nzero-cost proxies (${
      KERNEL_ZERO_COST_PROXIES.join(", ")
    }), batch 64 (seconds, all six)\n`,
  );
  await timeBoth(
    (f, weights) => kernelZeroCostProxies(cnn(f), weights, { x, y }),
    (net) =>
      zeroCostProxies(net.model, { x: xt, y }, {
        proxies: KERNEL_ZERO_COST_PROXIES,
      }),
  );
  xt.dispose();
}

/** Seconds of RMI's proxy training per architecture, tfjs against the kernel. */
async function rmiCost(digits: { x: number[][]; y: number[] }): Promise<void> {
  const x = tf.tensor2d(digits.x.slice(0, 32));
  const y = digits.y.slice(0, 32);
  const teacher = buildNetwork(cnn(60), 99);
  const features = teacherFeatures(
    { model: teacher.model, stages: convStages(teacher.model) },
    x,
  );
  console.log(
    `\nRMI proxy training, ${RMI_STEPS} steps on a batch of 32 (seconds; ×${
      150 / RMI_STEPS
    } for the published 150)\n`,
  );
  await timeBoth(
    (f, weights) =>
      rmiScoreKernel({ architecture: cnn(f), weights }, features, { x, y }, {
        steps: RMI_STEPS,
      }),
    (net) =>
      rmiScore(
        { model: net.model, stages: convStages(net.model) },
        features,
        { x, y },
        { steps: RMI_STEPS },
      ),
  );
  tf.dispose([x, ...features]);
  teacher.dispose();
}

if (import.meta.main) await run();
