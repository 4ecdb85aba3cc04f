/**
 * One worker of a shared study, as a Slurm array task or a test runs it:
 *   deno run -A test/support/study_worker.ts STORE BUDGET [METHOD] [SLEEP_MS]
 * runs `optimize` with TPE (default) on a 2-d bowl whose evaluation takes
 * SLEEP_MS (default 150) milliseconds, then prints the study's size.
 */
import { optimize } from "../../lib/search/optimize.ts";
import { float, SearchSpace } from "../../lib/space/space.ts";

const [store, budget, method = "tpe", sleep = "150"] = Deno.args;
Deno.env.set("STUDY_SLEEP_MS", sleep);
const space = new SearchSpace({ x: float(-1, 1), y: float(-1, 1) });
const df = await optimize(
  {
    module: new URL("./study_objective.ts", import.meta.url).href,
    name: "slowBowl",
  },
  space,
  {
    method: method as "tpe",
    budget: Number(budget),
    seed: 3,
    store,
    progress: "quiet",
  },
);
console.log(`study has ${df.height} trials`);
