/**
 * Exact HSIC of one input column against a two-valued output (a goal's
 * Z = 1{Y ≤ q}) in one pass over the upper triangle of the column's Gram
 * matrix: the statistic, HSIC(X, X), the Gamma p-value's moments and every
 * permutation statistic come out of the same entries, so each kernel value
 * is computed once (the row-by-row path computes each about six times) and
 * memory stays linear in n.
 *
 * Why it works: L takes two values (1 within a class, λ across), so every
 * sum that pairs K with L, original or permuted, is a sum of K over class
 * blocks, which the row sums and the per-class row sums give; the centred
 * Σ (K̄ L̄)² of the Gamma variance expands into block sums of K², of K times
 * row means, and sums of row means. Results equal `statistic.ts`'s up to the
 * order of floating-point additions (test/hsic_large_test.ts bounds the
 * difference).
 *
 * @module
 */

import type { Random } from "../space/random.ts";
import {
  accurateSum,
  Compensated,
  foldPartials,
  type GramSource,
  PARTIAL_BLOCK,
} from "./gram.ts";
import {
  type ColumnHsic,
  drawPermutation,
  fromSums,
  gammaPValue as gammaFromSums,
  type HsicEstimator,
} from "./statistic.ts";

/** Σ a[i]·b[i] over i in `index` (all i when null), compensated. */
function accurateDot(
  a: Float64Array,
  b: Float64Array | null,
  index: Int32Array | null,
): number {
  let s = 0;
  let c = 0;
  const count = index ? index.length : a.length;
  for (let x = 0; x < count; x++) {
    const i = index ? index[x] : x;
    const v = b ? a[i] * b[i] : a[i];
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
    s = t;
  }
  return s + c;
}

/** a + b + c + d + e, compensated (the few terms of one row's sum). */
function sum5(a: number, b: number, c: number, d: number, e: number): number {
  return accurateSum(Float64Array.of(a, b, c, d, e), 0, 5);
}

/**
 * A two-valued output: its classes, the kernel value λ between them, and
 * the smaller class under each permutation, drawn exactly as
 * `PermutedOutput` draws them (same seed, same permutations, same counts up
 * to rounding).
 */
export class TwoClassOutput {
  /** The number of rows. */
  readonly n: number;
  /** 1 where a row is in the smaller class G (the first-seen value on a tie), else 0. */
  readonly inG: Float64Array;
  /** The rows of G, ascending. */
  readonly members: Int32Array;
  /** L between the two classes; within a class it is 1. */
  readonly cross: number;
  /** Σ L, and L's row sums for a row of G and of the other class. */
  readonly sumL: number;
  readonly #rowG: number;
  readonly #rowB: number;
  /** Each permutation's G, ascending. */
  readonly subsets: Int32Array[];
  /** The same, end to end in one array (permutation b at b·|G|). */
  readonly flatSubsets: Int32Array;
  /** For each row, the permutations whose G holds it (CSR: start, list). */
  readonly #start: Int32Array;
  readonly #holders: Int32Array;

  /**
   * `labels`: the output values (exactly two distinct); `source`: the
   * output's kernel, read once for λ; `permutations` drawn from `random`.
   */
  constructor(
    labels: ArrayLike<unknown>,
    source: GramSource,
    permutations: number,
    random: Random,
  ) {
    const n = labels.length;
    this.n = n;
    const values = [...new Set(Array.from(labels))];
    if (values.length !== 2) {
      throw new Error(`two-valued output needed, got ${values.length} values`);
    }
    let first = -1;
    let second = -1;
    let count0 = 0;
    for (let i = 0; i < n; i++) {
      if (labels[i] === values[0]) {
        count0++;
        if (first < 0) first = i;
      } else if (second < 0) second = i;
    }
    const small = count0 <= n - count0 ? values[0] : values[1];
    this.cross = source.entry(first, second);
    this.inG = new Float64Array(n);
    const g: number[] = [];
    for (let i = 0; i < n; i++) {
      if (labels[i] === small) {
        this.inG[i] = 1;
        g.push(i);
      }
    }
    this.members = Int32Array.from(g);
    const size = g.length;
    this.#rowG = size + this.cross * (n - size);
    this.#rowB = this.cross * size + (n - size);
    this.sumL = size * this.#rowG + (n - size) * this.#rowB;
    this.subsets = [];
    const counts = new Int32Array(n + 1);
    for (let b = 0; b < permutations; b++) {
      const p = drawPermutation(n, random);
      const s = new Int32Array(size);
      let k = 0;
      for (let i = 0; i < n; i++) if (labels[p[i]] === small) s[k++] = i;
      for (const i of s) counts[i + 1]++;
      this.subsets.push(s);
    }
    this.flatSubsets = new Int32Array(size * permutations);
    this.subsets.forEach((s, b) => this.flatSubsets.set(s, b * size));
    for (let i = 0; i < n; i++) counts[i + 1] += counts[i];
    this.#start = counts;
    this.#holders = new Int32Array(counts[n]);
    const fill = counts.slice(0, n);
    this.subsets.forEach((s, b) => {
      for (const i of s) this.#holders[fill[i]++] = b;
    });
  }

  /** The permutations whose G holds row i: `holders[from]` … `holders[to − 1]`. */
  holdersOf(i: number): { holders: Int32Array; from: number; to: number } {
    return {
      holders: this.#holders,
      from: this.#start[i],
      to: this.#start[i + 1],
    };
  }

  /**
   * HSIC(K, L) from K's total `sumK` and, for the G in question, Σ of K's
   * row sums over G (`rg`) and Σ K over G × G (`sgg`).
   */
  statistic(
    estimator: HsicEstimator,
    sgg: number,
    rg: number,
    sumK: number,
  ): number {
    const sgb = rg - sgg;
    const sbb = sumK - 2 * rg + sgg;
    const skl = sgg + sbb + 2 * this.cross * sgb;
    const rr = this.#rowG * rg + this.#rowB * (sumK - rg);
    return fromSums(estimator, this.n, skl, rr, sumK, this.sumL);
  }

  /** HSIC(L, L), in closed form. */
  selfStatistic(estimator: HsicEstimator): number {
    const n = this.n;
    const g = this.members.length;
    const b = n - g;
    const sll = g * g + b * b + 2 * this.cross * this.cross * g * b;
    const rr = g * this.#rowG * this.#rowG + b * this.#rowB * this.#rowB;
    return fromSums(estimator, n, sll, rr, this.sumL, this.sumL);
  }

  /** L's row mean for a row of G (true) or of the other class. */
  rowMean(inG: boolean): number {
    return (inG ? this.#rowG : this.#rowB) / this.n;
  }
}

/**
 * HSIC, HSIC(X, X), the asymptotic p-value and the permutation count of one
 * column (kernel `source`, n rows, unit diagonal, symmetric) against a
 * two-valued output, in one pass over the upper triangle.
 *
 * @example
 * ```ts
 * import { TwoClassOutput, twoClassColumn } from "./two_class.ts";
 * import { Gram, gaussianSource } from "./gram.ts";
 * import { hsic } from "./statistic.ts";
 * import { Random } from "../space/random.ts";
 * const x = Array.from({ length: 40 }, (_, i) => Math.sin(i));
 * const z = x.map((v) => (v < -0.5 ? 1 : 0));
 * const out = new TwoClassOutput(z, gaussianSource(z, 0.4), 20, new Random(0));
 * const r = twoClassColumn("V", gaussianSource(x, 0.5), out, true, true);
 * const exact = hsic("V", Gram.gaussian(x, 0.5), Gram.gaussian(z, 0.4));
 * if (Math.abs(r.xy - exact) > 1e-12 * exact) throw new Error();
 * ```
 */
export function twoClassColumn(
  estimator: HsicEstimator,
  source: GramSource,
  output: TwoClassOutput,
  asymptotic: boolean,
  permutation: boolean,
): ColumnHsic {
  const n = output.n;
  const inG = output.inG;
  const buffer = new Float64Array(n);
  // Σ_{i<j} K_ij per column j (over all rows i, and over rows i of G): plain
  // sums over the last few rows, folded into compensated totals every
  // PARTIAL_BLOCK rows, so each pair costs a few plain additions
  const colPart = new Float64Array(n);
  const colS = new Float64Array(n);
  const colC = new Float64Array(n);
  const colGPart = new Float64Array(n);
  const colGS = new Float64Array(n);
  const colGC = new Float64Array(n);
  const rows = new Float64Array(n);
  const rowsG = new Float64Array(n); // Σ_{j∈G} K_ij
  const kk = new Compensated(); // Σ_{i<j} K²
  let q2GG = 0; // Σ_{i<j} K² by class pair, for the Gamma variance only
  let q2BB = 0;
  let q2X = 0;
  const perms = permutation ? output.subsets.length : 0;
  const g = output.members.length;
  const flat = output.flatSubsets; // permutation b's G at b·g … b·g + g − 1
  const permSums = new Float64Array(perms);
  const cursor = new Int32Array(perms);
  const s = new Compensated();
  const sg = new Compensated();
  const ks = new Compensated();
  for (let i = 0; i < n; i++) {
    if (i % PARTIAL_BLOCK === 0) {
      foldPartials(colPart, colS, colC, i);
      foldPartials(colGPart, colGS, colGC, i);
    }
    source.upper(i, buffer);
    s.reset();
    sg.reset();
    ks.reset();
    let toG = 0;
    for (let j0 = i + 1; j0 < n; j0 += PARTIAL_BLOCK) {
      const j1 = Math.min(n, j0 + PARTIAL_BLOCK);
      let ps = 0, psg = 0, pks = 0, pg2 = 0;
      for (let j = j0; j < j1; j++) {
        const e = buffer[j];
        const gj = inG[j];
        const e2 = e * e;
        ps += e;
        psg += e * gj;
        pks += e2;
        pg2 += e2 * gj;
        colPart[j] += e;
      }
      s.add(ps);
      sg.add(psg);
      ks.add(pks);
      toG += pg2;
    }
    const gi = inG[i];
    const k2 = ks.value();
    if (gi) {
      for (let j = i + 1; j < n; j++) colGPart[j] += buffer[j];
      q2GG += toG;
      q2X += k2 - toG;
    } else {
      q2X += toG;
      q2BB += k2 - toG;
    }
    kk.add(ks.hi);
    kk.add(ks.lo);
    // the earlier rows' entries of this row are all in: close its sums
    rows[i] = sum5(1, colS[i], colC[i] + colPart[i], s.hi, s.lo);
    rowsG[i] = sum5(gi, colGS[i], colGC[i] + colGPart[i], sg.hi, sg.lo);
    colPart[i] = 0;
    colGPart[i] = 0;
    // permuted G × G sums: this row against the later members of each G
    const { holders, from, to } = output.holdersOf(i);
    for (let h = from; h < to; h++) {
      const b = holders[h];
      const end = (b + 1) * g;
      let sum = 0;
      for (let k = b * g + cursor[b] + 1; k < end; k++) sum += buffer[flat[k]];
      permSums[b] += sum;
      cursor[b]++;
    }
  }
  const sumK = accurateSum(rows, 0, n);
  const members = output.members;
  const rg = accurateDot(rows, null, members);
  const sgg = accurateDot(rowsG, null, members);
  const xy = output.statistic(estimator, sgg, rg, sumK);
  const xx = fromSums(
    estimator,
    n,
    n + 2 * kk.value(),
    accurateDot(rows, rows, null),
    sumK,
    sumK,
  );
  let exceedances: number | null = null;
  if (permutation) {
    exceedances = 0;
    output.subsets.forEach((sub, b) => {
      if (b >= perms) return;
      let rgp = 0;
      for (let x = 0; x < sub.length; x++) rgp += rows[sub[x]];
      const sggp = g + 2 * permSums[b];
      if (output.statistic(estimator, sggp, rgp, sumK) > xy) exceedances!++;
    });
  }
  const pAsymptotic = asymptotic
    ? gammaPValue(estimator, output, rows, rowsG, sumK, xy, {
      gg: 2 * q2GG,
      bb: 2 * q2BB,
      gb: q2X,
    })
    : null;
  return { xy, xx, pAsymptotic, exceedances };
}

/**
 * The Gamma p-value of `statistic.ts`'s `asymptoticPValue`, with
 * Σ_{i≠j} (K̄_ij L̄_ij)² from block sums: L̄ is constant on each class block,
 * and Σ (K_ij − a_i − a_j + m)² over a block expands into the block's Σ K²
 * (`q`, ordered pairs i ≠ j), Σ K times row means, and sums of row means.
 */
function gammaPValue(
  estimator: HsicEstimator,
  output: TwoClassOutput,
  rows: Float64Array,
  rowsG: Float64Array,
  sumK: number,
  observed: number,
  q: { gg: number; bb: number; gb: number },
): number {
  const n = output.n;
  const inG = output.inG;
  const ma = sumK / (n * n);
  // per class: size, Σ a, Σ a², Σ a·(row into G, off-diagonal),
  // Σ a·(row into B, off-diagonal), Σ (row into B, off-diagonal), Σ (2a − m)²
  const acc = [0, 1].map(() => new Float64Array(7 * n));
  const count = [0, 0];
  for (let i = 0; i < n; i++) {
    const k = inG[i] ? 0 : 1;
    const a = rows[i] / n;
    const toG = rowsG[i] - inG[i];
    const toB = rows[i] - rowsG[i] - (1 - inG[i]);
    const x = count[k]++;
    const m = acc[k];
    m[x] = a;
    m[n + x] = a * a;
    m[2 * n + x] = a * toG;
    m[3 * n + x] = a * toB;
    m[4 * n + x] = toB;
    m[5 * n + x] = (2 * a - ma) ** 2;
    m[6 * n + x] = toG;
  }
  const sums = acc.map((m, k) =>
    Array.from({ length: 7 }, (_, f) => accurateSum(m, f * n, count[k]))
  );
  const [nG, nB] = count;
  const [G, B] = sums;
  // Σ over ordered pairs (i ∈ C1, j ∈ C2) of (a_i + a_j − m)²
  const v2 = (n1: number, s1: number[], n2: number, s2: number[]) =>
    n2 * s1[1] + n1 * s2[1] + n1 * n2 * ma * ma + 2 * s1[0] * s2[0] -
    2 * ma * (n2 * s1[0] + n1 * s2[0]);
  const tGG = q.gg - 2 * (2 * G[2] - ma * G[6]) + v2(nG, G, nG, G) - G[5];
  const tBB = q.bb - 2 * (2 * B[3] - ma * B[4]) + v2(nB, B, nB, B) - B[5];
  const tGB = q.gb - 2 * (G[3] + B[2] - ma * G[4]) + v2(nG, G, nB, B);
  const bG = output.rowMean(true);
  const bB = output.rowMean(false);
  const mb = output.sumL / (n * n);
  const lGG = 1 - 2 * bG + mb;
  const lBB = 1 - 2 * bB + mb;
  const lGB = output.cross - bG - bB + mb;
  const sq = lGG * lGG * tGG + lBB * lBB * tBB + 2 * lGB * lGB * tGB;
  return gammaFromSums(estimator, n, sumK, output.sumL, sq, observed);
}
