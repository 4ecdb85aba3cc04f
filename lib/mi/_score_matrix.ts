/**
 * The score-matrix bounds (Poole et al. 2019) on plain arrays, with the
 * training loss's derivative: what the kernel-backed separable trainer
 * needs each step. `bounds.ts` has the same bounds as tfjs ops for the
 * autodiff trainer and held-out evaluation; a test checks they agree.
 *
 * S is n × n, row-major: S[i·n + j] = T(x_i, y_j), joint pairs on the
 * diagonal, product-of-marginals pairs off it.
 *
 * @module
 */

import type { MatrixBound } from "./_bounds.ts";

/**
 * One training step's arithmetic on S: writes into `ds` the derivative of
 * the training loss (the negative objective) with respect to S, and
 * returns the bound `method` reads out — as `matrixBound` in `bounds.ts`.
 * InfoNCE and NWJ train on their bound; SMILE trains on the Jensen-Shannon
 * objective E_P[−sp(−S)] − E_Q[sp(S)] and reads out DV with the marginal
 * scores clipped to [−τ, τ]. Each takes one or two passes of exponentials
 * over S, shared between the derivative and the read-out.
 */
export function matrixStep(
  method: MatrixBound,
  s: Float32Array,
  n: number,
  tau: number,
  ds: Float32Array,
): number {
  const pairs = n * (n - 1);
  let diagonal = 0;
  for (let i = 0; i < n; i++) diagonal += s[i * n + i];
  diagonal /= n;
  if (method === "infonce") {
    // −d/dS of mean_i [S_ii − log Σ_j e^{S_ij}]: (softmax rows − I) / n.
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let max = -Infinity;
      for (let j = 0; j < n; j++) if (s[row + j] > max) max = s[row + j];
      let e = 0;
      for (let j = 0; j < n; j++) {
        const v = Math.exp(s[row + j] - max);
        ds[row + j] = v;
        e += v;
      }
      sum += s[row + i] - (Math.log(e) + max);
      const scale = 1 / (e * n);
      for (let j = 0; j < n; j++) ds[row + j] *= scale;
      ds[row + i] -= 1 / n;
    }
    return sum / n + Math.log(n);
  }
  if (method === "nwj") {
    // Diagonal −1/n; off-diagonal e^{S_ij − 1} / (n(n−1)), capped so a
    // runaway score cannot overflow the step. Uncapped, the off-diagonal
    // derivatives sum to E_Q[e^{S−1}], the bound's second term.
    let marginal = 0, capped = false;
    for (let i = 0; i < n; i++) {
      const row = i * n;
      for (let j = 0; j < n; j++) {
        if (i === j) {
          ds[row + j] = -1 / n;
          continue;
        }
        const t = s[row + j] - 1;
        if (t > 50) capped = true;
        const v = Math.exp(Math.min(t, 50)) / pairs;
        ds[row + j] = v;
        marginal += v;
      }
    }
    return capped
      ? diagonal - Math.exp(offDiagonalLogMeanExp(s, n, Infinity) - 1)
      : diagonal - marginal;
  }
  // Jensen-Shannon: diagonal −σ(−S_ii)/n; off-diagonal σ(S_ij)/(n(n−1)).
  // The read-out's e^{clip(S_ij) − τ} comes from the same e^{−|S_ij|}
  // (for τ ≤ 40, where e^{−2τ} cannot underflow; past that, a second pass).
  const fused = tau <= 40;
  const eTau = Math.exp(-tau);
  const floor = Math.exp(-2 * tau);
  let marginal = 0;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) {
      const v = s[row + j];
      const e = Math.exp(-Math.abs(v));
      const sig = v >= 0 ? 1 / (1 + e) : e / (1 + e); // σ(v)
      if (i === j) {
        ds[row + j] = -(1 - sig) / n;
      } else {
        ds[row + j] = sig / pairs;
        if (fused) {
          marginal += v > tau
            ? 1
            : v < -tau
            ? floor
            : eTau * (v >= 0 ? 1 / e : e);
        }
      }
    }
  }
  return diagonal -
    (fused
      ? Math.log(marginal / pairs) + tau
      : offDiagonalLogMeanExp(s, n, tau));
}

/** log mean of e^{clip(S_ij, −τ, τ)} over the off-diagonal entries (τ may be ∞). */
function offDiagonalLogMeanExp(
  s: Float32Array,
  n: number,
  tau: number,
): number {
  const clip = (v: number) => v > tau ? tau : v < -tau ? -tau : v;
  // Clipped scores are at most τ, so e^{v − τ} cannot overflow, nor
  // underflow to nothing for τ ≤ 40; otherwise shift by the maximum.
  let shift = tau;
  if (!(tau <= 40)) {
    shift = -Infinity;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i !== j) shift = Math.max(shift, clip(s[i * n + j]));
      }
    }
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) {
      if (i !== j) sum += Math.exp(clip(s[row + j]) - shift);
    }
  }
  return Math.log(sum / (n * (n - 1))) + shift;
}
