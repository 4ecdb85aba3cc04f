/**
 * Checkers of exercise 1: the Donsker-Varadhan bound from critic scores, and
 * MINE's moving average of the marginal term.
 *
 * @module
 */

import { Random } from "../../lib/space/random.ts";
import { check, type Mistake, report, type Verdict } from "./check.ts";

type Scores = [tJoint: number[], tMarginal: number[]];

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const logSumExp = (v: number[]) => {
  const m = Math.max(...v);
  return m + Math.log(v.reduce((a, b) => a + Math.exp(b - m), 0));
};

/** The DV bound: mean(T on joint) − log mean(e^T on marginal), stably. */
function dvReference(tj: number[], tm: number[]): number {
  return mean(tj) - (logSumExp(tm) - Math.log(tm.length));
}

function scoreCases(): { name: string; args: Scores }[] {
  const r = new Random(11, "exercise-dv");
  const draw = (n: number, shift: number, scale: number) =>
    Array.from({ length: n }, () => shift + scale * r.normal());
  return [
    { name: "small scores", args: [draw(8, 1, 0.5), draw(8, 0, 0.5)] },
    {
      name: "joint and marginal of different sizes",
      args: [draw(5, 2, 1), draw(12, 0, 1)],
    },
    { name: "large scores", args: [draw(16, 800, 3), draw(16, 795, 3)] },
    {
      name: "very negative scores",
      args: [draw(16, -900, 2), draw(16, -905, 2)],
    },
  ];
}

const DV_MISTAKES: Mistake<Scores, number>[] = [
  {
    hint:
      "e^T overflows for large scores: compute log mean e^T with the maximum subtracted first (log-sum-exp).",
    answer: (tj, tm) => mean(tj) - Math.log(mean(tm.map(Math.exp))),
  },
  {
    hint:
      "Check the sign of the second term: the bound subtracts log E_Q[e^T].",
    answer: (tj, tm) => mean(tj) + (logSumExp(tm) - Math.log(tm.length)),
  },
  {
    hint:
      "Off by ln n: the bound takes the log of the mean of e^T, not of the sum.",
    answer: (tj, tm) => mean(tj) - logSumExp(tm),
  },
  {
    hint:
      "The second term is log E_Q[e^T], not E_Q[T] (that would be a plain difference of means).",
    answer: (tj, tm) => mean(tj) - mean(tm),
  },
  {
    hint:
      "Average the marginal term over the marginal scores: their count can differ from the joint scores'.",
    answer: (tj, tm) => mean(tj) - (logSumExp(tm) - Math.log(tj.length)),
  },
];

/**
 * Checks `dv(tJoint, tMarginal)`: the Donsker-Varadhan bound, in nats, from
 * a critic's scores on joint and on marginal samples.
 *
 * @example
 * ```ts
 * import { checkDvBound } from "./mine.ts";
 * import { todo } from "./check.ts";
 * const v = checkDvBound((_tj: number[], _tm: number[]): number => todo());
 * if (v.status !== "not yet") throw new Error(v.message);
 * ```
 */
export function checkDvBound(
  dv: ((tJoint: number[], tMarginal: number[]) => number) | undefined,
): Verdict {
  return report(check(dv, {
    exercise: "Donsker-Varadhan bound",
    cases: scoreCases(),
    reference: dvReference,
    mistakes: DV_MISTAKES,
    expects: "one number",
    tolerance: 1e-9,
  }));
}

type EmaArgs = [previous: number | null, batch: number, alpha: number];

/**
 * Checks `ema(previous, batch, alpha)`: the moving average that MINE keeps
 * of the marginal term E_Q[e^T], where `alpha` is the new batch's weight and
 * `previous` is null before the first batch.
 *
 * @example
 * ```ts
 * import { checkEmaUpdate } from "./mine.ts";
 * const v = checkEmaUpdate((p: number | null, b: number, a: number) => p === null ? b : (1 - a) * p + a * b);
 * if (v.status !== "correct") throw new Error(v.message);
 * ```
 */
export function checkEmaUpdate(
  ema:
    | ((previous: number | null, batch: number, alpha: number) => number)
    | undefined,
): Verdict {
  const reference = (p: number | null, b: number, a: number) =>
    p === null ? b : (1 - a) * p + a * b;
  return report(check(ema, {
    exercise: "MINE's moving average",
    cases: [
      { name: "a later batch", args: [2.0, 3.0, 0.01] as EmaArgs },
      { name: "another weight", args: [5.0, 1.0, 0.25] as EmaArgs },
      {
        name: "the first batch (previous is null)",
        args: [null, 4.0, 0.01] as EmaArgs,
      },
    ],
    reference,
    mistakes: [
      {
        hint:
          "alpha is the weight of the new batch, 1 − alpha that of the history: the weights are swapped.",
        answer: (p, b, a) => p === null ? b : a * p + (1 - a) * b,
      },
      {
        hint:
          "The average forgets its history: it should blend the previous value with the batch.",
        answer: (_p, b) => b,
      },
      {
        hint:
          "Before the first batch there is no history (previous is null): the average starts at the first batch's value.",
        answer: (p, b, a) => (1 - a) * (p ?? 0) + a * b,
      },
    ],
    expects: "one number",
  }));
}
