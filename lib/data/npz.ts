/**
 * NumPy's `.npz` archives: a ZIP of `.npy` files, one per array, stored
 * (`np.savez`) or deflated (`np.savez_compressed`). {@linkcode readNpz}
 * reads both (zip64 included); {@linkcode writeNpz} writes what `np.load`
 * reads back.
 *
 * @example
 * ```ts
 * import { readNpz, writeNpz } from "./npz.ts";
 * const path = await Deno.makeTempFile({ suffix: ".npz" });
 * await writeNpz(path, { x: [[0, 1], [1, 0]], y: new Int32Array([1, 0]) }, { compress: true });
 * const { x, y } = await readNpz(path);
 * if (x.shape.join() !== "2,2" || y.dtype !== "int32") throw new Error();
 * await Deno.remove(path);
 * ```
 *
 * @module
 */

import { type ByteSource, loadBytes, sourceName } from "./_bytes.ts";
import { readZip, writeZip } from "./_zip.ts";
import { decodeNpy, encodeNpy } from "./npy.ts";
import { type ArrayInput, DataFileError, type NdArray } from "./ndarray.ts";

/**
 * Reads every array of a `.npz` file (or its bytes), keyed by the name it
 * was saved under (`np.savez(f, x=…)` → `x`; positional ones are `arr_0`, …),
 * in the archive's order.
 */
export async function readNpz(
  source: ByteSource,
): Promise<Record<string, NdArray>> {
  const name = sourceName(source);
  const bytes = await loadBytes(source);
  if (bytes.length >= 6 && bytes[0] === 0x93 && bytes[1] === 0x4e) {
    throw new DataFileError(
      `${name} is a single .npy array, not an .npz archive; read it with readNpy`,
    );
  }
  const entries = await readZip(bytes, name);
  const out: Record<string, NdArray> = {};
  for (const [entry, data] of entries) {
    if (entry.endsWith("/")) continue; // a directory entry
    if (!entry.endsWith(".npy")) {
      throw new DataFileError(
        `${name}: entry "${entry}" is not a .npy array; an .npz holds only .npy entries (np.savez)`,
      );
    }
    out[entry.slice(0, -4)] = decodeNpy(data, `${name}[${entry}]`);
  }
  return out;
}

/** Options of {@linkcode writeNpz}. */
export interface WriteNpzOptions {
  /** Deflate the arrays, as `np.savez_compressed`. Default false (as `np.savez`). */
  compress?: boolean;
}

/**
 * Writes named arrays as an `.npz` file (each as {@linkcode writeNpy} would
 * write it), in the object's key order.
 */
export async function writeNpz(
  path: string | URL,
  arrays: Record<string, ArrayInput>,
  options: WriteNpzOptions = {},
): Promise<void> {
  await Deno.writeFile(path, await encodeNpz(arrays, options));
}

/** The bytes of an `.npz` archive of the arrays; `forceZip64` as numpy's savez. */
export async function encodeNpz(
  arrays: Record<string, ArrayInput>,
  options: WriteNpzOptions & { forceZip64?: boolean } = {},
): Promise<Uint8Array> {
  const entries: [string, Uint8Array][] = [];
  for (const [key, array] of Object.entries(arrays)) {
    if (key === "") {
      throw new DataFileError(`an .npz array needs a non-empty name`);
    }
    try {
      entries.push([`${key}.npy`, encodeNpy(array)]);
    } catch (e) {
      if (e instanceof DataFileError) {
        throw new DataFileError(`array "${key}": ${e.message}`);
      }
      throw e;
    }
  }
  return await writeZip(entries, options);
}
