// Architecture distances (OTMANN, op-count + edit) and the string
// subsequence kernel, against values worked out by hand on tiny networks,
// cells and strings; the transport solver against brute force.
import { assert, assertAlmostEquals, assertThrows } from "./support/assert.ts";
import { optimalTransport } from "../lib/search/optimal_transport.ts";
import {
  opEditDistance,
  otmannDistance,
  otmannNetwork,
} from "../lib/search/arch_distances.ts";
import {
  architectureTokens,
  subsequenceKernel,
  subsequenceKernels,
} from "../lib/search/string_kernel.ts";
import { mlpToGraph } from "../lib/search/arch_graph.ts";
import { NB201_EDGES, NB201_OPS } from "../lib/search/tabular.ts";
import { categorical, SearchSpace } from "../lib/space/space.ts";
import { Random } from "../lib/space/random.ts";
import type { NetActivation } from "../lib/nets/architecture.ts";

const nb201Space = new SearchSpace(
  Object.fromEntries(NB201_EDGES.map((e) => [e, categorical(NB201_OPS)])),
);
const cell = (ops: string[]) =>
  Object.fromEntries(NB201_EDGES.map((e, i) => [e, ops[i]]));
const mlp = (widths: number[], activation: NetActivation = "relu") =>
  mlpToGraph({ kind: "mlp", inputs: 4, outputs: 2, activation, widths });

Deno.test("optimal transport matches brute force on 2×3 integer problems", () => {
  const r = new Random(11);
  for (let t = 0; t < 40; t++) {
    const a = [1 + r.integer(0, 5), 1 + r.integer(0, 5)];
    const total = a[0] + a[1];
    const b0 = r.integer(0, total + 1);
    const b1 = r.integer(0, total - b0 + 1);
    const b = [b0, b1, total - b0 - b1];
    const c = Array.from({ length: 6 }, () => r.integer(0, 10));
    // With integer masses an optimal plan is integral: enumerate row 0.
    let best = Infinity;
    for (let x0 = 0; x0 <= a[0]; x0++) {
      for (let x1 = 0; x0 + x1 <= a[0]; x1++) {
        const x2 = a[0] - x0 - x1;
        const y = [b[0] - x0, b[1] - x1, b[2] - x2];
        if (y.some((v) => v < 0)) continue;
        const cost = c[0] * x0 + c[1] * x1 + c[2] * x2 + c[3] * y[0] +
          c[4] * y[1] + c[5] * y[2];
        best = Math.min(best, cost);
      }
    }
    const got = optimalTransport(a, b, c);
    assertAlmostEquals(got.cost, best, 1e-9);
    // The plan ships what it must.
    for (let i = 0; i < 2; i++) {
      assertAlmostEquals(
        got.plan[i * 3] + got.plan[i * 3 + 1] + got.plan[i * 3 + 2],
        a[i],
        1e-9,
      );
    }
  }
});

Deno.test("optimal transport refuses unbalanced masses and bad costs", () => {
  assertThrows(() => optimalTransport([1], [2], [0]));
  assertThrows(() => optimalTransport([1], [1], [-1]));
  assertThrows(() => optimalTransport([1, 1], [2], [0]));
});

Deno.test("OTMANN masses and path lengths of a small MLP, by hand", () => {
  // input → relu(3) → relu(5) → softmax(2) → op: masses 1·3, 3·5, the
  // softmax, input and output max(0.1 · 18, 100) = 100.
  const net = otmannNetwork(mlp([3, 5]));
  assert(
    net.labels.join() === "ip,relu,relu,softmax,op",
    net.labels.join(),
  );
  assert(net.masses.join() === "100,3,15,100,100", net.masses.join());
  // "all" shortest path to the input: 0, 1, 2, 3, 4; to the output 4…0;
  // rectifier-only: to the input 0, 1, 2, 2, 2.
  assert(net.toInput.map((d) => d[0]).join() === "0,1,2,3,4");
  assert(net.toOutput.map((d) => d[0]).join() === "4,3,2,1,0");
  assert(net.toInput.map((d) => d[3]).join() === "0,1,2,2,2");
});

Deno.test("OTMANN: zero to itself; activation and width changes cost what NASBOT says", () => {
  const a = mlp([2]);
  assertAlmostEquals(otmannDistance(a, a).lp, 0, 1e-12);
  // relu → elu: same family, mismatch 0.1 on a layer of mass 1·2.
  const elu = otmannDistance(a, mlp([2], "elu"));
  assertAlmostEquals(elu.lp, 0.2, 1e-9);
  // 2 → 3 units: one unit of mass unmatched at penalty 1; masses 302 and
  // 303 in all.
  const wider = otmannDistance(a, mlp([3]));
  assertAlmostEquals(wider.lp, 1, 1e-9);
  assertAlmostEquals(wider.emd, 1 / 605, 1e-12);
  // Symmetric, and a different family costs more than the same family.
  const tanh = otmannDistance(a, mlp([2], "tanh"));
  assert(tanh.lp > elu.lp, `${tanh.lp} ≤ ${elu.lp}`);
  assertAlmostEquals(otmannDistance(mlp([2], "tanh"), a).lp, tanh.lp, 1e-9);
  // A deeper network is further than a wider one.
  assert(otmannDistance(a, mlp([2, 2])).lp > wider.lp);
});

Deno.test("op-count + edit distance on NAS-Bench-201 cells, by hand", () => {
  const x = cell([
    "nor_conv_3x3",
    "none",
    "skip_connect",
    "avg_pool_3x3",
    "nor_conv_3x3",
    "none",
  ]);
  assert(opEditDistance(nb201Space, x, x) === 0);
  // Two edges changed (2 edits): conv3x3 → conv1x1 and none → conv3x3:
  // counts conv3x3 2→2, conv1x1 0→1, none 2→1: op-count difference 2.
  const y = { ...x, edge_0_1: "nor_conv_1x1", edge_0_2: "nor_conv_3x3" };
  assert(opEditDistance(nb201Space, x, y) === 4);
  // Swapping two edges' operations: 2 edits, no op-count change.
  const z = { ...x, edge_0_1: "avg_pool_3x3", edge_0_3: "nor_conv_3x3" };
  assert(opEditDistance(nb201Space, x, z) === 2);
});

Deno.test("subsequence kernel on tiny strings, by hand", () => {
  const o = { gapDecay: 0.5, matchDecay: 0.8, length: 2 };
  const m2 = 0.64, g = 0.5;
  // "abc" vs "ac": k_1 = matches a, c; k_2 = "ac", one gap in "abc".
  const k = subsequenceKernels(["a", "b", "c"], ["a", "c"], o);
  assertAlmostEquals(k[0], 2 * m2, 1e-12);
  assertAlmostEquals(k[1], m2 * m2 * g, 1e-12);
  // "ab" vs "ba": no common pair in order; normalised by k(ab, ab) =
  // 2 m² + m⁴.
  assertAlmostEquals(
    subsequenceKernel(["a", "b"], ["b", "a"], o),
    2 * m2 / (2 * m2 + m2 * m2),
    1e-12,
  );
  // "aa" vs "a": k_1 counts both a's.
  assertAlmostEquals(
    subsequenceKernels(["a", "a"], ["a"], o)[0],
    2 * m2,
    1e-12,
  );
  // "aab" vs "ab": pairs "ab" from positions (1,3) gap 1 and (2,3) gap 0.
  assertAlmostEquals(
    subsequenceKernels(["a", "a", "b"], ["a", "b"], o)[1],
    m2 * m2 * (1 + g),
    1e-12,
  );
});

Deno.test("NAS-Bench-201 cells become their string's tokens", () => {
  const t = architectureTokens(
    nb201Space,
    cell([
      "nor_conv_3x3",
      "none",
      "skip_connect",
      "avg_pool_3x3",
      "nor_conv_1x1",
      "none",
    ]),
  );
  assert(
    t.join(" ") ===
      "nor_conv_3x3~0 + none~0 skip_connect~1 + avg_pool_3x3~0 nor_conv_1x1~1 none~2",
    t.join(" "),
  );
});

Deno.test("nasbot reads a layered space through OTMANN and proposes unseen networks", async () => {
  const { declareArchitecture, mlpCodec } = await import(
    "../lib/search/arch_graph.ts"
  );
  const { NasbotSearcher } = await import("../lib/search/nasbot.ts");
  const { int } = await import("../lib/space/space.ts");
  const space = new SearchSpace({
    depth: int(1, 3),
    w0: int(1, 16),
    w1: int(1, 16),
    w2: int(1, 16),
    act: categorical(["relu", "tanh"]),
  });
  declareArchitecture(
    space,
    mlpCodec({
      inputs: 4,
      outputs: 2,
      depth: "depth",
      width: (i) => `w${i}`,
      activation: "act",
    }),
  );
  const s = new NasbotSearcher({ space, seed: 1 });
  const keys = new Set<string>();
  for (let i = 0; i < 16; i++) {
    const { trial, config } = s.ask();
    keys.add(space.key(config));
    // Best: two hidden layers of 8 relu units.
    const loss = Math.abs((config.depth as number) - 2) +
      Math.abs((config.w0 as number) - 8) / 8 +
      (config.act === "relu" ? 0 : 1);
    s.tell(trial, loss);
  }
  assert(keys.size === 16);
});
