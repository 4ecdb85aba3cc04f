/**
 * The CNN signal sweep on your own images: a data set read by
 * `loadImageDataset` (MNIST/EMNIST IDX files, CIFAR batches) becomes one
 * task, and the same measurements as the shipped sweep (`measureCnn`:
 * accuracies after each budget, zero-cost proxies, RMI, per-layer MI by
 * each estimator) run on architectures drawn from the sweep's space, as a
 * resumable trials store. `compareSweepSignals` then ranks the signals on
 * it as notebook 05 does on the shipped tables.
 *
 * @module
 */

import type { ImageDataset } from "../../lib/data/image_datasets.ts";
import { evaluateTrials } from "../../lib/trials/evaluate.ts";
import type { ProgressMode } from "../../lib/viz/progress.ts";
import {
  CNN_SWEEP,
  cnnSpace,
  type CnnSweepSettings,
  drawCnnConfigs,
  measureCnnOn,
} from "./cnn_sweep.ts";
import type { SuiteTask } from "./task_suite.ts";

/**
 * One sweep task from a loaded image data set: its training, validation
 * and test samples, in that order, with their split. Load the data set
 * with a `validation` share: the sweep's final accuracy is measured on it.
 *
 * @example
 * ```ts
 * import { imageTask } from "./cnn_sweep_images.ts";
 * const part = (n: number) => ({ x: Array.from({ length: n }, () => [0, 1, 0, 1]), y: Array.from({ length: n }, (_, i) => i % 2), n });
 * const task = imageTask({ kind: "mnist", shape: [2, 2, 1], classes: 2, train: part(6), validation: part(2), test: part(2), files: [] } as never, "tiny");
 * if (task.split.validation.join() !== "6,7" || task.imageShape![0] !== 2) throw new Error();
 * ```
 */
export function imageTask(data: ImageDataset, name: string): SuiteTask {
  const parts = [data.train, data.validation, data.test];
  if (data.validation.x.length === 0) {
    throw new RangeError(
      `imageTask("${name}"): the data set has no validation samples; load it with loadImageDataset(dir, { validation: 0.2 }) so that the sweep can measure accuracy on them`,
    );
  }
  if (data.test.x.length === 0) {
    throw new RangeError(
      `imageTask("${name}"): the data set has no test samples; the sweep reports test accuracy beside validation accuracy`,
    );
  }
  let start = 0;
  const [train, validation, test] = parts.map((p) => {
    const rows = Array.from({ length: p.x.length }, (_, i) => start + i);
    start += p.x.length;
    return rows;
  });
  return {
    name,
    family: "images",
    x: parts.flatMap((p) => p.x),
    y: parts.flatMap((p) => p.y),
    classes: data.classes,
    split: { train, validation, test },
    heldOut: false,
    imageShape: data.shape,
  };
}

/** Options of {@linkcode runCnnSweepOn}. */
export interface CnnSweepOnOptions {
  /** The sweep's settings (space, budgets, estimators, RMI); default `CNN_SWEEP`, the thesis's. */
  settings?: CnnSweepSettings;
  /** Architectures to draw; default the settings' `architectures`. */
  architectures?: number;
  /** A trials store (JSON Lines path) the rows are appended to as they finish, and resumed from. */
  store?: string;
  /** Progress display; default the trials runner's. */
  progress?: ProgressMode;
}

/**
 * Draws architectures from the sweep's space (seeded by the task's name)
 * and measures each on `task`, in this process; returns the rows (the
 * columns of `data/cnn_sweep.parquet`, `task` 0).
 *
 * @example
 * ```ts ignore
 * import { loadImageDataset } from "../../lib/data/mod.ts";
 * import { CNN_QUICK } from "./cnn_sweep.ts";
 * import { imageTask, runCnnSweepOn } from "./cnn_sweep_images.ts";
 * import { compareSweepSignals } from "./signal_comparison.ts";
 * const mnist = await loadImageDataset("data/mnist", { validation: 0.2, limit: 2000 });
 * const rows = await runCnnSweepOn(imageTask(mnist, "mnist"), { settings: CNN_QUICK, store: "mnist_cnn.jsonl" });
 * console.log(compareSweepSignals(rows).summary);
 * ```
 */
export async function runCnnSweepOn(
  task: SuiteTask,
  options: CnnSweepOnOptions = {},
): Promise<Record<string, unknown>[]> {
  const settings = options.settings ?? CNN_SWEEP;
  const count = options.architectures ?? settings.architectures;
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(
      `runCnnSweepOn: architectures must be a positive integer, got ${count}`,
    );
  }
  const configs = drawCnnConfigs(settings, 0, count, task.name);
  const final = settings.budgets[settings.budgets.length - 1];
  const table = await evaluateTrials(
    cnnSpace(settings),
    configs,
    (config) => measureCnnOn(task, config, settings),
    {
      store: options.store,
      objective: `acc_${final}`,
      label: `${settings.name} on ${task.name}`,
      progress: options.progress,
    },
  );
  return table.toRecords();
}
