/**
 * Distances between architectures, for the `nasbot` searcher's kernel
 * exp(−β d):
 *
 * - {@linkcode otmannDistance}: NASBOT's OTMANN (Kandasamy, Neiswanger,
 *   Schneider, Póczos & Xing, "Neural architecture search with Bayesian
 *   optimisation and optimal transport", NeurIPS 2018) between layered
 *   networks ({@linkcode ArchGraph} chains or DAGs of typed layers with
 *   widths): each layer carries a mass (its incoming weights), and the
 *   distance is the least cost of transporting one network's layer masses
 *   onto the other's, where matching two layers costs their label mismatch
 *   plus a structural cost (how differently far they sit from the input
 *   and the output), and mass left unmatched costs the non-assignment
 *   penalty per unit. Constants as in the reference code (dragonfly's
 *   `nn_comparators` and `neural_network`): masses in × out units (× 0.1
 *   for CNN dense layers, in-channels for pooling), input, output and
 *   decision layers max(0.1 × the processing mass, 100), the input layer
 *   sending one channel; MLP activations of one family (rectifiers,
 *   sigmoids) mismatch by 0.1, of two families by 0.25, convolutions by
 *   √2/10 · √|k − k′|, poolings by 0.5, anything else by "infinity"
 *   (7.65432·10⁵), all × the penalty; structural costs the mean absolute
 *   difference of shortest, longest and random-walk path lengths to the
 *   input and to the output, counted over all layers and over each layer
 *   family (MLP: rectifier, sigmoid; CNN: conv, pool, fc).
 * - {@linkcode opEditDistance}: the op-count + edit distance commonly used
 *   for cells (naszilla's `nasbot_distance` for NAS-Bench-201): the number
 *   of edges whose operation differs plus Σ_op |#op in a − #op in b|.
 *
 * @module
 */

import type { Config, SearchSpace } from "../space/space.ts";
import type { ArchGraph } from "./arch_graph.ts";
import { dimensionOf, toInternal } from "./_parzen.ts";
import { optimalTransport } from "./optimal_transport.ts";

/** What stands in for an infinite cost (the reference's constant). */
export const OTMANN_INFINITY = 7.65432e5;

/**
 * NASBOT's default (mislabel, structural) coefficient pairs: the GP's
 * kernel combines the distances of all four.
 */
export const OTMANN_COEFFICIENTS: readonly (readonly [number, number])[] = [
  [1, 0.1],
  [1, 0.25],
  [1, 0.61],
  [1, 1.5],
];

const RECTIFIERS = ["relu", "crelu", "leaky-relu", "softplus", "elu"];
const SIGMOIDS = ["logistic", "tanh", "sigmoid"];
const FC_MASS = 0.1;
const NON_PROCESSING_FRACTION = 0.1;
const NON_PROCESSING_FLOOR = 100;

/** A network as OTMANN reads it: labelled layers, masses, path lengths. */
export interface OtmannNetwork {
  /** Layer labels ("ip", "op", "softmax", "relu", "conv3", "max-pool", …). */
  labels: string[];
  /** Layer masses. */
  masses: number[];
  /** Per layer, path lengths back to the input (one per category). */
  toInput: number[][];
  /** Per layer, path lengths on to the output (one per category). */
  toOutput: number[][];
  /** "mlp" or "cnn": which label families and mismatch costs apply. */
  kind: "mlp" | "cnn";
}

function labelOf(node: ArchGraph["nodes"][number], kind: string): string {
  switch (node.op) {
    case "input":
      return "ip";
    case "output":
      return "op";
    case "dense":
      return kind === "cnn" ? "fc" : String(node.attrs?.activation ?? "dense");
    case "conv":
      return `conv${node.attrs?.kernelSize ?? 3}`;
    default:
      return node.op;
  }
}

const isDecision = (l: string) => l === "softmax" || l === "linear";
const isPool = (l: string) => l.endsWith("pool");
const isConv = (l: string) => l.startsWith("conv") || l.startsWith("res");

function familyOf(label: string, kind: "mlp" | "cnn"): string | undefined {
  if (kind === "mlp") {
    if (RECTIFIERS.includes(label)) return "rectifier";
    if (SIGMOIDS.includes(label)) return "sigmoid";
    return undefined;
  }
  if (isConv(label)) return "conv";
  if (isPool(label)) return "pool";
  if (label === "fc") return "fc";
  return undefined;
}

/**
 * The OTMANN view of a layered graph: labels, masses and path lengths. A
 * graph that ends in a decision layer (softmax, linear) gets an output
 * layer after it, as NASBOT's networks have.
 */
export function otmannNetwork(g: ArchGraph): OtmannNetwork {
  const kind: "mlp" | "cnn" = g.meta?.kind === "cnn" ||
      (g.meta?.kind !== "mlp" && g.nodes.some((n) => n.op === "conv"))
    ? "cnn"
    : "mlp";
  const labels = g.nodes.map((n) => labelOf(n, kind));
  const units: (number | undefined)[] = g.nodes.map((n) => n.width);
  const edges = g.edges.map(([a, b]) => [a, b] as [number, number]);
  if (labels[labels.length - 1] !== "op") {
    const last = labels.length - 1;
    labels.push("op");
    units.push(undefined);
    edges.push([last, last + 1]);
  }
  const n = labels.length;
  const parents: number[][] = labels.map(() => []);
  const children: number[][] = labels.map(() => []);
  for (const [a, b] of edges) {
    parents[b].push(a);
    children[a].push(b);
  }
  // Channels in and out of each layer; the input sends one (as NASBOT).
  const out: number[] = new Array(n).fill(0);
  const inn: number[] = new Array(n).fill(0);
  out[0] = 1;
  for (let v = 1; v < n; v++) {
    inn[v] = parents[v].reduce((s, p) => s + out[p], 0);
    out[v] = isPool(labels[v]) ? inn[v] : (units[v] ?? 1);
  }
  const masses: number[] = new Array(n).fill(0);
  let decisions = 0;
  for (let v = 0; v < n; v++) {
    const l = labels[v];
    if (isDecision(l)) decisions++;
    else if (l === "ip" || l === "op") continue;
    else if (isPool(l)) masses[v] = inn[v];
    else masses[v] = inn[v] * out[v] * (l === "fc" ? FC_MASS : 1);
  }
  const processing = masses.reduce((a, b) => a + b, 0);
  const nonProcessing = Math.max(
    NON_PROCESSING_FRACTION * processing,
    NON_PROCESSING_FLOOR,
  );
  for (let v = 0; v < n; v++) {
    if (isDecision(labels[v])) masses[v] = nonProcessing / decisions;
    else if (labels[v] === "ip" || labels[v] === "op") {
      masses[v] = nonProcessing;
    }
  }
  // Path lengths, per family: a layer counts 1 when it belongs to the
  // family ("all": every layer), then shortest / longest / mean over its
  // parents (to the input) or children (to the output).
  const families = kind === "mlp"
    ? ["all", "rectifier", "sigmoid"]
    : ["all", "conv", "pool", "fc"];
  const toInput: number[][] = labels.map(() => []);
  const toOutput: number[][] = labels.map(() => []);
  for (const f of families) {
    const w = labels.map((l) => f === "all" || familyOf(l, kind) === f ? 1 : 0);
    for (const agg of ["shortest", "longest", "rw"] as const) {
      const pick = (xs: number[]) =>
        xs.length === 0
          ? Infinity
          : agg === "shortest"
          ? Math.min(...xs)
          : agg === "longest"
          ? Math.max(...xs)
          : xs.reduce((a, b) => a + b, 0) / xs.length;
      const back = new Array(n).fill(0);
      for (let v = 1; v < n; v++) {
        back[v] = w[v] + pick(parents[v].map((p) => back[p]));
      }
      const fwd = new Array(n).fill(0);
      for (let v = n - 2; v >= 0; v--) {
        fwd[v] = w[v] + pick(children[v].map((c) => fwd[c]));
      }
      for (let v = 0; v < n; v++) {
        toInput[v].push(back[v]);
        toOutput[v].push(fwd[v]);
      }
    }
  }
  return { labels, masses, toInput, toOutput, kind };
}

/** The label mismatch of two layers, before the non-assignment penalty. */
export function otmannMismatch(
  a: string,
  b: string,
  kind: "mlp" | "cnn",
): number {
  if (a === b) return 0;
  if (kind === "mlp") {
    const fa = familyOf(a, kind), fb = familyOf(b, kind);
    if (fa && fa === fb) return 0.1;
    if (fa && fb) return 0.25;
    return Infinity;
  }
  if (isConv(a) && isConv(b)) {
    const size = (l: string) => Number(l.replace(/^\D+/, ""));
    const raw = (Math.SQRT2 / 10) * Math.sqrt(Math.abs(size(a) - size(b)));
    if (a.startsWith("conv") === b.startsWith("conv")) return raw;
    // conv against res: between a conv-conv cost and the penalty (0.9/0.1).
    return raw > 1 ? raw : 0.9 * raw + 0.1;
  }
  if (isPool(a) && isPool(b)) return 0.5;
  return Infinity;
}

/** Options of {@linkcode otmannDistance}. */
export interface OtmannOptions {
  /** Weight of the label mismatch costs; default 1. */
  mislabel?: number;
  /** Weight of the structural costs; default 0.1 (NASBOT's first pair). */
  structural?: number;
  /** Cost per unit of mass left unmatched; default 1. */
  nonAssignment?: number;
}

/**
 * OTMANN between two layered networks: `lp`, the least transport cost,
 * and `emd`, that cost over the total mass moved (both networks' masses).
 *
 * @example Two MLPs whose hidden layers differ by one unit: one unit of
 * mass (1 × 3 against 1 × 2) goes unmatched, at penalty 1.
 * ```ts
 * import { mlpToGraph } from "./arch_graph.ts";
 * import { otmannDistance } from "./arch_distances.ts";
 * const mlp = (w: number) => mlpToGraph({ kind: "mlp", inputs: 4, outputs: 2, activation: "relu", widths: [w] });
 * const d = otmannDistance(mlp(2), mlp(3));
 * if (Math.abs(d.lp - 1) > 1e-9) throw new Error(String(d.lp));
 * ```
 */
export function otmannDistance(
  a: ArchGraph | OtmannNetwork,
  b: ArchGraph | OtmannNetwork,
  options: OtmannOptions = {},
): { lp: number; emd: number } {
  const x = "labels" in a ? a : otmannNetwork(a);
  const y = "labels" in b ? b : otmannNetwork(b);
  const mislabel = options.mislabel ?? 1;
  const structural = options.structural ?? 0.1;
  const penalty = options.nonAssignment ?? 1;
  const n = x.labels.length, m = y.labels.length;
  const cost = new Float64Array((n + 1) * (m + 1));
  const kind = x.kind === y.kind ? x.kind : "mlp";
  const meanAbs = (p: number[], q: number[]) => {
    let s = 0;
    for (let k = 0; k < p.length; k++) s += Math.abs(p[k] - q[k]);
    return s / p.length;
  };
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      let c: number;
      if (i === n && j === m) c = 0;
      else if (i === n || j === m) c = penalty;
      else {
        const lm = penalty * otmannMismatch(x.labels[i], y.labels[j], kind);
        const st = (meanAbs(x.toInput[i], y.toInput[j]) +
          meanAbs(x.toOutput[i], y.toOutput[j])) / 2;
        c = mislabel * lm + structural * st;
      }
      cost[i * (m + 1) + j] = Number.isFinite(c) ? c : OTMANN_INFINITY;
    }
  }
  const ta = x.masses.reduce((s, v) => s + v, 0);
  const tb = y.masses.reduce((s, v) => s + v, 0);
  const { cost: lp } = optimalTransport(
    [...x.masses, tb],
    [...y.masses, ta],
    cost,
  );
  return { lp, emd: lp / (ta + tb) };
}

/**
 * The op-count + edit distance between two configurations of a cell space:
 * the number of hyperparameters whose value differs (numeric ones count
 * their difference as a fraction of their range) plus Σ_v |#v in a − #v in
 * b| over the categorical values (the operations). For NAS-Bench-201 this
 * is naszilla's `nasbot_distance`.
 *
 * @example Two cells one edge apart: one edit, and one conv traded for a
 * pool (two op-count differences).
 * ```ts
 * import { categorical, SearchSpace } from "../space/space.ts";
 * import { opEditDistance } from "./arch_distances.ts";
 * const ops = ["conv", "pool", "none"];
 * const space = new SearchSpace({ e0: categorical(ops), e1: categorical(ops) });
 * if (opEditDistance(space, { e0: "conv", e1: "pool" }, { e0: "pool", e1: "pool" }) !== 3) throw new Error();
 * ```
 */
export function opEditDistance(
  space: SearchSpace,
  a: Config,
  b: Config,
): number {
  let edits = 0;
  const counts = new Map<string, number>();
  for (const name of space.names) {
    const va = a[name], vb = b[name];
    const absentA = va === null || va === undefined;
    const absentB = vb === null || vb === undefined;
    if (absentA && absentB) continue;
    const d = dimensionOf(name, space.params[name]);
    if (d.kind === "categorical") {
      if (va !== vb) edits++;
      if (!absentA) {
        const k = String(va);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      if (!absentB) {
        const k = String(vb);
        counts.set(k, (counts.get(k) ?? 0) - 1);
      }
    } else if (absentA || absentB) edits++;
    else {
      edits += Math.abs(toInternal(d, va) - toInternal(d, vb)) /
        (d.high - d.low || 1);
    }
  }
  let opCount = 0;
  for (const c of counts.values()) opCount += Math.abs(c);
  return edits + opCount;
}
