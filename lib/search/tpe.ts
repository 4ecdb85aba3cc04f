/**
 * `tpe` and `tpe-multivariate`: the tree-structured Parzen estimator
 * (Bergstra et al. 2011) with Optuna 3.1's defaults — 10 random start-up
 * trials, γ(n) = min(⌈0.1·n⌉, 25) trials in the good group, 24 candidates
 * drawn from the good density l(x) and the one maximising l(x)/g(x) kept,
 * a prior kernel of weight 1, magic clipping, and Optuna's weights (old
 * trials ramp down once there are more than 25).
 *
 * The univariate method models each hyperparameter on its own over the
 * trials where it was active. The multivariate one (Falkner et al. 2018's
 * joint kernels, Optuna's `multivariate=True`) models jointly the
 * hyperparameters active in every finished trial, with Scott's-rule
 * bandwidths; the others are drawn as the univariate method draws them.
 *
 * @module
 */

import type { Random } from "../space/random.ts";
import type { Config, Param, Scalar } from "../space/space.ts";
import {
  type Dimension,
  dimensionOf,
  fromInternal,
  ParzenEstimator,
  toInternal,
} from "./_parzen.ts";
import { ModelBasedSearcher, type Observation } from "./model_based.ts";
import type { SearcherSettings } from "./searcher.ts";

/** Options of {@linkcode TpeSearcher} beyond the common settings. */
export interface TpeOptions {
  /** Model the hyperparameters jointly; default false. */
  multivariate?: boolean;
  /** Random trials before the model is used; default 10. */
  startup?: number;
  /** Candidates drawn from l(x) per proposal; default 24. */
  candidates?: number;
}

/** Optuna's γ: the size of the good group among n trials. */
export function tpeGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * Optuna's default weights for n observations in trial order: 1 for the
 * newest 25, a linear ramp from 1/n for the older ones.
 *
 * @example
 * ```ts
 * import { tpeWeights } from "./tpe.ts";
 * const w = tpeWeights(30);
 * if (w.length !== 30 || w[0] !== 1 / 30 || w[29] !== 1) throw new Error();
 * ```
 */
export function tpeWeights(n: number): number[] {
  if (n < 25) return Array(n).fill(1);
  const ramp = n - 25;
  return [
    ...Array.from(
      { length: ramp },
      (_, i) => ramp === 1 ? 1 / n : 1 / n + (i * (1 - 1 / n)) / (ramp - 1),
    ),
    ...Array(25).fill(1),
  ];
}

/**
 * TPE as an ask/tell object. Failed trials are left out of both densities.
 *
 * @example
 * ```ts
 * import { SearchSpace, float } from "../space/space.ts";
 * import { TpeSearcher } from "./tpe.ts";
 * const s = new TpeSearcher({ space: new SearchSpace({ x: float(0, 1) }), seed: 0 });
 * for (let i = 0; i < 30; i++) {
 *   const { trial, config } = s.ask();
 *   s.tell(trial, ((config.x as number) - 0.7) ** 2);
 * }
 * ```
 */
export class TpeSearcher extends ModelBasedSearcher {
  /** "tpe", or "tpe-multivariate" with `multivariate: true`. */
  readonly name: string;
  readonly #multivariate: boolean;
  readonly #startup: number;
  readonly #candidates: number;
  readonly #dims = new Map<string, Dimension>();

  /**
   * A TPE searcher over `settings.space`; throws RangeError unless `startup`
   * and `candidates` are positive integers.
   */
  constructor(settings: SearcherSettings & TpeOptions) {
    const multivariate = settings.multivariate ?? false;
    const name = multivariate ? "tpe-multivariate" : "tpe";
    // Start-up trials are plain uniform draws, repeats included, as Optuna's.
    super(settings, name, { redrawRepeats: false });
    this.name = name;
    this.#multivariate = multivariate;
    this.#startup = settings.startup ?? 10;
    this.#candidates = settings.candidates ?? 24;
    for (
      const [k, v] of [["startup", this.#startup], [
        "candidates",
        this.#candidates,
      ]] as const
    ) {
      if (!Number.isInteger(v) || v < 1) {
        throw new RangeError(`${k} must be a positive integer, got ${v}`);
      }
    }
    const space = settings.space;
    for (const n of space.names) {
      this.#dims.set(n, dimensionOf(n, space.params[n]));
    }
  }

  /** Uniform start-up trials: the `startup` option (default 10). */
  protected startup(): number {
    return this.#startup;
  }

  /**
   * The best of `candidates` draws from the good density by the ratio of good
   * to bad density (jointly over the space with `multivariate`).
   */
  protected propose(): Config {
    this.#splitOfAll = null; // the history may have changed since the last ask
    const joint = this.#multivariate ? this.#jointProposal(this.random) : {};
    return this.settings.space.sample(
      this.random,
      (name: string, _p: Param, rr: Random) =>
        name in joint ? joint[name] : this.#univariate(name, rr),
    );
  }

  /**
   * The split of the whole history, made once per proposal: every
   * hyperparameter active in all trials (all of them in a space without
   * conditions) shares it, and sorting thousands of trials per
   * hyperparameter was a large part of an ask at 5,000 trials.
   */
  #splitOfAll: [Observation[], Observation[]] | null = null;

  /** {@linkcode TpeSearcher.#split}, reusing the whole history's split. */
  #splitOf(obs: Observation[]): [Observation[], Observation[]] {
    // obs is history filtered in order, so equal length means equal lists
    if (obs.length !== this.history.length) return this.#split(obs);
    this.#splitOfAll ??= this.#split(obs);
    return this.#splitOfAll;
  }

  /** Splits observations (trial order kept) into the good and bad groups. */
  #split(obs: Observation[]): [Observation[], Observation[]] {
    const nBelow = tpeGamma(obs.length);
    const ranked = obs.map((o, i) => ({ o, i })).sort((a, b) =>
      a.o.loss - b.o.loss || a.i - b.i
    );
    const good = new Set(ranked.slice(0, nBelow).map((x) => x.i));
    return [
      obs.filter((_, i) => good.has(i)),
      obs.filter((_, i) => !good.has(i)),
    ];
  }

  /** Draws candidates from l and keeps the best l/g, in internal coordinates. */
  #best(dims: Dimension[], obs: Observation[], r: Random): number[] {
    const [below, above] = this.#splitOf(obs);
    const fit = (group: Observation[]) =>
      new ParzenEstimator(
        dims,
        group.map((o) => dims.map((d) => toInternal(d, o.config[d.name]!))),
        tpeWeights(group.length),
        { multivariate: this.#multivariate },
      );
    const l = fit(below), g = fit(above);
    let best: number[] = [];
    let bestScore = -Infinity;
    for (let c = 0; c < this.#candidates; c++) {
      // Snap to a representable value first, so that integers are scored as
      // the integers they will be.
      const x = l.sample(r).map((v, j) =>
        toInternal(dims[j], fromInternal(dims[j], v))
      );
      const score = l.logPdf(x) - g.logPdf(x);
      if (c === 0 || score > bestScore) {
        best = x;
        bestScore = Number.isNaN(score) ? -Infinity : score;
      }
    }
    return best;
  }

  #univariate(name: string, r: Random): Scalar {
    const d = this.#dims.get(name)!;
    const obs = this.history.filter((o) =>
      o.config[name] !== undefined && o.config[name] !== null
    );
    return fromInternal(d, this.#best([d], obs, r)[0]);
  }

  #jointProposal(r: Random): Record<string, Scalar> {
    const names = this.settings.space.names.filter((n) =>
      this.history.every((o) =>
        o.config[n] !== undefined && o.config[n] !== null
      )
    );
    if (names.length === 0) return {};
    const dims = names.map((n) => this.#dims.get(n)!);
    const x = this.#best(dims, this.history, r);
    return Object.fromEntries(
      dims.map((d, j) => [d.name, fromInternal(d, x[j])]),
    );
  }
}
