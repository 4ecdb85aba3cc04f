import { assert, assertEquals, assertThrows } from "./support/assert.ts";
import { brackets, HyperbandSearcher } from "../lib/search/hyperband.ts";
import { float, SearchSpace } from "../lib/space/space.ts";

const space = new SearchSpace({ x: float(0, 1) });

Deno.test("HpBandSter's brackets for budgets 1–81, η = 3", () => {
  const b = brackets({ min: 1, max: 81, eta: 3 }, "hpbandster");
  assertEquals(b.map((x) => x.sizes), [
    [81, 27, 9, 3, 1],
    [27, 9, 3, 1],
    [9, 3, 1],
    [6, 2],
    [5],
  ]);
  assertEquals(b[0].budgets, [1, 3, 9, 27, 81]);
  assertEquals(b[3].budgets, [27, 81]);
  assertEquals(b[4].budgets, [81]);
});

Deno.test("Li et al.'s brackets for R = 81, η = 3 (Table 1 of the paper)", () => {
  const b = brackets({ min: 1, max: 81, eta: 3 }, "li");
  assertEquals(b.map((x) => x.sizes), [
    [81, 27, 9, 3, 1],
    [34, 11, 3, 1],
    [15, 5, 1],
    [8, 2],
    [5],
  ]);
  assertEquals(b[1].budgets, [3, 9, 27, 81]);
});

Deno.test("a stage's best configurations go on to the next budget", () => {
  const s = new HyperbandSearcher({
    space,
    fidelity: { min: 1, max: 9 },
    seed: 3,
  }, "successive-halving");
  const first = Array.from({ length: 9 }, () => s.ask());
  assert(first.every((t) => t.budget === 1));
  for (const t of first) s.tell(t.trial, t.config.x as number); // smaller x is better
  const best3 = first.map((t) => t.config.x as number).sort((a, b) => a - b)
    .slice(0, 3);
  const second = Array.from({ length: 3 }, () => s.ask());
  assert(second.every((t) => t.budget === 3));
  assertEquals(second.map((t) => t.config.x), best3);
  for (const t of second) s.tell(t.trial, t.config.x as number);
  const third = s.ask();
  assertEquals([third.budget, third.config.x], [9, best3[0]]);
  s.tell(third.trial, 0);
  // Successive halving starts its most aggressive bracket again.
  assertEquals(s.ask().budget, 1);
});

Deno.test("failed trials rank last; asked ahead, a new bracket starts", () => {
  const s = new HyperbandSearcher({
    space,
    fidelity: { min: 1, max: 9 },
    seed: 1,
  }, "hyperband");
  const first = Array.from({ length: 9 }, () => s.ask());
  // Nothing told yet: the next ask opens the next bracket (budget 3, 3 configs).
  const ahead = s.ask();
  assertEquals(ahead.budget, 3);
  first.forEach((t, i) =>
    s.tell(t.trial, i < 3 ? { value: null, status: "failed" } : 1 - i / 10)
  );
  const promoted = [s.ask(), s.ask(), s.ask()].filter((t) =>
    t.budget === 3 && t.trial > ahead.trial
  );
  const failedIds = new Set(first.slice(0, 3).map((t) => t.config.x));
  for (const t of promoted) {
    assert(!failedIds.has(t.config.x), "a failed configuration was promoted");
  }
});

Deno.test("multi-fidelity methods need a fidelity range", () => {
  assertThrows(
    () => new HyperbandSearcher({ space }, "hyperband"),
    /pass fidelity: \{ min, max, eta\? \}/,
  );
  assertThrows(
    () =>
      new HyperbandSearcher(
        { space, fidelity: { min: 5, max: 1 } },
        "hyperband",
      ),
    /0 < min ≤ max/,
  );
});
