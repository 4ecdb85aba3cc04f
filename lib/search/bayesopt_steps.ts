/**
 * The BayesOpt loop made visible on a 1-D function: at each step, the GP
 * posterior on a grid, the expected improvement, and the point chosen next
 * (the grid's argmax of EI). For teaching and notebook 04; `gp-ei` is the
 * method to use for real searches.
 *
 * @module
 */

import { Random } from "../space/random.ts";
import { logExpectedImprovementBelow } from "../_math/special.ts";
import { GaussianProcess } from "./gp.ts";

/** One step of {@linkcode bayesOptSteps}. */
export interface BayesOptStep {
  /** The step, 1-based. */
  step: number;
  /** The points evaluated before this step. */
  observed: { x: number; y: number }[];
  /** The grid with the posterior mean, ± 2 sd band, and EI there. */
  grid: { x: number; mean: number; low: number; high: number; ei: number }[];
  /** The point chosen next. */
  next: number;
}

/**
 * Runs `steps` BayesOpt iterations of a GP with log EI on `f` over
 * [low, high], minimising, from `initial` uniform points.
 *
 * @example
 * ```ts
 * import { bayesOptSteps } from "./bayesopt_steps.ts";
 * const s = bayesOptSteps((x) => (x - 0.3) ** 2, { low: 0, high: 1, steps: 4 });
 * if (s.length !== 4 || s[3].observed.length !== 6) throw new Error();
 * ```
 */
export function bayesOptSteps(
  f: (x: number) => number,
  options: {
    low: number;
    high: number;
    steps: number;
    initial?: number;
    seed?: number;
    gridSize?: number;
  },
): BayesOptStep[] {
  const { low, high } = options;
  if (!(high > low)) {
    throw new RangeError(`need low < high, got [${low}, ${high}]`);
  }
  const r = new Random(options.seed ?? 0, "bayesopt-steps");
  const observed = Array.from({ length: options.initial ?? 3 }, () => {
    const x = r.uniform(low, high);
    return { x, y: f(x) };
  });
  const m = options.gridSize ?? 200;
  const xs = Array.from(
    { length: m },
    (_, i) => low + (high - low) * i / (m - 1),
  );
  const out: BayesOptStep[] = [];
  for (let step = 1; step <= options.steps; step++) {
    const unit = (x: number) => [(x - low) / (high - low)];
    const gp = GaussianProcess.fit(
      observed.map((o) => unit(o.x)),
      observed.map((o) => o.y),
    );
    const { mean, std } = gp.predict(xs.map(unit));
    const best = Math.min(...observed.map((o) => o.y));
    const grid = xs.map((x, i) => ({
      x,
      mean: mean[i],
      low: mean[i] - 2 * std[i],
      high: mean[i] + 2 * std[i],
      ei: Math.exp(logExpectedImprovementBelow(best, mean[i], std[i])),
    }));
    let k = 0;
    for (let i = 1; i < m; i++) if (grid[i].ei > grid[k].ei) k = i;
    out.push({ step, observed: [...observed], grid, next: xs[k] });
    observed.push({ x: xs[k], y: f(xs[k]) });
  }
  return out;
}
