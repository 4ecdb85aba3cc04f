/**
 * `deno task bench scale`: cost at large n (issue 23).
 *
 * 1. HSIC, goal-oriented (q = 0.1), d = 20 (`SCALE_D`), V-statistic,
 *    asymptotic and 200 permutation p-values: time and RSS growth at n = 1k,
 *    2k, 5k, 10k (`SCALE_N=1000,5000` picks the sizes), exact (above 2,048
 *    rows one pass per column, lib/hsic/two_class.ts) and Nyström (rank 100)
 *    with its largest |r2 − exact r2|, beside OpenTURNS 1.20 (the same
 *    indices; its 200 permutations extrapolated from `SCALE_OT_B`, default
 *    5) up to n = `SCALE_OT_MAX` (default 1,000). CPU seconds beside wall
 *    time, since this machine is often shared.
 *    `SCALE_PART=hsic` or `ask` runs one part.
 * 2. ask() latency of TPE, multivariate TPE, GP-EI and RF-SMBO on
 *    Hartmann-6 after 100, 1,000, 5,000 and 10,000 finished trials
 *    (`SCALE_TRIALS` picks them), beside Optuna's TPE (python3-optuna) at the
 *    same counts when it is installed. Both sides start from the same kind
 *    of history, trials at uniform points added at once (`restore` here,
 *    `add_trials` in Optuna), since filling 10,000 trials by asking would
 *    take hours.
 *
 * @module
 */

import { hsicTable } from "../lib/hsic/indices.ts";
import { Random } from "../lib/space/random.ts";
import { SEARCHERS, type SearchMethod } from "../lib/search/registry.ts";
import type { FinishedTrial } from "../lib/search/searcher.ts";
import { hartmann6 } from "../lib/search/functions.ts";
import { haveOptuna, optunaPeer } from "./peers/optuna.ts";
import { haveOpenturns, openturnsHsic } from "./peers/openturns.ts";
import { sampleStd } from "../lib/hsic/kernels.ts";
import process from "node:process";

const sizes = (name: string, fallback: number[]) =>
  Deno.env.get(name)?.split(",").map(Number) ?? fallback;

/**
 * OpenTURNS's seconds on the same design: indices with asymptotic p-values,
 * plus its permutation time for B = 200 extrapolated from `PEER_B`
 * permutations (200 take tens of minutes at n = 1,000); null when it fails.
 */
async function openturnsSeconds(
  x: number[][],
  y: number[],
  threshold: number,
): Promise<number | null> {
  const z = y.map((v) => (v <= threshold ? 1 : 0));
  try {
    const [result] = await openturnsHsic([{
      x,
      y,
      theta: x[0].map((_, j) => sampleStd(x.map((r) => r[j]))),
      outputTheta: sampleStd(z),
      estimator: "V",
      threshold,
      permutations: PEER_B,
    }]);
    const { indices, permutation } = result.seconds;
    return indices + (permutation * PERMUTATIONS) / PEER_B;
  } catch (e) {
    console.log(`  (OpenTURNS: ${e instanceof Error ? e.message : e})`);
    return null;
  }
}

/** OpenTURNS's permutations actually run (`SCALE_OT_B`, default 5). */
const PEER_B = Number(Deno.env.get("SCALE_OT_B") ?? 5);

/** HSIC's permutations in the scale bench (the issue's target). */
const PERMUTATIONS = 200;

async function hsicScale() {
  const d = Number(Deno.env.get("SCALE_D") ?? 20);
  const otMax = Number(Deno.env.get("SCALE_OT_MAX") ?? 1000);
  const peer = await haveOpenturns();
  console.log(
    `\nHSIC goal-oriented (q = 0.1), d = ${d}, V, asymptotic + ${PERMUTATIONS} permutations: wall and CPU time, RSS, Nyström error, OpenTURNS (up to n = ${otMax}; its permutations timed with B = ${PEER_B}, scaled to ${PERMUTATIONS})`,
  );
  console.log(
    "  n        exact s   CPU s   RSS MiB   nyström s   max |Δr2|   OpenTURNS s   ratio",
  );
  for (const n of sizes("SCALE_N", [1000, 2000, 5000, 10000])) {
    const r = new Random(0, "bench-scale");
    const x = Array.from(
      { length: n },
      () => Array.from({ length: d }, () => r.uniform()),
    );
    const y = x.map((v) =>
      (v[0] - 0.3) ** 2 + 0.5 * v[1] * v[2] + 0.01 * r.normal()
    );
    const goal = { quantile: 0.1 };
    let t0 = performance.now();
    const c0 = process.cpuUsage();
    const exact = hsicTable(x, y, { goal, permutations: PERMUTATIONS });
    const exactS = (performance.now() - t0) / 1000;
    const c1 = process.cpuUsage(c0);
    const cpuS = (c1.user + c1.system) / 1e6;
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
    const ot = peer && n <= otMax
      ? await openturnsSeconds(x, y, exact.threshold!)
      : null;
    console.log(
      `  ${String(n).padEnd(8)} ${exactS.toFixed(2).padStart(7)} ${
        cpuS.toFixed(2).padStart(7)
      } ${rss.toFixed(0).padStart(9)} ${approxS.toFixed(2).padStart(11)} ${
        err.toExponential(1).padStart(11)
      } ${ot === null ? "-".padStart(13) : ot.toFixed(2).padStart(13)} ${
        ot === null ? "" : `${(ot / exactS).toFixed(1)}×`.padStart(7)
      }`,
    );
  }
}

/** `count` finished Hartmann-6 trials at uniform points (seed 1). */
function randomTrials(count: number): FinishedTrial[] {
  return hartmann6.space.sampleMany(count, 1).map((config, trial) => ({
    suggestion: { trial, config, budget: null },
    outcome: { value: hartmann6.evaluate(config) },
  }));
}

/**
 * The medians of 5 ask() latencies after `trials`, restored at once: wall
 * and CPU milliseconds (CPU is what a shared machine does not inflate).
 */
function askLatency(
  method: SearchMethod,
  trials: FinishedTrial[],
): { wall: number; cpu: number } {
  const make = () => SEARCHERS[method]({ space: hartmann6.space, seed: 0 });
  const s = make();
  if (!s.restore?.(trials, make().snapshot?.())) {
    throw new Error(`${method} cannot restore`);
  }
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const { trial, config } = s.ask();
    const c1 = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c1.user + c1.system) / 1000);
    s.tell(trial, hartmann6.evaluate(config));
  }
  const median = (v: number[]) => v.sort((a, b) => a - b)[2];
  return { wall: median(wall), cpu: median(cpu) };
}

const ASK_METHODS: SearchMethod[] = [
  "tpe",
  "tpe-multivariate",
  "gp-ei",
  "rf-smbo",
];

async function askScale() {
  const counts = sizes("SCALE_TRIALS", [100, 1000, 5000, 10000]);
  console.log(
    "\nask() latency on Hartmann-6 after n finished trials at uniform points, median of 5, wall (CPU) ms; Optuna 3.1: wall, median of 10, the same fill",
  );
  const peer = await haveOptuna();
  console.log(
    `  ${"n".padEnd(7)}${ASK_METHODS.map((m) => m.padStart(18)).join("")}${
      peer ? "  Optuna tpe  Optuna tpe-mv   tpe ratio" : ""
    }`,
  );
  for (const count of counts) {
    const trials = randomTrials(count);
    const ours = ASK_METHODS.map((m) => askLatency(m, trials));
    const optuna = peer
      ? await optunaPeer<Record<string, number>>({
        task: "ask-time",
        trials: count,
        fill: "random",
      })
      : null;
    console.log(
      `  ${String(count).padEnd(7)}${
        ours.map((t) =>
          `${t.wall.toFixed(1)} (${t.cpu.toFixed(1)})`.padStart(18)
        )
          .join("")
      }${
        optuna
          ? `${optuna.tpe.toFixed(1).padStart(12)}${
            optuna["tpe-multivariate"].toFixed(1).padStart(15)
          }${`${(optuna.tpe / ours[0].wall).toFixed(1)}×`.padStart(12)}`
          : ""
      }`,
    );
  }
}

/** Runs both parts. */
export async function run(): Promise<void> {
  if (Deno.env.get("SCALE_PART") !== "ask") await hsicScale();
  if (Deno.env.get("SCALE_PART") !== "hsic") await askScale();
}

if (import.meta.main) await run();
