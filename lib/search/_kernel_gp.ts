/**
 * A Gaussian process on a precomputed kernel matrix (graph kernels, string
 * kernels, distance kernels), for the architecture-aware searchers: targets
 * standardised, unit signal variance (the kernels are normalised), a noise
 * variance, Cholesky factor, log marginal likelihood, posterior mean and
 * standard deviation in the targets' units.
 *
 * @module
 */

/** A fitted GP on a kernel matrix. */
export class KernelGp {
  readonly #l: Float64Array;
  readonly #alpha: Float64Array;
  readonly #n: number;
  readonly #mean: number;
  readonly #scale: number;
  /** log p(y | K, noise) of the standardised targets. */
  readonly logMarginalLikelihood: number;
  /** The noise variance it was fitted with. */
  readonly noise: number;

  private constructor(
    l: Float64Array,
    alpha: Float64Array,
    n: number,
    mean: number,
    scale: number,
    lml: number,
    noise: number,
  ) {
    this.#l = l;
    this.#alpha = alpha;
    this.#n = n;
    this.#mean = mean;
    this.#scale = scale;
    this.logMarginalLikelihood = lml;
    this.noise = noise;
  }

  /**
   * Fits to `y` with the n×n kernel `k` (row-major) plus `noise` on the
   * diagonal; jitter is added until the matrix factors.
   *
   * @example
   * ```ts
   * import { KernelGp } from "./_kernel_gp.ts";
   * const k = Float64Array.from([1, 0.5, 0.5, 1]);
   * const gp = KernelGp.fit(k, [0, 1], 1e-6);
   * const { mean } = gp.predict(Float64Array.from([1, 0.5]), [1]);
   * if (Math.abs(mean[0]) > 1e-3) throw new Error(String(mean[0]));
   * ```
   */
  static fit(k: Float64Array, y: readonly number[], noise: number): KernelGp {
    const n = y.length;
    const mean = y.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    const scale = sd > 0 ? sd : 1;
    const z = Float64Array.from(y, (v) => (v - mean) / scale);
    let jitter = 0;
    for (;;) {
      const l = Float64Array.from(k);
      for (let i = 0; i < n; i++) l[i * n + i] += noise + jitter;
      if (cholesky(l, n)) {
        const alpha = Float64Array.from(z);
        forward(l, n, alpha);
        let quad = 0;
        for (let i = 0; i < n; i++) quad += alpha[i] * alpha[i];
        backward(l, n, alpha);
        let logDet = 0;
        for (let i = 0; i < n; i++) logDet += Math.log(l[i * n + i]);
        const lml = -0.5 * quad - logDet - 0.5 * n * Math.log(2 * Math.PI);
        return new KernelGp(l, alpha, n, mean, scale, lml, noise);
      }
      jitter = jitter === 0 ? 1e-8 : jitter * 10;
    }
  }

  /**
   * Posterior mean and standard deviation (targets' units, noise-free) at m
   * points from their m×n cross-kernel and their own kernel values.
   */
  predict(
    cross: Float64Array,
    self: ArrayLike<number>,
  ): { mean: Float64Array; std: Float64Array } {
    const n = this.#n;
    const m = self.length;
    const mean = new Float64Array(m);
    const std = new Float64Array(m);
    const v = new Float64Array(n);
    for (let j = 0; j < m; j++) {
      let mu = 0;
      for (let i = 0; i < n; i++) {
        v[i] = cross[j * n + i];
        mu += v[i] * this.#alpha[i];
      }
      forward(this.#l, n, v);
      let q = 0;
      for (let i = 0; i < n; i++) q += v[i] * v[i];
      mean[j] = this.#mean + this.#scale * mu;
      std[j] = this.#scale * Math.sqrt(Math.max(self[j] - q, 1e-12));
    }
    return { mean, std };
  }
}

function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= a[j * n + k] ** 2;
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / ljj;
    }
  }
  return true;
}

function forward(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * b[k];
    b[i] = s / l[i * n + i];
  }
}

function backward(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}
