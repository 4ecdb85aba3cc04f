/**
 * Every exercise checker: the right answer passes, `todo()` is "not yet",
 * and typical wrong answers are rejected with the hint that fits them.
 */
import { assert, assertEquals } from "./support/assert.ts";
import { digamma, normalCdf } from "../lib/_math/special.ts";
import { todo, type Verdict } from "../studies/exercises/check.ts";
import { checkDvBound, checkEmaUpdate } from "../studies/exercises/mine.ts";
import { checkKsg, checkNeighbourCounts } from "../studies/exercises/ksg.ts";
import { checkBinIndex, checkDiscreteMI } from "../studies/exercises/layers.ts";
import { checkGoalIndicator, checkHsicV } from "../studies/exercises/hsic.ts";
import {
  checkBracket,
  checkExpectedImprovement,
} from "../studies/exercises/search.ts";

function wrong(v: Verdict, hint: RegExp): void {
  assertEquals(v.status, "wrong", v.message);
  assert(
    hint.test(v.message),
    `expected a hint matching ${hint}, got: ${v.message}`,
  );
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const lse = (v: number[]) => {
  const m = Math.max(...v);
  return m + Math.log(v.reduce((a, b) => a + Math.exp(b - m), 0));
};

Deno.test("checker: the Donsker-Varadhan bound", () => {
  assertEquals(
    checkDvBound((tj, tm) => mean(tj) - lse(tm) + Math.log(tm.length)).status,
    "correct",
  );
  assertEquals(checkDvBound(() => todo()).status, "not yet");
  wrong(
    checkDvBound((tj, tm) => mean(tj) - Math.log(mean(tm.map(Math.exp)))),
    /overflows/,
  );
  wrong(
    checkDvBound((tj, tm) => mean(tj) + lse(tm) - Math.log(tm.length)),
    /sign/,
  );
  wrong(checkDvBound((tj, tm) => mean(tj) - lse(tm)), /ln n/);
  wrong(checkDvBound((tj, tm) => mean(tj) - mean(tm)), /not E_Q\[T\]/);
  wrong(
    checkDvBound((tj, tm) => mean(tj) - lse(tm) + Math.log(tj.length)),
    /marginal scores/,
  );
  wrong(
    checkDvBound((tj) => [mean(tj)] as unknown as number),
    /expected one number, got an array/,
  );
  wrong(
    checkDvBound(() => {
      throw new Error("boom");
    }),
    /threw: boom/,
  );
});

Deno.test("checker: MINE's moving average", () => {
  assertEquals(
    checkEmaUpdate((p, b, a) => p === null ? b : (1 - a) * p + a * b).status,
    "correct",
  );
  wrong(
    checkEmaUpdate((p, b, a) => p === null ? b : a * p + (1 - a) * b),
    /swapped/,
  );
  wrong(checkEmaUpdate((_p, b) => b), /forgets its history/);
  wrong(
    checkEmaUpdate((p, b, a) => (1 - a) * (p as number) + a * b),
    /first batch/,
  );
  assertEquals(checkEmaUpdate(undefined).status, "not yet");
});

/** A correct KSG by hand, for the checks. */
function neighbours(x: number[], y: number[], k: number) {
  const n = x.length;
  const eps: number[] = [], nx: number[] = [], ny: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = x.map((_, j) =>
      Math.max(Math.abs(x[i] - x[j]), Math.abs(y[i] - y[j]))
    )
      .filter((_, j) => j !== i).sort((a, b) => a - b);
    const e = d[k - 1];
    eps.push(e);
    nx.push(x.filter((v, j) => j !== i && Math.abs(v - x[i]) < e).length);
    ny.push(y.filter((v, j) => j !== i && Math.abs(v - y[i]) < e).length);
  }
  return { eps, nx, ny };
}

Deno.test("checker: KSG neighbour counts and estimate", () => {
  assertEquals(checkNeighbourCounts(neighbours).status, "correct");
  wrong(
    checkNeighbourCounts((x, y, k) => {
      const c = neighbours(x, y, k);
      return { ...c, nx: c.nx.map((v) => v + 1), ny: c.ny.map((v) => v + 1) };
    }),
    /itself/,
  );
  wrong(
    checkNeighbourCounts((x, y, k) => {
      const c = neighbours(x, y, k);
      return {
        ...c,
        nx: x.map((v, i) =>
          x.filter((w, j) => j !== i && Math.abs(w - v) <= c.eps[i]).length
        ),
        ny: y.map((v, i) =>
          y.filter((w, j) => j !== i && Math.abs(w - v) <= c.eps[i]).length
        ),
      };
    }),
    /strictly/,
  );
  wrong(
    checkNeighbourCounts((x, y, k) => {
      const n = x.length;
      const eps = x.map((_, i) =>
        x.map((_, j) => Math.hypot(x[i] - x[j], y[i] - y[j])).filter((_, j) =>
          j !== i
        )
          .sort((a, b) => a - b)[k - 1]
      );
      return {
        eps,
        nx: x.map((v, i) =>
          x.filter((w, j) => j !== i && Math.abs(w - v) < eps[i]).length
        ),
        ny: y.map((v, i) =>
          y.filter((w, j) => j !== i && Math.abs(w - v) < eps[i]).length
        ).slice(0, n),
      };
    }),
    /max-norm/,
  );

  const ksg =
    (shift: number, f: (v: number) => number) =>
    (x: number[], y: number[], k: number) => {
      const c = neighbours(x, y, k);
      const s = mean(c.nx.map((v, i) => f(v + shift) + f(c.ny[i] + shift)));
      return f(k) + f(x.length) - s;
    };
  assertEquals(checkKsg(ksg(1, digamma)).status, "correct");
  assertEquals(checkKsg(() => todo()).status, "not yet");
  wrong(checkKsg(ksg(0, digamma)), /\+1 is missing/);
  wrong(checkKsg(ksg(1, Math.log)), /digamma/);
  wrong(
    checkKsg((x, y, k) => ksg(1, digamma)(x, y, k) - digamma(x.length)),
    /ψ\(N\)/,
  );
});

Deno.test("checker: bin index and discrete MI", () => {
  const bin = (v: number, b: number, lo: number, hi: number) =>
    Math.min(b - 1, Math.max(0, Math.floor((v - lo) / ((hi - lo) / b))));
  assertEquals(checkBinIndex(bin).status, "correct");
  wrong(
    checkBinIndex((v, b, lo, hi) =>
      Math.max(0, Math.floor((v - lo) / ((hi - lo) / b)))
    ),
    /last bin/,
  );
  wrong(
    checkBinIndex((v, b, lo, hi) => bin(v, b, lo, hi) + 1),
    /numbered from 0/,
  );
  wrong(
    checkBinIndex((v, b, lo, hi) =>
      Math.min(b - 1, Math.max(0, Math.round((v - lo) / ((hi - lo) / b))))
    ),
    /Math.floor/,
  );

  const h = (keys: (string | number)[]) => {
    const c = new Map<string | number, number>();
    keys.forEach((k) => c.set(k, (c.get(k) ?? 0) + 1));
    return [...c.values()].reduce(
      (s, v) => s - (v / keys.length) * Math.log(v / keys.length),
      0,
    );
  };
  const joint = (a: (string | number)[], b: (string | number)[]) =>
    a.map((v, i) => `${v}|${b[i]}`);
  assertEquals(
    checkDiscreteMI((a, b) => h(a) + h(b) - h(joint(a, b))).status,
    "correct",
  );
  assertEquals(checkDiscreteMI(() => todo()).status, "not yet");
  wrong(
    checkDiscreteMI((a, b) => (h(a) + h(b) - h(joint(a, b))) / Math.LN2),
    /nats/,
  );
  wrong(
    checkDiscreteMI((a, b) => h(a) + h(b) + h(joint(a, b))),
    /sign of the joint/,
  );
  wrong(checkDiscreteMI((a, b) => h(joint(a, b))), /joint entropy/);
});

Deno.test("checker: HSIC V-statistic and the goal indicator", () => {
  const centre = (k: number[][]) => {
    const r = k.map((row) => mean(row));
    const all = mean(r);
    return k.map((row, i) => row.map((v, j) => v - r[i] - r[j] + all));
  };
  const tr = (a: number[][], b: number[][]) =>
    a.reduce((s, row, i) => s + row.reduce((t, v, j) => t + v * b[j][i], 0), 0);
  const n2 = (k: number[][]) => k.length ** 2;
  assertEquals(
    checkHsicV((K, L) => tr(centre(K), centre(L)) / n2(K)).status,
    "correct",
  );
  assertEquals(checkHsicV(() => todo()).status, "not yet");
  wrong(checkHsicV((K, L) => tr(K, L) / n2(K)), /Centre the Gram matrices/);
  wrong(
    checkHsicV((K, L) => tr(centre(K), centre(L)) / (K.length - 1) ** 2),
    /n², not \(n − 1\)²/,
  );
  wrong(checkHsicV((K, L) => tr(centre(K), centre(L)) / K.length), /factor n/);

  const goal = (y: number[], q: number) => {
    const t = [...y].sort((a, b) => a - b)[Math.floor(q * (y.length - 1))];
    return y.map((v) => (v <= t ? 1 : 0));
  };
  assertEquals(checkGoalIndicator(goal).status, "correct");
  wrong(
    checkGoalIndicator((y, q) => {
      const t = [...y].sort((a, b) => a - b)[Math.floor(q * (y.length - 1))];
      return y.map((v) => (v >= t ? 1 : 0));
    }),
    /Lower losses are better/,
  );
  wrong(
    checkGoalIndicator((y, q) => y.map((v) => (v <= q ? 1 : 0))),
    /share of the trials/,
  );
  wrong(
    checkGoalIndicator(
      ((y: number[], q: number) =>
        y.map((v) =>
          v <= [...y].sort((a, b) => a - b)[Math.floor(q * (y.length - 1))]
        )) as never,
    ),
    /array of 0s and 1s/,
  );
});

Deno.test("checker: expected improvement and a Hyperband bracket", () => {
  const pdf = (z: number) => Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
  const ei = (mu: number, s: number, best: number) => {
    if (s === 0) return Math.max(best - mu, 0);
    const z = (best - mu) / s;
    return (best - mu) * normalCdf(z) + s * pdf(z);
  };
  assertEquals(checkExpectedImprovement(ei).status, "correct");
  assertEquals(checkExpectedImprovement(() => todo()).status, "not yet");
  wrong(
    checkExpectedImprovement((mu, s, best) => ei(best, s, mu)),
    /We minimise/,
  );
  wrong(
    checkExpectedImprovement((mu, s, best) =>
      s === 0
        ? Math.max(best - mu, 0)
        : (best - mu) * normalCdf((best - mu) / s)
    ),
    /exploration term/,
  );
  wrong(
    checkExpectedImprovement((mu, s, best) => {
      const z = (best - mu) / s;
      return (best - mu) * normalCdf(z) + s * pdf(z);
    }),
    /sigma = 0/,
  );

  const bracket = (R: number, eta: number, s: number, round = Math.floor) => {
    const sMax = Math.floor(Math.log(R) / Math.log(eta) + 1e-9);
    const n = Math.ceil(((sMax + 1) * eta ** s) / (s + 1));
    const i = Array.from({ length: s + 1 }, (_, k) => k);
    return {
      sizes: i.map((k) => round(n * eta ** -k)),
      budgets: i.map((k) => R * eta ** (k - s)),
    };
  };
  assertEquals(
    checkBracket((R, eta, s) => bracket(R, eta, s)).status,
    "correct",
  );
  assertEquals(checkBracket(() => todo()).status, "not yet");
  wrong(
    checkBracket((R, eta, s) => bracket(R, eta, s, Math.ceil)),
    /round down/,
  );
  wrong(
    checkBracket((R, eta, s) => {
      const b = bracket(R, eta, s);
      return { ...b, budgets: b.budgets.reverse() };
    }),
    /Budgets grow/,
  );
  wrong(
    checkBracket((R, eta, s) => {
      const b = bracket(R, eta, s);
      return { sizes: b.sizes.slice(0, -1), budgets: b.budgets.slice(0, -1) };
    }),
    /s \+ 1 rungs/,
  );
});
