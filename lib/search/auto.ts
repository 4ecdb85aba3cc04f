/**
 * `auto`: picks a member of the search family from the space, the budget and
 * whether a fidelity is given, and runs it. The rule table follows the
 * benchmark matrix (lib/search/matrix.ts) only provisionally: it was set
 * from a one-seed pilot (budgets 20/50/100; hartmann6, levy-20d,
 * conditional-mixed, nb201-cifar10 and multi-fidelity-branin; every method
 * but the variants), read together with the preliminary reading of issue 24,
 * before the reduced run (bench/results/matrix_reduced.csv, see
 * bench/README.md "matrix") had finished. Re-derive it from that run. The
 * rules, first
 * match wins:
 *
 * | when                                                | member       |
 * | --------------------------------------------------- | ------------ |
 * | a fidelity is given                                 | `bohb`       |
 * | the space declares an architecture                  | `gp-wl`      |
 * | conditional parameters, or any categorical one      | `tpe`        |
 * | all numeric, ≤ 8 dimensions, budget ≤ 100           | `gp-ei`      |
 * | all numeric, otherwise                              | `tpe`        |
 *
 * @module
 */

import type { SearchSpace } from "../space/space.ts";
import { architectureOf } from "./arch_graph.ts";
import type {
  FinishedTrial,
  Outcome,
  Searcher,
  SearcherFactory,
  SearcherSettings,
  Suggestion,
} from "./searcher.ts";

/** What `auto` chose, and why. */
export interface AutoChoice {
  /** The registered method `auto` runs. */
  method: string;
  /** One sentence: the properties that decided. */
  reason: string;
}

/**
 * The member `auto` runs for these settings, and why (the rule table in this
 * module's documentation).
 *
 * @example
 * ```ts
 * import { chooseMethod } from "./auto.ts";
 * import { branin, hartmann6 } from "./functions.ts";
 * if (chooseMethod({ space: branin.space, budget: 50 }).method !== "gp-ei") throw new Error();
 * if (chooseMethod({ space: hartmann6.space, fidelity: { min: 1, max: 9 } }).method !== "bohb") throw new Error();
 * ```
 */
export function chooseMethod(settings: SearcherSettings): AutoChoice {
  const { space, budget, fidelity } = settings;
  const dims = space.names.length;
  if (fidelity) {
    return {
      method: "bohb",
      reason:
        `a fidelity is given (budgets ${fidelity.min}–${fidelity.max}): BOHB spends most evaluations at low budgets`,
    };
  }
  if (architectureOf(space)) {
    return {
      method: "gp-wl",
      reason:
        "the space declares an architecture: a GP on the Weisfeiler-Lehman graph kernel",
    };
  }
  const { conditional, categorical } = describe(space);
  if (conditional || categorical) {
    return {
      method: "tpe",
      reason: `${
        conditional ? "conditional" : "categorical"
      } parameters (${dims} in all): TPE models each parameter where it is active`,
    };
  }
  if (dims <= 8 && (budget === undefined || budget <= 100)) {
    return {
      method: "gp-ei",
      reason: `${dims} numeric dimensions and a budget of ${
        budget ?? "(not given)"
      } ≤ 100: a Gaussian process with expected improvement`,
    };
  }
  return {
    method: "tpe",
    reason: `${dims} numeric dimensions${
      budget === undefined ? "" : `, budget ${budget}`
    }: too many dimensions or evaluations for the GP, TPE scales`,
  };
}

function describe(space: SearchSpace) {
  const params = Object.values(space.params);
  return {
    conditional: params.some((p) => p.when !== undefined),
    categorical: params.some((p) =>
      p.kind === "categorical" || p.kind === "boolean"
    ),
  };
}

const said = new Set<string>();

/**
 * The `auto` method: builds the member {@linkcode chooseMethod} picks and
 * passes every call on to it. `chosen` and `reason` say which and why; the
 * reason is logged once per process for each distinct choice.
 *
 * @example
 * ```ts
 * import { AutoSearcher } from "./auto.ts";
 * import { SEARCHERS } from "./registry.ts";
 * import { branin } from "./functions.ts";
 * const s = new AutoSearcher({ space: branin.space, budget: 20 }, (m) => SEARCHERS[m as "tpe"]);
 * const { trial, config } = s.ask();
 * s.tell(trial, branin.evaluate(config));
 * if (s.chosen !== "gp-ei" || s.name !== "auto") throw new Error();
 * ```
 */
export class AutoSearcher implements Searcher {
  /** Always "auto". */
  readonly name = "auto";
  /** The registered method running underneath. */
  readonly chosen: string;
  /** Why it was chosen. */
  readonly reason: string;
  readonly #member: Searcher;

  /**
   * Chooses a member for `settings` and builds it.
   *
   * @param settings What every method is built from.
   * @param factoryOf The registry's lookup (passed in, so that this module
   *   does not import the registry that registers it).
   */
  constructor(
    settings: SearcherSettings,
    factoryOf: (method: string) => SearcherFactory,
  ) {
    const { method, reason } = chooseMethod(settings);
    this.chosen = method;
    this.reason = reason;
    this.#member = factoryOf(method)(settings);
    if (!said.has(reason)) {
      said.add(reason);
      console.info(`auto: ${method}, because ${reason}`);
    }
  }

  /** The member's next trial. */
  ask(): Suggestion {
    return this.#member.ask();
  }

  /** Passed on to the member. */
  tell(trial: number, result: number | Outcome): void {
    this.#member.tell(trial, result);
  }

  /** The member's answer (true when it has no `canAsk`). */
  canAsk(): boolean {
    return this.#member.canAsk?.() ?? true;
  }

  /** The member's restore; false when it has none. */
  restore(
    trials: readonly FinishedTrial[],
    state?: unknown,
    pending?: readonly Suggestion[],
  ): boolean {
    return this.#member.restore?.(trials, state, pending) ?? false;
  }

  /** The member's snapshot (undefined when it has none). */
  snapshot(): unknown {
    return this.#member.snapshot?.();
  }
}
