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
import type { CurvePoint } from "../../lib/search/compare.ts";
import { chooseMethod } from "../../lib/search/auto.ts";
import type { MatrixCondition } from "../../lib/search/matrix.ts";
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

/**
 * One condition's regret per method against the budget, mean ± one standard
 * error over seeds (the points `curvesChart` draws), for the methods `keep`
 * accepts (default all).
 *
 * @example
 * ```ts
 * import { regretCurves } from "./matrix_findings.ts";
 * const row = (budget: number, seed: number, regret: number) => ({ condition: "c", group: "g", method: "m", budget, seed, best: regret, regret });
 * const pts = regretCurves([row(10, 0, 1), row(10, 1, 3), row(20, 0, 1), row(20, 1, 1)], "c");
 * if (pts[0].mean !== 2 || pts[0].high !== 3 || pts[1].low !== 1) throw new Error();
 * ```
 */
export function regretCurves(
  rows: readonly MatrixRow[],
  condition: string,
  keep: (method: string) => boolean = () => true,
): CurvePoint[] {
  return summarise(
    rows.filter((r) => r.condition === condition && keep(r.method)),
  ).map((c) => ({
    method: c.method,
    x: c.budget,
    mean: c.mean,
    low: c.mean - c.se,
    high: c.mean + c.se,
  })).sort((a, b) => a.method.localeCompare(b.method) || a.x - b.x);
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
 * methods (peers and `auto` left out). Cells where none of the named
 * methods ran are left out; a claim with no cell left says so.
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
    // A cell where none of the named methods ran does not test the claim.
    const tested = new Set(
      mine.filter((c) => claim.methods.includes(c.method)).map((c) =>
        `${c.condition}\u0000${c.budget}`
      ),
    );
    const untested = mine.length > 0 &&
      mine.every((c) => !tested.has(`${c.condition}\u0000${c.budget}`));
    if (untested) {
      lines.push(
        `- **${claim.claim}**: not tested here: ${
          claim.methods.join(", ")
        } did not run on ${
          [...new Set(mine.map((c) => c.condition))].join(", ")
        }.`,
      );
      continue;
    }
    const counts = { confirmed: 0, "not contradicted": 0, corrected: 0 };
    const perCondition: string[] = [];
    for (const condition of [...new Set(mine.map((c) => c.condition))]) {
      const budgets = [
        ...new Set(
          mine.filter((c) => c.condition === condition).map((c) => c.budget),
        ),
      ].sort((a, b) => a - b).filter((b) =>
        tested.has(`${condition}\u0000${b}`)
      );
      if (budgets.length === 0) continue;
      const parts = budgets.map((b) => {
        const v = verdictOf(
          mine.filter((c) => c.condition === condition && c.budget === b),
          claim,
        );
        counts[v.verdict]++;
        if (v.verdict === "confirmed") {
          return `at ${b} confirmed (${v.first.method} ${fmt(v.first.mean)})`;
        }
        const named = `${v.named!.method} ${fmt(v.named!.mean)} ± ${
          fmt(v.named!.se)
        }`;
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

/** One rule of `auto` at one budget, against the table. */
export interface AutoRuleCheck {
  /** The rule that fired (`AutoChoice.rule`). */
  rule: string;
  /** The budget. */
  budget: number;
  /** The conditions whose cells at this budget fall under the rule. */
  conditions: string[];
  /** The member `auto` runs under this rule ("a → b" when it switches). */
  chosen: string;
  /** Its mean normalised rank over those cells (null: it did not run). */
  chosenRank: number | null;
  /** The single method with the best mean rank over those cells. */
  best: string;
  /** That rank. */
  bestRank: number;
}

/**
 * `auto`'s rule table against a matrix table: every cell (condition ×
 * budget) is put under the rule `chooseMethod` fires for that condition's
 * space and fidelity at that budget (noisy conditions under their
 * noise-free kind's rule, since noise is not a setting), and per rule and
 * budget the member `auto` runs is compared with the single method of the
 * best mean normalised rank over those cells (ranks among infolens's single
 * methods: no peers, not `auto`). A method that did not run on every cell
 * of the group is not a candidate. Conditions of the rows without a
 * definition in `conditions` are left out. Where the rule switches members
 * mid-run (`AutoChoice.then`), no single method's cells are `auto`'s, so
 * `chosen` reads "first → second" and its rank is `auto`'s own, ranked
 * with the single methods in those cells (null when the rows have no
 * `auto`).
 *
 * @example
 * ```ts
 * import { autoRuleCheck } from "./matrix_findings.ts";
 * import { matrixConditions } from "../../lib/search/matrix_conditions.ts";
 * const conditions = await matrixConditions({ only: ["branin"] });
 * const row = (method: string, regret: number) => ({ condition: "branin", group: "small-continuous", method, budget: 50, seed: 0, best: regret, regret });
 * const [check] = autoRuleCheck([row("tpe-multivariate", 0.1), row("gp-ei", 0.2)], conditions);
 * if (check.rule !== "numeric-small" || check.best !== "tpe-multivariate" || check.chosenRank !== 0) throw new Error();
 * ```
 */
export function autoRuleCheck(
  rows: readonly MatrixRow[],
  conditions: readonly MatrixCondition[],
): AutoRuleCheck[] {
  const byName = new Map(conditions.map((c) => [c.name, c]));
  const cells = summarise(
    rows.filter((r) => isFamilyMethod(r.method) && byName.has(r.condition)),
  );
  // A switching rule is judged by auto's own cells, ranked with the rest.
  const withAuto = summarise(
    rows.filter((r) =>
      (isFamilyMethod(r.method) || r.method === "auto") &&
      byName.has(r.condition)
    ),
  );
  const groups = new Map<
    string,
    { rule: string; budget: number; chosen: string; cells: MatrixCell[] }
  >();
  for (const c of withAuto) {
    const cond = byName.get(c.condition)!;
    const choice = chooseMethod({
      space: cond.space,
      budget: c.budget,
      fidelity: cond.fidelity,
    });
    const switching = choice.then !== undefined;
    if (c.method === "auto" && !switching) continue;
    const key = `${choice.rule}\u0000${c.budget}`;
    const g = groups.get(key) ??
      groups.set(key, {
        rule: choice.rule,
        budget: c.budget,
        chosen: switching
          ? `${choice.method} → ${choice.then!.method}`
          : choice.method,
        cells: [],
      }).get(key)!;
    g.cells.push(
      switching
        ? c
        : cells.find((x) =>
          x.condition === c.condition && x.method === c.method &&
          x.budget === c.budget
        )!,
    );
  }
  return [...groups.values()].map((g) => {
    const names = [...new Set(g.cells.map((c) => c.condition))];
    const mean = (m: string) => {
      const rs = g.cells.filter((c) => c.method === m);
      return rs.length === names.length
        ? rs.reduce((a, c) => a + c.rank, 0) / rs.length
        : null;
    };
    const ranked = [...new Set(g.cells.map((c) => c.method))]
      .filter((m) => m !== "auto")
      .map((m) => ({ m, r: mean(m) }))
      .filter((x): x is { m: string; r: number } => x.r !== null)
      .sort((a, b) => a.r - b.r || a.m.localeCompare(b.m));
    return {
      rule: g.rule,
      budget: g.budget,
      conditions: names,
      chosen: g.chosen,
      chosenRank: mean(g.chosen.includes(" → ") ? "auto" : g.chosen),
      best: ranked[0].m,
      bestRank: ranked[0].r,
    };
  }).sort((a, b) => a.rule.localeCompare(b.rule) || a.budget - b.budget);
}

/**
 * In words: in how many rule × budget groups `auto`'s member is the
 * table's best (or within `tolerance` of its mean rank, default 0.05), and
 * the groups where it is not.
 *
 * @example
 * ```ts
 * import { autoRuleFindings } from "./matrix_findings.ts";
 * const check = { rule: "numeric-small", budget: 50, conditions: ["branin"], chosen: "tpe", chosenRank: 0.5, best: "gp-ei", bestRank: 0 };
 * const text = autoRuleFindings([check]).text;
 * if (!text.includes("numeric-small at 50: auto runs tpe (0.50), the table's best is gp-ei (0.00)")) throw new Error(text);
 * ```
 */
export function autoRuleFindings(
  checks: readonly AutoRuleCheck[],
  tolerance = 0.05,
): Markdown {
  const off = checks.filter((c) =>
    c.chosenRank === null || c.chosenRank > c.bestRank + tolerance
  );
  const lines = [
    `- \`auto\`'s member is the table's best, or within ${tolerance} of its mean rank, in ${
      checks.length - off.length
    } of ${checks.length} rule × budget groups.`,
  ];
  for (const c of off) {
    lines.push(
      `- ${c.rule} at ${c.budget}: auto runs ${c.chosen} (${
        c.chosenRank === null ? "not in the table" : c.chosenRank.toFixed(2)
      }), the table's best is ${c.best} (${c.bestRank.toFixed(2)}) over ${
        c.conditions.join(", ")
      }.`,
    );
  }
  if (off.length === 0) {
    lines.push("- No rule needs changing for this table.");
  }
  return markdown(lines.join("\n"));
}
