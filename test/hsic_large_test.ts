/**
 * HSIC at large n: lazy Gram matrices (recomputed row by row, memory linear
 * in n) give the same statistics, p-values and permutation counts as held
 * ones, bit for bit; the Nyström option stays near the exact value.
 */
import { assert, assertEquals, assertThrows } from "./support/assert.ts";
import { hsicTable } from "../lib/hsic/indices.ts";
import { Gram } from "../lib/hsic/gram.ts";
import {
  asymptoticPValue,
  hsic,
  PermutedOutput,
} from "../lib/hsic/statistic.ts";
import { gaussianGram } from "../lib/hsic/kernels.ts";
import { Random } from "../lib/space/random.ts";

const n = 120;
const random = new Random(3, "hsic-large-test");
const x = Array.from({ length: n }, () => random.uniform(0, 1));
const small = x.map((v) => Math.round(v * 4)); // few distinct values
const cats = small.map((v) => ["a", "b", "c", "d", "e"][v]);
const y = x.map((v, i) => Math.sin(6 * v) + 0.3 * Math.cos(i));
const z = y.map((v) => (v <= 0 ? 1 : 0));

const inputs: [string, (max: number) => Gram][] = [
  ["continuous", (max) => Gram.gaussian(x, 0.3, max)],
  ["few values", (max) => Gram.gaussian(small, 1.1, max)],
  ["categorical", (max) => Gram.delta(cats, max)],
];
const outputs: [string, number[], (max: number) => Gram][] = [
  ["global", y, (max) => Gram.gaussian(y, 0.7, max)],
  ["goal", z, (max) => Gram.gaussian(z, 0.5, max)],
];

for (const [inputName, input] of inputs) {
  for (const [outputName, labels, output] of outputs) {
    Deno.test(`lazy Gram = held Gram: ${inputName} input, ${outputName} output`, () => {
      const heldX = input(Infinity);
      const lazyX = input(0);
      const heldY = output(Infinity);
      const lazyY = output(0);
      assert(heldX.k !== null && lazyX.k === null && lazyY.k === null);
      assertEquals(lazyX.rows, heldX.rows);
      assertEquals(lazyX.sum, heldX.sum);
      for (const estimator of ["U", "V"] as const) {
        const held = hsic(estimator, heldX, heldY);
        assertEquals(hsic(estimator, lazyX, lazyY), held);
        assertEquals(
          hsic(estimator, lazyX, lazyX),
          hsic(estimator, heldX, heldX),
        );
        assertEquals(
          asymptoticPValue(estimator, lazyX, lazyY, held),
          asymptoticPValue(estimator, heldX, heldY, held),
        );
        const permutedHeld = new PermutedOutput(
          heldY,
          labels,
          30,
          new Random(1, "p"),
        );
        const permutedLazy = new PermutedOutput(
          lazyY,
          labels,
          30,
          new Random(1, "p"),
        );
        const median = held;
        assertEquals(
          permutedLazy.exceedances(estimator, lazyX, median),
          permutedHeld.exceedances(estimator, heldX, median),
        );
      }
    });
  }
}

Deno.test("Gram.gaussian holds the same matrix as gaussianGram", () => {
  assertEquals(Gram.gaussian(x, 0.3).k, gaussianGram(x, 0.3));
  assertEquals(Gram.gaussian(small, 1.1).k, gaussianGram(small, 1.1));
});

Deno.test("Nyström HSIC stays near the exact value and ranks columns alike", () => {
  const r = new Random(5, "nystrom-test");
  const rows = Array.from(
    { length: 800 },
    () => [r.uniform(), r.uniform(), r.uniform()],
  );
  const out = rows.map(([a, b]) => (a - 0.4) ** 2 + 0.2 * b);
  for (const goal of [undefined, { quantile: 0.2 }]) {
    const exact = hsicTable(rows, out, { goal, pValues: [] }).rows;
    const approx = hsicTable(rows, out, {
      goal,
      approximate: { method: "nystrom", rank: 60 },
    }).rows;
    for (let j = 0; j < 3; j++) {
      assertEquals(approx[j].pAsymptotic, null);
      const error = Math.abs(approx[j].r2! - exact[j].r2!);
      assert(error < 0.02 + 0.05 * exact[j].r2!, `column ${j}: ${error}`);
    }
    const rank = (t: typeof exact) =>
      [0, 1, 2].sort((a, b) => t[b].r2! - t[a].r2!);
    assertEquals(rank(approx), rank(exact));
  }
  assertThrows(() =>
    hsicTable(rows, out, {
      approximate: { method: "nystrom" },
      pValues: ["asymptotic"],
    })
  );
});
