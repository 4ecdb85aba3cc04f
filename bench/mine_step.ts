/**
 * `deno run -A bench/mine_step.ts [batch...]`: where one MINE step's time
 * goes (issue 23). Trains the `estimateMI` default concat critic (2×100 ReLU,
 * dims 5 + 5) on the hand-written trainer and times each part of a step:
 * drawing and gathering rows, each matrix product (forward and backward),
 * the weight transposes and Adam; what is left is the bound, its
 * derivative, the EMA and JavaScript glue. `THREADS` (default 1) sets the
 * arena's threads, `STEPS` the timed steps per batch size.
 *
 * @module
 */

import { Arena } from "../lib/_kernels/gemm.ts";
import { PairTrainer } from "../lib/mi/_pair_trainer.ts";
import { Adam, gatherRows } from "../lib/mi/_kernel_mlp.ts";
import { correlatedGaussian } from "../lib/mi/ground_truth.ts";

const parts = new Map<string, number>();
function add(name: string, ms: number): void {
  parts.set(name, (parts.get(name) ?? 0) + ms);
}

// Time every product and transpose by wrapping the arena's methods.
const proto = Arena.prototype as unknown as Record<
  string,
  (...a: unknown[]) => unknown
>;
for (const name of ["gemm", "gemv", "transpose"]) {
  const original = proto[name];
  proto[name] = function (this: unknown, ...args: unknown[]) {
    const t = performance.now();
    const out = original.apply(this, args);
    // gemm(a, ars, ass, b, c, rows, steps, cols), gemv(a, x, y, rows,
    // steps), transpose(src, rows, cols, dst).
    const [rows, steps, cols] = name === "gemm"
      ? [args[5], args[6], args[7]]
      : name === "gemv"
      ? [args[3], args[4], 1]
      : [args[1], args[2], 1];
    add(`${name} ${rows}×${steps}·${cols}`, performance.now() - t);
    return out;
  };
}

const task = correlatedGaussian({ dim: 5, rho: 0.5 });
const { x, y } = task.sample(8_000, { seed: 0 });
const xs = Float32Array.from(x.flat());
const ys = Float32Array.from(y.flat());
const threads = Number(Deno.env.get("THREADS") ?? 1);

for (
  const batch of Deno.args.length ? Deno.args.map(Number) : [256, 1024, 4096]
) {
  const trainer = new PairTrainer(10, [100, 100], {
    bound: "mine-ema",
    learningRate: 5e-4,
    seed: 0,
    threads,
  });
  const adam = new Adam(trainer.mlp.size, 5e-4);
  const steps = Number(
    Deno.env.get("STEPS") ?? Math.max(60, Math.round(100_000 / batch)),
  );
  const idx = new Int32Array(batch), idx2 = new Int32Array(batch);
  let seed = 1;
  const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) % 8000;
  parts.clear();
  let total = 0;
  for (let s = 0; s < steps + 10; s++) {
    if (s === 10) parts.clear();
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) [idx[i], idx2[i]] = [rand(), rand()];
    add("sample indices", performance.now() - t0);
    let t = performance.now();
    const rows = trainer.rows(2 * batch);
    gatherRows(rows, 10, 0, xs, 5, idx);
    gatherRows(rows, 10, 5, ys, 5, idx);
    gatherRows(rows, 10, 0, xs, 5, idx, batch);
    gatherRows(rows, 10, 5, ys, 5, idx2, batch);
    add("gather rows", performance.now() - t);
    // trainer.step's two halves, timed apart: the gradient (products,
    // bound, EMA) and Adam (an instance of the same class as the trainer's).
    const { grad } = trainer.gradient(2 * batch, batch);
    t = performance.now();
    adam.apply(trainer.theta, grad);
    add("Adam", performance.now() - t);
    if (s >= 10) total += performance.now() - t0;
  }
  const gemm = [...parts].filter(([k]) =>
    k.startsWith("gemm") || k.startsWith("gemv")
  )
    .reduce((a, [, v]) => a + v, 0);
  const listed = [...parts.values()].reduce((a, v) => a + v, 0);
  console.log(
    `\nbatch ${batch} (${2 * batch} rows), threads ${threads}: ${
      (total / steps).toFixed(3)
    } ms/step, ${(1000 * steps / total).toFixed(1)} steps/s`,
  );
  for (const [k, v] of [...parts].sort((a, b) => b[1] - a[1])) {
    console.log(
      `  ${k.padEnd(28)} ${(v / steps).toFixed(3).padStart(8)} ms  ${
        (100 * v / total).toFixed(1).padStart(5)
      } %`,
    );
  }
  console.log(
    `  ${"all products".padEnd(28)} ${
      (gemm / steps).toFixed(3).padStart(8)
    } ms  ${(100 * gemm / total).toFixed(1).padStart(5)} %`,
  );
  console.log(
    `  ${"rest (bound, EMA, JS)".padEnd(28)} ${
      ((total - listed) / steps).toFixed(3).padStart(8)
    } ms  ${(100 * (total - listed) / total).toFixed(1).padStart(5)} %`,
  );
  trainer.dispose();
}
