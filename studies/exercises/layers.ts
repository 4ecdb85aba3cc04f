/**
 * Checkers of exercise 3: binning a layer's units as Shwartz-Ziv & Tishby
 * did, and the exact MI of two discrete variables from their samples.
 *
 * @module
 */

import { discreteMI } from "../../lib/mi/binning.ts";
import { Random } from "../../lib/space/random.ts";
import { check, report, type Verdict } from "./check.ts";

type BinArgs = [value: number, bins: number, low: number, high: number];

function binReference(v: number, bins: number, low: number, high: number) {
  const b = Math.floor((v - low) / ((high - low) / bins));
  return Math.min(bins - 1, Math.max(0, b));
}

/**
 * Checks `binIndex(value, bins, low, high)`: which of `bins` equal bins on
 * [low, high] holds the value (0-based; `high` itself in the last bin; values
 * outside the range in the end bins).
 *
 * @example
 * ```ts
 * import { checkBinIndex } from "./layers.ts";
 * const v = checkBinIndex((x: number, b: number, lo: number, hi: number) =>
 *   Math.min(b - 1, Math.max(0, Math.floor((x - lo) / ((hi - lo) / b)))));
 * if (v.status !== "correct") throw new Error(v.message);
 * ```
 */
export function checkBinIndex(
  binIndex:
    | ((value: number, bins: number, low: number, high: number) => number)
    | undefined,
): Verdict {
  const r = new Random(5, "exercise-bins");
  const cases: { name: string; args: BinArgs }[] = [];
  for (let i = 0; i < 20; i++) {
    cases.push({
      name: `a tanh value (${i + 1})`,
      args: [r.uniform(-1, 1), 30, -1, 1],
    });
  }
  cases.push(
    { name: "the low edge", args: [-1, 30, -1, 1] },
    { name: "the high edge", args: [1, 30, -1, 1] },
    { name: "a ReLU value above the range", args: [7.5, 10, 0, 5] },
    { name: "a value below the range", args: [-0.2, 10, 0, 5] },
  );
  return report(check(binIndex, {
    exercise: "bin index",
    cases,
    reference: binReference,
    mistakes: [
      {
        hint:
          "A value equal to `high` must land in the last bin (bins − 1), not one past it.",
        answer: (v, bins, low, high) =>
          Math.max(0, Math.floor((v - low) / ((high - low) / bins))),
      },
      {
        hint:
          "Values outside [low, high] go to the end bins: clip the index to 0 … bins − 1.",
        answer: (v, bins, low, high) => {
          const b = Math.floor((v - low) / ((high - low) / bins));
          return v === high ? bins - 1 : b;
        },
      },
      {
        hint: "Bins are numbered from 0, not 1.",
        answer: (v, bins, low, high) => binReference(v, bins, low, high) + 1,
      },
      {
        hint:
          "Round down (Math.floor), not to the nearest integer: each bin is a half-open interval.",
        answer: (v, bins, low, high) =>
          Math.min(
            bins - 1,
            Math.max(0, Math.round((v - low) / ((high - low) / bins))),
          ),
      },
    ],
    expects: "one integer",
  }));
}

type MIArgs = [a: (string | number)[], b: (string | number)[]];

const entropy = (keys: (string | number)[]) => {
  const c = new Map<string | number, number>();
  for (const k of keys) c.set(k, (c.get(k) ?? 0) + 1);
  let h = 0;
  for (const v of c.values()) {
    h -= (v / keys.length) * Math.log(v / keys.length);
  }
  return h;
};

/**
 * Checks `mutualInformation(a, b)`: the MI in nats of two discrete variables
 * given as one value per sample (plug-in: H(A) + H(B) − H(A, B)).
 *
 * @example
 * ```ts
 * import { checkDiscreteMI } from "./layers.ts";
 * import { todo } from "./check.ts";
 * const v = checkDiscreteMI(() => todo());
 * if (v.status !== "not yet") throw new Error(v.message);
 * ```
 */
export function checkDiscreteMI(
  mutualInformation:
    | ((a: (string | number)[], b: (string | number)[]) => number)
    | undefined,
): Verdict {
  const r = new Random(9, "exercise-discrete-mi");
  const cases: { name: string; args: MIArgs }[] = [];
  const a1 = Array.from({ length: 200 }, () => r.integer(0, 6));
  cases.push({ name: "b a function of a", args: [a1, a1.map((v) => v % 2)] });
  const a2 = Array.from({ length: 300 }, () => r.integer(0, 4));
  cases.push({
    name: "noisy copy",
    args: [a2, a2.map((v) => (r.uniform() < 0.3 ? r.integer(0, 4) : v))],
  });
  const a3 = Array.from({ length: 64 }, (_, i) => `pattern ${i}`);
  cases.push({ name: "string patterns", args: [a3, a3.map((_, i) => i % 3)] });
  return report(check(mutualInformation, {
    exercise: "discrete MI",
    cases,
    reference: discreteMI,
    mistakes: [
      {
        hint:
          "That is in bits; the answer is in nats (Math.log, not Math.log2).",
        answer: (a, b) => discreteMI(a, b) / Math.LN2,
      },
      {
        hint:
          "MI is H(A) + H(B) − H(A, B): check the sign of the joint entropy.",
        answer: (a, b) =>
          entropy(a) + entropy(b) + entropy(a.map((v, i) => `${v}|${b[i]}`)),
      },
      {
        hint:
          "That is the joint entropy H(A, B); MI subtracts it from H(A) + H(B).",
        answer: (a, b) => entropy(a.map((v, i) => `${v}|${b[i]}`)),
      },
      {
        hint:
          "Pair the samples: the joint variable is (a_i, b_i) per sample, not every combination of values.",
        answer: (a, b) =>
          entropy(a) + entropy(b) - Math.log(new Set(a).size * new Set(b).size),
      },
    ],
    expects: "one number",
    tolerance: 1e-9,
  }));
}
