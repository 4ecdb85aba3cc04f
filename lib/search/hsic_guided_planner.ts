/**
 * HSIC-guided search (after Novello et al.): rounds of sampling; after each,
 * a goal-oriented HSIC analysis of every evaluated configuration decides which
 * hyperparameters matter. Those whose p-value is above α are fixed to their
 * values in the best configuration so far (one configuration, so that the
 * fixed values fit together); the important ones are resampled from their
 * distribution among the good configurations (and stay important: later
 * rounds are no uniform design to test them on); the rest stay uniform until
 * an analysis can say. While no hyperparameter is important nothing is fixed,
 * since fixing everything would only repeat one configuration.
 *
 * @module
 */

import { Random } from "../space/random.ts";
import type { Config, Param, Scalar, SearchSpace } from "../space/space.ts";
import type { TrialStore } from "../trials/trials.ts";
import type { ProgressMode } from "../viz/progress.ts";
import { HsicError } from "../hsic/kernels.ts";
import { hsicTable, lowerQuantile } from "../hsic/indices.ts";
import type { DataFrame } from "../_frame.ts";

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
  /**
   * Seed of the configurations, each trial's seed and the jitter of the
   * [0, 1] encoding HSIC reads. Default 0.
   */
  seed?: number;
  /**
   * A store path (JSON Lines) or an open store: rows appended as they finish,
   * so a killed search resumes (same seed, same store).
   */
  store?: string | TrialStore;
  /**
   * Parallel workers: a number or "auto" (one per core). Default 1 (in this
   * process).
   */
  workers?: number | "auto";
  /** Progress display of each round's evaluations. Default "auto". */
  progress?: ProgressMode;
}

/** The decision about one hyperparameter after a round. */
export interface GuidedDecision {
  /** The round after which the decision was taken, 0-based. */
  round: number;
  /** The hyperparameter's name. */
  name: string;
  /** "fixed" (p > α), "important" (p ≤ α) or "undecided" (no index yet). */
  state: "fixed" | "important" | "undecided";
  /**
   * The asymptotic p-value of its goal-oriented HSIC index, or null when it
   * has no index yet.
   */
  pValue: number | null;
  /** The value it is fixed to, when fixed. */
  value: Scalar | null;
}

/** What {@linkcode hsicGuidedSearch} returns. */
export interface GuidedResult {
  /** The trials table of every evaluation, with a `round` measurement. */
  trials: DataFrame;
  /** The decisions taken after each round but the last. */
  decisions: GuidedDecision[];
}

function isContinuous(p: Param): boolean {
  return p.kind === "float" || p.kind === "int";
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

/**
 * The decisions of HSIC-guided search, shared by {@linkcode hsicGuidedSearch}
 * and its ask/tell form: what is fixed (and to what), what is important (and
 * its good values), and the chooser that samples accordingly.
 *
 * @example One round by hand: only `a` decides the loss.
 * ```ts
 * import { Random } from "../space/random.ts";
 * import { float, SearchSpace } from "../space/space.ts";
 * import { GuidedPlanner } from "./hsic_guided_planner.ts";
 * const space = new SearchSpace({ a: float(0, 1), b: float(0, 1) });
 * const planner = new GuidedPlanner(space, { seed: 0 });
 * const random = new Random(0);
 * const evaluated = Array.from({ length: 60 }, () => {
 *   const config = space.sample(random, planner.chooser());
 *   return { config, value: ((config.a as number) - 0.2) ** 2 };
 * });
 * const [a, b] = planner.decide(evaluated, 0);
 * if (a.state !== "important" || b.state !== "fixed") throw new Error();
 * // The next round samples a near its good values, with b fixed.
 * const next = space.sample(random, planner.chooser());
 * if (next.b !== b.value) throw new Error();
 * ```
 */
export class GuidedPlanner {
  readonly #space: SearchSpace;
  readonly #quantile: number;
  readonly #alpha: number;
  readonly #seed: number;
  readonly #fixed = new Map<string, Scalar>();
  readonly #important = new Map<string, Scalar[]>();
  #warned = false;

  /** `quantile` defaults to 0.1, `alpha` to 0.05, `seed` to 0. */
  constructor(
    space: SearchSpace,
    options: { quantile?: number; alpha?: number; seed?: number } = {},
  ) {
    const quantile = options.quantile ?? 0.1;
    if (!(quantile > 0 && quantile < 1)) {
      throw new HsicError(`quantile must be in (0, 1), got ${quantile}`);
    }
    this.#space = space;
    this.#quantile = quantile;
    this.#alpha = options.alpha ?? 0.05;
    this.#seed = options.seed ?? 0;
  }

  /** The chooser for `SearchSpace.sample`: fixed values, draws near good values, else uniform. */
  chooser(): Parameters<SearchSpace["sample"]>[1] {
    const fixed = new Map(this.#fixed);
    const important = new Map(this.#important);
    return (n, param, r) => {
      if (fixed.has(n)) return fixed.get(n);
      const values = important.get(n);
      return values && values.length > 0
        ? drawNear(param, values, r)
        : undefined;
    };
  }

  /**
   * Analyses the finished evaluations (values oriented so smaller is better)
   * after round `round` and updates the decisions; returns the new ones.
   */
  decide(
    evaluated: readonly { config: Config; value: number }[],
    round: number,
  ): GuidedDecision[] {
    if (evaluated.length < 10) return [];
    const space = this.#space;
    const y = evaluated.map((e) => e.value);
    const quantile = Math.max(this.#quantile, 5 / evaluated.length);
    const q = lowerQuantile(y, quantile);
    if (y.every((v) => v <= q)) {
      // Ties (diverged losses capped at one value, a constant objective)
      // leave no bad configuration to tell the good ones from: this round
      // decides nothing and the next samples as the last did.
      if (!this.#warned) {
        this.#warned = true;
        const ties = y.filter((v) => v === q).length;
        console.warn(
          `hsic-guided: after round ${round}, ${ties} of ${y.length} trials tie at ${q}, so the goal quantile ${quantile} cannot tell good from bad; no hyperparameter is decided this round and the next round samples as before (said once; the search goes on)`,
        );
      }
      return [];
    }
    const good = evaluated.filter((_, i) => y[i] <= q).map((e) => e.config);
    const goodValues = (n: string) =>
      good.map((c) => c[n]).filter((v) =>
        v !== undefined && v !== null
      ) as Scalar[];
    // Important ones are drawn near the current good configurations.
    for (const n of this.#important.keys()) {
      this.#important.set(n, goodValues(n));
    }
    // A hyperparameter found important stays important: later rounds are
    // drawn near the good region, so they are no longer a design on which
    // its independence could be tested.
    const free = space.names.filter((n) =>
      !this.#fixed.has(n) && !this.#important.has(n)
    );
    const analysed = free.filter((n) =>
      new Set(
        evaluated.map((e) => e.config[n]).filter((v) => v !== undefined),
      ).size > 1
    );
    if (analysed.length === 0) return []; // nothing left to decide
    const encoded = space.encodeMany(evaluated.map((e) => e.config), {
      seed: new Random(this.#seed, `hsic-guided-encode-${round}`),
    });
    const columns = analysed.map((n) => space.names.indexOf(n));
    const table = hsicTable(
      encoded.map((u) => columns.map((j) => u[j])),
      y,
      { names: analysed, goal: { quantile }, pValues: ["asymptotic"] },
    );
    const pOf = (n: string) =>
      table.rows.find((r) => r.name === n)?.pAsymptotic ?? null;
    const significant = free.filter((n) => {
      const p = pOf(n);
      return p !== null && p <= this.#alpha && goodValues(n).length > 0;
    });
    // Fixing needs something to focus the budget on: when nothing is
    // important, fixing the rest would only repeat one configuration.
    const canFix = significant.length > 0 || this.#important.size > 0;
    // Fixed values come from one configuration, the best where each is
    // active, so that they fit together (on a multimodal objective, per-
    // hyperparameter medians can land between the good regions).
    const byValue = evaluated.map((e, i) => ({ e, i })).sort((a, b) =>
      y[a.i] - y[b.i]
    );
    return free.map((n): GuidedDecision => {
      const p = pOf(n);
      const values = goodValues(n);
      if (p === null || values.length === 0 || (p > this.#alpha && !canFix)) {
        return { round, name: n, state: "undecided", pValue: p, value: null };
      }
      if (p > this.#alpha) {
        const v = byValue.find(({ e }) => e.config[n] !== undefined)!.e
          .config[n] as Scalar;
        this.#fixed.set(n, v);
        return { round, name: n, state: "fixed", pValue: p, value: v };
      }
      this.#important.set(n, values);
      return { round, name: n, state: "important", pValue: p, value: null };
    });
  }
}

/**
 * The round sizes of a guided search of `budget` evaluations: `initial`
 * (default half the budget, at least `perRound`) and `perRound` (default
 * max(10, budget / 4)), checked.
 *
 * @example
 * ```ts
 * import { guidedRounds } from "./hsic_guided_planner.ts";
 * const r = guidedRounds(60);
 * if (r.initial !== 30 || r.perRound !== 15) throw new Error();
 * ```
 */
export function guidedRounds(
  budget: number,
  options: { initial?: number; perRound?: number } = {},
): { initial: number; perRound: number } {
  if (!Number.isInteger(budget) || budget < 1) {
    throw new HsicError(`budget must be a positive integer, got ${budget}`);
  }
  const perRound = options.perRound ?? Math.max(10, Math.round(budget / 4));
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
  return { initial, perRound };
}
