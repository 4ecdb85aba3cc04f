/**
 * The sentences of notebook 05, computed from the numbers it shows: which
 * estimator's per-layer MI agrees best and least with accuracy, which
 * predictor wins experiment 1, and whether any controller beats a uniform
 * prior. "Beats" means by more than two standard errors.
 *
 * @module
 */

import { type Markdown, markdown } from "../../lib/viz/markdown.ts";
import type { AgreementRow } from "./mi_accuracy_agreement.ts";
import type { PriorScore } from "./prior_controller.ts";
import type { RmiSearchSummary } from "./rmi_search.ts";

/** A row of experiment 1's summary (`summariseExperiment1`). */
export interface MethodScore {
  method: string;
  mse: number;
  mseSE: number;
}

/** One feature set's controller against the uniform prior (experiment 2). */
export interface RetestRow {
  features: string;
  controller: number;
  controllerSE: number;
  uniform: number;
  uniformSE: number;
  /** controller − uniform. */
  gain: number;
}

const list = (names: readonly string[]) =>
  names.length ? names.join(", ") : "none";

/**
 * What the MI-accuracy agreement shows: the estimator and layer with the
 * highest mean Spearman ρ, each estimator's best layer, the estimator whose
 * best layer agrees least, and on how many of `taskCount` tasks each
 * estimator's MI varied at all.
 *
 * @example
 * ```ts
 * import { agreementFindings } from "./findings.ts";
 * const a = (estimator: string, layer: number, meanSpearman: number, tasks = 25) =>
 *   ({ estimator, layer, meanSpearman, se: 0.05, tasks });
 * const text = agreementFindings([a("ksg", 4, 0.4), a("binning", 2, 0.2, 9)], 25).text;
 * if (!text.includes("ksg, layer 4") || !text.includes("binning: 9 of 25")) throw new Error(text);
 * ```
 */
export function agreementFindings(
  rows: readonly AgreementRow[],
  taskCount: number,
): Markdown {
  const finite = rows.filter((r) => Number.isFinite(r.meanSpearman));
  if (finite.length === 0) throw new Error("agreementFindings needs rows");
  const byRho = [...finite].sort((a, b) => b.meanSpearman - a.meanSpearman);
  const estimators = [...new Set(finite.map((r) => r.estimator))];
  const bestLayer = estimators.map((e) => byRho.find((r) => r.estimator === e)!)
    .sort((a, b) => b.meanSpearman - a.meanSpearman);
  const rho = (r: AgreementRow) =>
    `ρ = ${r.meanSpearman.toFixed(2)} ± ${r.se.toFixed(2)}`;
  const top = byRho[0];
  const least = bestLayer[bestLayer.length - 1];
  const lines = [
    `- Highest agreement: ${top.estimator}, layer ${top.layer} (${rho(top)}).`,
    `- Each estimator's best layer: ` +
    bestLayer.map((r) => `${r.estimator} layer ${r.layer} (${rho(r)})`).join(
      "; ",
    ) + ".",
  ];
  if (bestLayer.length > 1) {
    lines.push(
      `- Weakest even at its best layer: ${least.estimator} (${rho(least)}).`,
    );
  }
  // An estimator whose MI is the same for every architecture of a task has no ρ there.
  const varied = estimators.map((e) =>
    `${e}: ${
      Math.max(...finite.filter((r) => r.estimator === e).map((r) => r.tasks))
    } of ${taskCount}`
  );
  lines.push(`- Tasks where the MI varied at all: ${varied.join(", ")}.`);
  return markdown(lines.join("\n"));
}

/**
 * One feature set's row of the re-test from experiment 2's scores.
 *
 * @example
 * ```ts
 * import { retestRow } from "./findings.ts";
 * const r = retestRow("meta", [
 *   { prior: "controller", mean: 0.51, se: 0.01, runs: 10 },
 *   { prior: "uniform", mean: 0.5, se: 0.01, runs: 10 },
 * ]);
 * if (Math.abs(r.gain - 0.01) > 1e-12) throw new Error();
 * ```
 */
export function retestRow(
  features: string,
  scores: readonly PriorScore[],
): RetestRow {
  const c = scores.find((s) => s.prior === "controller");
  const u = scores.find((s) => s.prior === "uniform");
  if (!c || !u) {
    throw new Error("retestRow needs controller and uniform scores");
  }
  return {
    features,
    controller: c.mean,
    controllerSE: c.se,
    uniform: u.mean,
    uniformSE: u.se,
    gain: c.mean - u.mean,
  };
}

/**
 * The re-test as a reader's table: scores to 4 significant digits, the gain
 * in units of 10⁻⁴ (gains are tiny next to scores near 0.5) and the gain
 * over its standard error.
 *
 * @example
 * ```ts
 * import { retestTable } from "./findings.ts";
 * const [t] = retestTable([{ features: "ksg", controller: 0.5, controllerSE: 3e-5, uniform: 0.49999, uniformSE: 4e-5, gain: 1e-5 }]);
 * if (t["gain (×10⁻⁴)"] !== 0.1 || t["gain / SE"] !== 0.2) throw new Error(JSON.stringify(t));
 * ```
 */
export function retestTable(
  rows: readonly RetestRow[],
): Record<string, string | number>[] {
  const r4 = (v: number) => Number(v.toPrecision(4));
  return rows.map((r) => ({
    features: r.features,
    controller: r4(r.controller),
    uniform: r4(r.uniform),
    "gain (×10⁻⁴)": Number((r.gain * 1e4).toFixed(2)),
    "gain / SE": Number(
      (r.gain / Math.hypot(r.controllerSE, r.uniformSE)).toFixed(1),
    ),
  }));
}

/** Options of {@linkcode predictorFindings}. */
export interface PredictorFindingsOptions {
  /** Signals run as `MLP + <signal>` in experiment 1 (the chosen best signals): each is set against the best MI-fed MLP and the baselines. */
  signals?: readonly string[];
  /** Experiment 2's scores of fixed priors (with "uniform"): each prior's gain over the uniform one. */
  priors?: readonly PriorScore[];
}

/**
 * The conclusion of both experiments from this run's numbers: the lowest
 * test MSE, which MI-fed MLPs beat each baseline by more than 2 SE, how
 * the MLP given the best signal does against them, each prior's gain over
 * the uniform prior, and which feature sets' controllers beat the uniform
 * prior by more than 2 SE.
 *
 * @example
 * ```ts
 * import { predictorFindings } from "./findings.ts";
 * const m = (method: string, mse: number) => ({ method, mse, mseSE: 1e-6 });
 * const base = [m("uniform", 8e-5), m("gaussian", 7e-5), m("MLP + accuracy", 7e-5), m("MLP + meta", 7e-5)];
 * const wins = predictorFindings([...base, m("MLP + mi-ksg", 5e-5)], []).text;
 * if (!wins.includes("beating the fitted Gaussian: MLP + mi-ksg")) throw new Error(wins);
 * const loses = predictorFindings([...base, m("MLP + mi-ksg", 9e-5)], []).text;
 * if (!loses.includes("beating the fitted Gaussian: none")) throw new Error(loses);
 * const signal = predictorFindings([...base, m("MLP + mi-ksg", 9e-5), m("MLP + acc", 5e-5)], [], {
 *   signals: ["acc"],
 *   priors: [{ prior: "uniform", mean: 0.5, se: 1e-4, runs: 10 }, { prior: "acc", mean: 0.501, se: 1e-4, runs: 10 }],
 * }).text;
 * if (!signal.includes("MLP + acc (5.000e-5 ± 1.0e-6) beats the best MI-fed MLP")) throw new Error(signal);
 * if (!signal.includes("acc: 10.00 ± 1.41; beating it by more than 2 SE: acc")) throw new Error(signal);
 * ```
 */
export function predictorFindings(
  table1: readonly MethodScore[],
  retest: readonly RetestRow[],
  options: PredictorFindingsOptions = {},
): Markdown {
  if (table1.length === 0) throw new Error("predictorFindings needs table1");
  const row = (m: string) => table1.find((r) => r.method === m);
  const beats = (a: MethodScore, b: MethodScore | undefined) =>
    b !== undefined && a.mse + 2 * a.mseSE < b.mse - 2 * b.mseSE;
  const miFed = table1.filter((r) => r.method.startsWith("MLP + mi-"));
  const best = [...table1].sort((a, b) => a.mse - b.mse)[0];
  const beating = (m: string) =>
    list(miFed.filter((r) => beats(r, row(m))).map((r) => r.method));
  const beatsUniform = retest.filter((r) =>
    r.gain > 2 * Math.hypot(r.controllerSE, r.uniformSE)
  );
  const lines = [
    `- Experiment 1, lowest test MSE: **${best.method}** (${
      best.mse.toExponential(3)
    } ± ${best.mseSE.toExponential(1)}).`,
    `- MI-fed MLPs beating the fitted Gaussian: ${beating("gaussian")}.`,
    `- MI-fed MLPs beating the uniform posterior: ${beating("uniform")}.`,
    `- MI-fed MLPs beating the same MLP given accuracy: ${
      beating("MLP + accuracy")
    }; given meta-features: ${beating("MLP + meta")}.`,
  ];
  // The control: does any feature help the MLP beyond the architecture?
  const control = row("MLP + architecture only");
  if (control !== undefined) {
    const fed = table1.filter((r) =>
      r.method.startsWith("MLP + ") && r !== control
    );
    lines.push(
      `- The same MLP given the architecture only (${
        control.mse.toExponential(3)
      } ± ${control.mseSE.toExponential(1)}); MLPs whose features beat it: ${
        list(fed.filter((r) => beats(r, control)).map((r) => r.method))
      }; that lose to it: ${
        list(fed.filter((r) => beats(control, r)).map((r) => r.method))
      }.`,
    );
  }
  // The best signal's MLP against the MI-fed ones and the baselines.
  const bestMI = [...miFed].sort((a, b) => a.mse - b.mse)[0];
  for (const signal of options.signals ?? []) {
    const mine = row(`MLP + ${signal}`);
    if (mine === undefined) continue;
    const verdict = (other: MethodScore | undefined) =>
      other === undefined
        ? "not run"
        : beats(mine, other)
        ? "beats"
        : beats(other, mine)
        ? "loses to"
        : "within 2 SE of";
    lines.push(
      `- Chosen signal ${signal}: MLP + ${signal} (${
        mine.mse.toExponential(3)
      } ± ${mine.mseSE.toExponential(1)}) ${
        verdict(bestMI)
      } the best MI-fed MLP${bestMI ? ` (${bestMI.method})` : ""}; it ${
        verdict(row("gaussian"))
      } the fitted Gaussian and ${
        verdict(row("uniform"))
      } the uniform posterior; MI-fed MLPs it beats: ${
        list(miFed.filter((r) => beats(mine, r)).map((r) => r.method))
      }.`,
    );
  }
  if (options.priors !== undefined) {
    const u = options.priors.find((p) => p.prior === "uniform");
    if (u === undefined) throw new Error("predictorFindings: no uniform prior");
    const gain = (p: PriorScore) =>
      `${p.prior}: ${((p.mean - u.mean) * 1e4).toFixed(2)} ± ${
        (Math.hypot(p.se, u.se) * 1e4).toFixed(2)
      }`;
    const others = options.priors.filter((p) => p !== u);
    const winners = others.filter((p) =>
      p.mean - u.mean > 2 * Math.hypot(p.se, u.se)
    );
    lines.push(
      `- Experiment 2, gain over the uniform prior (×10⁻⁴, ± SE): ${
        others.map(gain).join("; ")
      }; beating it by more than 2 SE: ${list(winners.map((p) => p.prior))}.`,
    );
  }
  if (retest.length > 0) {
    lines.push(
      `- Experiment 2, feature sets whose controller beats the uniform prior: ${
        list(beatsUniform.map((r) => r.features))
      }.`,
    );
  }
  return markdown(lines.join("\n"));
}

/**
 * What the equal-compute comparison on the CNN space shows, per budget: the
 * method with the highest mean best accuracy, and whether bore-rmi beats and
 * loses to random search and to evolution by more than two standard errors
 * (of the difference; with one seed there is no verdict). Budgets are in
 * reference trainings.
 *
 * @example
 * ```ts
 * import { rmiSearchFindings } from "./findings.ts";
 * const s = (method: "random" | "evolution" | "bore-rmi", mean: number) =>
 *   ({ method, budget: 8, mean, se: 0.002, seeds: 3, trained: 5, scored: 0 });
 * const wins = rmiSearchFindings([s("random", 0.90), s("evolution", 0.91), s("bore-rmi", 0.95)]).text;
 * if (!wins.includes("bore-rmi beats random search and evolution")) throw new Error(wins);
 * const loses = rmiSearchFindings([s("random", 0.90), s("evolution", 0.91), s("bore-rmi", 0.85)]).text;
 * if (!loses.includes("bore-rmi loses to random search and evolution")) throw new Error(loses);
 * ```
 */
export function rmiSearchFindings(
  rows: readonly RmiSearchSummary[],
): Markdown {
  if (rows.length === 0) throw new Error("rmiSearchFindings needs rows");
  const budgets = [...new Set(rows.map((r) => r.budget))].sort((a, b) => a - b);
  const names: Record<string, string> = {
    random: "random search",
    evolution: "evolution",
  };
  const lines = budgets.map((budget) => {
    const mine = rows.filter((r) => r.budget === budget);
    const best = [...mine].sort((a, b) => b.mean - a.mean)[0];
    const bore = mine.find((r) => r.method === "bore-rmi");
    const verdict = (sign: 1 | -1) =>
      mine.filter((r) =>
        r.method !== "bore-rmi" && bore !== undefined &&
        sign * (bore.mean - r.mean) > 2 * Math.hypot(bore.se, r.se)
      ).map((r) => names[r.method] ?? r.method);
    const beats = verdict(1), loses = verdict(-1);
    const parts = [
      `- Budget ${budget} reference trainings: highest mean best accuracy **${best.method}** (${
        best.mean.toFixed(4)
      } ± ${best.se.toFixed(4)}, ${best.seeds} seed${
        best.seeds === 1 ? "" : "s"
      })`,
    ];
    if (bore && mine.some((r) => r.seeds < 2)) {
      parts.push("one seed, so no verdict on bore-rmi");
    } else if (bore) {
      if (beats.length) parts.push(`bore-rmi beats ${beats.join(" and ")}`);
      if (loses.length) parts.push(`bore-rmi loses to ${loses.join(" and ")}`);
      if (!beats.length && !loses.length) {
        parts.push("bore-rmi within 2 SE of the others");
      }
    }
    return parts.join("; ") + ".";
  });
  return markdown(lines.join("\n"));
}
