/**
 * Data: `readTable` (CSV, gzipped CSV, Parquet, JSON, NDJSON into polars),
 * the 8×8 digits shipped with infolens and a seeded stratified split,
 * Shwartz-Ziv & Tishby's 12-bit task, and regression functions with exact
 * answers (Runge, a Bateman decay chain, Ishigami); arrays from other
 * frameworks (NumPy `.npy`/`.npz`, safetensors) as `NdArray`, the MNIST-family
 * IDX and CIFAR binary formats, image data sets from a local folder, and
 * per-layer activations dumped from PyTorch or JAX for `layerMI`.
 *
 * Importing this entry loads no tfjs, vega or resvg.
 *
 * @example
 * ```ts
 * import { loadDigits, trainTestSplit } from "./mod.ts";
 * const digits = await loadDigits({ scale: true });
 * const { train, test } = trainTestSplit(digits, { testFraction: 0.25, seed: 0 });
 * if (train.x.length + test.x.length !== 1797) throw new Error();
 * ```
 *
 * @module
 */

export type { DataFrame } from "../_frame.ts";
export {
  readTable,
  type ReadTableOptions,
  TableError,
  type TableFormat,
} from "./tables.ts";
export {
  type Dataset,
  digitsFrame,
  loadDigits,
  type SplitOptions,
  trainTestSplit,
} from "./digits.ts";
export {
  icosahedron,
  TWELVE_BIT_THRESHOLD,
  type TwelveBit,
  twelveBit,
} from "./twelve_bit.ts";
export {
  bateman,
  batemanData,
  ishigami,
  ishigamiSample,
  runge,
  rungeData,
} from "./regression.ts";
export type { ByteSource } from "./_bytes.ts";
export {
  type ArrayInput,
  DataFileError,
  type DType,
  type NdArray,
  ndarray,
  type NestedNumbers,
  toFloat64,
  toRows,
  type TypedData,
} from "./ndarray.ts";
export { readNpy, writeNpy } from "./npy.ts";
export { readNpz, writeNpz, type WriteNpzOptions } from "./npz.ts";
export {
  readSafetensors,
  type SafetensorsFile,
  writeSafetensors,
  type WriteSafetensorsOptions,
} from "./safetensors.ts";
export { readIdx, writeIdx } from "./idx.ts";
export { type CifarBatch, readCifar, type ReadCifarOptions } from "./cifar.ts";
export {
  type ImageDataset,
  type ImageDatasetKind,
  type ImageDatasetOptions,
  loadImageDataset,
} from "./image_datasets.ts";
export {
  type LoadedActivations,
  readActivations,
  type ReadActivationsOptions,
  writeActivations,
  type WriteActivationsOptions,
} from "./activations.ts";
