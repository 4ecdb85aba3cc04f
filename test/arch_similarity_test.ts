// Notebook 04's kernel heatmaps: the cells it picks and the similarities
// each kernel gives them, checked against what each kernel can and cannot
// see of a cell.
import { assert, assertEquals } from "./support/assert.ts";
import { NB201_EDGES, type TabularBenchmark } from "../lib/search/mod.ts";
import type { Config } from "../lib/space/mod.ts";
import {
  kernelSimilarities,
  nasBench201Space,
  pickCells,
} from "../studies/search/arch_similarity.ts";
import { similarityChart } from "../lib/viz/search_charts.ts";

const space = nasBench201Space();

Deno.test("every kernel gives a symmetric matrix in [0, 1] with a unit diagonal", () => {
  const ms = kernelSimilarities(space, pickCells(null));
  assertEquals(ms.map((m) => m.methods.join()), [
    "gp-wl",
    "bananas",
    "nasbot",
    "gp-ssk",
    "gp-ei,local-search",
  ]);
  for (const m of ms) {
    m.matrix.forEach((row, i) =>
      row.forEach((v, j) => {
        assert(v >= 0 && v <= 1 + 1e-12, `${m.kernel} [${i}][${j}] = ${v}`);
        assert(Math.abs(v - m.matrix[j][i]) < 1e-12, `${m.kernel} asymmetric`);
        if (i === j) assertEquals(v, 1);
      })
    );
  }
});

Deno.test("graph kernels ignore an edge on no path; the one-hot view does not", () => {
  const cells = pickCells(null);
  const a = cells.findIndex((c) => c.name === "a dead-end edge");
  const b = cells.findIndex((c) => c.name === "same, dead-end edge changed");
  const ms = kernelSimilarities(space, cells);
  const at = (kernel: string) =>
    ms.find((m) => m.kernel.startsWith(kernel))!.matrix[a][b];
  assert(Math.abs(at("WL") - 1) < 1e-12, `WL ${at("WL")}`);
  assert(Math.abs(at("path") - 1) < 1e-12, `path ${at("path")}`);
  assertEquals(at("share of edges"), 5 / 6);
  assert(at("exp") < 1 && at("string") < 1);
});

Deno.test("a cut-off output has no path: cosine 0 to every cell with one", () => {
  const cells = pickCells(null);
  const cut = cells.findIndex((c) => c.name === "output cut off");
  const path = kernelSimilarities(space, cells)[1];
  path.matrix[cut].forEach((v, j) => assertEquals(v, j === cut ? 1 : 0));
});

Deno.test("picked cells follow the table: best, neighbours by edge count, worst", () => {
  // A made-up table: accuracy counts 3×3 convolutions, less for pools.
  const value = (c: Config) =>
    NB201_EDGES.reduce(
      (s, e) =>
        s + (c[e] === "nor_conv_3x3" ? 10 : c[e] === "avg_pool_3x3" ? -1 : 0),
      0,
    );
  const bench = {
    space,
    maximize: true,
    evaluate: value,
  } as unknown as TabularBenchmark;
  const cells = pickCells(bench);
  const differ = (a: Config, b: Config) =>
    NB201_EDGES.filter((e) => a[e] !== b[e]).length;
  assertEquals(cells[0].name, "best (60.00)");
  assert(NB201_EDGES.every((e) => cells[0].config[e] === "nor_conv_3x3"));
  assertEquals(
    cells.map((c) => differ(c.config, cells[0].config)).slice(0, 4),
    [0, 1, 1, 2],
  );
  assertEquals(cells[1].value, 50); // the kindest one-edge change
  assertEquals(cells[2].value, 49); // conv → pool, the worst
  assertEquals(cells[6].value, -6);
  assertEquals(differ(cells[4].config, cells[5].config), 1);
});

Deno.test("repeated names are refused: they would merge on the heatmap's axes", () => {
  const [a] = pickCells(null);
  let threw = false;
  try {
    kernelSimilarities(space, [a, { ...a }]);
  } catch {
    threw = true;
  }
  assert(threw);
});

Deno.test("the similarity chart keeps the given order, viridis on [0, 1]", () => {
  const ms = kernelSimilarities(space, pickCells(null));
  type Panel = {
    title: string;
    data: { values: unknown[] };
    layer: {
      encoding: Record<string, {
        sort?: string[];
        axis?: { labels?: boolean };
        scale?: { scheme: string; domain: number[] };
      }>;
    }[];
  };
  const spec = similarityChart(ms).spec as {
    vconcat: { hconcat: Panel[] }[];
  };
  assertEquals(spec.vconcat.map((r) => r.hconcat.length), [3, 2]);
  const panels = spec.vconcat.flatMap((r) => r.hconcat);
  assertEquals(panels.map((p) => p.title), ms.map((m) => m.kernel));
  const [rect] = panels[0].layer;
  assertEquals(rect.encoding.y.sort, ms[0].names);
  assertEquals(rect.encoding.color.scale, {
    scheme: "viridis",
    domain: [0, 1],
  });
  // Row names on the first panel of each row only.
  assertEquals(
    panels.map((p) => p.layer[0].encoding.y.axis?.labels !== false),
    [
      true,
      false,
      false,
      true,
      false,
    ],
  );
  assert(panels.every((p) => p.data.values.length === 7 * 7));
});
