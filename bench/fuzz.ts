/**
 * `deno task bench fuzz`: the property-based checks of test/support/fuzz.ts
 * with many more cases than the test task runs (set `FUZZ_RUNS`, default
 * 2000, and `FUZZ_SEED`), and the cost of the per-trial checks the runner
 * added (objective value and argument checks) beside one TPE ask.
 *
 * @module
 */

import { runProperties } from "../test/support/fuzz.ts";
import { runTrial } from "../lib/trials/objective.ts";
import { TpeSearcher } from "../lib/search/tpe.ts";
import { float, int, SearchSpace } from "../lib/space/space.ts";
import { checkCapture } from "../lib/nets/check_capture.ts";
import type { ActivationCapture } from "../lib/nets/train.ts";
import { toMatrix } from "../lib/mi/input.ts";
import { neuralSettings } from "../lib/mi/neural.ts";
import { estimateMI } from "../lib/mi/estimate.ts";

/** Median seconds per call of `fn` over `reps` timed blocks of `n` calls. */
async function perCall(
  fn: () => unknown,
  n: number,
  reps = 5,
): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    times.push((performance.now() - t0) / 1000 / n);
  }
  return times.sort((a, b) => a - b)[Math.floor(reps / 2)];
}

/** Runs the long fuzz and the overhead measurement. */
export async function run(): Promise<void> {
  const runs = Number(Deno.env.get("FUZZ_RUNS") ?? 2000);
  const seed = Number(Deno.env.get("FUZZ_SEED") ?? Date.now() % 2 ** 31);
  const t0 = performance.now();
  const failures = await runProperties(runs, seed);
  console.log(
    `fuzz: ${runs} cases per property, seed ${seed}, ${
      ((performance.now() - t0) / 1000).toFixed(1)
    } s: ${failures.length === 0 ? "all passed" : failures.join("\n")}`,
  );

  const space = new SearchSpace({
    lr: float(1e-4, 1e-1, { log: true }),
    width: int(8, 256),
    drop: float(0, 0.5),
  });
  const tpe = new TpeSearcher({ space, seed: 0 });
  for (let i = 0; i < 100; i++) {
    const s = tpe.ask();
    tpe.tell(s.trial, Math.sin(i));
  }
  const ask = await perCall(() => {
    const s = tpe.ask();
    tpe.tell(s.trial, Math.random());
  }, 20);
  const config = { lr: 0.01, width: 32, drop: 0.1 };
  const objective = () => ({ loss: 0.5, accuracy: 0.9 });
  // runTrial with the value checks, minus a bare call of the objective.
  const checked = await perCall(
    () => runTrial(objective, config, 0, 0, "loss"),
    20000,
  );
  const bare = await perCall(async () => await objective(), 20000);
  const cost = Math.max(0, checked - bare);
  console.log(
    `checks per trial: ${
      (cost * 1e6).toFixed(2)
    } µs; one TPE ask+tell after 100 trials: ${
      (ask * 1e3).toFixed(2)
    } ms; ratio ${(100 * cost / ask).toFixed(3)} % (target < 2 %)`,
  );

  // checkCapture, the validator lib/mi is to call once per layerMI call
  // (lib/mi itself is unchanged here, so a MINE step's hot path has no new
  // check): 20 checkpoints × 6 layers, against one TPE ask.
  const layers = [10, 7, 5, 4, 3, 2].map((units, i) => ({
    index: i + 1,
    name: `dense ${i + 1}`,
    units,
    activation: "tanh" as const,
  }));
  const capture: ActivationCapture = {
    epochs: Array.from({ length: 20 }, (_, i) => i),
    rows: 4096,
    layers,
    activations: Array.from(
      { length: 20 },
      () => layers.map((l) => new Float32Array(4096 * l.units)),
    ),
  };
  const check = await perCall(() => checkCapture(capture), 20000);
  console.log(
    `checkCapture (20 checkpoints × 6 layers): ${
      (check * 1e6).toFixed(2)
    } µs; ratio to one TPE ask ${
      (100 * check / ask).toFixed(3)
    } % (target < 2 %)`,
  );

  // lib/mi's checks per estimateMI / layerMI call (input types and values,
  // the neural options, the capture), against one MINE step (batch 256) on
  // the same data: the checks run once per call, a call runs many steps.
  const n = 4096, dx = 12;
  const xs = Array.from(
    { length: n },
    (_, i) => Array.from({ length: dx }, (_, j) => Math.sin(i * 13 + j)),
  );
  const ys = xs.map((r) => r[0] + Math.cos(r[1]));
  const inputs = await perCall(() => {
    toMatrix(xs, "x");
    toMatrix(ys, "y");
    neuralSettings("mine", { steps: 200, learningRate: 1e-3 });
  }, 50);
  const steps = 200;
  const t0Mine = performance.now();
  await estimateMI(xs, ys, { method: "mine", steps, evalEvery: 0 });
  const step = (performance.now() - t0Mine) / 1000 / steps;
  console.log(
    `estimateMI input and option checks (${n} × ${dx}): ${
      (inputs * 1e3).toFixed(3)
    } ms per call; one MINE step: ${(step * 1e3).toFixed(2)} ms; ratio ${
      (100 * inputs / step).toFixed(2)
    } % of one step (target < 2 %), ${
      (100 * inputs / (step * steps)).toFixed(4)
    } % of a ${steps}-step call; checkCapture above is per layerMI call`,
  );
}
