/**
 * The Kraskov–Stögbauer–Grassberger estimator, algorithm 1, with the
 * max-norm: I = ψ(k) + ψ(n) − ⟨ψ(n_x + 1) + ψ(n_y + 1)⟩.
 *
 * As the classic implementations do (scikit-learn's among them), each
 * column is scaled to unit variance and tiny noise (1e-10 times the column's
 * mean absolute value, at least 1e-10) is added, so ties and constant
 * columns do not break the neighbour counts.
 *
 * @module
 */

import type { Matrix } from "../_math/linalg.ts";
import { Random } from "../space/random.ts";
import { columnMoments, MIError } from "./input.ts";
import {
  isConstantColumn,
  OFFSET_LIMIT,
  standardiseColumn,
} from "./_rescale.ts";
import { KdTree, keepSmallest } from "./_kdtree.ts";
import { digamma } from "../_math/special.ts";

/**
 * Options of the KSG (Kraskov–Stögbauer–Grassberger) k-nearest-neighbour
 * estimator, `estimateMI(x, y, { method: "ksg", k, seed })`.
 */
export interface KsgOptions {
  /** Neighbours. Default 3. */
  k?: number;
  /** Seed of the tie-breaking noise. Default 0. */
  seed?: number;
}

/**
 * Each column scaled to unit variance, plus the tie-breaking noise. A column
 * far from zero relative to its spread (|mean| > 1e3 std), or whose squares
 * overflow or underflow, is also centred first (see _rescale.ts): KSG
 * standardises each column anyway and a shift changes no distance, but
 * without it the noise, which grows with the mean magnitude, and rounding
 * would swamp the neighbours.
 */
export function prepare(m: Matrix, r: Random): Float64Array {
  const { rows: n, cols: d } = m;
  const { mean, std } = columnMoments(m);
  const out = new Float64Array(m.data);
  for (let j = 0; j < d; j++) {
    const extreme = !Number.isFinite(std[j]) ||
      (std[j] === 0
        ? !isConstantColumn(out, n, d, j)
        : Math.abs(mean[j]) > OFFSET_LIMIT * std[j]);
    if (!extreme || !standardiseColumn(out, n, d, j)) {
      const s = std[j] > 0 ? std[j] : 1;
      for (let i = 0; i < n; i++) out[i * d + j] /= s;
    }
    let meanAbs = 0;
    for (let i = 0; i < n; i++) meanAbs += Math.abs(out[i * d + j]) / n;
    const amp = 1e-10 * Math.max(1, meanAbs);
    for (let i = 0; i < n; i++) out[i * d + j] += amp * r.normal();
  }
  return out;
}

/** Max-norm distances from row i to every row, into `out`. */
function distances(
  data: Float64Array,
  d: number,
  n: number,
  i: number,
  out: Float64Array,
): void {
  const base = i * d;
  for (let j = 0; j < n; j++) {
    let m = 0;
    const b = j * d;
    for (let c = 0; c < d; c++) {
      const v = Math.abs(data[base + c] - data[b + c]);
      if (v > m) m = v;
    }
    out[j] = m;
  }
}

/**
 * Σ_i ψ(n_x,i + 1) + ψ(n_y,i + 1) by brute force: O(n²·d) time, O(n)
 * memory. Exported for the test that checks the tree path against it.
 */
export function ksgCountsBrute(
  xs: Float64Array,
  dx: number,
  ys: Float64Array,
  dy: number,
  k: number,
): number {
  const n = xs.length / dx;
  const distX = new Float64Array(n);
  const distY = new Float64Array(n);
  const nearest = new Float64Array(k); // the k smallest joint distances, sorted
  let sum = 0;
  for (let i = 0; i < n; i++) {
    distances(xs, dx, n, i, distX);
    distances(ys, dy, n, i, distY);
    nearest.fill(Infinity);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      keepSmallest(nearest, distX[j] > distY[j] ? distX[j] : distY[j]);
    }
    const eps = nearest[k - 1];
    let nx = 0, ny = 0;
    for (let j = 0; j < n; j++) {
      if (distX[j] < eps) nx++;
      if (distY[j] < eps) ny++;
    }
    // The counts include i itself (distance 0): n_x + 1 as the formula wants.
    sum += digamma(nx) + digamma(ny);
  }
  return sum;
}

/**
 * The same sum as {@linkcode ksgCountsBrute} with max-norm k-d trees: one
 * on the joint rows for the k-th neighbour distance, one per margin for the
 * counts.
 */
export function ksgCountsTree(
  xs: Float64Array,
  dx: number,
  ys: Float64Array,
  dy: number,
  k: number,
): number {
  const n = xs.length / dx;
  const d = dx + dy;
  const joint = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    joint.set(xs.subarray(i * dx, (i + 1) * dx), i * d);
    joint.set(ys.subarray(i * dy, (i + 1) * dy), i * d + dx);
  }
  const jointTree = new KdTree(joint, d);
  const xTree = new KdTree(xs, dx);
  const yTree = new KdTree(ys, dy);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const eps = jointTree.kthNeighbourDistance(i, k);
    sum += digamma(xTree.countWithin(i, eps)) +
      digamma(yTree.countWithin(i, eps));
  }
  return sum;
}

/**
 * Above this joint dimension boxes rarely prune and brute force wins
 * (bench/README.md has the timings that set it).
 */
const MAX_TREE_DIMS = 12;

/**
 * KSG estimate of I(X; Y) in nats. Up to 12 joint dimensions, max-norm k-d
 * trees find the neighbours (about O(n log n) in low dimension); above
 * that, brute force (O(n²·d)).
 *
 * @example
 * ```ts
 * import { ksg } from "./_ksg.ts";
 * import { correlatedGaussian } from "./ground_truth.ts";
 * const task = correlatedGaussian({ dim: 1, rho: 0.6 });
 * const { x, y } = task.sample(2000, { seed: 0 });
 * const mx = { rows: 2000, cols: 1, data: Float64Array.from(x.flat()) };
 * const my = { rows: 2000, cols: 1, data: Float64Array.from(y.flat()) };
 * const mi = ksg(mx, my);
 * if (Math.abs(mi - task.mutualInformation) > 0.05) throw new Error(String(mi));
 * ```
 */
export function ksg(x: Matrix, y: Matrix, options: KsgOptions = {}): number {
  const k = options.k ?? 3;
  const n = x.rows;
  if (!Number.isInteger(k) || k < 1) {
    throw new MIError(`ksg: k must be a positive integer, got ${k}`);
  }
  if (n <= k) {
    throw new MIError(
      `ksg: needs more samples than neighbours (n = ${n}, k = ${k})`,
    );
  }
  const r = new Random(options.seed ?? 0, "ksg-noise");
  const xs = prepare(x, r);
  const ys = prepare(y, r);
  const counts = x.cols + y.cols <= MAX_TREE_DIMS
    ? ksgCountsTree
    : ksgCountsBrute;
  const sum = counts(xs, x.cols, ys, y.cols, k);
  return Math.max(0, digamma(k) + digamma(n) - sum / n);
}
