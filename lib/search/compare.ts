/**
 * Methods side by side: every method run over seeds on one objective, and
 * the curves of the best value found (or its regret) against evaluations or
 * against cost, mean ± standard error over seeds.
 *
 * @module
 */

import type { Objective } from "../trials/evaluate.ts";
import type { SearchSpace } from "../space/space.ts";
import { optimize } from "./optimize.ts";
import type { SearchMethod } from "./registry.ts";
import type { Fidelity } from "./searcher.ts";
import { SearchError } from "./searcher.ts";

/** One evaluation of one method's run. */
export interface RunRow {
  /** The registered name of the method that ran. */
  method: string;
  /** The run's seed, 0 … seeds − 1. */
  seed: number;
  /** The evaluation's position in the run, 1-based. */
  evaluation: number;
  /** The trial's budget (null for single-fidelity methods). */
  budget: number | null;
  /** The objective (null when the trial failed). */
  value: number | null;
}

/** Options of {@linkcode compareSearch}. */
export interface CompareSearchOptions {
  /** Registered method names (see `SearcherRegistry`) to run. */
  methods: readonly SearchMethod[];
  /** Evaluations per run. A number, or one per method. */
  budget: number | Readonly<Partial<Record<SearchMethod, number>>>;
  /** Seeds 0…seeds−1. */
  seeds: number;
  /** Whether smaller objective values are better. Default true. */
  minimize?: boolean;
  /** Budgets for the multi-fidelity methods among `methods`. */
  fidelity?: Fidelity;
  /** Called after each run, e.g. for a progress bar. */
  onRun?: (method: SearchMethod, seed: number) => void;
}

/**
 * Runs each method for each seed and returns one row per evaluation.
 *
 * @example
 * ```ts
 * import { compareSearch } from "./compare.ts";
 * import { branin } from "./functions.ts";
 * const rows = await compareSearch((c) => branin.evaluate(c), branin.space, {
 *   methods: ["random", "tpe"], budget: 15, seeds: 2,
 * });
 * if (rows.length !== 2 * 2 * 15) throw new Error();
 * ```
 */
export async function compareSearch(
  objective: Objective,
  space: SearchSpace,
  options: CompareSearchOptions,
): Promise<RunRow[]> {
  if (options.methods.length === 0) {
    throw new SearchError("compareSearch: give at least one method");
  }
  if (!Number.isInteger(options.seeds) || options.seeds < 1) {
    throw new SearchError(
      `compareSearch: seeds must be a positive integer, got ${options.seeds}`,
    );
  }
  const rows: RunRow[] = [];
  for (const method of options.methods) {
    const budget = typeof options.budget === "number"
      ? options.budget
      : options.budget[method];
    if (budget === undefined) {
      throw new SearchError(`compareSearch: no budget for "${method}"`);
    }
    for (let seed = 0; seed < options.seeds; seed++) {
      const df = await optimize(objective, space, {
        method,
        budget,
        seed,
        minimize: options.minimize,
        fidelity: options.fidelity,
        objective: "value",
        progress: "quiet",
      });
      df.toRecords().forEach((r, i) =>
        rows.push({
          method,
          seed,
          evaluation: i + 1,
          budget: (r.budget ?? null) as number | null,
          value: typeof r.value === "number" ? r.value : null,
        })
      );
      options.onRun?.(method, seed);
    }
  }
  return rows;
}

/** A point of a curve: mean ± SE over seeds at one x. */
export interface CurvePoint {
  /** The method the curve belongs to. */
  method: string;
  /** Evaluations so far, or cost in units of `fullBudget` for cost curves. */
  x: number;
  /** Mean best value (or regret) over the seeds at `x`. */
  mean: number;
  /** `mean` minus one standard error. */
  low: number;
  /** `mean` plus one standard error. */
  high: number;
}

/** Options of {@linkcode bestCurves}. */
export interface CurveOptions {
  /** Whether smaller values are better. Default true. */
  minimize?: boolean;
  /** Report regret |best − optimum| instead of the best value. */
  optimum?: number;
  /**
   * "evaluation" (default) or "cost": x is the cumulative budget in units of
   * `fullBudget`, and only full-budget results count as found (how
   * multi-fidelity methods are compared with full-budget ones).
   */
  by?: "evaluation" | "cost";
  /**
   * The largest budget (e.g. max epochs); cost curves need it, and only results
   * at it count as found.
   */
  fullBudget?: number;
  /** x values to report at (cost curves); default every evaluation / 1…max cost. */
  at?: readonly number[];
}

/**
 * The best value found so far (or its regret) per method against
 * evaluations or cost, mean ± standard error over seeds. A seed that has no
 * result yet at some x is left out there.
 *
 * @example
 * ```ts
 * import { bestCurves } from "./compare.ts";
 * const rows = [1, 2].flatMap((seed) => [3, 1, 2].map((value, i) => ({
 *   method: "m", seed, evaluation: i + 1, budget: null, value: value + seed,
 * })));
 * const c = bestCurves(rows, { optimum: 0 });
 * if (c[2].mean !== 2.5) throw new Error(); // bests 2 and 3 after three evaluations
 * ```
 */
export function bestCurves(
  rows: readonly RunRow[],
  options: CurveOptions = {},
): CurvePoint[] {
  const minimize = options.minimize ?? true;
  const better = (a: number, b: number) => (minimize ? a < b : a > b);
  const byCost = options.by === "cost";
  if (byCost && !(options.fullBudget! > 0)) {
    throw new SearchError("cost curves need fullBudget (the largest budget)");
  }
  const runs = new Map<string, RunRow[]>();
  for (const r of rows) {
    const key = `${r.method}\u0000${r.seed}`;
    (runs.get(key) ?? runs.set(key, []).get(key)!).push(r);
  }
  // Per run: the step function x → best so far.
  const steps = new Map<string, { x: number; best: number }[][]>();
  for (const [key, list] of runs) {
    const method = key.split("\u0000")[0];
    let best: number | null = null, spent = 0;
    const points: { x: number; best: number }[] = [];
    for (const r of [...list].sort((a, b) => a.evaluation - b.evaluation)) {
      spent += byCost
        ? (r.budget ?? options.fullBudget!) / options.fullBudget!
        : 1;
      const counts = r.value !== null &&
        (!byCost || (r.budget ?? options.fullBudget) === options.fullBudget);
      if (counts && (best === null || better(r.value!, best))) best = r.value;
      if (best !== null) {
        points.push({
          x: byCost ? spent : r.evaluation,
          best: options.optimum === undefined
            ? best
            : Math.abs(best - options.optimum),
        });
      }
    }
    (steps.get(method) ?? steps.set(method, []).get(method)!).push(points);
  }
  const out: CurvePoint[] = [];
  for (const [method, curves] of steps) {
    const maxX = Math.max(...curves.map((c) => c.at(-1)?.x ?? 0));
    const xs = options.at ??
      Array.from({ length: Math.floor(maxX) }, (_, i) => i + 1);
    for (const x of xs) {
      const vals = curves.flatMap((c) => {
        let v: number | null = null;
        for (const p of c) if (p.x <= x + 1e-9) v = p.best;
        return v === null ? [] : [v];
      });
      if (vals.length === 0) continue;
      const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
      const se = vals.length > 1
        ? Math.sqrt(
          vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (vals.length - 1) /
            vals.length,
        )
        : 0;
      out.push({ method, x, mean, low: mean - se, high: mean + se });
    }
  }
  return out;
}
