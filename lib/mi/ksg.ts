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

import type { Matrix } from "../linalg.ts";
import { Random } from "../random.ts";
import { columnStd, MIError } from "./input.ts";
import { digamma } from "./special.ts";

/** Options of {@linkcode ksg}. */
export interface KsgOptions {
  /** Neighbours. Default 3. */
  k?: number;
  /** Seed of the tie-breaking noise. Default 0. */
  seed?: number;
}

function prepare(m: Matrix, r: Random): Float64Array {
  const { rows: n, cols: d } = m;
  const std = columnStd(m);
  const out = new Float64Array(m.data);
  for (let j = 0; j < d; j++) {
    const s = std[j] > 0 ? std[j] : 1;
    let meanAbs = 0;
    for (let i = 0; i < n; i++) {
      out[i * d + j] /= s;
      meanAbs += Math.abs(out[i * d + j]) / n;
    }
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
 * KSG estimate of I(X; Y) in nats. O(n²·d) time, O(n) memory.
 *
 * @example
 * ```ts
 * import { ksg } from "./ksg.ts";
 * import { correlatedGaussian } from "../data/tasks.ts";
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
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  const nearest = new Float64Array(k); // the k smallest joint distances, sorted
  let sum = 0;
  for (let i = 0; i < n; i++) {
    distances(xs, x.cols, n, i, dx);
    distances(ys, y.cols, n, i, dy);
    nearest.fill(Infinity);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dj = dx[j] > dy[j] ? dx[j] : dy[j];
      if (dj < nearest[k - 1]) {
        let p = k - 1;
        while (p > 0 && nearest[p - 1] > dj) {
          nearest[p] = nearest[p - 1];
          p--;
        }
        nearest[p] = dj;
      }
    }
    const eps = nearest[k - 1];
    let nx = 0, ny = 0;
    for (let j = 0; j < n; j++) {
      if (dx[j] < eps) nx++;
      if (dy[j] < eps) ny++;
    }
    // The counts above include i itself (distance 0): n_x + 1 as the formula wants.
    sum += digamma(nx) + digamma(ny);
  }
  return Math.max(0, digamma(k) + digamma(n) - sum / n);
}
