/**
 * The hand-written backward passes of the fast critic trainers against
 * tfjs autodiff of the same losses, computed from the flat parameter vector
 * with plain ops.
 */
import { assert, assertEquals } from "./support/assert.ts";
import { setBackend, tf } from "../lib/nets/backend.ts";
import {
  infoNceMatrix,
  jsMatrix,
  matrixBound,
  nwjMatrix,
} from "../lib/mi/_bounds.ts";
import type { CriticActivation } from "../lib/mi/_critic.ts";
import { trainerKind } from "../lib/mi/_critic_trainers.ts";
import { PairTrainer } from "../lib/mi/_pair_trainer.ts";
import { SeparableTrainer } from "../lib/mi/_separable_trainer.ts";

await setBackend("wasm");

/** An MLP read from `theta` at `offset` ([W, b] per layer), with plain ops. */
function referenceMlp(
  theta: tf.Tensor1D,
  offset: number,
  sizes: readonly number[],
  activation: CriticActivation,
  u: tf.Tensor2D,
): tf.Tensor2D {
  let h = u;
  let off = offset;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const w = tf.reshape(tf.slice(theta, off, sizes[l] * sizes[l + 1]), [
      sizes[l],
      sizes[l + 1],
    ]) as tf.Tensor2D;
    off += sizes[l] * sizes[l + 1];
    const b = tf.slice(theta, off, sizes[l + 1]);
    off += sizes[l + 1];
    h = tf.add(tf.matMul(h, w), b) as tf.Tensor2D;
    if (l + 2 < sizes.length) {
      h = activation === "relu"
        ? tf.relu(h)
        : activation === "tanh"
        ? tf.tanh(h)
        : tf.elu(h);
    }
  }
  return h;
}

function autodiff(
  theta: tf.Tensor1D,
  loss: (th: tf.Tensor1D) => tf.Scalar,
): Float32Array {
  const g = tf.grad((th: tf.Tensor) => loss(th as tf.Tensor1D));
  return tf.tidy(() => g(theta).dataSync() as Float32Array);
}

function assertClose(
  ours: Float32Array,
  reference: Float32Array,
  label: string,
) {
  assertEquals(ours.length, reference.length, label);
  let maxErr = 0, maxRef = 0;
  for (let i = 0; i < ours.length; i++) {
    maxErr = Math.max(maxErr, Math.abs(ours[i] - reference[i]));
    maxRef = Math.max(maxRef, Math.abs(reference[i]));
  }
  assert(maxRef > 0, `${label}: the reference gradient is all zero`);
  assert(
    maxErr <= 1e-5 * Math.max(1, maxRef),
    `${label}: max gradient error ${maxErr} (scale ${maxRef})`,
  );
}

const normal = (rows: number, cols: number, seed: number) =>
  tf.randomNormal([rows, cols], 0, 1, "float32", seed) as tf.Tensor2D;

// Sizes that exercise every block of the kernel: hidden widths that are not
// multiples of 12 or 4, a one-unit hidden layer, and row counts that are
// not multiples of 3.
const PAIR_CASES = [
  { hidden: [16, 8], rows: 32 },
  { hidden: [30, 7], rows: 1025 },
  { hidden: [5, 1, 13], rows: 61 },
];

Deno.test("PairTrainer: the hand-written gradient matches autodiff", () => {
  for (const activation of ["relu", "tanh", "elu"] as const) {
    for (const bound of ["dv", "nwj", "mine-ema"] as const) {
      for (const { hidden, rows } of PAIR_CASES) {
        const trainer = new PairTrainer(6, hidden, {
          bound,
          activation,
          learningRate: 1e-3,
          seed: 3,
        });
        const joint = normal(rows, 6, 1);
        const marginal = normal(rows, 6, 2);
        // Nonzero biases too (they start at zero), so that every term is
        // checked; positive ones, so that a one-unit ReLU layer is not dead.
        const values = tf.tidy(() =>
          tf.randomNormal([trainer.mlp.size], 0, 0.3, "float32", 7).dataSync()
        );
        const sizes = trainer.mlp.sizes;
        for (let l = 0, off = 0; l + 1 < sizes.length; l++) {
          off += sizes[l] * sizes[l + 1];
          for (let j = 0; j < sizes[l + 1]; j++, off++) {
            values[off] = Math.abs(values[off]);
          }
        }
        const theta = tf.tensor1d(values);
        trainer.theta.set(values);
        trainer.rows(2 * rows).set(
          tf.tidy(() => tf.concat([joint, marginal]).dataSync()),
        );
        const ours = trainer.gradient(2 * rows, rows).grad.slice();
        // On the first batch MINE's moving average equals the batch mean, so
        // its corrected gradient is exactly the DV gradient.
        const reference = autodiff(theta as tf.Tensor1D, (th) => {
          const f = (u: tf.Tensor2D) =>
            referenceMlp(th, 0, trainer.mlp.sizes, activation, u);
          const tj = f(joint);
          const tm = f(marginal);
          const lme = tf.sub(tf.logSumExp(tm), Math.log(tm.shape[0]));
          return tf.neg(
            bound === "nwj"
              ? tf.sub(tf.mean(tj), tf.exp(tf.sub(lme, 1)))
              : tf.sub(tf.mean(tj), lme),
          );
        });
        assertClose(
          ours,
          reference,
          `${bound}/${activation}/${hidden}/${rows} rows`,
        );
        // The scores equal the reference forward pass.
        const scores = trainer.scores(2 * rows);
        const want = tf.tidy(() =>
          referenceMlp(
            theta as tf.Tensor1D,
            0,
            trainer.mlp.sizes,
            activation,
            tf.concat([joint, marginal]) as tf.Tensor2D,
          ).dataSync() as Float32Array
        );
        assertClose(scores, want, `scores ${bound}/${activation}/${hidden}`);
        tf.dispose([joint, marginal, theta]);
      }
    }
  }
});

Deno.test("SeparableTrainer: the hand-written gradient matches autodiff", () => {
  for (const activation of ["relu", "tanh", "elu"] as const) {
    for (const bound of ["infonce", "nwj", "smile"] as const) {
      // 29 rows: S is 29 × 29, off the kernel's 3-row and 12-column blocks.
      const n = 29;
      const trainer = new SeparableTrainer(3, 4, {
        bound,
        activation,
        hidden: [16, 8],
        embedding: 6,
        learningRate: 1e-3,
        seed: 5,
      });
      const x = normal(n, 3, 1);
      const y = normal(n, 4, 2);
      const values = tf.tidy(() =>
        tf.randomNormal([trainer.g.size + trainer.h.size], 0, 0.3, "float32", 7)
          .dataSync() as Float32Array
      );
      trainer.g.theta.set(values.subarray(0, trainer.g.size));
      trainer.h.theta.set(values.subarray(trainer.g.size));
      const inputs = trainer.inputs(n, n);
      inputs.x.set(x.dataSync());
      inputs.y.set(y.dataSync());
      const { bound: readOut, grad: ours } = trainer.gradient(n);
      const theta = tf.tensor1d(values);
      const scores = (th: tf.Tensor1D) => {
        const g = referenceMlp(th, 0, trainer.g.sizes, activation, x);
        const h = referenceMlp(
          th,
          trainer.g.size,
          trainer.h.sizes,
          activation,
          y,
        );
        return tf.matMul(g, h, false, true) as tf.Tensor2D;
      };
      const reference = autodiff(theta, (th) => {
        const s = scores(th);
        // SMILE trains on the Jensen-Shannon objective.
        const objective = bound === "infonce"
          ? infoNceMatrix(s)
          : bound === "nwj"
          ? nwjMatrix(s)
          : jsMatrix(s);
        return tf.neg(objective);
      });
      assertClose(ours, reference, `${bound}/${activation}`);
      // The read-out and the score matrix equal tfjs's.
      const [wantBound, wantS] = tf.tidy(() => {
        const s = scores(theta);
        return [
          matrixBound(bound, s, trainer.clip).dataSync()[0],
          s.dataSync() as Float32Array,
        ] as const;
      });
      assertClose(trainer.matrix(n, n), wantS, `S ${bound}/${activation}`);
      assert(
        Math.abs(readOut - wantBound) <=
          1e-5 * Math.max(1, Math.abs(wantBound)),
        `${bound}/${activation} read-out ${readOut} against ${wantBound}`,
      );
      tf.dispose([x, y, theta]);
    }
  }
});

Deno.test("SeparableTrainer: S for different row counts of x and y", () => {
  const trainer = new SeparableTrainer(2, 2, {
    bound: "nwj",
    hidden: [8],
    embedding: 5,
    learningRate: 1e-3,
    seed: 1,
  });
  const inputs = trainer.inputs(3, 7);
  inputs.x.set([1, 0, 0, 1, 1, 1]);
  inputs.y.set(Array.from({ length: 14 }, (_, i) => i / 7));
  const s = trainer.matrix(3, 7);
  assertEquals(s.length, 21);
  // Row i of S is g(x_i)ᵀh(y_j): the same x against the first y alone.
  const one = trainer.inputs(1, 1);
  one.x.set([0, 1]);
  one.y.set([0, 1 / 7]);
  const single = trainer.matrix(1, 1)[0];
  assert(Math.abs(single - s[1 * 7 + 0]) < 1e-6, `${single} vs ${s[7]}`);
});

Deno.test("trainerKind: the kernel trainers only on CPU backends, for the natural pairings", () => {
  for (const method of ["mine", "mine-biased", "mine-f"] as const) {
    assertEquals(trainerKind(method, "concat", "wasm"), "pair-kernel");
    assertEquals(trainerKind(method, "concat", "cpu"), "pair-kernel");
    assertEquals(trainerKind(method, "concat", "tensorflow"), "autodiff");
    assertEquals(trainerKind(method, "concat", "webgpu"), "autodiff");
    assertEquals(trainerKind(method, "separable", "wasm"), "autodiff");
  }
  for (const method of ["nwj", "infonce", "smile"] as const) {
    assertEquals(trainerKind(method, "separable", "wasm"), "separable");
    assertEquals(trainerKind(method, "separable", "tensorflow"), "autodiff");
    assertEquals(trainerKind(method, "concat", "wasm"), "autodiff");
  }
});
