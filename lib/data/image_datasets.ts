/**
 * Image classification data sets from a folder the user already has — never
 * downloaded: MNIST and the sets that share its file names (Fashion-MNIST,
 * KMNIST), EMNIST, CIFAR-10 and CIFAR-100 in their binary versions. Returns
 * the usual train/test split, a seeded stratified validation split taken
 * from train, and the image shape.
 *
 * Files looked for (each also as `<name>.gz`; MNIST names also with a dot,
 * `train-images.idx3-ubyte`), in the folder and in the subfolders the
 * official archives and torchvision unpack to (`raw/`, `MNIST/raw/`,
 * `FashionMNIST/raw/`, `KMNIST/raw/`, `EMNIST/raw/`, `gzip/`,
 * `cifar-10-batches-bin/`, `cifar-100-binary/`):
 *
 * | kind     | train                                                 | test                                  |
 * | -------- | ----------------------------------------------------- | ------------------------------------- |
 * | mnist    | `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`  | `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte` |
 * | emnist   | `emnist-<split>-train-images-idx3-ubyte`, `…-labels-idx1-ubyte` | `emnist-<split>-test-…`     |
 * | cifar10  | `data_batch_1.bin` … `data_batch_5.bin`               | `test_batch.bin`                      |
 * | cifar100 | `train.bin`                                           | `test.bin`                            |
 *
 * Rows of `x` are the pixels in [0, 1], flattened in height × width ×
 * channel order (NHWC, channels last) — the order `trainNetwork`'s CNN
 * (`{ kind: "cnn", inputShape: shape }`) reshapes flat rows into. EMNIST's
 * images are stored transposed; they are turned upright.
 *
 * @module
 */

import type { LabelledData } from "../nets/train.ts";
import { Random } from "../space/random.ts";
import { readCifar } from "./cifar.ts";
import { readIdx } from "./idx.ts";
import { DataFileError, type NdArray, toFloat64 } from "./ndarray.ts";

/** The data set families {@linkcode loadImageDataset} knows. */
export type ImageDatasetKind = "mnist" | "emnist" | "cifar10" | "cifar100";

/** Options of {@linkcode loadImageDataset}. */
export interface ImageDatasetOptions {
  /** Which family; default: the one whose files are in the folder (an error when several are). */
  kind?: ImageDatasetKind;
  /** EMNIST's split ("balanced", "byclass", "bymerge", "digits", "letters", "mnist"); default the only one present. */
  split?: string;
  /** CIFAR-100: the fine (100 classes, default) or coarse (20 superclasses) labels. */
  labels?: "fine" | "coarse";
  /** Share of the training samples held out as validation, stratified by class, in [0, 1). Default 0. */
  validation?: number;
  /** Seed of the validation split. Default 0. */
  seed?: number;
  /** Keep only the first `limit` training and the first `limit` test samples (before the validation split). */
  limit?: number;
}

/** What {@linkcode loadImageDataset} returns. */
export interface ImageDataset {
  /** The family read. */
  kind: ImageDatasetKind;
  /** [height, width, channels]: [28, 28, 1] for the MNIST family, [32, 32, 3] for CIFAR. */
  shape: [number, number, number];
  /** The number of classes (EMNIST: the largest label + 1; "letters" labels start at 1). */
  classes: number;
  /** Training samples (less the validation ones). */
  train: LabelledData & { x: number[][]; y: number[] };
  /** The seeded, stratified validation samples (empty without `validation`). */
  validation: LabelledData & { x: number[][]; y: number[] };
  /** The official test samples. */
  test: LabelledData & { x: number[][]; y: number[] };
  /** The files read, train first. */
  files: string[];
}

const MNIST_DIRS = [
  "",
  "raw",
  "MNIST/raw",
  "FashionMNIST/raw",
  "KMNIST/raw",
  "EMNIST/raw",
  "gzip",
];

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

function join(dir: string, sub: string): string {
  return sub === "" ? dir : `${dir.replace(/\/+$/, "")}/${sub}`;
}

/** The first existing file among `names` (each also gzipped) in `dirs`. */
async function find(
  folder: string,
  dirs: readonly string[],
  names: readonly string[],
  tried: string[],
): Promise<string | undefined> {
  for (const dir of dirs) {
    for (const name of names) {
      for (const suffix of ["", ".gz"]) {
        const path = join(join(folder, dir), name + suffix);
        tried.push(path);
        if (await isFile(path)) return path;
      }
    }
  }
  return undefined;
}

function mnistNames(prefix: string, what: "images" | "labels"): string[] {
  const rank = what === "images" ? 3 : 1;
  return [
    `${prefix}-${what}-idx${rank}-ubyte`,
    `${prefix}-${what}.idx${rank}-ubyte`,
  ];
}

interface Found {
  kind: ImageDatasetKind;
  train: string[];
  test: string[];
  split?: string;
}

async function emnistSplits(folder: string): Promise<string[]> {
  const splits = new Set<string>();
  for (const dir of MNIST_DIRS) {
    try {
      for await (const e of Deno.readDir(join(folder, dir))) {
        const m = e.name.match(/^emnist-(\w+)-train-images-idx3-ubyte(\.gz)?$/);
        if (m) splits.add(m[1]);
      }
    } catch {
      // a subfolder that is not there
    }
  }
  return [...splits].sort();
}

async function locate(
  folder: string,
  kind: ImageDatasetKind,
  split: string | undefined,
  tried: string[],
): Promise<Found | undefined> {
  const all = async (
    dirs: readonly string[],
    groups: readonly string[][],
  ): Promise<string[] | undefined> => {
    const out: string[] = [];
    for (const names of groups) {
      const path = await find(folder, dirs, names, tried);
      if (!path) return undefined;
      out.push(path);
    }
    return out;
  };
  if (kind === "mnist" || kind === "emnist") {
    let prefix = (p: string) => p;
    if (kind === "emnist") {
      const splits = await emnistSplits(folder);
      if (split === undefined) {
        if (splits.length > 1) {
          throw new DataFileError(
            `${folder} holds several EMNIST splits (${
              splits.join(", ")
            }); pass { split: "${splits[0]}" } or another`,
          );
        }
        split = splits[0] ?? "balanced";
      }
      const s = split;
      prefix = (p: string) => `emnist-${s}-${p === "t10k" ? "test" : p}`;
    }
    const train = await all(MNIST_DIRS, [
      mnistNames(prefix("train"), "images"),
      mnistNames(prefix("train"), "labels"),
    ]);
    const test = await all(MNIST_DIRS, [
      mnistNames(prefix("t10k"), "images"),
      mnistNames(prefix("t10k"), "labels"),
    ]);
    return train && test ? { kind, train, test, split } : undefined;
  }
  if (kind === "cifar10") {
    const dirs = ["", "cifar-10-batches-bin"];
    const train = await all(
      dirs,
      [1, 2, 3, 4, 5].map((i) => [`data_batch_${i}.bin`]),
    );
    const test = await all(dirs, [["test_batch.bin"]]);
    return train && test ? { kind, train, test } : undefined;
  }
  const dirs = ["", "cifar-100-binary"];
  const train = await all(dirs, [["train.bin"]]);
  const test = await all(dirs, [["test.bin"]]);
  return train && test ? { kind, train, test } : undefined;
}

const KINDS: readonly ImageDatasetKind[] = [
  "mnist",
  "emnist",
  "cifar10",
  "cifar100",
];

interface Samples {
  pixels: NdArray; // n × h × w × c, uint8
  labels: number[];
}

async function readMnistPair(
  images: string,
  labels: string,
  transpose: boolean,
): Promise<Samples> {
  const x = await readIdx(images);
  const y = await readIdx(labels);
  if (x.shape.length !== 3 || x.dtype !== "uint8") {
    throw new DataFileError(
      `"${images}" holds ${x.dtype} of shape [${x.shape}]; MNIST-family images are uint8 of shape [n, height, width]`,
    );
  }
  if (y.shape.length !== 1) {
    throw new DataFileError(
      `"${labels}" has shape [${y.shape}]; labels are one value per image, shape [n]`,
    );
  }
  if (x.shape[0] !== y.shape[0]) {
    throw new DataFileError(
      `"${images}" holds ${x.shape[0]} images but "${labels}" ${
        y.shape[0]
      } labels; the two files must come from the same split`,
    );
  }
  const [n, h, w] = x.shape;
  let data = x.data as Uint8Array;
  if (transpose) {
    const t = new Uint8Array(data.length);
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < h; r++) {
        for (let c = 0; c < w; c++) {
          t[i * h * w + c * h + r] = data[i * h * w + r * w + c];
        }
      }
    }
    data = t;
  }
  return {
    pixels: {
      dtype: "uint8",
      shape: transpose ? [n, w, h, 1] : [n, h, w, 1],
      data,
    },
    labels: Array.from(toFloat64(y)),
  };
}

async function readCifarFiles(
  files: string[],
  kind: "cifar10" | "cifar100",
  coarse: boolean,
): Promise<Samples> {
  const parts: Uint8Array[] = [];
  const labels: number[] = [];
  for (const f of files) {
    const b = await readCifar(f, { kind, pixels: "uint8" });
    parts.push(b.images.data as Uint8Array);
    for (const l of coarse ? b.coarseLabels! : b.labels) labels.push(l);
  }
  const data = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return {
    pixels: { dtype: "uint8", shape: [labels.length, 32, 32, 3], data },
    labels,
  };
}

function toLabelled(
  s: Samples,
  limit: number,
): { x: number[][]; y: number[] } {
  const n = Math.min(limit, s.labels.length);
  const width = s.pixels.shape.slice(1).reduce((p, v) => p * v, 1);
  const data = s.pixels.data as Uint8Array;
  const x: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(width);
    for (let j = 0; j < width; j++) row[j] = data[i * width + j] / 255;
    x[i] = row;
  }
  return { x, y: s.labels.slice(0, n) };
}

/** Seeded, stratified split: `fraction` of each class to validation. */
function holdOut(
  data: { x: number[][]; y: number[] },
  fraction: number,
  seed: number,
) {
  const r = new Random(seed);
  const groups = new Map<number, number[]>();
  data.y.forEach((label, i) => {
    if (!groups.has(label)) groups.set(label, []);
    groups.get(label)!.push(i);
  });
  const trainIdx: number[] = [];
  const validIdx: number[] = [];
  for (const label of [...groups.keys()].sort((a, b) => a - b)) {
    const idx = groups.get(label)!;
    r.shuffle(idx);
    const k = Math.round(idx.length * fraction);
    validIdx.push(...idx.slice(0, k));
    trainIdx.push(...idx.slice(k));
  }
  r.shuffle(trainIdx);
  r.shuffle(validIdx);
  const pick = (idx: number[]) => ({
    x: idx.map((i) => data.x[i]),
    y: idx.map((i) => data.y[i]),
  });
  return { train: pick(trainIdx), validation: pick(validIdx) };
}

/**
 * Loads an image data set from a local folder (see the module doc for the
 * files looked for); never downloads. A missing file is an error listing
 * every path tried.
 *
 * @example
 * ```ts
 * import { loadImageDataset } from "./image_datasets.ts";
 * import { writeIdx } from "./idx.ts";
 * import { ndarray } from "./ndarray.ts";
 * const dir = await Deno.makeTempDir();
 * for (const [prefix, n] of [["train", 20], ["t10k", 5]] as const) {
 *   const images = new Uint8Array(n * 28 * 28).map((_, i) => i % 256);
 *   await writeIdx(`${dir}/${prefix}-images-idx3-ubyte.gz`, ndarray(images, [n, 28, 28]));
 *   await writeIdx(`${dir}/${prefix}-labels-idx1-ubyte.gz`, new Uint8Array(n).map((_, i) => i % 2));
 * }
 * const data = await loadImageDataset(dir, { validation: 0.2, seed: 1 });
 * if (data.shape.join() !== "28,28,1" || data.train.x.length !== 16 || data.validation.x.length !== 4) throw new Error();
 * if (data.test.x[0].length !== 784) throw new Error();
 * ```
 */
export async function loadImageDataset(
  folder: string,
  options: ImageDatasetOptions = {},
): Promise<ImageDataset> {
  const fraction = options.validation ?? 0;
  if (!(fraction >= 0 && fraction < 1)) {
    throw new DataFileError(
      `validation must be a share of the training samples in [0, 1), got ${options.validation}`,
    );
  }
  const limit = options.limit ?? Infinity;
  if (!(limit >= 1)) {
    throw new DataFileError(
      `limit must be a positive number of samples, got ${options.limit}`,
    );
  }
  if (options.kind !== undefined && !KINDS.includes(options.kind)) {
    throw new DataFileError(
      `unknown kind "${options.kind}"; use one of ${KINDS.join(", ")}`,
    );
  }
  try {
    if (!(await Deno.stat(folder)).isDirectory) throw new Error();
  } catch {
    throw new DataFileError(
      `"${folder}" is not a folder (looked in ${Deno.cwd()}); pass the folder that holds the data set's files`,
    );
  }
  const tried: string[] = [];
  let found: Found | undefined;
  if (options.kind) {
    found = await locate(folder, options.kind, options.split, tried);
  } else {
    const hits: Found[] = [];
    for (const kind of KINDS) {
      const f = await locate(folder, kind, options.split, tried);
      if (f) hits.push(f);
    }
    if (hits.length > 1) {
      throw new DataFileError(
        `"${folder}" holds several data sets (${
          hits.map((h) => h.kind).join(", ")
        }); pass { kind } to choose`,
      );
    }
    found = hits[0];
  }
  if (!found) {
    throw new DataFileError(
      `no complete ${
        options.kind ?? "MNIST-family or CIFAR"
      } data set in "${folder}"; looked for (each train and test file is needed):\n  ${
        [...new Set(tried)].join("\n  ")
      }\ninfolens never downloads: unpack the data set's files into this folder`,
    );
  }
  const kind = found.kind;
  let train: Samples, test: Samples;
  if (kind === "mnist" || kind === "emnist") {
    const upright = kind === "emnist";
    train = await readMnistPair(found.train[0], found.train[1], upright);
    test = await readMnistPair(found.test[0], found.test[1], upright);
  } else {
    const coarse = options.labels === "coarse";
    if (coarse && kind !== "cifar100") {
      throw new DataFileError(
        `labels: "coarse" applies to CIFAR-100 only; ${kind} has one label per image`,
      );
    }
    train = await readCifarFiles(found.train, kind, coarse);
    test = await readCifarFiles(found.test, kind, coarse);
  }
  const shape = train.pixels.shape.slice(1) as [number, number, number];
  if (test.pixels.shape.slice(1).join() !== shape.join()) {
    throw new DataFileError(
      `train images are [${shape}] but test images [${
        test.pixels.shape.slice(1)
      }]; the files come from different data sets`,
    );
  }
  const trainAll = toLabelled(train, limit);
  const split = fraction > 0
    ? holdOut(trainAll, fraction, options.seed ?? 0)
    : { train: trainAll, validation: { x: [], y: [] } };
  const testSet = toLabelled(test, limit);
  let maxLabel = 0;
  for (const l of [...train.labels, ...test.labels]) {
    if (l > maxLabel) maxLabel = l;
  }
  const classes = kind === "emnist"
    ? maxLabel + 1
    : kind === "cifar100"
    ? (options.labels === "coarse" ? 20 : 100)
    : 10;
  if (maxLabel >= classes) {
    throw new DataFileError(
      `a label is ${maxLabel} but ${kind} has ${classes} classes; the label files do not belong to this data set`,
    );
  }
  return {
    kind,
    shape,
    classes,
    train: split.train,
    validation: split.validation,
    test: testSet,
    files: [...found.train, ...found.test],
  };
}
