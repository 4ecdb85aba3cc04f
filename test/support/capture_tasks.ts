/**
 * The known-answer conv task shared by test/capture_test.ts and
 * bench/capture.ts.
 *
 * @module
 */

import { tf } from "../../lib/nets/backend.ts";
import { Random } from "../../lib/space/random.ts";

/**
 * A known answer inside a conv feature map: z ~ N(0, I₂) and an 8×8×2 image
 * whose channel j is z_j plus independent N(0, σ²) pixel noise, read through
 * an invertible 1×1 convolution (a linear map of the channels). The channel
 * means are sufficient for z, so I(T;Z) = I(image;Z) = 2 · ½ ln(1 + P/σ²)
 * with P = 64 pixels per channel, and pooling keeps all of it.
 */
export function knownAnswerMaps(n: number, sigma: number, seed: number) {
  const random = new Random(seed, "capture known answer");
  const P = 64;
  const z = new Float32Array(n * 2);
  const images = new Float32Array(n * P * 2);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 2; j++) z[i * 2 + j] = random.normal();
    for (let p = 0; p < P; p++) {
      for (let j = 0; j < 2; j++) {
        images[(i * P + p) * 2 + j] = z[i * 2 + j] + sigma * random.normal();
      }
    }
  }
  return {
    z,
    images,
    truth: 2 * 0.5 * Math.log(1 + P / (sigma * sigma)),
  };
}

/** The invertible 1×1 convolution (channel mixing) the task is read through. */
export function mixingConv(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 2] });
  const conv = tf.layers.conv2d({
    filters: 2,
    kernelSize: 1,
    useBias: false,
    name: "mix",
    weights: [tf.tensor4d([[[[1, 0.5], [-0.3, 1]]]])],
  }).apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: conv });
}
