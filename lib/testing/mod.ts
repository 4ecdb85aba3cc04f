/**
 * Family checks for third-party members: `checkSearcher` holds a search
 * method, `checkMIEstimator` an MI estimator, to the standard this
 * project's own members meet (scikit-learn's `check_estimator` idea). Each
 * runs the family's contract and throws a `ConformanceError` naming the
 * property that failed and what was expected; options pick the checks and
 * how strict they are, and the defaults keep a CI run short.
 *
 * Not imported by the root entry: import `@infolens/infolens/testing` in
 * your tests.
 *
 * @example Our own members, as this repository's conformance tests run them
 * ```ts
 * import { checkMIEstimator, checkSearcher } from "./mod.ts";
 * await checkSearcher("tpe", { checks: ["budget", "deterministic", "tell"] });
 * await checkMIEstimator("ksg", { checks: ["finite", "deterministic"] });
 * ```
 *
 * @example A third party's method (declarations at the top level of a module)
 * ```ts ignore
 * import { checkSearcher } from "@infolens/infolens/testing";
 * import {
 *   RandomSearch,
 *   registerSearcher,
 *   type SearcherFactory,
 * } from "@infolens/infolens/search";
 *
 * declare module "@infolens/infolens/search" {
 *   interface SearcherRegistry {
 *     "my-searcher": SearcherFactory;
 *   }
 * }
 * registerSearcher("my-searcher", (settings) => new RandomSearch(settings));
 * Deno.test("my-searcher meets the search family's contract", async () => {
 *   await checkSearcher("my-searcher");
 * });
 * ```
 *
 * @module
 */

export { ConformanceError } from "./conformance_error.ts";
export {
  checkSearcher,
  type CheckSearcherOptions,
  SEARCHER_CHECKS,
  type SearcherCheck,
} from "./check_searcher.ts";
export {
  checkMIEstimator,
  type CheckMIEstimatorOptions,
  MI_ESTIMATOR_CHECKS,
  type MIAccuracyCase,
  type MIEstimatorCheck,
} from "./check_mi_estimator.ts";
