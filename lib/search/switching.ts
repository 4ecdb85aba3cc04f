/**
 * A searcher that runs one method for the first trials and another after:
 * `auto` uses it where the benchmark matrix shows one member ahead early and
 * another later (auto.ts). At the switch the second member is built and
 * handed every trial so far at once, through its batch `restore` (finished
 * ones as observations, unfinished ones as pending), so it models all of
 * them; from then on it answers every ask and tell.
 *
 * @module
 */

import {
  type FinishedTrial,
  type Outcome,
  type Searcher,
  SearchError,
  settleOutcome,
  type Suggestion,
} from "./searcher.ts";

/**
 * Runs `first` for the first `after` trials, then a second searcher built by
 * `then` and given every trial so far. The second must take them through
 * `restore` (the model-based methods do); one that cannot is an error at the
 * switch, not a silent restart.
 *
 * @example
 * ```ts
 * import { SwitchingSearcher } from "./switching.ts";
 * import { SEARCHERS } from "./registry.ts";
 * import { branin } from "./functions.ts";
 * const settings = { space: branin.space, seed: 0 };
 * const s = new SwitchingSearcher(
 *   SEARCHERS["tpe-multivariate"](settings),
 *   () => SEARCHERS["gp-ei"](settings),
 *   12,
 * );
 * for (let i = 0; i < 15; i++) {
 *   const { trial, config } = s.ask();
 *   s.tell(trial, branin.evaluate(config));
 * }
 * if (s.active !== "gp-ei" || s.metadata()["switch.after"] !== "12") throw new Error();
 * ```
 */
export class SwitchingSearcher implements Searcher {
  /** "switching"; `auto` reports its own name around it. */
  readonly name = "switching";
  readonly #first: Searcher;
  readonly #then: () => Searcher;
  readonly #after: number;
  #second: Searcher | null = null;
  // Every suggestion so far, and the outcomes of those told.
  readonly #asked: Suggestion[] = [];
  readonly #told = new Map<number, Outcome>();

  /**
   * A searcher that asks `first` for `after` trials, then a member built by
   * `then` (told every finished trial first).
   *
   * @param first The member that answers trials 0 … after − 1.
   * @param then Builds the member that answers from trial `after` on.
   * @param after Trials asked of `first` before the switch (≥ 1).
   */
  constructor(first: Searcher, then: () => Searcher, after: number) {
    if (!(Number.isInteger(after) && after >= 1)) {
      throw new SearchError(
        `SwitchingSearcher: switch after a positive whole number of trials, got ${after}`,
      );
    }
    this.#first = first;
    this.#then = then;
    this.#after = after;
  }

  /** The name of the member answering now. */
  get active(): string {
    return (this.#second ?? this.#first).name;
  }

  /** The next trial: from `first` until `after` were asked, then from the second member. */
  ask(): Suggestion {
    if (this.#second === null && this.#asked.length >= this.#after) {
      this.#switch();
    }
    const s = (this.#second ?? this.#first).ask();
    this.#asked.push(s);
    return s;
  }

  /** Passed on to the member that answers now (the second holds `first`'s pending trials). */
  tell(trial: number, result: number | Outcome): void {
    (this.#second ?? this.#first).tell(trial, result);
    const { value, status } = settleOutcome(result);
    this.#told.set(trial, { value, status });
  }

  /** The active member's answer (true when it has no `canAsk`). */
  canAsk(): boolean {
    if (this.#second === null && this.#asked.length >= this.#after) {
      return true; // the switch happens at the next ask
    }
    return (this.#second ?? this.#first).canAsk?.() ?? true;
  }

  /**
   * Always false: a resumed run replays its trials through ask and tell
   * (the runner's fallback), which switches at the same trial.
   */
  restore(): boolean {
    return false;
  }

  /**
   * `switch.from`, `switch.to` and `switch.after` (trials), with
   * `switch.at`: the trial the second member first answered, or "not yet";
   * then the active member's own metadata.
   */
  metadata(): Record<string, string> {
    return {
      ...(this.#second ?? this.#first).metadata?.(),
      "switch.from": this.#first.name,
      "switch.to": this.#second?.name ?? "(not built yet)",
      "switch.after": String(this.#after),
      "switch.at": this.#second ? String(this.#after) : "not yet",
    };
  }

  #switch(): void {
    const second = this.#then();
    const finished: FinishedTrial[] = [];
    const pending: Suggestion[] = [];
    for (const s of this.#asked) {
      const outcome = this.#told.get(s.trial);
      if (outcome) finished.push({ suggestion: s, outcome });
      else pending.push(s);
    }
    // A fresh member's snapshot is its start state: restore then continues
    // from it as if it had proposed and been told every trial so far.
    if (!second.restore?.(finished, second.snapshot?.(), pending)) {
      throw new SearchError(
        `SwitchingSearcher: ${second.name} cannot take the ${finished.length} trials of ${this.#first.name} (no batch restore)`,
      );
    }
    this.#second = second;
  }
}
