/**
 * Functions with exact answers for hyperparameter and sensitivity studies:
 * the Runge function, a Bateman radioactive decay chain, and the Ishigami
 * function. All are generated locally from a seed.
 *
 * @module
 */

import { Random } from "../space/random.ts";
import type { Supervised } from "../nets/mlp.ts";

/**
 * Runge's function f(x) = 1 / (1 + 25x²) on [−1, 1].
 *
 * @example
 * ```ts
 * import { runge } from "./regression.ts";
 * if (runge(0) !== 1 || Math.abs(runge(0.2) - 0.5) > 1e-15) throw new Error();
 * ```
 */
export function runge(x: number): number {
  return 1 / (1 + 25 * x * x);
}

/**
 * Runge regression: `train` uniform random points on [−1, 1] (seeded), the
 * test set an even grid of `test` points including both ends.
 *
 * @example
 * ```ts
 * import { rungeData } from "./regression.ts";
 * const { train, test } = rungeData({ train: 50, test: 201, seed: 0 });
 * if (train.x.length !== 50 || test.x.length !== 201) throw new Error();
 * ```
 */
export function rungeData(
  options: { train?: number; test?: number; seed?: number } = {},
): { train: Supervised; test: Supervised } {
  const r = new Random(options.seed ?? 0, "runge");
  const nTrain = options.train ?? 100;
  const nTest = options.test ?? 401;
  const tx = Array.from({ length: nTrain }, () => [r.uniform(-1, 1)]);
  const gx = Array.from(
    { length: nTest },
    (_, i) => [-1 + (2 * i) / (nTest - 1)],
  );
  return {
    train: { x: tx, y: tx.map(([v]) => [runge(v)]) },
    test: { x: gx, y: gx.map(([v]) => [runge(v)]) },
  };
}

/**
 * The Bateman solution of a three-member decay chain A → B → C (C stable)
 * with rates k1 ≠ k2: amounts at time t from initial amounts a0, b0, c0.
 *
 * N_A = a0 e^{−k1 t};
 * N_B = b0 e^{−k2 t} + a0 k1 / (k2 − k1) (e^{−k1 t} − e^{−k2 t});
 * N_C = a0 + b0 + c0 − N_A − N_B (the chain conserves the total).
 *
 * @example
 * ```ts
 * import { bateman } from "./regression.ts";
 * const [a, b, c] = bateman(1, 1, 0, 0, 1, 2);
 * if (Math.abs(a + b + c - 1) > 1e-15 || Math.abs(a - Math.exp(-1)) > 1e-15) throw new Error();
 * ```
 */
export function bateman(
  t: number,
  a0: number,
  b0: number,
  c0: number,
  k1: number,
  k2: number,
): [number, number, number] {
  if (k1 === k2) {
    throw new RangeError(
      "bateman needs k1 ≠ k2 (the closed form divides by k2 − k1)",
    );
  }
  const ea = Math.exp(-k1 * t);
  const eb = Math.exp(-k2 * t);
  const na = a0 * ea;
  const nb = b0 * eb + (a0 * k1 / (k2 - k1)) * (ea - eb);
  return [na, nb, a0 + b0 + c0 - na - nb];
}

/**
 * Bateman regression: inputs (t, a0, b0, c0, k1, k2) with t ∈ [0, 5], initial
 * amounts in [0, 1], rates in [0.1, 2] (redrawn while |k1 − k2| < 0.05); the
 * three amounts at t as targets.
 *
 * @example
 * ```ts
 * import { batemanData } from "./regression.ts";
 * const { train } = batemanData({ train: 10, test: 10, seed: 1 });
 * if (train.x[0].length !== 6 || (train.y[0] as number[]).length !== 3) throw new Error();
 * ```
 */
export function batemanData(
  options: { train?: number; test?: number; seed?: number } = {},
): { train: Supervised; test: Supervised } {
  const r = new Random(options.seed ?? 0, "bateman");
  const draw = (n: number): Supervised => {
    const x: number[][] = [];
    const y: number[][] = [];
    for (let i = 0; i < n; i++) {
      const t = r.uniform(0, 5);
      const a0 = r.uniform(), b0 = r.uniform(), c0 = r.uniform();
      let k1 = r.uniform(0.1, 2), k2 = r.uniform(0.1, 2);
      while (Math.abs(k1 - k2) < 0.05) {
        k1 = r.uniform(0.1, 2);
        k2 = r.uniform(0.1, 2);
      }
      x.push([t, a0, b0, c0, k1, k2]);
      y.push(bateman(t, a0, b0, c0, k1, k2));
    }
    return { x, y };
  };
  return {
    train: draw(options.train ?? 512),
    test: draw(options.test ?? 1024),
  };
}

/**
 * The Ishigami function sin x1 + a sin² x2 + b x3⁴ sin x1 (a = 7, b = 0.1 by
 * default), the standard check of sensitivity indices: with inputs uniform on
 * [−π, π], x2 has the largest first-order effect, x1 acts alone and through
 * its interaction with x3, and x3 has no effect on its own.
 *
 * @example
 * ```ts
 * import { ishigami } from "./regression.ts";
 * if (Math.abs(ishigami([Math.PI / 2, Math.PI / 2, 0]) - 8) > 1e-12) throw new Error();
 * ```
 */
export function ishigami(
  x: readonly number[],
  a = 7,
  b = 0.1,
): number {
  return Math.sin(x[0]) + a * Math.sin(x[1]) ** 2 +
    b * x[2] ** 4 * Math.sin(x[0]);
}

/**
 * n seeded Ishigami samples: inputs uniform on [−π, π]³ and their outputs.
 *
 * @example
 * ```ts
 * import { ishigamiSample } from "./regression.ts";
 * const { x, y } = ishigamiSample(10, 0);
 * if (x.length !== 10 || y.length !== 10) throw new Error();
 * ```
 */
export function ishigamiSample(
  n: number,
  seed = 0,
): { x: number[][]; y: number[] } {
  const r = new Random(seed, "ishigami");
  const x = Array.from(
    { length: n },
    () => [0, 0, 0].map(() => r.uniform(-Math.PI, Math.PI)),
  );
  return { x, y: x.map((row) => ishigami(row)) };
}
