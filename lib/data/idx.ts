/**
 * The IDX format of MNIST, Fashion-MNIST, KMNIST and EMNIST: two zero bytes,
 * a type code (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32,
 * 0x0E float64), the number of dimensions, each dimension as a big-endian
 * uint32, then the big-endian data. Plain or gzipped (`.gz`, or any bytes
 * that start with gzip's magic).
 *
 * @example
 * ```ts
 * import { readIdx, writeIdx } from "./idx.ts";
 * import { ndarray } from "./ndarray.ts";
 * const path = (await Deno.makeTempDir()) + "/labels-idx1-ubyte.gz";
 * await writeIdx(path, ndarray(new Uint8Array([5, 0, 4])));
 * const labels = await readIdx(path);
 * if (labels.dtype !== "uint8" || labels.data.join() !== "5,0,4") throw new Error();
 * ```
 *
 * @module
 */

import {
  type ByteSource,
  decodeElements,
  encodeElements,
  loadBytes,
  saveBytes,
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
} from "./ndarray.ts";

const TYPES: Record<number, DType> = {
  0x08: "uint8",
  0x09: "int8",
  0x0b: "int16",
  0x0c: "int32",
  0x0d: "float32",
  0x0e: "float64",
};

/** Reads an IDX file (or its bytes), gunzipping when needed; sizes are checked against the dimensions. */
export async function readIdx(source: ByteSource): Promise<NdArray> {
  const name = sourceName(source);
  const bytes = await loadBytes(source);
  if (bytes.length < 4) {
    throw new DataFileError(
      `${name} is truncated: an IDX file starts with a 4-byte magic number, the file has ${bytes.length} bytes`,
    );
  }
  const dtype = TYPES[bytes[2]];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !dtype) {
    const magic = [...bytes.subarray(0, 4)].map((b) =>
      b.toString(16).padStart(2, "0")
    ).join("");
    throw new DataFileError(
      `${name} is not an IDX file: magic number 0x${magic}, expected 0x0000TTDD with type TT one of 08 (uint8), 09 (int8), 0B (int16), 0C (int32), 0D (float32), 0E (float64); is it still compressed in another format, or a different file?`,
    );
  }
  const rank = bytes[3];
  const headerSize = 4 + 4 * rank;
  if (bytes.length < headerSize) {
    throw new DataFileError(
      `${name} is truncated: its ${rank} dimensions need a ${headerSize}-byte header, the file has ${bytes.length} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from(
    { length: rank },
    (_, i) => view.getUint32(4 + 4 * i, false),
  );
  const expected = headerSize + shapeSize(shape) * ITEM_SIZE[dtype];
  if (bytes.length !== expected) {
    throw new DataFileError(
      `${name} is ${
        bytes.length < expected ? "truncated" : "too long"
      }: dimensions [${shape}] of ${dtype}: expected ${expected} bytes, got ${bytes.length}; ${
        bytes.length < expected
          ? "the download was cut short — fetch it again"
          : "the file holds more than its header says"
      }`,
    );
  }
  const data = decodeElements(bytes.subarray(headerSize), dtype, false);
  return { dtype, shape, data };
}

/**
 * Writes an array as an IDX file, gzipped when the path ends in `.gz`.
 * Dtypes uint8, int8, int16, int32, float32 and float64 (nested numbers are
 * written as float64; pass a Uint8Array for MNIST-style images and labels).
 */
export async function writeIdx(
  path: string | URL,
  array: ArrayInput,
): Promise<void> {
  const a = ndarray(array);
  checkArray(a, "the array");
  const code = Object.entries(TYPES).find(([, d]) => d === a.dtype)?.[0];
  if (code === undefined) {
    throw new DataFileError(
      `IDX cannot hold ${a.dtype}; it holds ${
        Object.values(TYPES).join(", ")
      } — convert the data first`,
    );
  }
  if (a.shape.length > 255) {
    throw new DataFileError(`IDX holds at most 255 dimensions`);
  }
  const header = new Uint8Array(4 + 4 * a.shape.length);
  const view = new DataView(header.buffer);
  header[2] = Number(code);
  header[3] = a.shape.length;
  a.shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const body = encodeElements(a, false);
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  await saveBytes(path, out);
}
