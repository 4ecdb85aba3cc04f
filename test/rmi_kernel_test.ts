/**
 * RMI's proxy training on the matrix kernel (`rmiScoreKernel`) against the
 * tfjs one (`rmiScore`) on the same CNN, weights, teacher and batch: the
 * same loss at every step, CKA per stage and cross-entropy, to float32
 * rounding; and its refusals.
 */
import { assert, assertAlmostEquals, assertRejects } from "./support/assert.ts";
import { digitsCnn } from "./support/cnn.ts";
import { setBackend, tf } from "../lib/nets/backend.ts";
import { buildNetwork } from "../lib/nets/architecture.ts";
import { convStages, rmiScore, teacherFeatures } from "../lib/mi/rmi.ts";
import { rmiScoreKernel } from "../lib/mi/rmi_kernel.ts";
import { loadDigits } from "../lib/data/digits.ts";

await setBackend("wasm");

const cnn = digitsCnn;

Deno.test("rmiScoreKernel = rmiScore on the same CNN, weights, teacher and batch", async () => {
  const digits = await loadDigits({ scale: true });
  const x = tf.tensor2d(digits.x.slice(0, 32));
  const y = digits.y.slice(0, 32);
  const teacherNet = buildNetwork(cnn([9, 9, 9, 9]), 99);
  const teacher = teacherFeatures(
    { model: teacherNet.model, stages: convStages(teacherNet.model) },
    x,
  );
  const a = cnn([5, 7, 4, 6]);
  for (const options of [{ steps: 12 }, { steps: 6, beta: 0.3 }]) {
    const net = buildNetwork(a, 4);
    const weights = net.model.getWeights().map((w) => w.dataSync().slice());
    const fast = await rmiScoreKernel(
      { architecture: a, weights },
      teacher,
      { x, y },
      options,
    );
    const slow = await rmiScore(
      { model: net.model, stages: convStages(net.model) },
      teacher,
      { x, y },
      options,
    );
    net.dispose();
    assert(fast.trace.length === options.steps);
    fast.trace.forEach((v, i) =>
      assertAlmostEquals(
        v,
        slow.trace[i],
        1e-3 * Math.abs(slow.trace[i]),
        `step ${i}`,
      )
    );
    fast.cka.forEach((c, i) =>
      assertAlmostEquals(c, slow.cka[i], 1e-3, `CKA ${i}`)
    );
    assertAlmostEquals(
      fast.crossEntropy,
      slow.crossEntropy,
      1e-3 * slow.crossEntropy,
    );
    assert(
      fast.trace.at(-1)! < fast.trace[0],
      `the proxy training lowers the loss: ${fast.trace}`,
    );
  }
  tf.dispose([x, ...teacher]);
  teacherNet.dispose();
});

Deno.test("rmiScoreKernel refuses a teacher of another depth and bad options", async () => {
  const a = cnn([3, 3]);
  const net = buildNetwork(a, 1);
  const weights = net.model.getWeights().map((w) => w.dataSync().slice());
  net.dispose();
  const x = tf.zeros([4, 64]);
  const t = [tf.ones([4, 3])];
  await assertRejects(
    () =>
      rmiScoreKernel({ architecture: a, weights }, t, { x, y: [0, 1, 2, 3] }),
    /2 stages \(conv layers\) but the teacher 1/,
  );
  await assertRejects(
    () =>
      rmiScoreKernel({ architecture: a, weights }, [...t, ...t], { x, y: [0] }),
    /4 inputs but 1 labels/,
  );
  await assertRejects(
    () =>
      rmiScoreKernel({ architecture: a, weights }, [...t, ...t], {
        x,
        y: [0, 1, 2, 3],
      }, { steps: 0 }),
    /steps must be a positive integer/,
  );
  tf.dispose([x, ...t]);
});
