/**
 * Shared by the array-file readers and writers: reading a path or bytes
 * (gunzipping `.gz`), decoding elements of any dtype and byte order into an
 * {@linkcode NdArray}'s storage, encoding them little-endian, and the
 * float16 / bfloat16 conversions.
 *
 * @module
 */

import {
  DataFileError,
  type DType,
  ITEM_SIZE,
  type NdArray,
  type TypedData,
} from "./ndarray.ts";

/** A file to read: a path, a file URL, or its bytes. */
export type ByteSource = string | URL | Uint8Array;

/** A printable name of a source for error messages. */
export function sourceName(source: ByteSource): string {
  if (source instanceof Uint8Array) return `<${source.length} bytes>`;
  return source instanceof URL ? source.href : `"${source}"`;
}

/** Reads a source, gunzipping paths that end in `.gz` (and bytes that start with gzip's magic). */
export async function loadBytes(source: ByteSource): Promise<Uint8Array> {
  let bytes: Uint8Array;
  if (source instanceof Uint8Array) {
    bytes = source;
  } else {
    try {
      bytes = await Deno.readFile(source);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new DataFileError(
          `file not found: ${
            sourceName(source)
          } (looked in ${Deno.cwd()}); check the path`,
        );
      }
      throw e;
    }
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return await gunzipBytes(bytes);
    } catch (e) {
      throw new DataFileError(
        `${
          sourceName(source)
        } starts like a gzip file but does not decompress (${
          (e as Error).message
        }); the download is probably incomplete — fetch it again`,
      );
    }
  }
  return bytes;
}

async function pipe(
  bytes: Uint8Array,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/** Decompresses gzip bytes. */
export function gunzipBytes(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(bytes, new DecompressionStream("gzip"));
}

/** Compresses bytes with gzip. */
export function gzipBytes(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(bytes, new CompressionStream("gzip"));
}

/** Raw deflate (no header), as ZIP entries use. */
export function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(bytes, new CompressionStream("deflate-raw"));
}

/** Inverse of {@linkcode deflateRaw}. */
export function inflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(bytes, new DecompressionStream("deflate-raw"));
}

/** Writes bytes to a path, gzipping when it ends in `.gz`. */
export async function saveBytes(
  path: string | URL,
  bytes: Uint8Array,
): Promise<void> {
  const name = path instanceof URL ? path.pathname : path;
  await Deno.writeFile(
    path,
    name.endsWith(".gz") ? await gzipBytes(bytes) : bytes,
  );
}

const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** IEEE half → float (exact). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Float → IEEE half, rounding to nearest even (as numpy's astype). */
export function floatToHalf(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rest > mid || (rest === mid && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1))) half++;
  return sign | half; // a carry into the exponent (even to infinity) is correct
}

/** bfloat16 → float (exact). */
export function bfloatToFloat(b: number): number {
  u32[0] = b << 16;
  return f32[0];
}

/** Float → bfloat16, rounding to nearest even (as PyTorch). */
export function floatToBfloat(v: number): number {
  f32[0] = v;
  const x = u32[0];
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff)) {
    return (x >>> 16) | 0x40;
  }
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

/** Copies elements out of `bytes` (any alignment), swapping to host order when needed. */
function hostOrdered(
  bytes: Uint8Array,
  itemSize: number,
  littleEndian: boolean,
): ArrayBuffer {
  const copy = bytes.slice();
  if (itemSize > 1 && littleEndian !== HOST_LITTLE) {
    for (let i = 0; i < copy.length; i += itemSize) {
      copy.subarray(i, i + itemSize).reverse();
    }
  }
  return copy.buffer;
}

/** Decodes `count` elements of `dtype` from `bytes` into their storage type. */
export function decodeElements(
  bytes: Uint8Array,
  dtype: DType,
  littleEndian: boolean,
): TypedData {
  const buffer = hostOrdered(bytes, ITEM_SIZE[dtype], littleEndian);
  switch (dtype) {
    case "float16":
      return Float32Array.from(new Uint16Array(buffer), halfToFloat);
    case "bfloat16":
      return Float32Array.from(new Uint16Array(buffer), bfloatToFloat);
    case "float32":
      return new Float32Array(buffer);
    case "float64":
      return new Float64Array(buffer);
    case "int8":
      return new Int8Array(buffer);
    case "int16":
      return new Int16Array(buffer);
    case "int32":
      return new Int32Array(buffer);
    case "int64":
      return new BigInt64Array(buffer);
    case "uint8":
      return new Uint8Array(buffer);
    case "uint16":
      return new Uint16Array(buffer);
    case "uint32":
      return new Uint32Array(buffer);
    case "uint64":
      return new BigUint64Array(buffer);
    case "bool": {
      const b = new Uint8Array(buffer);
      const bad = b.findIndex((v) => v > 1);
      if (bad >= 0) {
        throw new DataFileError(
          `bool element ${bad} holds byte ${
            b[bad]
          }; a bool is 0 or 1 — the file is damaged or its dtype is wrong`,
        );
      }
      return b;
    }
  }
}

/** Encodes an array's elements as bytes in the given order (little-endian by default). */
export function encodeElements(a: NdArray, littleEndian = true): Uint8Array {
  let bytes: Uint8Array;
  if (a.dtype === "float16" || a.dtype === "bfloat16") {
    const code = a.dtype === "float16" ? floatToHalf : floatToBfloat;
    const h = Uint16Array.from(a.data as Float32Array, code);
    bytes = new Uint8Array(h.buffer);
  } else if (a.dtype === "bool") {
    bytes = Uint8Array.from(a.data as Uint8Array, (v) => v ? 1 : 0);
  } else {
    const d = a.data;
    bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice();
  }
  const size = ITEM_SIZE[a.dtype];
  if (size > 1 && littleEndian !== HOST_LITTLE) {
    for (let i = 0; i < bytes.length; i += size) {
      bytes.subarray(i, i + size).reverse();
    }
  }
  return bytes;
}
