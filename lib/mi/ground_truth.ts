/**
 * Tasks with known mutual information, in the style of the `bmi` benchmark
 * (Czyż et al. 2023): each samples `(x, y)` with a seed and knows its true
 * MI in nats, so estimators can be judged against the truth.
 *
 * @module
 */

import { cholesky, gaussianMI, type Matrix } from "../_math/linalg.ts";
import { digamma, logGamma, normalCdf } from "../_math/special.ts";
import { Random, type Seed } from "../space/random.ts";

/** Paired samples: n rows of x (n × dimX) and of y (n × dimY). */
export interface Samples {
  /** n rows of X, each of length `dimX`. */
  x: number[][];
  /** n rows of Y, each of length `dimY`. */
  y: number[][];
}

/** A task: a joint distribution of (X, Y) with known mutual information. */
export interface MITask {
  /** A short name, e.g. "gaussian-5x5-rho0.5". */
  readonly name: string;
  /** Dimension of X (columns of `x`). */
  readonly dimX: number;
  /** Dimension of Y (columns of `y`). */
  readonly dimY: number;
  /** The true I(X; Y) in nats. */
  readonly mutualInformation: number;
  /** `n` independent samples of (X, Y); same seed, same samples. */
  sample(n: number, options?: { seed?: Seed }): Samples;
}

function checkN(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`sample(n) needs a positive integer n, got ${n}`);
  }
}

function checkDim(name: string, d: number): void {
  if (!Number.isInteger(d) || d < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${d}`);
  }
}

/** A Gaussian task from a covariance over the dimX + dimY variables. */
function gaussianFromCovariance(
  name: string,
  cov: Matrix,
  dimX: number,
): MITask {
  const l = cholesky(cov).data;
  const d = cov.rows;
  const dimY = d - dimX;
  return {
    name,
    dimX,
    dimY,
    mutualInformation: gaussianMI(cov, dimX),
    sample(n, options = {}) {
      checkN(n);
      const r = new Random(options.seed ?? 0, name);
      const e = new Float64Array(d);
      const x: number[][] = [];
      const y: number[][] = [];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) e[j] = r.normal();
        const z = new Array<number>(d);
        for (let a = 0; a < d; a++) {
          let s = 0;
          for (let b = 0; b <= a; b++) s += l[a * d + b] * e[b];
          z[a] = s;
        }
        x.push(z.slice(0, dimX));
        y.push(z.slice(dimX));
      }
      return { x, y };
    },
  };
}

function pairsCovariance(
  dimX: number,
  dimY: number,
  pairs: number,
  rho: number,
): Matrix {
  const d = dimX + dimY;
  const data = new Float64Array(d * d);
  for (let i = 0; i < d; i++) data[i * d + i] = 1;
  for (let k = 0; k < pairs; k++) {
    data[k * d + dimX + k] = rho;
    data[(dimX + k) * d + k] = rho;
  }
  return { rows: d, cols: d, data };
}

function checkRho(rho: number): void {
  if (!(rho > -1 && rho < 1)) {
    throw new RangeError(`rho must be in (-1, 1), got ${rho}`);
  }
}

/**
 * Correlated Gaussian: `dim` independent pairs (X_i, Y_i) with correlation
 * `rho`; I = −dim/2 · ln(1 − rho²).
 *
 * @example
 * ```ts
 * import { correlatedGaussian } from "./ground_truth.ts";
 * const task = correlatedGaussian({ dim: 5, rho: 0.5 });
 * if (Math.abs(task.mutualInformation - 0.7192) > 1e-4) throw new Error();
 * const { x, y } = task.sample(100, { seed: 1 });
 * ```
 */
export function correlatedGaussian(
  options: { dim: number; rho: number },
): MITask {
  const { dim, rho } = options;
  checkDim("dim", dim);
  checkRho(rho);
  const task = gaussianFromCovariance(
    `gaussian-${dim}x${dim}-rho${rho}`,
    pairsCovariance(dim, dim, dim, rho),
    dim,
  );
  return { ...task, mutualInformation: (-dim / 2) * Math.log(1 - rho * rho) };
}

/**
 * Multinormal with dense correlation: every pair of the dimX + dimY variables
 * has correlation `offDiagonal` (default 0.5). MI from log-determinants.
 *
 * @example
 * ```ts
 * import { multinormalDense } from "./ground_truth.ts";
 * const t = multinormalDense({ dimX: 5, dimY: 5 });
 * if (Math.abs(t.mutualInformation - 0.593) > 1e-3) throw new Error();
 * ```
 */
export function multinormalDense(
  options: { dimX: number; dimY: number; offDiagonal?: number },
): MITask {
  const { dimX, dimY } = options;
  const rho = options.offDiagonal ?? 0.5;
  checkDim("dimX", dimX);
  checkDim("dimY", dimY);
  const d = dimX + dimY;
  if (!(rho > -1 / (d - 1) && rho < 1)) {
    throw new RangeError(
      `offDiagonal must be in (${
        (-1 / (d - 1)).toFixed(3)
      }, 1) for ${d} variables, got ${rho}`,
    );
  }
  const data = new Float64Array(d * d).fill(rho);
  for (let i = 0; i < d; i++) data[i * d + i] = 1;
  return gaussianFromCovariance(`dense-${dimX}x${dimY}`, {
    rows: d,
    cols: d,
    data,
  }, dimX);
}

/**
 * The sparse "2-pair" model of `bmi`: a latent-variable Gaussian where only
 * `pairs` (default 2) coordinates of X and Y share a latent, each pair with
 * correlation `correlation` (default 0.8); the rest is independent noise.
 *
 * @example
 * ```ts
 * import { multinormalSparse } from "./ground_truth.ts";
 * const t = multinormalSparse({ dimX: 5, dimY: 5 });
 * if (Math.abs(t.mutualInformation - 1.022) > 1e-3) throw new Error();
 * ```
 */
export function multinormalSparse(
  options: { dimX: number; dimY: number; pairs?: number; correlation?: number },
): MITask {
  const { dimX, dimY } = options;
  checkDim("dimX", dimX);
  checkDim("dimY", dimY);
  const pairs = options.pairs ?? 2;
  const rho = options.correlation ?? 0.8;
  if (!Number.isInteger(pairs) || pairs < 1 || pairs > Math.min(dimX, dimY)) {
    throw new RangeError(
      `pairs must be an integer in [1, ${Math.min(dimX, dimY)}], got ${pairs}`,
    );
  }
  checkRho(rho);
  return gaussianFromCovariance(
    `${pairs}pair-${dimX}x${dimY}`,
    pairsCovariance(dimX, dimY, pairs, rho),
    dimX,
  );
}

/** f(k) = log Γ(k/2) − (k/2) ψ(k/2), the building block of the Student-t correction. */
function studentTerm(k: number): number {
  return logGamma(k / 2) - (k / 2) * digamma(k / 2);
}

/**
 * Multivariate Student-t with `df` degrees of freedom and a dispersion
 * matrix with unit diagonal and correlation `rho` (default 0) between X_i and
 * Y_i for i < min(dimX, dimY). Heavy tails add dependence even at rho = 0:
 * I = I_Gauss(dispersion) + f(ν) + f(ν + dx + dy) − f(ν + dx) − f(ν + dy),
 * with f(k) = log Γ(k/2) − (k/2) ψ(k/2).
 *
 * @example
 * ```ts
 * import { studentT } from "./ground_truth.ts";
 * const t = studentT({ dimX: 2, dimY: 2, df: 3 });
 * if (!(t.mutualInformation > 0)) throw new Error("tails alone carry information");
 * ```
 */
export function studentT(
  options: { dimX: number; dimY: number; df: number; rho?: number },
): MITask {
  const { dimX, dimY, df } = options;
  checkDim("dimX", dimX);
  checkDim("dimY", dimY);
  if (!(df > 0) || !Number.isFinite(df)) {
    throw new RangeError(`df must be a positive number, got ${df}`);
  }
  const rho = options.rho ?? 0;
  checkRho(rho);
  const pairs = rho === 0 ? 0 : Math.min(dimX, dimY);
  const cov = pairsCovariance(dimX, dimY, pairs, rho);
  const base = gaussianFromCovariance(
    `student-${dimX}x${dimY}-df${df}`,
    cov,
    dimX,
  );
  const correction = studentTerm(df) + studentTerm(df + dimX + dimY) -
    studentTerm(df + dimX) - studentTerm(df + dimY);
  return {
    name: base.name,
    dimX,
    dimY,
    mutualInformation: base.mutualInformation + correction,
    sample(n, opts = {}) {
      const { x, y } = base.sample(n, opts);
      const r = new Random(opts.seed ?? 0, `${base.name}/chi2`);
      for (let i = 0; i < n; i++) {
        const s = Math.sqrt(df / r.chiSquared(df));
        for (let j = 0; j < dimX; j++) x[i][j] *= s;
        for (let j = 0; j < dimY; j++) y[i][j] *= s;
      }
      return { x, y };
    },
  };
}

/**
 * Additive uniform noise in 1-D: X ~ U(0, 1), Y = X + N with
 * N ~ U(−ε, ε); I = ε − ln(2ε) for ε ≤ ½, else 1/(4ε).
 *
 * @example
 * ```ts
 * import { additiveUniform } from "./ground_truth.ts";
 * if (Math.abs(additiveUniform({ epsilon: 0.5 }).mutualInformation - 0.5) > 1e-12) throw new Error();
 * ```
 */
export function additiveUniform(options: { epsilon: number }): MITask {
  const { epsilon } = options;
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) {
    throw new RangeError(`epsilon must be a positive number, got ${epsilon}`);
  }
  const name = `additive-uniform-eps${epsilon}`;
  return {
    name,
    dimX: 1,
    dimY: 1,
    mutualInformation: epsilon <= 0.5
      ? epsilon - Math.log(2 * epsilon)
      : 1 / (4 * epsilon),
    sample(n, options = {}) {
      checkN(n);
      const r = new Random(options.seed ?? 0, name);
      const x: number[][] = [];
      const y: number[][] = [];
      for (let i = 0; i < n; i++) {
        const xi = r.random();
        x.push([xi]);
        y.push([xi + r.uniform(-epsilon, epsilon)]);
      }
      return { x, y };
    },
  };
}

/** Invertible maps applied to each of X and Y; they leave MI unchanged. */
export type TransformKind = "normalCdf" | "halfCube" | "asinh" | "spiral";

// The standard normal CDF, re-exported as `tasks.normalCdf` (public API);
// one implementation, in _math/special.ts, serves the whole library.
export { normalCdf };

function mapVector(kind: TransformKind, v: number[], speed: number): number[] {
  switch (kind) {
    case "normalCdf":
      return v.map(normalCdf);
    case "halfCube":
      return v.map((a) => a * Math.sqrt(Math.abs(a)));
    case "asinh":
      return v.map(Math.asinh);
    case "spiral": {
      // Rotate the first two coordinates by an angle growing with ‖v‖²:
      // the norm is kept, so the map is invertible.
      let norm2 = 0;
      for (const a of v) norm2 += a * a;
      const theta = speed * norm2;
      const [c, s] = [Math.cos(theta), Math.sin(theta)];
      const out = v.slice();
      out[0] = c * v[0] - s * v[1];
      out[1] = s * v[0] + c * v[1];
      return out;
    }
  }
}

/**
 * The same task seen through an invertible map of X and of Y — uniform
 * margins (`normalCdf`), `halfCube` x·|x|^½, `asinh`, or a `spiral`
 * rotation (needs dimension ≥ 2; `speed` default 0.5). MI is unchanged.
 *
 * @example
 * ```ts
 * import { correlatedGaussian, transform } from "./ground_truth.ts";
 * const base = correlatedGaussian({ dim: 2, rho: 0.7 });
 * const t = transform(base, "spiral");
 * if (t.mutualInformation !== base.mutualInformation) throw new Error();
 * ```
 */
export function transform(
  task: MITask,
  kind: TransformKind,
  options: { speed?: number } = {},
): MITask {
  const kinds: TransformKind[] = ["normalCdf", "halfCube", "asinh", "spiral"];
  if (!kinds.includes(kind)) {
    throw new RangeError(
      `unknown transform "${kind}"; use ${kinds.join(", ")}`,
    );
  }
  if (kind === "spiral" && (task.dimX < 2 || task.dimY < 2)) {
    throw new RangeError(
      `the spiral needs X and Y of dimension >= 2; ${task.name} has ${task.dimX} and ${task.dimY}`,
    );
  }
  const speed = options.speed ?? 0.5;
  return {
    name: `${kind}(${task.name})`,
    dimX: task.dimX,
    dimY: task.dimY,
    mutualInformation: task.mutualInformation,
    sample(n, opts) {
      const { x, y } = task.sample(n, opts);
      return {
        x: x.map((v) => mapVector(kind, v, speed)),
        y: y.map((v) => mapVector(kind, v, speed)),
      };
    },
  };
}

/**
 * Poole et al.'s staircase: correlated Gaussians of dimension `dim`
 * (default 20) whose true MI steps through `levels` (default 2, 4, 6, 8, 10
 * nats), one task per level: rho = √(1 − exp(−2I/dim)).
 *
 * @example
 * ```ts
 * import { staircase } from "./ground_truth.ts";
 * const steps = staircase();
 * if (Math.abs(steps[4].mutualInformation - 10) > 1e-9) throw new Error();
 * ```
 */
export function staircase(
  options: { dim?: number; levels?: readonly number[] } = {},
): MITask[] {
  const dim = options.dim ?? 20;
  const levels = options.levels ?? [2, 4, 6, 8, 10];
  return levels.map((mi) => {
    if (!(mi > 0)) {
      throw new RangeError(`staircase levels must be positive, got ${mi}`);
    }
    return correlatedGaussian({
      dim,
      rho: Math.sqrt(1 - Math.exp((-2 * mi) / dim)),
    });
  });
}
