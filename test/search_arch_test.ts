// Architectures as graphs, their encodings and kernels, against values
// worked out by hand on small cells.
import { assert, assertEquals } from "./support/assert.ts";
import {
  architectureOf,
  cellFromConfig,
  cellToGraph,
  cnnToGraph,
  configFromCell,
  declareArchitecture,
  graphToCnn,
  graphToMlp,
  mlpCodec,
  mlpToGraph,
  NB201_CODEC,
} from "../lib/search/arch_graph.ts";
import {
  graphPaths,
  pathEncoding,
  wlFeatures,
  wlKernel,
} from "../lib/search/arch_encodings.ts";
import { fitWlGp } from "../lib/search/gp_wl.ts";
import { hammingNeighbours } from "../lib/search/local_search.ts";
import {
  cellString,
  NB201_EDGES,
  NB201_OPS,
  parseCell,
} from "../lib/search/tabular.ts";
import { branin } from "../lib/search/functions.ts";
import { categorical, int, SearchSpace } from "../lib/space/space.ts";
import { Random } from "../lib/space/random.ts";
import type { Config } from "../lib/space/space.ts";

const nb201Space = new SearchSpace(
  Object.fromEntries(NB201_EDGES.map((e) => [e, categorical(NB201_OPS)])),
);
const cell = (ops: string[]): Config =>
  Object.fromEntries(NB201_EDGES.map((e, i) => [e, ops[i]]));
const ops = (g: { nodes: { op: string }[] }) => g.nodes.map((n) => n.op);
const PATH = { ops: NB201_CODEC.pathOps!, maxLength: 3 };

Deno.test("NAS-Bench-201 configurations round-trip through cells and cell strings", () => {
  const r = new Random(3);
  for (const c of nb201Space.sampleMany(50, r)) {
    assertEquals(configFromCell(cellFromConfig(c)), c);
    assertEquals(parseCell(cellString(c)), c);
  }
});

Deno.test("a cell of 3×3 convolutions: every edge a node, four paths", () => {
  const g = NB201_CODEC.toGraph(cell(Array(6).fill("nor_conv_3x3")));
  assertEquals(g.nodes.length, 8);
  assertEquals(ops(g)[0], "input");
  assertEquals(ops(g)[7], "output");
  // input feeds 0→1, 0→2, 0→3; 0→1 feeds 1→2, 1→3; 0→2 and 1→2 feed 2→3;
  // 0→3, 1→3, 2→3 feed the output.
  assertEquals(g.edges.length, 3 + 2 + 1 + 1 + 3);
  assertEquals(graphPaths(g).map((p) => p.length).sort(), [1, 2, 2, 3]);
  // Paths [c3] → 1 + 2 = 3; [c3, c3] → 4 + 2·3 + 2 = 12; [c3, c3, c3] →
  // 13 + 2·9 + 2·3 + 2 = 39 (ops avg, c1, c3 numbered 0, 1, 2).
  const x = pathEncoding(g, PATH);
  assertEquals(x.length, 40);
  assertEquals([...x.keys()].filter((i) => x[i] === 1), [3, 12, 39]);
});

Deno.test("none edges are removed and skips contracted", () => {
  // 0 -skip-> 1 -conv1-> 3, the rest none: input → conv1 → output.
  const a = NB201_CODEC.toGraph(
    cell(["skip_connect", "none", "none", "none", "nor_conv_1x1", "none"]),
  );
  assertEquals(ops(a), ["input", "nor_conv_1x1", "output"]);
  assertEquals(a.edges, [[0, 1], [1, 2]]);
  // Adding a skip 0→3 adds the direct route: the empty path, feature 0.
  const b = NB201_CODEC.toGraph(
    cell([
      "skip_connect",
      "none",
      "none",
      "skip_connect",
      "nor_conv_1x1",
      "none",
    ]),
  );
  assertEquals(b.edges, [[0, 1], [0, 2], [1, 2]]);
  assertEquals(
    [...pathEncoding(b, PATH).keys()].filter((i) =>
      pathEncoding(b, PATH)[i] === 1
    ),
    [0, 2],
  );
  // A convolution off every input-to-output path (2 is never reached) goes.
  const c = NB201_CODEC.toGraph(
    cell([
      "avg_pool_3x3",
      "none",
      "none",
      "none",
      "avg_pool_3x3",
      "nor_conv_3x3",
    ]),
  );
  assertEquals(ops(c), ["input", "avg_pool_3x3", "avg_pool_3x3", "output"]);
  // Nothing reaches the output: input and output, no edge, no path.
  const d = NB201_CODEC.toGraph(cell(Array(6).fill("none")));
  assertEquals(d.edges, []);
  assertEquals(pathEncoding(d, PATH).reduce((s, v) => s + v, 0), 0);
});

Deno.test("a cell with general none/skip names converts as NB201's", () => {
  const g = cellToGraph({
    nodes: 3,
    edges: [
      { from: 0, to: 1, op: "id" },
      { from: 1, to: 2, op: "conv" },
      { from: 0, to: 2, op: "zero" },
    ],
  }, { none: "zero", skip: "id" });
  assertEquals(ops(g), ["input", "conv", "output"]);
});

Deno.test("the truncated path encoding keeps the shortest paths", () => {
  const g = NB201_CODEC.toGraph(cell(Array(6).fill("nor_conv_3x3")));
  const x = pathEncoding(g, { ...PATH, truncate: 13 });
  assertEquals(x.length, 13);
  assertEquals([...x.keys()].filter((i) => x[i] === 1), [3, 12]);
});

Deno.test("the WL kernel by hand: two one-operation chains", () => {
  const chain = (op: string) => ({
    nodes: [{ op: "input" }, { op }, { op: "output" }],
    edges: [[0, 1], [1, 2]] as [number, number][],
  });
  const f = [wlFeatures(chain("a"), 1), wlFeatures(chain("b"), 1)];
  // h = 0: labels {input, a, output} vs {input, b, output}: 2 / 3.
  const near = (a: number, b: number) =>
    assert(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  near(wlKernel(f, f, 0)[1], 2 / 3);
  // h = 1 adds {input(), a(input), output(a)} vs {input(), b(input),
  // output(b)}: one shared, so (2 + 1) / (3 + 3).
  near(wlKernel(f, f, 1)[1], 3 / 6);
  near(wlKernel(f, f, 1)[0], 1);
  // A repeated label counts twice: input → a → a → output vs input → a →
  // output at h = 0: ⟨(1,2,1), (1,1,1)⟩ = 4, norms √6 and √3.
  const aa = wlFeatures({
    nodes: [{ op: "input" }, { op: "a" }, { op: "a" }, { op: "output" }],
    edges: [[0, 1], [1, 2], [2, 3]],
  }, 0);
  const k = wlKernel([aa], [f[0]], 0)[0];
  assert(Math.abs(k - 4 / Math.sqrt(18)) < 1e-12, String(k));
});

Deno.test("the GP chooses h by marginal likelihood", () => {
  // Same operations in two orders: indistinguishable at h = 0, so a GP
  // that explains the targets must take h ≥ 1.
  const chain = (labels: string[]) => ({
    nodes: [{ op: "input" }, ...labels.map((op) => ({ op })), {
      op: "output",
    }],
    edges: Array.from(
      { length: labels.length + 1 },
      (_, i) => [i, i + 1] as [number, number],
    ),
  });
  const graphs = [
    ["a", "b"],
    ["b", "a"],
    ["a", "b"],
    ["b", "a"],
    ["a", "b", "c"],
    ["c", "b", "a"],
  ].map((l) => wlFeatures(chain(l), 3));
  const y = [0, 1, 0.02, 1.01, 0.3, 0.7];
  const fit = fitWlGp(graphs, y);
  assert(fit.h >= 1, `h = ${fit.h}`);
  for (const [h, lml] of fit.likelihoods) {
    assert(lml <= fit.gp.logMarginalLikelihood + 1e-9, `h ${h}`);
  }
  assert(fit.likelihoods.get(0)! < fit.likelihoods.get(fit.h)!);
  // With h restricted to 0 the choice is 0.
  assertEquals(fitWlGp(graphs, y, { iterations: [0] }).h, 0);
});

Deno.test("layered networks round-trip through their chains", () => {
  const mlps = [
    {
      kind: "mlp" as const,
      inputs: 12,
      widths: [10, 7, 5, 4, 3],
      outputs: 2,
      activation: "tanh" as const,
    },
    {
      kind: "mlp" as const,
      inputs: 64,
      widths: [],
      outputs: 10,
      activation: "relu" as const,
      dropout: 0.2,
      batchNorm: true,
    },
  ];
  for (const a of mlps) assertEquals(graphToMlp(mlpToGraph(a)), a);
  const g = mlpToGraph(mlps[0]);
  assertEquals(ops(g), [
    "input",
    "dense",
    "dense",
    "dense",
    "dense",
    "dense",
    "softmax",
  ]);
  assertEquals(g.nodes.map((n) => n.width), [12, 10, 7, 5, 4, 3, 2]);
  const cnns = [
    {
      kind: "cnn" as const,
      inputShape: [8, 8, 1] as [number, number, number],
      filters: [8, 16],
      outputs: 10,
      activation: "relu" as const,
    },
    {
      kind: "cnn" as const,
      inputShape: [28, 28, 3] as [number, number, number],
      filters: [4],
      kernelSize: 5,
      pooling: "none" as const,
      dense: [32, 16],
      outputs: 2,
      activation: "elu" as const,
    },
  ];
  for (const a of cnns) assertEquals(graphToCnn(cnnToGraph(a)), a);
  assertEquals(ops(cnnToGraph(cnns[1])), [
    "input",
    "conv",
    "dense",
    "dense",
    "softmax",
  ]);
});

Deno.test("a space declares its architecture; configurations round-trip", () => {
  const space = new SearchSpace({
    depth: int(1, 3),
    w0: int(4, 64, { when: { depth: { gte: 1 } } }),
    w1: int(4, 64, { when: { depth: { gte: 2 } } }),
    w2: int(4, 64, { when: { depth: { gte: 3 } } }),
    act: categorical(["relu", "tanh"]),
  });
  const codec = mlpCodec({
    inputs: 8,
    outputs: 3,
    depth: "depth",
    width: (i) => `w${i}`,
    activation: "act",
  });
  assertEquals(architectureOf(space), undefined);
  declareArchitecture(space, codec);
  assertEquals(architectureOf(space), codec);
  for (const c of space.sampleMany(20, new Random(1))) {
    const active = Object.fromEntries(
      Object.entries(c).filter(([, v]) => v !== null && v !== undefined),
    );
    assertEquals(codec.fromArchitecture(codec.toArchitecture(c)), active);
    assertEquals(codec.toGraph(c).nodes.length, (c.depth as number) + 2);
  }
  assertEquals(architectureOf(nb201Space), NB201_CODEC);
  assertEquals(architectureOf(branin.space), undefined);
});

Deno.test("the Hamming neighbourhood of a cell: 24 cells one edge away", () => {
  const c = cell([
    "none",
    "skip_connect",
    "nor_conv_1x1",
    "nor_conv_3x3",
    "avg_pool_3x3",
    "none",
  ]);
  const n = hammingNeighbours(nb201Space, c, new Random(0));
  assertEquals(n.length, 24);
  assertEquals(new Set(n.map((x) => nb201Space.key(x))).size, 24);
  for (const x of n) {
    assertEquals(NB201_EDGES.filter((e) => x[e] !== c[e]).length, 1);
  }
});
