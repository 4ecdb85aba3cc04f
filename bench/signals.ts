/**
 * `deno task bench signals`: what each early signal of a good architecture
 * costs per architecture on infolens's CNN space (the thesis's: 4 conv
 * layers, "same" padding, no pooling, on the 8×8 digits; filters from 10 to
 * 120; 10, 20 and 40 by default): every zero-cost proxy on one batch of 32, and RMI-NAS's proxy
 * training (150 SGD steps on one batch of 32 against a teacher's 4 stage
 * features). The teacher is an untrained 60-filter network: its weights
 * change the score, not the cost.
 *
 * Runs on the wasm backend, whose Conv3D has the weight gradient infolens's
 * CNNs train through.
 *
 * @module
 */

import { setBackend, tf } from "../lib/nets/backend.ts";
import {
  buildNetwork,
  type CnnArchitecture,
} from "../lib/nets/architecture.ts";
import { loadDigits } from "../lib/data/digits.ts";
import { ZERO_COST_PROXIES, zeroCostProxies } from "../lib/nets/zero_cost.ts";
import { rmiScore, teacherFeatures } from "../lib/mi/rmi.ts";
import type { LayersModel } from "../lib/nets/_tfjs.ts";

// The widths timed; INFOLENS_SIGNALS_WIDTHS=10,60,120 times others (the
// wide ones take minutes each on 2 cores: RMI's 150 steps dominate).
const WIDTHS = (Deno.env.get("INFOLENS_SIGNALS_WIDTHS") ?? "10,20,40")
  .split(",").map(Number);

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

/** The conv layers' names: the stages RMI compares. */
function convStages(model: LayersModel): string[] {
  return model.layers
    .filter((l) => l.getClassName() === "Conv3D")
    .map((l) => l.name);
}

export async function run(): Promise<void> {
  const backend = await setBackend("wasm");
  console.log(`backend: ${backend.description}`);
  const digits = await loadDigits({ scale: true });
  const x = tf.tensor2d(digits.x.slice(0, 32));
  const y = digits.y.slice(0, 32);
  const teacher = buildNetwork(cnn(60), 99);
  const features = teacherFeatures(
    { model: teacher.model, stages: convStages(teacher.model) },
    x,
  );
  console.log(
    `seconds per architecture (batch 32); RMI: 150 SGD steps, 4 stages\n`,
  );
  console.log(
    ["filters", "params", ...ZERO_COST_PROXIES, "rmi"].map((h) => h.padStart(9))
      .join(" "),
  );
  for (const f of WIDTHS) {
    const net = buildNetwork(cnn(f), f);
    const seconds: number[] = [];
    for (const p of ZERO_COST_PROXIES) {
      const t0 = performance.now();
      await zeroCostProxies(net.model, { x, y }, { proxies: [p] });
      seconds.push((performance.now() - t0) / 1000);
    }
    const t0 = performance.now();
    await rmiScore(
      { model: net.model, stages: convStages(net.model) },
      features,
      { x, y },
    );
    seconds.push((performance.now() - t0) / 1000);
    console.log(
      [String(f), String(net.parameters), ...seconds.map((s) => s.toFixed(3))]
        .map((c) => c.padStart(9)).join(" "),
    );
    net.dispose();
  }
  tf.dispose([x, ...features]);
  teacher.dispose();
}

if (import.meta.main) await run();
