/**
 * `deno task bench scale`: cost at large n (issue 23).
 *
 * 1. HSIC, goal-oriented (q = 0.1), d = 5, V-statistic, asymptotic
 *    p-values: time and peak RSS growth at n = 1k, 5k, 20k, exact (lazy Gram
 *    matrices above 2,048 rows) and Nyström (rank 100) with its largest
 *    |r2 − exact r2|. `SCALE_N=1000,5000` picks the sizes.
 * 2. ask() latency of GP-EI and TPE on Hartmann-6 after 100, 1,000 and
 *    10,000 finished trials (`SCALE_TRIALS` picks them), beside Optuna's TPE
 *    (python3-optuna) at the same counts when it is installed. GP-EI above
 *    1,000 trials is filled by its own asks, so it is slow to set up;
 *    `SCALE_GP_MAX` (default 1000) bounds it.
 *
 * @module
 */

import { hsicTable } from "../lib/hsic/indices.ts";
import { Random } from "../lib/space/random.ts";
import { SEARCHERS, type SearchMethod } from "../lib/search/registry.ts";
import { hartmann6 } from "../lib/search/functions.ts";
import { haveOptuna, optunaPeer } from "./peers/optuna.ts";

const sizes = (name: string, fallback: number[]) =>
  Deno.env.get(name)?.split(",").map(Number) ?? fallback;

function hsicScale() {
  console.log(
    "\nHSIC goal-oriented, d = 5, asymptotic p-values: time, RSS, Nyström error",
  );
  console.log("  n        exact s   RSS MiB   nyström s   max |Δr2|");
  for (const n of sizes("SCALE_N", [1000, 5000, 20000])) {
    const r = new Random(0, "bench-scale");
    const x = Array.from(
      { length: n },
      () => Array.from({ length: 5 }, () => r.uniform()),
    );
    const y = x.map((v) =>
      (v[0] - 0.3) ** 2 + 0.5 * v[1] * v[2] + 0.01 * r.normal()
    );
    const goal = { quantile: 0.1 };
    let t0 = performance.now();
    const exact = hsicTable(x, y, { goal, pValues: ["asymptotic"] });
    const exactS = (performance.now() - t0) / 1000;
    const rss = Deno.memoryUsage().rss / 2 ** 20;
    t0 = performance.now();
    const approx = hsicTable(x, y, {
      goal,
      approximate: { method: "nystrom", rank: 100 },
    });
    const approxS = (performance.now() - t0) / 1000;
    const err = Math.max(
      ...exact.rows.map((row, j) => Math.abs(row.r2! - approx.rows[j].r2!)),
    );
    console.log(
      `  ${String(n).padEnd(8)} ${exactS.toFixed(2).padStart(7)} ${
        rss.toFixed(0).padStart(9)
      } ${approxS.toFixed(2).padStart(11)} ${
        err.toExponential(1).padStart(11)
      }`,
    );
  }
}

async function askScale() {
  const counts = sizes("SCALE_TRIALS", [100, 1000, 10000]);
  const gpMax = Number(Deno.env.get("SCALE_GP_MAX") ?? 1000);
  console.log("\nask() latency on Hartmann-6, median of 5 asks (ms)");
  const peer = await haveOptuna();
  for (const method of ["tpe", "gp-ei"] as SearchMethod[]) {
    const s = SEARCHERS[method]({ space: hartmann6.space, seed: 0 });
    let done = 0;
    for (const count of counts) {
      if (method === "gp-ei" && count > gpMax) break;
      for (; done < count; done++) {
        const { trial, config } = s.ask();
        s.tell(trial, hartmann6.evaluate(config));
      }
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const { trial, config } = s.ask();
        times.push(performance.now() - t0);
        s.tell(trial, hartmann6.evaluate(config));
        done++;
      }
      times.sort((a, b) => a - b);
      const optuna = peer && method === "tpe"
        ? (await optunaPeer<Record<string, number>>({
          task: "ask-time",
          trials: count,
        })).tpe
        : undefined;
      console.log(
        `  ${method.padEnd(6)} ${String(count).padStart(6)} trials ${
          times[2].toFixed(1).padStart(8)
        }${
          optuna
            ? `   Optuna TPE ${optuna.toFixed(1)} ms (ratio ${
              (optuna / times[2]).toFixed(1)
            }×)`
            : ""
        }`,
      );
    }
  }
}

/** Runs both parts. */
export async function run(): Promise<void> {
  hsicScale();
  await askScale();
}

if (import.meta.main) await run();
