/**
 * The error a family check throws when a member breaks the family's
 * contract: it names the member, the property that failed and what was
 * expected.
 *
 * @module
 */

import { InfolensError } from "../errors.ts";

/**
 * A member of a family (a search method, an MI estimator) failed one of the
 * family's checks. `member` names it (e.g. `searcher "tpe"`), `check` the
 * property (e.g. `"deterministic"`); the message says what was expected and
 * what happened instead.
 *
 * @example
 * ```ts
 * import { ConformanceError } from "./conformance_error.ts";
 * const e = new ConformanceError('searcher "mine"', "budget", "expected 20 trials, got 19");
 * if (e.check !== "budget" || !e.message.includes("expected 20")) throw new Error();
 * ```
 */
export class ConformanceError extends InfolensError {
  /** Always "ConformanceError". */
  override name = "ConformanceError";
  /** The member checked, e.g. `searcher "tpe"`. */
  readonly member: string;
  /** The property that failed. */
  readonly check: string;

  /** `message` says what was expected and what happened. */
  constructor(
    member: string,
    check: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${member} fails "${check}": ${message}`, options);
    this.member = member;
    this.check = check;
  }
}

/**
 * Runs one named check; any error other than a {@linkcode ConformanceError}
 * (the member threw, or broke an assumption of the check) becomes one that
 * names the check, with the original as its cause.
 */
export async function runCheck(
  member: string,
  check: string,
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (e instanceof ConformanceError) throw e;
    throw new ConformanceError(
      member,
      check,
      `expected no error, but it threw ${
        e instanceof Error ? `${e.name}: ${e.message}` : String(e)
      }`,
      { cause: e },
    );
  }
}
