/**
 * Layer activations dumped from PyTorch, JAX or Keras, read into the
 * `ActivationCapture` that `layerMI` and the information-plane charts take,
 * and written back out.
 *
 * Three layouts are read (`y` and `x` are reserved array names: the probe
 * rows' labels and inputs, optional; rename them with `labels`/`inputs`):
 *
 * 1. **One file per epoch**: a folder of `epoch_0003.npz` (or
 *    `epoch_3.safetensors`; `epoch`, an optional `_` or `-`, digits), each
 *    holding one array per layer named by the layer. The epoch comes from the
 *    file name. `y.npy` / `x.npy` may sit beside them.
 * 2. **One `.npz` per run**: arrays named `<layer>@<epoch>`, e.g.
 *    `conv1@0`, `conv1@10`, `fc@10` (the epoch is what follows the last `@`),
 *    plus `y` and `x`.
 * 3. **One folder per epoch**: subfolders `epoch_0003/` (same naming as 1)
 *    holding one `<layer>.npy` per layer; `y.npy` / `x.npy` in the top
 *    folder or in an epoch folder.
 *
 * Each layer array is (N, ...): N probe rows, the same N for every layer and
 * epoch; conv activations (N, C, H, W) or (N, H, W, C) are flattened to
 * N × prod(...) (MI estimators do not depend on the order of units). Layers
 * are ordered by the `layers` option, else by their order in the first file
 * (`.npz` archives keep `np.savez`'s keyword order; `.npy` files in a folder
 * are sorted by name, digits numerically); the `output` layer goes last.
 * The output is read as softmax probabilities (checked); pass
 * `outputIs: "logits"` to apply the softmax. Hidden layers' activations
 * (which fix binning's range: tanh [−1, 1], sigmoid [0, 1], others the
 * observed range) default to "linear"; set them with `activations`.
 *
 * In Python (PyTorch), layout 2:
 *
 * ```text
 * arrays = {f"{name}@{epoch}": act.detach().cpu().numpy()
 *           for epoch, acts in captured.items() for name, act in acts.items()}
 * np.savez("run.npz", y=labels.numpy(), **arrays)
 * ```
 *
 * @module
 */

import type { ActivationCapture } from "../nets/train.ts";
import { checkCapture } from "../nets/check_capture.ts";
import type { LayerInfo, NetActivation } from "../nets/architecture.ts";
import { readNpy, writeNpy } from "./npy.ts";
import { readNpz, writeNpz } from "./npz.ts";
import { readSafetensors } from "./safetensors.ts";
import {
  DataFileError,
  type NdArray,
  ndarray,
  shapeSize,
  toFloat64,
  toRows,
} from "./ndarray.ts";

/** Options of {@linkcode readActivations}. */
export interface ReadActivationsOptions {
  /** Layers to read, in this order (default: every layer, in file order). */
  layers?: readonly string[];
  /** The output layer's name; it is put last. Default: the last layer. */
  output?: string;
  /** What the output arrays hold: "probabilities" (default; checked) or "logits" (softmax applied). */
  outputIs?: "probabilities" | "logits";
  /** Hidden layers' activation, one for all or per layer name. Default "linear". */
  activations?: NetActivation | Readonly<Record<string, NetActivation>>;
  /** Name of the labels array. Default "y". */
  labels?: string;
  /** Name of the inputs array. Default "x". */
  inputs?: string;
}

/** What {@linkcode readActivations} returns. */
export interface LoadedActivations {
  /** The capture, ready for `layerMI(capture, { method, y })`. */
  capture: ActivationCapture;
  /** The probe rows' labels, when the files hold them (integers). */
  y?: number[];
  /** The probe rows' inputs flattened per row, when the files hold them. */
  x?: number[][];
  /** The layout found: 1 (file per epoch), 2 (one .npz per run), 3 (folder per epoch). */
  layout: 1 | 2 | 3;
}

const EPOCH = /^epoch[_-]?(\d+)$/;

function natural(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

interface Raw {
  /** epoch → layer → array, layers in file order. */
  epochs: Map<number, Map<string, NdArray>>;
  extras: Map<string, { array: NdArray; where: string }[]>;
  layout: 1 | 2 | 3;
}

async function listDir(path: string) {
  const entries: Deno.DirEntry[] = [];
  for await (const e of Deno.readDir(path)) entries.push(e);
  return entries.sort((a, b) => natural(a.name, b.name));
}

async function readRaw(
  path: string,
  reserved: Set<string>,
): Promise<Raw> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch {
    throw new DataFileError(
      `activations not found: "${path}" (looked in ${Deno.cwd()}); pass an .npz file or a folder of epoch files`,
    );
  }
  const epochs = new Map<number, Map<string, NdArray>>();
  const extras = new Map<string, { array: NdArray; where: string }[]>();
  const extra = (name: string, array: NdArray, where: string) => {
    if (!extras.has(name)) extras.set(name, []);
    extras.get(name)!.push({ array, where });
  };
  const layer = (epoch: number, name: string, array: NdArray) => {
    if (!epochs.has(epoch)) epochs.set(epoch, new Map());
    epochs.get(epoch)!.set(name, array);
  };
  if (info.isFile) {
    const arrays = await readNpz(path);
    for (const [key, array] of Object.entries(arrays)) {
      if (reserved.has(key)) {
        extra(key, array, `"${path}"`);
        continue;
      }
      const m = key.match(/^(.+)@(\d+)$/);
      if (!m) {
        throw new DataFileError(
          `"${path}": array "${key}" is not named <layer>@<epoch> (e.g. "fc1@10") nor is it the labels or inputs (${
            [...reserved].join(", ")
          }); rename it when saving`,
        );
      }
      layer(Number(m[2]), m[1], array);
    }
    return { epochs, extras, layout: 2 };
  }
  let layout: 1 | 3 | undefined;
  for (const e of await listDir(path)) {
    const full = `${path.replace(/\/+$/, "")}/${e.name}`;
    const stem = e.name.replace(/\.(npz|safetensors|npy)$/, "");
    const m = stem.match(EPOCH);
    if (e.isFile && e.name.endsWith(".npy") && reserved.has(stem)) {
      extra(stem, await readNpy(full), `"${full}"`);
    } else if (m && e.isFile && /\.(npz|safetensors)$/.test(e.name)) {
      layout = 1;
      const arrays = e.name.endsWith(".npz")
        ? await readNpz(full)
        : (await readSafetensors(full)).tensors;
      for (const [key, array] of Object.entries(arrays)) {
        if (reserved.has(key)) extra(key, array, `"${full}"`);
        else layer(Number(m[1]), key, array);
      }
    } else if (m && e.isDirectory) {
      layout ??= 3;
      for (const f of await listDir(full)) {
        if (!f.isFile || !f.name.endsWith(".npy")) continue;
        const name = f.name.slice(0, -4);
        const array = await readNpy(`${full}/${f.name}`);
        if (reserved.has(name)) extra(name, array, `"${full}/${f.name}"`);
        else layer(Number(m[1]), name, array);
      }
    }
  }
  if (!layout || epochs.size === 0) {
    throw new DataFileError(
      `"${path}" holds no activations in a known layout: expected epoch_<k>.npz / epoch_<k>.safetensors files (one array per layer) or epoch_<k>/ folders of <layer>.npy files; see readActivations' documentation`,
    );
  }
  return { epochs, extras, layout };
}

/** The one array stored under a reserved name, checked equal wherever it appears. */
function single(
  found: { array: NdArray; where: string }[] | undefined,
  name: string,
): NdArray | undefined {
  if (!found) return undefined;
  const first = toFloat64(found[0].array);
  for (const other of found.slice(1)) {
    const values = toFloat64(other.array);
    if (
      values.length !== first.length || values.some((v, i) => v !== first[i])
    ) {
      throw new DataFileError(
        `array "${name}" differs between ${
          found[0].where
        } and ${other.where}; the probe rows must be the same at every epoch`,
      );
    }
  }
  return found[0].array;
}

function softmaxRows(data: Float32Array, rows: number, units: number): void {
  for (let i = 0; i < rows; i++) {
    const row = data.subarray(i * units, (i + 1) * units);
    let max = -Infinity;
    for (const v of row) if (v > max) max = v;
    let sum = 0;
    for (let j = 0; j < units; j++) sum += row[j] = Math.exp(row[j] - max);
    for (let j = 0; j < units; j++) row[j] /= sum;
  }
}

/**
 * Reads activations saved per epoch and layer (see the module doc for the
 * three layouts) into an `ActivationCapture`.
 *
 * @example
 * ```ts
 * import { readActivations } from "./activations.ts";
 * import { writeNpz } from "./npz.ts";
 * const path = await Deno.makeTempFile({ suffix: ".npz" });
 * await writeNpz(path, {
 *   y: new Int32Array([0, 1, 1]),
 *   "fc@0": [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]],
 *   "out@0": [[0.9, 0.1], [0.2, 0.8], [0.4, 0.6]],
 *   "fc@5": [[0.2, 0.2], [0.3, 0.1], [0.9, 0.6]],
 *   "out@5": [[0.8, 0.2], [0.1, 0.9], [0.3, 0.7]],
 * });
 * const { capture, y } = await readActivations(path, { activations: "tanh" });
 * if (capture.epochs.join() !== "0,5" || capture.layers[1].name !== "out") throw new Error();
 * if (y?.join() !== "0,1,1" || capture.rows !== 3) throw new Error();
 * ```
 */
export async function readActivations(
  path: string,
  options: ReadActivationsOptions = {},
): Promise<LoadedActivations> {
  const labelsName = options.labels ?? "y";
  const inputsName = options.inputs ?? "x";
  const raw = await readRaw(path, new Set([labelsName, inputsName]));
  const epochs = [...raw.epochs.keys()].sort((a, b) => a - b);
  const seen: string[] = [];
  for (const e of [...raw.epochs.keys()]) {
    for (const name of raw.epochs.get(e)!.keys()) {
      if (!seen.includes(name)) seen.push(name);
    }
  }
  let names = options.layers ? [...options.layers] : seen;
  for (const name of [...names, ...(options.output ? [options.output] : [])]) {
    if (!seen.includes(name)) {
      throw new DataFileError(
        `layer "${name}" is not in "${path}"; its layers are ${
          seen.join(", ")
        }`,
      );
    }
  }
  if (names.length === 0) {
    throw new DataFileError(`"${path}" holds no layer arrays`);
  }
  const output = options.output ?? names.at(-1)!;
  names = [...names.filter((n) => n !== output), output];
  const outputIs = options.outputIs ?? "probabilities";
  if (outputIs !== "probabilities" && outputIs !== "logits") {
    throw new DataFileError(
      `outputIs must be "probabilities" or "logits", got "${outputIs}"`,
    );
  }
  let rows = -1;
  const units = new Map<string, number>();
  const activations: Float32Array[][] = [];
  for (const epoch of epochs) {
    const byLayer = raw.epochs.get(epoch)!;
    const checkpoint: Float32Array[] = [];
    for (const name of names) {
      const a = byLayer.get(name);
      const where = `layer "${name}" at epoch ${epoch} in "${path}"`;
      if (!a) {
        throw new DataFileError(
          `${where} is missing; every epoch needs every layer (layers at epoch ${epoch}: ${
            [...byLayer.keys()].join(", ")
          }) — or pass layers to read a subset`,
        );
      }
      if (a.shape.length < 1) {
        throw new DataFileError(
          `${where} is a scalar; expected shape (N, ...) with one row per probe sample`,
        );
      }
      if (rows < 0) rows = a.shape[0];
      if (a.shape[0] !== rows) {
        throw new DataFileError(
          `${where} has ${
            a.shape[0]
          } rows, other layers ${rows}; every layer and epoch must hold the same probe rows`,
        );
      }
      const u = shapeSize(a.shape.slice(1));
      if (!units.has(name)) units.set(name, u);
      if (units.get(name) !== u) {
        throw new DataFileError(
          `${where} has ${u} units per row (shape [${a.shape}]), ${
            units.get(name)
          } at another epoch`,
        );
      }
      const data = a.data instanceof Float32Array
        ? a.data.slice()
        : Float32Array.from(toFloat64(a));
      if (name === output) {
        if (outputIs === "logits") softmaxRows(data, rows, u);
        else checkProbabilities(data, rows, u, where);
      }
      checkpoint.push(data);
    }
    activations.push(checkpoint);
  }
  const activationOf = (name: string): NetActivation => {
    const a = options.activations;
    return (typeof a === "string" ? a : a?.[name]) ?? "linear";
  };
  const layers: LayerInfo[] = names.map((name, i) => ({
    index: i + 1,
    name,
    units: units.get(name)!,
    activation: name === output ? "softmax" : activationOf(name),
  }));
  const result: LoadedActivations = {
    capture: { epochs, layers, rows, activations },
    layout: raw.layout,
  };
  checkCapture(result.capture);
  const y = single(raw.extras.get(labelsName), labelsName);
  if (y) {
    const labels = Array.from(toFloat64(y));
    if (labels.length !== rows) {
      throw new DataFileError(
        `"${labelsName}" holds ${labels.length} labels but the activations ${rows} rows`,
      );
    }
    const bad = labels.findIndex((v) => !Number.isInteger(v) || v < 0);
    if (bad >= 0) {
      throw new DataFileError(
        `"${labelsName}"[${bad}] is ${
          labels[bad]
        }; labels must be class ids (integers >= 0) — save y.argmax(1) for one-hot labels`,
      );
    }
    result.y = labels;
  }
  const x = single(raw.extras.get(inputsName), inputsName);
  if (x) {
    if (x.shape[0] !== rows) {
      throw new DataFileError(
        `"${inputsName}" holds ${x.shape[0]} rows but the activations ${rows}`,
      );
    }
    result.x = toRows(x);
  }
  return result;
}

function checkProbabilities(
  data: Float32Array,
  rows: number,
  units: number,
  where: string,
): void {
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let j = 0; j < units; j++) {
      const v = data[i * units + j];
      if (!(v >= -1e-6 && v <= 1 + 1e-6)) {
        throw new DataFileError(
          `${where} (the output) holds ${v} at row ${i}, not a probability; pass outputIs: "logits" to apply the softmax, or name the right layer with output`,
        );
      }
      sum += v;
    }
    if (units > 1 && Math.abs(sum - 1) > 1e-3) {
      throw new DataFileError(
        `${where} (the output) row ${i} sums to ${sum}, not 1; pass outputIs: "logits" to apply the softmax, or name the right layer with output`,
      );
    }
  }
}

/** Options of {@linkcode writeActivations}. */
export interface WriteActivationsOptions {
  /** 2 (default): one `.npz` at `path` with `<layer>@<epoch>` arrays; 1: a folder `path` of `epoch_0003.npz` files. */
  layout?: 1 | 2;
  /** The probe rows' labels, saved as `y`. */
  y?: readonly number[];
  /** The probe rows' inputs, saved as `x` (float32). */
  x?: readonly (readonly number[])[];
  /** Deflate the arrays (as `np.savez_compressed`). Default false. */
  compress?: boolean;
}

/**
 * Writes a capture as `.npz` in layout 2 (or 1), arrays rows × units float32
 * named by the layers' names, so `np.load` (and {@linkcode readActivations})
 * read it back. Layer activations are not stored: pass them to
 * `readActivations` again.
 *
 * @example
 * ```ts
 * import { readActivations, writeActivations } from "./activations.ts";
 * const capture = {
 *   epochs: [0, 3], rows: 2,
 *   layers: [{ index: 1, name: "dense 1", units: 1, activation: "tanh" as const },
 *            { index: 2, name: "output", units: 2, activation: "softmax" as const }],
 *   activations: [[new Float32Array([0.5, -0.5]), new Float32Array([0.5, 0.5, 1, 0])],
 *                 [new Float32Array([0.9, -0.9]), new Float32Array([1, 0, 0, 1])]],
 * };
 * const path = await Deno.makeTempFile({ suffix: ".npz" });
 * await writeActivations(path, capture, { y: [0, 1] });
 * const back = await readActivations(path, { activations: "tanh" });
 * if (Math.abs(back.capture.activations[1][0][1] + 0.9) > 1e-6) throw new Error();
 * if (back.capture.layers.map((l) => l.name).join() !== "dense 1,output") throw new Error();
 * ```
 */
export async function writeActivations(
  path: string,
  capture: ActivationCapture,
  options: WriteActivationsOptions = {},
): Promise<void> {
  const layout = options.layout ?? 2;
  if (layout !== 1 && layout !== 2) {
    throw new DataFileError(`layout must be 1 or 2, got ${layout}`);
  }
  // a missing or short layer is named here, not met as a TypeError below
  checkCapture(capture);
  const { rows, layers, epochs } = capture;
  if (capture.activations.length !== epochs.length) {
    throw new DataFileError(
      `the capture has ${epochs.length} epochs but ${capture.activations.length} checkpoints of activations`,
    );
  }
  const extras: Record<string, NdArray> = {};
  if (options.y) {
    if (options.y.length !== rows) {
      throw new DataFileError(
        `y holds ${options.y.length} labels but the capture ${rows} rows`,
      );
    }
    extras.y = ndarray(Int32Array.from(options.y));
  }
  if (options.x) {
    if (options.x.length !== rows) {
      throw new DataFileError(
        `x holds ${options.x.length} rows but the capture ${rows}`,
      );
    }
    extras.x = ndarray(options.x as number[][], undefined, "float32");
  }
  const arraysAt = (c: number, suffix: string) => {
    const out: Record<string, NdArray> = {};
    layers.forEach((l, i) => {
      const data = capture.activations[c][i];
      if (data.length !== rows * l.units) {
        throw new DataFileError(
          `layer "${l.name}" at epoch ${
            epochs[c]
          } holds ${data.length} values, expected ${rows} rows × ${l.units} units`,
        );
      }
      out[l.name + suffix] = ndarray(data, [rows, l.units]);
    });
    return out;
  };
  const compress = { compress: options.compress ?? false };
  if (layout === 2) {
    let all: Record<string, NdArray> = { ...extras };
    epochs.forEach((e, c) => all = { ...all, ...arraysAt(c, `@${e}`) });
    await writeNpz(path, all, compress);
    return;
  }
  await Deno.mkdir(path, { recursive: true });
  for (const [name, array] of Object.entries(extras)) {
    await writeNpy(`${path}/${name}.npy`, array);
  }
  for (let c = 0; c < epochs.length; c++) {
    const file = `${path}/epoch_${String(epochs[c]).padStart(4, "0")}.npz`;
    await writeNpz(file, arraysAt(c, ""), compress);
  }
}
