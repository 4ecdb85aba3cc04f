/**
 * A differentiable forward pass of a chain-shaped tfjs model (every layer
 * takes the previous one's output: `tf.sequential` and chain-shaped
 * `tf.model`s) that exposes what the zero-cost proxies and RMI need: each
 * Dense / Conv2D layer's pre-activation output z (with an optional additive
 * tap to differentiate against), the inputs of every ReLU, and the logits
 * (the last layer's pre-activation when it applies softmax).
 *
 * @module
 */

import { InfolensError } from "../errors.ts";
import type { LayersModel } from "./_tfjs.ts";
import { tf } from "./backend.ts";

/** The error raised for a model the chain executor cannot run. */
export class ChainModelError extends InfolensError {
  /** Always "ChainModelError", so stack traces and logs name the class. */
  override name = "ChainModelError";
}

type Layer = LayersModel["layers"][number];

/** A layer of the chain and what kind of weight layer it is. */
export interface ChainLayer {
  layer: Layer;
  /**
   * "dense" and "conv" (Conv2D, or Conv3D as infolens's CNNs use it) have a
   * kernel (and maybe a bias); "other" runs as is.
   */
  kind: "dense" | "conv" | "other";
  /** The fused activation's name (dense and conv), e.g. "relu", "linear". */
  activation: string;
}

/** The model's layers in order, checked to form a chain. */
export function chainOf(model: LayersModel): ChainLayer[] {
  const layers = model.layers.filter((l) => l.getClassName() !== "InputLayer");
  layers.forEach((layer, i) => {
    const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
    const ok = i === 0
      ? inbound.every((l) => l.getClassName() === "InputLayer")
      : inbound.length === 1 && inbound[0] === layers[i - 1];
    if (!ok) {
      throw new ChainModelError(
        `layer "${layer.name}" does not take the previous layer's output alone; zero-cost proxies and RMI run chain-shaped models (tf.sequential and the like)`,
      );
    }
  });
  return layers.map((layer) => {
    const cls = layer.getClassName();
    const config = layer.getConfig() as { activation?: unknown };
    const kind = cls === "Dense"
      ? "dense"
      : cls === "Conv2D" || cls === "Conv3D"
      ? "conv"
      : "other";
    const activation = typeof config.activation === "string"
      ? config.activation
      : "linear";
    return { layer, kind, activation };
  });
}

const ACTIVATIONS: Record<string, (z: tf.Tensor) => tf.Tensor> = {
  linear: (z) => z,
  relu: (z) => tf.relu(z),
  relu6: (z) => tf.relu6(z),
  tanh: (z) => tf.tanh(z),
  sigmoid: (z) => tf.sigmoid(z),
  elu: (z) => tf.elu(z),
  selu: (z) => tf.selu(z),
  softplus: (z) => tf.softplus(z),
  softmax: (z) => tf.softmax(z),
};

/** The kernel (and bias) variables of a dense or conv layer. */
export function kernelOf(l: ChainLayer): tf.Variable {
  return l.layer.trainableWeights[0].read() as tf.Variable;
}

/** What one forward pass exposes. */
export interface ChainPass {
  /** Pre-softmax output: the logits. */
  logits: tf.Tensor;
  /** Each dense / conv layer's pre-activation output, in order. */
  z: tf.Tensor[];
  /** The input of every ReLU (fused or a layer of its own), in order. */
  reluInputs: tf.Tensor[];
}

/**
 * Runs `x` through the chain (training-mode for layers that care, as
 * NASLib's measures do); `taps[i]`, when given, is added to the i-th
 * dense / conv layer's z, so the gradient against it is ∂/∂z.
 */
export function runChain(
  chain: readonly ChainLayer[],
  x: tf.Tensor,
  taps: readonly tf.Tensor[] = [],
  { skipBatchNorm = false }: { skipBatchNorm?: boolean } = {},
): ChainPass {
  const z: tf.Tensor[] = [];
  const reluInputs: tf.Tensor[] = [];
  let h = x;
  let logits: tf.Tensor | null = null;
  chain.forEach((l, i) => {
    const last = i === chain.length - 1;
    if (l.kind === "other") {
      const cls = l.layer.getClassName();
      if (skipBatchNorm && cls === "BatchNormalization") return;
      const config = l.layer.getConfig() as { activation?: unknown };
      if (
        cls === "ReLU" || (cls === "Activation" && config.activation === "relu")
      ) {
        reluInputs.push(h);
      }
      if (
        last &&
        (cls === "Softmax" ||
          (cls === "Activation" && config.activation === "softmax"))
      ) {
        logits = h;
      }
      h = l.layer.apply(h, { training: true }) as tf.Tensor;
      return;
    }
    const weights = l.layer.trainableWeights.map((w) => w.read());
    const [kernel, bias] = weights;
    let out: tf.Tensor;
    if (l.kind === "dense") {
      out = tf.matMul(h as tf.Tensor2D, kernel as tf.Tensor2D);
    } else {
      const c = l.layer.getConfig() as {
        strides: number | [number, number];
        padding: "valid" | "same";
        dilationRate: number | [number, number];
        dataFormat: string;
      };
      if (c.dataFormat !== "channelsLast") {
        throw new ChainModelError(
          `layer "${l.layer.name}": only channelsLast convolutions are supported`,
        );
      }
      out = kernel.rank === 5
        ? tf.conv3d(
          h as tf.Tensor5D,
          kernel as tf.Tensor5D,
          c.strides as unknown as [number, number, number],
          c.padding,
          "NDHWC",
          c.dilationRate as unknown as [number, number, number],
        )
        : tf.conv2d(
          h as tf.Tensor4D,
          kernel as tf.Tensor4D,
          c.strides,
          c.padding,
          "NHWC",
          c.dilationRate,
        );
    }
    if (bias) out = tf.add(out, bias);
    const tap = taps[z.length];
    if (tap) out = tf.add(out, tap);
    z.push(out);
    const act = ACTIVATIONS[l.activation];
    if (!act) {
      throw new ChainModelError(
        `layer "${l.layer.name}": activation "${l.activation}" is not supported here`,
      );
    }
    if (l.activation === "relu") reluInputs.push(out);
    if (last && l.activation === "softmax") logits = out;
    h = act(out);
  });
  return { logits: logits ?? h, z, reluInputs };
}
