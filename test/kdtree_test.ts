import { assertEquals } from "./support/assert.ts";
import { KdTree } from "../lib/mi/_kdtree.ts";
import { ksgCountsBrute, ksgCountsTree } from "../lib/mi/_ksg.ts";
import { Random } from "../lib/space/random.ts";

function chebyshev(a: Float64Array, d: number, i: number, j: number): number {
  let m = 0;
  for (let c = 0; c < d; c++) {
    m = Math.max(m, Math.abs(a[i * d + c] - a[j * d + c]));
  }
  return m;
}

/** Rows with many exact ties (a coarse grid) as well as continuous ones. */
function points(n: number, d: number, seed: number, grid: boolean) {
  const r = new Random(seed);
  return Float64Array.from(
    { length: n * d },
    () => grid ? Math.round(r.normal() * 2) : r.normal(),
  );
}

Deno.test("KdTree: k-th neighbour distances and counts match brute force", () => {
  for (
    const [n, d, grid] of [[300, 1, false], [500, 3, true], [
      400,
      6,
      false,
    ]] as const
  ) {
    const data = points(n, d, n + d, grid);
    const tree = new KdTree(data, d);
    for (let i = 0; i < n; i += 7) {
      const all = Array.from({ length: n }, (_, j) => chebyshev(data, d, i, j));
      const others = all.filter((_, j) => j !== i).sort((a, b) => a - b);
      for (const k of [1, 3, 10]) {
        assertEquals(tree.kthNeighbourDistance(i, k), others[k - 1]);
      }
      for (const radius of [others[0], others[4], 0.5, 2]) {
        assertEquals(
          tree.countWithin(i, radius),
          all.filter((v) => v < radius).length,
          `n ${n} d ${d} row ${i} radius ${radius}`,
        );
      }
    }
  }
});

Deno.test("KSG: the tree and brute-force neighbour sums agree exactly", () => {
  for (const [dx, dy] of [[1, 1], [2, 3], [5, 5]]) {
    const n = 600;
    const xs = points(n, dx, 1, false);
    const ys = Float64Array.from(
      { length: n * dy },
      (_, i) => xs[Math.floor(i / dy) * dx] + points(1, 1, i, false)[0],
    );
    for (const k of [1, 3]) {
      assertEquals(
        ksgCountsTree(xs, dx, ys, dy, k),
        ksgCountsBrute(xs, dx, ys, dy, k),
      );
    }
  }
});
