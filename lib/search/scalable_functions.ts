/**
 * Test functions for the benchmark matrix that the fixed-size ones in
 * functions.ts do not cover: Rosenbrock and Levy in any dimension (the
 * "larger continuous" conditions), and a conditional mixed space with a known
 * optimum (categorical, integer and float parameters whose activity depends
 * on others).
 *
 * @module
 */

import {
  categorical,
  type Config,
  float,
  int,
  SearchSpace,
} from "../space/space.ts";
import type { TestFunction } from "./functions.ts";

const box = (d: number, low: number, high: number) =>
  new SearchSpace(
    Object.fromEntries(
      Array.from({ length: d }, (_, i) => [`x${i + 1}`, float(low, high)]),
    ),
  );

const xs = (c: Config, d: number) =>
  Array.from({ length: d }, (_, i) => c[`x${i + 1}`] as number);

/**
 * Rosenbrock in `d` dimensions (x1…xd) on [−5, 10]^d; minimum 0 at (1, …, 1).
 *
 * @example
 * ```ts
 * import { rosenbrockNd } from "./scalable_functions.ts";
 * const f = rosenbrockNd(10);
 * const ones = Object.fromEntries(f.space.names.map((n) => [n, 1]));
 * if (f.evaluate(ones) !== 0 || f.space.dimension !== 10) throw new Error();
 * ```
 */
export function rosenbrockNd(d: number): TestFunction {
  return {
    name: `rosenbrock-${d}d`,
    space: box(d, -5, 10),
    minimum: 0,
    evaluate(c) {
      const x = xs(c, d);
      let f = 0;
      for (let i = 0; i + 1 < d; i++) {
        f += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
      }
      return f;
    },
  };
}

/**
 * Levy in `d` dimensions (x1…xd) on [−10, 10]^d; minimum 0 at (1, …, 1).
 * Many local minima, one global one.
 *
 * @example
 * ```ts
 * import { levyNd } from "./scalable_functions.ts";
 * const f = levyNd(20);
 * const ones = Object.fromEntries(f.space.names.map((n) => [n, 1]));
 * if (Math.abs(f.evaluate(ones)) > 1e-12) throw new Error();
 * ```
 */
export function levyNd(d: number): TestFunction {
  return {
    name: `levy-${d}d`,
    space: box(d, -10, 10),
    minimum: 0,
    evaluate(c) {
      const w = xs(c, d).map((v) => 1 + (v - 1) / 4);
      let f = Math.sin(Math.PI * w[0]) ** 2;
      for (let i = 0; i + 1 < d; i++) {
        f += (w[i] - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * w[i] + 1) ** 2);
      }
      const last = w[d - 1];
      return f + (last - 1) ** 2 * (1 + Math.sin(2 * Math.PI * last) ** 2);
    },
  };
}

/**
 * A conditional mixed space with a known minimum of 0, shaped like a model
 * choice: `model` picks a branch, each branch has its own parameters, and
 * the "net" branch's widths exist only for the layers it has.
 *
 * - linear (`alpha` log-float, `penalty` categorical): minimum 0.5;
 * - tree (`depth` integer, `rate` log-float): minimum 0.3;
 * - net (`layers` 1–3, widths `w1`–`w3` in [0, 1] active up to `layers`,
 *   `activation`): 0.15·(3 − layers) + Σ (wᵢ − tᵢ)² over the active widths
 *   (t = 0.3, 0.5, 0.7) + 0.05 for tanh; minimum 0 at three layers, the
 *   targets and relu. Shallow nets are worse than the tree, so the global
 *   minimum hides behind a deceptive branch.
 *
 * @example
 * ```ts
 * import { conditionalMixed } from "./scalable_functions.ts";
 * const best = { model: "net", layers: 3, w1: 0.3, w2: 0.5, w3: 0.7, activation: "relu" };
 * if (Math.abs(conditionalMixed.evaluate(best)) > 1e-12) throw new Error();
 * ```
 */
export const conditionalMixed: TestFunction = {
  name: "conditional-mixed",
  space: new SearchSpace({
    model: categorical(["linear", "tree", "net"]),
    alpha: float(1e-4, 1, { log: true, when: { model: "linear" } }),
    penalty: categorical(["l1", "l2"], { when: { model: "linear" } }),
    depth: int(1, 12, { when: { model: "tree" } }),
    rate: float(1e-3, 1, { log: true, when: { model: "tree" } }),
    layers: int(1, 3, { when: { model: "net" } }),
    w1: float(0, 1, { when: { model: "net" } }),
    w2: float(0, 1, { when: { model: "net", layers: { gte: 2 } } }),
    w3: float(0, 1, { when: { model: "net", layers: { gte: 3 } } }),
    activation: categorical(["relu", "tanh"], { when: { model: "net" } }),
  }),
  minimum: 0,
  evaluate(c) {
    if (c.model === "linear") {
      return 0.5 + 0.1 * (Math.log10(c.alpha as number) + 2) ** 2 +
        (c.penalty === "l1" ? 0 : 0.1);
    }
    if (c.model === "tree") {
      return 0.3 + 0.02 * ((c.depth as number) - 6) ** 2 +
        0.2 * (Math.log10(c.rate as number) + 1) ** 2;
    }
    const layers = c.layers as number;
    const targets = [0.3, 0.5, 0.7];
    let f = 0.15 * (3 - layers) + (c.activation === "tanh" ? 0.05 : 0);
    for (let i = 0; i < layers; i++) {
      f += ((c[`w${i + 1}`] as number) - targets[i]) ** 2;
    }
    return f;
  },
};
