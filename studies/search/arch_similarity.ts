/**
 * Which architectures each kernel of the architecture-aware searchers calls
 * similar (notebook 04): a handful of named NAS-Bench-201 cells and, per
 * kernel, the matrix of their normalised similarities (1 on the diagonal),
 * with the sentences the notebook prints about them.
 *
 * The kernels, as each searcher sees a cell:
 *
 * - `gp-wl`: the Weisfeiler-Lehman subtree kernel on the cell's
 *   operation-on-node graph (h = 2, normalised);
 * - `bananas`: the path encoding (which input-to-output sequences of
 *   operations exist), compared by cosine;
 * - `nasbot`: exp(−d / d̃) of the op-count + edit distance, d̃ the median
 *   distance between the cells shown (β = 1);
 * - `gp-ssk`: BOSS's string subsequence kernel on the cell's string;
 * - `gp-ei` (and `local-search`'s neighbourhood): the share of the six
 *   edges that carry the same operation — the normalised inner product of
 *   the one-hot encodings, which GP-EI's Matérn kernel turns into a
 *   similarity (with one length scale per feature).
 *
 * @module
 */

import { categorical, type Config, SearchSpace } from "../../lib/space/mod.ts";
import {
  architectureOf,
  architectureTokens,
  graphPaths,
  NB201_EDGES,
  NB201_OPS,
  opEditDistance,
  pathEncoding,
  subsequenceKernel,
  type TabularBenchmark,
  wlFeatures,
  wlKernel,
} from "../../lib/search/mod.ts";
import { type Markdown, markdown } from "../../lib/viz/markdown.ts";

/** A cell with the short name a reader sees on the heatmap's axes. */
export interface NamedCell {
  name: string;
  config: Config;
  /** Its objective in the table, when the cell was picked from one. */
  value?: number;
}

/** One kernel's similarities between the same list of cells. */
export interface SimilarityMatrix {
  /** The kernel, in words, with the searcher that uses it. */
  kernel: string;
  /** The registered searchers that see cells this way. */
  methods: string[];
  /** The cells' names, in the matrix's order. */
  names: string[];
  /** Row-major similarities in [0, 1], 1 on the diagonal. */
  matrix: number[][];
}

/** The WL iterations shown (the larger of NAS-BOWL's candidates {1, 2}). */
export const WL_ITERATIONS = 2;

/**
 * NAS-Bench-201's space without its table: six edges, five operations each
 * (recognised as a cell architecture by `architectureOf`).
 */
export function nasBench201Space(): SearchSpace {
  return new SearchSpace(
    Object.fromEntries(NB201_EDGES.map((e) => [e, categorical(NB201_OPS)])),
  );
}

/**
 * A NAS-Bench-201 configuration from its six operations, in the order of
 * `NB201_EDGES`.
 */
function cellOf(ops: readonly string[]): Config {
  return Object.fromEntries(NB201_EDGES.map((e, i) => [e, ops[i]]));
}

/**
 * Cells to compare. With a table: the best, its best and worst one-edge
 * neighbours, its best two-edge neighbour, the median cell and its best
 * one-edge neighbour, and the worst cell (the first in edge order among
 * ties). Without: seven cells chosen by structure, named by it, two of
 * them differing only in an edge that lies on no input-to-output path.
 *
 * @example
 * ```ts
 * import { pickCells } from "./arch_similarity.ts";
 * const cells = pickCells(null);
 * if (cells.length !== 7 || cells[0].name !== "all 3×3 conv") throw new Error();
 * ```
 */
export function pickCells(bench: TabularBenchmark | null): NamedCell[] {
  if (!bench) {
    const c3 = "nor_conv_3x3", c1 = "nor_conv_1x1", p = "avg_pool_3x3";
    const s = "skip_connect", n = "none";
    return [
      { name: "all 3×3 conv", config: cellOf([c3, c3, c3, c3, c3, c3]) },
      { name: "one 3×3 conv → pool", config: cellOf([c3, c3, c3, c3, c3, p]) },
      { name: "all 1×1 conv", config: cellOf([c1, c1, c1, c1, c1, c1]) },
      { name: "all pool", config: cellOf([p, p, p, p, p, p]) },
      // Node 1 leads nowhere, so edge 0→1 is off every path: changing it
      // changes the configuration but not the network.
      { name: "a dead-end edge", config: cellOf([c3, c3, n, s, n, c3]) },
      {
        name: "same, dead-end edge changed",
        config: cellOf([p, c3, n, s, n, c3]),
      },
      { name: "output cut off", config: cellOf([c3, c3, c3, n, n, n]) },
    ];
  }
  const sign = bench.maximize ? 1 : -1;
  const all: { config: Config; value: number }[] = [];
  const ops = NB201_OPS as readonly string[];
  for (let code = 0; code < ops.length ** 6; code++) {
    const edge = (k: number) =>
      ops[Math.floor(code / ops.length ** (5 - k)) % ops.length];
    const config = cellOf([0, 1, 2, 3, 4, 5].map(edge));
    all.push({ config, value: bench.evaluate(config) });
  }
  // Best first; ties keep edge order (the sort is stable).
  const ranked = [...all].sort((a, b) => sign * (b.value - a.value));
  const differ = (a: Config, b: Config) =>
    NB201_EDGES.filter((e) => a[e] !== b[e]).length;
  const best = ranked[0];
  const median = ranked[Math.floor(ranked.length / 2)];
  const worst = ranked[ranked.length - 1];
  const near = (c: { config: Config }, k: number) =>
    ranked.filter((x) => differ(x.config, c.config) === k);
  const oneFromBest = near(best, 1);
  // The value in the name: the heatmap's axes then say how good each is.
  const named = (name: string, c: { config: Config; value: number }) => ({
    name: `${name} (${c.value.toFixed(2)})`,
    config: c.config,
    value: c.value,
  });
  return [
    named("best", best),
    named("1 edge off best", oneFromBest[0]),
    named("1 edge off best", oneFromBest.at(-1)!),
    named("2 edges off best", near(best, 2)[0]),
    named("median", median),
    named("1 edge off median", near(median, 1)[0]),
    named("worst", worst),
  ];
}

function matrixOf(
  n: number,
  f: (i: number, j: number) => number,
): number[][] {
  return Array.from(
    { length: n },
    (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : f(i, j))),
  );
}

/**
 * The similarity matrices of the five kernels (see the module's
 * description) between `cells` of a NAS-Bench-201 `space`.
 *
 * @example
 * ```ts
 * import { kernelSimilarities, nasBench201Space, pickCells } from "./arch_similarity.ts";
 * const ms = kernelSimilarities(nasBench201Space(), pickCells(null));
 * if (ms.length !== 5 || ms.some((m) => m.matrix[2][2] !== 1)) throw new Error();
 * ```
 */
export function kernelSimilarities(
  space: SearchSpace,
  cells: readonly NamedCell[],
): SimilarityMatrix[] {
  const codec = architectureOf(space);
  if (!codec || codec.kind !== "cell") {
    throw new Error(
      "kernelSimilarities: the space declares no cell architecture",
    );
  }
  const names = cells.map((c) => c.name);
  // The names label the heatmap's axes, where equal names would merge.
  if (new Set(names).size !== names.length) {
    throw new Error(
      `kernelSimilarities: cell names repeat: ${names.join(", ")}`,
    );
  }
  const n = cells.length;
  const graphs = cells.map((c) => codec.toGraph(c.config));

  const wl = wlKernel(
    graphs.map((g) => wlFeatures(g, WL_ITERATIONS)),
    graphs.map((g) => wlFeatures(g, WL_ITERATIONS)),
    WL_ITERATIONS,
  );

  // The codec's alphabet when it declares one, else every path seen here.
  const encode = codec.pathOps && codec.maxPathLength !== undefined
    ? (g: (typeof graphs)[number]) =>
      Array.from(pathEncoding(g, {
        ops: codec.pathOps!,
        maxLength: codec.maxPathLength!,
      }))
    : (() => {
      const key = (p: string[]) => p.join(">");
      const vocabulary = [
        ...new Set(graphs.flatMap((g) => graphPaths(g).map(key))),
      ];
      return (g: (typeof graphs)[number]) => {
        const have = new Set(graphPaths(g).map(key));
        return vocabulary.map((p) => (have.has(p) ? 1 : 0));
      };
    })();
  const paths = graphs.map(encode);
  const dot = (a: number[], b: number[]) =>
    a.reduce((s, v, k) => s + v * b[k], 0);
  // A cell whose output is cut off has no path: its encoding is all zeros,
  // equal (1) to another such cell and unlike (0) every other.
  const cosine = (a: number[], b: number[]) => {
    const na = dot(a, a), nb = dot(b, b);
    if (na === 0 || nb === 0) return na === nb ? 1 : 0;
    return dot(a, b) / Math.sqrt(na * nb);
  };

  const d = matrixOf(
    n,
    (i, j) => opEditDistance(space, cells[i].config, cells[j].config),
  );
  const off = d.flatMap((row, i) => row.filter((_, j) => j !== i)).sort((
    a,
    b,
  ) => a - b);
  const scale = off.length ? off[Math.floor(off.length / 2)] || 1 : 1;

  const tokens = cells.map((c) => architectureTokens(space, c.config));
  const same = (a: Config, b: Config) =>
    space.names.filter((p) => a[p] === b[p]).length / space.names.length;

  return [
    {
      kernel: `WL subtree, h = ${WL_ITERATIONS}`,
      methods: ["gp-wl"],
      names,
      matrix: matrixOf(n, (i, j) => wl[i * n + j]),
    },
    {
      kernel: "path encoding, cosine",
      methods: ["bananas"],
      names,
      matrix: matrixOf(n, (i, j) => cosine(paths[i], paths[j])),
    },
    {
      kernel: "exp(−edit distance / median)",
      methods: ["nasbot"],
      names,
      matrix: matrixOf(n, (i, j) => Math.exp(-d[i][j] / scale)),
    },
    {
      kernel: "string subsequence",
      methods: ["gp-ssk"],
      names,
      matrix: matrixOf(n, (i, j) => subsequenceKernel(tokens[i], tokens[j])),
    },
    {
      kernel: "share of edges alike (one-hot)",
      methods: ["gp-ei", "local-search"],
      names,
      matrix: matrixOf(n, (i, j) => same(cells[i].config, cells[j].config)),
    },
  ];
}

/**
 * In words: per kernel, which cell it calls most and least like the first
 * cell (the reference, e.g. the best), and which pairs of different cells
 * it cannot tell apart (similarity above 0.999).
 *
 * @example
 * ```ts
 * import { similarityFindings } from "./arch_similarity.ts";
 * const m = { kernel: "k", methods: ["m"], names: ["a", "b", "c"],
 *   matrix: [[1, 0.9, 0.2], [0.9, 1, 0.1], [0.2, 0.1, 1]] };
 * if (!similarityFindings([m]).text.includes("most like a: b at 0.90; least: c at 0.20")) throw new Error();
 * ```
 */
export function similarityFindings(
  matrices: readonly SimilarityMatrix[],
): Markdown {
  const lines: string[] = [];
  const identical: string[] = [];
  for (const m of matrices) {
    const ref = m.names[0];
    const others = m.names.map((name, j) => ({ name, s: m.matrix[0][j] }))
      .slice(1)
      .sort((a, b) => b.s - a.s);
    const top = others[0], bottom = others[others.length - 1];
    lines.push(
      `- **${m.kernel}** (${m.methods.join(", ")}): most like ${ref}: ` +
        `${top.name} at ${top.s.toFixed(2)}; least: ${bottom.name} at ${
          bottom.s.toFixed(2)
        }.`,
    );
    const pairs: string[] = [];
    for (let i = 0; i < m.names.length; i++) {
      for (let j = i + 1; j < m.names.length; j++) {
        if (m.matrix[i][j] > 0.999) pairs.push(`${m.names[i]} = ${m.names[j]}`);
      }
    }
    if (pairs.length) identical.push(`${m.kernel}: ${pairs.join("; ")}`);
  }
  lines.push(
    `- Different cells a kernel cannot tell apart (similarity 1): ${
      identical.length ? identical.join(" — ") : "none"
    }.`,
  );
  return markdown(lines.join("\n"));
}
