import { assert, assertEquals } from "./support/assert.ts";
import { Random } from "../lib/space/random.ts";
import { float, SearchSpace } from "../lib/space/space.ts";
import { BohbSampler } from "../lib/search/bohb.ts";

const space = new SearchSpace({ x: float(0, 10), y: float(0, 10) });
const loss = (c: Record<string, unknown>) =>
  ((c.x as number) - 3) ** 2 + ((c.y as number) - 7) ** 2;

Deno.test("BOHB builds a model per budget once d + 1 good and bad results exist", () => {
  const s = new BohbSampler(space, 0);
  const r = new Random(1);
  // d = 2: good needs ≥ 3 rows and bad ≥ 3, so 6 results at a budget.
  for (let i = 0; i < 5; i++) {
    const c = space.sample(r);
    s.observe(c, 1, loss(c));
  }
  assertEquals(s.modelBudgets, []);
  const c = space.sample(r);
  s.observe(c, 1, loss(c));
  assertEquals(s.modelBudgets, [1]);
  // Failed results count as +∞ and still fill the bad group.
  for (let i = 0; i < 6; i++) s.observe(space.sample(r), 9, i < 3 ? 1 : null);
  assertEquals(s.modelBudgets, [1, 9]);
  // With a model at budget 9, results at budget 1 no longer refit.
  for (let i = 0; i < 6; i++) s.observe(space.sample(r), 3, 0);
  assertEquals(s.modelBudgets, [1, 9]);
});

Deno.test("BOHB's proposals concentrate where the good results are", () => {
  const s = new BohbSampler(space, 0, { randomFraction: 0 });
  const r = new Random(2);
  for (let i = 0; i < 40; i++) {
    const c = space.sample(r);
    s.observe(c, 1, loss(c));
  }
  const xs = Array.from({ length: 200 }, () => s.sample(r));
  const near = xs.filter((c) => loss(c) < 4).length / xs.length;
  // Uniform proposals land within distance 2 of (3, 7) 12.6 % of the time.
  assert(near > 0.5, `fraction near the optimum: ${near}`);
  for (const c of xs) space.validate(c);
});

Deno.test("BOHB proposes uniformly while no model exists", () => {
  const s = new BohbSampler(space, 0);
  const a = s.sample(new Random(5));
  const b = space.sample(new Random(5));
  assertEquals(a, b);
});
