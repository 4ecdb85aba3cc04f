/**
 * NumPy's `.npy` format: {@linkcode readNpy} reads format versions 1.0, 2.0
 * and 3.0, little- and big-endian, C and Fortran order (Fortran arrays come
 * back in C order); {@linkcode writeNpy} writes version 1.0 (2.0 for huge
 * headers), little-endian, C order — what `numpy.load` reads everywhere.
 *
 * Supported dtypes: float16/32/64, int8/16/32/64, uint8/16/32/64 and bool
 * (see {@linkcode NdArray} for how each is stored). Structured, complex,
 * string and object arrays are refused with a clear error.
 *
 * @example
 * ```ts
 * import { readNpy, writeNpy } from "./npy.ts";
 * const path = await Deno.makeTempFile({ suffix: ".npy" });
 * await writeNpy(path, [[1, 2, 3], [4, 5, 6]]);
 * const a = await readNpy(path);
 * if (a.dtype !== "float64" || a.shape.join() !== "2,3" || a.data[5] !== 6) throw new Error();
 * await Deno.remove(path);
 * ```
 *
 * @module
 */

import {
  type ByteSource,
  decodeElements,
  encodeElements,
  loadBytes,
  sourceName,
} from "./_bytes.ts";
import {
  type ArrayInput,
  checkArray,
  DataFileError,
  type DType,
  ITEM_SIZE,
  type NdArray,
  ndarray,
  shapeSize,
  type TypedData,
} from "./ndarray.ts";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** numpy's type characters and sizes → dtype. */
const DESCR: Record<string, DType> = {
  f2: "float16",
  f4: "float32",
  f8: "float64",
  i1: "int8",
  i2: "int16",
  i4: "int32",
  i8: "int64",
  u1: "uint8",
  u2: "uint16",
  u4: "uint32",
  u8: "uint64",
  b1: "bool",
};

const SUPPORTED = Object.keys(DESCR).map((k) => `'<${k}'`).join(", ");

/**
 * Reads a `.npy` file (or its bytes). The array comes back in C order with
 * its dtype kept (float16 decoded into a Float32Array, int64 as a
 * BigInt64Array — see {@linkcode NdArray}).
 *
 * @example
 * ```ts
 * import { readNpy } from "./npy.ts";
 * // the bytes numpy writes for np.arange(3, dtype="<i2")
 * const header = "{'descr': '<i2', 'fortran_order': False, 'shape': (3,), }";
 * const pad = 128 - 10 - header.length - 1;
 * const text = header + " ".repeat(pad) + "\n";
 * const bytes = new Uint8Array([0x93, 78, 85, 77, 80, 89, 1, 0, text.length, 0,
 *   ...new TextEncoder().encode(text), 0, 0, 1, 0, 2, 0]);
 * const a = await readNpy(bytes);
 * if (a.dtype !== "int16" || a.data.join() !== "0,1,2") throw new Error();
 * ```
 */
export async function readNpy(source: ByteSource): Promise<NdArray> {
  return decodeNpy(await loadBytes(source), sourceName(source));
}

/** Decodes `.npy` bytes; `name` is used in error messages. */
export function decodeNpy(bytes: Uint8Array, name: string): NdArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new DataFileError(
      `${name} is not a .npy file: it does not start with "\\x93NUMPY"; write it with numpy.save (np.savez files are .npz: use readNpz)`,
    );
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerStart: number, headerLength: number;
  if (major === 1) {
    headerStart = 10;
    headerLength = view.getUint16(8, true);
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw truncated(name, 12, bytes.length, "header");
    headerStart = 12;
    headerLength = view.getUint32(8, true);
  } else {
    throw new DataFileError(
      `${name} has .npy format version ${major}.${
        bytes[7]
      }; supported: 1.0, 2.0, 3.0`,
    );
  }
  const dataStart = headerStart + headerLength;
  if (bytes.length < dataStart) {
    throw truncated(name, dataStart, bytes.length, "header");
  }
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(
    bytes.subarray(headerStart, dataStart),
  );
  const { dtype, littleEndian, fortran, shape } = parseHeader(header, name);
  const size = shapeSize(shape);
  const expected = size * ITEM_SIZE[dtype];
  const got = bytes.length - dataStart;
  if (got < expected) {
    throw new DataFileError(
      `${name} is truncated: shape [${shape}] of ${dtype} needs ${expected} data bytes, got ${got}; the file was cut short — save it again`,
    );
  }
  if (got > expected) {
    throw new DataFileError(
      `${name} has ${
        got - expected
      } bytes after its data (shape [${shape}] of ${dtype} needs ${expected}); it is not one .npy array — was it written with several np.save calls to one file?`,
    );
  }
  let data = decodeElements(
    bytes.subarray(dataStart, dataStart + expected),
    dtype,
    littleEndian,
  );
  if (fortran && shape.length > 1) data = fortranToC(data, shape);
  return { dtype, shape, data };
}

function truncated(name: string, need: number, got: number, what: string) {
  return new DataFileError(
    `${name} is truncated: its ${what} needs ${need} bytes, the file has ${got}; the file was cut short — save it again`,
  );
}

function parseHeader(header: string, name: string) {
  const descrMatch = header.match(/['"]descr['"]\s*:\s*(['"])([^'"]*)\1/);
  if (!descrMatch) {
    throw new DataFileError(
      `${name}: the header's 'descr' field is not a plain dtype string (${header.trim()}); structured arrays are not supported — save each field as its own array`,
    );
  }
  const descr = descrMatch[2];
  const order = descr[0];
  const code = "<>|=".includes(order) ? descr.slice(1) : descr;
  const dtype = DESCR[code === "?" ? "b1" : code];
  if (!dtype) {
    throw new DataFileError(
      `${name}: unsupported .npy dtype '${descr}' in field 'descr'; supported: ${SUPPORTED} (and big-endian '>' forms); convert with a.astype(...) before np.save`,
    );
  }
  const fortranMatch = header.match(
    /['"]fortran_order['"]\s*:\s*(True|False)/,
  );
  if (!fortranMatch) {
    throw new DataFileError(
      `${name}: the header has no 'fortran_order' True/False field (${header.trim()})`,
    );
  }
  const shapeMatch = header.match(/['"]shape['"]\s*:\s*\(([^)]*)\)/);
  if (!shapeMatch) {
    throw new DataFileError(
      `${name}: the header has no 'shape' tuple (${header.trim()})`,
    );
  }
  const parts = shapeMatch[1].split(",").map((s) => s.trim()).filter((s) =>
    s !== ""
  );
  const shape = parts.map((s) => Number(s.replace(/L$/, "")));
  if (shape.some((v) => !Number.isInteger(v) || v < 0)) {
    throw new DataFileError(
      `${name}: field 'shape' is (${
        shapeMatch[1]
      }); expected non-negative integers`,
    );
  }
  // '=' is native order; numpy writes '<' or '>' explicitly, so '=' is read as little-endian.
  return {
    dtype,
    littleEndian: order !== ">",
    fortran: fortranMatch[1] === "True",
    shape,
  };
}

/** Reorders column-major elements into row-major ones. */
function fortranToC(data: TypedData, shape: number[]): TypedData {
  const out = new (data.constructor as { new (n: number): TypedData })(
    data.length,
  );
  const k = shape.length;
  const fStride = new Array<number>(k);
  fStride[0] = 1;
  for (let j = 1; j < k; j++) fStride[j] = fStride[j - 1] * shape[j - 1];
  const index = new Array<number>(k).fill(0);
  let f = 0;
  for (let i = 0; i < data.length; i++) {
    out[i] = data[f];
    // advance the C-order multi-index (last axis fastest), tracking the Fortran offset
    for (let j = k - 1; j >= 0; j--) {
      index[j]++;
      f += fStride[j];
      if (index[j] < shape[j]) break;
      f -= fStride[j] * shape[j];
      index[j] = 0;
    }
  }
  return out;
}

function descrOf(dtype: DType): string {
  if (dtype === "bfloat16") {
    throw new DataFileError(
      `numpy has no bfloat16 dtype, so a .npy cannot hold one; convert it to float32 (ndarray(a.data, a.shape, "float32")) or write safetensors`,
    );
  }
  const code = Object.keys(DESCR).find((k) => DESCR[k] === dtype)!;
  return (code.endsWith("1") ? "|" : "<") + code;
}

/**
 * Encodes an array as `.npy` bytes (little-endian, C order).
 *
 * @example
 * ```ts
 * import { decodeNpy, encodeNpy } from "./npy.ts";
 * const bytes = encodeNpy(new Uint16Array([7, 8]));
 * if (decodeNpy(bytes, "x").data.join() !== "7,8") throw new Error();
 * ```
 */
export function encodeNpy(array: ArrayInput): Uint8Array {
  const a = ndarray(array);
  checkArray(a, "the array");
  const shape = a.shape.length === 1
    ? `(${a.shape[0]},)`
    : `(${a.shape.join(", ")})`;
  const dict = `{'descr': '${
    descrOf(a.dtype)
  }', 'fortran_order': False, 'shape': ${shape}, }`;
  let prefix = 10;
  let padded = pad(dict, prefix);
  if (padded.length > 0xffff) {
    prefix = 12;
    padded = pad(dict, prefix);
  }
  const header = new TextEncoder().encode(padded);
  const body = encodeElements(a);
  const out = new Uint8Array(prefix + header.length + body.length);
  out.set(MAGIC);
  out[6] = prefix === 10 ? 1 : 2;
  const view = new DataView(out.buffer);
  if (prefix === 10) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(header, prefix);
  out.set(body, prefix + header.length);
  return out;
}

/** Pads a header with spaces and a newline so the data starts 64-byte aligned. */
function pad(dict: string, prefix: number): string {
  const total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  return dict + " ".repeat(total - prefix - dict.length - 1) + "\n";
}

/**
 * Writes an array as `.npy` that `numpy.load` reads back: an
 * {@linkcode NdArray}, a typed array (its dtype follows the type:
 * Float32Array → float32, BigInt64Array → int64, …) or nested number arrays
 * (float64). Say float16 or bool through `ndarray(data, shape, dtype)`.
 *
 * @example
 * ```ts
 * import { readNpy, writeNpy } from "./npy.ts";
 * import { ndarray } from "./ndarray.ts";
 * const path = await Deno.makeTempFile({ suffix: ".npy" });
 * await writeNpy(path, ndarray(new Float32Array([0.5, 1.5]), [2], "float16"));
 * const back = await readNpy(path);
 * if (back.dtype !== "float16" || back.data[1] !== 1.5) throw new Error();
 * await Deno.remove(path);
 * ```
 */
export async function writeNpy(
  path: string | URL,
  array: ArrayInput,
): Promise<void> {
  await Deno.writeFile(path, encodeNpy(array));
}
