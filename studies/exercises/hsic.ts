/**
 * Checkers of exercise 4: the HSIC V-statistic from Gram matrices, and the
 * goal-oriented target (is a trial among the best q?).
 *
 * @module
 */

import { Random } from "../../lib/space/random.ts";
import { check, report, type Verdict } from "./check.ts";

type Gram = number[][];
type HsicArgs = [K: Gram, L: Gram];

function trace(a: Gram, b: Gram): number {
  let t = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < a.length; j++) t += a[i][j] * b[j][i];
  }
  return t;
}

function centred(k: Gram): Gram {
  const n = k.length;
  const row = k.map((r) => r.reduce((a, v) => a + v, 0) / n);
  const all = row.reduce((a, v) => a + v, 0) / n;
  return k.map((r, i) => r.map((v, j) => v - row[i] - row[j] + all));
}

/** (1/n²) tr(K H L H), H = I − 11ᵀ/n. */
function hsicV(k: Gram, l: Gram): number {
  const n = k.length;
  return trace(centred(k), centred(l)) / (n * n);
}

function gaussianGram(v: number[], bandwidth: number): Gram {
  return v.map((a) =>
    v.map((b) => Math.exp(-((a - b) ** 2) / (2 * bandwidth ** 2)))
  );
}

/**
 * Checks `hsic(K, L)`: the V-statistic (1/n²) tr(K H L H) of two n × n
 * Gram matrices.
 *
 * @example
 * ```ts
 * import { checkHsicV } from "./hsic.ts";
 * import { todo } from "./check.ts";
 * const v = checkHsicV((_K: number[][], _L: number[][]): number => todo());
 * if (v.status !== "not yet") throw new Error(v.message);
 * ```
 */
export function checkHsicV(
  hsic: ((K: number[][], L: number[][]) => number) | undefined,
): Verdict {
  const r = new Random(3, "exercise-hsic");
  const cases: { name: string; args: HsicArgs }[] = [10, 25].map((n) => {
    const x = Array.from({ length: n }, () => r.normal());
    const y = x.map((v) => Math.sin(2 * v) + 0.3 * r.normal());
    return {
      name: `${n} samples, y = sin(2x) + noise`,
      args: [gaussianGram(x, 1), gaussianGram(y, 0.8)],
    };
  });
  return report(check(hsic, {
    exercise: "HSIC V-statistic",
    cases,
    reference: hsicV,
    mistakes: [
      {
        hint:
          "Centre the Gram matrices: H = I − 11ᵀ/n on both sides, tr(K H L H).",
        answer: (k, l) => trace(k, l) / k.length ** 2,
      },
      {
        hint: "H multiplies on both sides of L: tr(K H L H), not tr(K H L).",
        answer: (k, l) => {
          const n = k.length;
          const colMean = l[0].map((_, j) =>
            l.reduce((a, r) => a + r[j], 0) / n
          );
          return trace(k, l.map((r) => r.map((v, j) => v - colMean[j]))) /
            (n * n);
        },
      },
      {
        hint:
          "The V-statistic divides by n², not (n − 1)² (that is closer to the U-statistic's scaling).",
        answer: (k, l) => trace(centred(k), centred(l)) / (k.length - 1) ** 2,
      },
    ],
    expects: "one number",
    tolerance: 1e-9,
  }, (k) => k.length));
}

type GoalArgs = [y: number[], quantile: number];

/** 1 where y is at most the empirical q-quantile (lower interpolation), else 0. */
function goalReference(y: number[], q: number): number[] {
  const sorted = [...y].sort((a, b) => a - b);
  const threshold = sorted[Math.floor(q * (y.length - 1))];
  return y.map((v) => (v <= threshold ? 1 : 0));
}

/**
 * Checks `goal(y, quantile)`: for losses y (lower is better), 1 for the trials
 * whose loss is at most the empirical `quantile` of y (the value at index
 * ⌊quantile · (n − 1)⌋ of the sorted losses), 0 otherwise.
 *
 * @example
 * ```ts
 * import { checkGoalIndicator } from "./hsic.ts";
 * import { todo } from "./check.ts";
 * const v = checkGoalIndicator((_y: number[], _q: number): number[] => todo());
 * if (v.status !== "not yet") throw new Error(v.message);
 * ```
 */
export function checkGoalIndicator(
  goal: ((y: number[], quantile: number) => number[]) | undefined,
): Verdict {
  const r = new Random(4, "exercise-goal");
  const losses = (n: number) =>
    Array.from({ length: n }, () => Math.exp(r.normal()));
  return report(check(goal, {
    exercise: "goal indicator",
    cases: [
      { name: "100 losses, best 10 %", args: [losses(100), 0.1] as GoalArgs },
      { name: "37 losses, best 25 %", args: [losses(37), 0.25] as GoalArgs },
    ],
    reference: goalReference,
    mistakes: [
      {
        hint:
          "Lower losses are better: the goal marks losses at or below the threshold.",
        answer: (y, q) => {
          const sorted = [...y].sort((a, b) => a - b);
          const t = sorted[Math.floor(q * (y.length - 1))];
          return y.map((v) => (v >= t ? 1 : 0));
        },
      },
      {
        hint:
          "The quantile is a share of the trials, not a loss value: find the loss that share of trials falls below.",
        answer: (y, q) => y.map((v) => (v <= q ? 1 : 0)),
      },
      {
        hint:
          "That marks the worst trials: sort ascending (smallest loss first) or take the quantile from the low end.",
        answer: (y, q) => {
          const sorted = [...y].sort((a, b) => b - a);
          const t = sorted[Math.floor(q * (y.length - 1))];
          return y.map((v) => (v >= t ? 1 : 0));
        },
      },
    ],
    expects: "an array of 0s and 1s, one per trial",
  }));
}
