/**
 * A low-rank (Nyström) approximation of HSIC for very large n: each Gram
 * matrix K ≈ Φ Φᵀ with Φ = K_nm L⁻ᵀ, where K_mm = L Lᵀ is the kernel on
 * `rank` landmark rows (distinct values, drawn with a seed). Every sum the
 * statistic needs then costs O(n · rank²) time and O(n · rank) memory.
 *
 * @module
 */

import type { Random } from "../space/random.ts";
import { fromSums, type HsicEstimator } from "./statistic.ts";

/** Features Φ (n × r, row-major) with K ≈ Φ Φᵀ. */
export interface LowRank {
  /** Φ, row-major. */
  phi: Float64Array;
  /** Rows. */
  n: number;
  /** Columns (≤ the rank asked: at most the number of distinct values). */
  r: number;
}

/**
 * Nyström features of the kernel `k(i, j)` on rows with `values` (landmarks
 * are rows with distinct values, in a seeded random order).
 *
 * @example
 * ```ts
 * import { nystrom } from "./nystrom.ts";
 * import { Random } from "../space/random.ts";
 * const v = [0, 1, 0, 1];
 * const f = nystrom(v, (i, j) => (v[i] === v[j] ? 1 : 0), 10, new Random(0));
 * if (f.r !== 2) throw new Error("two distinct values, rank 2");
 * ```
 */
export function nystrom(
  values: ArrayLike<unknown>,
  k: (i: number, j: number) => number,
  rank: number,
  random: Random,
): LowRank {
  const n = values.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const seen = new Set<unknown>();
  const landmarks: number[] = [];
  for (let i = 0; i < n && landmarks.length < rank; i++) {
    const j = random.integer(i, n); // a partial Fisher–Yates shuffle
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
    if (!seen.has(values[order[i]])) {
      seen.add(values[order[i]]);
      landmarks.push(order[i]);
    }
  }
  const m = landmarks.length;
  // Cholesky of K_mm with a small jitter; near-duplicate landmarks whose
  // pivot vanishes are dropped (their direction is already spanned).
  const l = new Float64Array(m * m);
  const kept: number[] = [];
  for (let a = 0; a < m; a++) {
    const row = new Float64Array(kept.length + 1);
    for (let b = 0; b < kept.length; b++) {
      let s = k(landmarks[a], landmarks[kept[b]]);
      for (let c = 0; c < b; c++) s -= row[c] * l[kept[b] * m + c];
      row[b] = s / l[kept[b] * m + b];
    }
    let d = 1 + 1e-10;
    for (let c = 0; c < kept.length; c++) d -= row[c] * row[c];
    if (d <= 1e-8) continue;
    row[kept.length] = Math.sqrt(d);
    l.set(row, a * m);
    kept.push(a);
  }
  // l's rows are indexed by landmark, columns by kept position
  const r = kept.length;
  const phi = new Float64Array(n * r);
  const kn = new Float64Array(r);
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < r; b++) kn[b] = k(i, landmarks[kept[b]]);
    // forward substitution: L φ_i = k_i
    for (let b = 0; b < r; b++) {
      const lb = kept[b] * m;
      let s = kn[b];
      for (let c = 0; c < b; c++) s -= l[lb + c] * phi[i * r + c];
      phi[i * r + b] = s / l[lb + b];
    }
  }
  return { phi, n, r };
}

/** Column sums Φᵀ1 and row sums Φ Φᵀ 1 of features. */
function sums(
  f: LowRank,
): { u: Float64Array; rows: Float64Array; sum: number } {
  const u = new Float64Array(f.r);
  for (let i = 0; i < f.n; i++) {
    for (let a = 0; a < f.r; a++) u[a] += f.phi[i * f.r + a];
  }
  const rows = new Float64Array(f.n);
  for (let i = 0; i < f.n; i++) {
    let s = 0;
    for (let a = 0; a < f.r; a++) s += f.phi[i * f.r + a] * u[a];
    rows[i] = s;
  }
  let sum = 0;
  for (let a = 0; a < f.r; a++) sum += u[a] * u[a];
  return { u, rows, sum };
}

/** HSIC of two low-rank Grams of the same rows (the same formulas as exact). */
export function lowRankHsic(
  estimator: HsicEstimator,
  a: LowRank,
  b: LowRank,
): number {
  const n = a.n;
  // Σ_ij K_ij L_ij = ‖Φaᵀ Φb‖²_F
  const cross = new Float64Array(a.r * b.r);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < a.r; p++) {
      const v = a.phi[i * a.r + p];
      const base = p * b.r;
      for (let q = 0; q < b.r; q++) cross[base + q] += v * b.phi[i * b.r + q];
    }
  }
  let skl = 0;
  for (const v of cross) skl += v * v;
  const sa = sums(a);
  const sb = sums(b);
  let rr = 0;
  for (let i = 0; i < n; i++) rr += sa.rows[i] * sb.rows[i];
  return fromSums(estimator, n, skl, rr, sa.sum, sb.sum);
}
