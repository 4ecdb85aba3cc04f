/**
 * Models saved in the tfjs layers format, read and written on the local
 * disk: `model.json` (the Keras topology and a weights manifest) beside
 * binary weight shards — what `tensorflowjs_converter
 * --output_format=tfjs_layers_model` writes from a Keras model and what
 * `model.save` writes. tfjs's own `file://` handler lives only in
 * tfjs-node; these read and write with Deno's file API.
 *
 * @module
 */

import { InfolensError } from "../errors.ts";
import { dirname, join } from "node:path";
import { ensureBackend, tf } from "./backend.ts";
import type { LayersModel } from "./_tfjs.ts";

/** The error raised for a model file that cannot be read: it names the file and the fix. */
export class ModelFileError extends InfolensError {
  /** Always "ModelFileError", so stack traces and logs name the class. */
  override name = "ModelFileError";
}

const BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
  complex64: 8,
};

/** Bytes one manifest entry takes in its shards (NaN where unknown, e.g. strings). */
function entryBytes(w: tf.io.WeightsManifestEntry): number {
  const size = w.shape.reduce((p, v) => p * v, 1);
  const dtype = w.quantization?.dtype ?? w.dtype;
  return size * (BYTES[dtype] ?? NaN);
}

async function readBytes(path: string, what: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new ModelFileError(`${what} ${path} does not exist`);
    }
    throw new ModelFileError(
      `${what} ${path} could not be read: ${(e as Error).message}`,
    );
  }
}

/** Where model.json is: the path itself, or model.json inside a folder. */
async function modelJsonPath(path: string): Promise<string> {
  let stat: Deno.FileInfo;
  try {
    stat = await Deno.stat(path);
  } catch {
    throw new ModelFileError(
      `${path} does not exist; give the folder holding model.json (or model.json itself), as written by tensorflowjs_converter or saveLayersModel`,
    );
  }
  if (!stat.isDirectory) return path;
  const inside = join(path, "model.json");
  try {
    await Deno.stat(inside);
  } catch {
    throw new ModelFileError(
      `${path} holds no model.json; give the folder that tensorflowjs_converter --output_format=tfjs_layers_model or saveLayersModel wrote`,
    );
  }
  return inside;
}

/**
 * A tf.io handler that loads model.json and its shards from the local disk,
 * checking each shard's presence and the shards' total size against the
 * manifest.
 */
export function fileLoadHandler(path: string): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const file = await modelJsonPath(path);
      if (/\.(h5|hdf5|keras)$/i.test(file)) {
        throw new ModelFileError(
          `${file} is a Keras file, not the tfjs layers format; convert it with \`tensorflowjs_converter --input_format=keras --output_format=tfjs_layers_model ${file} out/\` and load out/`,
        );
      }
      const text = new TextDecoder().decode(
        await readBytes(file, "model file"),
      );
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new ModelFileError(
          `${file} is not JSON (${
            (e as Error).message
          }); give the model.json of a tfjs layers model`,
        );
      }
      const topology = json?.modelTopology as Record<string, unknown> | null;
      if (
        json?.format === "graph-model" || (topology && "node" in topology)
      ) {
        throw new ModelFileError(
          `${file} is a tfjs graph model (a frozen TensorFlow graph, no layers to read); convert the Keras model with \`tensorflowjs_converter --output_format=tfjs_layers_model\` instead`,
        );
      }
      if (!topology || !Array.isArray(json.weightsManifest)) {
        throw new ModelFileError(
          `${file} lacks ${
            !topology ? "modelTopology" : "weightsManifest"
          }; it is not a tfjs layers model.json (re-save with model.save or tensorflowjs_converter)`,
        );
      }
      const dir = dirname(file);
      return await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const buffers: ArrayBuffer[] = [];
        for (const [g, group] of manifest.entries()) {
          const shards = await Promise.all(
            group.paths.map((p) =>
              readBytes(
                join(dir, p),
                `weight shard ${p} (listed in ${file})`,
              )
            ),
          );
          const expected = group.weights.reduce(
            (s, w) => s + entryBytes(w),
            0,
          );
          const found = shards.reduce((s, b) => s + b.byteLength, 0);
          if (Number.isFinite(expected) && expected !== found) {
            throw new ModelFileError(
              `weight group ${
                g + 1
              } of ${file} should hold ${expected} bytes in ${
                group.paths.join(", ")
              } but they hold ${found}; a shard is truncated or belongs to another model, so copy or convert the model again`,
            );
          }
          for (const b of shards) {
            buffers.push(
              b.buffer.slice(
                b.byteOffset,
                b.byteOffset + b.byteLength,
              ) as ArrayBuffer,
            );
          }
        }
        return [
          tf.io.getWeightSpecs(manifest),
          tf.io.concatenateArrayBuffers(buffers),
        ];
      });
    },
  };
}

/**
 * Loads a model saved in the tfjs layers format from a local folder (or
 * its model.json). Missing files, truncated shards, a graph model or a
 * Keras `.h5` file throw a {@linkcode ModelFileError} naming the file and
 * the fix.
 *
 * @example
 * ```ts
 * import { loadLayersModel, saveLayersModel } from "./load_model.ts";
 * import { ensureBackend, tf } from "./backend.ts";
 * await ensureBackend();
 * const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
 * const dir = await Deno.makeTempDir();
 * await saveLayersModel(model, dir);
 * const back = await loadLayersModel(dir);
 * if (back.layers[0].name !== model.layers[0].name) throw new Error();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadLayersModel(path: string): Promise<LayersModel> {
  await ensureBackend();
  return await tf.loadLayersModel(fileLoadHandler(path));
}

/**
 * Writes `model` to the folder `dir` (created if needed) in the tfjs layers
 * format: `model.json` and one `weights.bin`, readable by
 * {@linkcode loadLayersModel} and by tfjs's own loaders.
 */
export async function saveLayersModel(
  model: LayersModel,
  dir: string,
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weights = artifacts.weightData === undefined
      ? new ArrayBuffer(0)
      : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    const json = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format ?? "layers-model",
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      ...(artifacts.trainingConfig
        ? { trainingConfig: artifacts.trainingConfig }
        : {}),
      ...(artifacts.userDefinedMetadata
        ? { userDefinedMetadata: artifacts.userDefinedMetadata }
        : {}),
      weightsManifest: [{
        paths: ["weights.bin"],
        weights: artifacts.weightSpecs ?? [],
      }],
    };
    await Deno.writeTextFile(join(dir, "model.json"), JSON.stringify(json));
    await Deno.writeFile(join(dir, "weights.bin"), new Uint8Array(weights));
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: "JSON",
        weightDataBytes: weights.byteLength,
      },
    };
  }));
}
