/**
 * The 8×8 handwritten digits (1,797 samples, UCI optical recognition of
 * handwritten digits, as scikit-learn ships them), and a seeded
 * train/test split.
 *
 * @module
 */

import pl from "nodejs-polars";
import { Random, type Seed } from "../space/random.ts";
import { gunzip, TableError } from "./tables.ts";
import type { DataFrame } from "../_frame.ts";

/** A labelled dataset as plain arrays. */
export interface Dataset {
  /** n rows of d features. */
  x: number[][];
  /** n integer labels. */
  y: number[];
  /** The number of classes. */
  classes: number;
  /** Feature names, one per column of `x`. */
  featureNames: string[];
}

/**
 * The shipped digits, found beside this module's package (a file: URL in a
 * checkout, an https: URL when imported from a registry) so no repository
 * layout is assumed.
 */
const DIGITS_URL = new URL("../../data/digits.csv.gz", import.meta.url);

/** Reads and gunzips the shipped digits from wherever the package lives. */
async function readDigitsBytes(): Promise<Uint8Array> {
  let bytes: Uint8Array;
  if (DIGITS_URL.protocol === "file:") {
    bytes = await Deno.readFile(DIGITS_URL);
  } else {
    const response = await fetch(DIGITS_URL);
    if (!response.ok) {
      throw new TableError(
        `could not fetch the shipped digits from ${DIGITS_URL.href} (HTTP ${response.status})`,
      );
    }
    bytes = new Uint8Array(await response.arrayBuffer());
  }
  return await gunzip(bytes);
}

/**
 * Loads the digits: `x` holds 64 pixel intensities in 0..16 (row-major 8×8),
 * `y` the digit. Set `scale` to divide pixels by 16.
 *
 * @example
 * ```ts
 * import { loadDigits } from "./digits.ts";
 * const digits = await loadDigits();
 * if (digits.x.length !== 1797 || digits.x[0].length !== 64) throw new Error();
 * ```
 */
export async function loadDigits(
  options: { scale?: boolean } = {},
): Promise<Dataset> {
  const text = new TextDecoder().decode(
    await readDigitsBytes(),
  );
  const x: number[][] = [];
  const y: number[] = [];
  const k = options.scale ? 1 / 16 : 1;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const values = line.split(",").map(Number);
    if (values.length !== 65 || values.some((v) => !Number.isFinite(v))) {
      throw new Error(
        `data/digits.csv.gz is damaged: a row has ${values.length} fields, expected 65`,
      );
    }
    x.push(values.slice(0, 64).map((v) => v * k));
    y.push(values[64]);
  }
  const featureNames = Array.from(
    { length: 64 },
    (_, i) => `px_${Math.floor(i / 8)}_${i % 8}`,
  );
  return { x, y, classes: 10, featureNames };
}

/**
 * The digits as a DataFrame: 64 pixel columns and a `label` column.
 *
 * @example
 * ```ts
 * import { digitsFrame } from "./digits.ts";
 * const df = await digitsFrame();
 * if (df.width !== 65) throw new Error();
 * ```
 */
export async function digitsFrame(): Promise<DataFrame> {
  const d = await loadDigits();
  const columns = d.featureNames.map((name, j) =>
    pl.Series(name, d.x.map((row) => row[j]), pl.Int32)
  );
  columns.push(pl.Series("label", d.y, pl.Int32));
  return pl.DataFrame(columns);
}

/** Options of {@linkcode trainTestSplit}. */
export interface SplitOptions {
  /** Fraction held out for testing, in (0, 1). Default 0.25. */
  testFraction?: number;
  /** Seed of the shuffle. Default 0. */
  seed?: Seed;
  /** Keep class proportions in both parts. Default true. */
  stratify?: boolean;
}

/**
 * Splits a dataset into train and test parts by seed, stratified by label
 * unless asked not to.
 *
 * @example
 * ```ts
 * import { loadDigits, trainTestSplit } from "./digits.ts";
 * const { train, test } = trainTestSplit(await loadDigits(), { testFraction: 0.2, seed: 1 });
 * if (train.x.length + test.x.length !== 1797) throw new Error();
 * ```
 */
export function trainTestSplit(
  data: Dataset,
  options: SplitOptions = {},
): { train: Dataset; test: Dataset } {
  const f = options.testFraction ?? 0.25;
  if (!(f > 0 && f < 1)) {
    throw new RangeError(`testFraction must be in (0, 1), got ${f}`);
  }
  if (data.x.length !== data.y.length) {
    throw new RangeError(
      `x has ${data.x.length} rows but y has ${data.y.length}`,
    );
  }
  if (data.x.length < 2) {
    throw new RangeError("a split needs at least 2 samples");
  }
  const r = new Random(options.seed ?? 0);
  const testIdx: number[] = [];
  const trainIdx: number[] = [];
  const groups = new Map<number, number[]>();
  if (options.stratify ?? true) {
    data.y.forEach((label, i) => {
      if (!groups.has(label)) groups.set(label, []);
      groups.get(label)!.push(i);
    });
  } else {
    groups.set(0, data.y.map((_, i) => i));
  }
  for (const idx of groups.values()) {
    r.shuffle(idx);
    const nTest = Math.round(idx.length * f);
    testIdx.push(...idx.slice(0, nTest));
    trainIdx.push(...idx.slice(nTest));
  }
  r.shuffle(testIdx);
  r.shuffle(trainIdx);
  const pick = (idx: number[]): Dataset => ({
    x: idx.map((i) => data.x[i]),
    y: idx.map((i) => data.y[i]),
    classes: data.classes,
    featureNames: data.featureNames,
  });
  return { train: pick(trainIdx), test: pick(testIdx) };
}
