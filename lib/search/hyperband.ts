/**
 * Successive halving and Hyperband, with both published schedules:
 *
 * - HpBandSter's (Falkner et al. 2018, the BOHB code): S = ⌊log_η(max/min)⌋ + 1
 *   budgets min·η^k; bracket s starts ⌊S/(s+1)⌋·η^s configurations, and stage
 *   i keeps max(⌊n₀·η^{-i}⌋, 1). For budgets 1–81 and η = 3 the first stages
 *   hold 81, 27, 9, 6, 5.
 * - The original paper's (Li et al. 2018, Algorithm 1): s_max = ⌊log_η(R)⌋
 *   with R = max/min, B = (s_max + 1)·R; bracket s starts
 *   ⌈(B/R)·η^s/(s+1)⌉ configurations at budget R·η^{-s} (times min), and
 *   stage i keeps ⌊n·η^{-i}⌋. For R = 81 and η = 3: 81, 34, 15, 8, 5.
 *
 * Hyperband cycles through the brackets from the most aggressive (s = S − 1)
 * down; successive halving repeats the most aggressive one. Each stage's best
 * configurations go on to the next budget as new trials; failed trials rank
 * last. Asked ahead of its tells, a method starts the next bracket rather
 * than wait, as HpBandSter does.
 *
 * @module
 */

import { Random } from "../space/random.ts";
import type { Config } from "../space/space.ts";
import {
  type Fidelity,
  type Outcome,
  type Searcher,
  SearchError,
  type SearcherSettings,
  type Suggestion,
  takeOutcome,
} from "./searcher.ts";

/** Which published schedule. */
export type Schedule = "hpbandster" | "li";

/** One bracket: configurations per stage and the stage budgets. */
export interface Bracket {
  /**
   * The bracket's index s: it has s + 1 stages (s halvings), and the largest s
   * starts at the smallest budget.
   */
  s: number;
  /** Configurations at each stage, shrinking by η. */
  sizes: number[];
  /** The budget of each stage, growing by η up to `max`. */
  budgets: number[];
}

function checkFidelity(f: Fidelity | undefined, name: string) {
  if (!f) {
    throw new SearchError(
      `${name} is multi-fidelity: pass fidelity: { min, max, eta? } (e.g. epochs { min: 1, max: 81 })`,
    );
  }
  const eta = f.eta ?? 3;
  if (!(f.min > 0) || !(f.max >= f.min) || !(eta > 1)) {
    throw new SearchError(
      `fidelity needs 0 < min ≤ max and eta > 1, got min ${f.min}, max ${f.max}, eta ${eta}`,
    );
  }
  return { min: f.min, max: f.max, eta };
}

/**
 * The brackets of a schedule, most aggressive first.
 *
 * @example
 * ```ts
 * import { brackets } from "./hyperband.ts";
 * const hp = brackets({ min: 1, max: 81, eta: 3 }, "hpbandster").map((b) => b.sizes[0]);
 * const li = brackets({ min: 1, max: 81, eta: 3 }, "li").map((b) => b.sizes[0]);
 * if (hp.join() !== "81,27,9,6,5" || li.join() !== "81,34,15,8,5") throw new Error();
 * ```
 */
export function brackets(fidelity: Fidelity, schedule: Schedule): Bracket[] {
  const { min, max, eta } = checkFidelity(fidelity, "hyperband");
  // A small tolerance so that 81/1 in base 3 gives 4, not 3.9999.
  const levels = Math.floor(Math.log(max / min) / Math.log(eta) + 1e-9);
  const out: Bracket[] = [];
  for (let s = levels; s >= 0; s--) {
    const budgets = Array.from(
      { length: s + 1 },
      (_, i) => max * eta ** (i - s),
    );
    let sizes: number[];
    if (schedule === "hpbandster") {
      const n0 = Math.floor((levels + 1) / (s + 1)) * eta ** s;
      sizes = budgets.map((_, i) => Math.max(Math.floor(n0 * eta ** -i), 1));
    } else {
      const n = Math.ceil(((levels + 1) * eta ** s) / (s + 1));
      sizes = budgets.map((_, i) => Math.floor(n * eta ** -i));
    }
    out.push({ s, sizes, budgets });
  }
  return out;
}

/**
 * Where a bracket's new configurations come from, and what it learns from
 * results: uniform sampling by default; BOHB plugs its density model in here.
 */
export interface ConfigSampler {
  /** A configuration for the first stage of a bracket, drawn when it is asked. */
  sample(random: Random): Config;
  /** A result at a budget (value oriented so that smaller is better; null if failed). */
  observe(config: Config, budget: number, value: number | null): void;
}

interface Running {
  bracket: Bracket;
  stage: number;
  /** Configurations still to hand out at this stage; null: draw when asked. */
  queue: (Config | null)[];
  /** Trials of this stage asked but not yet told. */
  pending: number;
  results: { config: Config; value: number }[];
}

/**
 * Successive halving or Hyperband as an ask/tell object.
 *
 * @example
 * ```ts
 * import { SearchSpace, float } from "../space/space.ts";
 * import { HyperbandSearcher } from "./hyperband.ts";
 * const s = new HyperbandSearcher(
 *   { space: new SearchSpace({ x: float(0, 1) }), fidelity: { min: 1, max: 9 } },
 *   "hyperband",
 * );
 * const first = s.ask();
 * if (first.budget !== 1) throw new Error("starts at the smallest budget");
 * ```
 */
export class HyperbandSearcher implements Searcher {
  readonly name: string;
  readonly #settings: SearcherSettings;
  readonly #random: Random;
  readonly #brackets: Bracket[];
  readonly #cycle: boolean;
  readonly #pending = new Map<number, Suggestion>();
  readonly #runOf = new Map<number, Running>();
  readonly #running: Running[] = [];
  readonly #sampler: ConfigSampler | null;
  #nextBracket = 0;
  #next = 0;

  /**
   * Successive halving or Hyperband over `settings.fidelity` (required);
   * `sampler` replaces uniform draws with a model (BOHB) and names the
   * searcher.
   */
  constructor(
    settings: SearcherSettings,
    kind: "hyperband" | "successive-halving",
    schedule: Schedule = "hpbandster",
    sampler?: { name: string; sampler: ConfigSampler },
  ) {
    this.name = sampler?.name ?? `${kind}${schedule === "li" ? "-li" : ""}`;
    this.#sampler = sampler?.sampler ?? null;
    this.#settings = settings;
    this.#brackets = brackets(
      checkFidelity(settings.fidelity, this.name),
      schedule,
    );
    this.#cycle = kind === "hyperband";
    this.#random = new Random(settings.seed ?? 0, this.name);
  }

  #start(): Running {
    const b = this.#cycle
      ? this.#brackets[this.#nextBracket++ % this.#brackets.length]
      : this.#brackets[0];
    const run: Running = {
      bracket: b,
      stage: 0,
      queue: Array(b.sizes[0]).fill(null),
      pending: 0,
      results: [],
    };
    this.#running.push(run);
    return run;
  }

  ask(): Suggestion {
    const run = this.#running.find((r) => r.queue.length > 0) ?? this.#start();
    // First-stage configurations are drawn when asked, so that a model
    // (BOHB) uses every result told so far.
    const config = run.queue.shift() ??
      (this.#sampler?.sample(this.#random) ??
        this.#settings.space.sample(this.#random));
    run.pending++;
    const s: Suggestion = {
      trial: this.#next++,
      config,
      budget: run.bracket.budgets[run.stage],
    };
    this.#pending.set(s.trial, s);
    this.#runOf.set(s.trial, run);
    return s;
  }

  tell(trial: number, result: number | Outcome): void {
    const { suggestion, value } = takeOutcome(this.#pending, trial, result);
    const run = this.#runOf.get(trial)!;
    this.#runOf.delete(trial);
    run.pending--;
    const minimize = this.#settings.minimize ?? true;
    const oriented = value === null ? null : minimize ? value : -value;
    this.#sampler?.observe(suggestion.config, suggestion.budget!, oriented);
    run.results.push({
      config: suggestion.config,
      value: oriented ?? Infinity,
    });
    if (run.queue.length > 0 || run.pending > 0) return;
    // The stage is complete: its best go on to the next budget.
    const nextStage = run.stage + 1;
    if (nextStage >= run.bracket.sizes.length) {
      this.#running.splice(this.#running.indexOf(run), 1);
      return;
    }
    // A stable ranking: ties keep the order the trials were asked in.
    const ranked = run.results.map((r, i) => ({ ...r, i })).sort((a, b) =>
      a.value - b.value || a.i - b.i
    );
    run.stage = nextStage;
    run.queue = ranked.slice(0, run.bracket.sizes[nextStage]).map((r) =>
      r.config
    );
    run.results = [];
  }
}
