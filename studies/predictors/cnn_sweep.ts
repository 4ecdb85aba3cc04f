/**
 * The thesis on CNNs (`deno task regenerate cnn-signals`): its architecture
 * space — 4 convolutional layers with filter counts from 10 to 120 in steps
 * of 5 — on the suite's 8×8 image tasks (the shipped digits and the
 * variants the suite generates from them), each architecture measured with
 * every early signal the signal comparison reads:
 *
 * - `acc_<r>`: validation accuracy after each budget r (the last is the
 *   target); `test_acc`, `params`, `filter_sum`;
 * - `zc_<proxy>`: the zero-cost proxies at initialisation, on one training
 *   batch (`zeroCostProxies`);
 * - `rmi`: RMI-NAS's loss after its proxy training against a teacher (a
 *   trained 4-layer MLP, stage = each hidden layer; CKA compares Gram
 *   matrices, so the teacher's shape need not match), lower is better;
 * - `mi_<estimator>_<i>` (after the last budget) and `mi1_<estimator>_<i>`
 *   (after one epoch): I(C_i; y) of conv layer i on the validation split by
 *   mixed-KSG and the probe bound, on the maps reduced by
 *   `reduceConvMaps` (channel means, then PCA to ≤ 10 dimensions; measured
 *   in `test/predict_conv_reduction_test.ts`).
 *
 * On 8×8 inputs the maps are not pooled (four 2×2 poolings would leave
 * nothing), which makes wide layers expensive on CPU: a 40-filter network
 * trains at about 30–80 ms per sample and epoch on tfjs's wasm backend of a
 * shared 2-core machine. So with `trainer: "kernel"` (the default) the CNNs
 * train, and RMI's proxy training and the zero-cost proxies run, on our
 * matrix kernel (`trainKernelCnn`, `rmiScoreKernel`,
 * `kernelZeroCostProxies`; 2–4 ms per sample there, 17–40× faster at 40–120
 * filters, `deno task bench conv`). `CNN_QUICK` is a handful of small
 * networks for tests and notebooks. Trials are sharded and resumable as in
 * `architecture_sweep.ts`.
 *
 * @module
 */

import {
  type Config,
  int,
  ordinal,
  SearchSpace,
} from "../../lib/space/space.ts";
import { Random } from "../../lib/space/random.ts";
import { trainNetwork } from "../../lib/nets/train.ts";
import { trainKernelCnn } from "../../lib/nets/train_kernel_cnn.ts";
import {
  buildNetwork,
  type CnnArchitecture,
} from "../../lib/nets/architecture.ts";
import { ensureBackend, tf } from "../../lib/nets/backend.ts";
import {
  ZERO_COST_PROXIES,
  zeroCostProxies,
} from "../../lib/nets/zero_cost.ts";
import { kernelZeroCostProxies } from "../../lib/nets/kernel_zero_cost.ts";
import {
  convStages,
  easiestBatch,
  rmiScore,
  teacherFeatures,
} from "../../lib/mi/rmi.ts";
import { rmiScoreKernel } from "../../lib/mi/rmi_kernel.ts";
import { estimateMI } from "../../lib/mi/estimate.ts";
import { evaluateTrials } from "../../lib/trials/evaluate.ts";
import { splitOf, type SuiteTask, taskSuite } from "./task_suite.ts";
import { reduceConvMaps } from "./conv_reduction.ts";
import { mergeShards } from "./shards.ts";
import { join } from "node:path";

/** The settings of a CNN sweep. */
export interface CnnSweepSettings {
  /** Name of the table and of its shard folder. */
  name: string;
  /** Filter options of each of the 4 conv layers. */
  filters: readonly number[];
  /** Validation accuracy is recorded after each; the last is the training length and the target. */
  budgets: readonly number[];
  /** Architectures per task. */
  architectures: number;
  /** Suite task names to run (8×8 images); default every one. */
  tasks?: readonly string[];
  /** Training rows kept per task (default all). */
  trainRows?: number;
  batchSize: number;
  learningRate: number;
  /** I(C_i; y) estimators. */
  estimators: readonly ("mixed-ksg" | "probe")[];
  /** PCA dimensions of the reduced maps. */
  reductionDims: number;
  /** Samples in the zero-cost batch. */
  zeroCostBatch: number;
  /** RMI: proxy steps, the teacher's hidden widths and epochs. */
  rmi: {
    steps: number;
    teacherWidths: readonly number[];
    teacherEpochs: number;
  };
  seed: number;
  /**
   * What trains the CNNs, runs RMI's proxy training and the zero-cost
   * proxies' passes: "kernel" (`trainKernelCnn`, `rmiScoreKernel`,
   * `kernelZeroCostProxies`: our matrix kernel; equal to tfjs up to float32
   * rounding, many times faster) or "tfjs" (`trainNetwork`, `rmiScore`,
   * `zeroCostProxies` on the wasm backend). Default "kernel".
   */
  trainer?: "kernel" | "tfjs";
}

/** The thesis's space on the suite's image tasks. */
export const CNN_SWEEP: CnnSweepSettings = {
  name: "cnn_sweep",
  filters: Array.from({ length: 23 }, (_, i) => 10 + 5 * i),
  budgets: [1, 3, 9],
  architectures: 30,
  batchSize: 64,
  learningRate: 3e-3,
  estimators: ["mixed-ksg", "probe"],
  reductionDims: 10,
  zeroCostBatch: 64,
  rmi: { steps: 150, teacherWidths: [128, 128, 128, 128], teacherEpochs: 20 },
  seed: 0,
};

/**
 * The shipped CNN table: the thesis's four conv layers, but with 4 to 24
 * filters (the thesis's 10–120 cost hours per task on a 2-core CPU with
 * tfjs, see the module doc), on three image tasks (the digits, with noise
 * 0.5, and occluded), 16 architectures each, 600 training rows, 6 epochs
 * and 50 RMI proxy steps. Trained with tfjs, as the shipped table was.
 */
export const CNN_SMALL: CnnSweepSettings = {
  ...CNN_SWEEP,
  name: "cnn_small_sweep",
  filters: [4, 8, 12, 16, 20, 24],
  budgets: [1, 3, 6],
  architectures: 16,
  tasks: ["digits", "digits + noise 0.5", "digits occluded 4×4"],
  trainRows: 600,
  rmi: { steps: 50, teacherWidths: [64, 64, 64, 64], teacherEpochs: 10 },
  trainer: "tfjs",
};

/** A few small networks on the digits, for tests and quick notebooks. */
export const CNN_QUICK: CnnSweepSettings = {
  ...CNN_SWEEP,
  name: "cnn_quick",
  filters: [4, 6, 8],
  budgets: [1, 2],
  architectures: 3,
  tasks: ["digits"],
  trainRows: 300,
  zeroCostBatch: 32,
  rmi: { steps: 5, teacherWidths: [32, 32, 32, 32], teacherEpochs: 3 },
};

/** The suite's tasks that are 8×8 images, with their suite index. */
export async function cnnTasks(
  settings: CnnSweepSettings = CNN_SWEEP,
): Promise<{ index: number; task: SuiteTask }[]> {
  const suite = await taskSuite();
  return suite.map((task, index) => ({ index, task })).filter(({ task }) =>
    task.family === "digits" && task.x[0].length === 64 &&
    (!settings.tasks || settings.tasks.includes(task.name))
  );
}

/** The trial's configuration: its task, slot and four filter counts. */
export function cnnSpace(settings: CnnSweepSettings = CNN_SWEEP): SearchSpace {
  const f = settings.filters as number[];
  return new SearchSpace({
    task: int(0, 99),
    slot: int(0, 9999),
    f1: ordinal(f),
    f2: ordinal(f),
    f3: ordinal(f),
    f4: ordinal(f),
  });
}

/**
 * Every trial, in order: per image task, `architectures` filter choices
 * drawn uniformly from a stream seeded by the task.
 *
 * @example
 * ```ts
 * import { CNN_QUICK, cnnConfigs } from "./cnn_sweep.ts";
 * const c = await cnnConfigs(CNN_QUICK);
 * if (c.length !== 3 || ![c[0].f1, c[0].f4].every((f) => [4, 6, 8].includes(f as number))) throw new Error();
 * ```
 */
export async function cnnConfigs(
  settings: CnnSweepSettings = CNN_SWEEP,
): Promise<Config[]> {
  const out: Config[] = [];
  for (const { index } of await cnnTasks(settings)) {
    out.push(...drawCnnConfigs(settings, index, settings.architectures, index));
  }
  return out;
}

/**
 * `count` configurations of one task: slots 0, 1, …, each four filter
 * counts drawn uniformly from the settings' options by a stream named
 * `cnn-archs <stream>`.
 */
export function drawCnnConfigs(
  settings: CnnSweepSettings,
  task: number,
  count: number,
  stream: string | number,
): Config[] {
  const r = new Random(settings.seed, `cnn-archs ${stream}`);
  return Array.from({ length: count }, (_, slot) => {
    const f = Array.from({ length: 4 }, () => r.choice(settings.filters));
    return { task, slot, f1: f[0], f2: f[1], f3: f[2], f4: f[3] };
  });
}

/** The CNN of a configuration. */
export function cnnArchitecture(
  config: Config,
  classes: number,
  inputShape: [number, number, number] = [8, 8, 1],
): CnnArchitecture {
  return {
    kind: "cnn",
    inputShape,
    filters: [config.f1, config.f2, config.f3, config.f4] as number[],
    pooling: "none",
    outputs: classes,
    activation: "relu",
  };
}

/** A teacher for RMI: its stage features on its 32 easiest training rows. */
export type RmiTeacher = {
  features: tf.Tensor[];
  batch: { x: tf.Tensor; y: number[] };
};

/**
 * RMI's teacher as the CNN sweep and the RMI search build it: an MLP of
 * `widths` ReLU layers trained with Adam on `train`, whose activations are
 * the stages, read on its 32 easiest of the first 256 training rows.
 * Dispose of `features` and `batch.x` when done.
 */
export async function mlpTeacher(
  train: { x: number[][]; y: number[] },
  classes: number,
  options: {
    widths: readonly number[];
    epochs: number;
    batchSize: number;
    learningRate: number;
    seed: number;
  },
): Promise<RmiTeacher> {
  const run = await trainNetwork(
    {
      kind: "mlp",
      inputs: train.x[0].length,
      widths: options.widths,
      outputs: classes,
      activation: "relu",
    },
    train,
    {
      epochs: options.epochs,
      batchSize: options.batchSize,
      learningRate: options.learningRate,
      seed: options.seed,
      captureEpochs: [],
      keepNetwork: true,
    },
  );
  const net = run.network!;
  const stages = net.model.layers.filter((l) =>
    l.getClassName() === "Activation"
  ).map((l) => l.name);
  const pool = {
    x: tf.tensor2d(train.x.slice(0, 256)),
    y: train.y.slice(0, 256),
  };
  const batch = easiestBatch(net.model, pool, 32);
  pool.x.dispose();
  const features = teacherFeatures({ model: net.model, stages }, batch.x);
  net.dispose();
  return { features, batch };
}

const teachers = new Map<string, Promise<RmiTeacher>>();

/** Per task, once per process: {@linkcode mlpTeacher} with the sweep's settings. */
function teacherFor(
  task: SuiteTask,
  train: { x: number[][]; y: number[] },
  settings: CnnSweepSettings,
): Promise<RmiTeacher> {
  const key = `${settings.name} ${task.name}`;
  if (!teachers.has(key)) {
    teachers.set(
      key,
      mlpTeacher(train, task.classes, {
        widths: settings.rmi.teacherWidths,
        epochs: settings.rmi.teacherEpochs,
        batchSize: settings.batchSize,
        learningRate: settings.learningRate,
        seed: settings.seed,
      }),
    );
  }
  return teachers.get(key)!;
}

/**
 * Measures one architecture (see the module doc for the columns). Its seed
 * is fixed by (task, slot), so any sharding gives the same table.
 */
export async function measureCnn(
  config: Config,
  settings: CnnSweepSettings = CNN_SWEEP,
): Promise<Record<string, number>> {
  const task = (await taskSuite())[config.task as number];
  if (!task) throw new RangeError(`no task ${config.task} in the suite`);
  return await measureCnnOn(task, config, settings);
}

/**
 * {@linkcode measureCnn} on any task, such as a user's images from
 * {@linkcode imageTask}: the configuration's `task` only seeds the trial.
 */
export async function measureCnnOn(
  task: SuiteTask,
  config: Config,
  settings: CnnSweepSettings = CNN_SWEEP,
): Promise<Record<string, number>> {
  await ensureBackend();
  const seed = (config.task as number) * 10_000 + (config.slot as number);
  const full = splitOf(task, "train");
  const train = settings.trainRows
    ? {
      x: full.x.slice(0, settings.trainRows),
      y: full.y.slice(0, settings.trainRows),
    }
    : full;
  const validation = splitOf(task, "validation");
  const test = splitOf(task, "test");
  const architecture = cnnArchitecture(
    config,
    task.classes,
    task.imageShape ?? [8, 8, 1],
  );
  const out: Record<string, number> = {};

  // Zero-cost proxies and RMI at initialisation, each on a fresh copy.
  {
    const net = buildNetwork(architecture, seed);
    const n = Math.min(settings.zeroCostBatch, train.x.length);
    const x = tf.tensor2d(train.x.slice(0, n));
    try {
      const batch = { x, y: train.y.slice(0, n) };
      // On the kernel, the passes' proxies; params and flops need none.
      const zc = (settings.trainer ?? "kernel") === "kernel"
        ? {
          ...kernelZeroCostProxies(
            architecture,
            net.model.getWeights().map((w) => w.dataSync()),
            { x: train.x.slice(0, n), y: batch.y },
          ),
          ...await zeroCostProxies(net.model, batch, {
            proxies: ["params", "flops"],
          }),
        }
        : await zeroCostProxies(net.model, batch);
      for (const p of ZERO_COST_PROXIES) out[`zc_${p}`] = zc[p]!;
    } finally {
      x.dispose();
      net.dispose();
    }
  }
  {
    const teacher = await teacherFor(task, train, settings);
    const net = buildNetwork(architecture, seed);
    try {
      const rmiOptions = { steps: settings.rmi.steps };
      const r = (settings.trainer ?? "kernel") === "kernel"
        ? await rmiScoreKernel(
          {
            architecture,
            weights: net.model.getWeights().map((w) => w.dataSync()),
          },
          teacher.features,
          teacher.batch,
          rmiOptions,
        )
        : await rmiScore(
          { model: net.model, stages: convStages(net.model) },
          teacher.features,
          teacher.batch,
          rmiOptions,
        );
      out.rmi = r.score;
    } finally {
      net.dispose();
    }
  }

  // Training, with every layer captured after one epoch and at the end.
  const final = settings.budgets[settings.budgets.length - 1];
  const trainOptions = {
    epochs: final,
    batchSize: settings.batchSize,
    learningRate: settings.learningRate,
    seed,
    validation,
    probe: [...validation.x, ...test.x],
    captureEpochs: [...new Set([1, final])],
  };
  const run = (settings.trainer ?? "kernel") === "kernel"
    ? await trainKernelCnn(architecture, train, trainOptions)
    : await trainNetwork(architecture, train, trainOptions);
  for (const r of settings.budgets) {
    out[`acc_${r}`] = run.history[r - 1]?.validationAccuracy ?? NaN;
  }
  const probs = run.capture.activations.at(-1)!.at(-1)!;
  const k = task.classes, nVal = validation.x.length;
  let correct = 0;
  test.y.forEach((label, i) => {
    let best = 0;
    const row = nVal + i;
    for (let c = 1; c < k; c++) {
      if (probs[row * k + c] > probs[row * k + best]) best = c;
    }
    if (best === label) correct++;
  });
  out.test_acc = correct / test.y.length;
  out.params = run.parameters;
  out.filter_sum = architecture.filters.reduce((a, b) => a + b, 0);

  // I(C_i; y) on the reduced maps of the validation rows.
  for (const [c, epoch] of run.capture.epochs.entries()) {
    const prefix = epoch === final ? "mi" : `mi${epoch}`;
    for (let l = 0; l < 4; l++) {
      const units = run.capture.layers[l].units;
      const maps = run.capture.activations[c][l].subarray(0, nVal * units);
      const reduced = reduceConvMaps(maps, nVal, architecture.filters[l], {
        dims: settings.reductionDims,
      });
      const x = Array.from(
        { length: nVal },
        (_, i) =>
          Array.from(
            reduced.data.subarray(i * reduced.cols, (i + 1) * reduced.cols),
          ),
      );
      for (const method of settings.estimators) {
        const r = await estimateMI(x, validation.y, { method, seed });
        out[`${prefix}_${method}_${l + 1}`] = r.estimate;
      }
    }
  }
  return out;
}

/** The worker entry of the full sweep: {@linkcode measureCnn} with {@linkcode CNN_SWEEP}. */
export function evaluateCnnArchitecture(
  config: Config,
): Promise<Record<string, number>> {
  return measureCnn(config, CNN_SWEEP);
}

/** The worker entry of the shipped small sweep: {@linkcode measureCnn} with {@linkcode CNN_SMALL}. */
export function evaluateCnnArchitectureSmall(
  config: Config,
): Promise<Record<string, number>> {
  return measureCnn(config, CNN_SMALL);
}

/** The worker entry of the quick sweep: {@linkcode measureCnn} with {@linkcode CNN_QUICK}. */
export function evaluateCnnArchitectureQuick(
  config: Config,
): Promise<Record<string, number>> {
  return measureCnn(config, CNN_QUICK);
}

const ROOT = join(import.meta.dirname!, "..", "..");

/** The worker function of each shipped settings object. */
const ENTRIES = new Map<CnnSweepSettings, string>([
  [CNN_SWEEP, "evaluateCnnArchitecture"],
  [CNN_SMALL, "evaluateCnnArchitectureSmall"],
  [CNN_QUICK, "evaluateCnnArchitectureQuick"],
]);

/** The shipped table of a CNN sweep: `data/<name>.parquet`. */
export function cnnTablePath(
  settings: CnnSweepSettings = CNN_SWEEP,
  root = ROOT,
): string {
  return join(root, "data", `${settings.name}.parquet`);
}

/**
 * Runs one shard (`"i/n"`: trials with index ≡ i mod n) of a CNN sweep into
 * its store under `.cache/<name>/`, resuming it, in workers. The worker
 * function is the one of `settings` (`CNN_SWEEP`, `CNN_SMALL` or
 * `CNN_QUICK`); other settings need an `entry` exported by a module of
 * their own.
 */
export async function runCnnShard(
  options: {
    settings?: CnnSweepSettings;
    entry?:
      | "evaluateCnnArchitecture"
      | "evaluateCnnArchitectureSmall"
      | "evaluateCnnArchitectureQuick";
    shard?: string;
    workers?: number | "auto";
    root?: string;
  } = {},
): Promise<string> {
  const settings = options.settings ?? CNN_SWEEP;
  const spec = options.shard ?? "0/1";
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  if (!m || !(Number(m[1]) < Number(m[2]))) {
    throw new RangeError(`--shard must be i/n with 0 ≤ i < n; got "${spec}"`);
  }
  const [i, n] = [Number(m[1]), Number(m[2])];
  const configs = (await cnnConfigs(settings)).filter((_, k) => k % n === i);
  const dir = join(options.root ?? ROOT, ".cache", settings.name);
  await Deno.mkdir(dir, { recursive: true });
  const store = join(dir, `shard-${i}-of-${n}.jsonl`);
  await evaluateTrials(
    cnnSpace(settings),
    configs,
    {
      module: import.meta.url,
      name: options.entry ?? ENTRIES.get(settings) ??
        "evaluateCnnArchitecture",
    },
    {
      store,
      workers: options.workers ?? "auto",
      objective: `acc_${settings.budgets[settings.budgets.length - 1]}`,
      label: `${settings.name} ${spec}`,
    },
  );
  return store;
}

/**
 * Joins a CNN sweep's shard stores into `data/<name>.parquet` in trial
 * order (column `trial`); fails naming what is missing or duplicated.
 */
export async function mergeCnnShards(
  options: { settings?: CnnSweepSettings; root?: string; out?: string } = {},
): Promise<string> {
  const settings = options.settings ?? CNN_SWEEP;
  const root = options.root ?? ROOT;
  return await mergeShards({
    dir: join(root, ".cache", settings.name),
    configs: await cnnConfigs(settings),
    keys: ["task", "slot"],
    out: options.out ?? cnnTablePath(settings, root),
  });
}
