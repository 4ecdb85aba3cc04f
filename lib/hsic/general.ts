/**
 * Exact HSIC of one input column against a general (continuous) output above
 * the size where Gram matrices are held: two passes over the upper triangle
 * of the column's Gram, memory linear in n.
 *
 * The first pass gives K's row sums. The second reads K and L together and
 * gives Σ K∘L (the statistic), Σ K∘K (HSIC(X, X)), the Gamma p-value's
 * Σ (K̄∘L̄)² (which needs both row means, hence the first pass) and, for each
 * permutation π, Σ K_ij L_π(i)π(j) — L's permuted entries do not reduce to
 * block sums as a two-valued output's do, so each costs one L entry per pair
 * and permutation, but K is computed once for all of them (the row-by-row
 * path recomputed both rows for every permutation).
 *
 * Results equal `statistic.ts`'s up to the order of floating-point
 * additions (test/hsic_general_large_test.ts bounds the difference).
 *
 * @module
 */

import {
  accurateSum,
  Compensated,
  foldPartials,
  type Gram,
  type GramSource,
  PARTIAL_BLOCK,
} from "./gram.ts";
import {
  accurateDot,
  type ColumnHsic,
  fromSums,
  gammaPValue,
  type HsicEstimator,
} from "./statistic.ts";

/**
 * Row sums (diagonal of 1 included) of a unit-diagonal symmetric Gram in one
 * pass over its upper triangle: each entry is computed once and added to
 * its row and to its column's running (compensated) total.
 */
export function upperRowSums(source: GramSource, n: number): Float64Array {
  const buffer = new Float64Array(n);
  const part = new Float64Array(n); // plain sums of the last < PARTIAL_BLOCK rows
  const hi = new Float64Array(n);
  const lo = new Float64Array(n);
  const rows = new Float64Array(n);

  for (let i = 0; i < n; i++) {
    if (i % PARTIAL_BLOCK === 0) foldPartials(part, hi, lo, i);
    source.upper(i, buffer);
    const own = new Compensated();
    for (let j0 = i + 1; j0 < n; j0 += PARTIAL_BLOCK) {
      const j1 = Math.min(n, j0 + PARTIAL_BLOCK);
      let p = 0;
      for (let j = j0; j < j1; j++) {
        const e = buffer[j];
        p += e;
        part[j] += e;
      }
      own.add(p);
    }
    rows[i] = accurateSum(
      Float64Array.of(1, hi[i], lo[i] + part[i], own.hi, own.lo),
      0,
      5,
    );
  }
  return rows;
}

/**
 * HSIC, HSIC(X, X), the asymptotic p-value and the permutation count of one
 * column (kernel `source`, n rows, unit diagonal, symmetric) against an
 * output with kernel `outputSource` whose row sums and total `output` holds
 * (a lazy {@linkcode Gram} of the same source), permuted by `permutations`
 * (null: no permutation test).
 *
 * @example
 * ```ts
 * import { generalColumn } from "./general.ts";
 * import { Gram, gaussianSource } from "./gram.ts";
 * import { hsic } from "./statistic.ts";
 * const x = Array.from({ length: 40 }, (_, i) => Math.sin(i));
 * const y = x.map((v, i) => v * v + 0.1 * Math.cos(7 * i));
 * const ly = gaussianSource(y, 0.3);
 * const r = generalColumn("V", gaussianSource(x, 0.5), ly, Gram.fromSource(ly, 40), null, true);
 * const exact = hsic("V", Gram.gaussian(x, 0.5), Gram.gaussian(y, 0.3));
 * if (Math.abs(r.xy - exact) > 1e-12 * exact) throw new Error();
 * ```
 */
export function generalColumn(
  estimator: HsicEstimator,
  source: GramSource,
  outputSource: GramSource,
  output: Gram,
  permutations: readonly Int32Array[] | null,
  asymptotic: boolean,
): ColumnHsic {
  const n = output.n;
  const rowsK = upperRowSums(source, n);
  const sumK = accurateSum(rowsK, 0, n);
  const rowsL = output.rows;
  const sumL = output.sum;
  const a = rowsK.map((v) => v / n);
  const b = rowsL.map((v) => v / n);
  const ma = sumK / (n * n);
  const mb = sumL / (n * n);
  const bufK = new Float64Array(n);
  const bufL = new Float64Array(n);
  const kl = new Compensated(); // Σ_{i<j} K L
  const kk = new Compensated(); // Σ_{i<j} K²
  const sq = new Compensated(); // Σ_{i<j} (K̄ L̄)²
  const perms = permutations ?? [];
  const permSums = new Float64Array(perms.length);
  for (let i = 0; i < n; i++) {
    source.upper(i, bufK);
    outputSource.upper(i, bufL);
    const ai = a[i];
    const bi = b[i];
    for (let j0 = i + 1; j0 < n; j0 += PARTIAL_BLOCK) {
      const j1 = Math.min(n, j0 + PARTIAL_BLOCK);
      let pkl = 0, pkk = 0, psq = 0;
      for (let j = j0; j < j1; j++) {
        const e = bufK[j];
        const f = bufL[j];
        pkl += e * f;
        pkk += e * e;
        if (asymptotic) {
          // the same centring as statistic.ts's asymptoticPValue
          const v = (e - ai - a[j] + ma) * (f - bi - b[j] + mb);
          psq += v * v;
        }
      }
      kl.add(pkl);
      kk.add(pkk);
      sq.add(psq);
    }
    for (let p = 0; p < perms.length; p++) {
      const pi = perms[p];
      const at = pi[i];
      let s = 0;
      for (let j = i + 1; j < n; j++) {
        s += bufK[j] * outputSource.entry(at, pi[j]);
      }
      permSums[p] += s;
    }
  }
  const xy = fromSums(
    estimator,
    n,
    n + 2 * kl.value(),
    accurateDot(rowsK, rowsL),
    sumK,
    sumL,
  );
  const xx = fromSums(
    estimator,
    n,
    n + 2 * kk.value(),
    accurateDot(rowsK, rowsK),
    sumK,
    sumK,
  );
  let exceedances: number | null = null;
  if (permutations) {
    exceedances = 0;
    permutations.forEach((p, x) => {
      let rr = 0;
      for (let i = 0; i < n; i++) rr += rowsK[i] * rowsL[p[i]];
      const skl = n + 2 * permSums[x];
      if (fromSums(estimator, n, skl, rr, sumK, sumL) > xy) exceedances!++;
    });
  }
  const pAsymptotic = asymptotic
    ? gammaPValue(estimator, n, sumK, sumL, 2 * sq.value(), xy)
    : null;
  return { xy, xx, pAsymptotic, exceedances };
}
