/**
 * The CNN signal sweep on a user's own image files
 * (studies/predictors/cnn_sweep_images.ts): IDX files written here, read
 * by loadImageDataset, made a task, swept with every signal, resumed from
 * its store, and compared.
 */
import { assert, assertEquals } from "./support/assert.ts";
import { writeIdx } from "../lib/data/idx.ts";
import { ndarray } from "../lib/data/ndarray.ts";
import { loadImageDataset } from "../lib/data/image_datasets.ts";
import { Random } from "../lib/space/random.ts";
import { CNN_QUICK } from "../studies/predictors/cnn_sweep.ts";
import {
  imageTask,
  runCnnSweepOn,
} from "../studies/predictors/cnn_sweep_images.ts";
import { compareSweepSignals } from "../studies/predictors/signal_comparison.ts";

/** MNIST-format files of 10×10 images: class c lights rows 3c to 3c + 2. */
async function writeStripes(dir: string): Promise<void> {
  const r = new Random(1);
  for (const [split, n] of [["train", 120], ["t10k", 30]] as const) {
    const images = new Uint8Array(n * 100);
    const labels = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const c = k % 3;
      labels[k] = c;
      for (let p = 0; p < 100; p++) {
        const row = Math.floor(p / 10);
        const on = row >= 3 * c && row < 3 * c + 3;
        images[k * 100 + p] = Math.min(
          255,
          Math.floor((on ? 160 : 20) + r.uniform(0, 90)),
        );
      }
    }
    await writeIdx(
      `${dir}/${split}-images-idx3-ubyte`,
      ndarray(images, [n, 10, 10]),
    );
    await writeIdx(`${dir}/${split}-labels-idx1-ubyte`, labels);
  }
}

Deno.test({
  name:
    "the CNN sweep runs on a user's IDX files, resumes from its store, and its signals compare",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      await writeStripes(dir);
      const data = await loadImageDataset(dir, { validation: 0.25 });
      assertEquals(data.shape, [10, 10, 1]);
      const task = imageTask(data, "stripes");
      assertEquals(task.imageShape, [10, 10, 1]);
      assertEquals(task.split.validation.length, 30);
      const store = `${dir}/sweep.jsonl`;
      // CNN_QUICK with enough steps to learn 90 images: 6 epochs of 16.
      const settings = { ...CNN_QUICK, budgets: [1, 2, 6], batchSize: 16 };
      const options = {
        settings,
        architectures: 2,
        store,
        progress: "quiet" as const,
      };
      const rows = await runCnnSweepOn(task, options);
      assertEquals(rows.length, 2);
      for (const r of rows) {
        for (
          const k of [
            "acc_1",
            "acc_2",
            "acc_6",
            "test_acc",
            "rmi",
            "zc_synflow",
          ]
        ) {
          assert(Number.isFinite(r[k] as number), `${k}: ${r[k]}`);
        }
        assert(
          Object.keys(r).some((k) => k.startsWith("mi_mixed-ksg_")),
          Object.keys(r).join(),
        );
        // Well above chance (1/3).
        assert((r.acc_6 as number) > 0.6, `accuracy ${r.acc_6}`);
      }
      // Resumed: the store already holds both trials, nothing is re-run.
      const t0 = performance.now();
      const again = await runCnnSweepOn(task, options);
      assert(performance.now() - t0 < 2000, "the resume re-ran trials");
      assertEquals(again.map((r) => r.acc_6), rows.map((r) => r.acc_6));
      const c = compareSweepSignals(rows.map((r) => ({ ...r, task: 0 })));
      assertEquals(c.target, "acc_6");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("imageTask refuses a data set without validation samples, naming the fix", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeStripes(dir);
    const data = await loadImageDataset(dir);
    let message = "";
    try {
      imageTask(data, "stripes");
    } catch (e) {
      message = (e as Error).message;
    }
    assert(message.includes("validation: 0.2"), message);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
