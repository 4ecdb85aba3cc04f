/**
 * `nasbot`: NASBOT (Kandasamy, Neiswanger, Schneider, Póczos & Xing,
 * "Neural architecture search with Bayesian optimisation and optimal
 * transport", NeurIPS 2018): a Gaussian process whose kernel is
 * exp(−β d / d̃) of a distance d between architectures, expected
 * improvement maximised by an evolutionary search over edits of the best
 * architectures.
 *
 * The distance: for layered networks (a space declaring a "layered"
 * architecture) NASBOT's OTMANN ({@linkcode otmannDistance}), its EMD
 * form summed over NASBOT's four (mislabel, structural) coefficient pairs
 * (1, 0.1), (1, 0.25), (1, 0.61), (1, 1.5) with non-assignment penalty 1;
 * for cells and for spaces without an architecture the op-count + edit
 * distance ({@linkcode opEditDistance}, naszilla's NASBOT distance for
 * NAS-Bench-201). d̃ is the median distance between trials, so β is
 * scale-free.
 *
 * Defaults: 10 random start-up trials; β ∈ {0.25, 0.5, 1, 2, 4} and the
 * noise variance ∈ {10⁻³, 10⁻², 10⁻¹} chosen by log marginal likelihood at
 * every proposal (NASBOT fits its kernel's β and scale by marginal
 * likelihood); EI maximised by 5 generations of 40 children each, parents
 * drawn by tournaments of 5 on EI from the 10 best trials and the children
 * so far, each child one edit of its parent and each further edit with
 * probability ½ (NASBOT's EA over its network modifiers). Departures from
 * NASBOT's code, said plainly: one kernel exp(−β d) on the summed EMD
 * distances instead of its sum of two exponentials over LP and EMD forms
 * with eight β's tuned by DiRect, and a grid instead of DiRect.
 *
 * @module
 */

import type { Config } from "../space/space.ts";
import { architectureOf } from "./arch_graph.ts";
import {
  opEditDistance,
  OTMANN_COEFFICIENTS,
  otmannDistance,
  type OtmannNetwork,
  otmannNetwork,
} from "./arch_distances.ts";
import { chooseByLikelihood, logEi } from "./_kernel_choice.ts";
import { neighbour } from "./_acquisition.ts";
import { ModelBasedSearcher } from "./model_based.ts";
import type { SearcherSettings } from "./searcher.ts";

/** Options of {@linkcode NasbotSearcher}. */
export interface NasbotOptions {
  /** β values to choose among; default [0.25, 0.5, 1, 2, 4]. */
  betas?: readonly number[];
  /** Noise variances to choose among; default [1e-3, 1e-2, 1e-1]. */
  noises?: readonly number[];
  /** Generations of the acquisition's evolutionary search; default 5. */
  generations?: number;
  /** Children per generation; default 40. */
  children?: number;
  /** Random start-up trials; default 10. */
  startup?: number;
}

/**
 * NASBOT as an ask/tell object.
 *
 * @example
 * ```ts
 * import { branin } from "./functions.ts";
 * import { NasbotSearcher } from "./nasbot.ts";
 * const s = new NasbotSearcher({ space: branin.space, seed: 0 });
 * for (let i = 0; i < 13; i++) {
 *   const { trial, config } = s.ask();
 *   s.tell(trial, branin.evaluate(config));
 * }
 * ```
 */
export class NasbotSearcher extends ModelBasedSearcher {
  /** The registered name, "nasbot". */
  readonly name = "nasbot";
  readonly #options: NasbotOptions;
  readonly #networks = new Map<string, OtmannNetwork>();
  readonly #distances = new Map<string, number>();

  /** A NASBOT searcher over `settings.space`. */
  constructor(settings: SearcherSettings & NasbotOptions) {
    super(settings, "nasbot");
    this.#options = settings;
  }

  /** 10 random trials. */
  protected startup(): number {
    return this.#options.startup ?? 10;
  }

  /** The distance between two configurations (cached for layered ones). */
  #distance(a: Config, b: Config): number {
    const space = this.settings.space;
    const codec = architectureOf(space);
    if (codec?.kind !== "layered") return opEditDistance(space, a, b);
    const ka = space.key(a), kb = space.key(b);
    if (ka === kb) return 0;
    const pair = ka < kb ? `${ka}\u0000${kb}` : `${kb}\u0000${ka}`;
    let d = this.#distances.get(pair);
    if (d === undefined) {
      const net = (c: Config, k: string) => {
        let x = this.#networks.get(k);
        if (!x) this.#networks.set(k, x = otmannNetwork(codec.toGraph(c)));
        return x;
      };
      const x = net(a, ka), y = net(b, kb);
      d = 0;
      for (const [mislabel, structural] of OTMANN_COEFFICIENTS) {
        d += otmannDistance(x, y, { mislabel, structural }).emd;
      }
      this.#distances.set(pair, d);
    }
    return d;
  }

  /** The child of highest EI found by the evolutionary search. */
  protected propose(): Config {
    const space = this.settings.space;
    const r = this.random;
    const train = this.history.map((o) => o.config);
    const y = this.history.map((o) => o.loss);
    const n = train.length;
    const dist = new Float64Array(n * n);
    const positive: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const d = this.#distance(train[i], train[j]);
        dist[i * n + j] = dist[j * n + i] = d;
        if (d > 0) positive.push(d);
      }
    }
    positive.sort((a, b) => a - b);
    const scale = positive.length > 0
      ? positive[Math.floor(positive.length / 2)]
      : 1;
    const { gp, setting: beta } = chooseByLikelihood(
      this.#options.betas ?? [0.25, 0.5, 1, 2, 4],
      (b) => Float64Array.from(dist, (d) => Math.exp(-b * d / scale)),
      y,
      this.#options.noises ?? [1e-3, 1e-2, 1e-1],
    );
    const best = Math.min(...y);
    const score = (cs: Config[]): Float64Array => {
      const cross = new Float64Array(cs.length * n);
      cs.forEach((c, p) => {
        for (let i = 0; i < n; i++) {
          cross[p * n + i] = Math.exp(
            -beta * this.#distance(c, train[i]) / scale,
          );
        }
      });
      return logEi(gp, cross, new Float64Array(cs.length).fill(1), best);
    };
    // The population: the 10 best trials (EI ≈ −∞: they are known), then
    // every child scored so far.
    const pop: { config: Config; ei: number }[] = this.ranked().slice(0, 10)
      .map((o) => ({ config: o.config, ei: -Infinity }));
    const keys = new Set<string>();
    let top: { config: Config; ei: number } | undefined;
    for (let gen = 0; gen < (this.#options.generations ?? 5); gen++) {
      const kids: Config[] = [];
      const want = this.#options.children ?? 40;
      for (let t = 0; t < 3 * want && kids.length < want; t++) {
        // Tournament of 5 on EI; ties (the trials) by rank.
        let parent = pop[r.integer(0, pop.length)];
        for (let k = 1; k < 5; k++) {
          const q = pop[r.integer(0, pop.length)];
          if (q.ei > parent.ei) parent = q;
        }
        let c = neighbour(space, parent.config, r);
        while (r.random() < 0.5) c = neighbour(space, c, r);
        const key = space.key(c);
        if (this.seen.has(key) || keys.has(key)) continue;
        keys.add(key);
        kids.push(c);
      }
      const ei = score(kids);
      kids.forEach((config, i) => {
        const x = { config, ei: ei[i] };
        pop.push(x);
        if (!top || x.ei > top.ei) top = x;
      });
    }
    if (top) return top.config;
    // Every edit was seen already (a nearly exhausted space): a fresh draw.
    for (let t = 0; t < 100; t++) {
      const c = space.sample(r);
      if (!this.seen.has(space.key(c))) return c;
    }
    return space.sample(r);
  }
}
