/**
 * Architecture encodings as plain objects — an MLP (`widths`, activation,
 * optional dropout and batch norm) and a small CNN (`filters`, kernel size,
 * pooling) for image-like inputs such as the 8×8 digits. An encoding
 * validates itself ({@linkcode validateArchitecture}), builds a tfjs model
 * whose every representation layer can be read in one forward pass
 * ({@linkcode buildNetwork}), and maps to a stable string id
 * ({@linkcode architectureId}).
 *
 * @module
 */

import { NetError } from "./_errors.ts";

import { tf } from "./backend.ts";
import type { LayersModel } from "./_tfjs.ts";

/** Hidden-layer activations. */
export type NetActivation = "tanh" | "relu" | "elu" | "sigmoid" | "linear";

const ACTIVATIONS: readonly NetActivation[] = [
  "tanh",
  "relu",
  "elu",
  "sigmoid",
  "linear",
];

/** A fully connected network: `inputs` → `widths` (hidden) → `outputs` classes. */
export interface MlpArchitecture {
  /** Discriminates the MLP encoding from the CNN one. */
  kind: "mlp";
  /** Features per sample. */
  inputs: number;
  /** Hidden widths, e.g. [10, 7, 5, 4, 3] for Shwartz-Ziv & Tishby's network. */
  widths: readonly number[];
  /** Number of classes (softmax output). */
  outputs: number;
  /** Activation of every hidden layer. */
  activation: NetActivation;
  /** Dropout after each hidden layer, in [0, 1). Default 0. */
  dropout?: number;
  /** Batch normalisation before each hidden activation. Default false. */
  batchNorm?: boolean;
}

/** Pooling after each convolution. */
export type Pooling = "max" | "avg" | "none";

/** A small CNN: conv blocks (conv → activation → 2×2 pool) then dense layers. */
export interface CnnArchitecture {
  /** Discriminates the CNN encoding from the MLP one. */
  kind: "cnn";
  /** [height, width, channels], e.g. [8, 8, 1] for the digits. */
  inputShape: readonly [number, number, number];
  /** Filters of each convolution ("same" padding, stride 1). */
  filters: readonly number[];
  /** Square kernel size. Default 3. */
  kernelSize?: number;
  /** Pooling after each convolution (2×2, stride 2). Default "max". */
  pooling?: Pooling;
  /** Hidden dense widths after flattening. Default []. */
  dense?: readonly number[];
  /** Number of classes (softmax output). */
  outputs: number;
  /** Activation after every convolution and hidden dense layer. */
  activation: NetActivation;
}

/** Any architecture {@linkcode buildNetwork} can build. */
export type Architecture = MlpArchitecture | CnnArchitecture;

export { NetError };

function positiveInt(name: string, v: unknown): void {
  if (!Number.isInteger(v) || (v as number) < 1) {
    throw new NetError(`${name} must be a positive integer, got ${v}`);
  }
}

function widthList(name: string, v: unknown, allowEmpty: boolean): void {
  if (!Array.isArray(v) || (!allowEmpty && v.length === 0)) {
    throw new NetError(
      `${name} must be an array of positive integers${
        allowEmpty ? "" : " with at least one entry"
      }, e.g. [10, 7, 5]`,
    );
  }
  v.forEach((w, i) => positiveInt(`${name}[${i}]`, w));
}

/**
 * Checks an architecture and throws a {@linkcode NetError} naming the first
 * bad field and what it should be.
 *
 * @example
 * ```ts
 * import { validateArchitecture } from "./architecture.ts";
 * validateArchitecture({ kind: "mlp", inputs: 12, widths: [10, 7, 5, 4, 3], outputs: 2, activation: "tanh" });
 * let threw = false;
 * try {
 *   validateArchitecture({ kind: "mlp", inputs: 12, widths: [10, 0], outputs: 2, activation: "tanh" });
 * } catch { threw = true; }
 * if (!threw) throw new Error("a zero width is rejected");
 * ```
 */
export function validateArchitecture(a: Architecture): void {
  if (!a || typeof a !== "object") {
    throw new NetError(
      `an architecture must be an object with kind "mlp" or "cnn"`,
    );
  }
  const known = a.kind === "mlp"
    ? [
      "kind",
      "inputs",
      "widths",
      "outputs",
      "activation",
      "dropout",
      "batchNorm",
    ]
    : a.kind === "cnn"
    ? [
      "kind",
      "inputShape",
      "filters",
      "kernelSize",
      "pooling",
      "dense",
      "outputs",
      "activation",
    ]
    : null;
  if (!known) {
    throw new NetError(
      `unknown architecture kind "${
        (a as { kind: unknown }).kind
      }"; use "mlp" or "cnn"`,
    );
  }
  for (const key of Object.keys(a)) {
    if (!known.includes(key)) {
      throw new NetError(
        `unknown ${a.kind} field "${key}"; it takes: ${known.join(", ")}`,
      );
    }
  }
  if (!ACTIVATIONS.includes(a.activation)) {
    throw new NetError(
      `activation must be one of ${
        ACTIVATIONS.join(", ")
      }, got "${a.activation}"`,
    );
  }
  positiveInt("outputs", a.outputs);
  if (a.outputs < 2) {
    throw new NetError(
      `outputs is the number of classes and must be at least 2, got ${a.outputs}`,
    );
  }
  if (a.kind === "mlp") {
    positiveInt("inputs", a.inputs);
    widthList("widths", a.widths, false);
    const dropout = a.dropout ?? 0;
    if (!(dropout >= 0 && dropout < 1)) {
      throw new NetError(`dropout must be in [0, 1), got ${a.dropout}`);
    }
    if (a.batchNorm !== undefined && typeof a.batchNorm !== "boolean") {
      throw new NetError(`batchNorm must be true or false`);
    }
    return;
  }
  if (!Array.isArray(a.inputShape) || a.inputShape.length !== 3) {
    throw new NetError(
      `inputShape must be [height, width, channels], e.g. [8, 8, 1]`,
    );
  }
  a.inputShape.forEach((v, i) => positiveInt(`inputShape[${i}]`, v));
  widthList("filters", a.filters, false);
  widthList("dense", a.dense ?? [], true);
  positiveInt("kernelSize", a.kernelSize ?? 3);
  const pooling = a.pooling ?? "max";
  if (!["max", "avg", "none"].includes(pooling)) {
    throw new NetError(
      `pooling must be "max", "avg" or "none", got "${pooling}"`,
    );
  }
  if (pooling !== "none") {
    const side = Math.min(a.inputShape[0], a.inputShape[1]);
    if (side < 2 ** a.filters.length) {
      throw new NetError(
        `${a.filters.length} pooled convolutions halve a ${a.inputShape[0]}×${
          a.inputShape[1]
        } input below 1 pixel; use fewer filters or pooling "none"`,
      );
    }
  }
}

/**
 * A stable string id: the same architecture always maps to the same id, and
 * different ones to different ids (defaults are written out).
 *
 * @example
 * ```ts
 * import { architectureId } from "./architecture.ts";
 * const id = architectureId({ kind: "mlp", inputs: 12, widths: [10, 7, 5, 4, 3], outputs: 2, activation: "tanh" });
 * if (id !== "mlp:12-10-7-5-4-3-2:tanh") throw new Error(id);
 * ```
 */
export function architectureId(a: Architecture): string {
  validateArchitecture(a);
  if (a.kind === "mlp") {
    const extras = [
      (a.dropout ?? 0) > 0 ? `dropout${a.dropout}` : "",
      a.batchNorm ? "bn" : "",
    ].filter((s) => s);
    return [
      "mlp",
      [a.inputs, ...a.widths, a.outputs].join("-"),
      a.activation,
      ...extras,
    ].join(":");
  }
  return [
    "cnn",
    a.inputShape.join("x"),
    a.filters.map((f) => `c${f}`).join("-"),
    `k${a.kernelSize ?? 3}`,
    `pool-${a.pooling ?? "max"}`,
    [...(a.dense ?? []).map((d) => `d${d}`), `o${a.outputs}`].join("-"),
    a.activation,
  ].join(":");
}

/** One representation layer whose output is captured. */
export interface LayerInfo {
  /** 1-based position among the captured layers. */
  index: number;
  /** e.g. "dense 1", "conv 2", "output". */
  name: string;
  /** Units per sample once flattened. */
  units: number;
  /**
   * The activation applied (the output layer is read as softmax). Binning
   * reads tanh, sigmoid and softmax layers on their fixed ranges and every
   * other one as unbounded.
   */
  activation: NetActivation | "softmax";
  /**
   * Per-sample shape of the layer's output before flattening or reduction,
   * e.g. [14, 14, 32]; set by `captureLayers`.
   */
  shape?: number[];
  /** How `captureLayers` reduced the output to `units` numbers. */
  reduction?: "flatten" | "pool" | "project";
}

/** A built network: the model for training, and one that reads every layer at once. */
export interface Network {
  /** The encoding the network was built from. */
  architecture: Architecture;
  /**
   * {@linkcode architectureId} of the encoding, e.g.
   * "mlp:12-10-7-5-4-3-2:tanh".
   */
  id: string;
  /** Input → logits, for training. */
  model: LayersModel;
  /** Input → every representation layer (the last is the logits). */
  probe: LayersModel;
  /** The layers `probe` returns, in the same order (the last is the output). */
  layers: LayerInfo[];
  /** Trainable parameters. */
  parameters: number;
  /**
   * Frees the weights (shared by `model` and `probe`); the network is unusable
   * afterwards.
   */
  dispose(): void;
}

/** The number of features an architecture takes per sample. */
export function inputSize(a: Architecture): number {
  return a.kind === "mlp"
    ? a.inputs
    : a.inputShape[0] * a.inputShape[1] * a.inputShape[2];
}

/**
 * Builds an architecture as tfjs models with seeded Glorot-uniform weights.
 * Both models take flat rows (n × features); a CNN reshapes them to its
 * input shape. Every hidden layer is read after its activation (after the
 * pooling for a conv block), the output as softmax; dropout is off when
 * probing.
 *
 * @example
 * ```ts
 * import { buildNetwork } from "./architecture.ts";
 * import { ensureBackend } from "./backend.ts";
 * await ensureBackend();
 * const net = buildNetwork({ kind: "mlp", inputs: 12, widths: [10, 7], outputs: 2, activation: "tanh" }, 0);
 * if (net.layers.map((l) => l.units).join() !== "10,7,2") throw new Error();
 * net.dispose();
 * ```
 */
export function buildNetwork(a: Architecture, seed = 0): Network {
  validateArchitecture(a);
  let s = seed * 7919 + 1;
  const init = () => tf.initializers.glorotUniform({ seed: s++ });
  const input = tf.input({ shape: [inputSize(a)] });
  const captures: tf.SymbolicTensor[] = [];
  const layers: LayerInfo[] = [];
  const capture = (t: tf.SymbolicTensor, name: string) => {
    const units = t.shape.slice(1).reduce<number>((p, v) => p * (v ?? 1), 1);
    layers.push({
      index: layers.length + 1,
      name,
      units,
      activation: a.activation,
    });
    captures.push(
      t.shape.length > 2
        ? tf.layers.flatten().apply(t) as tf.SymbolicTensor
        : t,
    );
  };
  const dense = (t: tf.SymbolicTensor, units: number, batchNorm: boolean) => {
    let z = tf.layers.dense({
      units,
      kernelInitializer: init(),
      useBias: !batchNorm,
    }).apply(t) as tf.SymbolicTensor;
    if (batchNorm) {
      z = tf.layers.batchNormalization().apply(z) as tf.SymbolicTensor;
    }
    return tf.layers.activation({ activation: a.activation }).apply(
      z,
    ) as tf.SymbolicTensor;
  };
  let t: tf.SymbolicTensor = input;
  let denseWidths: readonly number[];
  let dropout = 0;
  let batchNorm = false;
  if (a.kind === "mlp") {
    denseWidths = a.widths;
    dropout = a.dropout ?? 0;
    batchNorm = a.batchNorm ?? false;
  } else {
    t = tf.layers.reshape({ targetShape: [...a.inputShape] }).apply(
      t,
    ) as tf.SymbolicTensor;
    const pooling = a.pooling ?? "max";
    const k = a.kernelSize ?? 3;
    let [h, w] = a.inputShape;
    a.filters.forEach((filters, i) => {
      // A 2-D convolution run as a 3-D one of depth 1: tfjs-wasm 4.22 has no
      // Conv2DBackpropFilter kernel but has Conv3D's, so this trains there.
      t = tf.layers.reshape({ targetShape: [1, h, w, t.shape[3]!] }).apply(
        t,
      ) as tf.SymbolicTensor;
      t = tf.layers.conv3d({
        filters,
        kernelSize: [1, k, k],
        padding: "same",
        activation: a.activation,
        kernelInitializer: init(),
      }).apply(t) as tf.SymbolicTensor;
      t = tf.layers.reshape({ targetShape: [h, w, filters] }).apply(
        t,
      ) as tf.SymbolicTensor;
      if (pooling !== "none") {
        const pool = pooling === "max"
          ? tf.layers.maxPooling2d({ poolSize: 2 })
          : tf.layers.averagePooling2d({ poolSize: 2 });
        t = pool.apply(t) as tf.SymbolicTensor;
        [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
      }
      capture(t, `conv ${i + 1}`);
    });
    t = tf.layers.flatten().apply(t) as tf.SymbolicTensor;
    denseWidths = a.dense ?? [];
  }
  denseWidths.forEach((units, i) => {
    t = dense(t, units, batchNorm);
    capture(t, `dense ${i + 1}`);
    if (dropout > 0) {
      t = tf.layers.dropout({ rate: dropout, seed: s++ }).apply(
        t,
      ) as tf.SymbolicTensor;
    }
  });
  const logits = tf.layers.dense({
    units: a.outputs,
    kernelInitializer: init(),
  }).apply(t) as tf.SymbolicTensor;
  capture(logits, "output");
  layers[layers.length - 1].activation = "softmax";
  const model = tf.model({ inputs: input, outputs: logits });
  const probe = tf.model({ inputs: input, outputs: captures });
  return {
    architecture: a,
    id: architectureId(a),
    model,
    probe,
    layers,
    parameters: model.countParams(),
    dispose: () => model.dispose(),
  };
}
