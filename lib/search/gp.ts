/**
 * A Gaussian process for Bayesian optimisation: Matérn 5/2 kernel with one
 * lengthscale per input (automatic relevance determination), an output scale
 * and a noise variance, fitted by maximising the marginal likelihood plus
 * log-normal priors (the lengthscale prior scales with the dimension, as
 * BoTorch's since 2024, after Hvarfner et al.: log ℓ ~ N(√2 + ½·log D, 3);
 * log σ² ~ N(0, 1); log noise ~ N(−4, 1)). Targets are standardised.
 * Dense Float64Array linear algebra; n up to a few hundred.
 *
 * The lengthscale prior enters as BoTorch's does, as a density on ℓ itself
 * (the log-normal's density, with its 1/ℓ), so the fit's mode without data
 * is at log ℓ = √2 + ½·log D − 3 (ℓ ≈ 0.5 in 6 dimensions), not at the
 * normal's centre (ℓ ≈ 10, nearly linear on the unit cube). With the centre
 * as the mode, GP-EI on Hartmann-6 fitted ℓ ≈ 10 with most of the variance
 * as noise and spent its budget on the cube's corners (bench/README.md,
 * "matrix").
 *
 * @module
 */

const SQRT5 = Math.sqrt(5);

/** The GP's hyperparameters, all on the log scale. */
export interface GpHyperparameters {
  /** log ℓ of the Matérn 5/2 kernel, one per input dimension (ARD). */
  logLengthscales: number[];
  /** log σ², the kernel's output variance on the standardised targets. */
  logOutputscale: number;
  /** log of the observation-noise variance on the standardised targets. */
  logNoise: number;
}

/** In-place lower Cholesky factor of a row-major n × n matrix; false if not positive definite. */
function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j];
    for (let k = 0; k < j; k++) d -= a[rj + k] * a[rj + k];
    if (!(d > 0)) return false;
    d = Math.sqrt(d);
    a[rj + j] = d;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
      a[ri + j] = s / d;
    }
    for (let k = j + 1; k < n; k++) a[rj + k] = 0;
  }
  return true;
}

/** Solves L z = b in place (L lower, row-major). */
function forward(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[ri + k] * b[k];
    b[i] = s / l[ri + i];
  }
}

/** Solves Lᵀ z = b in place. */
function backward(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}

function priorMean(d: number) {
  return Math.SQRT2 + 0.5 * Math.log(d);
}

/**
 * A fitted GP on inputs `x` (rows of equal length) and targets `y`.
 *
 * @example
 * ```ts
 * import { GaussianProcess } from "./gp.ts";
 * const x = [[0], [0.25], [0.5], [0.75], [1]];
 * const gp = GaussianProcess.fit(x, x.map(([v]) => Math.sin(6 * v)));
 * const { mean } = gp.predict([[0.5]]);
 * if (Math.abs(mean[0] - Math.sin(3)) > 0.05) throw new Error();
 * ```
 */
export class GaussianProcess {
  /** The hyperparameters the posterior uses (fitted, or as given). */
  readonly hyperparameters: GpHyperparameters;
  readonly #x: Float64Array;
  readonly #n: number;
  readonly #d: number;
  readonly #chol: Float64Array;
  readonly #alpha: Float64Array;
  readonly #yMean: number;
  readonly #yStd: number;
  readonly #inv: Float64Array; // 1/ℓ per input

  private constructor(
    x: Float64Array,
    n: number,
    d: number,
    ys: Float64Array,
    yMean: number,
    yStd: number,
    h: GpHyperparameters,
  ) {
    this.#x = x;
    this.#n = n;
    this.#d = d;
    this.#yMean = yMean;
    this.#yStd = yStd;
    this.hyperparameters = h;
    this.#inv = Float64Array.from(h.logLengthscales, (v) => Math.exp(-v));
    const { chol } = factor(x, n, d, h);
    this.#chol = chol;
    this.#alpha = Float64Array.from(ys);
    forward(chol, n, this.#alpha);
    backward(chol, n, this.#alpha);
  }

  /** How many observations the posterior conditions on. */
  get observations(): number {
    return this.#n;
  }

  /**
   * Fits the hyperparameters (L-BFGS on the log posterior, from `init` when
   * given — warm start — or from the priors' centres) and conditions on the
   * data. `fitRows`, when given, are the rows the hyperparameters are fitted
   * on (a subset keeps the fit's cost bounded); the posterior uses all rows.
   */
  static fit(
    x: readonly (readonly number[])[],
    y: readonly number[],
    options: {
      init?: GpHyperparameters;
      iterations?: number;
      fitRows?: readonly number[];
    } = {},
  ): GaussianProcess {
    const n = x.length;
    if (n === 0 || n !== y.length) {
      throw new RangeError(
        `GaussianProcess.fit needs as many targets as rows (≥ 1), got ${n} and ${y.length}`,
      );
    }
    const d = x[0].length;
    const flat = new Float64Array(n * d);
    x.forEach((row, i) => flat.set(row, i * d));
    const mean = y.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / n) || 1;
    const ys = Float64Array.from(y, (v) => (v - mean) / sd);
    let h: GpHyperparameters = options.init ? structuredClone(options.init) : {
      logLengthscales: Array(d).fill(priorMean(d)),
      logOutputscale: 0,
      logNoise: -4,
    };
    const rows = options.fitRows ?? Array.from({ length: n }, (_, i) => i);
    const fx = new Float64Array(rows.length * d);
    rows.forEach((r, i) => fx.set(flat.subarray(r * d, r * d + d), i * d));
    const fy = Float64Array.from(rows, (r) => ys[r]);
    h = lbfgs(fx, rows.length, d, fy, h, options.iterations ?? 100);
    return new GaussianProcess(flat, n, d, ys, mean, sd, h);
  }

  /** Posterior mean and standard deviation at each row, in the targets' units. */
  predict(
    x: readonly (readonly number[])[],
  ): { mean: Float64Array; std: Float64Array } {
    const n = this.#n, d = this.#d;
    const s2 = Math.exp(this.hyperparameters.logOutputscale);
    const mean = new Float64Array(x.length);
    const std = new Float64Array(x.length);
    const k = new Float64Array(n);
    x.forEach((row, c) => {
      let m = 0;
      for (let i = 0; i < n; i++) {
        let r2 = 0;
        for (let j = 0; j < d; j++) {
          const t = (row[j] - this.#x[i * d + j]) * this.#inv[j];
          r2 += t * t;
        }
        const r = Math.sqrt(r2);
        k[i] = s2 * (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
        m += k[i] * this.#alpha[i];
      }
      forward(this.#chol, n, k);
      let q = 0;
      for (let i = 0; i < n; i++) q += k[i] * k[i];
      mean[c] = this.#yMean + this.#yStd * m;
      std[c] = this.#yStd * Math.sqrt(Math.max(1e-12, s2 - q));
    });
    return { mean, std };
  }
}

/** K + noise·I and its Cholesky factor; jitter grows until it factors. */
function factor(
  x: Float64Array,
  n: number,
  d: number,
  h: GpHyperparameters,
): { chol: Float64Array; r: Float64Array } {
  const inv = h.logLengthscales.map((v) => Math.exp(-v));
  const s2 = Math.exp(h.logOutputscale);
  const r = new Float64Array(n * n);
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      let r2 = 0;
      for (let t = 0; t < d; t++) {
        const u = (x[i * d + t] - x[j * d + t]) * inv[t];
        r2 += u * u;
      }
      const rr = Math.sqrt(r2);
      r[i * n + j] = r[j * n + i] = rr;
      k[i * n + j] = k[j * n + i] = s2 * (1 + SQRT5 * rr + (5 / 3) * r2) *
        Math.exp(-SQRT5 * rr);
    }
  }
  for (let jitter = 1e-8;; jitter *= 10) {
    const chol = Float64Array.from(k);
    for (let i = 0; i < n; i++) {
      chol[i * n + i] = s2 + Math.exp(h.logNoise) + jitter;
    }
    if (choleskyInPlace(chol, n)) return { chol, r };
    if (jitter > 1) {
      throw new RangeError("GP covariance is not positive definite");
    }
  }
}

/**
 * The log marginal likelihood plus log priors (up to a constant), and its
 * gradient in the order [log ℓ₁…ℓ_D, log σ², log noise], on row-major
 * inputs `x` (n × d) and standardised targets `y`.
 *
 * @example
 * ```ts
 * import { gpLogPosterior } from "./gp.ts";
 * const h = { logLengthscales: [0], logOutputscale: 0, logNoise: -4 };
 * const { grad } = gpLogPosterior(new Float64Array([0, 0.5, 1]), 3, 1, new Float64Array([-1, 0, 1]), h);
 * if (grad.length !== 3) throw new Error();
 * ```
 */
export function gpLogPosterior(
  x: Float64Array,
  n: number,
  d: number,
  y: Float64Array,
  h: GpHyperparameters,
): { value: number; grad: number[] } {
  const { chol, r } = factor(x, n, d, h);
  const alpha = Float64Array.from(y);
  forward(chol, n, alpha);
  let quad = 0, logDet = 0;
  for (let i = 0; i < n; i++) {
    quad += alpha[i] * alpha[i];
    logDet += Math.log(chol[i * n + i]);
  }
  backward(chol, n, alpha);
  // K⁻¹ from the factor: invert L, then L⁻ᵀ L⁻¹.
  // L⁻¹ is lower triangular: column c starts at row c.
  const li = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    li[c * n + c] = 1 / chol[c * n + c];
    for (let i = c + 1; i < n; i++) {
      const ri = i * n;
      let s = 0;
      for (let k = c; k < i; k++) s -= chol[ri + k] * li[k * n + c];
      li[ri + c] = s / chol[ri + i];
    }
  }
  // W = ααᵀ − K⁻¹, symmetric; only what the gradient sums over is needed.
  // K⁻¹ = L⁻ᵀL⁻¹ accumulated row by row of L⁻¹ (lower triangle only).
  const kinv = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let i = 0; i <= k; i++) {
      const a = li[rk + i];
      if (a === 0) continue;
      const ri = i * n;
      for (let j = 0; j <= i; j++) kinv[ri + j] += a * li[rk + j];
    }
  }
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      w[i * n + j] = w[j * n + i] = alpha[i] * alpha[j] - kinv[i * n + j];
    }
  }
  const s2 = Math.exp(h.logOutputscale);
  const noise = Math.exp(h.logNoise);
  const inv = h.logLengthscales.map((v) => Math.exp(-v));
  const gl = new Array(d).fill(0);
  let gs = 0, gn = 0;
  for (let i = 0; i < n; i++) {
    gn += w[i * n + i] * noise;
    gs += w[i * n + i] * s2;
    for (let j = 0; j < i; j++) {
      const rr = r[i * n + j];
      const e = Math.exp(-SQRT5 * rr);
      const kij = s2 * (1 + SQRT5 * rr + (5 / 3) * rr * rr) * e;
      const wij = w[i * n + j];
      gs += 2 * wij * kij;
      // ∂K/∂log ℓ_t = σ²·(5/3)(1 + √5 r)e^{−√5 r}·(Δ_t/ℓ_t)²
      const g = 2 * wij * s2 * (5 / 3) * (1 + SQRT5 * rr) * e;
      for (let t = 0; t < d; t++) {
        const u = (x[i * d + t] - x[j * d + t]) * inv[t];
        gl[t] += g * u * u;
      }
    }
  }
  const mu = priorMean(d);
  let value = -0.5 * quad - logDet;
  const grad: number[] = [];
  h.logLengthscales.forEach((v, t) => {
    // log p(ℓ) of the log-normal on ℓ: −(log ℓ − μ)²/6 − log ℓ.
    value -= (v - mu) ** 2 / 6 + v;
    grad.push(0.5 * gl[t] - (v - mu) / 3 - 1);
  });
  value -= 0.5 * h.logOutputscale ** 2 + 0.5 * (h.logNoise + 4) ** 2;
  grad.push(0.5 * gs - h.logOutputscale);
  grad.push(0.5 * gn - (h.logNoise + 4));
  return { value, grad };
}

/**
 * L-BFGS ascent (memory 10, backtracking Armijo line search) on the log
 * posterior, from `init`; parameters are kept in [−8, 8] and the noise
 * variance at least 1e-6. Stops after `iterations` steps or when no step
 * improves. Returns the best point visited.
 */
function lbfgs(
  x: Float64Array,
  n: number,
  d: number,
  y: Float64Array,
  init: GpHyperparameters,
  iterations: number,
): GpHyperparameters {
  const unpack = (t: number[]): GpHyperparameters => ({
    logLengthscales: t.slice(0, d),
    logOutputscale: t[d],
    logNoise: t[d + 1],
  });
  const clamp = (t: number[]) =>
    t.map((v, i) =>
      Math.min(8, Math.max(i === d + 1 ? Math.log(1e-6) : -8, v))
    );
  // Minimise the negative log posterior.
  const f = (t: number[]) => {
    const { value, grad } = gpLogPosterior(x, n, d, y, unpack(t));
    return { value: -value, grad: grad.map((g) => -g) };
  };
  const dot = (a: number[], b: number[]) =>
    a.reduce((s, v, i) => s + v * b[i], 0);
  let theta = clamp([
    ...init.logLengthscales,
    init.logOutputscale,
    init.logNoise,
  ]);
  let cur = f(theta);
  const sList: number[][] = [], yList: number[][] = [];
  for (let it = 0; it < iterations; it++) {
    // Two-loop recursion for the search direction −H·g.
    const q = [...cur.grad];
    const alphas: number[] = [];
    for (let k = sList.length - 1; k >= 0; k--) {
      const a = dot(sList[k], q) / dot(yList[k], sList[k]);
      alphas[k] = a;
      for (let i = 0; i < q.length; i++) q[i] -= a * yList[k][i];
    }
    if (sList.length > 0) {
      const last = sList.length - 1;
      const gamma = dot(sList[last], yList[last]) /
        dot(yList[last], yList[last]);
      for (let i = 0; i < q.length; i++) q[i] *= gamma;
    } else {
      // First step: at most 0.5 in the largest coordinate.
      const g = Math.max(...q.map(Math.abs)) || 1;
      for (let i = 0; i < q.length; i++) q[i] *= 0.5 / g;
    }
    for (let k = 0; k < sList.length; k++) {
      const b = dot(yList[k], q) / dot(yList[k], sList[k]);
      for (let i = 0; i < q.length; i++) q[i] += sList[k][i] * (alphas[k] - b);
    }
    let dir = q.map((v) => -v);
    if (dot(dir, cur.grad) >= 0) dir = cur.grad.map((g) => -g); // not a descent direction
    let step = 1;
    let next: number[] | null = null;
    let nextF = cur;
    for (let ls = 0; ls < 20; ls++) {
      const cand = clamp(theta.map((t, i) => t + step * dir[i]));
      const fc = f(cand);
      const moved = cand.map((c, i) => c - theta[i]);
      if (
        Number.isFinite(fc.value) &&
        fc.value <= cur.value + 1e-4 * dot(cur.grad, moved)
      ) {
        next = cand;
        nextF = fc;
        break;
      }
      step *= 0.5;
    }
    if (next === null) break;
    const sk = next.map((v, i) => v - theta[i]);
    const yk = nextF.grad.map((g, i) => g - cur.grad[i]);
    if (dot(sk, yk) > 1e-12) {
      sList.push(sk);
      yList.push(yk);
      if (sList.length > 10) {
        sList.shift();
        yList.shift();
      }
    }
    const improvement = cur.value - nextF.value;
    theta = next;
    cur = nextF;
    if (improvement < 1e-9 * Math.max(1, Math.abs(cur.value))) break;
  }
  return unpack(theta);
}
