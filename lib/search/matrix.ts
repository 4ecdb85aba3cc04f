/**
 * The benchmark matrix: conditions × methods × budgets × seeds, to find which
 * search method suits which conditions. A condition is data (a space, an
 * objective, its optimum, and whether it has fidelities or an architecture);
 * {@linkcode benchmarkMatrix} runs every applicable method on it and returns
 * one row per cell and seed, the regret's mean ± SE per cell, and normalised
 * ranks per condition. `matrixConditions` (matrix_conditions.ts) builds the standard
 * conditions (studies and `deno task bench matrix` use them).
 *
 * @module
 */

import type { Config, SearchSpace } from "../space/space.ts";
import { Random } from "../space/random.ts";
import { architectureOf } from "./arch_graph.ts";
import { searcherFactory, type SearchMethod } from "./registry.ts";
import { type Fidelity, SearchError } from "./searcher.ts";
import type { TestFunction } from "./functions.ts";

/** One condition of the matrix: what is searched and what counts as found. */
export interface MatrixCondition {
  /** A unique name, e.g. "branin" or "levy-20d-noisy". */
  name: string;
  /**
   * The kind of condition, for grouping: "small-continuous",
   * "large-continuous", "conditional", "architecture", "multi-fidelity",
   * "noisy", or any other.
   */
  group: string;
  /** The space searched. */
  space: SearchSpace;
  /** Whether smaller values are better; default true. */
  minimize?: boolean;
  /** The best value reachable (regret is measured from it), when known. */
  optimum?: number;
  /**
   * The observed value of `config` (at `budget` for multi-fidelity
   * conditions, null otherwise); `random` is a stream seeded per run, for
   * observation noise.
   */
  evaluate(
    config: Config,
    budget: number | null,
    random: Random,
  ): number | Promise<number>;
  /**
   * The noise-free value at the full budget, used for regret; default
   * `evaluate` at the full budget.
   */
  truth?(config: Config): number;
  /** Budgets, when the objective can be evaluated at several fidelities. */
  fidelity?: Required<Fidelity>;
  /** True for conditions too slow for default runs (real training). */
  slow?: boolean;
}

/** One run's result at one budget: a row of the matrix. */
export interface MatrixRow {
  /** The condition's name. */
  condition: string;
  /** The condition's group. */
  group: string;
  /** The registered method. */
  method: string;
  /** Evaluations (or full-budget cost for multi-fidelity conditions). */
  budget: number;
  /** The run's seed. */
  seed: number;
  /** The best (noise-free) value of the incumbent, or null if none yet. */
  best: number | null;
  /** |best − optimum|, or null when the optimum is unknown or none found. */
  regret: number | null;
}

/** Mean ± standard error of one cell: condition × method × budget. */
export interface MatrixCell {
  /** The condition's name. */
  condition: string;
  /** The condition's group. */
  group: string;
  /** The method. */
  method: string;
  /** The budget. */
  budget: number;
  /** Seeds with a result. */
  n: number;
  /** Mean regret (or mean best value when the optimum is unknown). */
  mean: number;
  /** Standard error of `mean` (0 with one seed). */
  se: number;
  /**
   * The method's rank among the methods run on this condition at this budget
   * (by `mean`, better first, ties shared), scaled to [0, 1]: 0 is best.
   */
  rank: number;
}

/** A method's normalised rank on one condition, averaged over budgets. */
export interface MatrixRank {
  /** The condition's name. */
  condition: string;
  /** The condition's group. */
  group: string;
  /** The method. */
  method: string;
  /** Mean of the cells' `rank` over budgets (0 best, 1 worst). */
  rank: number;
}

/** What {@linkcode benchmarkMatrix} returns. */
export interface MatrixResult {
  /** One row per condition × method × budget × seed. */
  rows: MatrixRow[];
  /** One per condition × method × budget. */
  cells: MatrixCell[];
  /** One per condition × method. */
  ranks: MatrixRank[];
  /** Method × condition pairs left out, with why. */
  skipped: { condition: string; method: string; why: string }[];
}

/** Options of {@linkcode benchmarkMatrix}. */
export interface MatrixOptions {
  /** The conditions. */
  conditions: readonly MatrixCondition[];
  /** Registered methods; each runs where it applies ({@linkcode methodApplies}). */
  methods: readonly SearchMethod[];
  /** Budgets to report at, e.g. [20, 50, 100, 200]; each run goes to the largest. */
  budgets: readonly number[];
  /** Seeds 0 … seeds − 1, or the seeds themselves. */
  seeds: number | readonly number[];
  /** Called after each run (condition, method, seed), e.g. for progress. */
  onCell?: (
    rows: readonly MatrixRow[],
    run: { condition: string; method: string; seed: number; seconds: number },
  ) => void;
}

/** Methods that search budgets and so need a condition with fidelities. */
export const MULTI_FIDELITY_METHODS: ReadonlySet<string> = new Set([
  "hyperband",
  "successive-halving",
  "hyperband-li",
  "successive-halving-li",
  "bohb",
]);

/** Methods that read a declared architecture (see `declareArchitecture`). */
export const ARCHITECTURE_METHODS: ReadonlySet<string> = new Set([
  "local-search",
  "gp-wl",
  "bananas",
  "nasbot",
  "gp-ssk",
]);

/**
 * Whether `method` runs on `condition`, and if not, why: multi-fidelity
 * methods need fidelities, architecture-aware ones a declared architecture.
 *
 * @example
 * ```ts
 * import { methodApplies } from "./matrix.ts";
 * import { matrixConditions } from "./matrix_conditions.ts";
 * const [branin] = await matrixConditions({ only: ["branin"] });
 * if (methodApplies("bohb", branin) === true) throw new Error();
 * if (methodApplies("tpe", branin) !== true) throw new Error();
 * ```
 */
export function methodApplies(
  method: string,
  condition: MatrixCondition,
): true | string {
  if (MULTI_FIDELITY_METHODS.has(method) && !condition.fidelity) {
    return "multi-fidelity method, condition has one fidelity";
  }
  if (ARCHITECTURE_METHODS.has(method) && !architectureOf(condition.space)) {
    return "architecture-aware method, condition declares no architecture";
  }
  return true;
}

/**
 * Runs every applicable method on every condition for every seed, up to the
 * largest budget, and reports the incumbent at each budget. A run is one
 * ask/tell loop, so a method that plans by its budget plans for the largest
 * one and the smaller budgets are read off the way there — except the
 * methods in {@linkcode RUN_PER_BUDGET} (`auto`, whose member depends on the
 * budget), which run once per budget, as a user with that budget would.
 *
 * The incumbent is the configuration with the best observed value; its
 * noise-free value (`truth`) is what counts, so noisy conditions are judged
 * on what a user would pick. On conditions with fidelities a run stops when
 * its cost reaches `budget` full-budget evaluations, and only full-budget
 * results can be the incumbent.
 *
 * @example
 * ```ts
 * import { benchmarkMatrix } from "./matrix.ts";
 * import { matrixConditions } from "./matrix_conditions.ts";
 * const conditions = await matrixConditions({ only: ["branin"] });
 * const { rows, ranks } = await benchmarkMatrix({
 *   conditions, methods: ["random", "tpe"], budgets: [5, 10], seeds: 2,
 * });
 * if (rows.length !== 2 * 2 * 2 || ranks.length !== 2) throw new Error();
 * ```
 */
export async function benchmarkMatrix(
  options: MatrixOptions,
): Promise<MatrixResult> {
  const budgets = [...options.budgets].sort((a, b) => a - b);
  if (
    budgets.length === 0 || !budgets.every((b) => Number.isInteger(b) && b > 0)
  ) {
    throw new SearchError(
      `benchmarkMatrix: budgets must be positive integers, got [${options.budgets}]`,
    );
  }
  const seeds = typeof options.seeds === "number"
    ? Array.from({ length: options.seeds }, (_, i) => i)
    : [...options.seeds];
  if (seeds.length === 0) {
    throw new SearchError("benchmarkMatrix: give at least one seed");
  }
  const names = new Set<string>();
  for (const c of options.conditions) {
    if (names.has(c.name)) {
      throw new SearchError(`benchmarkMatrix: two conditions named ${c.name}`);
    }
    names.add(c.name);
  }
  const rows: MatrixRow[] = [];
  const skipped: MatrixResult["skipped"] = [];
  for (const condition of options.conditions) {
    for (const method of options.methods) {
      const applies = methodApplies(method, condition);
      if (applies !== true) {
        skipped.push({ condition: condition.name, method, why: applies });
        continue;
      }
      for (const seed of seeds) {
        const t0 = performance.now();
        const run: MatrixRow[] = [];
        if (RUN_PER_BUDGET.has(method)) {
          for (const b of budgets) {
            run.push(...await runOne(condition, method, seed, [b]));
          }
        } else run.push(...await runOne(condition, method, seed, budgets));
        rows.push(...run);
        options.onCell?.(run, {
          condition: condition.name,
          method,
          seed,
          seconds: (performance.now() - t0) / 1000,
        });
      }
    }
  }
  const cells = summarise(rows, options.conditions);
  return { rows, cells, ranks: averageRanks(cells), skipped };
}

/**
 * Methods whose choices depend on the budget they are given, so that
 * reading a smaller budget off a longer run would not be what a user with
 * that budget gets: {@linkcode benchmarkMatrix} runs them once per budget.
 */
export const RUN_PER_BUDGET: ReadonlySet<string> = new Set(["auto"]);

async function runOne(
  condition: MatrixCondition,
  method: SearchMethod,
  seed: number,
  budgets: readonly number[],
): Promise<MatrixRow[]> {
  const minimize = condition.minimize ?? true;
  const fidelity = condition.fidelity;
  const last = budgets[budgets.length - 1];
  const searcher = searcherFactory(method)({
    space: condition.space,
    seed,
    minimize,
    budget: last,
    fidelity,
  });
  const noise = new Random(seed, `matrix-noise/${condition.name}`);
  const truth = condition.truth ??
    ((c: Config) => condition.evaluate(c, fidelity?.max ?? null, noise));
  let incumbent: { observed: number; value: number } | null = null;
  const rows: MatrixRow[] = [];
  let spent = 0, next = 0;
  const report = () => {
    while (next < budgets.length && spent >= budgets[next] - 1e-9) {
      const best = incumbent?.value ?? null;
      rows.push({
        condition: condition.name,
        group: condition.group,
        method,
        budget: budgets[next],
        seed,
        best,
        regret: best === null || condition.optimum === undefined
          ? null
          : Math.abs(best - condition.optimum),
      });
      next++;
    }
  };
  while (next < budgets.length) {
    const { trial, config, budget } = searcher.ask();
    const at = fidelity ? budget ?? fidelity.max : null;
    let observed: number;
    try {
      observed = await condition.evaluate(config, at, noise);
    } catch {
      observed = NaN;
    }
    searcher.tell(trial, observed);
    spent += fidelity ? at! / fidelity.max : 1;
    const full = !fidelity || at === fidelity.max;
    if (
      full && Number.isFinite(observed) &&
      (incumbent === null ||
        (minimize
          ? observed < incumbent.observed
          : observed > incumbent.observed))
    ) {
      incumbent = { observed, value: await truth(config) };
    }
    report();
  }
  return rows;
}

function meanSe(xs: readonly number[]): { mean: number; se: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const se = xs.length > 1
    ? Math.sqrt(
      xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) /
        xs.length,
    )
    : 0;
  return { mean, se };
}

/**
 * Cells (mean ± SE per condition × method × budget) and their normalised
 * ranks from rows, e.g. rows read back from a saved table.
 *
 * @example
 * ```ts
 * import { summarise } from "./matrix.ts";
 * const row = (method: string, seed: number, regret: number) => ({
 *   condition: "c", group: "g", method, budget: 10, seed, best: regret, regret,
 * });
 * const cells = summarise([row("a", 0, 1), row("a", 1, 3), row("b", 0, 5), row("b", 1, 5)]);
 * if (cells[0].mean !== 2 || cells[0].rank !== 0 || cells[1].rank !== 1) throw new Error();
 * ```
 */
export function summarise(
  rows: readonly MatrixRow[],
  conditions: readonly Pick<MatrixCondition, "name" | "minimize">[] = [],
): MatrixCell[] {
  const groups = new Map<string, MatrixRow[]>();
  for (const r of rows) {
    const key = `${r.condition}\u0000${r.method}\u0000${r.budget}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(r);
  }
  const cells: MatrixCell[] = [];
  for (const list of groups.values()) {
    const useRegret = list.every((r) => r.regret !== null);
    const xs = list.flatMap((r) =>
      useRegret ? [r.regret!] : r.best === null ? [] : [r.best]
    );
    if (xs.length === 0) continue;
    const { condition, group, method, budget } = list[0];
    const minimize = useRegret ||
      (conditions.find((c) => c.name === condition)?.minimize ?? true);
    // Sign so that smaller is better when ranking.
    const { mean, se } = meanSe(xs);
    cells.push({
      condition,
      group,
      method,
      budget,
      n: xs.length,
      mean,
      se,
      rank: minimize ? mean : -mean,
    });
  }
  // Rank within condition × budget; `rank` holds the score until here.
  const byKey = new Map<string, MatrixCell[]>();
  for (const c of cells) {
    const key = `${c.condition}\u0000${c.budget}`;
    (byKey.get(key) ?? byKey.set(key, []).get(key)!).push(c);
  }
  for (const list of byKey.values()) {
    const scores = list.map((c) => c.rank);
    for (const c of list) {
      const below = scores.filter((s) => s < c.rank - 1e-12).length;
      const tied = scores.filter((s) => Math.abs(s - c.rank) <= 1e-12).length;
      const rank = below + (tied - 1) / 2; // 0-based, ties share the mean
      c.rank = list.length > 1 ? rank / (list.length - 1) : 0;
    }
  }
  return cells;
}

/**
 * Each method's normalised rank per condition, averaged over budgets.
 *
 * @example
 * ```ts
 * import { averageRanks } from "./matrix.ts";
 * const cell = (budget: number, rank: number) => ({
 *   condition: "c", group: "g", method: "m", budget, n: 1, mean: 0, se: 0, rank,
 * });
 * if (averageRanks([cell(10, 0), cell(20, 1)])[0].rank !== 0.5) throw new Error();
 * ```
 */
export function averageRanks(cells: readonly MatrixCell[]): MatrixRank[] {
  const groups = new Map<string, MatrixCell[]>();
  for (const c of cells) {
    const key = `${c.condition}\u0000${c.method}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(c);
  }
  return [...groups.values()].map((list) => ({
    condition: list[0].condition,
    group: list[0].group,
    method: list[0].method,
    rank: list.reduce((a, c) => a + c.rank, 0) / list.length,
  }));
}

/**
 * A test function as a condition; with `noise` > 0, Gaussian observation
 * noise of that standard deviation (regret stays on the noise-free value).
 *
 * @example
 * ```ts
 * import { fromTestFunction } from "./matrix.ts";
 * import { branin } from "./functions.ts";
 * const c = fromTestFunction(branin, "small-continuous", { noise: 1 });
 * if (c.name !== "branin-noisy" || c.optimum !== branin.minimum) throw new Error();
 * ```
 */
export function fromTestFunction(
  f: TestFunction,
  group: string,
  options: { noise?: number; name?: string } = {},
): MatrixCondition {
  const noise = options.noise ?? 0;
  return {
    name: options.name ?? (noise > 0 ? `${f.name}-noisy` : f.name),
    group,
    space: f.space,
    optimum: f.minimum,
    evaluate: (c, _budget, random) =>
      f.evaluate(c) + (noise > 0 ? random.normal(0, noise) : 0),
    truth: (c) => f.evaluate(c),
  };
}

/** The columns of a matrix table (CSV), in order. */
export const MATRIX_COLUMNS = [
  "condition",
  "group",
  "method",
  "budget",
  "seed",
  "best",
  "regret",
] as const;

/**
 * Matrix rows as CSV: a header of {@linkcode MATRIX_COLUMNS}, one line per
 * row, an empty field for null (the format of `MATRIX_OUT` and
 * `data/search_matrix.csv`).
 *
 * @example
 * ```ts
 * import { formatMatrixCsv, parseMatrixCsv } from "./matrix.ts";
 * const row = { condition: "c", group: "g", method: "m", budget: 10, seed: 0, best: 1.5, regret: null };
 * const back = parseMatrixCsv(formatMatrixCsv([row]));
 * if (JSON.stringify(back) !== JSON.stringify([row])) throw new Error();
 * ```
 */
export function formatMatrixCsv(rows: readonly MatrixRow[]): string {
  return [
    MATRIX_COLUMNS.join(","),
    ...rows.map((r) => MATRIX_COLUMNS.map((k) => r[k] ?? "").join(",")),
  ].join("\n") + "\n";
}

/**
 * Matrix rows from CSV text with the {@linkcode MATRIX_COLUMNS} header (in
 * any order); a {@linkcode SearchError} names a missing column or a bad
 * number.
 *
 * @example
 * ```ts
 * import { parseMatrixCsv } from "./matrix.ts";
 * const rows = parseMatrixCsv("condition,group,method,budget,seed,best,regret\nb,s,tpe,20,0,0.5,0.1\n");
 * if (rows[0].budget !== 20 || rows[0].regret !== 0.1) throw new Error();
 * ```
 */
export function parseMatrixCsv(text: string): MatrixRow[] {
  const [head, ...lines] = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const cols = (head ?? "").split(",");
  const at = Object.fromEntries(MATRIX_COLUMNS.map((c) => {
    const i = cols.indexOf(c);
    if (i < 0) {
      throw new SearchError(
        `parseMatrixCsv: no "${c}" column in the header "${head ?? ""}"`,
      );
    }
    return [c, i];
  })) as Record<(typeof MATRIX_COLUMNS)[number], number>;
  return lines.map((line, k) => {
    const v = line.split(",");
    const num = (c: (typeof MATRIX_COLUMNS)[number], nullable: boolean) => {
      const s = v[at[c]] ?? "";
      if (s === "" && nullable) return null;
      const x = Number(s);
      if (s === "" || !Number.isFinite(x)) {
        throw new SearchError(
          `parseMatrixCsv: line ${k + 2}: ${c} "${s}" is not a number`,
        );
      }
      return x;
    };
    return {
      condition: v[at.condition],
      group: v[at.group],
      method: v[at.method],
      budget: num("budget", false)!,
      seed: num("seed", false)!,
      best: num("best", true),
      regret: num("regret", true),
    };
  });
}
