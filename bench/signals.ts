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
 * Then the CNN sweep's own wall time per architecture, read from the
 * `duration_s` column of the shipped `data/cnn_small_sweep.parquet` (each
 * trial's measured time: zero-cost proxies, RMI, training, per-layer MI).
 *
 * Environment: `INFOLENS_SIGNALS_WIDTHS` (filters per layer, all 4 layers
 * equal; default 10,20,40), `INFOLENS_SIGNALS_RMI_STEPS` (default 150, the
 * published count; fewer steps time the thesis's widest networks, and the
 * `s/step` column scales them to 150: the steps are identical, so the cost
 * is linear in their number).
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
import { convStages, rmiScore, teacherFeatures } from "../lib/mi/rmi.ts";
import pl from "nodejs-polars";
import { join } from "node:path";

// The widths timed; INFOLENS_SIGNALS_WIDTHS=10,60,120 times others (the
// wide ones take minutes each on 2 cores: RMI's 150 steps dominate).
const WIDTHS = (Deno.env.get("INFOLENS_SIGNALS_WIDTHS") ?? "10,20,40")
  .split(",").map(Number);
const RMI_STEPS = Number(Deno.env.get("INFOLENS_SIGNALS_RMI_STEPS") ?? 150);

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
  // The load the figures were measured under (other work shares the cores).
  console.log(`load average at start: ${Deno.loadavg().join(", ")}`);
  const digits = await loadDigits({ scale: true });
  const x = tf.tensor2d(digits.x.slice(0, 32));
  const y = digits.y.slice(0, 32);
  const teacher = buildNetwork(cnn(60), 99);
  const features = teacherFeatures(
    { model: teacher.model, stages: convStages(teacher.model) },
    x,
  );
  console.log(
    `seconds per architecture (batch 32); RMI: ${RMI_STEPS} SGD steps, 4 stages\n`,
  );
  console.log(
    ["filters", "params", ...ZERO_COST_PROXIES, "rmi", "s/step", "rmi@150"]
      .map((h) => h.padStart(9)).join(" "),
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
      { steps: RMI_STEPS },
    );
    const rmi = (performance.now() - t0) / 1000;
    seconds.push(rmi, rmi / RMI_STEPS, rmi / RMI_STEPS * 150);
    console.log(
      [String(f), String(net.parameters), ...seconds.map((s) => s.toFixed(3))]
        .map((c) => c.padStart(9)).join(" "),
    );
    net.dispose();
  }
  tf.dispose([x, ...features]);
  teacher.dispose();
  console.log(`load average at end: ${Deno.loadavg().join(", ")}`);
  sweepWallTime();
}

/**
 * The CNN sweep's wall time per architecture from its own `duration_s`
 * column, grouped by the filter sum (the width that sets the cost).
 */
function sweepWallTime(): void {
  const path = join(
    import.meta.dirname!,
    "..",
    "data",
    "cnn_small_sweep.parquet",
  );
  const rows = pl.readParquet(path).select("filter_sum", "duration_s")
    .toRecords() as { filter_sum: number; duration_s: number }[];
  console.log(
    `\nCNN_SMALL sweep (${path}): seconds per architecture, from duration_s`,
  );
  console.log(
    ["filter sum", "trials", "min", "median", "max"].map((h) => h.padStart(10))
      .join(" "),
  );
  const groups: [number, number][] = [[0, 40], [41, 56], [57, 72], [73, 96]];
  for (const [lo, hi] of [...groups, [0, 96] as [number, number]]) {
    const d = rows.filter((r) => r.filter_sum >= lo && r.filter_sum <= hi)
      .map((r) => r.duration_s).sort((a, b) => a - b);
    if (d.length === 0) continue;
    const median = d.length % 2
      ? d[(d.length - 1) / 2]
      : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
    console.log(
      [
        lo === 0 && hi === 96 ? "all" : `${lo}–${hi}`,
        String(d.length),
        d[0].toFixed(1),
        median.toFixed(1),
        d[d.length - 1].toFixed(1),
      ].map((c) => c.padStart(10)).join(" "),
    );
  }
  const total = rows.reduce((a, r) => a + r.duration_s, 0);
  console.log(`total trial time ${total.toFixed(0)} s over ${rows.length}`);
}

if (import.meta.main) await run();
