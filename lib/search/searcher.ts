/**
 * The search family's one interface: an ask/tell object. `ask()` proposes a
 * trial (a configuration, and a budget for multi-fidelity methods);
 * `tell(trial, result)` reports how it went. Every method is registered by
 * name in registry.ts, and `checkSearcher` (lib/testing) holds every
 * registered method to the same checks.
 *
 * @module
 */

import { InfolensError } from "../errors.ts";

import type { Config, SearchSpace } from "../space/space.ts";
import type { TrialStatus } from "../trials/trials.ts";

/** A proposal: trial number, configuration, and budget (null: single fidelity). */
export interface Suggestion {
  /**
   * The trial's number, 0-based, in the order asked; pass it back to `tell`.
   */
  trial: number;
  /** The configuration to evaluate. */
  config: Config;
  /**
   * The budget (e.g. epochs) to evaluate at, within `fidelity`; null for
   * single-fidelity methods.
   */
  budget: number | null;
}

/** What `tell` takes: the objective value (null when failed) and status. */
export interface Outcome {
  /**
   * The objective value; null (or a non-finite number) when the trial failed.
   */
  value: number | null;
  /**
   * How the trial ended. Default "ok"; anything but "ok" keeps the value out of
   * the method's model.
   */
  status?: TrialStatus;
}

/** A trial that was asked and told: what a store hands back on resume. */
export interface FinishedTrial {
  /** What the method proposed. */
  suggestion: Suggestion;
  /** What the evaluation gave. */
  outcome: Outcome;
}

/**
 * An ask/tell search method. Trials asked and not yet told are pending;
 * methods that model the results take them into account when asked ahead
 * (model-based ones lie that they came out as the worst so far, Optuna's
 * constant liar), methods that draw from a fixed stream ignore them.
 */
export interface Searcher {
  /** The name it is registered under. */
  readonly name: string;
  /** The next trial to evaluate. */
  ask(): Suggestion;
  /** The result of a trial asked before; a number means status "ok". */
  tell(trial: number, result: number | Outcome): void;
  /**
   * Optional: false while the next proposal must wait for pending trials
   * (hsic-guided at the end of a round). Absent means always true.
   */
  canAsk?(): boolean;
  /**
   * Optional batch resume: takes finished trials (in trial order) at once, as
   * if each had been asked and told, so that the next `ask` is the one an
   * uninterrupted search would make; a model-based method fits once, at that
   * ask. `state` is what {@linkcode Searcher.snapshot} returned right after
   * the last of them was told. Returns false, having changed nothing, when it
   * cannot continue exactly from these (e.g. no state); the caller then asks
   * and tells them one by one. `pending` are trials another worker of a
   * shared study asked and has not finished (a method that cannot take them
   * returns false when there are any).
   */
  restore?(
    trials: readonly FinishedTrial[],
    state?: unknown,
    pending?: readonly Suggestion[],
  ): boolean;
  /**
   * Optional: what `restore` needs beyond the trials (the random stream's
   * position, warm starts), as JSON, taken with nothing pending.
   */
  snapshot?(): unknown;
  /**
   * Optional: what the run should record about itself, e.g. `auto`'s
   * `{ "auto.method": "tpe", "auto.reason": "…" }`; `optimize` attaches it to
   * the trials table it returns (read it with `searchMetadata`).
   */
  metadata?(): Record<string, string>;
}

/** Budgets of a multi-fidelity search: from `min` to `max`, shrinking by `eta`. */
export interface Fidelity {
  /** The smallest budget a trial gets. */
  min: number;
  /** The largest (full) budget. */
  max: number;
  /** The halving rate η; default 3. */
  eta?: number;
}

/** What every method is built from. */
export interface SearcherSettings {
  /** The space configurations are drawn from. */
  space: SearchSpace;
  /** Default 0. */
  seed?: number;
  /** Whether smaller values are better; default true. */
  minimize?: boolean;
  /** The evaluation budget, for methods that plan by it (e.g. rounds). */
  budget?: number;
  /** For multi-fidelity methods: the range of budgets (e.g. epochs). */
  fidelity?: Fidelity;
}

/** The error raised for misuse of a searcher. */
export class SearchError extends InfolensError {
  /** Always "SearchError", so stack traces and logs name the class. */
  override name = "SearchError";
}

/** Builds a searcher from settings. */
export type SearcherFactory = (settings: SearcherSettings) => Searcher;

/**
 * Normalises a `tell` result and checks the trial was asked and not told yet.
 * Methods call it first in `tell`.
 */
export function takeOutcome(
  pending: Map<number, Suggestion>,
  trial: number,
  result: number | Outcome,
): { suggestion: Suggestion; value: number | null; status: TrialStatus } {
  const suggestion = pending.get(trial);
  if (!suggestion) {
    throw new SearchError(
      `tell(${trial}): trial ${trial} was not asked, or was told already`,
    );
  }
  pending.delete(trial);
  return { suggestion, ...settleOutcome(result) };
}

/**
 * A `tell` result as methods read it: the value when the trial is "ok" with
 * a finite value, else null with status "failed" (or the status it had).
 *
 * @example
 * ```ts
 * import { settleOutcome } from "./searcher.ts";
 * if (settleOutcome(NaN).status !== "failed") throw new Error();
 * if (settleOutcome({ value: 2 }).value !== 2) throw new Error();
 * ```
 */
export function settleOutcome(
  result: number | Outcome,
): { value: number | null; status: TrialStatus } {
  const o: Outcome = typeof result === "number" ? { value: result } : result;
  const ok = typeof o.value === "number" && Number.isFinite(o.value) &&
    (o.status ?? "ok") === "ok";
  return {
    value: ok ? o.value : null,
    status: ok ? "ok" : o.status && o.status !== "ok" ? o.status : "failed",
  };
}
