/**
 * `deno task bench resume`: resuming a 500-trial GP-EI store (Branin, seed
 * 0; built once and cached under .cache/bench/). Measured in the same run:
 *
 * - the old way: a fresh searcher asked and told each stored trial in turn
 *   (as `optimize` resumed before: one GP fit per stored trial), then asked
 *   its first new trial;
 * - the new way: one `restore` of the table and the saved state, then the
 *   first new ask (one fit);
 * - one ordinary ask at 501 trials.
 *
 * Target: the new way's first ask in about the time of one ask. Both ways
 * must propose the same first new trial (checked, not timed).
 *
 * @module
 */

import { join } from "node:path";
import { optimize } from "../lib/search/optimize.ts";
import { branin } from "../lib/search/functions.ts";
import { GpEiSearcher } from "../lib/search/gp_ei.ts";
import { TrialStore } from "../lib/trials/trials.ts";
import { finishedTrial } from "../lib/trials/_runner.ts";

const TRIALS = 500;

async function cachedStore(): Promise<string> {
  const dir = join(import.meta.dirname!, "..", ".cache", "bench");
  await Deno.mkdir(dir, { recursive: true });
  const path = join(dir, `resume-gp-ei-${TRIALS}.jsonl`);
  const done = await TrialStore.open(path).then((s) => s.size).catch(() => 0);
  if (done < TRIALS) {
    console.log(`building ${path} (${TRIALS} GP-EI trials, once)…`);
    const t0 = performance.now();
    await optimize((c) => branin.evaluate(c), branin.space, {
      method: "gp-ei",
      budget: TRIALS,
      seed: 0,
      store: path,
      progress: "quiet",
    });
    console.log(`built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return path;
}

const ms = (t: number) => `${t.toFixed(1)} ms`;

/** Runs the benchmark and prints its figures. */
export async function run(): Promise<void> {
  const path = await cachedStore();
  const store = await TrialStore.open(path);
  const finished = store.rows()
    .sort((a, b) => (a.trial as number) - (b.trial as number))
    .map((r) => finishedTrial(branin.space, r, "loss"));
  const saved = JSON.parse(await Deno.readTextFile(`${path}.searcher.json`));
  if (saved.trials !== finished.length) {
    throw new Error(`${path}.searcher.json is for ${saved.trials} trials`);
  }
  const settings = { space: branin.space, seed: 0 };

  // The old way: one ask (a fit) and one tell per stored trial.
  let t0 = performance.now();
  const old = new GpEiSearcher(settings);
  for (const { outcome } of finished) {
    const s = old.ask();
    old.tell(s.trial, outcome);
  }
  const oldFirst = old.ask();
  const oldTime = performance.now() - t0;

  // The new way: the table at once, one fit at the first ask.
  t0 = performance.now();
  const fresh = new GpEiSearcher(settings);
  if (!fresh.restore(finished, saved.state)) throw new Error("not restored");
  const newFirst = fresh.ask();
  const newTime = performance.now() - t0;

  // One ordinary ask, at 501 trials.
  fresh.tell(newFirst.trial, branin.evaluate(newFirst.config));
  t0 = performance.now();
  fresh.ask();
  const askTime = performance.now() - t0;

  const same = JSON.stringify(oldFirst) === JSON.stringify(newFirst);
  console.log(`GP-EI, Branin, ${finished.length} stored trials`);
  console.log(`  first new ask, replaying each trial: ${ms(oldTime)}`);
  console.log(`  first new ask, one restore:          ${ms(newTime)}`);
  console.log(`  one ordinary ask:                    ${ms(askTime)}`);
  console.log(
    `  speed-up ${(oldTime / newTime).toFixed(0)}×; restore / one ask ${
      (newTime / askTime).toFixed(2)
    }×; same first proposal: ${same ? "yes" : "NO"}`,
  );
}

if (import.meta.main) await run();
