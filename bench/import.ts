/**
 * `deno task bench import`: time to import a 10,000-trial Optuna study from
 * its SQLite storage (float, log-float, int and categorical parameters plus
 * a conditional one). The study is written once by Debian's python3-optuna
 * (`add_trials`, no objective runs; about 5 minutes on the 2-core development
 * machine, as each trial is its own SQLite commit) and cached in the system
 * temp dir; without
 * python3-optuna the benchmark says so and skips.
 *
 * @module
 */

import { join } from "node:path";
import { tmpdir } from "node:os";
import { importOptunaStudy } from "../lib/trials/import_optuna.ts";

const TRIALS = 10_000;

const MAKE = `
import random, sys, optuna
optuna.logging.set_verbosity(optuna.logging.ERROR)
path, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(0)
D = optuna.distributions
dists = {
    "x": D.FloatDistribution(-1, 1),
    "lr": D.FloatDistribution(1e-5, 1e-1, log=True),
    "depth": D.IntDistribution(1, 8),
    "opt": D.CategoricalDistribution(["sgd", "adam", "rmsprop"]),
    "momentum": D.FloatDistribution(0, 0.99),
}
trials = []
for _ in range(n):
    p = {"x": rng.uniform(-1, 1), "lr": 10 ** rng.uniform(-5, -1),
         "depth": rng.randint(1, 8), "opt": rng.choice(["sgd", "adam", "rmsprop"])}
    if p["opt"] == "sgd":
        p["momentum"] = rng.uniform(0, 0.99)
    trials.append(optuna.trial.create_trial(
        params=p, distributions={k: dists[k] for k in p},
        value=(p["x"] - 0.3) ** 2 + p["depth"] / 10))
study = optuna.create_study(storage="sqlite:///" + path, study_name="bench")
study.add_trials(trials)
`;

async function cachedStudy(): Promise<string | null> {
  const path = join(tmpdir(), `infolens-bench-optuna-${TRIALS}.db`);
  try {
    await Deno.stat(path);
    return path;
  } catch { /* not built yet */ }
  console.log(`writing ${path} (${TRIALS} trials with python3-optuna, once)…`);
  const t0 = performance.now();
  const out = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", MAKE, path + ".part", String(TRIALS)],
  }).output().catch(() => null);
  if (!out?.success) {
    console.log(
      "skipped: /usr/bin/python3 with optuna is needed to write the study (apt-get install python3-optuna)",
    );
    if (out) console.log(new TextDecoder().decode(out.stderr).slice(-500));
    await Deno.remove(path + ".part").catch(() => {});
    return null;
  }
  await Deno.rename(path + ".part", path);
  console.log(`  written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return path;
}

/** Runs the benchmark and prints its figures. */
export async function run(): Promise<void> {
  const path = await cachedStudy();
  if (!path) return;
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const { trials } = importOptunaStudy(path);
    times.push(performance.now() - t0);
    rows = trials.height;
  }
  times.sort((a, b) => a - b);
  console.log(
    `importOptunaStudy, ${rows} trials × 5 parameters: median ${
      (times[1] / 1000).toFixed(3)
    } s of 3 runs (min ${(times[0] / 1000).toFixed(3)} s)`,
  );
}

if (import.meta.main) await run();
