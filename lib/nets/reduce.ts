/**
 * How {@linkcode captureLayers} shrinks a layer's output before it is kept:
 * conv feature maps hold height × width × channels numbers per sample,
 * which no estimator of mutual information takes well.
 *
 * - `"flatten"` keeps every number (what `trainNetwork` captures);
 * - `"pool"` keeps one number per channel, the global average over the
 *   spatial positions (a dense layer has none and is kept whole); it keeps
 *   the layer's range, so a pooled tanh or sigmoid layer is still binned on
 *   its fixed range, but it drops where in the image things are;
 * - `{ project: k }` multiplies the flattened output by a seeded Gaussian
 *   matrix (d × k, entries N(0, 1/k)): a Johnson–Lindenstrauss map that
 *   keeps distances between samples roughly, and with them what k-NN and
 *   neural estimators see. Layers of at most k units are kept whole, and so
 *   is a model output that is one vector per sample (class probabilities
 *   are what I(T;Y) reads). A
 *   projected layer is unbounded ("linear") for binning. The matrix depends
 *   only on the seed, the layer's name and its size, so every checkpoint of
 *   a run sees the same map.
 *
 * Which to use per estimator is {@linkcode reductionFor}.
 *
 * @module
 */

import type { MIMethod } from "../mi/estimate.ts";
import { Random } from "../space/random.ts";
import { NetError } from "./architecture.ts";

/** A reduction of one layer's output: see the module doc. */
export type Reduction = "flatten" | "pool" | {
  /** Dimensions after the projection. */
  project: number;
  /** Seed of the projection matrices. Default 0. */
  seed?: number;
};

/**
 * Checks a reduction and throws a {@linkcode NetError} naming what is wrong.
 *
 * @example
 * ```ts
 * import { checkReduction } from "./reduce.ts";
 * checkReduction({ project: 16 });
 * let threw = false;
 * try { checkReduction({ project: 0 }); } catch { threw = true; }
 * if (!threw) throw new Error("a zero-dimensional projection is refused");
 * ```
 */
export function checkReduction(r: Reduction): void {
  if (r === "flatten" || r === "pool") return;
  if (r && typeof r === "object" && "project" in r) {
    if (!Number.isInteger(r.project) || r.project < 1) {
      throw new NetError(
        `reduce.project must be a positive integer (dimensions kept), got ${r.project}`,
      );
    }
    if (r.seed !== undefined && !Number.isFinite(r.seed)) {
      throw new NetError(`reduce.seed must be a number, got ${r.seed}`);
    }
    return;
  }
  throw new NetError(
    `unknown reduction ${
      JSON.stringify(r)
    }; use "flatten", "pool" or { project: k }`,
  );
}

/**
 * The reduction we suggest for conv layers under each estimator, measured
 * in `deno task bench capture` on a task whose answer is known:
 *
 * - `binning`: `"pool"`. Bins are counted per pattern, so a layer needs few
 *   units or every probe row falls in its own cell; pooling also keeps the
 *   layer's range, which binning of tanh and sigmoid layers relies on.
 * - `ksg`: `{ project: 8 }`. Its neighbour search (a k-d tree) is accurate
 *   and fast only in a few dimensions.
 * - `gaussian`: `{ project: 32 }`. A covariance in a few dozen dimensions is
 *   well estimated from a few thousand rows.
 * - the neural bounds (`mine`, `mine-biased`, `mine-f`, `nwj`, `infonce`,
 *   `smile`): `{ project: 256 }`. Critics take wide inputs, but a flattened
 *   28 × 28 × 32 map is 25,088 numbers per row and per checkpoint.
 *
 * @example
 * ```ts
 * import { reductionFor } from "./reduce.ts";
 * if (reductionFor("binning") !== "pool") throw new Error();
 * ```
 */
export function reductionFor(method: MIMethod): Reduction {
  switch (method) {
    case "binning":
      return "pool";
    case "ksg":
      return { project: 8 };
    case "gaussian":
      return { project: 32 };
    default:
      return { project: 256 };
  }
}

/**
 * Units per sample after reducing an output of per-sample shape `shape`
 * (`keepWhole`: an output that projection leaves alone).
 */
export function reducedUnits(
  shape: readonly number[],
  r: Reduction,
  keepWhole: boolean,
): number {
  const flat = shape.reduce((p, v) => p * v, 1);
  if (r === "flatten") return flat;
  if (r === "pool") return shape.length > 1 ? shape[shape.length - 1] : flat;
  return keepWhole || flat <= r.project ? flat : r.project;
}

/**
 * The projection matrix (d × k, row-major, entries N(0, 1/k)) for the layer
 * named `layer`, the same for the same seed, name and size.
 */
export function projectionMatrix(
  d: number,
  k: number,
  seed: number,
  layer: string,
): Float32Array {
  const random = new Random(seed, `project ${layer} ${d}x${k}`);
  return Float32Array.from(random.normals(d * k, 0, 1 / Math.sqrt(k)));
}
