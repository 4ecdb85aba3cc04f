/**
 * Critics for the neural MI bounds: small MLPs in tfjs whose dense layers
 * compute their gradients with explicit transposes (in tfjs-wasm a matMul
 * with transposeA/B is far slower than transpose + matMul; the numbers are
 * in bench/README.md).
 *
 * - `concat`: T(x, y) = MLP([x, y]), as in MINE.
 * - `separable`: T(x, y) = g(x)ᵀ h(y), two MLPs whose dot product gives the
 *   whole n × n score matrix from one matrix product.
 *
 * @module
 */

import { tf, variableOf } from "../nets/backend.ts";
import { Random } from "../space/random.ts";

/** Hidden activations a neural estimator's critic can use (`NeuralOptions.activation`). */
export type CriticActivation = "relu" | "tanh" | "elu";

/** The shape of a critic. */
export interface CriticSpec {
  kind: "concat" | "separable";
  /** Hidden layer widths. */
  hidden: readonly number[];
  activation: CriticActivation;
  /** Output size of each side of a separable critic. */
  embedding: number;
}

/**
 * y = act(x W + b), with a gradient that transposes explicitly.
 */
const denseOps = new Map<
  string,
  (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D
>();

function denseOp(
  activation: CriticActivation | "linear",
): (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D {
  let op = denseOps.get(activation);
  if (op) return op;
  op = tf.customGrad(
    ((
      x: tf.Tensor2D,
      w: tf.Tensor2D,
      b: tf.Tensor1D,
      save: tf.GradSaveFunc,
    ) => {
      // tfjs fuses relu and elu into the matMul; tanh is applied after.
      const fused = activation === "relu" || activation === "elu"
        ? activation
        : "linear";
      let z = tf.fused.matMul({
        a: x,
        b: w,
        bias: b,
        activation: fused,
      }) as tf.Tensor2D;
      if (activation === "tanh") z = tf.tanh(z);
      save([x, w, z]);
      return {
        value: z,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [xs, ws, out] = saved as [
            tf.Tensor2D,
            tf.Tensor2D,
            tf.Tensor2D,
          ];
          let dz = dy as tf.Tensor2D;
          if (activation === "relu") dz = tf.mul(dz, tf.step(out));
          else if (activation === "tanh") {
            dz = tf.mul(
              dz,
              tf.sub(1, tf.square(out)),
            );
          } else if (activation === "elu") {
            dz = tf.mul(
              dz,
              tf.where(tf.greater(out, 0), tf.onesLike(out), tf.add(out, 1)),
            );
          }
          return [
            tf.matMul(dz, tf.transpose(ws)),
            tf.matMul(tf.transpose(xs), dz),
            tf.sum(dz, 0),
          ];
        },
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0],
  ) as unknown as (
    x: tf.Tensor2D,
    w: tf.Tensor2D,
    b: tf.Tensor1D,
  ) => tf.Tensor2D;
  denseOps.set(activation, op);
  return op;
}

/** A fully connected layer's parameters. */
interface Layer {
  w: tf.Variable;
  b: tf.Variable;
}

function glorot(fanIn: number, fanOut: number, r: Random): Float32Array {
  // Uniform Glorot, as Keras and PyTorch's default for linear layers use.
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < out.length; i++) out[i] = r.uniform(-limit, limit);
  return out;
}

/** An MLP: hidden layers with `activation`, then a linear output layer. */
export class Mlp {
  readonly layers: Layer[];
  readonly activation: CriticActivation;

  constructor(
    sizes: readonly number[],
    activation: CriticActivation,
    r: Random,
  ) {
    this.activation = activation;
    this.layers = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      this.layers.push({
        w: variableOf(() =>
          tf.tensor2d(glorot(sizes[i], sizes[i + 1], r), [
            sizes[i],
            sizes[i + 1],
          ])
        ),
        b: variableOf(() => tf.zeros([sizes[i + 1]])),
      });
    }
  }

  /** The trainable variables. */
  get variables(): tf.Variable[] {
    return this.layers.flatMap((l) => [l.w, l.b]);
  }

  /** Forward pass from layer `from` on (e.g. 1 when the first layer was applied by hand). */
  apply(x: tf.Tensor2D, from = 0): tf.Tensor2D {
    let h = x;
    for (let i = from; i < this.layers.length; i++) {
      const last = i === this.layers.length - 1;
      h = denseOp(last ? "linear" : this.activation)(
        h,
        this.layers[i].w as tf.Tensor2D,
        this.layers[i].b as tf.Tensor1D,
      );
    }
    return h;
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** A critic T(x, y). */
export interface Critic {
  readonly variables: tf.Variable[];
  /** T(x_i, y_i) for aligned rows: n × 1. */
  pairs(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D;
  /** T(x_i, y_j) for every i, j: n × m. */
  matrix(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D;
  dispose(): void;
}

class ConcatCritic implements Critic {
  readonly mlp: Mlp;
  readonly dx: number;

  constructor(dx: number, dy: number, spec: CriticSpec, r: Random) {
    this.dx = dx;
    this.mlp = new Mlp([dx + dy, ...spec.hidden, 1], spec.activation, r);
  }

  get variables(): tf.Variable[] {
    return this.mlp.variables;
  }

  pairs(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
    return this.mlp.apply(tf.concat([x, y], 1));
  }

  matrix(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
    // The first layer splits: [x, y] W = x W_x + y W_y, so all n·m pairs
    // share n + m products, added by broadcasting.
    const first = this.mlp.layers[0];
    const h = first.w.shape[1] as number;
    const [n, m] = [x.shape[0], y.shape[0]];
    const wx = tf.slice(first.w, [0, 0], [this.dx, h]) as tf.Tensor2D;
    const wy = tf.slice(first.w, [this.dx, 0], [-1, h]) as tf.Tensor2D;
    const a = denseOp("linear")(x, wx, tf.zeros([h]));
    const b = denseOp("linear")(y, wy, first.b as tf.Tensor1D);
    let z: tf.Tensor = tf.add(
      tf.reshape(a, [n, 1, h]),
      tf.reshape(b, [1, m, h]),
    );
    z = this.mlp.activation === "relu"
      ? tf.relu(z)
      : this.mlp.activation === "tanh"
      ? tf.tanh(z)
      : tf.elu(z);
    const out = this.mlp.layers.length === 1
      ? z
      : this.mlp.apply(tf.reshape(z, [n * m, h]) as tf.Tensor2D, 1);
    return tf.reshape(out, [n, m]);
  }

  dispose(): void {
    this.mlp.dispose();
  }
}

class SeparableCritic implements Critic {
  readonly g: Mlp;
  readonly h: Mlp;

  constructor(dx: number, dy: number, spec: CriticSpec, r: Random) {
    this.g = new Mlp([dx, ...spec.hidden, spec.embedding], spec.activation, r);
    this.h = new Mlp([dy, ...spec.hidden, spec.embedding], spec.activation, r);
  }

  get variables(): tf.Variable[] {
    return [...this.g.variables, ...this.h.variables];
  }

  pairs(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
    return tf.sum(tf.mul(this.g.apply(x), this.h.apply(y)), 1, true);
  }

  matrix(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
    return tf.matMul(this.g.apply(x), tf.transpose(this.h.apply(y)));
  }

  dispose(): void {
    this.g.dispose();
    this.h.dispose();
  }
}

/** Builds a critic with weights drawn from `seed`. */
export function makeCritic(
  dx: number,
  dy: number,
  spec: CriticSpec,
  seed: number,
): Critic {
  const r = new Random(seed, "critic-init");
  return spec.kind === "concat"
    ? new ConcatCritic(dx, dy, spec, r)
    : new SeparableCritic(dx, dy, spec, r);
}
