/**
 * `deno task bench mi`: MINE training throughput against PyTorch, and KSG
 * time against scipy, measured in the same run.
 *
 * MINE: concat critic MLP 2×100 ReLU on dims 5 + 5, Adam, correlated
 * Gaussian data, at batch 256, 1,024 and 4,096; the PyTorch reference
 * (bench/peers/mine_torch.py, single thread) does the same work. Ours is
 * timed inside `estimateMI` (steps 100 to the end, from `onStep`), so it
 * includes batch sampling and gathering. Runs alternate between the two and
 * the median of `REPEATS` is reported, as this machine's timings wander.
 *
 * @module
 */

import { setBackend } from "../lib/nets/backend.ts";
import { correlatedGaussian } from "../lib/mi/ground_truth.ts";
import { estimateMI } from "../lib/mi/estimate.ts";
import { PYTHON } from "./peers/python.ts";

const REPEATS = 3;
const peers = `${import.meta.dirname}/peers`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function python(
  script: string,
  args: string[],
): Promise<Record<string, number>[] | null> {
  try {
    const out = await new Deno.Command(PYTHON, {
      args: [`${peers}/${script}`, ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (out.code !== 0) {
      console.log(
        `  (peer ${script} failed: ${
          new TextDecoder().decode(out.stderr).trim().split("\n").at(-1)
        })`,
      );
      return null;
    }
    return new TextDecoder().decode(out.stdout).trim().split("\n").map((l) =>
      JSON.parse(l)
    );
  } catch {
    console.log(`  (no ${PYTHON}: peer ${script} skipped)`);
    return null;
  }
}

async function stepsPerSecond(
  method: "mine" | "mine-f" | "nwj" | "infonce" | "smile",
  batch: number,
  x: number[][],
  y: number[][],
): Promise<number> {
  const steps = Math.max(300, Math.round(200_000 / batch));
  let t100 = 0, tEnd = 0;
  await estimateMI(x, y, {
    method,
    batchSize: batch,
    steps,
    evalEvery: 0,
    learningRate: 5e-4,
    onStep: (step) => {
      if (step === 100) t100 = performance.now();
      if (step === steps) tEnd = performance.now();
    },
  });
  return (steps - 100) / ((tEnd - t100) / 1000);
}

/** Runs the MI benchmark and prints its figures. */
export async function run(): Promise<void> {
  const backend = await setBackend();
  console.log(`backend: ${backend.description}`);
  const task = correlatedGaussian({ dim: 5, rho: 0.5 });
  const { x, y } = task.sample(10_000, { seed: 0 });

  console.log(
    "\nMINE training throughput (steps/s; concat critic 2×100 ReLU, dims 5+5, Adam):",
  );
  console.log("  batch   infolens   pytorch   ratio");
  for (const batch of [256, 1024, 4096]) {
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      ours.push(await stepsPerSecond("mine", batch, x, y));
      const peer = await python("mine_torch.py", [String(batch)]);
      if (peer) theirs.push(peer[0].steps_per_s);
    }
    const [a, b] = [median(ours), theirs.length ? median(theirs) : NaN];
    console.log(
      `  ${String(batch).padStart(5)}   ${a.toFixed(1).padStart(8)}   ${
        b.toFixed(1).padStart(7)
      }   ${Number.isFinite(b) ? (a / b).toFixed(2) + "×" : "n/a"}`,
    );
  }

  console.log(
    "\nOther bounds at batch 256, their default critics (steps/s; no peer):",
  );
  for (const method of ["mine-f", "nwj", "infonce", "smile"] as const) {
    const rates: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      rates.push(await stepsPerSecond(method, 256, x, y));
    }
    console.log(
      `  ${method.padEnd(8)} ${median(rates).toFixed(1).padStart(8)}`,
    );
  }

  console.log(
    "\nKSG, n = 10,000, k = 3 (seconds; correlated Gaussian, d = dx + dy):",
  );
  console.log("     d   infolens   scipy cKDTree   ratio (scipy time / ours)");
  for (const d of [2, 10]) {
    const half = d / 2;
    const data = correlatedGaussian({ dim: half, rho: 0.5 }).sample(10_000, {
      seed: 1,
    });
    const ours = median(
      await Promise.all(
        [0, 1, 2].map(async () =>
          (await estimateMI(data.x, data.y, { method: "ksg" })).seconds
        ),
      ),
    );
    const peer = await python("ksg_scipy.py", [String(d)]);
    const theirs = peer ? peer[0].seconds : NaN;
    console.log(
      `  ${String(d).padStart(4)}   ${ours.toFixed(2).padStart(8)}   ${
        theirs.toFixed(2).padStart(13)
      }   ${
        Number.isFinite(theirs) ? (theirs / ours).toFixed(2) + "×" : "n/a"
      }`,
    );
  }
}
