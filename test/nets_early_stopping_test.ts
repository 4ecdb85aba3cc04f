/**
 * When training stops (lib/nets/_early_stopping.ts), and that the tfjs and
 * kernel trainers stop on the same epoch for it.
 */
import { assert, assertEquals } from "./support/assert.ts";
import { EpochStopper } from "../lib/nets/_early_stopping.ts";
import { trainKernelCnn } from "../lib/nets/train_kernel_cnn.ts";
import { trainNetwork } from "../lib/nets/train.ts";
import { loadDigits } from "../lib/data/digits.ts";
import { digitsCnn } from "./support/cnn.ts";

const epoch = (
  n: number,
  trainLoss: number,
  validationLoss?: number,
) => ({
  epoch: n,
  trainLoss,
  trainAccuracy: 0,
  seconds: 0,
  ...(validationLoss === undefined ? {} : { validationLoss }),
});

Deno.test("EpochStopper: the last epoch, a diverged loss, and no patience", () => {
  const plain = new EpochStopper(3, undefined, 0);
  assertEquals([1, 2, 3].map((e) => plain.after(epoch(e, 5))), [
    false,
    false,
    true,
  ]);
  assertEquals(plain.stopped, "epochs");
  const nan = new EpochStopper(10, 5, 0);
  assert(!nan.after(epoch(1, 1)));
  assert(nan.after(epoch(2, NaN)));
  assertEquals(nan.stopped, "diverged");
  const inf = new EpochStopper(10, undefined, 0);
  assert(inf.after(epoch(1, Infinity)));
  assertEquals(inf.stopped, "diverged");
});

Deno.test("EpochStopper: patience counts epochs without a gain of minDelta, on the validation loss", () => {
  const s = new EpochStopper(100, 2, 0.1);
  // Training loss falls, validation loss is what counts: 1, 0.95 (no gain
  // of 0.1), 0.85 (gain), 0.8, 0.79 → stops at epoch 5.
  const validation = [1, 0.95, 0.85, 0.8, 0.79];
  const stops = validation.map((v, i) => s.after(epoch(i + 1, 1 / (i + 1), v)));
  assertEquals(stops, [false, false, false, false, true]);
  assertEquals(s.stopped, "early-stopping");
  // Without validation the training loss is monitored.
  const t = new EpochStopper(100, 1, 0);
  assert(!t.after(epoch(1, 1)));
  assert(!t.after(epoch(2, 0.5)));
  assert(t.after(epoch(3, 0.5)));
});

Deno.test("trainKernelCnn and trainNetwork stop early on the same epoch", async () => {
  const digits = await loadDigits({ scale: true });
  const train = { x: digits.x.slice(0, 128), y: digits.y.slice(0, 128) };
  const validation = {
    x: digits.x.slice(128, 192),
    y: digits.y.slice(128, 192),
  };
  const arch = digitsCnn([4, 4]);
  const options = {
    epochs: 50,
    batchSize: 64,
    learningRate: 1e-9, // the loss barely moves
    seed: 3,
    validation,
    earlyStopping: { patience: 2, minDelta: 1e-3 },
    captureEpochs: [],
  };
  const fast = await trainKernelCnn(arch, train, options);
  const slow = await trainNetwork(arch, train, options);
  assertEquals(fast.stopped, "early-stopping");
  assertEquals(slow.stopped, "early-stopping");
  assertEquals(fast.epochs, 3);
  assertEquals(slow.epochs, fast.epochs);
});

Deno.test("both trainers refuse the same bad settings with the same words", async () => {
  const digits = await loadDigits({ scale: true });
  const train = { x: digits.x.slice(0, 8), y: digits.y.slice(0, 8) };
  const arch = digitsCnn([2]);
  const cases = [
    [
      { epochs: 1, earlyStopping: { patience: 0 } },
      /patience must be a positive integer/,
    ],
    [{ epochs: 1, seed: 0.5 }, /seed must be a safe integer/],
    [
      { epochs: 1, learningRate: -1 },
      /learningRate must be a positive finite number/,
    ],
    [{ epochs: -1 }, /epochs must be a non-negative integer/],
  ] as const;
  for (const [options, re] of cases) {
    for (const trainer of [trainKernelCnn, trainNetwork]) {
      let message = "";
      try {
        await trainer(arch, train, options as never);
      } catch (e) {
        message = (e as Error).message;
      }
      assert(re.test(message), `${trainer.name}: "${message}"`);
    }
  }
});
