import { assert, assertEquals, assertThrows } from "./support/assert.ts";
import { RegularizedEvolution } from "../lib/search/evolution.ts";
import { hartmann6 } from "../lib/search/functions.ts";

Deno.test("evolution: after P told trials each child differs from a member in one hyperparameter", () => {
  const s = new RegularizedEvolution({
    space: hartmann6.space,
    seed: 2,
    population: 8,
    sample: 3,
  });
  const members: Record<string, unknown>[] = [];
  for (let i = 0; i < 40; i++) {
    const { trial, config } = s.ask();
    if (i >= 8) {
      const window = members.slice(-8); // the population: the last 8 told
      const closest = Math.min(
        ...window.map((m) =>
          hartmann6.space.names.filter((n) => m[n] !== config[n]).length
        ),
      );
      assertEquals(
        closest,
        1,
        `child ${i} is one mutation away from a living member`,
      );
    }
    s.tell(trial, hartmann6.evaluate(config));
    members.push(config);
  }
});

Deno.test("evolution: the tournament takes the best of its sample", () => {
  // Members are drawn with replacement (as in Real et al.'s pseudo-code); with
  // S = 200 draws from 6 a tournament misses the best with probability
  // (5/6)^200 ≈ 1e-16, so every child is one mutation from the best member.
  const s = new RegularizedEvolution({
    space: hartmann6.space,
    seed: 5,
    population: 6,
    sample: 200,
  });
  const told: { config: Record<string, unknown>; value: number }[] = [];
  for (let i = 0; i < 30; i++) {
    const { trial, config } = s.ask();
    if (i >= 6) {
      const best = told.slice(-6).reduce((a, b) => (b.value < a.value ? b : a));
      const diff = hartmann6.space.names.filter((n) =>
        best.config[n] !== config[n]
      );
      assert(diff.length <= 1, `child ${i} differs from the best in ${diff}`);
    }
    const value = hartmann6.evaluate(config);
    s.tell(trial, value);
    told.push({ config, value });
  }
});

Deno.test("evolution: bad options are errors", () => {
  assertThrows(
    () => new RegularizedEvolution({ space: hartmann6.space, population: 1 }),
    /population/,
  );
  assertThrows(
    () =>
      new RegularizedEvolution({
        space: hartmann6.space,
        population: 5,
        sample: 0,
      }),
    /sample/,
  );
});
