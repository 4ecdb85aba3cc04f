/**
 * The neural estimators' `threads` option: large products split over
 * helper threads (lib/_kernels/gemm.ts) give the one-thread estimate
 * exactly, for a concat (MINE) and a separable (InfoNCE) critic; a bad
 * count is refused by name.
 */
import { assertEquals, assertRejects } from "./support/assert.ts";
import { estimateMI } from "../lib/mi/mod.ts";
import { Random } from "../lib/space/random.ts";

function correlated(n: number, seed: number) {
  const r = new Random(seed, "threaded critics");
  const x: number[][] = [], y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const a = r.normal(), b = r.normal();
    x.push([a, b]);
    y.push([a + 0.5 * r.normal(), b - 0.3 * a + 0.5 * r.normal()]);
  }
  return { x, y };
}

for (const method of ["mine", "infonce"] as const) {
  Deno.test(`${method}: threads 1, 2 and 3 give the same estimate on batches large enough to split`, async () => {
    const { x, y } = correlated(2600, 4);
    // 2,048 rows per batch: MINE's 4,096 joint + marginal rows × 100 × 100,
    // or InfoNCE's 2,048 × 2,048 score matrix, pass the split threshold.
    const run = (threads: number) =>
      estimateMI(x, y, {
        method,
        steps: 6,
        batchSize: 2048,
        evalEvery: 0,
        learningRate: 1e-3,
        seed: 1,
        threads,
      });
    const one = await run(1);
    for (const threads of [2, 3]) {
      const many = await run(threads);
      assertEquals(many.estimate, one.estimate, `${threads} threads`);
    }
  });
}

Deno.test("threads must be a positive integer or auto", async () => {
  const { x, y } = correlated(50, 5);
  await assertRejects(
    () => estimateMI(x, y, { method: "mine", steps: 2, threads: 0 }),
    /threads must be a positive integer or "auto", got 0/,
  );
});
