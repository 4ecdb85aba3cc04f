/**
 * The findings of notebook 07 ("which method when"), computed from the
 * benchmark matrix's rows (the CSV of `deno task bench matrix`, shipped as
 * data/search_matrix.csv): the rank heatmap's data, the winner of each
 * condition at each budget, and sentences that confirm or correct the
 * preliminary reading of issue 24 cell by cell, plus how `auto` fares.
 *
 * The reading: "BOHB when several fidelities can be evaluated; GP-based BO
 * for small continuous spaces and tight budgets; random forests (SMAC) or
 * TPE for large conditional spaces". A cell is confirmed when the method
 * the reading names ranks first among infolens's methods; not contradicted
 * when it is within 2 standard errors of the first; corrected otherwise.
 *
 * @module
 */

import { join } from "node:path";
import {
  averageRanks,
  type MatrixCell,
  type MatrixRow,
  parseMatrixCsv,
  summarise,
} from "../../lib/search/matrix.ts";
import { type Markdown, markdown } from "../../lib/viz/markdown.ts";
import type { RankCell } from "../../lib/viz/matrix_charts.ts";

/** The shipped matrix table (see data/README.md). */
export function searchMatrixPath(): string {
  return join(import.meta.dirname!, "..", "..", "data", "search_matrix.csv");
}

/** The shipped matrix table's rows. */
export async function readSearchMatrix(
  path: string = searchMatrixPath(),
): Promise<MatrixRow[]> {
  return parseMatrixCsv(await Deno.readTextFile(path));
}

/** Whether `method` is one of infolens's single methods (not a peer, not auto). */
export function isFamilyMethod(method: string): boolean {
  return !method.startsWith("optuna-") && method !== "auto";
}

/**
 * Each method's normalised rank per condition, averaged over budgets: the
 * heatmap's cells (ranks among every method in the rows, peers included).
 *
 * @example
 * ```ts
 * import { rankHeatmapData } from "./matrix_findings.ts";
 * const row = (method: string, regret: number) => ({ condition: "c", group: "g", method, budget: 10, seed: 0, best: regret, regret });
 * const cells = rankHeatmapData([row("a", 1), row("b", 2)]);
 * if (cells.find((c) => c.method === "b")!.rank !== 1) throw new Error();
 * ```
 */
export function rankHeatmapData(rows: readonly MatrixRow[]): RankCell[] {
  return averageRanks(summarise(rows)).map(({ condition, method, rank }) => ({
    condition,
    method,
    rank,
  }));
}

/** The first method of one condition at one budget, and the runner-up. */
export interface MatrixWinner {
  /** The condition. */
  condition: string;
  /** Its group. */
  group: string;
  /** The budget. */
  budget: number;
  /** The method with the lowest mean regret. */
  method: string;
  /** Its mean regret and standard error. */
  mean: number;
  /** Standard error of `mean`. */
  se: number;
  /** The second method, when there is one. */
  second?: { method: string; mean: number; se: number };
}

/**
 * Per condition and budget, the method with the lowest mean regret among
 * the rows' methods that `keep` accepts (default infolens's own, see
 * {@linkcode isFamilyMethod}), with the runner-up.
 *
 * @example
 * ```ts
 * import { matrixWinners } from "./matrix_findings.ts";
 * const row = (method: string, budget: number, regret: number) => ({ condition: "c", group: "g", method, budget, seed: 0, best: regret, regret });
 * const w = matrixWinners([row("tpe", 10, 1), row("gp-ei", 10, 2), row("tpe", 20, 0.5), row("gp-ei", 20, 0.1)]);
 * if (w.map((x) => x.method).join() !== "tpe,gp-ei") throw new Error();
 * ```
 */
export function matrixWinners(
  rows: readonly MatrixRow[],
  keep: (method: string) => boolean = isFamilyMethod,
): MatrixWinner[] {
  const cells = summarise(rows.filter((r) => keep(r.method)));
  const keys = [
    ...new Set(cells.map((c) => `${c.condition}\u0000${c.budget}`)),
  ];
  return keys.map((key) => {
    const list = cells.filter((c) => `${c.condition}\u0000${c.budget}` === key)
      .sort((a, b) => a.rank - b.rank || a.mean - b.mean);
    const [first, second] = list;
    return {
      condition: first.condition,
      group: first.group,
      budget: first.budget,
      method: first.method,
      mean: first.mean,
      se: first.se,
      ...(second
        ? {
          second: { method: second.method, mean: second.mean, se: second.se },
        }
        : {}),
    };
  }).sort((a, b) =>
    a.condition.localeCompare(b.condition) || a.budget - b.budget
  );
}

/** One claim of the preliminary reading. */
export interface ReadingClaim {
  /** The claim in words. */
  claim: string;
  /** The condition groups it is about. */
  groups: readonly string[];
  /** The methods it names. */
  methods: readonly string[];
  /** The budgets it is about (all when absent). */
  maxBudget?: number;
}

/** Issue 24's preliminary reading, as claims about groups of conditions. */
export const PRELIMINARY_READING: readonly ReadingClaim[] = [
  {
    claim: "BOHB when several fidelities can be evaluated",
    groups: ["multi-fidelity"],
    methods: ["bohb"],
  },
  {
    claim: "GP-based BO for small continuous spaces and tight budgets",
    groups: ["small-continuous"],
    methods: ["gp-ei"],
    maxBudget: 50,
  },
  {
    claim: "random forests (SMAC) or TPE for large conditional spaces",
    groups: ["conditional"],
    methods: ["rf-smbo", "tpe", "tpe-multivariate"],
  },
];

const fmt = (x: number) =>
  x === 0
    ? "0"
    : Math.abs(x) >= 1000 || Math.abs(x) < 0.01
    ? x.toExponential(1)
    : x.toPrecision(2);

/** A claim's verdict in one cell (condition × budget). */
export type CellVerdict = "confirmed" | "not contradicted" | "corrected";

/**
 * The verdict of `claim` in one summarised cell list (one condition and
 * budget): confirmed when a named method is first, not contradicted when
 * the best named one is within 2 SE of the first, else corrected.
 */
function verdictOf(
  list: readonly MatrixCell[],
  claim: ReadingClaim,
): { verdict: CellVerdict; first: MatrixCell; named?: MatrixCell } {
  const sorted = [...list].sort((a, b) => a.rank - b.rank || a.mean - b.mean);
  const first = sorted[0];
  const named = sorted.find((c) => claim.methods.includes(c.method));
  if (named === undefined) return { verdict: "corrected", first };
  if (named.rank === first.rank) {
    return { verdict: "confirmed", first: named, named };
  }
  const close = named.mean - 2 * named.se <= first.mean + 2 * first.se;
  return { verdict: close ? "not contradicted" : "corrected", first, named };
}

/**
 * The preliminary reading confirmed or corrected cell by cell: for each
 * claim, one line per condition of its groups listing each budget's
 * verdict (with the first method and the named one's mean regret where they
 * differ), then how many cells confirm it. Ranks are among infolens's own
 * methods (peers and `auto` left out). A claim with no rows says so.
 *
 * @example
 * ```ts
 * import { readingFindings } from "./matrix_findings.ts";
 * const row = (method: string, regret: number) => ({ condition: "mf", group: "multi-fidelity", method, budget: 20, seed: 0, best: regret, regret });
 * const text = readingFindings([row("bohb", 0.1), row("hyperband", 0.5)]).text;
 * if (!text.includes("mf: at 20 confirmed")) throw new Error(text);
 * ```
 */
export function readingFindings(
  rows: readonly MatrixRow[],
  claims: readonly ReadingClaim[] = PRELIMINARY_READING,
): Markdown {
  const cells = summarise(rows.filter((r) => isFamilyMethod(r.method)));
  const lines: string[] = [];
  for (const claim of claims) {
    const mine = cells.filter((c) =>
      claim.groups.includes(c.group) &&
      (claim.maxBudget === undefined || c.budget <= claim.maxBudget)
    );
    if (mine.length === 0) {
      lines.push(`- **${claim.claim}**: no condition of the table tests it.`);
      continue;
    }
    const counts = { confirmed: 0, "not contradicted": 0, corrected: 0 };
    const perCondition: string[] = [];
    for (const condition of [...new Set(mine.map((c) => c.condition))]) {
      const budgets = [
        ...new Set(
          mine.filter((c) => c.condition === condition).map((c) => c.budget),
        ),
      ].sort((a, b) => a - b);
      const parts = budgets.map((b) => {
        const v = verdictOf(
          mine.filter((c) => c.condition === condition && c.budget === b),
          claim,
        );
        counts[v.verdict]++;
        if (v.verdict === "confirmed") {
          return `at ${b} confirmed (${v.first.method} ${fmt(v.first.mean)})`;
        }
        const named = v.named
          ? `${v.named.method} ${fmt(v.named.mean)} ± ${fmt(v.named.se)}`
          : `${claim.methods.join("/")} did not run`;
        return `at ${b} ${v.verdict}: ${v.first.method} first (${
          fmt(v.first.mean)
        } ± ${fmt(v.first.se)}), ${named}`;
      });
      perCondition.push(`  - ${condition}: ${parts.join("; ")}.`);
    }
    const total = counts.confirmed + counts["not contradicted"] +
      counts.corrected;
    const overall = counts.corrected === 0
      ? "holds"
      : counts.confirmed + counts["not contradicted"] === 0
      ? "is corrected"
      : "holds in part";
    lines.push(
      `- **${claim.claim}** ${overall}: confirmed in ${counts.confirmed} of ${total} cells, not contradicted (within 2 SE) in ${
        counts["not contradicted"]
      }, corrected in ${counts.corrected}.`,
      ...perCondition,
    );
  }
  return markdown(lines.join("\n"));
}

/** A method's mean normalised rank over the conditions it ran on. */
export interface OverallRank {
  /** The method. */
  method: string;
  /** Mean rank (0 best). */
  rank: number;
  /** Conditions it ran on. */
  conditions: number;
}

/**
 * Every method's mean normalised rank over the conditions it ran on, best
 * first (the table `deno task bench matrix` prints last).
 *
 * @example
 * ```ts
 * import { overallRanks } from "./matrix_findings.ts";
 * const row = (condition: string, method: string, regret: number) => ({ condition, group: "g", method, budget: 10, seed: 0, best: regret, regret });
 * const r = overallRanks([row("a", "x", 1), row("a", "y", 2), row("b", "x", 2), row("b", "y", 1)]);
 * if (r[0].rank !== 0.5 || r[0].conditions !== 2) throw new Error();
 * ```
 */
export function overallRanks(rows: readonly MatrixRow[]): OverallRank[] {
  const ranks = averageRanks(summarise(rows));
  const methods = [...new Set(ranks.map((r) => r.method))];
  return methods.map((method) => {
    const rs = ranks.filter((r) => r.method === method).map((r) => r.rank);
    return {
      method,
      rank: rs.reduce((a, b) => a + b, 0) / rs.length,
      conditions: rs.length,
    };
  }).sort((a, b) => a.rank - b.rank || a.method.localeCompare(b.method));
}

/**
 * How `auto` fares against issue 24's target: its mean normalised rank
 * against every single method that ran on every condition auto ran on
 * (peers included), and the cells where it ends worse than random search
 * by more than 2 standard errors.
 *
 * @example
 * ```ts
 * import { autoFindings } from "./matrix_findings.ts";
 * const row = (method: string, regret: number) => ({ condition: "c", group: "g", method, budget: 10, seed: 0, best: regret, regret });
 * const text = autoFindings([row("auto", 0.1), row("random", 1), row("tpe", 0.5)]).text;
 * if (!text.includes("ahead of every method")) throw new Error(text);
 * ```
 */
export function autoFindings(rows: readonly MatrixRow[]): Markdown {
  const overall = overallRanks(rows);
  const auto = overall.find((o) => o.method === "auto");
  if (!auto) return markdown("- `auto` has no rows in this table.");
  const full = overall.filter((o) =>
    o.method !== "auto" && o.conditions >= auto.conditions
  );
  const ahead = full.filter((o) => o.rank <= auto.rank);
  const lines = [
    ahead.length === 0
      ? `- \`auto\`'s mean normalised rank, ${
        auto.rank.toFixed(3)
      } over ${auto.conditions} conditions, is ahead of every method that ran on as many (best of them: ${
        full[0]?.method ?? "none"
      } ${full[0]?.rank.toFixed(3) ?? ""}).`
      : `- \`auto\`'s mean normalised rank, ${
        auto.rank.toFixed(3)
      } over ${auto.conditions} conditions, is behind ${
        ahead.map((o) => `${o.method} (${o.rank.toFixed(3)})`).join(", ")
      }: the target (better than every single method) is not met.`,
  ];
  const cells = summarise(rows);
  const worse: string[] = [];
  for (const a of cells.filter((c) => c.method === "auto")) {
    const r = cells.find((c) =>
      c.method === "random" && c.condition === a.condition &&
      c.budget === a.budget
    );
    if (r && a.mean - 2 * a.se > r.mean + 2 * r.se) {
      worse.push(
        `${a.condition} at ${a.budget} (${fmt(a.mean)} against ${fmt(r.mean)})`,
      );
    }
  }
  lines.push(
    worse.length === 0
      ? "- In no cell does `auto` end worse than random search by more than 2 SE."
      : `- \`auto\` ends worse than random search by more than 2 SE in ${worse.length} cell(s): ${
        worse.join(", ")
      }.`,
  );
  return markdown(lines.join("\n"));
}
