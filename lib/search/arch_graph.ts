/**
 * Architectures as graphs: one labelled DAG form ({@linkcode ArchGraph}) for
 * cell-based spaces and for layered networks, so that the architecture-aware
 * searchers (`gp-wl`, `bananas`, `local-search`) work on any space that
 * declares an architecture.
 *
 * - A NAS-Bench-201 cell (4 nodes, one operation per edge) becomes the
 *   operation-on-node form NAS-BOWL (Ru et al. 2021) uses: each edge is a
 *   node labelled by its operation, `none` edges are removed, `skip_connect`
 *   nodes are contracted (their inputs wired to their outputs), and what no
 *   longer lies on an input-to-output path is dropped.
 * - infolens's layered encodings ({@linkcode MlpArchitecture},
 *   {@linkcode CnnArchitecture}) become a chain of typed layers with widths,
 *   and back.
 * - A space declares its architecture with {@linkcode declareArchitecture};
 *   {@linkcode architectureOf} finds it (NAS-Bench-201's six-edge space is
 *   recognised without a declaration).
 *
 * @module
 */

import type { Config, SearchSpace } from "../space/space.ts";
import type {
  CnnArchitecture,
  MlpArchitecture,
  NetActivation,
  Pooling,
} from "../nets/architecture.ts";
import { dimensionOf, toInternal } from "./_parzen.ts";
import { SearchError } from "./searcher.ts";
import { NB201_EDGES, NB201_OPS } from "./tabular.ts";

/** A node of an {@linkcode ArchGraph}: an operation, with a width for layers. */
export interface ArchNode {
  /** The operation ("input", "output", "nor_conv_3x3", "dense", …). */
  op: string;
  /** Units or channels, for layered networks; absent in cells. */
  width?: number;
  /** Further settings of a layer (activation, kernel size). */
  attrs?: Record<string, string | number | boolean>;
}

/**
 * A labelled DAG with operations on nodes, nodes in topological order: node
 * 0 is the input, the last node the output; `edges` are [from, to] pairs
 * with from < to.
 */
export interface ArchGraph {
  /** The nodes, input first, output last. */
  nodes: ArchNode[];
  /** Directed edges [from, to], from < to. */
  edges: [number, number][];
  /** Settings of the whole network (an MLP's dropout), for converting back. */
  meta?: Record<string, string | number | boolean>;
}

/**
 * How a space's configurations are architectures: the graph of a
 * configuration (what the kernels and encodings read).
 */
export interface ArchitectureCodec {
  /** "cell" for operation-per-edge cells, "layered" for chains of layers. */
  kind: "cell" | "layered";
  /** The graph of a configuration. */
  toGraph(config: Config): ArchGraph;
  /**
   * The operations that can sit on a path of the graph (the path
   * encoding's alphabet), when known.
   */
  pathOps?: readonly string[];
  /** The most operations on one input-to-output path, when known. */
  maxPathLength?: number;
}

const declared = new WeakMap<SearchSpace, ArchitectureCodec>();

/**
 * Declares that the configurations of `space` are architectures, read by
 * `codec`. The architecture-aware searchers then see graphs, not vectors.
 *
 * @example
 * ```ts
 * import { SearchSpace, int } from "../space/space.ts";
 * import { architectureOf, declareArchitecture, mlpToGraph } from "./arch_graph.ts";
 * const space = new SearchSpace({ w0: int(1, 64), w1: int(1, 64) });
 * declareArchitecture(space, {
 *   kind: "layered",
 *   toGraph: (c) => mlpToGraph({ kind: "mlp", inputs: 4, outputs: 3, activation: "relu", widths: [c.w0 as number, c.w1 as number] }),
 * });
 * if (architectureOf(space)?.kind !== "layered") throw new Error();
 * ```
 */
export function declareArchitecture(
  space: SearchSpace,
  codec: ArchitectureCodec,
): void {
  if (typeof codec?.toGraph !== "function") {
    throw new SearchError(
      "declareArchitecture: the codec needs toGraph(config)",
    );
  }
  declared.set(space, codec);
}

/**
 * The architecture a space declared, NAS-Bench-201's when the space is its
 * six edges over its five operations, else undefined.
 */
export function architectureOf(
  space: SearchSpace,
): ArchitectureCodec | undefined {
  const codec = declared.get(space);
  if (codec) return codec;
  if (isNasBench201Space(space)) return NB201_CODEC;
  return undefined;
}

function isNasBench201Space(space: SearchSpace): boolean {
  const names = space.names;
  if (names.length !== NB201_EDGES.length) return false;
  return NB201_EDGES.every((e) => {
    const p = space.params[e];
    return p?.kind === "categorical" && p.when === undefined &&
      p.choices.length === NB201_OPS.length &&
      NB201_OPS.every((op) => p.choices.includes(op));
  });
}

/**
 * A cell with an operation on every edge of a DAG whose nodes are numbered
 * 0 (input) to `nodes` − 1 (output): NAS-Bench-201's form.
 */
export interface EdgeCell {
  /** The number of nodes (4 in NAS-Bench-201). */
  nodes: number;
  /** Each edge's operation. */
  edges: { from: number; to: number; op: string }[];
}

/**
 * The NAS-Bench-201 cell of a configuration (one operation per edge named
 * in {@linkcode NB201_EDGES}).
 *
 * @example
 * ```ts
 * import { cellFromConfig, configFromCell } from "./arch_graph.ts";
 * const c = { edge_0_1: "nor_conv_3x3", edge_0_2: "none", edge_1_2: "skip_connect",
 *   edge_0_3: "avg_pool_3x3", edge_1_3: "nor_conv_1x1", edge_2_3: "none" };
 * const cell = cellFromConfig(c);
 * if (cell.edges[2].op !== "skip_connect" || JSON.stringify(configFromCell(cell)) !== JSON.stringify(c)) throw new Error();
 * ```
 */
export function cellFromConfig(config: Config): EdgeCell {
  return {
    nodes: 4,
    edges: NB201_EDGES.map((name) => {
      const [, from, to] = name.split("_").map(Number);
      const op = config[name];
      if (typeof op !== "string") {
        throw new SearchError(`${name}: expected an operation, got ${op}`);
      }
      return { from, to, op };
    }),
  };
}

/** The configuration of a NAS-Bench-201 cell (inverse of {@linkcode cellFromConfig}). */
export function configFromCell(cell: EdgeCell): Config {
  const config: Config = {};
  for (const name of NB201_EDGES) {
    const [, from, to] = name.split("_").map(Number);
    const e = cell.edges.find((e) => e.from === from && e.to === to);
    if (!e) throw new SearchError(`the cell lacks edge ${from}→${to}`);
    config[name] = e.op;
  }
  return config;
}

/** Options of {@linkcode cellToGraph}. */
export interface CellToGraphOptions {
  /** The operation that means "no edge"; default "none". */
  none?: string;
  /** The identity operation, contracted; default "skip_connect". */
  skip?: string;
}

/**
 * A cell in operation-on-node form (NAS-BOWL's): every edge becomes a node
 * labelled by its operation between its two ends; `none` nodes are removed,
 * `skip` nodes contracted, the cell's intermediate nodes (sums) contracted
 * too, and nodes off every input-to-output path dropped. A cell whose
 * input no longer reaches its output is the graph input → output with no
 * edge.
 *
 * @example
 * ```ts
 * import { cellToGraph } from "./arch_graph.ts";
 * // 0 -conv-> 1 -skip-> 3, and 0 -none-> 3: input → conv → output.
 * const g = cellToGraph({ nodes: 3, edges: [
 *   { from: 0, to: 1, op: "conv" }, { from: 1, to: 2, op: "skip_connect" }, { from: 0, to: 2, op: "none" },
 * ] });
 * if (g.nodes.map((n) => n.op).join() !== "input,conv,output" || g.edges.length !== 2) throw new Error();
 * ```
 */
export function cellToGraph(
  cell: EdgeCell,
  options: CellToGraphOptions = {},
): ArchGraph {
  const none = options.none ?? "none";
  const skip = options.skip ?? "skip_connect";
  const last = cell.nodes - 1;
  // Vertices: cell nodes 0..last, then one per operation edge. Cell nodes
  // and skip edges are "transparent": they pass their inputs on.
  const ops = cell.edges.filter((e) => e.op !== none);
  const n = cell.nodes + ops.length;
  const succ: number[][] = Array.from({ length: n }, () => []);
  ops.forEach((e, k) => {
    const v = cell.nodes + k;
    succ[e.from].push(v);
    succ[v].push(e.to);
  });
  const opaque = (v: number) =>
    v === 0 || v === last ||
    (v >= cell.nodes && ops[v - cell.nodes].op !== skip);
  // The opaque vertices each opaque vertex reaches through transparent ones.
  const reach = (v: number): Set<number> => {
    const out = new Set<number>();
    const stack = [...succ[v]];
    const visited = new Set<number>();
    while (stack.length > 0) {
      const u = stack.pop()!;
      if (visited.has(u)) continue;
      visited.add(u);
      if (opaque(u)) out.add(u);
      else stack.push(...succ[u]);
    }
    return out;
  };
  const kept = Array.from({ length: n }, (_, v) => v).filter(opaque);
  const links = new Map(kept.map((v) => [v, reach(v)]));
  // Keep what lies on a path from the input to the output.
  const fromInput = new Set<number>([0]);
  const order = [0, ...kept.filter((v) => v >= cell.nodes), last];
  // Operation vertices in topological order: by their edge's target node,
  // then source, then position.
  order.sort((a, b) => rank(a) - rank(b));
  function rank(v: number): number {
    if (v === 0) return -1;
    if (v === last) return Infinity;
    const e = ops[v - cell.nodes];
    return (e.to * cell.nodes + e.from) * (ops.length + 1) + (v - cell.nodes);
  }
  for (const v of order) {
    if (!fromInput.has(v)) continue;
    for (const u of links.get(v)!) fromInput.add(u);
  }
  const toOutput = new Set<number>([last]);
  for (const v of [...order].reverse()) {
    if ([...links.get(v)!].some((u) => toOutput.has(u))) toOutput.add(v);
  }
  if (!fromInput.has(last)) {
    return { nodes: [{ op: "input" }, { op: "output" }], edges: [] };
  }
  const alive = order.filter((v) => fromInput.has(v) && toOutput.has(v));
  const index = new Map(alive.map((v, i) => [v, i]));
  const edges: [number, number][] = [];
  for (const v of alive) {
    for (const u of links.get(v)!) {
      if (index.has(u)) edges.push([index.get(v)!, index.get(u)!]);
    }
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return {
    nodes: alive.map((v) =>
      v === 0
        ? { op: "input" }
        : v === last
        ? { op: "output" }
        : { op: ops[v - cell.nodes].op }
    ),
    edges,
  };
}

/** NAS-Bench-201's codec: configuration → cell → operation-on-node graph. */
export const NB201_CODEC: ArchitectureCodec = {
  kind: "cell",
  // `none` and `skip_connect` leave the graph; a path crosses at most
  // three edges.
  pathOps: ["avg_pool_3x3", "nor_conv_1x1", "nor_conv_3x3"],
  maxPathLength: 3,
  toGraph: (config) => cellToGraph(cellFromConfig(config)),
};

/**
 * An MLP as a chain: input (width = features), one `dense` node per hidden
 * layer (width, activation), `softmax` output (width = classes); dropout
 * and batch norm go to `meta`.
 *
 * @example
 * ```ts
 * import { graphToMlp, mlpToGraph } from "./arch_graph.ts";
 * const a = { kind: "mlp" as const, inputs: 12, widths: [10, 7, 5], outputs: 2, activation: "tanh" as const };
 * const g = mlpToGraph(a);
 * if (g.nodes.length !== 5 || g.nodes[2].width !== 7) throw new Error();
 * if (JSON.stringify(graphToMlp(g)) !== JSON.stringify(a)) throw new Error();
 * ```
 */
export function mlpToGraph(a: MlpArchitecture): ArchGraph {
  const nodes: ArchNode[] = [
    { op: "input", width: a.inputs },
    ...a.widths.map((w) => ({
      op: "dense",
      width: w,
      attrs: { activation: a.activation },
    })),
    { op: "softmax", width: a.outputs },
  ];
  const meta: Record<string, string | number | boolean> = {
    kind: "mlp",
    activation: a.activation,
  };
  if (a.dropout !== undefined) meta.dropout = a.dropout;
  if (a.batchNorm !== undefined) meta.batchNorm = a.batchNorm;
  return { nodes, edges: chainEdges(nodes.length), meta };
}

/** The MLP of a chain made by {@linkcode mlpToGraph}. */
export function graphToMlp(g: ArchGraph): MlpArchitecture {
  if (g.meta?.kind !== "mlp") {
    throw new SearchError("graphToMlp: not an MLP's graph (meta.kind)");
  }
  const hidden = g.nodes.slice(1, -1);
  const a: MlpArchitecture = {
    kind: "mlp",
    inputs: g.nodes[0].width!,
    widths: hidden.map((n) => n.width!),
    outputs: g.nodes[g.nodes.length - 1].width!,
    activation: g.meta.activation as NetActivation,
  };
  if (g.meta.dropout !== undefined) a.dropout = g.meta.dropout as number;
  if (g.meta.batchNorm !== undefined) {
    a.batchNorm = g.meta.batchNorm as boolean;
  }
  return a;
}

/**
 * A CNN as a chain: input (width = channels), per convolution a `conv`
 * node (filters, kernel size) followed by a `max-pool`/`avg-pool` node
 * unless pooling is "none", `dense` nodes, `softmax` output.
 *
 * @example
 * ```ts
 * import { cnnToGraph, graphToCnn } from "./arch_graph.ts";
 * const a = { kind: "cnn" as const, inputShape: [8, 8, 1] as [number, number, number], filters: [8, 16], dense: [32], outputs: 10, activation: "relu" as const };
 * const g = cnnToGraph(a);
 * if (g.nodes.map((n) => n.op).join() !== "input,conv,max-pool,conv,max-pool,dense,softmax") throw new Error();
 * if (JSON.stringify(graphToCnn(g)) !== JSON.stringify(a)) throw new Error();
 * ```
 */
export function cnnToGraph(a: CnnArchitecture): ArchGraph {
  const pooling = a.pooling ?? "max";
  const k = a.kernelSize ?? 3;
  const nodes: ArchNode[] = [{ op: "input", width: a.inputShape[2] }];
  for (const f of a.filters) {
    nodes.push({
      op: "conv",
      width: f,
      attrs: { kernelSize: k, activation: a.activation },
    });
    if (pooling !== "none") nodes.push({ op: `${pooling}-pool`, width: f });
  }
  for (const w of a.dense ?? []) {
    nodes.push({ op: "dense", width: w, attrs: { activation: a.activation } });
  }
  nodes.push({ op: "softmax", width: a.outputs });
  const meta: Record<string, string | number | boolean> = {
    kind: "cnn",
    height: a.inputShape[0],
    width: a.inputShape[1],
    activation: a.activation,
  };
  if (a.kernelSize !== undefined) meta.kernelSize = a.kernelSize;
  if (a.pooling !== undefined) meta.pooling = a.pooling;
  if (a.dense !== undefined) meta.dense = true;
  return { nodes, edges: chainEdges(nodes.length), meta };
}

/** The CNN of a chain made by {@linkcode cnnToGraph}. */
export function graphToCnn(g: ArchGraph): CnnArchitecture {
  if (g.meta?.kind !== "cnn") {
    throw new SearchError("graphToCnn: not a CNN's graph (meta.kind)");
  }
  const m = g.meta;
  const a: CnnArchitecture = {
    kind: "cnn",
    inputShape: [m.height as number, m.width as number, g.nodes[0].width!],
    filters: g.nodes.filter((n) => n.op === "conv").map((n) => n.width!),
    outputs: g.nodes[g.nodes.length - 1].width!,
    activation: m.activation as NetActivation,
  };
  if (m.kernelSize !== undefined) a.kernelSize = m.kernelSize as number;
  if (m.pooling !== undefined) a.pooling = m.pooling as Pooling;
  const dense = g.nodes.filter((n) => n.op === "dense").map((n) => n.width!);
  if (m.dense !== undefined) a.dense = dense;
  // Reorder keys as a hand-written encoding would list them.
  return {
    kind: a.kind,
    inputShape: a.inputShape,
    filters: a.filters,
    ...(a.kernelSize !== undefined ? { kernelSize: a.kernelSize } : {}),
    ...(a.pooling !== undefined ? { pooling: a.pooling } : {}),
    ...(a.dense !== undefined ? { dense: a.dense } : {}),
    outputs: a.outputs,
    activation: a.activation,
  };
}

/** Options of {@linkcode mlpCodec}: how a configuration names an MLP. */
export interface MlpCodecOptions {
  /** Features per sample. */
  inputs: number;
  /** Classes. */
  outputs: number;
  /** The integer hyperparameter with the number of hidden layers. */
  depth: string;
  /** The hyperparameter with the width of hidden layer i (0-based). */
  width: (i: number) => string;
  /** The categorical hyperparameter with the activation, or a fixed one. */
  activation: string | { fixed: NetActivation };
}

/**
 * A codec for spaces that encode an MLP as a depth, one width per layer
 * (active when the depth reaches it) and an activation, with the
 * converters both ways.
 *
 * @example
 * ```ts
 * import { mlpCodec } from "./arch_graph.ts";
 * const codec = mlpCodec({ inputs: 4, outputs: 3, depth: "depth", width: (i) => `w${i}`, activation: "act" });
 * const c = { depth: 2, w0: 32, w1: 8, act: "relu" };
 * const a = codec.toArchitecture(c);
 * if (a.widths.join() !== "32,8" || JSON.stringify(codec.fromArchitecture(a)) !== JSON.stringify(c)) throw new Error();
 * if (codec.toGraph(c).nodes.length !== 4) throw new Error();
 * ```
 */
export function mlpCodec(options: MlpCodecOptions): ArchitectureCodec & {
  /** The MLP a configuration describes. */
  toArchitecture(config: Config): MlpArchitecture;
  /** The configuration of an MLP (inverse of toArchitecture). */
  fromArchitecture(a: MlpArchitecture): Config;
} {
  const act = options.activation;
  const toArchitecture = (config: Config): MlpArchitecture => {
    const depth = Number(config[options.depth]);
    return {
      kind: "mlp",
      inputs: options.inputs,
      widths: Array.from(
        { length: depth },
        (_, i) => Number(config[options.width(i)]),
      ),
      outputs: options.outputs,
      activation: typeof act === "string"
        ? config[act] as NetActivation
        : act.fixed,
    };
  };
  return {
    kind: "layered",
    toArchitecture,
    fromArchitecture(a) {
      const config: Config = { [options.depth]: a.widths.length };
      a.widths.forEach((w, i) => (config[options.width(i)] = w));
      if (typeof act === "string") config[act] = a.activation;
      return config;
    },
    toGraph: (config) => mlpToGraph(toArchitecture(config)),
  };
}

function chainEdges(n: number): [number, number][] {
  return Array.from({ length: n - 1 }, (_, i) => [i, i + 1]);
}

/**
 * The graph of a configuration of a space that declares no architecture: a
 * chain input → one node per active hyperparameter → output, each labelled
 * `name=value` (numbers binned into tenths of their range, so nearby values
 * share a label). It lets graph kernels run on any space; it knows nothing
 * of architectures.
 */
export function hyperparameterChain(
  space: SearchSpace,
  config: Config,
): ArchGraph {
  const nodes: ArchNode[] = [{ op: "input" }];
  for (const name of space.names) {
    const v = config[name];
    if (v === null || v === undefined) continue;
    const d = dimensionOf(name, space.params[name]);
    const label = d.kind === "categorical" ? String(v) : String(
      Math.min(
        9,
        Math.floor(10 * (toInternal(d, v) - d.low) / (d.high - d.low || 1)),
      ),
    );
    nodes.push({ op: `${name}=${label}` });
  }
  nodes.push({ op: "output" });
  return { nodes, edges: chainEdges(nodes.length) };
}

/** The graph of a configuration: the space's architecture, else its chain. */
export function graphOf(space: SearchSpace, config: Config): ArchGraph {
  const codec = architectureOf(space);
  return codec ? codec.toGraph(config) : hyperparameterChain(space, config);
}
