/**
 * `captureCallback(x, options)`: a callback for the user's own
 * `model.fit` that captures chosen layers on a probe set at chosen epochs,
 * into the {@linkcode ActivationCapture} that `layerMI` reads.
 *
 * tfjs-wasm 4.22 has no weight gradient for `conv2d`, so `model.fit` of a
 * conv2d model needs another backend (tfjs-node, cpu); capturing (inference
 * only) runs everywhere.
 *
 * @module
 */

import type { Callback } from "./_tfjs.ts";
import { tf } from "./backend.ts";
import type { LayersModel } from "./_tfjs.ts";
import { logSpacedEpochs } from "./train.ts";
import type { ActivationCapture } from "./train.ts";
import {
  CaptureError,
  type CaptureOptions,
  type CapturePlan,
  planCapture,
  type ProbeInput,
  probeTensor,
} from "./_capture_plan.ts";

/** Options of {@linkcode captureCallback}. */
export interface CaptureCallbackOptions extends CaptureOptions {
  /**
   * Epochs after which to capture (0 is before training, as fit reports
   * epochs: after its epoch index i comes epoch i + 1), or `{ count }` for
   * about `count` log-spaced epochs from 0 to fit's `epochs`
   * (`logSpacedEpochs`). Default `{ count: 20 }`. The last epoch run is
   * always captured, as `trainNetwork` does (early stopping included).
   */
  epochs?: readonly number[] | { count: number };
}

/** The callback {@linkcode captureCallback} returns: pass it to `model.fit`, read `capture` after. */
export type CaptureCallback = Callback & {
  /** Every checkpoint so far; a later `fit` with the same callback appends to it. */
  readonly capture: ActivationCapture;
};

class CaptureCallbackImpl extends tf.Callback {
  /** Every checkpoint so far; a later `fit` with the same callback appends to it. */
  readonly capture: ActivationCapture = {
    epochs: [],
    layers: [],
    rows: 0,
    activations: [],
  };
  #x: ProbeInput;
  #options: CaptureCallbackOptions;
  #plan: CapturePlan | null = null;
  #probe: { tensor: tf.Tensor; owned: boolean } | null = null;
  #at = new Set<number>();
  /** The last epoch fit finished, captured at the end of training if it was not. */
  #lastRun = -1;

  constructor(x: ProbeInput, options: CaptureCallbackOptions = {}) {
    super();
    const spec = options.epochs;
    if (Array.isArray(spec)) {
      for (const e of spec) {
        if (!Number.isInteger(e) || e < 0) {
          throw new CaptureError(
            `epochs holds ${e}; each must be a non-negative integer`,
          );
        }
      }
    } else if (spec !== undefined) {
      const count = (spec as { count: number }).count;
      if (!Number.isInteger(count) || count < 2) {
        throw new CaptureError(`epochs.count must be an integer >= 2`);
      }
    }
    this.#x = x;
    this.#options = options;
  }

  async #take(epoch: number): Promise<void> {
    if (this.capture.epochs.includes(epoch)) return;
    const acts = await this.#plan!.read(this.#probe!.tensor);
    this.capture.epochs.push(epoch);
    this.capture.activations.push(acts);
  }

  /** Prepares the capture and takes epoch 0 (fit's first epoch) when asked. */
  override async onTrainBegin(): Promise<void> {
    const model = this.model as LayersModel;
    this.#plan = planCapture(model, this.#options);
    this.#probe = probeTensor(model, this.#x);
    if (this.capture.activations.length === 0) {
      this.capture.layers = this.#plan.layers;
      this.capture.rows = this.#probe.tensor.shape[0];
    }
    const first = (this.params.initialEpoch as number | undefined) ?? 0;
    const last = this.params.epochs as number;
    const spec = this.#options.epochs ?? { count: 20 };
    this.#at = new Set(
      Array.isArray(spec)
        ? spec
        : logSpacedEpochs(last, (spec as { count: number }).count),
    );
    if (this.#at.has(first)) await this.#take(first);
  }

  /** Captures after fit's epoch index `epoch` (epoch `epoch + 1`) when asked. */
  override async onEpochEnd(epoch: number): Promise<void> {
    this.#lastRun = epoch + 1;
    if (this.#at.has(epoch + 1)) await this.#take(epoch + 1);
  }

  /** Captures the last epoch run if it was not, and frees the probe tensors. */
  override async onTrainEnd(): Promise<void> {
    try {
      if (this.#lastRun >= 0) await this.#take(this.#lastRun);
    } finally {
      this.#lastRun = -1;
      this.#plan?.dispose();
      if (this.#probe?.owned) this.#probe.tensor.dispose();
      this.#plan = null;
      this.#probe = null;
    }
  }
}

/**
 * A `model.fit` callback that captures the chosen layers of the model being
 * trained on the probe inputs `x` at the chosen epochs; after `fit`, its
 * `capture` holds them. Dropout runs in inference mode while capturing.
 *
 * @example
 * ```ts
 * import { captureCallback } from "./capture_callback.ts";
 * import { ensureBackend, tf } from "./backend.ts";
 * await ensureBackend();
 * const model = tf.sequential({ layers: [
 *   tf.layers.dense({ inputShape: [2], units: 8, activation: "tanh" }),
 *   tf.layers.dense({ units: 2, activation: "softmax" }),
 * ] });
 * model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
 * const x = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
 * const y = tf.oneHot(tf.tensor1d([0, 1, 1, 0], "int32"), 2);
 * const cb = captureCallback(x, { epochs: [0, 2, 5] });
 * await model.fit(x, y, { epochs: 5, callbacks: [cb], verbose: 0 });
 * if (cb.capture.epochs.join() !== "0,2,5") throw new Error(String(cb.capture.epochs));
 * tf.dispose([x, y]);
 * model.dispose();
 * ```
 */
export function captureCallback(
  x: ProbeInput,
  options: CaptureCallbackOptions = {},
): CaptureCallback {
  return new CaptureCallbackImpl(x, options);
}
