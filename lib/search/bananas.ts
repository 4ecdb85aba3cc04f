/**
 * `bananas`: BANANAS (White, Neiswanger & Savani, "BANANAS: Bayesian
 * optimization with neural architectures for neural architecture search",
 * AAAI 2021): the path encoding of each architecture, an ensemble of
 * feed-forward networks as the surrogate, independent Thompson sampling
 * over candidates mutated from the best architectures.
 *
 * Defaults, checked against naszilla's code (`nas_algorithms.py`,
 * `params.py`, `nas_benchmarks.py`, `nas_bench_201/cell_201.py`): 10
 * random start-up architectures; an ensemble of 5 networks trained on the
 * mean absolute error with Adam (learning rate 0.01, batches of 32); 100
 * candidates, mutations of the best architecture (naszilla's
 * `num_arches_to_mutate` 1, falling back to the next of the 5 best when
 * mutations repeat), each hyperparameter changed with probability
 * 1/(d − 2), d the number of hyperparameters (1/4 for NAS-Bench-201's six
 * edges, naszilla's `mutation_rate / (OP_SPOTS − 2)`), repeats and parents
 * dropped; for each candidate one draw from N(ensemble mean, ensemble
 * standard deviation), the best draw proposed (ITS). Departures, for ask()
 * to stay well under a second in plain TypeScript: networks of 2 hidden
 * layers of 20 units (naszilla: 10 layers of 20) trained for 200 minibatch
 * steps (naszilla: 150 epochs), re-initialised every proposal; one
 * proposal at a time (naszilla proposes the 10 best candidates per round).
 * naszilla's NAS-Bench-201 encoding is its truncated path encoding over
 * the cell's four fixed routes with all five operations (`none` and
 * `skip_connect` included), cut to the 30 features of paths of at most 2
 * operations; here the path encoding reads the operation-on-node graph
 * (`none` removed, `skip_connect` contracted) and is not truncated unless
 * `maxPathLength` says so (`maxPathLength: 2` is the analogous cut).
 *
 * The encoding is the path encoding when the space declares an
 * architecture (with the codec's `pathOps`, else over the paths seen), the
 * space's one-hot features otherwise.
 *
 * @module
 */

import type { Random } from "../space/random.ts";
import type { Config } from "../space/space.ts";
import { features } from "./_acquisition.ts";
import { architectureOf } from "./arch_graph.ts";
import { graphPaths, pathEncoding } from "./arch_encodings.ts";
import { ModelBasedSearcher } from "./model_based.ts";
import { mutationPool } from "./_mutation_pool.ts";
import type { SearcherSettings } from "./searcher.ts";

/** Options of {@linkcode BananasSearcher}. */
export interface BananasOptions {
  /** Networks in the ensemble; default 5. */
  ensemble?: number;
  /** Hidden layer widths; default [20, 20]. */
  hidden?: readonly number[];
  /** Minibatch steps of Adam per network; default 200. */
  steps?: number;
  /** Candidates per proposal; default 100. */
  candidates?: number;
  /** Random start-up trials; default 10. */
  startup?: number;
  /**
   * Truncate the path encoding to paths of at most this many operations
   * (the truncated path encoding); default no truncation.
   */
  maxPathLength?: number;
}

/** A small MLP regressor: ReLU hidden layers, a linear output. */
class Mlp {
  readonly w: Float64Array[];
  readonly b: Float64Array[];
  readonly sizes: number[];
  // Activations and back-propagated errors, reused across samples.
  readonly #acts: Float64Array[];
  readonly #deltas: Float64Array[];

  constructor(sizes: number[], r: Random) {
    this.sizes = sizes;
    this.w = [];
    this.b = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const scale = Math.sqrt(2 / sizes[l]);
      this.w.push(
        Float64Array.from(
          { length: sizes[l] * sizes[l + 1] },
          () => r.normal(0, scale),
        ),
      );
      this.b.push(new Float64Array(sizes[l + 1]));
    }
    this.#acts = sizes.map((n) => new Float64Array(n));
    this.#deltas = sizes.map((n) => new Float64Array(n));
  }

  /** The output for input x (activations left in the buffers). */
  predict(x: Float64Array): number {
    const acts = this.#acts;
    acts[0].set(x);
    for (let l = 0; l < this.w.length; l++) {
      const inp = acts[l], out = acts[l + 1];
      const nIn = this.sizes[l], nOut = this.sizes[l + 1];
      out.set(this.b[l]);
      const w = this.w[l];
      for (let i = 0; i < nIn; i++) {
        const xi = inp[i];
        if (xi === 0) continue;
        const row = i * nOut;
        for (let j = 0; j < nOut; j++) out[j] += xi * w[row + j];
      }
      if (l + 1 < this.w.length) {
        for (let j = 0; j < nOut; j++) if (out[j] < 0) out[j] = 0;
      }
    }
    return acts[acts.length - 1][0];
  }

  /** Adam on the mean absolute error, minibatches drawn with replacement. */
  train(x: Float64Array[], y: number[], steps: number, r: Random): void {
    const lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
    const params = [...this.w, ...this.b];
    const m = params.map((p) => new Float64Array(p.length));
    const v = params.map((p) => new Float64Array(p.length));
    const gw = this.w.map((p) => new Float64Array(p.length));
    const gb = this.b.map((p) => new Float64Array(p.length));
    const grads = [...gw, ...gb];
    const acts = this.#acts, deltas = this.#deltas;
    const layers = this.w.length;
    const batch = Math.min(32, x.length);
    for (let t = 1; t <= steps; t++) {
      for (const g of grads) g.fill(0);
      for (let s = 0; s < batch; s++) {
        const i = r.integer(0, x.length);
        const out = this.predict(x[i]);
        deltas[layers][0] = Math.sign(out - y[i]) / batch;
        for (let l = layers - 1; l >= 0; l--) {
          const nIn = this.sizes[l], nOut = this.sizes[l + 1];
          const inp = acts[l], delta = deltas[l + 1], back = deltas[l];
          const w = this.w[l], g = gw[l], gbl = gb[l];
          for (let j = 0; j < nOut; j++) gbl[j] += delta[j];
          for (let k = 0; k < nIn; k++) {
            const xk = inp[k];
            const row = k * nOut;
            let s2 = 0;
            for (let j = 0; j < nOut; j++) {
              g[row + j] += xk * delta[j];
              s2 += w[row + j] * delta[j];
            }
            // ReLU's derivative at the layer below (inputs pass as they are).
            back[k] = l > 0 && xk <= 0 ? 0 : s2;
          }
        }
      }
      const c1 = 1 - b1 ** t, c2 = 1 - b2 ** t;
      for (let k = 0; k < params.length; k++) {
        const p = params[k], g = grads[k], mk = m[k], vk = v[k];
        for (let i = 0; i < p.length; i++) {
          mk[i] = b1 * mk[i] + (1 - b1) * g[i];
          vk[i] = b2 * vk[i] + (1 - b2) * g[i] * g[i];
          p[i] -= lr * (mk[i] / c1) / (Math.sqrt(vk[i] / c2) + eps);
        }
      }
    }
  }
}

/**
 * BANANAS as an ask/tell object.
 *
 * @example
 * ```ts
 * import { branin } from "./functions.ts";
 * import { BananasSearcher } from "./bananas.ts";
 * const s = new BananasSearcher({ space: branin.space, seed: 0 });
 * for (let i = 0; i < 12; i++) {
 *   const { trial, config } = s.ask();
 *   s.tell(trial, branin.evaluate(config));
 * }
 * ```
 */
export class BananasSearcher extends ModelBasedSearcher {
  /** The registered name, "bananas". */
  readonly name = "bananas";
  readonly #options: BananasOptions;

  /** A BANANAS searcher over `settings.space`. */
  constructor(settings: SearcherSettings & BananasOptions) {
    super(settings, "bananas");
    this.#options = settings;
  }

  /** 10 random trials (BANANAS's initial design). */
  protected startup(): number {
    return this.#options.startup ?? 10;
  }

  /** The encoder of this proposal: path encoding, or one-hot features. */
  #encoder(configs: readonly Config[]): (c: Config) => Float64Array {
    const space = this.settings.space;
    const codec = architectureOf(space);
    const maxLength = this.#options.maxPathLength;
    if (!codec) return (c) => Float64Array.from(features(space, c));
    if (codec.pathOps && codec.maxPathLength !== undefined) {
      const ops = codec.pathOps;
      const L = maxLength ?? codec.maxPathLength;
      const full = { ops, maxLength: codec.maxPathLength };
      let keep = 0;
      for (let k = 0; k <= L; k++) keep += ops.length ** k;
      return (c) => pathEncoding(codec.toGraph(c), { ...full, truncate: keep });
    }
    // No declared alphabet: one feature per path seen among `configs`, in
    // a fixed order (the full encoding less its all-zero columns).
    const paths = (c: Config) =>
      graphPaths(codec.toGraph(c)).filter((p) =>
        maxLength === undefined || p.length <= maxLength
      ).map((p) => p.join(">"));
    const vocabulary = [...new Set(configs.flatMap(paths))].sort();
    const index = new Map(vocabulary.map((p, i) => [p, i]));
    return (c) => {
      const x = new Float64Array(vocabulary.length);
      for (const p of paths(c)) {
        const i = index.get(p);
        if (i !== undefined) x[i] = 1;
      }
      return x;
    };
  }

  /** The candidate with the highest Thompson draw from the ensemble. */
  protected propose(): Config {
    const space = this.settings.space;
    const r = this.random;
    const size = this.#options.candidates ?? 100;
    const pool = mutationPool(space, {
      parents: this.ranked().slice(0, 5).map((o) => o.config),
      size,
      perParent: size,
      editProbability: 1 / Math.max(1, space.names.length - 2),
      seen: this.seen,
      random: r,
    });
    const encode = this.#encoder([
      ...this.history.map((o) => o.config),
      ...pool,
    ]);
    const x = this.history.map((o) => encode(o.config));
    const raw = this.history.map((o) => o.loss);
    const mu = raw.reduce((a, b) => a + b, 0) / raw.length;
    const sd = Math.sqrt(
      raw.reduce((a, b) => a + (b - mu) ** 2, 0) / raw.length,
    ) || 1;
    const y = raw.map((v) => (v - mu) / sd);
    const sizes = [x[0].length, ...(this.#options.hidden ?? [20, 20]), 1];
    const nets = Array.from({ length: this.#options.ensemble ?? 5 }, () => {
      const net = new Mlp(sizes, r);
      net.train(x, y, this.#options.steps ?? 200, r);
      return net;
    });
    let k = 0, top = Infinity;
    pool.forEach((c, i) => {
      const xc = encode(c);
      const p = nets.map((n) => n.predict(xc));
      const m = p.reduce((a, b) => a + b, 0) / p.length;
      const s = Math.sqrt(p.reduce((a, b) => a + (b - m) ** 2, 0) / p.length);
      // Losses: the lowest draw is the most promising.
      const draw = m + s * r.normal();
      if (draw < top) [k, top] = [i, draw];
    });
    return pool[k];
  }
}
