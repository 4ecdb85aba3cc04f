/**
 * The sentences of notebook 04, computed from the curves it shows: each
 * method's final regret (mean ± SE over seeds), as a table and as a verdict
 * against a baseline. "Beats" means lower by more than two standard errors.
 *
 * @module
 */

import type { CurvePoint } from "../../lib/search/compare.ts";
import { type Markdown, markdown } from "../../lib/viz/markdown.ts";

/** One method's last point: regret, mean and standard error over seeds. */
export interface FinalRegret {
  method: string;
  /** Where the curve ends (evaluations or cost). */
  at: number;
  regret: number;
  se: number;
}

/**
 * The last point of each method's curve, lowest mean regret first, with
 * regrets to 3 significant digits.
 *
 * @example
 * ```ts
 * import { finalRegrets } from "./findings.ts";
 * const [first] = finalRegrets([
 *   { method: "random", x: 10, mean: 0.5, low: 0.4, high: 0.6 },
 *   { method: "tpe", x: 10, mean: 0.1234, low: 0.1, high: 0.1468 },
 * ]);
 * if (first.method !== "tpe" || first.regret !== 0.123) throw new Error(JSON.stringify(first));
 * ```
 */
export function finalRegrets(points: readonly CurvePoint[]): FinalRegret[] {
  const last = new Map<string, CurvePoint>();
  for (const p of points) {
    const seen = last.get(p.method);
    if (!seen || p.x >= seen.x) last.set(p.method, p);
  }
  const r3 = (v: number) => Number(v.toPrecision(3));
  return [...last.values()]
    .map((p) => ({
      method: p.method,
      at: p.x,
      regret: r3(p.mean),
      se: r3(p.high - p.mean),
    }))
    .sort((a, b) => a.regret - b.regret);
}

/**
 * In words: the method with the lowest final regret, and which methods end
 * lower than `baseline` by more than two standard errors and which do not.
 *
 * @example
 * ```ts
 * import { regretFindings } from "./findings.ts";
 * const p = (method: string, mean: number) => ({ method, x: 50, mean, low: mean - 0.01, high: mean + 0.01 });
 * const text = regretFindings([p("random", 0.5), p("tpe", 0.1), p("bore", 0.49)], "random").text;
 * if (!text.includes("lower than random by more than 2 SE: tpe;")) throw new Error(text);
 * ```
 */
export function regretFindings(
  points: readonly CurvePoint[],
  baseline: string,
): Markdown {
  const finals = finalRegrets(points);
  const base = finals.find((f) => f.method === baseline);
  if (!base) throw new Error(`no curve for the baseline "${baseline}"`);
  const others = finals.filter((f) => f.method !== baseline);
  const beats = others.filter((f) =>
    f.regret + 2 * f.se < base.regret - 2 * base.se
  );
  const list = (fs: FinalRegret[]) =>
    fs.length ? fs.map((f) => f.method).join(", ") : "none";
  const best = finals[0];
  return markdown([
    `- Lowest final regret: **${best.method}** (${best.regret} ± ${best.se}); ` +
    `${baseline}: ${base.regret} ± ${base.se}.`,
    `- Methods ending lower than ${baseline} by more than 2 SE: ${
      list(beats)
    }; not: ${list(others.filter((f) => !beats.includes(f)))}.`,
  ].join("\n"));
}

/**
 * In words: the best of a group of methods (e.g. the architecture-aware
 * ones) at the curves' end against one `baseline`, with its verdict —
 * lower by more than 2 SE, within 2 SE, or higher by more than 2 SE — and
 * the group's final regrets, lowest first.
 *
 * @example
 * ```ts
 * import { groupFindings } from "./findings.ts";
 * const p = (method: string, mean: number) => ({ method, x: 50, mean, low: mean - 0.01, high: mean + 0.01 });
 * const text = groupFindings([p("gp-ei", 0.5), p("gp-wl", 0.1), p("bananas", 0.3)], ["gp-wl", "bananas"], "gp-ei").text;
 * if (!text.includes("**gp-wl** (0.1 ± 0.01) against gp-ei's 0.5 ± 0.01: lower by more than 2 SE")) throw new Error(text);
 * ```
 */
export function groupFindings(
  points: readonly CurvePoint[],
  group: readonly string[],
  baseline: string,
): Markdown {
  const finals = finalRegrets(points);
  const base = finals.find((f) => f.method === baseline);
  if (!base) throw new Error(`no curve for the baseline "${baseline}"`);
  const members = finals.filter((f) => group.includes(f.method));
  if (members.length === 0) {
    throw new Error(`no curve for any of ${group.join(", ")}`);
  }
  const best = members[0];
  const verdict = best.regret + 2 * best.se < base.regret - 2 * base.se
    ? "lower by more than 2 SE"
    : best.regret - 2 * best.se > base.regret + 2 * base.se
    ? "higher by more than 2 SE"
    : "within 2 SE of it";
  return markdown([
    `- Best of ${members.length} at ${best.at} evaluations: **${best.method}** ` +
    `(${best.regret} ± ${best.se}) against ${baseline}'s ${base.regret} ± ${base.se}: ${verdict}.`,
    `- Final regret, lowest first: ${
      members.map((f) => `${f.method} ${f.regret} ± ${f.se}`).join(", ")
    }.`,
  ].join("\n"));
}
