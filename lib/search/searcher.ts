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
  trial: number;
  config: Config;
  budget: number | null;
}

/** What `tell` takes: the objective value (null when failed) and status. */
export interface Outcome {
  value: number | null;
  status?: TrialStatus;
}

/** An ask/tell search method. */
export interface Searcher {
  /** The name it is registered under. */
  readonly name: string;
  /** The next trial to evaluate. */
  ask(): Suggestion;
  /** The result of a trial asked before; a number means status "ok". */
  tell(trial: number, result: number | Outcome): void;
}

/** Budgets of a multi-fidelity search: from `min` to `max`, shrinking by `eta`. */
export interface Fidelity {
  min: number;
  max: number;
  /** The halving rate η; default 3. */
  eta?: number;
}

/** What every method is built from. */
export interface SearcherSettings {
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
  const o: Outcome = typeof result === "number" ? { value: result } : result;
  const ok = typeof o.value === "number" && Number.isFinite(o.value) &&
    (o.status ?? "ok") === "ok";
  return {
    suggestion,
    value: ok ? o.value : null,
    status: ok ? "ok" : o.status && o.status !== "ok" ? o.status : "failed",
  };
}
