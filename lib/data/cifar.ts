/**
 * CIFAR-10 and CIFAR-100 binary batches: each record is the label byte(s)
 * (CIFAR-10: one; CIFAR-100: the coarse then the fine label) followed by a
 * 32×32 colour image as 1,024 red, 1,024 green and 1,024 blue bytes, rows
 * top to bottom. {@linkcode readCifar} returns the images as NHWC
 * (n × 32 × 32 × 3), the layout tfjs and `trainNetwork`'s CNN take.
 *
 * @example
 * ```ts
 * import { readCifar } from "./cifar.ts";
 * const record = new Uint8Array(1 + 3072);
 * record[0] = 7; // label
 * record[1] = 255; // red of pixel (0, 0)
 * const { images, labels } = await readCifar(record, { kind: "cifar10" });
 * if (images.shape.join() !== "1,32,32,3" || images.data[0] !== 1 || labels[0] !== 7) throw new Error();
 * ```
 *
 * @module
 */

import { type ByteSource, loadBytes, sourceName } from "./_bytes.ts";
import { DataFileError, type NdArray } from "./ndarray.ts";

/** Options of {@linkcode readCifar}. */
export interface ReadCifarOptions {
  /** Which batch format; default from the file size (refused when both fit). */
  kind?: "cifar10" | "cifar100";
  /** "float" (default): float32 in [0, 1]; "uint8": the raw bytes. */
  pixels?: "float" | "uint8";
}

/** What {@linkcode readCifar} returns. */
export interface CifarBatch {
  /** n × 32 × 32 × 3 (NHWC), float32 in [0, 1] or uint8. */
  images: NdArray;
  /** CIFAR-10: the class (0–9); CIFAR-100: the fine label (0–99). */
  labels: number[];
  /** CIFAR-100 only: the coarse label (0–19). */
  coarseLabels?: number[];
  /** The format read. */
  kind: "cifar10" | "cifar100";
}

const PIXELS = 32 * 32;
const IMAGE = 3 * PIXELS;

/** Reads a CIFAR-10 or CIFAR-100 binary batch file (or its bytes). */
export async function readCifar(
  source: ByteSource,
  options: ReadCifarOptions = {},
): Promise<CifarBatch> {
  const name = sourceName(source);
  const bytes = await loadBytes(source);
  const fits10 = bytes.length % (IMAGE + 1) === 0;
  const fits100 = bytes.length % (IMAGE + 2) === 0;
  if (
    options.kind !== undefined && options.kind !== "cifar10" &&
    options.kind !== "cifar100"
  ) {
    throw new DataFileError(
      `unknown CIFAR kind "${options.kind}"; use "cifar10" or "cifar100"`,
    );
  }
  let kind = options.kind;
  if (!kind) {
    if (fits10 && fits100) {
      throw new DataFileError(
        `${name}: ${bytes.length} bytes fit both CIFAR-10 and CIFAR-100 records; pass { kind: "cifar10" } or { kind: "cifar100" }`,
      );
    }
    if (!fits10 && !fits100) {
      throw new DataFileError(
        `${name} is not a whole number of CIFAR records: ${bytes.length} bytes is neither a multiple of ${
          IMAGE + 1
        } (CIFAR-10) nor of ${
          IMAGE + 2
        } (CIFAR-100); the file is truncated or not a CIFAR binary batch (the Python pickles are not read — use the "binary version")`,
      );
    }
    kind = fits10 ? "cifar10" : "cifar100";
  }
  const labelBytes = kind === "cifar10" ? 1 : 2;
  const record = IMAGE + labelBytes;
  if (bytes.length % record !== 0 || bytes.length === 0) {
    const n = Math.floor(bytes.length / record);
    throw new DataFileError(
      `${name} is truncated or not ${kind}: ${
        n + 1
      } records of ${record} bytes need ${
        (n + 1) * record
      } bytes, got ${bytes.length}; fetch the file again`,
    );
  }
  const n = bytes.length / record;
  const float = (options.pixels ?? "float") === "float";
  if (
    options.pixels !== undefined && options.pixels !== "float" &&
    options.pixels !== "uint8"
  ) {
    throw new DataFileError(
      `pixels must be "float" or "uint8", got "${options.pixels}"`,
    );
  }
  const data = float ? new Float32Array(n * IMAGE) : new Uint8Array(n * IMAGE);
  const labels: number[] = new Array(n);
  const coarse: number[] | undefined = labelBytes === 2
    ? new Array(n)
    : undefined;
  const maxLabel = kind === "cifar10" ? 10 : 100;
  for (let i = 0; i < n; i++) {
    const r = i * record;
    const label = bytes[r + labelBytes - 1];
    if (label >= maxLabel || (coarse && bytes[r] >= 20)) {
      throw new DataFileError(
        `${name}: record ${i} has label ${
          coarse ? `${bytes[r]}/${label}` : label
        }, beyond ${kind}'s classes; the file is damaged or is the other CIFAR format (pass kind)`,
      );
    }
    labels[i] = label;
    if (coarse) coarse[i] = bytes[r];
    const src = r + labelBytes;
    const dst = i * IMAGE;
    // channel planes (CHW) → interleaved pixels (HWC)
    for (let p = 0; p < PIXELS; p++) {
      for (let c = 0; c < 3; c++) {
        const v = bytes[src + c * PIXELS + p];
        data[dst + p * 3 + c] = float ? v / 255 : v;
      }
    }
  }
  return {
    images: { dtype: float ? "float32" : "uint8", shape: [n, 32, 32, 3], data },
    labels,
    ...(coarse ? { coarseLabels: coarse } : {}),
    kind,
  };
}
