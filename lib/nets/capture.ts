/**
 * `captureLayers(model, x, options)`: the outputs of chosen layers of any
 * tfjs `LayersModel` (sequential or functional; conv, pooling,
 * normalisation and dropout layers included) on a probe set, as the same
 * {@linkcode ActivationCapture} that `trainNetwork` produces, so `layerMI`
 * and the information-plane charts read it unchanged.
 *
 * How layers are described for the estimators (`LayerInfo.activation`):
 *
 * - a layer's own activation (`activation` in its config, or a `ReLU`,
 *   `ELU` or `Softmax` layer): tanh and softsign read as "tanh" (binned on
 *   [−1, 1]), sigmoid and hard sigmoid as "sigmoid" ([0, 1]), softmax as
 *   "softmax" ([0, 1]), relu and relu6 as "relu", elu and selu as "elu",
 *   anything else (linear, softplus, swish, gelu …) as "linear"; binning
 *   cuts every one but tanh, sigmoid and softmax on the range the layer
 *   takes, so only bounded or not matters;
 * - pooling, cropping, up-sampling, concatenation and the pass-through
 *   layers keep their input's range and take its description;
 * - every other layer without an activation (batch normalisation, add,
 *   multiply …) reads as "linear" (unbounded).
 *
 * The model's output is read as probabilities, as `layerMI` expects of the
 * output layer ("softmax", binned on [0, 1], I(T;Y) read from it): a
 * softmax or sigmoid output as it is, logits (any other activation, two or
 * more units, one vector per sample) through a softmax. A single linear
 * unit (a regression head) and an output with spatial axes (a feature map)
 * stay raw.
 *
 * Dropout and noise layers run in inference mode, batch normalisation with
 * its moving statistics: the capture is what `model.predict` sees.
 *
 * @module
 */

import { ensureBackend } from "./backend.ts";
import type { LayersModel } from "./_tfjs.ts";
import type { ActivationCapture } from "./train.ts";
import {
  CaptureError,
  type CaptureOptions,
  planCapture,
  type ProbeInput,
  probeTensor,
} from "./_capture_plan.ts";
import { checkCapture } from "./check_capture.ts";

export { CaptureError, type CaptureOptions, type ProbeInput };

/** Options of {@linkcode captureLayers}. */
export interface CaptureLayersOptions extends CaptureOptions {
  /** The epoch recorded for this checkpoint. Default 0. */
  epoch?: number;
}

/**
 * Reads the chosen layers of `model` on the probe inputs `x` in batches
 * (each layer reduced on the backend before it is read back) and returns
 * one checkpoint. Unknown layer names or positions throw a
 * {@linkcode CaptureError} that lists the model's layers.
 *
 * @example
 * ```ts
 * import { captureLayers } from "./capture.ts";
 * import { ensureBackend, tf } from "./backend.ts";
 * import { layerMIRows } from "../mi/layer_mi.ts";
 * await ensureBackend();
 * const input = tf.input({ shape: [8, 8, 1] });
 * const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: "relu", name: "conv" }).apply(input);
 * const pooled = tf.layers.maxPooling2d({ poolSize: 2 }).apply(conv);
 * const flat = tf.layers.flatten().apply(pooled);
 * const out = tf.layers.dense({ units: 3, name: "logits" }).apply(flat) as tf.SymbolicTensor;
 * const model = tf.model({ inputs: input, outputs: out });
 * const x = tf.randomUniform([50, 8, 8, 1], 0, 1, "float32", 1);
 * const capture = await captureLayers(model, x, { reduce: "pool" });
 * if (capture.layers.map((l) => l.units).join() !== "4,4,3") throw new Error("pooled per channel");
 * const rows = await layerMIRows(capture, { method: "binning", y: Array.from({ length: 50 }, (_, i) => i % 3) });
 * if (rows.length !== 3 * 2) throw new Error("layers × quantities");
 * x.dispose();
 * ```
 */
export async function captureLayers(
  model: LayersModel,
  x: ProbeInput,
  options: CaptureLayersOptions = {},
): Promise<ActivationCapture> {
  await ensureBackend();
  const epoch = options.epoch ?? 0;
  if (!Number.isInteger(epoch) || epoch < 0) {
    throw new CaptureError(
      `epoch must be a non-negative integer, got ${epoch}`,
    );
  }
  const plan = planCapture(model, options);
  try {
    const { tensor, owned } = probeTensor(model, x);
    try {
      const capture: ActivationCapture = {
        epochs: [epoch],
        layers: plan.layers,
        rows: tensor.shape[0],
        activations: [await plan.read(tensor)],
      };
      checkCapture(capture);
      return capture;
    } finally {
      if (owned) tensor.dispose();
    }
  } finally {
    plan.dispose();
  }
}
