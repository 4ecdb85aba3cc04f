/**
 * `gp-wl`: NAS-BOWL (Ru, Wan, Dong & Osborne, "Interpretable neural
 * architecture search via Bayesian optimisation with Weisfeiler-Lehman
 * kernels", ICLR 2021): a Gaussian process on the normalised
 * Weisfeiler-Lehman subtree kernel of architecture graphs, expected
 * improvement over a pool of mutations of the best architectures.
 *
 * Defaults, checked against NAS-BOWL's code (xingchenwan/nasbowl,
 * `nasbench_optimisation.py` and `bayesopt/generate_test_graphs.py`):
 * h, the WL iterations, chosen by the GP's log marginal likelihood each
 * proposal among h ∈ {1, 2} (NAS-BOWL's `wl_subtree_candidates`), with the
 * noise variance among {10⁻⁴, 10⁻³, 10⁻²} (NAS-BOWL optimises it up to
 * 0.01); a pool of 100 candidates, 50 of them mutations — 5 from each of
 * the 10 best architectures, each edge's operation changed with
 * probability 1/5 (1/|operations| of NAS-Bench-201), a child equal to its
 * parent or to an earlier candidate dropped — and 50 random architectures
 * (the "mutate" pool strategy); expected improvement. Departures: 10 random
 * start-up architectures (NAS-BOWL's script starts with 30, a third of a
 * 100-evaluation budget) and one proposal at a time (NAS-BOWL proposes
 * batches of 5). Spaces that declare no architecture are read as chains of
 * their hyperparameters ({@linkcode hyperparameterChain}).
 *
 * @module
 */

import type { Config } from "../space/space.ts";
import { logExpectedImprovementBelow } from "../_math/special.ts";
import { graphOf } from "./arch_graph.ts";
import { wlDot, wlFeatures, type WlVector } from "./arch_encodings.ts";
import { KernelGp } from "./_kernel_gp.ts";
import { ModelBasedSearcher } from "./model_based.ts";
import { mutationPool } from "./_mutation_pool.ts";
import type { SearcherSettings } from "./searcher.ts";

// NAS-BOWL's WL iterations to choose among.
const ITERATIONS = [1, 2];

/** Options of {@linkcode GpWlSearcher}. */
export interface GpWlOptions {
  /** WL iterations to choose among; default [1, 2] (NAS-BOWL's). */
  iterations?: readonly number[];
  /** Noise variances to choose among; default [1e-4, 1e-3, 1e-2]. */
  noises?: readonly number[];
  /** Candidates scored per proposal; default 100, half of them mutations. */
  poolSize?: number;
  /** Random start-up trials; default 10. */
  startup?: number;
}

/** What {@linkcode fitWlGp} chose and fitted. */
export interface WlGpFit {
  /** The GP with the highest log marginal likelihood. */
  gp: KernelGp;
  /** Its WL iterations. */
  h: number;
  /** Its noise variance. */
  noise: number;
  /** The best log marginal likelihood reached for each h. */
  likelihoods: Map<number, number>;
}

/** Per-iteration dot products of a list of WL vectors, then normalised sums. */
function gramByIteration(
  a: readonly WlVector[],
  b: readonly WlVector[],
  hMax: number,
): Float64Array[] {
  return Array.from({ length: hMax + 1 }, (_, i) => {
    const k = new Float64Array(a.length * b.length);
    for (let p = 0; p < a.length; p++) {
      for (let q = 0; q < b.length; q++) {
        k[p * b.length + q] = wlDot([a[p][i]], [b[q][i]], 0);
      }
    }
    return k;
  });
}

function selfDots(a: readonly WlVector[], hMax: number): Float64Array[] {
  return Array.from(
    { length: hMax + 1 },
    (_, i) => Float64Array.from(a, (x) => wlDot([x[i]], [x[i]], 0)),
  );
}

function normalisedSum(
  parts: Float64Array[],
  rowSelf: Float64Array[],
  colSelf: Float64Array[],
  h: number,
  cols: number,
): Float64Array {
  const k = new Float64Array(parts[0].length);
  for (let i = 0; i <= h; i++) {
    for (let j = 0; j < k.length; j++) k[j] += parts[i][j];
  }
  const norm = (s: Float64Array[], p: number) => {
    let t = 0;
    for (let i = 0; i <= h; i++) t += s[i][p];
    return Math.sqrt(t);
  };
  const rn = Float64Array.from(rowSelf[0], (_, p) => norm(rowSelf, p));
  const cn = Float64Array.from(colSelf[0], (_, q) => norm(colSelf, q));
  for (let p = 0; p < rn.length; p++) {
    for (let q = 0; q < cols; q++) k[p * cols + q] /= rn[p] * cn[q];
  }
  return k;
}

/**
 * Fits a GP with the normalised WL kernel for each h and noise and keeps the
 * one of highest log marginal likelihood (NAS-BOWL's choice of h). `graphs`
 * are {@linkcode wlFeatures} with at least max(h) + 1 iterations.
 *
 * @example
 * ```ts
 * import { wlFeatures } from "./arch_encodings.ts";
 * import { fitWlGp } from "./gp_wl.ts";
 * const chain = (ops: string[]) => ({
 *   nodes: [{ op: "input" }, ...ops.map((op) => ({ op })), { op: "output" }],
 *   edges: ops.map((_, i) => [i, i + 1] as [number, number]).concat([[ops.length, ops.length + 1]]),
 * });
 * const g = [chain(["a", "b"]), chain(["b", "a"]), chain(["a", "b"]), chain(["b", "a"])].map((x) => wlFeatures(x, 3));
 * // Same operations, different order: only h ≥ 1 tells them apart.
 * const fit = fitWlGp(g, [0, 1, 0.01, 1.01]);
 * if (fit.h === 0) throw new Error();
 * ```
 */
export function fitWlGp(
  graphs: readonly WlVector[],
  y: readonly number[],
  options: { iterations?: readonly number[]; noises?: readonly number[] } = {},
): WlGpFit {
  const hs = options.iterations ?? [0, 1, 2, 3];
  const noises = options.noises ?? [1e-3, 1e-2, 1e-1];
  const hMax = Math.max(...hs);
  const parts = gramByIteration(graphs, graphs, hMax);
  const self = selfDots(graphs, hMax);
  let best: WlGpFit | undefined;
  const likelihoods = new Map<number, number>();
  for (const h of hs) {
    const k = normalisedSum(parts, self, self, h, graphs.length);
    for (const noise of noises) {
      const gp = KernelGp.fit(k, y, noise);
      const lml = gp.logMarginalLikelihood;
      if (!(lml <= (likelihoods.get(h) ?? -Infinity))) likelihoods.set(h, lml);
      if (!best || lml > best.gp.logMarginalLikelihood) {
        best = { gp, h, noise, likelihoods };
      }
    }
  }
  return best!;
}

/**
 * The posterior of a {@linkcode fitWlGp} fit at new graphs.
 */
export function predictWlGp(
  fit: WlGpFit,
  train: readonly WlVector[],
  at: readonly WlVector[],
): { mean: Float64Array; std: Float64Array } {
  const parts = gramByIteration(at, train, fit.h);
  const cross = normalisedSum(
    parts,
    selfDots(at, fit.h),
    selfDots(train, fit.h),
    fit.h,
    train.length,
  );
  return fit.gp.predict(cross, new Float64Array(at.length).fill(1));
}

/**
 * GP-WL (NAS-BOWL) as an ask/tell object.
 *
 * @example
 * ```ts
 * import { branin } from "./functions.ts";
 * import { GpWlSearcher } from "./gp_wl.ts";
 * const s = new GpWlSearcher({ space: branin.space, seed: 0 });
 * for (let i = 0; i < 14; i++) {
 *   const { trial, config } = s.ask();
 *   s.tell(trial, branin.evaluate(config));
 * }
 * ```
 */
export class GpWlSearcher extends ModelBasedSearcher {
  /** The registered name, "gp-wl". */
  readonly name = "gp-wl";
  readonly #options: GpWlOptions;
  readonly #cache = new Map<string, WlVector>();

  /** A GP-WL searcher over `settings.space`. */
  constructor(settings: SearcherSettings & GpWlOptions) {
    super(settings, "gp-wl");
    this.#options = settings;
  }

  /** 10 random trials (NAS-BOWL's initial design). */
  protected startup(): number {
    return this.#options.startup ?? 10;
  }

  #wl(config: Config): WlVector {
    const space = this.settings.space;
    const key = space.key(config);
    let f = this.#cache.get(key);
    if (!f) {
      const hMax = Math.max(...(this.#options.iterations ?? ITERATIONS));
      f = wlFeatures(graphOf(space, config), hMax);
      this.#cache.set(key, f);
    }
    return f;
  }

  /** The pool candidate of highest log expected improvement. */
  protected propose(): Config {
    const space = this.settings.space;
    const train = this.history.map((o) => this.#wl(o.config));
    const y = this.history.map((o) => o.loss);
    const fit = fitWlGp(train, y, {
      iterations: this.#options.iterations ?? ITERATIONS,
      noises: this.#options.noises ?? [1e-4, 1e-3, 1e-2],
    });
    const size = this.#options.poolSize ?? 100;
    const pool = mutationPool(space, {
      parents: this.ranked().slice(0, 10).map((o) => o.config),
      size,
      mutated: Math.floor(size / 2),
      perParent: Math.floor(size / 2 / 10),
      editProbability: 1 / 5,
      seen: this.seen,
      random: this.random,
    });
    const { mean, std } = predictWlGp(
      fit,
      train,
      pool.map((c) => this.#wl(c)),
    );
    const best = Math.min(...y);
    let k = 0, top = -Infinity;
    for (let i = 0; i < pool.length; i++) {
      const a = logExpectedImprovementBelow(best, mean[i], std[i]);
      if (a > top) [k, top] = [i, a];
    }
    return pool[k];
  }
}
