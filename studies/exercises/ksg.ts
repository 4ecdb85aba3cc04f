/**
 * Checkers of exercise 2: KSG (Kraskov et al. 2004, algorithm 1) by hand on
 * small 1-D samples — the neighbour counts, then the digamma formula.
 *
 * @module
 */

import { Random } from "../../lib/space/random.ts";
import { digamma } from "../../lib/_math/special.ts";
import { check, type Mistake, report, type Verdict } from "./check.ts";

/** What the counting step returns, one entry per sample. */
export interface NeighbourCounts {
  /** Max-norm distance from sample i to its k-th nearest other sample in (x, y). */
  eps: number[];
  /** How many other samples lie strictly closer than eps[i] in x alone. */
  nx: number[];
  /** The same in y alone. */
  ny: number[];
}

type KsgArgs = [x: number[], y: number[], k: number];

function counts(
  x: number[],
  y: number[],
  k: number,
  opts: {
    norm?: "max" | "euclid";
    strict?: boolean;
    self?: boolean;
    kth?: number;
  } = {},
): NeighbourCounts {
  const n = x.length;
  const eps: number[] = [], nx: number[] = [], ny: number[] = [];
  for (let i = 0; i < n; i++) {
    const d: number[] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = Math.abs(x[i] - x[j]), dy = Math.abs(y[i] - y[j]);
      d.push(opts.norm === "euclid" ? Math.hypot(dx, dy) : Math.max(dx, dy));
    }
    d.sort((a, b) => a - b);
    const e = d[(opts.kth ?? k) - 1];
    let cx = opts.self ? 1 : 0, cy = opts.self ? 1 : 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const ax = Math.abs(x[i] - x[j]), ay = Math.abs(y[i] - y[j]);
      if (opts.strict === false ? ax <= e : ax < e) cx++;
      if (opts.strict === false ? ay <= e : ay < e) cy++;
    }
    eps.push(e);
    nx.push(cx);
    ny.push(cy);
  }
  return { eps, nx, ny };
}

function ksgFrom(c: NeighbourCounts, k: number, shift = 1): number {
  const n = c.eps.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += digamma(c.nx[i] + shift) + digamma(c.ny[i] + shift);
  }
  return digamma(k) + digamma(n) - s / n;
}

function cases(): { name: string; args: KsgArgs }[] {
  const r = new Random(7, "exercise-ksg");
  const sample = (n: number, rho: number) => {
    const x: number[] = [], y: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = r.normal(), b = r.normal();
      x.push(a);
      y.push(rho * a + Math.sqrt(1 - rho * rho) * b);
    }
    return [x, y] as const;
  };
  const [x1, y1] = sample(40, 0.8);
  const [x2, y2] = sample(60, 0.3);
  const [x3, y3] = sample(50, 0.95);
  return [
    { name: "40 samples, rho 0.8, k 3", args: [x1, y1, 3] },
    { name: "60 samples, rho 0.3, k 1", args: [x2, y2, 1] },
    { name: "50 samples, rho 0.95, k 5", args: [x3, y3, 5] },
  ];
}

const COUNT_MISTAKES: Mistake<KsgArgs, NeighbourCounts>[] = [
  {
    hint: "Do not count the sample itself among its neighbours in x or y.",
    answer: (x, y, k) => counts(x, y, k, { self: true }),
  },
  {
    hint:
      "Count neighbours strictly closer than eps (<, not ≤): the k-th neighbour itself lies at eps in one coordinate.",
    answer: (x, y, k) => counts(x, y, k, { strict: false }),
  },
  {
    hint:
      "The joint distance is the max-norm, max(|Δx|, |Δy|), not the Euclidean one.",
    answer: (x, y, k) => counts(x, y, k, { norm: "euclid" }),
  },
  {
    hint:
      "eps is the distance to the k-th nearest *other* sample: the sample itself (at distance 0) is not the first neighbour.",
    answer: (x, y, k) => {
      const c = counts(x, y, k, { kth: k - 1 });
      return k === 1 ? { ...c, eps: c.eps.map(() => 0) } : c;
    },
  },
];

/**
 * Checks `neighbours(x, y, k)` → `{ eps, nx, ny }` for 1-D samples x, y.
 *
 * @example
 * ```ts
 * import { checkNeighbourCounts } from "./ksg.ts";
 * import { todo } from "./check.ts";
 * const v = checkNeighbourCounts(() => todo());
 * if (v.status !== "not yet") throw new Error(v.message);
 * ```
 */
export function checkNeighbourCounts(
  neighbours:
    | ((x: number[], y: number[], k: number) => NeighbourCounts)
    | undefined,
): Verdict {
  return report(check(neighbours, {
    exercise: "KSG neighbour counts",
    cases: cases(),
    reference: (x, y, k) => counts(x, y, k),
    mistakes: COUNT_MISTAKES,
    expects: "{ eps, nx, ny }, each an array with one entry per sample",
    tolerance: 1e-9,
  }));
}

/**
 * Checks `ksg(x, y, k)`: the KSG estimate in nats,
 * ψ(k) + ψ(N) − mean over i of [ψ(nx_i + 1) + ψ(ny_i + 1)].
 *
 * @example
 * ```ts
 * import { checkKsg } from "./ksg.ts";
 * import { todo } from "./check.ts";
 * const v = checkKsg((_x: number[], _y: number[], _k: number): number => todo());
 * if (v.status !== "not yet") throw new Error(v.message);
 * ```
 */
export function checkKsg(
  ksg: ((x: number[], y: number[], k: number) => number) | undefined,
): Verdict {
  return report(check(ksg, {
    exercise: "KSG estimate",
    cases: cases(),
    reference: (x, y, k) => ksgFrom(counts(x, y, k), k),
    mistakes: [
      {
        hint:
          "The counts enter as ψ(n_x + 1) and ψ(n_y + 1): the +1 is missing.",
        answer: (x, y, k) => ksgFrom(counts(x, y, k), k, 0),
      },
      {
        hint:
          "Use the digamma function ψ, not the natural log: they differ a lot for small counts.",
        answer: (x, y, k) => {
          const c = counts(x, y, k);
          const n = x.length;
          const s = c.nx.reduce(
            (a, v, i) => a + Math.log(v + 1) + Math.log(c.ny[i] + 1),
            0,
          );
          return Math.log(k) + Math.log(n) - s / n;
        },
      },
      {
        hint: "The term ψ(N), N the number of samples, is missing.",
        answer: (x, y, k) => ksgFrom(counts(x, y, k), k) - digamma(x.length),
      },
      {
        hint: "Check the signs: ψ(k) + ψ(N) minus the mean of the count terms.",
        answer: (x, y, k) => -ksgFrom(counts(x, y, k), k),
      },
    ],
    expects: "one number",
    tolerance: 1e-9,
  }));
}
