/**
 * A search fed bad arguments stops at once with a named error; a search fed
 * degenerate objectives (ties, constants, all failures) never stops.
 */
import { assert, assertEquals, assertRejects } from "./support/assert.ts";
import { join } from "node:path";
import { InfolensError } from "../lib/errors.ts";
import { float, SearchSpace } from "../lib/space/space.ts";
import { optimize } from "../lib/search/optimize.ts";
import { SearchError } from "../lib/search/searcher.ts";
import { SweepError } from "../lib/trials/objective.ts";
import type { Objective } from "../lib/trials/objective.ts";

const space = new SearchSpace({ x: float(0, 1), y: float(0, 1) });

/** Runs `fn` with console.warn and console.error captured. */
async function captured<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; warned: string[] }> {
  const warned: string[] = [];
  const { warn, error } = console;
  console.warn = (...a: unknown[]) => warned.push(a.join(" "));
  console.error = () => {};
  try {
    return { value: await fn(), warned };
  } finally {
    console.warn = warn;
    console.error = error;
  }
}

Deno.test("an objective returning a string stops the search with a named error", async () => {
  let calls = 0;
  const f = (() => {
    calls++;
    return "0.5";
  }) as unknown as Objective;
  await assertRejects(
    () => optimize(f, space, { budget: 5, progress: "quiet" }),
    /trial 0: the objective returned a string \("0.5"\); return a number/,
  );
  assertEquals(calls, 1);
  await assertRejects(
    () =>
      optimize(
        (() => ({ loss: "x" })) as unknown as Objective,
        space,
        { budget: 5, progress: "quiet" },
      ),
    /returned "loss": "x" \(a string\)/,
  );
});

Deno.test("a non-function objective and missing options are named errors", async () => {
  for (const bad of [42, "loss", null, { module: 3 }]) {
    await assertRejects(
      () =>
        optimize(bad as unknown as Objective, space, {
          budget: 3,
          progress: "quiet",
        }),
      /the objective must be a function/,
    );
  }
  await assertRejects(
    // deno-lint-ignore no-explicit-any
    () => (optimize as any)(() => 1, space),
    /options are required, at least \{ budget/,
  );
  await assertRejects(
    // deno-lint-ignore no-explicit-any
    () => (optimize as any)(() => 1, undefined, { budget: 3 }),
    /space must be a SearchSpace/,
  );
  await assertRejects(
    // deno-lint-ignore no-explicit-any
    () => (optimize as any)(() => 1, space, {}),
    SearchError,
  );
});

Deno.test("resuming with another objective column names both columns", async () => {
  const store = join(await Deno.makeTempDir(), "s.trials.jsonl");
  await optimize((c) => c.x as number, space, {
    budget: 4,
    store,
    progress: "quiet",
  });
  await assertRejects(
    () =>
      optimize((c) => ({ acc: c.x as number }), space, {
        budget: 8,
        store,
        objective: "acc",
        progress: "quiet",
      }),
    /4 finished trials have no "acc" value \(their objective column looks like "loss"\)/,
  );
});

const DEGENERATE: [string, Objective][] = [
  ["ties", (c) => ((c.x as number) > 0.2 ? 1e3 : (c.x as number))],
  ["a constant", () => 1],
  ["all failures", () => {
    throw new Error("diverged");
  }],
];

for (const method of ["hsic-guided", "tpe", "gp-ei", "rf-smbo", "bore"]) {
  Deno.test(`${method} goes on through ties, constants and failures, and resumes`, async () => {
    for (const [label, f] of DEGENERATE) {
      const store = join(await Deno.makeTempDir(), "s.trials.jsonl");
      const run = (budget: number) =>
        captured(() =>
          optimize(f, space, {
            method: method as "tpe",
            budget,
            seed: 3,
            store,
            progress: "quiet",
          })
        );
      const first = await run(30);
      assertEquals(first.value.height, 30, `${method} on ${label}`);
      const fallbacks = first.warned.filter((w) => w.includes("tie"));
      assert(fallbacks.length <= 1, "the fallback is said once");
      // Killed after 25 trials: the last five rows were never written.
      const lines = (await Deno.readTextFile(store)).trim().split("\n");
      await Deno.writeTextFile(store, lines.slice(0, -5).join("\n") + "\n");
      await Deno.remove(`${store}.searcher.json`).catch(() => {});
      const resumed = await run(30);
      assertEquals(resumed.value.height, 30, `${method} resumed on ${label}`);
      assertEquals(
        resumed.value.getColumn("x").toArray(),
        first.value.getColumn("x").toArray(),
        "the resumed search proposes what the first did",
      );
    }
  });
}

Deno.test("hsic-guided says once why a round of ties decides nothing", async () => {
  const { value, warned } = await captured(() =>
    optimize(DEGENERATE[0][1], space, {
      method: "hsic-guided",
      budget: 40,
      progress: "quiet",
    })
  );
  assertEquals(value.height, 40);
  assertEquals(warned.length, 1);
  assert(/trials tie at 1000/.test(warned[0]), warned[0]);
});

Deno.test("the runner's errors are the library's", async () => {
  const e = await optimize(42 as unknown as Objective, space, { budget: 1 })
    .catch((e) => e);
  assert(e instanceof SweepError && e instanceof InfolensError);
});
