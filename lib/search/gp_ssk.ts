/**
 * `gp-ssk`: a Gaussian process on the string subsequence kernel of BOSS
 * (Moss, Leslie, Beck, González & Rayson, "BOSS: Bayesian optimization
 * over string spaces", NeurIPS 2020), each architecture written as a
 * string of tokens ({@linkcode architectureTokens}: NAS-Bench-201's cell
 * string, else `name=value` per hyperparameter).
 *
 * Defaults: 10 random start-up trials; subsequences up to length 3, every
 * length weighted 1 (BOSS's SSK); the gap decay ∈ {0.1, 0.5}, the match
 * decay ∈ {0.5, 0.9} and the noise variance ∈ {10⁻³, 10⁻², 10⁻¹} chosen by
 * log marginal likelihood at every proposal (BOSS tunes both decays by
 * marginal likelihood, from 0.1 and 0.9); expected improvement over a pool
 * of 100 mutations of the 10 best trials (one edit, each further edit with
 * probability ½). BOSS maximises EI with a genetic algorithm over strings;
 * the mutation pool stands in for it here.
 *
 * @module
 */

import type { Config } from "../space/space.ts";
import {
  architectureTokens,
  type SubsequenceKernelOptions,
  subsequenceKernels,
} from "./string_kernel.ts";
import { chooseByLikelihood, logEi } from "./_kernel_choice.ts";
import { ModelBasedSearcher } from "./model_based.ts";
import { mutationPool } from "./_mutation_pool.ts";
import type { SearcherSettings } from "./searcher.ts";

/** Options of {@linkcode GpSskSearcher}. */
export interface GpSskOptions {
  /** Gap decays to choose among; default [0.1, 0.5]. */
  gapDecays?: readonly number[];
  /** Match decays to choose among; default [0.5, 0.9]. */
  matchDecays?: readonly number[];
  /** The longest subsequence; default 3. */
  length?: number;
  /** Noise variances to choose among; default [1e-3, 1e-2, 1e-1]. */
  noises?: readonly number[];
  /** Candidates scored per proposal; default 100. */
  poolSize?: number;
  /** Random start-up trials; default 10. */
  startup?: number;
}

/**
 * GP-SSK as an ask/tell object.
 *
 * @example
 * ```ts
 * import { branin } from "./functions.ts";
 * import { GpSskSearcher } from "./gp_ssk.ts";
 * const s = new GpSskSearcher({ space: branin.space, seed: 0 });
 * for (let i = 0; i < 13; i++) {
 *   const { trial, config } = s.ask();
 *   s.tell(trial, branin.evaluate(config));
 * }
 * ```
 */
export class GpSskSearcher extends ModelBasedSearcher {
  /** The registered name, "gp-ssk". */
  readonly name = "gp-ssk";
  readonly #options: GpSskOptions;
  readonly #tokens = new Map<string, string[]>();
  // Unnormalised kernel sums, per setting and (unordered) pair of keys.
  readonly #pairs = new Map<string, number>();

  /** A GP-SSK searcher over `settings.space`. */
  constructor(settings: SearcherSettings & GpSskOptions) {
    super(settings, "gp-ssk");
    this.#options = settings;
  }

  /** 10 random trials. */
  protected startup(): number {
    return this.#options.startup ?? 10;
  }

  #raw(a: string, b: string, o: SubsequenceKernelOptions, tag: string) {
    const pair = a < b ? `${tag}|${a}\u0000${b}` : `${tag}|${b}\u0000${a}`;
    let k = this.#pairs.get(pair);
    if (k === undefined) {
      k = subsequenceKernels(this.#tokens.get(a)!, this.#tokens.get(b)!, o)
        .reduce((s, v) => s + v, 0);
      this.#pairs.set(pair, k);
    }
    return k;
  }

  #key(c: Config): string {
    const space = this.settings.space;
    const key = space.key(c);
    if (!this.#tokens.has(key)) {
      this.#tokens.set(key, architectureTokens(space, c));
    }
    return key;
  }

  /** The pool candidate of highest log expected improvement. */
  protected propose(): Config {
    const space = this.settings.space;
    const train = this.history.map((o) => this.#key(o.config));
    const y = this.history.map((o) => o.loss);
    const n = train.length;
    const length = this.#options.length ?? 3;
    const settings = (this.#options.gapDecays ?? [0.1, 0.5]).flatMap((g) =>
      (this.#options.matchDecays ?? [0.5, 0.9]).map((m) => ({
        gapDecay: g,
        matchDecay: m,
        length,
      }))
    );
    const tag = (o: SubsequenceKernelOptions) =>
      `${o.gapDecay},${o.matchDecay}`;
    const norm = (k: string, o: SubsequenceKernelOptions) =>
      Math.sqrt(this.#raw(k, k, o, tag(o))) || 1;
    const { gp, setting } = chooseByLikelihood(
      settings,
      (o) => {
        const t = tag(o);
        const s = train.map((k) => norm(k, o));
        const g = new Float64Array(n * n);
        for (let i = 0; i < n; i++) {
          for (let j = i; j < n; j++) {
            const v = this.#raw(train[i], train[j], o, t) / (s[i] * s[j]);
            g[i * n + j] = g[j * n + i] = v;
          }
        }
        return g;
      },
      y,
      this.#options.noises ?? [1e-3, 1e-2, 1e-1],
    );
    const pool = mutationPool(space, {
      parents: this.ranked().slice(0, 10).map((o) => o.config),
      size: this.#options.poolSize ?? 100,
      seen: this.seen,
      random: this.random,
    });
    const t = tag(setting);
    const s = train.map((k) => norm(k, setting));
    const cross = new Float64Array(pool.length * n);
    pool.forEach((c, p) => {
      const k = this.#key(c);
      const sc = norm(k, setting);
      for (let i = 0; i < n; i++) {
        cross[p * n + i] = this.#raw(k, train[i], setting, t) / (sc * s[i]);
      }
    });
    const ei = logEi(
      gp,
      cross,
      new Float64Array(pool.length).fill(1),
      Math.min(...y),
    );
    let best = 0;
    for (let i = 1; i < ei.length; i++) if (ei[i] > ei[best]) best = i;
    return pool[best];
  }
}
