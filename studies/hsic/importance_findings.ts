/**
 * The sentences of notebook 06's importance comparison, computed from the
 * table it shows (`compareImportance`'s rows), so they stay true for any
 * study a reader imports: where HSIC and Optuna's evaluators agree, which
 * hyperparameters goal-oriented HSIC ranks higher than fANOVA does, and what
 * Optuna's evaluators leave out.
 *
 * @module
 */

import type { DataFrame } from "../../lib/_frame.ts";
import { spearman } from "../../lib/predict/metrics.ts";
import { type Markdown, markdown } from "../../lib/viz/markdown.ts";

/** One row of `compareImportance`'s table. */
export interface ImportanceRow {
  param: string;
  /** Global R2-HSIC. */
  hsic: number | null;
  /** Goal-oriented R2-HSIC (the best trials against the rest). */
  hsicGoal: number | null;
  /** Permutation p-value of the goal-oriented index. */
  pValue: number | null;
  /** Optuna's fANOVA importance; null where Optuna left the parameter out. */
  fanova: number | null;
  /** Optuna's mean decrease impurity; null likewise. */
  mdi: number | null;
  /** Trials in which the parameter is present. */
  nActive: number;
}

const fmt = (v: number) => Number(v.toPrecision(2)).toString();
// A p-value of 0 means no permutation reached the observed index.
const pText = (p: number) => p === 0 ? "≈ 0" : `= ${fmt(p)}`;

/** 1-based rank of each row by `value`, largest first; rows without a value are skipped. */
function rankBy(
  rows: readonly ImportanceRow[],
  value: (r: ImportanceRow) => number | null,
): Map<string, number> {
  const scored = rows.filter((r) => value(r) !== null)
    .sort((a, b) => value(b)! - value(a)!);
  return new Map(scored.map((r, i) => [r.param, i + 1]));
}

/**
 * What the side-by-side table says, as Markdown: the top parameter of each
 * measure; Spearman's ρ between global HSIC and fANOVA (and MDI) over the
 * parameters all of them rank; each parameter whose goal-oriented HSIC is
 * significant at `alpha` and ranks at least two places higher than fANOVA
 * ranks it; and the parameters Optuna's evaluators left out.
 *
 * @example
 * ```ts
 * import { importanceFindings } from "./importance_findings.ts";
 * const rows = [
 *   { param: "lr", hsic: 0.3, hsicGoal: 0.05, pValue: 0.01, fanova: 0.6, mdi: 0.5, nActive: 50 },
 *   { param: "units", hsic: 0.02, hsicGoal: 0.09, pValue: 0.001, fanova: 0.05, mdi: 0.1, nActive: 50 },
 *   { param: "layers", hsic: 0.1, hsicGoal: 0.01, pValue: 0.4, fanova: 0.3, mdi: 0.3, nActive: 50 },
 *   { param: "momentum", hsic: 0.01, hsicGoal: 0.02, pValue: 0.5, fanova: null, mdi: null, nActive: 20 },
 * ];
 * const text = importanceFindings(rows, { trials: 50 }).text;
 * if (!text.includes("**units**")) throw new Error(text);
 * ```
 */
export function importanceFindings(
  table: DataFrame | readonly ImportanceRow[],
  options: { trials: number; alpha?: number; quantile?: number },
): Markdown {
  const rows: readonly ImportanceRow[] = Array.isArray(table)
    ? table
    : (table as DataFrame).toRecords() as unknown as ImportanceRow[];
  const alpha = options.alpha ?? 0.05;
  const best = `best ${Math.round((options.quantile ?? 0.1) * 100)} %`;
  const lines: string[] = [];
  const top = (value: (r: ImportanceRow) => number | null) =>
    [...rankBy(rows, value)].find(([, rank]) => rank === 1)?.[0];
  const haveOptuna = rows.some((r) => r.fanova !== null);
  const tops = [
    ["global HSIC", top((r) => r.hsic)],
    ["goal-oriented HSIC", top((r) => r.hsicGoal)],
    ...(haveOptuna
      ? [["fANOVA", top((r) => r.fanova)], ["MDI", top((r) => r.mdi)]]
      : []),
  ].filter(([, p]) => p !== undefined);
  lines.push(
    `- **Ranked first**: ${tops.map(([m, p]) => `${m}: ${p}`).join("; ")}.`,
  );
  if (!haveOptuna) {
    lines.push(
      "- Optuna's evaluators did not run here (no python3-optuna), so only HSIC is shown.",
    );
    return markdown(lines.join("\n"));
  }
  const both = rows.filter((r) =>
    r.hsic !== null && r.fanova !== null && r.mdi !== null
  );
  if (both.length >= 3) {
    const rhoF = spearman(both.map((r) => r.hsic!), both.map((r) => r.fanova!));
    const rhoM = spearman(both.map((r) => r.hsic!), both.map((r) => r.mdi!));
    const word = (rho: number) =>
      rho >= 0.7 ? "agree" : rho >= 0.3 ? "partly agree" : "disagree";
    lines.push(
      `- **Global HSIC and Optuna's evaluators ${
        word(Math.min(rhoF, rhoM))
      }** on the order of the ${both.length} parameters they all rank: Spearman's ρ = ${
        fmt(rhoF)
      } with fANOVA and ${fmt(rhoM)} with MDI.`,
    );
  }
  const goal = rankBy(rows, (r) => r.hsicGoal);
  const fanova = rankBy(rows, (r) => r.fanova);
  const seen = rows.filter((r) =>
    r.pValue !== null && r.pValue < alpha && fanova.has(r.param) &&
    fanova.get(r.param)! - goal.get(r.param)! >= 2
  );
  if (seen.length === 0) {
    lines.push(
      `- **Goal-oriented HSIC** ranks no significant parameter (p < ${alpha}) two or more places above fANOVA: on this study, what decides the ${best} is what decides the error overall.`,
    );
  }
  if (seen.length > 0) {
    const which = seen.map((r) =>
      `**${r.param}** (goal-oriented rank ${
        goal.get(r.param)
      } of ${goal.size}, p ${pText(r.pValue!)}; fANOVA rank ${
        fanova.get(r.param)
      } of ${fanova.size})`
    );
    lines.push(
      `- **Goal-oriented HSIC sees what decides the ${best}**: ${
        which.join(", ")
      } ${
        seen.length === 1 ? "ranks" : "rank"
      } higher for reaching the ${best} than for the error on average, which a variance decomposition of the whole error (fANOVA) cannot see.`,
    );
  }
  for (const r of rows.filter((r) => r.fanova === null)) {
    const p = r.pValue === null ? "" : `, p = ${fmt(r.pValue)}`;
    lines.push(
      `- **${r.param}** is present in ${r.nActive} of ${options.trials} trials: Optuna's evaluators rank only parameters present in every trial and leave it out; HSIC measures it on the trials that have it (goal-oriented R2-HSIC ${
        r.hsicGoal === null ? "n/a" : fmt(r.hsicGoal)
      }${p}${
        r.pValue !== null && r.pValue >= alpha ? ", not significant" : ""
      }).`,
    );
  }
  return markdown(lines.join("\n"));
}
