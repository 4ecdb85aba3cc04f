/**
 * The benchmark matrix's standard conditions (issue 24): small continuous
 * (Branin, Hartmann-6), larger continuous (Rosenbrock and Levy in 10 and 20
 * dimensions), a synthetic conditional mixed space, NAS-Bench-201's three
 * data sets (when its table's path is given), two multi-fidelity conditions
 * (the multi-fidelity Branin, and a learning-curve function whose low budgets
 * are informative but biased), noisy versions (NAS-Bench-201 on CIFAR-10
 * among them), and (only on request: each evaluation trains a network)
 * the MLP spaces with conditional widths on the Runge and digits tasks.
 *
 * @module
 */

import { branin, hartmann6, multiFidelityBranin } from "./functions.ts";
import {
  conditionalMixed,
  levyNd,
  rosenbrockNd,
} from "./scalable_functions.ts";
import { fromTestFunction, type MatrixCondition } from "./matrix.ts";
import { nasBench201 } from "./tabular.ts";
import { learningCurve } from "./learning_curve.ts";

/** Options of {@linkcode matrixConditions}. */
export interface MatrixConditionsOptions {
  /** Keep only the conditions with these names (or groups). */
  only?: readonly string[];
  /** The NAS-Bench-201 table (`nb201-mini.csv.gz`); without it, no NB201 conditions. */
  nasBench201Path?: string | null;
  /**
   * More conditions, appended before `only` filters, e.g. the slow
   * real-training ones, `mlpMatrixConditions()` from the nets entry (kept
   * out of this entry, which loads no tfjs).
   */
  extra?: readonly MatrixCondition[];
}

/**
 * The standard conditions, in a stable order. Names: branin, hartmann6,
 * rosenbrock-10d, rosenbrock-20d, levy-10d, levy-20d, conditional-mixed,
 * nb201-cifar10, nb201-cifar100, nb201-imagenet, multi-fidelity-branin,
 * learning-curve, branin-noisy (σ = 2), hartmann6-noisy (σ = 0.2),
 * levy-10d-noisy (σ = 1), conditional-mixed-noisy (σ = 0.05),
 * nb201-cifar10-noisy (σ = 1 accuracy point, regret of the noise-free
 * accuracy; with the NAS-Bench-201 path); then `extra`.
 *
 * @example
 * ```ts
 * import { matrixConditions } from "./matrix_conditions.ts";
 * const all = await matrixConditions();
 * if (!all.some((c) => c.name === "levy-20d")) throw new Error();
 * const small = await matrixConditions({ only: ["small-continuous"] });
 * if (small.length !== 2) throw new Error();
 * ```
 */
export async function matrixConditions(
  options: MatrixConditionsOptions = {},
): Promise<MatrixCondition[]> {
  const out: MatrixCondition[] = [
    fromTestFunction(branin, "small-continuous"),
    fromTestFunction(hartmann6, "small-continuous"),
    fromTestFunction(rosenbrockNd(10), "large-continuous"),
    fromTestFunction(rosenbrockNd(20), "large-continuous"),
    fromTestFunction(levyNd(10), "large-continuous"),
    fromTestFunction(levyNd(20), "large-continuous"),
    fromTestFunction(conditionalMixed, "conditional"),
  ];
  if (options.nasBench201Path) {
    for (const dataset of ["cifar10", "cifar100", "imagenet"] as const) {
      const nb = await nasBench201(options.nasBench201Path, { dataset });
      out.push({
        name: `nb201-${dataset}`,
        group: "architecture",
        space: nb.space,
        minimize: false,
        optimum: nb.optimum,
        evaluate: (c) => nb.evaluate(c),
      });
    }
  }
  out.push({
    name: multiFidelityBranin.name,
    group: "multi-fidelity",
    space: multiFidelityBranin.space,
    optimum: multiFidelityBranin.minimum,
    fidelity: multiFidelityBranin.fidelity,
    evaluate: (c, budget) =>
      multiFidelityBranin.evaluate(
        c,
        budget ?? multiFidelityBranin.fidelity.max,
      ),
    truth: (c) => branin.evaluate(c),
  });
  out.push({
    name: learningCurve.name,
    group: "multi-fidelity",
    space: learningCurve.space,
    optimum: learningCurve.minimum,
    fidelity: learningCurve.fidelity,
    evaluate: (c, budget) =>
      learningCurve.evaluate(c, budget ?? learningCurve.fidelity.max),
    truth: (c) => learningCurve.final(c),
  });
  out.push(
    fromTestFunction(branin, "noisy", { noise: 2 }),
    fromTestFunction(hartmann6, "noisy", { noise: 0.2 }),
    fromTestFunction(levyNd(10), "noisy", { noise: 1 }),
    fromTestFunction(conditionalMixed, "noisy", { noise: 0.05 }),
  );
  if (options.nasBench201Path) {
    // σ = 1 accuracy point: about the spread of the best 1 % of cells
    // (84.9 to 83.6 on CIFAR-10's validation accuracy after 12 epochs).
    const nb = await nasBench201(options.nasBench201Path, {
      dataset: "cifar10",
    });
    out.push({
      name: "nb201-cifar10-noisy",
      group: "noisy",
      space: nb.space,
      minimize: false,
      optimum: nb.optimum,
      evaluate: (c, _budget, random) => nb.evaluate(c) + random.normal(0, 1),
      truth: (c) => nb.evaluate(c),
    });
  }
  out.push(...options.extra ?? []);
  const only = options.only;
  return only
    ? out.filter((c) => only.includes(c.name) || only.includes(c.group))
    : out;
}
