/**
 * When a training run stops, shared by `trainNetwork` (tfjs) and
 * `trainKernelCnn` (our kernel), so both stop on the same epoch for the same
 * losses.
 *
 * @module
 */

import type { EpochMetrics, TrainResult } from "./train.ts";

/**
 * Decides after each epoch whether training stops: at the last epoch, when
 * the training loss is not finite ("diverged"), or when the monitored loss
 * (validation, else training) has not improved by `minDelta` for `patience`
 * epochs ("early-stopping"). `stopped` says why, "epochs" by default.
 *
 * @example
 * ```ts
 * import { EpochStopper } from "./_early_stopping.ts";
 * const stop = new EpochStopper(10, 2, 0);
 * const at = (epoch: number, trainLoss: number) =>
 *   stop.after({ epoch, trainLoss, trainAccuracy: 0, seconds: 0 });
 * if (at(1, 1) || at(2, 1) || !at(3, 1)) throw new Error("stops on epoch 3");
 * if (stop.stopped !== "early-stopping") throw new Error(stop.stopped);
 * ```
 */
export class EpochStopper {
  /** Why training stopped (valid once `after` returned true). */
  stopped: TrainResult["stopped"] = "epochs";
  #best = Infinity;
  #sinceBest = 0;

  constructor(
    readonly epochs: number,
    readonly patience: number | undefined,
    readonly minDelta: number,
  ) {}

  /** Whether training stops after the epoch with these metrics. */
  after(metrics: EpochMetrics): boolean {
    if (!Number.isFinite(metrics.trainLoss)) {
      this.stopped = "diverged";
      return true;
    }
    if (metrics.epoch === this.epochs) return true;
    if (this.patience === undefined) return false;
    const monitored = metrics.validationLoss ?? metrics.trainLoss;
    if (monitored < this.#best - this.minDelta) {
      this.#best = monitored;
      this.#sinceBest = 0;
      return false;
    }
    if (++this.#sinceBest >= this.patience) {
      this.stopped = "early-stopping";
      return true;
    }
    return false;
  }
}
