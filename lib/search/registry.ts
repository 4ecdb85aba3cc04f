/**
 * The search methods by name, checked by the compiler: {@linkcode
 * SearcherRegistry} lists every method's name, {@linkcode SearchMethod} is
 * one of those names (what `optimize` and `compareSearch` take), and
 * {@linkcode SEARCHERS} holds the factories. This project's methods are all
 * registered here, in one place, so looking one up never depends on which
 * module was imported first.
 *
 * A third party adds a method in two steps: a declaration that merges its
 * name into `SearcherRegistry` (so `method: "my-method"` type-checks), and
 * {@linkcode registerSearcher} at run time.
 *
 * @module
 */

import { bohb } from "./bohb.ts";
import { BoreSearcher } from "./bore.ts";
import { RegularizedEvolution } from "./evolution.ts";
import { GpEiSearcher } from "./gp_ei.ts";
import { HsicGuidedSearcher } from "./hsic_guided.ts";
import { HyperbandSearcher } from "./hyperband.ts";
import { RandomSearch } from "./random_search.ts";
import { RfSmboSearcher } from "./rf_smbo.ts";
import { type SearcherFactory, SearchError } from "./searcher.ts";
import { TpeSearcher } from "./tpe.ts";
import { BananasSearcher } from "./bananas.ts";
import { GpWlSearcher } from "./gp_wl.ts";
import { LocalSearch } from "./local_search.ts";
import { NasbotSearcher } from "./nasbot.ts";
import { GpSskSearcher } from "./gp_ssk.ts";
import { AutoSearcher } from "./auto.ts";

/**
 * Every search method's name, with the type of its factory. Extend it by
 * declaration merging to register a method of your own (at the top level
 * of a module; test/testing_test.ts does it).
 *
 * @example
 * ```ts ignore
 * import {
 *   RandomSearch,
 *   registerSearcher,
 *   type SearcherFactory,
 *   type SearchMethod,
 * } from "@infolens/infolens/search";
 *
 * declare module "@infolens/infolens/search" {
 *   interface SearcherRegistry {
 *     "my-random": SearcherFactory;
 *   }
 * }
 * registerSearcher("my-random", (settings) => new RandomSearch(settings));
 * const method: SearchMethod = "my-random"; // type-checks now
 * console.log(method);
 * ```
 */
export interface SearcherRegistry {
  /** Uniform random search. */
  random: SearcherFactory;
  /** HSIC-guided rounds (Novello et al.). */
  "hsic-guided": SearcherFactory;
  /** Regularized (aging) evolution. */
  evolution: SearcherFactory;
  /** Hyperband, HpBandSter's schedule. */
  hyperband: SearcherFactory;
  /** Successive halving, HpBandSter's schedule. */
  "successive-halving": SearcherFactory;
  /** Hyperband, Li et al.'s schedule. */
  "hyperband-li": SearcherFactory;
  /** Successive halving, Li et al.'s schedule. */
  "successive-halving-li": SearcherFactory;
  /** TPE with independent Parzen estimators (Optuna 3.1's defaults). */
  tpe: SearcherFactory;
  /** TPE with joint Parzen estimators. */
  "tpe-multivariate": SearcherFactory;
  /** Random-forest SMBO (SMAC-like). */
  "rf-smbo": SearcherFactory;
  /** BORE: a classifier of the best third as the acquisition. */
  bore: SearcherFactory;
  /** BORE as RMI-NAS sets it (100 warm-up trials, τ the 5 % quantile). */
  "bore-rmi": SearcherFactory;
  /** A Gaussian process with log expected improvement. */
  "gp-ei": SearcherFactory;
  /** BOHB: Hyperband with a KDE model. */
  bohb: SearcherFactory;
  /** First-improvement Hamming local search with restarts (White et al. 2020). */
  "local-search": SearcherFactory;
  /** NAS-BOWL: a GP on the Weisfeiler-Lehman graph kernel, EI over mutations. */
  "gp-wl": SearcherFactory;
  /** BANANAS: path encoding, an MLP ensemble, Thompson sampling over mutations. */
  bananas: SearcherFactory;
  /** NASBOT: a GP on exp(−β·distance) (OTMANN, op-count + edit), EI by evolution. */
  nasbot: SearcherFactory;
  /** A GP on BOSS's string subsequence kernel, EI over mutations. */
  "gp-ssk": SearcherFactory;
  /** Picks a member from the space, budget and fidelity (see auto.ts). */
  auto: SearcherFactory;
}

/**
 * The name of a registered search method: `"tpe"` type-checks, `"tpee"` does
 * not.
 *
 * @example
 * ```ts
 * import type { SearchMethod } from "./registry.ts";
 * const methods: SearchMethod[] = ["random", "tpe", "bohb"];
 * console.log(methods);
 * ```
 */
export type SearchMethod = keyof SearcherRegistry & string;

// This project's methods, in the order they are listed to users.
const registered: Partial<Record<string, SearcherFactory>> = {
  random: (settings) => new RandomSearch(settings),
  "hsic-guided": (settings) => new HsicGuidedSearcher(settings),
  evolution: (settings) => new RegularizedEvolution(settings),
  hyperband: (settings) =>
    new HyperbandSearcher(settings, "hyperband", "hpbandster"),
  "successive-halving": (settings) =>
    new HyperbandSearcher(settings, "successive-halving", "hpbandster"),
  "hyperband-li": (settings) =>
    new HyperbandSearcher(settings, "hyperband", "li"),
  "successive-halving-li": (settings) =>
    new HyperbandSearcher(settings, "successive-halving", "li"),
  tpe: (settings) => new TpeSearcher(settings),
  "tpe-multivariate": (settings) =>
    new TpeSearcher({ ...settings, multivariate: true }),
  "rf-smbo": (settings) => new RfSmboSearcher(settings),
  bore: (settings) => new BoreSearcher(settings),
  "bore-rmi": (settings) => new BoreSearcher({ ...settings, variant: "rmi" }),
  "gp-ei": (settings) => new GpEiSearcher(settings),
  bohb: (settings) => bohb(settings),
  "local-search": (settings) => new LocalSearch(settings),
  "gp-wl": (settings) => new GpWlSearcher(settings),
  bananas: (settings) => new BananasSearcher(settings),
  nasbot: (settings) => new NasbotSearcher(settings),
  "gp-ssk": (settings) => new GpSskSearcher(settings),
  auto: (settings) => new AutoSearcher(settings, searcherFactory),
} satisfies Partial<SearcherRegistry>; // (third parties add the rest)

/**
 * The registered factories, by name: this project's methods, and any added
 * with {@linkcode registerSearcher}. Read-only; register through the
 * function.
 *
 * @example
 * ```ts
 * import { SEARCHERS } from "./registry.ts";
 * import { branin } from "./functions.ts";
 * const s = SEARCHERS.tpe({ space: branin.space, seed: 0 });
 * const { trial, config } = s.ask();
 * s.tell(trial, branin.evaluate(config));
 * ```
 */
export const SEARCHERS: { readonly [M in SearchMethod]: SearcherRegistry[M] } =
  registered as unknown as SearcherRegistry;

/**
 * Registers a method under `name`, which must first be declared in
 * {@linkcode SearcherRegistry} (see its example). A name that is registered
 * already is refused, so a third party cannot replace one of ours by
 * accident.
 *
 * @example
 * ```ts ignore
 * import {
 *   branin,
 *   optimize,
 *   RandomSearch,
 *   registerSearcher,
 *   type SearcherFactory,
 * } from "@infolens/infolens/search";
 *
 * declare module "@infolens/infolens/search" {
 *   interface SearcherRegistry {
 *     "random-again": SearcherFactory;
 *   }
 * }
 * registerSearcher("random-again", (settings) => new RandomSearch(settings));
 * const df = await optimize((c) => branin.evaluate(c), branin.space, {
 *   method: "random-again", budget: 5, progress: "quiet",
 * });
 * if (df.height !== 5) throw new Error();
 * ```
 */
export function registerSearcher<M extends SearchMethod>(
  name: M,
  factory: SearcherRegistry[M],
): void {
  if (typeof name !== "string" || (name as string) === "") {
    throw new SearchError(`a method's name must be a non-empty string`);
  }
  if (typeof factory !== "function") {
    throw new SearchError(
      `registerSearcher("${name}"): the factory must be a function (settings) => Searcher`,
    );
  }
  if (Object.hasOwn(registered, name)) {
    throw new SearchError(`a method named "${name}" is registered already`);
  }
  registered[name] = factory;
}

/**
 * The names of the registered methods, ours first, then in the order they
 * were registered.
 *
 * @example
 * ```ts
 * import { searchMethods } from "./registry.ts";
 * if (!searchMethods().includes("tpe")) throw new Error();
 * ```
 */
export function searchMethods(): SearchMethod[] {
  return Object.keys(registered) as SearchMethod[];
}

/**
 * The factory of a registered method. Throws a {@linkcode SearchError} that
 * lists the registered methods when `method` is not one of them (a name the
 * compiler could not check, e.g. read from a file).
 *
 * @example
 * ```ts
 * import { searcherFactory } from "./registry.ts";
 * import { branin } from "./functions.ts";
 * const s = searcherFactory("random")({ space: branin.space });
 * if (s.name !== "random") throw new Error();
 * ```
 */
export function searcherFactory(method: string): SearcherFactory {
  const factory = Object.hasOwn(registered, method)
    ? registered[method]
    : undefined;
  if (!factory) {
    throw new SearchError(
      `unknown method "${method}"; registered: ${searchMethods().join(", ")}`,
    );
  }
  return factory;
}
