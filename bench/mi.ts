/**
 * `deno task bench mi`: MINE training throughput against PyTorch, and KSG
 * time against scipy, measured in the same run.
 *
 * MINE: concat critic MLP 2×100 ReLU on dims 5 + 5, Adam, correlated
 * Gaussian data, at batch 256, 1,024 and 4,096; the PyTorch reference
 * (bench/peers/mine_torch.py) does the same work. Both run on one thread
 * and on every core (ours: the `threads` option, which splits large
 * products; PyTorch: `torch.set_num_threads`), and the ratio is best
 * against best, as issue 23 asks. Ours is
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
  env: Record<string, string> = {},
): Promise<Record<string, number>[] | null> {
  try {
    const out = await new Deno.Command(PYTHON, {
      args: [`${peers}/${script}`, ...args],
      env,
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
  threads: number | "auto" = 1,
): Promise<number> {
  const steps = Math.max(300, Math.round(200_000 / batch));
  let t100 = 0, tEnd = 0;
  await estimateMI(x, y, {
    method,
    batchSize: batch,
    steps,
    evalEvery: 0,
    learningRate: 5e-4,
    threads,
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
  const cores = Math.min(8, navigator.hardwareConcurrency ?? 1);
  const counts = cores > 1 ? [1, cores] : [1];
  console.log(
    `  batch   ${
      counts.map((t) => `infolens ${t}t`.padStart(12)).join(" ")
    }   ${
      counts.map((t) => `pytorch ${t}t`.padStart(11)).join(" ")
    }   ratio (best / best)`,
  );
  for (const batch of [256, 1024, 4096]) {
    const ours = counts.map(() => [] as number[]);
    const theirs = counts.map(() => [] as number[]);
    for (let r = 0; r < REPEATS; r++) {
      for (const [k, t] of counts.entries()) {
        ours[k].push(await stepsPerSecond("mine", batch, x, y, t));
        const peer = await python("mine_torch.py", [String(batch)], {
          THREADS: String(t),
        });
        if (peer) theirs[k].push(peer[0].steps_per_s);
      }
    }
    const a = ours.map(median);
    const b = theirs.map((t) => t.length ? median(t) : NaN);
    const ratio = Math.max(...a) / Math.max(...b);
    console.log(
      `  ${String(batch).padStart(5)}   ${
        a.map((v) => v.toFixed(1).padStart(12)).join(" ")
      }   ${b.map((v) => v.toFixed(1).padStart(11)).join(" ")}   ${
        Number.isFinite(ratio) ? ratio.toFixed(2) + "×" : "n/a"
      }`,
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
