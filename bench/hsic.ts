/**
 * `deno task bench hsic`: goal-oriented HSIC at the issue's scale — n = 2,000,
 * d = 10, U-statistic, goal quantile 0.1, asymptotic p-values and B = 200
 * permutations — against OpenTURNS 1.20 on the same design when
 * `/usr/bin/python3` has it.
 *
 * OpenTURNS recomputes an n × n matrix product per permutation and input
 * (about 2 s each here), so by default it runs its permutations with
 * B = 5 and the per-permutation time is printed; `INFOLENS_BENCH_FULL_PEER=1`
 * runs its full B = 200 (about 7 minutes).
 *
 * @module
 */

import { Random } from "../lib/space/random.ts";
import { hsicTable } from "../lib/hsic/indices.ts";
import { sampleStd } from "../lib/hsic/kernels.ts";
import { haveOpenturns, openturnsHsic } from "./peers/openturns.ts";
import { PYTHON } from "./peers/python.ts";

const N = 2000;
const D = 10;
const B = 200;
const QUANTILE = 0.1;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A design where 3 of 10 inputs matter (Ishigami on the first three). */
function design() {
  const r = new Random(0, "bench-hsic");
  const x = Array.from(
    { length: N },
    () => Array.from({ length: D }, () => r.uniform(-Math.PI, Math.PI)),
  );
  const y = x.map(([a, b, c]) =>
    Math.sin(a) + 7 * Math.sin(b) ** 2 + 0.1 * c ** 4 * Math.sin(a)
  );
  return { x, y };
}

async function openturns(
  x: number[][],
  y: number[],
  threshold: number,
  permutations: number,
): Promise<{ indices: number; permutation: number } | null> {
  if (!(await haveOpenturns())) {
    console.log(`  (no OpenTURNS for ${PYTHON}: peer skipped)`);
    return null;
  }
  const z = y.map((v) => (v <= threshold ? 1 : 0));
  try {
    const [result] = await openturnsHsic([{
      x,
      y,
      theta: Array.from(
        { length: D },
        (_, j) => sampleStd(x.map((r) => r[j])),
      ),
      outputTheta: sampleStd(z),
      estimator: "U",
      threshold,
      permutations,
    }]);
    return result.seconds;
  } catch (e) {
    console.log(`  (${e instanceof Error ? e.message : e})`);
    return null;
  }
}

/** Runs the benchmark and prints its figures. */
export async function run(): Promise<void> {
  const { x, y } = design();
  const options = {
    estimator: "U" as const,
    goal: { quantile: QUANTILE },
    permutations: B,
  };
  const all: number[] = [];
  const indicesOnly: number[] = [];
  let table = hsicTable(x, y, { ...options, pValues: [] });
  for (let rep = 0; rep < 3; rep++) {
    let t0 = performance.now();
    hsicTable(x, y, { ...options, pValues: ["asymptotic"] });
    indicesOnly.push((performance.now() - t0) / 1000);
    t0 = performance.now();
    table = hsicTable(x, y, options);
    all.push((performance.now() - t0) / 1000);
  }
  const ours = median(all);
  const oursIndices = median(indicesOnly);
  console.log(
    `HSIC n=${N} d=${D} U-stat goal q=${QUANTILE}, B=${B} (median of 3)`,
  );
  console.log(
    `  infolens: indices + asymptotic p ${
      oursIndices.toFixed(2)
    } s; everything incl. ${B} permutations ${
      ours.toFixed(2)
    } s (target < 4 s)`,
  );
  console.log(
    `  R2 of x0..x2: ${
      table.rows.slice(0, 3).map((r) => r.r2!.toFixed(3)).join(", ")
    }; largest R2 of the 7 dummies: ${
      Math.max(...table.rows.slice(3).map((r) => r.r2!)).toFixed(4)
    }`,
  );
  const full = Deno.env.get("INFOLENS_BENCH_FULL_PEER") === "1";
  const peerB = full ? B : 5;
  const peer = await openturns(x, y, table.threshold!, peerB);
  if (!peer) return;
  const perPerm = peer.permutation / peerB;
  console.log(
    `  OpenTURNS: indices + asymptotic p ${
      peer.indices.toFixed(2)
    } s; ${peerB} permutations ${peer.permutation.toFixed(1)} s (${
      perPerm.toFixed(2)
    } s each)`,
  );
  console.log(
    `  ratio OpenTURNS / infolens: indices + asymptotic ${
      (peer.indices / oursIndices).toFixed(1)
    }x; per permutation ${(perPerm / ((ours - oursIndices) / B)).toFixed(0)}x${
      full
        ? `; everything ${
          ((peer.indices + peer.permutation) / ours).toFixed(1)
        }x`
        : ""
    }`,
  );
}

if (import.meta.main) await run();
