/**
 * HSIC-guided search (after Novello et al.): rounds of sampling; after each,
 * a goal-oriented HSIC analysis of every evaluated configuration decides which
 * hyperparameters matter. Those whose p-value is above α are fixed to the
 * value favoured among the good configurations; the important ones are
 * resampled from their distribution among the good configurations (and stay
 * important: later rounds are no uniform design to test them on); the rest
 * stay uniform until an analysis can say.
 *
 * @module
 */

import pl from "nodejs-polars";
import { Random } from "../random.ts";
import type { Config, Param, Scalar, SearchSpace } from "../space.ts";
import { evaluateTrials, type Objective, type ObjectiveRef } from "../sweep.ts";
import type { TrialStore } from "../trials.ts";
import type { ProgressMode } from "../viz/progress.ts";
import { HsicError } from "./kernels.ts";
import { hsicTable, lowerQuantile } from "./indices.ts";

/** Options of {@linkcode hsicGuidedSearch}. */
export interface GuidedOptions {
  /** Evaluations in all. */
  budget: number;
  /**
   * The first round: a uniform design this large before any decision; default
   * half the budget (at least `perRound`). Small first rounds test with little
   * power, so nearly everything would be fixed after them.
   */
  initial?: number;
  /** Evaluations per later round; default max(10, budget / 4) rounded. */
  perRound?: number;
  /** The good fraction for the goal; default 0.1 (at least 5 good trials are used). */
  quantile?: number;
  /** Significance level: p above α means "does not matter"; default 0.05. */
  alpha?: number;
  /** The objective column; default "loss". */
  objective?: string;
  /** Default true. */
  minimize?: boolean;
  seed?: number;
  store?: string | TrialStore;
  workers?: number | "auto";
  progress?: ProgressMode;
}

/** The decision about one hyperparameter after a round. */
export interface GuidedDecision {
  round: number;
  name: string;
  /** "fixed" (p > α), "important" (p ≤ α) or "undecided" (no index yet). */
  state: "fixed" | "important" | "undecided";
  pValue: number | null;
  /** The value it is fixed to, when fixed. */
  value: Scalar | null;
}

/** What {@linkcode hsicGuidedSearch} returns. */
export interface GuidedResult {
  /** The trials table of every evaluation, with a `round` measurement. */
  trials: pl.DataFrame;
  /** The decisions taken after each round but the last. */
  decisions: GuidedDecision[];
}

function isContinuous(p: Param): boolean {
  return p.kind === "float" || p.kind === "int";
}

/** The value favoured among good configurations: the median (continuous) or the mode. */
function favoured(p: Param, values: Scalar[]): Scalar {
  if (isContinuous(p)) {
    const nums = (values as number[]).slice().sort((a, b) => a - b);
    const m = nums[Math.floor((nums.length - 1) / 2)];
    return p.kind === "int" ? Math.round(m) : m;
  }
  const counts = new Map<Scalar, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

/**
 * A draw from the good configurations' values: a value of a random good
 * configuration, moved by Gaussian noise with the good values' spread (in log
 * space for log-scaled parameters) for continuous ones, or taken as is for
 * discrete ones, with a 10 % chance of a uniform draw to keep exploring.
 */
function drawNear(p: Param, values: Scalar[], r: Random): Scalar | undefined {
  if (r.uniform() < 0.1) return undefined;
  const v = values[r.integer(0, values.length)];
  if (!isContinuous(p)) return v;
  const q = p as Param & { low: number; high: number; log?: boolean };
  const f = (x: number) => (q.log ? Math.log(x) : x);
  const g = (x: number) => (q.log ? Math.exp(x) : x);
  const t = (values as number[]).map(f);
  const mean = t.reduce((a, b) => a + b, 0) / t.length;
  const sd = Math.sqrt(
    t.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, t.length - 1),
  );
  const width = Math.max(sd, 0.02 * (f(q.high) - f(q.low)));
  let x = g(f(v as number) + width * r.normal());
  x = Math.min(q.high, Math.max(q.low, x));
  return q.kind === "int" ? Math.round(x) : x;
}

/** The sampler's chooser: fixed values, draws near good values, else uniform. */
function choose(
  fixed: Map<string, Scalar>,
  important: Map<string, Scalar[]>,
): Parameters<SearchSpace["sample"]>[1] {
  return (n, param, r) => {
    if (fixed.has(n)) return fixed.get(n);
    const values = important.get(n);
    return values && values.length > 0 ? drawNear(param, values, r) : undefined;
  };
}

/**
 * HSIC-guided search of `space`. The first round evaluates `initial` uniform
 * configurations, each later one `perRound`
 * (in workers when asked, appended to the store as they finish); the next
 * round's are drawn with {@linkcode SearchSpace.sample} and a chooser that
 * fixes, resamples or leaves each hyperparameter as the last analysis said.
 * The analysis is the V-statistic, goal `quantile`, asymptotic p-values, on
 * the hyperparameters not yet fixed. A resumed search (same seed, same store)
 * recomputes the same rounds from the stored results.
 *
 * @example
 * ```ts
 * import { SearchSpace, float, categorical } from "../space.ts";
 * import { hsicGuidedSearch } from "./guided.ts";
 * const space = new SearchSpace({ x: float(-1, 1), noise: float(0, 1), c: categorical(["a", "b"]) });
 * const { trials } = await hsicGuidedSearch(space, (c) => ((c.x as number) - 0.5) ** 2 + 0.01 * (c.noise as number), {
 *   budget: 60, perRound: 20, seed: 1, progress: "quiet",
 * });
 * if (trials.height !== 60) throw new Error();
 * ```
 */
export async function hsicGuidedSearch(
  space: SearchSpace,
  objective: Objective | ObjectiveRef,
  options: GuidedOptions,
): Promise<GuidedResult> {
  const budget = options.budget;
  if (!Number.isInteger(budget) || budget < 1) {
    throw new HsicError(`budget must be a positive integer, got ${budget}`);
  }
  const perRound = options.perRound ??
    Math.max(10, Math.round(budget / 4));
  if (!Number.isInteger(perRound) || perRound < 10) {
    throw new HsicError(
      `perRound must be an integer of at least 10 (the analysis needs them), got ${perRound}`,
    );
  }
  const initial = options.initial ??
    Math.min(budget, Math.max(perRound, Math.round(budget / 2)));
  if (!Number.isInteger(initial) || initial < 10) {
    throw new HsicError(
      `initial must be an integer of at least 10 (the first analysis needs them), got ${initial}`,
    );
  }
  const quantile = options.quantile ?? 0.1;
  if (!(quantile > 0 && quantile < 1)) {
    throw new HsicError(`quantile must be in (0, 1), got ${quantile}`);
  }
  const alpha = options.alpha ?? 0.05;
  const name = options.objective ?? "loss";
  const minimize = options.minimize ?? true;
  const seed = options.seed ?? 0;
  const random = new Random(seed, "hsic-guided");
  const configs: Config[] = [];
  const rounds: number[] = [];
  const fixed = new Map<string, Scalar>();
  const important = new Map<string, Scalar[]>();
  const decisions: GuidedDecision[] = [];
  let chooser: Parameters<SearchSpace["sample"]>[1] = undefined;
  let trials: pl.DataFrame | null = null;
  for (let round = 0; configs.length < budget; round++) {
    const count = Math.min(
      round === 0 ? initial : perRound,
      budget - configs.length,
    );
    for (let i = 0; i < count; i++) {
      configs.push(space.sample(random, chooser));
      rounds.push(round);
    }
    trials = await evaluateTrials(space, configs, objective, {
      seed,
      store: options.store,
      workers: options.workers,
      objective: name,
      progress: options.progress,
      label: `hsic-guided round ${round + 1}`,
    });
    if (configs.length >= budget) break;

    // The analysis of every evaluation so far.
    const rows = trials.toRecords();
    const ok = rows.filter((r) =>
      r.status === "ok" && typeof r[name] === "number" &&
      Number.isFinite(r[name] as number)
    );
    if (ok.length < 10) continue;
    const y = ok.map((r) => (minimize ? 1 : -1) * (r[name] as number));
    const q = lowerQuantile(y, Math.max(quantile, 5 / ok.length));
    const good = ok.filter((_, i) => y[i] <= q);
    // Important ones are drawn near the current good configurations.
    for (const n of important.keys()) {
      important.set(
        n,
        good.map((r) => r[n]).filter((v) => v !== null) as Scalar[],
      );
    }
    // A hyperparameter found important stays important: later rounds are
    // drawn near the good region, so they are no longer a design on which
    // its independence could be tested.
    const free = space.names.filter((n) => !fixed.has(n) && !important.has(n));
    const analysed = free.filter((n) => {
      const values = new Set(ok.map((r) => r[n]).filter((v) => v !== null));
      return values.size > 1;
    });
    if (analysed.length === 0) {
      chooser = choose(fixed, important);
      continue; // nothing left to decide
    }
    const encoded = space.encodeMany(
      ok.map((r) => {
        const c: Config = {};
        for (const n of space.names) if (r[n] !== null) c[n] = r[n] as Scalar;
        return c;
      }),
      { seed: new Random(seed, `hsic-guided-encode-${round}`) },
    );
    const columns = analysed.map((n) => space.names.indexOf(n));
    const table = hsicTable(
      encoded.map((u) => columns.map((j) => u[j])),
      y,
      {
        names: analysed,
        goal: { quantile: Math.max(quantile, 5 / ok.length) },
        pValues: ["asymptotic"],
      },
    );
    for (const n of free) {
      const row = table.rows.find((r) => r.name === n);
      const p = row?.pAsymptotic ?? null;
      const values = good.map((r) => r[n]).filter((v) =>
        v !== null
      ) as Scalar[];
      if (p === null || values.length === 0) {
        decisions.push({
          round,
          name: n,
          state: "undecided",
          pValue: p,
          value: null,
        });
      } else if (p > alpha) {
        const v = favoured(space.params[n], values);
        fixed.set(n, v);
        decisions.push({ round, name: n, state: "fixed", pValue: p, value: v });
      } else {
        important.set(n, values);
        decisions.push({
          round,
          name: n,
          state: "important",
          pValue: p,
          value: null,
        });
      }
    }
    chooser = choose(fixed, important);
  }
  return {
    trials: trials!.withColumns(pl.Series("round", rounds, pl.Int64)),
    decisions,
  };
}
