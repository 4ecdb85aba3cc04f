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
 * The reduction we suggest for conv layers under each estimator: `"pool"`
 * for every one. Measured in `deno task bench capture` on a conv map of
 * 8×8×2 that carries 0.693 nats about z (n = 2,000; estimates in nats):
 *
 * | reduction         | units | gaussian |   ksg | infonce |
 * | ----------------- | ----: | -------: | ----: | ------: |
 * | flatten           |   128 |    0.739 | 0.040 |  −3.546 |
 * | pool              |     2 |    0.681 | 0.687 |   0.592 |
 * | `{ project: 8 }`  |     8 |    0.079 | 0.084 |  −0.137 |
 * | `{ project: 32 }` |    32 |    0.221 | 0.050 |  −1.263 |
 *
 * - `binning` counts bins per pattern, so it needs few units (or every
 *   probe row falls in its own cell) and a fixed range for tanh and sigmoid
 *   layers, which pooling keeps;
 * - `ksg` is accurate only in a few dimensions (0.04 of 0.69 on the
 *   flattened map);
 * - `gaussian` copes with a flattened map of a hundred units, but not with
 *   thousands;
 * - the neural bounds, at `estimateMI`'s defaults, overfit a wide input
 *   with a few thousand rows (negative held-out bounds above).
 *
 * Pooling drops where in the image things are: when that matters (early
 * layers, localisation), use `{ project: k }` — it keeps distances between
 * rows, but at k ≪ d it mixes in the noise of every position, so it reads
 * low (0.08 and 0.22 of 0.69 nats above) — or `"flatten"` with `gaussian`.
 *
 * @example
 * ```ts
 * import { reductionFor } from "./reduce.ts";
 * if (reductionFor("binning") !== "pool") throw new Error();
 * ```
 */
export function reductionFor(_method: MIMethod): Reduction {
  return "pool";
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
