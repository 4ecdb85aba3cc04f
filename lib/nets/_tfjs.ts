/**
 * Names for the tfjs types that appear in the nets entry's public API.
 *
 * tfjs's own declarations are not part of this package's documentation;
 * a documented alias lets {@linkcode Network} name its models without
 * dragging tfjs's hundreds of members into infolens's docs.
 *
 * @module
 */

import type { LayersModel as TfLayersModel } from "@tensorflow/tfjs";

/**
 * A tfjs `LayersModel` (`tf.model({ inputs, outputs })`): call `predict` for
 * a forward pass, `apply(x, { training: true })` inside a gradient tape, and
 * `dispose()` when done (a built {@linkcode Network}'s own `dispose` frees
 * the weights its two models share).
 */
export type LayersModel = TfLayersModel;
