/**
 * Variational lower bounds on MI from critic scores, in log-sum-exp forms
 * so that no exponential overflows (Poole et al. 2019; Belghazi et al. 2018;
 * Song & Ermon 2020).
 *
 * Two score layouts: *pairs* — scores of joint samples `tj` and of samples
 * from the product of marginals `tm` (y shuffled), as MINE draws them; and
 * *matrix* — an n × n matrix `s` with the joint pairs on the diagonal and
 * every other entry a product-of-marginals pair, as Poole et al. use.
 *
 * @module
 */

import { tf } from "../nets/backend.ts";

/** log mean e^t over every entry. */
export function logMeanExp(t: tf.Tensor): tf.Scalar {
  return tf.sub(tf.logSumExp(t), Math.log(t.size));
}

/** Donsker-Varadhan: E_P[T] − log E_Q[e^T]. */
export function dvPairs(tj: tf.Tensor, tm: tf.Tensor): tf.Scalar {
  return tf.sub(tf.mean(tj), logMeanExp(tm));
}

/** The f-divergence (NWJ) form: E_P[T] − E_Q[e^{T−1}]. */
export function nwjPairs(tj: tf.Tensor, tm: tf.Tensor): tf.Scalar {
  return tf.sub(tf.mean(tj), tf.exp(tf.sub(logMeanExp(tm), 1)));
}

/**
 * MINE's surrogate for the DV bound with a moving average in the
 * denominator: its gradient is ∇E_P[T] − ∇E_Q[e^T] / EMA, the bias-corrected
 * gradient of Belghazi et al.; `logEma` is treated as a constant.
 */
export function mineSurrogate(
  tj: tf.Tensor,
  tm: tf.Tensor,
  logEma: tf.Scalar,
): tf.Scalar {
  // exp(log-mean-exp(tm) − log EMA) = mean(e^tm) / EMA, without overflow.
  const ratio = tf.exp(tf.minimum(tf.sub(logMeanExp(tm), logEma), 50));
  return tf.sub(tf.mean(tj), ratio);
}

/**
 * The new log EMA of E_Q[e^T] from the batch's log-mean-exp `lme`: weight
 * `alpha` on the new batch, or the batch alone when `logEma` is null (the
 * first batch starts the average).
 */
export function updateLogEma(
  logEma: tf.Scalar | null,
  lme: tf.Scalar,
  alpha: number,
): tf.Scalar {
  if (logEma === null) return lme;
  const pair = tf.stack([
    tf.add(logEma, Math.log(1 - alpha)),
    tf.add(lme, Math.log(alpha)),
  ]);
  return tf.logSumExp(pair);
}

function diagonal(s: tf.Tensor2D): tf.Tensor1D {
  const n = s.shape[0];
  return tf.sum(tf.mul(s, tf.eye(n)), 1);
}

/** log mean over off-diagonal entries of e^s. */
function offDiagonalLogMeanExp(s: tf.Tensor2D): tf.Scalar {
  const n = s.shape[0];
  const masked = tf.add(s, tf.mul(tf.eye(n), -1e9));
  return tf.sub(tf.logSumExp(masked), Math.log(n * (n - 1)));
}

/** InfoNCE: mean_i [s_ii − log Σ_j e^{s_ij}] + log n; never above log n. */
export function infoNceMatrix(s: tf.Tensor2D): tf.Scalar {
  const n = s.shape[0];
  return tf.add(tf.mean(tf.sub(diagonal(s), tf.logSumExp(s, 1))), Math.log(n));
}

/** NWJ on the score matrix: E_P[s] − e^{−1} E_Q[e^s], Q the off-diagonal. */
export function nwjMatrix(s: tf.Tensor2D): tf.Scalar {
  return tf.sub(
    tf.mean(diagonal(s)),
    tf.exp(tf.sub(offDiagonalLogMeanExp(s), 1)),
  );
}

/** DV on the score matrix. */
export function dvMatrix(s: tf.Tensor2D): tf.Scalar {
  return tf.sub(tf.mean(diagonal(s)), offDiagonalLogMeanExp(s));
}

/** The Jensen-Shannon objective SMILE trains with: E_P[−sp(−s)] − E_Q[sp(s)]. */
export function jsMatrix(s: tf.Tensor2D): tf.Scalar {
  const n = s.shape[0];
  const off = tf.sub(1, tf.eye(n));
  const joint = tf.mean(tf.neg(tf.softplus(tf.neg(diagonal(s)))));
  const marginal = tf.div(tf.sum(tf.mul(tf.softplus(s), off)), n * (n - 1));
  return tf.sub(joint, marginal);
}

/** SMILE: DV with the marginal scores clipped to [−τ, τ]. */
export function smileMatrix(s: tf.Tensor2D, tau: number): tf.Scalar {
  const clipped = tf.clipByValue(s, -tau, tau) as tf.Tensor2D;
  return tf.sub(tf.mean(diagonal(s)), offDiagonalLogMeanExp(clipped));
}

/** The bounds read from a score matrix. */
export type MatrixBound = "infonce" | "nwj" | "smile";

/**
 * The bound `method` reports on a score matrix: InfoNCE, NWJ, or SMILE's
 * clipped DV read-out (clip `tau`).
 */
export function matrixBound(
  method: MatrixBound,
  s: tf.Tensor2D,
  tau: number,
): tf.Scalar {
  return method === "infonce"
    ? infoNceMatrix(s)
    : method === "nwj"
    ? nwjMatrix(s)
    : smileMatrix(s, tau);
}
