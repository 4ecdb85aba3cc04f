/**
 * `NdArray`, the one typed n-dimensional array the array-file readers return
 * (`.npy`, `.npz`, safetensors, IDX, CIFAR), its dtypes, the error every
 * reader throws, and conversions to plain numbers.
 *
 * Each dtype has one storage type, so code can switch on `dtype` alone:
 *
 * | dtype                  | `data`           |
 * | ---------------------- | ---------------- |
 * | float16, bfloat16      | `Float32Array` (decoded exactly) |
 * | float32                | `Float32Array`   |
 * | float64                | `Float64Array`   |
 * | int8, int16, int32     | `Int8Array`, `Int16Array`, `Int32Array` |
 * | uint8, uint16, uint32  | `Uint8Array`, `Uint16Array`, `Uint32Array` |
 * | int64, uint64          | `BigInt64Array`, `BigUint64Array` (lossless; {@linkcode toFloat64} converts, refusing values beyond 2⁵³) |
 * | bool                   | `Uint8Array` of 0 and 1 |
 *
 * `data` is always in C (row-major) order, whatever the file's order.
 *
 * @module
 */

import { InfolensError } from "../errors.ts";

/** The element types the array readers and writers know. */
export type DType =
  | "float16"
  | "bfloat16"
  | "float32"
  | "float64"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "bool";

/** Every {@linkcode DType}, in a stable order (for error messages). */
export const DTYPES: readonly DType[] = [
  "float16",
  "bfloat16",
  "float32",
  "float64",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "bool",
];

/** The storage of an {@linkcode NdArray}'s elements (see the module table). */
export type TypedData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** An n-dimensional array: elements in C (row-major) order and their shape. */
export interface NdArray {
  /** The element type in the file (float16 and bfloat16 are stored decoded in a Float32Array). */
  dtype: DType;
  /** Sizes of each axis; `[]` for a scalar (one element). */
  shape: number[];
  /** The elements, row-major; its type follows `dtype` (see the module table). */
  data: TypedData;
}

/** The error raised for an array or image file that cannot be read or written as asked. */
export class DataFileError extends InfolensError {
  /** Always "DataFileError", so stack traces and logs name the class. */
  override name = "DataFileError";
}

/** Bytes per element of each dtype as stored in files. */
export const ITEM_SIZE: Record<DType, number> = {
  float16: 2,
  bfloat16: 2,
  float32: 4,
  float64: 8,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  uint8: 1,
  uint16: 2,
  uint32: 4,
  uint64: 8,
  bool: 1,
};

/** The product of a shape (1 for a scalar). */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((p, v) => p * v, 1);
}

function storageMatches(dtype: DType, data: TypedData): boolean {
  switch (dtype) {
    case "float16":
    case "bfloat16":
    case "float32":
      return data instanceof Float32Array;
    case "float64":
      return data instanceof Float64Array;
    case "int8":
      return data instanceof Int8Array;
    case "int16":
      return data instanceof Int16Array;
    case "int32":
      return data instanceof Int32Array;
    case "int64":
      return data instanceof BigInt64Array;
    case "uint8":
    case "bool":
      return data instanceof Uint8Array;
    case "uint16":
      return data instanceof Uint16Array;
    case "uint32":
      return data instanceof Uint32Array;
    case "uint64":
      return data instanceof BigUint64Array;
  }
}

/** The dtype a typed array stands for (Uint8Array is uint8; say `bool` through {@linkcode ndarray}). */
function dtypeOf(data: TypedData): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Int8Array) return "int8";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Uint8Array) return "uint8";
  if (data instanceof Uint16Array) return "uint16";
  if (data instanceof Uint32Array) return "uint32";
  if (data instanceof BigInt64Array) return "int64";
  if (data instanceof BigUint64Array) return "uint64";
  throw new DataFileError(
    `cannot store a ${
      (data as object)?.constructor?.name ?? typeof data
    }; pass a typed array, nested number arrays or an NdArray`,
  );
}

/** What the writers accept: an NdArray, a typed array (1-D), or nested number (or boolean) arrays. */
export type ArrayInput = NdArray | TypedData | NestedNumbers;

/** Nested arrays of numbers or booleans, e.g. `number[][]`; all rows of one level the same length. */
export type NestedNumbers =
  | readonly number[]
  | readonly boolean[]
  | readonly NestedNumbers[];

/**
 * Makes an {@linkcode NdArray} and checks it: `data`'s type must match the
 * dtype and its length the shape. Without a dtype it follows the data
 * (nested numbers become float64, nested booleans bool); without a shape a
 * typed array is 1-D.
 *
 * @example
 * ```ts
 * import { ndarray } from "./ndarray.ts";
 * const a = ndarray([[1, 2, 3], [4, 5, 6]]);
 * if (a.dtype !== "float64" || a.shape.join() !== "2,3") throw new Error();
 * const b = ndarray(new Int32Array([1, 2, 3, 4]), [2, 2]);
 * if (b.dtype !== "int32") throw new Error();
 * ```
 */
export function ndarray(
  data: ArrayInput,
  shape?: readonly number[],
  dtype?: DType,
): NdArray {
  if (isNdArray(data)) {
    return ndarray(data.data, shape ?? data.shape, dtype ?? data.dtype);
  }
  if (ArrayBuffer.isView(data)) {
    const t = data as TypedData;
    const d = dtype ?? dtypeOf(t);
    const s = [...(shape ?? [t.length])];
    checkArray({ dtype: d, shape: s, data: t }, "the array");
    return { dtype: d, shape: s, data: t };
  }
  const nested = data as NestedNumbers;
  const s: number[] = [];
  let level: unknown = nested;
  while (Array.isArray(level)) {
    s.push(level.length);
    level = level[0];
  }
  const isBool = typeof level === "boolean";
  const flat = (nested as unknown[]).flat(Infinity) as (number | boolean)[];
  if (flat.length !== shapeSize(s)) {
    throw new DataFileError(
      `nested arrays must be rectangular: the first rows give shape [${s}] (${
        shapeSize(s)
      } values) but they hold ${flat.length}; pad or split the ragged rows`,
    );
  }
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (isBool ? typeof v !== "boolean" : typeof v !== "number") {
      throw new DataFileError(
        `value ${i} (row-major) is ${
          JSON.stringify(v)
        }; nested arrays must hold only ${isBool ? "booleans" : "numbers"}`,
      );
    }
  }
  const d: DType = dtype ?? (isBool ? "bool" : "float64");
  return ndarray(
    fromNumbers(d, flat.map(Number)),
    shape ?? s,
    d,
  );
}

function isNdArray(a: unknown): a is NdArray {
  return typeof a === "object" && a !== null && !ArrayBuffer.isView(a) &&
    !Array.isArray(a) && "dtype" in a && "data" in a;
}

/** A typed array of `dtype` holding `values`. */
function fromNumbers(dtype: DType, values: number[]): TypedData {
  switch (dtype) {
    case "float16":
    case "bfloat16":
    case "float32":
      return Float32Array.from(values);
    case "float64":
      return Float64Array.from(values);
    case "int8":
      return Int8Array.from(values);
    case "int16":
      return Int16Array.from(values);
    case "int32":
      return Int32Array.from(values);
    case "uint8":
      return Uint8Array.from(values);
    case "bool":
      return Uint8Array.from(values, (v) => v ? 1 : 0);
    case "uint16":
      return Uint16Array.from(values);
    case "uint32":
      return Uint32Array.from(values);
    case "int64":
      return BigInt64Array.from(values, (v) => BigInt(v));
    case "uint64":
      return BigUint64Array.from(values, (v) => BigInt(v));
  }
}

/** Throws unless `a`'s storage matches its dtype and its length its shape. */
export function checkArray(a: NdArray, what: string): void {
  if (!DTYPES.includes(a.dtype)) {
    throw new DataFileError(
      `${what} has dtype "${a.dtype}"; supported: ${DTYPES.join(", ")}`,
    );
  }
  if (
    !Array.isArray(a.shape) ||
    a.shape.some((v) => !Number.isInteger(v) || v < 0)
  ) {
    throw new DataFileError(
      `${what} has shape ${
        JSON.stringify(a.shape)
      }; a shape is an array of integers >= 0`,
    );
  }
  if (!storageMatches(a.dtype, a.data)) {
    throw new DataFileError(
      `${what} is dtype ${a.dtype} but its data is a ${a.data?.constructor?.name}; see NdArray's table of storage types`,
    );
  }
  if (a.data.length !== shapeSize(a.shape)) {
    throw new DataFileError(
      `${what} has shape [${a.shape}] (${
        shapeSize(a.shape)
      } values) but its data holds ${a.data.length}`,
    );
  }
}

/**
 * The elements as a Float64Array. 64-bit integers beyond ±2⁵³ cannot be
 * held exactly by a float64, so they are refused rather than rounded.
 *
 * @example
 * ```ts
 * import { ndarray, toFloat64 } from "./ndarray.ts";
 * const labels = ndarray(new BigInt64Array([3n, 1n, 4n]));
 * if (toFloat64(labels).join() !== "3,1,4") throw new Error();
 * ```
 */
export function toFloat64(a: NdArray): Float64Array {
  if (a.data instanceof BigInt64Array || a.data instanceof BigUint64Array) {
    const out = new Float64Array(a.data.length);
    const limit = 2n ** 53n;
    for (let i = 0; i < out.length; i++) {
      const v = a.data[i];
      if (v > limit || v < -limit) {
        throw new DataFileError(
          `element ${i} of a ${a.dtype} array is ${v}, beyond ±2^53 where a number is exact; read the array's BigInt data directly`,
        );
      }
      out[i] = Number(v);
    }
    return out;
  }
  return Float64Array.from(a.data as ArrayLike<number> & Iterable<number>);
}

/**
 * A 1-D or 2-D array as rows of numbers (a 1-D array is one value per row);
 * higher dimensions are flattened per first-axis entry, N × (...) →
 * N × prod(...), the way image rows are fed to a network.
 *
 * @example
 * ```ts
 * import { ndarray, toRows } from "./ndarray.ts";
 * const rows = toRows(ndarray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]));
 * if (rows.length !== 2 || rows[1].join() !== "4,5,6") throw new Error();
 * ```
 */
export function toRows(a: NdArray): number[][] {
  if (a.shape.length === 0) {
    throw new DataFileError(`a scalar has no rows; expected at least 1 axis`);
  }
  const values = toFloat64(a);
  const n = a.shape[0];
  const width = n === 0 ? 0 : values.length / n;
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    rows[i] = Array.from(values.subarray(i * width, (i + 1) * width));
  }
  return rows;
}
