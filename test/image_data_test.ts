/**
 * IDX and CIFAR files written by the test (CIFAR's bytes laid out here by
 * hand, independently of the reader) read back equal; image data sets load
 * from the usual folder layouts with a seeded validation split; truncated
 * or missing files give named errors.
 */

import { assert, assertEquals } from "./support/assert.ts";
import { DataFileError, type NdArray, ndarray } from "../lib/data/ndarray.ts";
import { readIdx, writeIdx } from "../lib/data/idx.ts";
import { readCifar } from "../lib/data/cifar.ts";
import { loadImageDataset } from "../lib/data/image_datasets.ts";
import { Random } from "../lib/space/random.ts";

async function rejectsWith(fn: () => Promise<unknown>, pattern: RegExp) {
  try {
    await fn();
  } catch (e) {
    assert(e instanceof DataFileError, `expected a DataFileError, got ${e}`);
    assert(pattern.test(e.message), `"${e.message}" does not match ${pattern}`);
    return;
  }
  throw new Error(`expected a rejection matching ${pattern}`);
}

Deno.test("IDX round trip in every type code, plain and gzipped", async () => {
  const dir = await Deno.makeTempDir();
  const r = new Random(3);
  const v = Array.from(
    { length: 2 * 3 * 4 },
    () => Math.floor(r.uniform(0, 200)),
  );
  const arrays: NdArray[] = [
    ndarray(Uint8Array.from(v), [2, 3, 4]),
    ndarray(Int8Array.from(v, (x) => x - 100), [6, 4]),
    ndarray(Int16Array.from(v, (x) => x * -130), [24]),
    ndarray(Int32Array.from(v, (x) => x * 1e6), [2, 12]),
    ndarray(Float32Array.from(v, (x) => x / 7), [4, 6]),
    ndarray(Float64Array.from(v, (x) => x / 7), [1, 2, 3, 4]),
  ];
  for (const [i, a] of arrays.entries()) {
    for (const name of [`a${i}-idx-ubyte`, `a${i}-idx-ubyte.gz`]) {
      await writeIdx(`${dir}/${name}`, a);
      assertEquals(await readIdx(`${dir}/${name}`), a, name);
    }
  }
  // the header is big-endian, as MNIST's: magic 0x00000803, then 2, 3, 4
  const bytes = await Deno.readFile(`${dir}/a0-idx-ubyte`);
  assertEquals([...bytes.subarray(0, 8)], [0, 0, 8, 3, 0, 0, 0, 2]);
  const gz = await Deno.readFile(`${dir}/a0-idx-ubyte.gz`);
  assertEquals([gz[0], gz[1]], [0x1f, 0x8b]);
});

Deno.test("IDX: truncated, too long and foreign files give named errors", async () => {
  const dir = await Deno.makeTempDir();
  await writeIdx(`${dir}/x`, ndarray(new Uint8Array(100), [10, 10]));
  const ok = await Deno.readFile(`${dir}/x`);
  await Deno.writeFile(`${dir}/cut`, ok.subarray(0, 50));
  await rejectsWith(
    () => readIdx(`${dir}/cut`),
    /"\S+\/cut" is truncated: dimensions \[10,10\] of uint8: expected 112 bytes, got 50/,
  );
  await rejectsWith(
    () => readIdx(new Uint8Array([...ok, 1])),
    /too long.*expected 112 bytes, got 113/,
  );
  await rejectsWith(
    () => readIdx(new TextEncoder().encode("PK\x03\x04....")),
    /not an IDX file: magic number 0x504b0304/,
  );
  const gz = (await Deno.readFile(`${dir}/x`)).slice();
  await writeIdx(`${dir}/y.gz`, ndarray(new Uint8Array(100), [10, 10]));
  const zipped = await Deno.readFile(`${dir}/y.gz`);
  await rejectsWith(
    () => readIdx(zipped.subarray(0, 20)),
    /gzip file but does not decompress/,
  );
  assertEquals((await readIdx(gz)).shape, [10, 10]);
});

/** One CIFAR record laid out by hand: label byte(s), then R, G, B planes. */
function cifarRecord(
  labels: number[],
  pixel: (y: number, x: number, c: number) => number,
) {
  const out = new Uint8Array(labels.length + 3072);
  out.set(labels);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        out[labels.length + c * 1024 + y * 32 + x] = pixel(y, x, c);
      }
    }
  }
  return out;
}

const PIXEL = (i: number) => (y: number, x: number, c: number) =>
  (i * 37 + y * 5 + x * 3 + c * 80) % 256;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

Deno.test("CIFAR-10 and CIFAR-100 batches read back as NHWC", async () => {
  const ten = concat([0, 1, 2].map((i) => cifarRecord([i * 3], PIXEL(i))));
  const b = await readCifar(ten);
  assertEquals(b.kind, "cifar10");
  assertEquals(b.labels, [0, 3, 6]);
  assertEquals(b.images.shape, [3, 32, 32, 3]);
  for (const [i, y, x, c] of [[0, 0, 0, 0], [1, 5, 7, 2], [2, 31, 30, 1]]) {
    const at = ((i * 32 + y) * 32 + x) * 3 + c;
    assertEquals(b.images.data[at], Math.fround(PIXEL(i)(y, x, c) / 255));
  }
  const raw = await readCifar(ten, { pixels: "uint8" });
  assertEquals(
    raw.images.data[((1 * 32 + 5) * 32 + 7) * 3 + 2],
    PIXEL(1)(5, 7, 2),
  );
  const hundred = concat(
    [0, 1].map((i) => cifarRecord([i + 4, 90 + i], PIXEL(i))),
  );
  const h = await readCifar(hundred);
  assertEquals([h.kind, h.labels, h.coarseLabels], ["cifar100", [90, 91], [
    4,
    5,
  ]]);
  await rejectsWith(
    () => readCifar(ten.subarray(0, ten.length - 1)),
    /not a whole number of CIFAR records: 9218 bytes/,
  );
  await rejectsWith(
    () => readCifar(ten.subarray(0, ten.length - 1), { kind: "cifar10" }),
    /truncated or not cifar10: 3 records of 3073 bytes need 9219 bytes, got 9218/,
  );
  await rejectsWith(
    () => readCifar(cifarRecord([12], PIXEL(0)), { kind: "cifar10" }),
    /record 0 has label 12/,
  );
});

async function writeMnist(
  dir: string,
  prefix: (split: "train" | "t10k") => string,
  sizes: { train: number; t10k: number },
  gz: string,
) {
  await Deno.mkdir(dir, { recursive: true });
  for (const split of ["train", "t10k"] as const) {
    const n = sizes[split];
    const images = new Uint8Array(n * 28 * 28).map((_, i) => (i * 7 + n) % 256);
    for (let k = 0; k < n; k++) images[k * 784] = k; // every image distinct
    await writeIdx(
      `${dir}/${prefix(split)}-images-idx3-ubyte${gz}`,
      ndarray(images, [n, 28, 28]),
    );
    await writeIdx(
      `${dir}/${prefix(split)}-labels-idx1-ubyte${gz}`,
      new Uint8Array(n).map((_, i) => i % 10),
    );
  }
}

Deno.test("MNIST-family folders load with a seeded, stratified validation split", async () => {
  const root = await Deno.makeTempDir();
  // torchvision's layout, gzipped
  await writeMnist(`${root}/FashionMNIST/raw`, (s) => s, {
    train: 100,
    t10k: 30,
  }, ".gz");
  const a = await loadImageDataset(root, { validation: 0.2, seed: 4 });
  assertEquals([a.kind, a.shape, a.classes], ["mnist", [28, 28, 1], 10]);
  assertEquals([a.train.x.length, a.validation.x.length, a.test.x.length], [
    80,
    20,
    30,
  ]);
  // stratified: 2 of each class's 10 go to validation
  for (let c = 0; c < 10; c++) {
    assertEquals(a.validation.y.filter((y) => y === c).length, 2);
  }
  // pixels in [0, 1], row-major 28 × 28 of the image, test in file order
  assertEquals(a.test.x[1][5], ((1 * 784 + 5) * 7 + 30) % 256 / 255);
  assertEquals(a.test.y.slice(0, 3), [0, 1, 2]);
  // train ∪ validation is the training file, disjoint; the same seed, the same split
  const key = (x: number[]) => x.slice(0, 3).join();
  const all = new Set([...a.train.x, ...a.validation.x].map(key));
  assertEquals(all.size, 100);
  const b = await loadImageDataset(root, { validation: 0.2, seed: 4 });
  assertEquals(b.validation, a.validation);
  const c = await loadImageDataset(root, { validation: 0.2, seed: 5 });
  assert(
    key(c.validation.x[0]) !== key(a.validation.x[0]) ||
      key(c.validation.x[1]) !== key(a.validation.x[1]),
  );
  const limited = await loadImageDataset(root, { limit: 10 });
  assertEquals([
    limited.train.x.length,
    limited.test.x.length,
    limited.validation.x.length,
  ], [10, 10, 0]);
});

Deno.test("EMNIST: the split is chosen and images are turned upright", async () => {
  const root = await Deno.makeTempDir();
  await writeMnist(
    `${root}/gzip`,
    (s) => `emnist-letters-${s === "t10k" ? "test" : s}`,
    { train: 12, t10k: 4 },
    "",
  );
  const d = await loadImageDataset(root, { kind: "emnist" });
  assertEquals([d.kind, d.shape, d.train.x.length], [
    "emnist",
    [28, 28, 1],
    12,
  ]);
  // stored pixel (r, c) becomes (c, r)
  const stored = (i: number, r: number, c: number) =>
    ((i * 784 + r * 28 + c) * 7 + 4) % 256 / 255;
  assertEquals(d.test.x[2][3 * 28 + 9], stored(2, 9, 3));
  await writeMnist(
    `${root}/gzip`,
    (s) => `emnist-digits-${s === "t10k" ? "test" : s}`,
    { train: 12, t10k: 4 },
    "",
  );
  await rejectsWith(
    () => loadImageDataset(root, { kind: "emnist" }),
    /several EMNIST splits \(digits, letters\)/,
  );
  assertEquals(
    (await loadImageDataset(root, { kind: "emnist", split: "digits" })).test.x
      .length,
    4,
  );
});

Deno.test("CIFAR-10 and CIFAR-100 folders load as 32 × 32 × 3 rows", async () => {
  const root = await Deno.makeTempDir();
  const dir10 = `${root}/cifar-10-batches-bin`;
  await Deno.mkdir(dir10);
  for (let b = 1; b <= 5; b++) {
    await Deno.writeFile(
      `${dir10}/data_batch_${b}.bin`,
      concat(
        [0, 1].map((i) => cifarRecord([(b * 2 + i) % 10], PIXEL(b * 2 + i))),
      ),
    );
  }
  await Deno.writeFile(`${dir10}/test_batch.bin`, cifarRecord([9], PIXEL(99)));
  const d = await loadImageDataset(root);
  assertEquals([d.kind, d.shape, d.classes], ["cifar10", [32, 32, 3], 10]);
  assertEquals(d.train.y, [2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
  assertEquals(d.train.x[3][(5 * 32 + 7) * 3 + 2], PIXEL(5)(5, 7, 2) / 255);
  assertEquals(d.test.x[0].length, 3072);
  assertEquals(d.files.length, 6);

  const dir100 = `${root}/cifar-100-binary`;
  await Deno.mkdir(dir100);
  await Deno.writeFile(
    `${dir100}/train.bin`,
    concat([0, 1, 2].map((i) => cifarRecord([i, 50 + i], PIXEL(i)))),
  );
  await Deno.writeFile(`${dir100}/test.bin`, cifarRecord([19, 99], PIXEL(7)));
  await rejectsWith(
    () => loadImageDataset(root),
    /several data sets \(cifar10, cifar100\)/,
  );
  const fine = await loadImageDataset(root, { kind: "cifar100" });
  assertEquals([fine.classes, fine.train.y, fine.test.y], [100, [50, 51, 52], [
    99,
  ]]);
  const coarse = await loadImageDataset(root, {
    kind: "cifar100",
    labels: "coarse",
  });
  assertEquals([coarse.classes, coarse.train.y], [20, [0, 1, 2]]);
});

Deno.test("a folder without the files lists every path looked for", async () => {
  const root = await Deno.makeTempDir();
  await rejectsWith(
    () => loadImageDataset(root, { kind: "mnist" }),
    /no complete mnist data set.*\n.*train-images-idx3-ubyte[\s\S]*MNIST\/raw\/train-images-idx3-ubyte\.gz[\s\S]*never downloads/,
  );
  await rejectsWith(
    () => loadImageDataset(root),
    /cifar-10-batches-bin\/data_batch_1\.bin[\s\S]*cifar-100-binary\/train\.bin/,
  );
  await rejectsWith(() => loadImageDataset(`${root}/nope`), /is not a folder/);
  // a training file without its test files is not a data set
  await writeMnist(root, (s) => s, { train: 5, t10k: 5 }, "");
  await Deno.remove(`${root}/t10k-labels-idx1-ubyte`);
  await rejectsWith(() => loadImageDataset(root), /t10k-labels-idx1-ubyte\.gz/);
  // mismatched counts are refused, not truncated
  await writeIdx(`${root}/t10k-labels-idx1-ubyte`, new Uint8Array(4));
  await rejectsWith(
    () => loadImageDataset(root),
    /holds 5 images but .* 4 labels/,
  );
});
