/**
 * Experiment 1 of the thesis, re-testable: predict a task's Hyperband
 * posterior from (architecture one-hot, a feature vector of that
 * architecture on the task) with an MLP trained by MSE on the training
 * tasks, and compare with baselines on the held-out tasks — uniform, a
 * Gaussian fitted to the training posteriors, the nearest training task by
 * mean MI, and the same MLP given accuracy or task meta-features instead of
 * MI. Test MSE and KL, mean ± SE over seeds (the analogue of Table 3.1).
 *
 * Features per architecture, standardised per task across its architectures
 * as in the thesis: `mi-<estimator>` (I(C_i; y) of the 4 hidden layers) or
 * `accuracy` (validation accuracy at each rung budget), or any
 * {@linkcode FeatureSet} the caller computes (the sweep's best signal).
 * `meta` uses task meta-features (log n, log d, classes, H(Y)),
 * standardised over tasks; `architecture only` gives the MLP the one-hot
 * alone, the control that shows whether any feature helps.
 *
 * @module
 */

import pl from "nodejs-polars";
import { ensureBackend, tf, variableOf } from "../../lib/nets/backend.ts";
import { Random } from "../../lib/space/random.ts";
import {
  hyperbandPosterior,
  hyperbandSelect,
  type SweepArchitecture,
} from "./hyperband_posterior.ts";
import { klDivergence, mse } from "../../lib/predict/metrics.ts";
import { columnMoments } from "../../lib/mi/input.ts";

/** An architecture row of the sweep with its measurements. */
export interface SweepRow extends SweepArchitecture {
  /** `mi[estimator][i]`: I(C_{i+1}; y) in nats. */
  mi: Record<string, number[]>;
}

/** A task's facts the experiment needs. */
export interface TaskInfo {
  index: number;
  name: string;
  heldOut: boolean;
  /** Meta-features, e.g. [log n, log d, classes, H(Y)]. */
  meta: number[];
}

/** Reads the sweep's table (rows of `deno task regenerate predictors`). */
export function sweepRows(
  table: pl.DataFrame | readonly Record<string, unknown>[],
  budgets: readonly number[],
  estimators: readonly string[],
): SweepRow[] {
  const records = Array.isArray(table)
    ? table as Record<string, unknown>[]
    : (table as pl.DataFrame).toRecords();
  return records.filter((r) => r.status === "ok").map((r) => ({
    task: r.task as number,
    bracket: r.bracket as number,
    slot: r.slot as number,
    widths: [r.w1, r.w2, r.w3, r.w4] as number[],
    accuracy: Object.fromEntries(
      budgets.map((b) => [b, r[`acc_${b}`] as number]),
    ),
    mi: Object.fromEntries(
      estimators.map((e) => [
        e,
        [1, 2, 3, 4].map((i) => r[`mi_${e}_${i}`] as number),
      ]),
    ),
  }));
}

/** What the predictor or a baseline is given. */
export type Method =
  | "uniform"
  | "gaussian"
  | "nearest task (MI)"
  | `MLP + ${string}`;

/**
 * A feature set computed by the caller (e.g. one signal of the sweep, see
 * `signalFeature`): `MLP + <name>` in the results; its values are
 * standardised per task like the named feature sets.
 */
export interface FeatureSet {
  /** Shown as `MLP + <name>`; must differ from the other feature sets. */
  name: string;
  /** The architecture's feature vector on its task. */
  of: (row: SweepRow) => number[];
}

/** Options of {@linkcode experiment1}. */
export interface Experiment1Options {
  /** Width options, ascending (the one-hot and the posterior's support). */
  options: readonly number[];
  maxBudget: number;
  eta: number;
  budgets: readonly number[];
  /**
   * Feature sets for the MLP: "mi-<estimator>", "accuracy", "meta",
   * "architecture only" (no features: the control any feature must beat),
   * or a {@linkcode FeatureSet}.
   */
  features: readonly (string | FeatureSet)[];
  /** Estimator whose mean MI picks the nearest training task. */
  nearestBy: string;
  /** Predictor seeds. Default 5. */
  seeds?: number;
  lambda?: number;
  /** MLP hidden width. Default 64. */
  hidden?: number;
  /**
   * Training lengths to choose from (full batch, Adam): the one with the
   * lowest MSE on every fourth training task, held out for this, is then
   * used on all training tasks. Default [25, 50, 100, 200].
   */
  epochCandidates?: readonly number[];
  /** Adam's learning rate. Default 1e-3. */
  learningRate?: number;
}

/** One method × seed result on the held-out tasks. */
export interface Experiment1Row {
  method: Method;
  seed: number;
  /** Mean over held-out architectures of the MSE between predicted and true posterior. */
  mse: number;
  /** Mean over held-out architectures and layers of KL(true ‖ predicted), nats. */
  kl: number;
}

/**
 * Each column of `rows` standardised to mean 0 and sd 1 (population); a
 * column whose spread is only rounding error (e.g. 17 equal MI values
 * whose mean is off by an ulp) becomes 0, as {@linkcode columnMoments} rules.
 *
 * @example
 * ```ts
 * import { standardiseColumns } from "./posterior_prediction.ts";
 * const z = standardiseColumns([[1, 0.3], [3, 0.3], [5, 0.3]]);
 * if (z[2][0] !== Math.sqrt(1.5) || z.some((r) => r[1] !== 0)) throw new Error();
 * ```
 */
export function standardiseColumns(rows: readonly number[][]): number[][] {
  const d = rows[0]?.length ?? 0;
  const { mean, std } = columnMoments({
    rows: rows.length,
    cols: d,
    data: Float64Array.from(rows.flat()),
  });
  return rows.map((r) =>
    r.map((v, j) => (std[j] > 0 ? (v - mean[j]) / std[j] : 0))
  );
}

/** The Gaussian baseline: per layer, a discretised normal with the training posteriors' mean and variance of the option index. */
function gaussianBaseline(train: number[][][], k: number): number[][] {
  const layers = train[0].length;
  return Array.from({ length: layers }, (_, l) => {
    const avg = Array.from(
      { length: k },
      (_, j) => train.reduce((s, p) => s + p[l][j], 0) / train.length,
    );
    const m = avg.reduce((s, p, j) => s + p * j, 0);
    const v = Math.max(avg.reduce((s, p, j) => s + p * (j - m) ** 2, 0), 1e-6);
    const dens = avg.map((_, j) => Math.exp(-0.5 * (j - m) ** 2 / v));
    const z = dens.reduce((a, b) => a + b, 0);
    return dens.map((p) => p / z);
  });
}

/** Fits the posterior MLP; returns its predictions for `xTest` after each of the (ascending) `checkpoints` epochs. */
function fitPredict(
  xTrain: number[][],
  yTrain: number[][][],
  xTest: number[][],
  seed: number,
  hidden: number,
  checkpoints: readonly number[],
  lr: number,
): number[][][][] {
  const layers = yTrain[0].length, k = yTrain[0][0].length;
  const d = xTrain[0].length;
  const r = new Random(seed, "posterior-mlp");
  const glorot = (a: number, b: number) => {
    const limit = Math.sqrt(6 / (a + b));
    return variableOf(() =>
      tf.tensor2d(
        Float32Array.from({ length: a * b }, () => r.uniform(-limit, limit)),
        [a, b],
      )
    );
  };
  const w1 = glorot(d, hidden), b1 = variableOf(() => tf.zeros([hidden]));
  const w2 = glorot(hidden, layers * k),
    b2 = variableOf(() => tf.zeros([layers * k]));
  const forward = (x: tf.Tensor2D) =>
    tf.softmax(
      tf.reshape(
        tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2),
        [-1, layers, k],
      ),
    );
  const opt = tf.train.adam(lr);
  const x = tf.tensor2d(xTrain);
  const y = tf.tensor3d(yTrain);
  const out: number[][][][] = [];
  try {
    const last = Math.max(...checkpoints);
    for (let e = 1; e <= last; e++) {
      const loss = opt.minimize(
        () => tf.mean(tf.square(tf.sub(forward(x), y))) as tf.Scalar,
        true,
      );
      loss?.dispose();
      if (checkpoints.includes(e)) {
        out.push(
          tf.tidy(() =>
            forward(tf.tensor2d(xTest)).arraySync() as number[][][]
          ),
        );
      }
    }
    return out;
  } finally {
    tf.dispose([x, y, w1, b1, w2, b2]);
    opt.dispose();
  }
}

/** A predicted (or true) posterior of one held-out task, for figures. */
export interface PosteriorExample {
  task: number;
  method: Method | "truth";
  layer: number;
  width: number;
  probability: number;
}

/** What {@linkcode experiment1} returns. */
export interface Experiment1Result {
  rows: Experiment1Row[];
  /** Seed 0's predictions for the first held-out task, averaged over its architectures, and the truth. */
  example: PosteriorExample[];
  /** Seed 0's prediction of each method for each held-out task (by task index), averaged over the task's architectures: usable as a Hyperband prior in experiment 2. */
  priors: Record<string, Record<number, number[][]>>;
}

/**
 * Runs experiment 1: every method on the held-out tasks, over seeds.
 *
 * @example
 * ```ts ignore
 * const { rows, example } = await experiment1(sweepRows(df, [1, 3, 9], ["binning"]), tasks, { ... });
 * ```
 */
export async function experiment1(
  rows: readonly SweepRow[],
  tasks: readonly TaskInfo[],
  options: Experiment1Options,
): Promise<Experiment1Result> {
  await ensureBackend();
  const k = options.options.length;
  const seeds = options.seeds ?? 5;
  const byTask = new Map<number, SweepRow[]>();
  for (const r of rows) {
    if (!byTask.has(r.task)) byTask.set(r.task, []);
    byTask.get(r.task)!.push(r);
  }
  const posterior = new Map<number, number[][]>();
  for (const [t, archs] of byTask) {
    posterior.set(
      t,
      hyperbandPosterior(
        hyperbandSelect(archs, options.maxBudget, options.eta),
        options.maxBudget,
        { options: options.options, lambda: options.lambda },
      ),
    );
  }
  const trainTasks = tasks.filter((t) => !t.heldOut && byTask.has(t.index));
  const testTasks = tasks.filter((t) => t.heldOut && byTask.has(t.index));
  if (trainTasks.length === 0 || testTasks.length === 0) {
    throw new RangeError(
      `experiment 1 needs training and held-out tasks in the table; got ${trainTasks.length} and ${testTasks.length}`,
    );
  }
  const testRows = testTasks.flatMap((t) => byTask.get(t.index)!);
  const exampleTask = testTasks[0].index;
  const example: PosteriorExample[] = [];
  const priors: Record<string, Record<number, number[][]>> = {};
  const addExample = (method: Method | "truth", p: number[][]) =>
    p.forEach((layer, l) =>
      layer.forEach((probability, k) =>
        example.push({
          task: exampleTask,
          method,
          layer: l + 1,
          width: options.options[k],
          probability,
        })
      )
    );
  addExample("truth", posterior.get(exampleTask)!);
  const score = (
    method: Method,
    seed: number,
    predict: (r: SweepRow) => number[][],
  ) => {
    if (seed === 0) {
      // Each held-out task's prediction, averaged over its architectures.
      priors[method] = {};
      for (const t of testTasks) {
        const mine = testRows.filter((r) => r.task === t.index).map(predict);
        priors[method][t.index] = mine[0].map((layer, l) =>
          layer.map((_, k) =>
            mine.reduce((s, p) => s + p[l][k], 0) / mine.length
          )
        );
      }
      addExample(method, priors[method][exampleTask]);
    }
    let m = 0, kl = 0;
    for (const r of testRows) {
      const truth = posterior.get(r.task)!;
      const pred = predict(r);
      m += mse(pred, truth);
      kl += truth.reduce((s, p, l) => s + klDivergence(p, pred[l]), 0) /
        truth.length;
    }
    return { method, seed, mse: m / testRows.length, kl: kl / testRows.length };
  };
  const out: Experiment1Row[] = [];
  const uniform = Array.from(
    { length: 4 },
    () => new Array<number>(k).fill(1 / k),
  );
  const gaussian = gaussianBaseline(
    trainTasks.map((t) => posterior.get(t.index)!),
    k,
  );
  const meanMI = (t: number) => {
    const archs = byTask.get(t)!;
    return [0, 1, 2, 3].map((i) =>
      archs.reduce((s, a) => s + a.mi[options.nearestBy][i], 0) / archs.length
    );
  };
  // Each held-out task's nearest training task by mean MI, found once.
  const trainMI = trainTasks.map((t) => meanMI(t.index));
  const nearest = new Map(testTasks.map((test) => {
    const mine = meanMI(test.index);
    let best = 0, bestD = Infinity;
    trainMI.forEach((other, k) => {
      const d = other.reduce((s, v, i) => s + (v - mine[i]) ** 2, 0);
      if (d < bestD) [best, bestD] = [k, d];
    });
    return [test.index, posterior.get(trainTasks[best].index)!];
  }));
  // Feature vectors per row, standardised per task (meta: over tasks).
  const metaStd = new Map(
    standardiseColumns(tasks.map((t) => t.meta)).map((
      v,
      i,
    ) => [tasks[i].index, v]),
  );
  const featureRows = (
    feature: string | FeatureSet,
  ): Map<SweepRow, number[]> => {
    const map = new Map<SweepRow, number[]>();
    for (const archs of byTask.values()) {
      const raw = archs.map((a) =>
        typeof feature !== "string"
          ? feature.of(a)
          : feature === "accuracy"
          ? options.budgets.map((b) => a.accuracy[b])
          : feature === "meta"
          ? metaStd.get(a.task)!
          : feature === "architecture only"
          ? []
          : a.mi[feature.replace(/^mi-/, "")]
      );
      const std = feature === "meta" || feature === "architecture only"
        ? raw
        : standardiseColumns(raw);
      archs.forEach((a, i) => map.set(a, std[i]));
    }
    return map;
  };
  const oneHot = (a: SweepRow) =>
    a.widths.flatMap((w) => options.options.map((o) => (o === w ? 1 : 0)));
  const trainRows = trainTasks.flatMap((t) => byTask.get(t.index)!);
  const nameOf = (f: string | FeatureSet) => typeof f === "string" ? f : f.name;
  const names = options.features.map(nameOf);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) {
    throw new RangeError(`experiment 1: two feature sets named "${twice}"`);
  }
  const features = new Map(options.features.map((f) => [f, featureRows(f)]));
  // Training length chosen on held-out training tasks, never on the test tasks.
  const inner = trainTasks.filter((_, i) => i % 4 !== 3)
    .flatMap((t) => byTask.get(t.index)!);
  const check = trainTasks.filter((_, i) => i % 4 === 3)
    .flatMap((t) => byTask.get(t.index)!);
  for (let seed = 0; seed < seeds; seed++) {
    out.push(score("uniform", seed, () => uniform));
    out.push(score("gaussian", seed, () => gaussian));
    out.push(score("nearest task (MI)", seed, (r) => nearest.get(r.task)!));
    for (const feature of options.features) {
      const f = features.get(feature)!;
      const input = (a: SweepRow) => [...oneHot(a), ...f.get(a)!];
      const fit = (train: SweepRow[], evalRows: SweepRow[], at: number[]) =>
        fitPredict(
          train.map(input),
          train.map((a) => posterior.get(a.task)!),
          evalRows.map(input),
          seed,
          options.hidden ?? 64,
          at,
          options.learningRate ?? 1e-3,
        );
      const candidates = [...(options.epochCandidates ?? [25, 50, 100, 200])]
        .sort((a, b) => a - b);
      const validation = fit(inner, check, candidates).map((preds) =>
        preds.reduce((s, p, i) => s + mse(p, posterior.get(check[i].task)!), 0)
      );
      const epochs = candidates[validation.indexOf(Math.min(...validation))];
      const [preds] = fit(trainRows, testRows, [epochs]);
      const byRow = new Map(testRows.map((r, i) => [r, preds[i]]));
      out.push(score(`MLP + ${nameOf(feature)}`, seed, (r) => byRow.get(r)!));
    }
  }
  return { rows: out, example, priors };
}

/**
 * Mean ± standard error per method (the analogue of the thesis's Table 3.1).
 *
 * @example
 * ```ts
 * import { summariseExperiment1 } from "./posterior_prediction.ts";
 * const s = summariseExperiment1([{ method: "uniform", seed: 0, mse: 1, kl: 2 }, { method: "uniform", seed: 1, mse: 3, kl: 2 }]);
 * if (s[0].mse !== 2 || s[0].mseSE !== 1) throw new Error();
 * ```
 */
export function summariseExperiment1(rows: readonly Experiment1Row[]): {
  method: Method;
  mse: number;
  mseSE: number;
  kl: number;
  klSE: number;
  seeds: number;
}[] {
  const methods = [...new Set(rows.map((r) => r.method))];
  return methods.map((method) => {
    const mine = rows.filter((r) => r.method === method);
    const stat = (v: number[]) => {
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = v.length > 1
        ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1))
        : 0;
      return [m, sd / Math.sqrt(v.length)];
    };
    const [mse, mseSE] = stat(mine.map((r) => r.mse));
    const [kl, klSE] = stat(mine.map((r) => r.kl));
    return { method, mse, mseSE, kl, klSE, seeds: mine.length };
  });
}
