/**
 * Encodings and kernels of architecture graphs ({@linkcode ArchGraph}):
 *
 * - the path encoding of BANANAS (White et al. 2021): one feature per
 *   input-to-output sequence of operations, 1 when the graph has such a
 *   path; truncated to the shortest paths when asked (White et al. 2020, "A
 *   study on encodings for neural architecture search");
 * - the Weisfeiler-Lehman subtree features and kernel of NAS-BOWL (Ru et
 *   al. 2021): counts of node labels refined h times by each node's
 *   incoming neighbours, the kernel their inner product summed over
 *   iterations 0…h, normalised to k(G,G) = 1.
 *
 * @module
 */

import type { ArchGraph } from "./arch_graph.ts";
import { SearchError } from "./searcher.ts";

/**
 * The operation sequences of every input-to-output path (input and output
 * left out), one entry per path.
 *
 * @example
 * ```ts
 * import { graphPaths } from "./arch_encodings.ts";
 * const g = { nodes: [{ op: "input" }, { op: "a" }, { op: "b" }, { op: "output" }],
 *   edges: [[0, 1], [1, 2], [0, 2], [2, 3]] as [number, number][] };
 * if (JSON.stringify(graphPaths(g)) !== '[["a","b"],["b"]]') throw new Error();
 * ```
 */
export function graphPaths(g: ArchGraph): string[][] {
  const last = g.nodes.length - 1;
  const succ: number[][] = g.nodes.map(() => []);
  for (const [a, b] of g.edges) succ[a].push(b);
  const out: string[][] = [];
  const walk = (v: number, path: string[]) => {
    if (v === last) {
      out.push(path);
      return;
    }
    for (const u of succ[v]) {
      walk(u, u === last ? path : [...path, g.nodes[u].op]);
    }
  };
  walk(0, []);
  return out;
}

/** Options of {@linkcode pathEncoding}. */
export interface PathEncodingOptions {
  /** The operations that may sit on a path (the encoding's alphabet). */
  ops: readonly string[];
  /** The longest path, in operations. */
  maxLength: number;
  /**
   * Keep only the first `truncate` features (the shortest paths), as the
   * truncated path encoding does; default all.
   */
  truncate?: number;
}

/**
 * The number of features of a path encoding: Σ_{k=0}^{L} |ops|^k, cut to
 * `truncate`.
 */
export function pathEncodingLength(options: PathEncodingOptions): number {
  let n = 0;
  for (let k = 0; k <= options.maxLength; k++) n += options.ops.length ** k;
  return Math.min(n, options.truncate ?? n);
}

/**
 * BANANAS's path encoding: feature i is 1 when the graph has the path
 * numbered i — paths are numbered by length (the empty path, a graph with
 * a direct input → output route, is 0), then in base |ops| with the first
 * operation most significant.
 *
 * @example
 * ```ts
 * import { pathEncoding } from "./arch_encodings.ts";
 * const g = { nodes: [{ op: "input" }, { op: "a" }, { op: "b" }, { op: "output" }],
 *   edges: [[0, 1], [1, 2], [0, 3], [2, 3]] as [number, number][] };
 * // Paths: [] (index 0) and [a, b] (index 1 + 2 + 0·2 + 1 = 4).
 * const x = pathEncoding(g, { ops: ["a", "b"], maxLength: 2 });
 * if (x.length !== 7 || x.join() !== "1,0,0,0,1,0,0") throw new Error();
 * ```
 */
export function pathEncoding(
  g: ArchGraph,
  options: PathEncodingOptions,
): Float64Array {
  const { ops, maxLength } = options;
  const index = new Map(ops.map((op, i) => [op, i]));
  const x = new Float64Array(pathEncodingLength(options));
  for (const path of graphPaths(g)) {
    if (path.length > maxLength) {
      throw new SearchError(
        `pathEncoding: a path of ${path.length} operations is longer than maxLength ${maxLength}`,
      );
    }
    let offset = 0;
    for (let k = 0; k < path.length; k++) offset += ops.length ** k;
    let code = 0;
    for (const op of path) {
      const i = index.get(op);
      if (i === undefined) {
        throw new SearchError(
          `pathEncoding: operation "${op}" is not among ${ops.join(", ")}`,
        );
      }
      code = code * ops.length + i;
    }
    if (offset + code < x.length) x[offset + code] = 1;
  }
  return x;
}

/**
 * The Weisfeiler-Lehman labels of iterations 0…h: iteration 0 is each
 * node's operation; iteration i + 1 relabels a node by its label and the
 * sorted labels of its incoming neighbours (NAS-BOWL's directed variant).
 * Returns one multiset per iteration, as label → count.
 *
 * @example
 * ```ts
 * import { wlFeatures } from "./arch_encodings.ts";
 * const g = { nodes: [{ op: "input" }, { op: "a" }, { op: "output" }], edges: [[0, 1], [1, 2]] as [number, number][] };
 * const f = wlFeatures(g, 1);
 * if (f[0].get("a") !== 1 || f[1].get("a(input)") !== 1 || f[1].get("input()") !== 1) throw new Error();
 * ```
 */
export function wlFeatures(g: ArchGraph, h: number): Map<string, number>[] {
  const pred: number[][] = g.nodes.map(() => []);
  for (const [a, b] of g.edges) pred[b].push(a);
  let labels = g.nodes.map((n) => n.op);
  const out: Map<string, number>[] = [];
  for (let it = 0; it <= h; it++) {
    const counts = new Map<string, number>();
    for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    out.push(counts);
    labels = labels.map((l, v) =>
      `${l}(${pred[v].map((u) => labels[u]).sort().join(",")})`
    );
  }
  return out;
}

/** A sparse vector of WL counts over iterations 0…h, for one graph. */
export type WlVector = Map<string, number>[];

function dot(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [k, v] of small) {
    const w = large.get(k);
    if (w !== undefined) s += v * w;
  }
  return s;
}

/**
 * The unnormalised WL subtree kernel of iterations 0…h:
 * Σ_i ⟨φ_i(G), φ_i(G′)⟩, from features of {@linkcode wlFeatures} with at
 * least h + 1 iterations.
 */
export function wlDot(a: WlVector, b: WlVector, h: number): number {
  let s = 0;
  for (let i = 0; i <= h; i++) s += dot(a[i], b[i]);
  return s;
}

/**
 * The normalised WL subtree kernel matrix between two lists of graphs
 * (given as {@linkcode wlFeatures} with at least h + 1 iterations):
 * k(G,G′) / √(k(G,G) k(G′,G′)), row-major, rows = `a`.
 *
 * @example
 * ```ts
 * import { wlFeatures, wlKernel } from "./arch_encodings.ts";
 * const g = (op: string) => ({ nodes: [{ op: "input" }, { op }, { op: "output" }], edges: [[0, 1], [1, 2]] as [number, number][] });
 * const f = [wlFeatures(g("a"), 0), wlFeatures(g("b"), 0)];
 * const k = wlKernel(f, f, 0);
 * // Three labels each, two shared: 2 / 3.
 * if (Math.abs(k[0] - 1) > 1e-12 || Math.abs(k[1] - 2 / 3) > 1e-12) throw new Error();
 * ```
 */
export function wlKernel(
  a: readonly WlVector[],
  b: readonly WlVector[],
  h: number,
): Float64Array {
  const na = a.map((x) => Math.sqrt(wlDot(x, x, h)));
  const nb = b.map((x) => Math.sqrt(wlDot(x, x, h)));
  const k = new Float64Array(a.length * b.length);
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      k[i * b.length + j] = wlDot(a[i], b[j], h) / (na[i] * nb[j]);
    }
  }
  return k;
}
