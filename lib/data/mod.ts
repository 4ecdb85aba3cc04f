/**
 * Data: `readTable` (CSV, gzipped CSV, Parquet, JSON, NDJSON into polars),
 * the 8×8 digits shipped with infolens and a seeded stratified split,
 * Shwartz-Ziv & Tishby's 12-bit task, and regression functions with exact
 * answers (Runge, a Bateman decay chain, Ishigami).
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
