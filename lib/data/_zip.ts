/**
 * A small ZIP reader and writer for `.npz`: stored and deflated entries,
 * zip64 (numpy's `savez` forces zip64 extra fields on every entry), CRC-32
 * checked on read. Deflate is the web-standard `CompressionStream("deflate-raw")`
 * Deno has, so no package is needed. Encryption, multi-disk archives and
 * other compression methods are refused.
 *
 * @module
 */

import { deflateRaw, inflateRaw } from "./_bytes.ts";
import { DataFileError } from "./ndarray.ts";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (the ZIP and gzip polynomial). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;
const MAX32 = 0xffffffff;

function bad(name: string, what: string): DataFileError {
  return new DataFileError(
    `${name} is not a readable ZIP (.npz) archive: ${what}; the file is damaged or incomplete — write it again (np.savez / np.savez_compressed)`,
  );
}

function u64(view: DataView, at: number): number {
  return Number(view.getBigUint64(at, true));
}

/** The entries of a ZIP archive in their stored order, decompressed and CRC-checked. */
export async function readZip(
  bytes: Uint8Array,
  name: string,
): Promise<Map<string, Uint8Array>> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = bytes.length;
  let end = -1;
  for (let i = size - 22; i >= Math.max(0, size - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === SIG_END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw bad(name, "no end-of-central-directory record");
  let count = view.getUint16(end + 10, true);
  let cdSize = view.getUint32(end + 12, true);
  let cdOffset = view.getUint32(end + 16, true);
  if (view.getUint16(end + 4, true) !== 0) {
    throw bad(name, "it is a multi-disk archive");
  }
  if (count === 0xffff || cdSize === MAX32 || cdOffset === MAX32) {
    const loc = end - 20;
    if (loc < 0 || view.getUint32(loc, true) !== SIG_LOCATOR64) {
      throw bad(name, "zip64 sizes without a zip64 locator");
    }
    const end64 = u64(view, loc + 8);
    if (end64 + 56 > size || view.getUint32(end64, true) !== SIG_END64) {
      throw bad(name, "the zip64 end record is missing");
    }
    count = u64(view, end64 + 32);
    cdSize = u64(view, end64 + 40);
    cdOffset = u64(view, end64 + 48);
  }
  if (cdOffset + cdSize > size) {
    throw bad(
      name,
      `the central directory (${cdSize} bytes at ${cdOffset}) lies past the end (${size} bytes)`,
    );
  }
  const out = new Map<string, Uint8Array>();
  let p = cdOffset;
  for (let e = 0; e < count; e++) {
    if (p + 46 > size || view.getUint32(p, true) !== SIG_CENTRAL) {
      throw bad(name, `central directory entry ${e} is damaged`);
    }
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    let compSize = view.getUint32(p + 20, true);
    let rawSize = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    let local = view.getUint32(p + 42, true);
    const entry = new TextDecoder().decode(
      bytes.subarray(p + 46, p + 46 + nameLen),
    );
    // zip64 extra: the 64-bit values of exactly the fields that read 0xFFFFFFFF
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = view.getUint16(x, true);
      const len = view.getUint16(x + 2, true);
      if (id === 1) {
        let q = x + 4;
        if (rawSize === MAX32) rawSize = u64(view, (q += 8) - 8);
        if (compSize === MAX32) compSize = u64(view, (q += 8) - 8);
        if (local === MAX32) local = u64(view, q);
      }
      x += 4 + len;
    }
    p = xEnd + commentLen;
    if (flags & 1) {
      throw new DataFileError(
        `${name}: entry "${entry}" is encrypted; decrypt the archive first`,
      );
    }
    if (local + 30 > size || view.getUint32(local, true) !== SIG_LOCAL) {
      throw bad(name, `the local header of "${entry}" is missing`);
    }
    const start = local + 30 + view.getUint16(local + 26, true) +
      view.getUint16(local + 28, true);
    if (start + compSize > size) {
      throw new DataFileError(
        `${name} is truncated: entry "${entry}" needs ${compSize} bytes at ${start}, the file has ${size}; write it again`,
      );
    }
    const stored = bytes.subarray(start, start + compSize);
    let data: Uint8Array;
    if (method === 0) {
      data = stored;
    } else if (method === 8) {
      try {
        data = await inflateRaw(stored);
      } catch (err) {
        throw bad(
          name,
          `entry "${entry}" does not inflate (${(err as Error).message})`,
        );
      }
    } else {
      throw new DataFileError(
        `${name}: entry "${entry}" uses compression method ${method}; supported: 0 (stored) and 8 (deflate), what np.savez and np.savez_compressed write`,
      );
    }
    if (data.length !== rawSize) {
      throw bad(
        name,
        `entry "${entry}" holds ${data.length} bytes, its header says ${rawSize}`,
      );
    }
    if (crc32(data) !== crc) {
      throw bad(name, `entry "${entry}" fails its CRC-32 check`);
    }
    out.set(entry, data);
  }
  return out;
}

/** Options of {@linkcode writeZip}. */
export interface WriteZipOptions {
  /** Deflate the entries (as `np.savez_compressed`). Default false (stored, as `np.savez`). */
  compress?: boolean;
  /** Write zip64 fields on every entry and a zip64 end record even when small (they are used whenever needed). */
  forceZip64?: boolean;
}

/** A ZIP archive of the given entries, in order. */
export async function writeZip(
  entries: readonly (readonly [string, Uint8Array])[],
  options: WriteZipOptions = {},
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const encoder = new TextEncoder();
  for (const [entry, raw] of entries) {
    const name = encoder.encode(entry);
    const data = options.compress ? await deflateRaw(raw) : raw;
    const crc = crc32(raw);
    const zip64 = options.forceZip64 || raw.length >= MAX32 ||
      data.length >= MAX32 || offset >= MAX32;
    const method = options.compress ? 8 : 0;
    const version = zip64 ? 45 : 20;
    const local = new Uint8Array(30 + name.length + (zip64 ? 20 : 0));
    const lv = new DataView(local.buffer);
    lv.setUint32(0, SIG_LOCAL, true);
    lv.setUint16(4, version, true);
    lv.setUint16(6, 0x0800, true); // names are UTF-8
    lv.setUint16(8, method, true);
    lv.setUint16(12, 0x21, true); // 1980-01-01: a fixed date keeps files reproducible
    lv.setUint32(14, crc, true);
    lv.setUint32(18, zip64 ? MAX32 : data.length, true);
    lv.setUint32(22, zip64 ? MAX32 : raw.length, true);
    lv.setUint16(26, name.length, true);
    lv.setUint16(28, zip64 ? 20 : 0, true);
    local.set(name, 30);
    if (zip64) {
      const x = 30 + name.length;
      lv.setUint16(x, 1, true);
      lv.setUint16(x + 2, 16, true);
      lv.setBigUint64(x + 4, BigInt(raw.length), true);
      lv.setBigUint64(x + 12, BigInt(data.length), true);
    }
    const cd = new Uint8Array(46 + name.length + (zip64 ? 28 : 0));
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, SIG_CENTRAL, true);
    cv.setUint16(4, version, true);
    cv.setUint16(6, version, true);
    cv.setUint16(8, 0x0800, true);
    cv.setUint16(10, method, true);
    cv.setUint16(14, 0x21, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, zip64 ? MAX32 : data.length, true);
    cv.setUint32(24, zip64 ? MAX32 : raw.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, zip64 ? 28 : 0, true);
    cv.setUint32(38, 0o100644 << 16, true); // a regular file, rw-r--r--
    cv.setUint32(42, zip64 ? MAX32 : offset, true);
    cd.set(name, 46);
    if (zip64) {
      const x = 46 + name.length;
      cv.setUint16(x, 1, true);
      cv.setUint16(x + 2, 24, true);
      cv.setBigUint64(x + 4, BigInt(raw.length), true);
      cv.setBigUint64(x + 12, BigInt(data.length), true);
      cv.setBigUint64(x + 20, BigInt(offset), true);
    }
    parts.push(local, data);
    central.push(cd);
    offset += local.length + data.length;
  }
  const cdOffset = offset;
  const cdSize = central.reduce((s, c) => s + c.length, 0);
  const zip64End = options.forceZip64 || entries.length >= 0xffff ||
    cdOffset >= MAX32 || cdSize >= MAX32;
  const tail = new Uint8Array((zip64End ? 56 + 20 : 0) + 22);
  const tv = new DataView(tail.buffer);
  let t = 0;
  if (zip64End) {
    tv.setUint32(0, SIG_END64, true);
    tv.setBigUint64(4, 44n, true);
    tv.setUint16(12, 45, true);
    tv.setUint16(14, 45, true);
    tv.setBigUint64(24, BigInt(entries.length), true);
    tv.setBigUint64(32, BigInt(entries.length), true);
    tv.setBigUint64(40, BigInt(cdSize), true);
    tv.setBigUint64(48, BigInt(cdOffset), true);
    tv.setUint32(56, SIG_LOCATOR64, true);
    tv.setBigUint64(64, BigInt(cdOffset + cdSize), true);
    tv.setUint32(72, 1, true);
    t = 76;
  }
  tv.setUint32(t, SIG_END, true);
  tv.setUint16(t + 8, zip64End ? 0xffff : entries.length, true);
  tv.setUint16(t + 10, zip64End ? 0xffff : entries.length, true);
  tv.setUint32(t + 12, zip64End ? MAX32 : cdSize, true);
  tv.setUint32(t + 16, zip64End ? MAX32 : cdOffset, true);
  const out = new Uint8Array(offset + cdSize + tail.length);
  let p = 0;
  for (const part of [...parts, ...central, tail]) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}
