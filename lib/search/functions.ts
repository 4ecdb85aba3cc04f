/**
 * Synthetic objectives with known optima for testing and comparing search
 * methods: Branin, Hartmann-6, Rosenbrock, and a conditional-space toy. Each
 * comes with its search space and its minimum.
 *
 * @module
 */

import {
  categorical,
  type Config,
  float,
  SearchSpace,
} from "../space/space.ts";
import type { Fidelity } from "./searcher.ts";

/** An objective with its space and known minimum. */
export interface TestFunction {
  /**
   * A short name, e.g. "branin" (the key in {@linkcode TEST_FUNCTIONS} may
   * differ: "conditional").
   */
  name: string;
  /** The domain searched. */
  space: SearchSpace;
  /** The global minimum value. */
  minimum: number;
  /** The function's value at a configuration of `space`. */
  evaluate(config: Config): number;
}

/**
 * Branin on [−5, 10] × [0, 15]; minimum 0.397887 at three points.
 *
 * @example
 * ```ts
 * import { branin } from "./functions.ts";
 * if (Math.abs(branin.evaluate({ x1: Math.PI, x2: 2.275 }) - 0.397887) > 1e-6) throw new Error();
 * ```
 */
export const branin: TestFunction = {
  name: "branin",
  space: new SearchSpace({ x1: float(-5, 10), x2: float(0, 15) }),
  minimum: 0.39788735772973816,
  evaluate(c) {
    const x1 = c.x1 as number, x2 = c.x2 as number;
    const b = 5.1 / (4 * Math.PI ** 2), k = 5 / Math.PI, t = 1 / (8 * Math.PI);
    return (x2 - b * x1 * x1 + k * x1 - 6) ** 2 +
      10 * (1 - t) * Math.cos(x1) + 10;
  },
};

const H_ALPHA = [1, 1.2, 3, 3.2];
const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => v * 1e-4));

/**
 * Hartmann-6 on [0, 1]⁶; minimum −3.32237.
 *
 * @example
 * ```ts
 * import { hartmann6 } from "./functions.ts";
 * const x = [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573];
 * const c = Object.fromEntries(x.map((v, i) => [`x${i + 1}`, v]));
 * if (Math.abs(hartmann6.evaluate(c) + 3.32237) > 1e-4) throw new Error();
 * ```
 */
export const hartmann6: TestFunction = {
  name: "hartmann6",
  space: new SearchSpace(
    Object.fromEntries(
      Array.from({ length: 6 }, (_, i) => [`x${i + 1}`, float(0, 1)]),
    ),
  ),
  minimum: -3.32236801141551,
  evaluate(c) {
    let f = 0;
    for (let i = 0; i < 4; i++) {
      let s = 0;
      for (let j = 0; j < 6; j++) {
        s += H_A[i][j] * ((c[`x${j + 1}`] as number) - H_P[i][j]) ** 2;
      }
      f -= H_ALPHA[i] * Math.exp(-s);
    }
    return f;
  },
};

/**
 * Rosenbrock in 4 dimensions on [−2, 2]⁴; minimum 0 at (1, 1, 1, 1).
 *
 * @example
 * ```ts
 * import { rosenbrock } from "./functions.ts";
 * if (rosenbrock.evaluate({ x1: 1, x2: 1, x3: 1, x4: 1 }) !== 0) throw new Error();
 * ```
 */
export const rosenbrock: TestFunction = {
  name: "rosenbrock",
  space: new SearchSpace(
    Object.fromEntries(
      Array.from({ length: 4 }, (_, i) => [`x${i + 1}`, float(-2, 2)]),
    ),
  ),
  minimum: 0,
  evaluate(c) {
    let f = 0;
    for (let i = 1; i < 4; i++) {
      const a = c[`x${i}`] as number, b = c[`x${i + 1}`] as number;
      f += 100 * (b - a * a) ** 2 + (1 - a) ** 2;
    }
    return f;
  },
};

/**
 * A conditional space: a `kind` chooses which of two sub-problems is active
 * ("quad": (a − 0.3)², minimum 0; "sine": 1 + sin(5b) with b ∈ [0, 2],
 * minimum 0 at b = 3π/10).
 *
 * @example
 * ```ts
 * import { conditionalToy } from "./functions.ts";
 * if (conditionalToy.evaluate({ kind: "quad", a: 0.3 }) !== 0) throw new Error();
 * ```
 */
export const conditionalToy: TestFunction = {
  name: "conditional",
  space: new SearchSpace({
    kind: categorical(["quad", "sine"]),
    a: float(-1, 1, { when: { kind: "quad" } }),
    b: float(0, 2, { when: { kind: "sine" } }),
  }),
  minimum: 0,
  evaluate(c) {
    return c.kind === "quad"
      ? ((c.a as number) - 0.3) ** 2
      : 1 + Math.sin(5 * (c.b as number));
  },
};

/**
 * A multi-fidelity Branin for budgets in [1, 27]: at budget b the value is
 * branin(x) + 10·(1 − b/27)·(1 + 0.1·x1), so low budgets rank configurations
 * almost as the full budget does but with an offset that depends on x1
 * (informative but biased); at b = 27 it is Branin itself. Cost is b.
 *
 * @example
 * ```ts
 * import { multiFidelityBranin, branin } from "./functions.ts";
 * const c = { x1: 1, x2: 2 };
 * if (multiFidelityBranin.evaluate(c, 27) !== branin.evaluate(c)) throw new Error();
 * ```
 */
export const multiFidelityBranin: {
  /** "multi-fidelity-branin". */
  name: string;
  /** Branin's space: x1 ∈ [−5, 10], x2 ∈ [0, 15]. */
  space: SearchSpace;
  /** Branin's global minimum, reached at the full budget. */
  minimum: number;
  /** The budgets to search over: 1 to 27 in steps of η = 3. */
  fidelity: Required<Fidelity>;
  /** The value of `c` at `budget` (in [1, 27]). */
  evaluate(c: Config, budget: number): number;
} = {
  name: "multi-fidelity-branin",
  space: branin.space,
  minimum: branin.minimum,
  fidelity: { min: 1, max: 27, eta: 3 },
  evaluate(c: Config, budget: number): number {
    return branin.evaluate(c) +
      10 * (1 - budget / 27) * (1 + 0.1 * (c.x1 as number));
  },
};

/** The synthetic functions by name. */
export const TEST_FUNCTIONS: Readonly<Record<string, TestFunction>> = {
  branin,
  hartmann6,
  rosenbrock,
  conditional: conditionalToy,
};
