/**
 * The machinery {@linkcode captureLayers} and {@linkcode captureCallback}
 * share: which layers of a tfjs model to read, how each is described for
 * the estimators, one multi-output model that reads them all, and a
 * batched forward pass that reduces every output before it leaves the
 * backend.
 *
 * @module
 */

import type { Tensor } from "./_tfjs.ts";
import { tf } from "./backend.ts";
import type { LayersModel } from "./_tfjs.ts";
import type { LayerInfo, NetActivation } from "./architecture.ts";
import { CaptureError } from "./_errors.ts";
import {
  checkReduction,
  projectionMatrix,
  reducedUnits,
  type Reduction,
} from "./reduce.ts";

export { CaptureError };

/** Probe inputs: a tensor, nested number arrays, or flat values with a shape. */
export type ProbeInput =
  | Tensor
  | readonly unknown[]
  | { data: ArrayLike<number>; shape: readonly number[] };

/** What to capture; shared by {@linkcode captureLayers} and {@linkcode captureCallback}. */
export interface CaptureOptions {
  /**
   * Layers to read: names (`model.getLayer(name)`), or 0-based positions in
   * `model.layers` (negative count from the end: −1 is the last). Default:
   * every layer except the input and those that only copy or reshape their
   * input at inference (dropout and noise layers, flatten, reshape,
   * permute), in the model's order, with the model's output last.
   */
  layers?: readonly (string | number)[];
  /** How each layer's output is shrunk (see `reductionFor`). Default "flatten". */
  reduce?: Reduction;
  /** Probe rows per forward pass. Default 128. */
  batchSize?: number;
}

/** Layers whose inference output is their input, copied or reshaped. */
const PASS_THROUGH = new Set([
  "InputLayer",
  "Dropout",
  "SpatialDropout1D",
  "SpatialDropout2D",
  "GaussianNoise",
  "GaussianDropout",
  "AlphaDropout",
  "Flatten",
  "Reshape",
  "Permute",
]);

/** Layers whose outputs stay in the range of their inputs (pooling, cropping, reshaping). */
const RANGE_KEEPING = new Set([
  ...PASS_THROUGH,
  "MaxPooling1D",
  "MaxPooling2D",
  "MaxPooling3D",
  "AveragePooling1D",
  "AveragePooling2D",
  "AveragePooling3D",
  "GlobalMaxPooling1D",
  "GlobalMaxPooling2D",
  "GlobalAveragePooling1D",
  "GlobalAveragePooling2D",
  "Cropping2D",
  "UpSampling2D",
  "RepeatVector",
  "Concatenate",
  "Masking",
]);

/** tfjs / Keras activation names → how binning treats them. */
function mapActivation(name: string): NetActivation | "softmax" {
  switch (name) {
    case "tanh":
    case "softsign":
      return "tanh";
    case "sigmoid":
    case "hardSigmoid":
    case "hard_sigmoid":
      return "sigmoid";
    case "softmax":
      return "softmax";
    case "relu":
    case "relu6":
      return "relu";
    case "elu":
    case "selu":
      return "elu";
    default:
      return "linear";
  }
}

type Layer = LayersModel["layers"][number];

function inboundLayers(layer: Layer): Layer[] {
  const node = layer.inboundNodes[0];
  return node ? (node.inboundLayers as Layer[]) : [];
}

/**
 * How binning should read a layer: its own activation (`activation` in its
 * config, or an activation layer's class), a range-keeping layer's input's,
 * and "linear" (unbounded) for everything else, e.g. batch normalisation.
 */
function layerActivation(
  layer: Layer,
  memo: Map<Layer, NetActivation | "softmax">,
): NetActivation | "softmax" {
  const known = memo.get(layer);
  if (known) return known;
  const cls = layer.getClassName();
  const config = layer.getConfig() as { activation?: unknown };
  let a: NetActivation | "softmax" = "linear";
  if (cls === "Softmax") a = "softmax";
  else if (cls === "ReLU") a = "relu";
  else if (cls === "ELU") a = "elu";
  else if (typeof config.activation === "string") {
    a = mapActivation(config.activation);
  } else if (RANGE_KEEPING.has(cls)) {
    const from = inboundLayers(layer).map((l) => layerActivation(l, memo));
    if (from.length > 0 && from.every((f) => f === from[0])) a = from[0];
  }
  memo.set(layer, a);
  return a;
}

/** One captured layer: where it is read and how it is reduced. */
interface Slot {
  info: LayerInfo;
  /** Per-sample shape of the layer's output. */
  shape: number[];
  /** Softmax applied to the output's logits. */
  softmax: boolean;
  pool: boolean;
  projection: tf.Tensor2D | null;
}

/** A model prepared for capture: call `read` per checkpoint, `dispose` at the end. */
export interface CapturePlan {
  /** The captured layers, in order. */
  layers: LayerInfo[];
  /** Every chosen layer on the probe rows, reduced, one array per layer. */
  read(x: tf.Tensor): Promise<Float32Array[]>;
  /** Frees the projection matrices (the model's weights stay). */
  dispose(): void;
}

function describe(model: LayersModel): string {
  return model.layers.map((l, i) => `${i}: ${l.name}`).join(", ");
}

function chooseLayers(
  model: LayersModel,
  spec: CaptureOptions["layers"],
  outputs: Set<Layer>,
): Layer[] {
  const all = model.layers;
  if (spec === undefined) {
    const chosen = all.filter((l) =>
      !PASS_THROUGH.has(l.getClassName()) && !outputs.has(l)
    );
    return [...chosen, ...all.filter((l) => outputs.has(l))];
  }
  if (!Array.isArray(spec) || spec.length === 0) {
    throw new CaptureError(
      `options.layers must be a non-empty array of layer names or 0-based positions; the model's layers are ${
        describe(model)
      }`,
    );
  }
  const chosen = spec.map((s) => {
    if (typeof s === "number") {
      const i = s < 0 ? all.length + s : s;
      if (!Number.isInteger(s) || i < 0 || i >= all.length) {
        throw new CaptureError(
          `layer position ${s} is outside the model's ${all.length} layers (0-based; −1 is the last): ${
            describe(model)
          }`,
        );
      }
      return all[i];
    }
    const found = all.find((l) => l.name === s);
    if (!found) {
      throw new CaptureError(
        `the model has no layer named "${s}"; its layers are ${
          describe(model)
        }`,
      );
    }
    return found;
  });
  const names = chosen.map((l) => l.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) {
    throw new CaptureError(`layer "${twice}" is asked for twice`);
  }
  return chosen;
}

/**
 * Prepares `model` for capture: chooses the layers, describes them, and
 * builds one model reading them all (it shares `model`'s weights, so it
 * sees training as it happens and is never disposed itself).
 */
export function planCapture(
  model: LayersModel,
  options: CaptureOptions = {},
): CapturePlan {
  if (!model || !Array.isArray(model.layers) || !model.inputs) {
    throw new CaptureError(
      `captureLayers needs a tf.LayersModel (tf.sequential, tf.model or loadLayersModel)`,
    );
  }
  if (model.inputs.length !== 1) {
    throw new CaptureError(
      `the model takes ${model.inputs.length} inputs; captureLayers reads models with one input`,
    );
  }
  const reduce = options.reduce ?? "flatten";
  checkReduction(reduce);
  const outputs = new Set(model.outputs.map((t) => t.sourceLayer as Layer));
  const chosen = chooseLayers(model, options.layers, outputs);
  const memo = new Map<Layer, NetActivation | "softmax">();
  const symbolic: tf.SymbolicTensor[] = [];
  const slots: Slot[] = chosen.map((layer, i) => {
    let out: tf.SymbolicTensor | tf.SymbolicTensor[];
    try {
      out = layer.output;
    } catch (e) {
      throw new CaptureError(
        `layer "${layer.name}" has no single output (${
          (e as Error).message.split("\n")[0]
        }); choose another layer`,
      );
    }
    if (Array.isArray(out)) {
      throw new CaptureError(
        `layer "${layer.name}" has ${out.length} outputs; choose a layer with one`,
      );
    }
    symbolic.push(out);
    const shape = out.shape.slice(1).map((v) => v ?? 1);
    const isOutput = outputs.has(layer);
    let activation = layerActivation(layer, memo);
    let softmax = false;
    // Classifier outputs are read as probabilities: softmax and sigmoid
    // heads as they are, logits through a softmax (as trainNetwork reads its
    // output); a single linear unit (regression) and a feature-map output
    // stay raw.
    if (isOutput && activation !== "softmax" && activation !== "sigmoid") {
      if (shape.length === 1 && shape[0] >= 2) {
        softmax = true;
        activation = "softmax";
      }
    }
    // A vector output (class probabilities, a regression) is never projected.
    const units = reducedUnits(shape, reduce, isOutput && shape.length === 1);
    const flat = shape.reduce((p, v) => p * v, 1);
    const pool = reduce === "pool" && shape.length > 1;
    const project = typeof reduce === "object" && units < flat;
    const info: LayerInfo = {
      index: i + 1,
      name: layer.name,
      units,
      activation: project ? "linear" : activation,
      shape,
      reduction: pool ? "pool" : project ? "project" : "flatten",
    };
    return {
      info,
      shape,
      softmax,
      pool,
      projection: project
        ? tf.tensor2d(
          projectionMatrix(flat, units, reduce.seed ?? 0, layer.name),
          [flat, units],
        )
        : null,
    };
  });
  const probe = tf.model({ inputs: model.inputs, outputs: symbolic });
  const batchSize = options.batchSize ?? 128;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new CaptureError(
      `batchSize must be a positive integer, got ${batchSize}`,
    );
  }
  return {
    layers: slots.map((s) => s.info),
    async read(x: tf.Tensor): Promise<Float32Array[]> {
      const n = x.shape[0];
      const out = slots.map((s) => new Float32Array(n * s.info.units));
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        const reduced = tf.tidy(() => {
          const batch = tf.slice(x, start, size);
          const raw = probe.predict(batch, { batchSize: size });
          const list = Array.isArray(raw) ? raw : [raw];
          return list.map((t, l) => {
            const s = slots[l];
            let v = s.softmax ? tf.softmax(t) : t;
            if (s.pool) {
              v = tf.mean(v, [...Array(v.rank - 2).keys()].map((a) => a + 1));
            }
            v = tf.reshape(v, [size, -1]);
            return s.projection ? tf.matMul(v as tf.Tensor2D, s.projection) : v;
          });
        });
        try {
          const values = await Promise.all(reduced.map((t) => t.data()));
          values.forEach((v, l) =>
            out[l].set(v as Float32Array, start * slots[l].info.units)
          );
        } finally {
          tf.dispose(reduced);
        }
      }
      return out;
    },
    dispose() {
      for (const s of slots) s.projection?.dispose();
    },
  };
}

/**
 * The probe rows as a float32 tensor of the model's input shape (flat rows
 * are reshaped when their length matches); `owned` says whether the caller
 * must dispose it.
 */
export function probeTensor(
  model: LayersModel,
  x: ProbeInput,
): { tensor: tf.Tensor; owned: boolean } {
  let t: tf.Tensor;
  let owned = true;
  if (x instanceof tf.Tensor) {
    t = x;
    owned = false;
  } else if (Array.isArray(x)) {
    t = tf.tensor(x as number[]);
  } else if (
    x && typeof x === "object" && "data" in x && Array.isArray(x.shape)
  ) {
    const size = x.shape.reduce((p, v) => p * v, 1);
    if (x.data.length !== size) {
      throw new CaptureError(
        `probe x has ${x.data.length} values but shape [${
          x.shape.join(", ")
        }] needs ${size}`,
      );
    }
    t = tf.tensor(Float32Array.from(x.data), [...x.shape]);
  } else {
    throw new CaptureError(
      `probe x must be a tf.Tensor, nested number arrays, or { data, shape }`,
    );
  }
  const want = model.inputs[0].shape.slice(1);
  const have = t.shape.slice(1);
  const fits = want.length === have.length &&
    want.every((w, i) => w === null || w === have[i]);
  if (fits) {
    if (t.dtype === "float32") return { tensor: t, owned };
    const cast = tf.cast(t, "float32");
    if (owned) t.dispose();
    return { tensor: cast, owned: true };
  }
  const wantSize = want.every((w) => w !== null)
    ? (want as number[]).reduce((p, v) => p * v, 1)
    : NaN;
  const haveSize = have.reduce((p, v) => p * v, 1);
  if (wantSize === haveSize) {
    const shaped = tf.tidy(() =>
      tf.cast(tf.reshape(t, [t.shape[0], ...(want as number[])]), "float32")
    );
    if (owned) t.dispose();
    return { tensor: shaped, owned: true };
  }
  if (owned) t.dispose();
  throw new CaptureError(
    `probe x has per-sample shape [${have.join(", ")}]; the model takes [${
      want.map((w) => w ?? "any").join(", ")
    }]`,
  );
}
