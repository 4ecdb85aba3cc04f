/**
 * The base class of every error infolens throws on purpose, so one check
 * tells the library's own refusals (bad input, a missing file, an option
 * that does not apply) from bugs and from errors of other packages.
 *
 * @example
 * ```ts
 * import { InfolensError } from "./errors.ts";
 * import { float, SearchSpace } from "./space/mod.ts";
 * try {
 *   new SearchSpace({ lr: float(1, 0) });
 * } catch (e) {
 *   if (!(e instanceof InfolensError)) throw e;
 *   console.log(e.name, e.message); // SpaceError …
 * }
 * ```
 *
 * @module
 */

/** An error infolens raised on purpose; every error class of the library extends it. */
export class InfolensError extends Error {
  /** Always "InfolensError", so stack traces and logs name the class. */
  override name = "InfolensError";
}
