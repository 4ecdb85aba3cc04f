/**
 * Checkers of exercise 5: expected improvement under a Gaussian posterior
 * (minimising), and one Hyperband bracket (Li et al.'s schedule).
 *
 * @module
 */

import { brackets } from "../../lib/search/hyperband.ts";
import { normalCdf } from "../../lib/_math/special.ts";
import { check, report, type Verdict } from "./check.ts";

type EiArgs = [mu: number, sigma: number, best: number];

const pdf = (z: number) => Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);

function eiReference(mu: number, sigma: number, best: number): number {
  if (sigma <= 0) return Math.max(best - mu, 0);
  const z = (best - mu) / sigma;
  return (best - mu) * normalCdf(z) + sigma * pdf(z);
}

/**
 * Checks `ei(mu, sigma, best)`: the expected improvement over the best loss
 * so far of a Gaussian prediction N(mu, sigma²), when minimising
 * (σ = 0 allowed).
 *
 * @example
 * ```ts
 * import { checkExpectedImprovement } from "./search.ts";
 * import { todo } from "./check.ts";
 * const v = checkExpectedImprovement((_m: number, _s: number, _b: number): number => todo());
 * if (v.status !== "not yet") throw new Error(v.message);
 * ```
 */
export function checkExpectedImprovement(
  ei: ((mu: number, sigma: number, best: number) => number) | undefined,
): Verdict {
  return report(check(ei, {
    exercise: "expected improvement",
    cases: [
      { name: "a prediction below the best", args: [0.2, 0.5, 1.0] as EiArgs },
      { name: "a prediction above the best", args: [2.0, 0.7, 1.0] as EiArgs },
      { name: "a confident prediction", args: [0.9, 0.01, 1.0] as EiArgs },
      { name: "no uncertainty (sigma = 0)", args: [0.5, 0, 1.0] as EiArgs },
      { name: "sigma = 0 at the best value", args: [1.0, 0, 1.0] as EiArgs },
    ],
    reference: eiReference,
    mistakes: [
      {
        hint:
          "We minimise: the improvement is best − mu (a lower prediction is better), not mu − best.",
        answer: (mu, sigma, best) => eiReference(best, sigma, mu),
      },
      {
        hint: "The exploration term sigma · φ(z) is missing.",
        answer: (mu, sigma, best) =>
          sigma <= 0
            ? Math.max(best - mu, 0)
            : (best - mu) * normalCdf((best - mu) / sigma),
      },
      {
        hint:
          "With sigma = 0 the prediction is certain: EI is max(best − mu, 0); avoid dividing by zero.",
        answer: (mu, sigma, best) => {
          const z = (best - mu) / sigma;
          return (best - mu) * normalCdf(z) + sigma * pdf(z);
        },
      },
      {
        hint:
          "Φ and φ are swapped: the improvement is weighted by the CDF Φ(z), sigma by the density φ(z).",
        answer: (mu, sigma, best) => {
          if (sigma <= 0) return Math.max(best - mu, 0);
          const z = (best - mu) / sigma;
          return (best - mu) * pdf(z) + sigma * normalCdf(z);
        },
      },
    ],
    expects: "one number",
    tolerance: 1e-7,
  }));
}

type BracketArgs = [maxBudget: number, eta: number, s: number];

/** One bracket of Li et al.'s Hyperband: configurations and budget per rung. */
export interface BracketRungs {
  sizes: number[];
  budgets: number[];
}

function bracketReference(R: number, eta: number, s: number): BracketRungs {
  const b = brackets({ min: 1, max: R, eta }, "li").find((x) => x.s === s)!;
  return { sizes: b.sizes, budgets: b.budgets };
}

/**
 * Checks `bracket(R, eta, s)`: bracket s of Hyperband (Li et al. 2018, min
 * budget 1, s_max = ⌊log_η R⌋): n = ⌈(s_max + 1) η^s / (s + 1)⌉
 * configurations at budget R η^−s, then each rung keeps ⌊n η^−i⌋ at budget
 * R η^(i−s), for i = 0 … s.
 *
 * @example
 * ```ts
 * import { checkBracket } from "./search.ts";
 * import { todo } from "./check.ts";
 * const v = checkBracket(() => todo());
 * if (v.status !== "not yet") throw new Error(v.message);
 * ```
 */
export function checkBracket(
  bracket:
    | ((maxBudget: number, eta: number, s: number) => BracketRungs)
    | undefined,
): Verdict {
  const li = (
    R: number,
    eta: number,
    s: number,
    round: (v: number) => number,
  ) => {
    const sMax = Math.floor(Math.log(R) / Math.log(eta) + 1e-9);
    const n = Math.ceil(((sMax + 1) * eta ** s) / (s + 1));
    const idx = Array.from({ length: s + 1 }, (_, i) => i);
    return {
      sizes: idx.map((i) => round(n * eta ** -i)),
      budgets: idx.map((i) => R * eta ** (i - s)),
    };
  };
  return report(check(bracket, {
    exercise: "Hyperband bracket",
    cases: [
      { name: "R = 81, eta = 3, s = 4", args: [81, 3, 4] as BracketArgs },
      { name: "R = 81, eta = 3, s = 2", args: [81, 3, 2] as BracketArgs },
      { name: "R = 27, eta = 3, s = 1", args: [27, 3, 1] as BracketArgs },
      { name: "R = 16, eta = 2, s = 3", args: [16, 2, 3] as BracketArgs },
    ],
    reference: bracketReference,
    mistakes: [
      {
        hint: "Each rung keeps ⌊n η^−i⌋ configurations: round down, not up.",
        answer: (R, eta, s) => li(R, eta, s, Math.ceil),
      },
      {
        hint:
          "Budgets grow along the bracket: rung i runs at R η^(i − s), ending at R.",
        answer: (R, eta, s) => {
          const b = li(R, eta, s, Math.floor);
          return { ...b, budgets: [...b.budgets].reverse() };
        },
      },
      {
        hint:
          "The first rung has n = ⌈(s_max + 1) η^s / (s + 1)⌉ configurations: s_max + 1 brackets share the budget, not s + 1.",
        answer: (R, eta, s) => {
          const n = Math.ceil(eta ** s);
          const idx = Array.from({ length: s + 1 }, (_, i) => i);
          return {
            sizes: idx.map((i) => Math.floor(n * eta ** -i)),
            budgets: idx.map((i) => R * eta ** (i - s)),
          };
        },
      },
    ],
    expects: "{ sizes, budgets }, each an array of s + 1 rungs",
  }));
}
