/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header
 * length, a JSON header `{ name: { dtype, shape, data_offsets: [begin, end] },
 * "__metadata__"?: { key: string } }`, then the tensors' little-endian bytes.
 * Dtypes F16, BF16, F32, F64, I8, I16, I32, I64, U8, U16, U32, U64 and BOOL
 * are read and written; others (F8 kinds, complex) are refused by name.
 *
 * @example
 * ```ts
 * import { readSafetensors, writeSafetensors } from "./safetensors.ts";
 * import { ndarray } from "./ndarray.ts";
 * const path = await Deno.makeTempFile({ suffix: ".safetensors" });
 * await writeSafetensors(path, { w: ndarray(new Float32Array([1, 2, 3, 4]), [2, 2], "bfloat16") },
 *   { metadata: { epoch: "3" } });
 * const { tensors, metadata } = await readSafetensors(path);
 * if (tensors.w.dtype !== "bfloat16" || metadata.epoch !== "3") throw new Error();
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
} from "./ndarray.ts";

const CODES: Record<string, DType> = {
  F16: "float16",
  BF16: "bfloat16",
  F32: "float32",
  F64: "float64",
  I8: "int8",
  I16: "int16",
  I32: "int32",
  I64: "int64",
  U8: "uint8",
  U16: "uint16",
  U32: "uint32",
  U64: "uint64",
  BOOL: "bool",
};

/** What {@linkcode readSafetensors} returns. */
export interface SafetensorsFile {
  /** The tensors by name, in the header's order. */
  tensors: Record<string, NdArray>;
  /** The header's `__metadata__` (string → string); `{}` when absent. */
  metadata: Record<string, string>;
}

/** Reads a safetensors file (or its bytes), checking every offset against the shapes. */
export async function readSafetensors(
  source: ByteSource,
): Promise<SafetensorsFile> {
  const name = sourceName(source);
  const bytes = await loadBytes(source);
  if (bytes.length < 8) {
    throw new DataFileError(
      `${name} is truncated: a safetensors file starts with an 8-byte header length, the file has ${bytes.length} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length) {
    throw new DataFileError(
      `${name} is truncated or not safetensors: its header length field says ${n} bytes, the file has ${
        bytes.length - 8
      } after it`,
    );
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new DataFileError(
      `${name}: the header is not JSON (${
        (e as Error).message
      }); is this a safetensors file?`,
    );
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw new DataFileError(`${name}: the header must be a JSON object`);
  }
  const base = 8 + n;
  const bufferSize = bytes.length - base;
  const tensors: Record<string, NdArray> = {};
  let metadata: Record<string, string> = {};
  const spans: [number, number, string][] = [];
  for (const [key, value] of Object.entries(header)) {
    if (key === "__metadata__") {
      metadata = value as Record<string, string>;
      continue;
    }
    const info = value as {
      dtype?: unknown;
      shape?: unknown;
      data_offsets?: unknown;
    };
    const dtype = CODES[info?.dtype as string];
    if (!dtype) {
      throw new DataFileError(
        `${name}: tensor "${key}" has unsupported dtype ${
          JSON.stringify(info?.dtype)
        } in field "dtype"; supported: ${
          Object.keys(CODES).join(", ")
        } — convert it (e.g. tensor.float()) before saving`,
      );
    }
    const shape = info.shape as number[];
    if (
      !Array.isArray(shape) ||
      shape.some((v) => !Number.isInteger(v) || v < 0)
    ) {
      throw new DataFileError(
        `${name}: tensor "${key}" has field "shape" ${
          JSON.stringify(shape)
        }; expected an array of integers >= 0`,
      );
    }
    const offsets = info.data_offsets as number[];
    if (
      !Array.isArray(offsets) || offsets.length !== 2 ||
      !offsets.every(Number.isInteger) || offsets[0] > offsets[1]
    ) {
      throw new DataFileError(
        `${name}: tensor "${key}" has field "data_offsets" ${
          JSON.stringify(offsets)
        }; expected [begin, end] with begin <= end`,
      );
    }
    const [begin, end] = offsets;
    const expected = shapeSize(shape) * ITEM_SIZE[dtype];
    if (end - begin !== expected) {
      throw new DataFileError(
        `${name}: tensor "${key}" spans ${
          end - begin
        } bytes (data_offsets [${begin}, ${end}]) but shape [${shape}] of ${dtype} needs ${expected}`,
      );
    }
    if (end > bufferSize) {
      throw new DataFileError(
        `${name} is truncated: tensor "${key}" ends at byte ${end} of the data, which holds ${bufferSize} bytes`,
      );
    }
    spans.push([begin, end, key]);
    tensors[key] = {
      dtype,
      shape: [...shape],
      data: decodeElements(
        bytes.subarray(base + begin, base + end),
        dtype,
        true,
      ),
    };
  }
  // the spec: tensors tile the data buffer exactly, without holes or overlaps
  spans.sort((a, b) => a[0] - b[0]);
  let at = 0;
  for (const [begin, end, key] of spans) {
    if (begin !== at) {
      throw new DataFileError(
        `${name}: tensor "${key}" starts at data byte ${begin}, expected ${at} (the tensors must tile the data without gaps or overlaps)`,
      );
    }
    at = end;
  }
  if (at !== bufferSize) {
    throw new DataFileError(
      `${name} has ${
        bufferSize - at
      } bytes after its last tensor; the file is damaged or was appended to`,
    );
  }
  return { tensors, metadata };
}

/** Options of {@linkcode writeSafetensors}. */
export interface WriteSafetensorsOptions {
  /** Stored as the header's `__metadata__` (strings only, by the spec). */
  metadata?: Record<string, string>;
}

/** Writes named arrays as a safetensors file, in the object's key order. */
export async function writeSafetensors(
  path: string | URL,
  tensors: Record<string, ArrayInput>,
  options: WriteSafetensorsOptions = {},
): Promise<void> {
  await Deno.writeFile(path, encodeSafetensors(tensors, options));
}

/** The bytes of a safetensors file of the arrays. */
export function encodeSafetensors(
  tensors: Record<string, ArrayInput>,
  options: WriteSafetensorsOptions = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (options.metadata) {
    for (const [k, v] of Object.entries(options.metadata)) {
      if (typeof v !== "string") {
        throw new DataFileError(
          `metadata "${k}" is a ${typeof v}; safetensors metadata values are strings — use String(value)`,
        );
      }
    }
    header.__metadata__ = options.metadata;
  }
  const bodies: Uint8Array[] = [];
  let offset = 0;
  for (const [key, input] of Object.entries(tensors)) {
    if (key === "__metadata__") {
      throw new DataFileError(
        `"__metadata__" is reserved in safetensors; pass metadata through options.metadata`,
      );
    }
    const a = ndarray(input);
    checkArray(a, `tensor "${key}"`);
    const code = Object.keys(CODES).find((c) => CODES[c] === a.dtype)!;
    const body = encodeElements(a);
    header[key] = {
      dtype: code,
      shape: a.shape,
      data_offsets: [offset, offset + body.length],
    };
    bodies.push(body);
    offset += body.length;
  }
  const json = JSON.stringify(header);
  const length = new TextEncoder().encode(json).length;
  // the data starts 8-byte aligned
  const head = new TextEncoder().encode(
    json + " ".repeat((8 - (length % 8)) % 8),
  );
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let p = 8 + head.length;
  for (const b of bodies) {
    out.set(b, p);
    p += b.length;
  }
  return out;
}
