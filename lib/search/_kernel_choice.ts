/**
 * What `nasbot` and `gp-ssk` share: a GP on a precomputed kernel whose
 * hyperparameters (a kernel setting, a noise variance) are chosen from a
 * small grid by log marginal likelihood, and the candidate of highest log
 * expected improvement.
 *
 * @module
 */

import { logExpectedImprovementBelow } from "../_math/special.ts";
import { KernelGp } from "./_kernel_gp.ts";

/** The GP of highest log marginal likelihood and the setting it used. */
export interface KernelChoice<S> {
  /** The fitted GP. */
  gp: KernelGp;
  /** The kernel setting (β, or the string kernel's decays). */
  setting: S;
}

/**
 * Fits a GP for each kernel setting (its Gram matrix from `gram`) and each
 * noise variance, keeps the one of highest log marginal likelihood.
 */
export function chooseByLikelihood<S>(
  settings: readonly S[],
  gram: (s: S) => Float64Array,
  y: readonly number[],
  noises: readonly number[],
): KernelChoice<S> {
  let best: KernelChoice<S> | undefined;
  for (const setting of settings) {
    const k = gram(setting);
    for (const noise of noises) {
      const gp = KernelGp.fit(k, y, noise);
      if (
        !best || gp.logMarginalLikelihood > best.gp.logMarginalLikelihood
      ) {
        best = { gp, setting };
      }
    }
  }
  return best!;
}

/** Log expected improvement below `best` of each of m candidates. */
export function logEi(
  gp: KernelGp,
  cross: Float64Array,
  self: ArrayLike<number>,
  best: number,
): Float64Array {
  const { mean, std } = gp.predict(cross, self);
  return Float64Array.from(
    mean,
    (mu, i) => logExpectedImprovementBelow(best, mu, std[i]),
  );
}
