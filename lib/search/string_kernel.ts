/**
 * The string subsequence kernel (SSK) of BOSS (Moss, Leslie, Beck,
 * González & Rayson, "BOSS: Bayesian optimization over string spaces",
 * NeurIPS 2020; after Lodhi et al. 2002 and Beck & Cohn 2017), on
 * architectures written as strings of tokens:
 *
 * k_n(s, t) = Σ_{u ∈ Σⁿ} Σ_{i: s[i] = u} Σ_{j: t[j] = u} λ_m^{2n} λ_g^{gaps(i) + gaps(j)},
 *
 * where gaps(i) = i_n − i_1 + 1 − n counts the tokens an occurrence skips;
 * the kernel is Σ_{k=1}^{n} k_k, normalised to k(s, s) = 1. BOSS's
 * defaults: match decay λ_m = 0.9, gap decay λ_g = 0.1 (its starting
 * values; BOSS tunes both by marginal likelihood), subsequences up to
 * n = 3, every length weighted 1. Computed by the dynamic programme of
 * Lodhi et al. in O(n |s| |t|).
 *
 * @module
 */

import type { Config, SearchSpace } from "../space/space.ts";
import { architectureOf, NB201_CODEC } from "./arch_graph.ts";
import { cellString } from "./tabular.ts";

/** Hyperparameters of {@linkcode subsequenceKernel}. */
export interface SubsequenceKernelOptions {
  /** Decay per token an occurrence skips, λ_g ∈ [0, 1]; default 0.1. */
  gapDecay?: number;
  /** Decay per matched token, λ_m ∈ [0, 1]; default 0.9. */
  matchDecay?: number;
  /** The longest subsequence counted, n; default 3. */
  length?: number;
}

/**
 * The unnormalised kernels k_1 … k_n of two token sequences (index k − 1
 * holds k_k).
 *
 * @example "ab" against "axb": the pair "ab" occurs once in each, skipping
 * one token in the second: k_2 = λ_m⁴ λ_g.
 * ```ts
 * import { subsequenceKernels } from "./string_kernel.ts";
 * const k = subsequenceKernels(["a", "b"], ["a", "x", "b"], { gapDecay: 0.5, matchDecay: 0.8, length: 2 });
 * if (Math.abs(k[0] - 2 * 0.8 ** 2) > 1e-12 || Math.abs(k[1] - 0.8 ** 4 * 0.5) > 1e-12) throw new Error();
 * ```
 */
export function subsequenceKernels(
  s: readonly string[],
  t: readonly string[],
  options: SubsequenceKernelOptions = {},
): Float64Array {
  const g = options.gapDecay ?? 0.1;
  const m2 = (options.matchDecay ?? 0.9) ** 2;
  const n = options.length ?? 3;
  const S = s.length, T = t.length;
  const W = T + 1;
  // kp[a*W+b]: K'_{i}(s[:a], t[:b]), weighted by the distance from each
  // occurrence's start to the prefixes' ends.
  let kp = new Float64Array((S + 1) * W).fill(1);
  const out = new Float64Array(n);
  for (let i = 1; i <= n; i++) {
    // k_i: occurrences whose last tokens are s[a-1] = t[b-1].
    let k = 0;
    for (let a = 1; a <= S; a++) {
      for (let b = 1; b <= T; b++) {
        if (s[a - 1] === t[b - 1]) k += m2 * kp[(a - 1) * W + (b - 1)];
      }
    }
    out[i - 1] = k;
    if (i === n) break;
    const next = new Float64Array((S + 1) * W);
    for (let a = 1; a <= S; a++) {
      let kpp = 0; // K''_i(s[:a], t[:b]) along b
      for (let b = 1; b <= T; b++) {
        kpp = g * kpp +
          (s[a - 1] === t[b - 1] ? m2 * kp[(a - 1) * W + (b - 1)] : 0);
        next[a * W + b] = g * next[(a - 1) * W + b] + kpp;
      }
    }
    kp = next;
  }
  return out;
}

/**
 * The normalised subsequence kernel: Σ_k k_k(s,t) / √(Σ_k k_k(s,s) ·
 * Σ_k k_k(t,t)); 0 when either string has no token.
 *
 * @example
 * ```ts
 * import { subsequenceKernel } from "./string_kernel.ts";
 * if (Math.abs(subsequenceKernel(["a", "b"], ["a", "b"]) - 1) > 1e-12) throw new Error();
 * if (subsequenceKernel(["a"], ["b"]) !== 0) throw new Error();
 * ```
 */
export function subsequenceKernel(
  s: readonly string[],
  t: readonly string[],
  options: SubsequenceKernelOptions = {},
): number {
  const sum = (x: Float64Array) => x.reduce((a, b) => a + b, 0);
  const st = sum(subsequenceKernels(s, t, options));
  const ss = sum(subsequenceKernels(s, s, options));
  const tt = sum(subsequenceKernels(t, t, options));
  return ss > 0 && tt > 0 ? st / Math.sqrt(ss * tt) : 0;
}

/**
 * A configuration written as a string of tokens. NAS-Bench-201 cells are
 * their official string (`|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`) cut into
 * tokens `op~j` and `+`; other spaces are the sequence `name=value` of
 * their active hyperparameters.
 *
 * @example
 * ```ts
 * import { architectureTokens } from "./string_kernel.ts";
 * import { categorical, SearchSpace } from "../space/space.ts";
 * const space = new SearchSpace({ a: categorical(["x", "y"]), b: categorical([1, 2]) });
 * if (architectureTokens(space, { a: "y", b: 2 }).join(" ") !== "a=y b=2") throw new Error();
 * ```
 */
export function architectureTokens(
  space: SearchSpace,
  config: Config,
): string[] {
  if (architectureOf(space) === NB201_CODEC) {
    return cellString(config).split("|").filter((x) => x !== "");
  }
  return space.names
    .filter((n) => config[n] !== null && config[n] !== undefined)
    .map((n) => `${n}=${config[n]}`);
}
