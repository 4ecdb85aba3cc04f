// A sweep that appends trials to a store, for the crash and concurrency
// tests: `deno run -A trial_writer.ts <store> <count> <delayMs> <writer>`.
// It prints "done <trial>" after each append has returned (durably stored).
import { trialRow, TrialStore } from "../../lib/trials/trials.ts";

const [path, count, delayMs, writer] = Deno.args;
const store = await TrialStore.open(path);
for (let i = 0; i < Number(count); i++) {
  const row = await store.append(trialRow({
    config: { lr: 0.001 * (i + 1), act: i % 2 ? "relu" : "tanh", depth: i % 4 },
    objectives: { loss: 1 / (i + 1) },
    seed: i,
    duration_s: 0.01,
    measurements: { writer: Number(writer) },
  }));
  console.log(`done ${row.trial}`);
  if (Number(delayMs) > 0) {
    await new Promise((r) => setTimeout(r, Number(delayMs)));
  }
}
