import { assert, assertEquals, assertRejects } from "./support/assert.ts";
import { categorical, float, int, SearchSpace } from "../lib/space/space.ts";
import { hsicGuidedSearch } from "../lib/search/hsic_guided.ts";
import { sweep } from "../lib/trials/evaluate.ts";

const space = new SearchSpace({
  x: float(-1, 1),
  depth: int(1, 3),
  w3: float(0, 1, { when: { depth: 3 } }),
  noise_a: float(0, 1),
  noise_b: categorical(["p", "q", "r"]),
});
/** Only x matters (optimum 0.6); the rest add at most 0.001. */
const f = (c: Record<string, unknown>) =>
  ((c.x as number) - 0.6) ** 2 + 0.001 * (c.noise_a as number);

Deno.test("guided search fixes what does not matter and focuses on what does", async () => {
  const { trials, decisions } = await hsicGuidedSearch(space, f, {
    budget: 80,
    initial: 20,
    perRound: 20,
    seed: 3,
    progress: "quiet",
  });
  assertEquals(trials.height, 80);
  assertEquals(trials.getColumn("round").toArray().slice(38, 42), [1, 1, 2, 2]);
  const first = decisions.filter((d) => d.round === 0);
  assertEquals(first.find((d) => d.name === "x")!.state, "important");
  assert(
    decisions.some((d) => d.name === "noise_b" && d.state === "fixed"),
    JSON.stringify(decisions),
  );
  // Later rounds concentrate near the optimum.
  const rows = trials.toRecords();
  const spread = (round: number) => {
    const xs = rows.filter((r) => r.round === round).map((r) => r.x as number);
    return xs.reduce((s, v) => s + Math.abs(v - 0.6), 0) / xs.length;
  };
  assert(
    spread(3) < spread(0) / 2,
    `mean |x − 0.6|: ${spread(0)} → ${spread(3)}`,
  );
});

Deno.test("guided search beats random search at equal budget on a 1-of-5 problem (8 seeds)", async () => {
  let guided = 0, random = 0;
  for (let seed = 0; seed < 8; seed++) {
    const g = await hsicGuidedSearch(space, f, {
      budget: 60,
      perRound: 15,
      seed,
      progress: "quiet",
    });
    const r = await sweep(space, f, { n: 60, seed, progress: "quiet" });
    guided += Math.min(...(g.trials.getColumn("loss").toArray() as number[]));
    random += Math.min(...(r.getColumn("loss").toArray() as number[]));
  }
  assert(
    guided < random,
    `mean best: guided ${guided / 8}, random ${random / 8}`,
  );
});

Deno.test("a resumed guided search repeats the same rounds", async () => {
  const path = await Deno.makeTempFile({ suffix: ".trials.jsonl" });
  await hsicGuidedSearch(space, f, {
    budget: 30,
    perRound: 15,
    seed: 2,
    initial: 15,
    store: path,
    progress: "quiet",
  });
  let calls = 0;
  const counted = (c: Record<string, unknown>) => (calls++, f(c));
  const resumed = await hsicGuidedSearch(space, counted, {
    budget: 45,
    perRound: 15,
    seed: 2,
    initial: 15,
    store: path,
    progress: "quiet",
  });
  assertEquals(calls, 15);
  const fresh = await hsicGuidedSearch(space, f, {
    budget: 45,
    perRound: 15,
    seed: 2,
    initial: 15,
    progress: "quiet",
  });
  assertEquals(
    resumed.trials.getColumn("x").toArray(),
    fresh.trials.getColumn("x").toArray(),
  );
  await Deno.remove(path);
});

Deno.test("the first round is half the budget by default", async () => {
  const { trials } = await hsicGuidedSearch(space, f, {
    budget: 60,
    perRound: 15,
    seed: 0,
    progress: "quiet",
  });
  const rounds = trials.getColumn("round").toArray() as number[];
  assertEquals([0, 1, 2].map((r) => rounds.filter((v) => v === r).length), [
    30,
    15,
    15,
  ]);
});

Deno.test("guided search rejects bad budgets", async () => {
  await assertRejects(
    () => hsicGuidedSearch(space, f, { budget: 0 }),
    /budget must be a positive integer/,
  );
  await assertRejects(
    () => hsicGuidedSearch(space, f, { budget: 50, perRound: 5 }),
    /perRound must be an integer of at least 10/,
  );
  await assertRejects(
    () => hsicGuidedSearch(space, f, { budget: 50, quantile: 2 }),
    /quantile must be in \(0, 1\)/,
  );
  await assertRejects(
    () => hsicGuidedSearch(space, f, { budget: 50, initial: 4 }),
    /initial must be an integer of at least 10/,
  );
});
