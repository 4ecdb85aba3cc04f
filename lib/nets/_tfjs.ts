/**
 * Names for the tfjs types that appear in the nets entry's public API.
 *
 * tfjs's own declarations are not part of this package's documentation;
 * a documented alias lets {@linkcode Network} name its models without
 * dragging tfjs's hundreds of members into infolens's docs.
 *
 * @module
 */

import type {
  Callback as TfCallback,
  LayersModel as TfLayersModel,
  Tensor as TfTensor,
} from "@tensorflow/tfjs";

/**
 * A tfjs `LayersModel` (`tf.model({ inputs, outputs })`): call `predict` for
 * a forward pass, `apply(x, { training: true })` inside a gradient tape, and
 * `dispose()` when done (a built {@linkcode Network}'s own `dispose` frees
 * the weights its two models share).
 */
export type LayersModel = TfLayersModel;

/**
 * A tfjs `Tensor`: an n-dimensional array on the active backend. Read it
 * with `await t.data()` and free it with `t.dispose()` (or inside
 * `tf.tidy`).
 */
export type Tensor = TfTensor;

/**
 * A tfjs layers callback: what `model.fit(x, y, { callbacks })` accepts
 * (`onTrainBegin`, `onEpochEnd`, …).
 */
export type Callback = TfCallback;
