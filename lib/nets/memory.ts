/**
 * What a network will take of the backend's memory, checked before anything
 * is allocated. The WebAssembly backend lives in one 32-bit heap: when it
 * runs out mid-training it fails with `memory access out of bounds` after
 * seconds or minutes and leaves its heap corrupt, so every later tfjs call
 * in the process fails the same way. {@linkcode checkTrainingMemory}
 * refuses such a network up front with a {@linkcode NetMemoryError} that
 * names the size and the fix.
 *
 * @module
 */

import { tf } from "./backend.ts";
import { type Architecture, inputSize, NetError } from "./architecture.ts";

/**
 * The most the WebAssembly heap of `@tensorflow/tfjs-backend-wasm` 4.22 can
 * grow to, in bytes: its Emscripten build's `getHeapMax()` (4 GiB less one
 * 64 KiB page), the same for the plain, SIMD and threaded binaries.
 */
export const WASM_HEAP_MAX_BYTES = 4294901760;

/** The error raised when a network will not fit the backend's memory. */
export class NetMemoryError extends NetError {
  /** Always "NetMemoryError", so stack traces and logs name the class. */
  override name = "NetMemoryError";
}

/** The sizes besides the architecture that decide what training allocates. */
export interface TrainingSizes {
  /** Training rows (all of them live on the backend). */
  rows: number;
  /** Rows per step. */
  batchSize: number;
  /** Probe rows whose every layer is captured in one forward pass. */
  probeRows: number;
  /** Validation rows (0 without). */
  validationRows?: number;
  /** The optimiser: adam keeps two slots per weight, rmsprop two, sgd none. */
  optimizer?: string;
}

/** Per-layer sizes of an architecture: parameters and outputs per sample. */
export interface NetworkShape {
  /** Trainable parameters. */
  parameters: number;
  /** The largest single weight tensor, in numbers. */
  largestWeight: number;
  /** Numbers every layer outputs per sample, summed (pre-activation outputs included). */
  unitsPerSample: number;
}

/**
 * Parameters and per-sample outputs of an architecture, computed from its
 * encoding without building it (the architecture must be valid).
 *
 * @example
 * ```ts
 * import { networkShape } from "./memory.ts";
 * const s = networkShape({ kind: "mlp", inputs: 12, widths: [10, 7], outputs: 2, activation: "tanh" });
 * if (s.parameters !== 12 * 10 + 10 + 10 * 7 + 7 + 7 * 2 + 2) throw new Error(String(s.parameters));
 * ```
 */
export function networkShape(a: Architecture): NetworkShape {
  let parameters = 0;
  let largestWeight = 0;
  let units = 0;
  const weight = (n: number, extra: number) => {
    parameters += n + extra;
    largestWeight = Math.max(largestWeight, n);
  };
  let width = inputSize(a);
  let dense: readonly number[];
  let batchNorm = false;
  if (a.kind === "mlp") {
    dense = a.widths;
    batchNorm = a.batchNorm ?? false;
  } else {
    const k = a.kernelSize ?? 3;
    let [h, w, c] = a.inputShape;
    for (const f of a.filters) {
      weight(k * k * c * f, f);
      units += 2 * h * w * f; // the convolution's output and its reshape
      if ((a.pooling ?? "max") !== "none") {
        h = Math.floor(h / 2);
        w = Math.floor(w / 2);
      }
      c = f;
      units += h * w * c;
    }
    width = h * w * c;
    dense = a.dense ?? [];
  }
  for (const u of dense) {
    weight(width * u, batchNorm ? 4 * u : u);
    units += 2 * u; // before and after the activation
    width = u;
  }
  weight(width * a.outputs, a.outputs);
  units += 2 * a.outputs;
  return { parameters, largestWeight, unitsPerSample: units };
}

/**
 * About how many bytes training `a` allocates on the backend at its peak:
 * weights, gradients and optimiser slots, the data, one step's activations
 * and their gradients, and the probe pass. An estimate (float32 throughout,
 * rounded up), meant to tell a network that fits from one that cannot.
 *
 * @example
 * ```ts
 * import { trainingBytes } from "./memory.ts";
 * const small = trainingBytes({ kind: "mlp", inputs: 12, widths: [10], outputs: 2, activation: "tanh" },
 *   { rows: 4096, batchSize: 32, probeRows: 4096 });
 * if (!(small > 0 && small < 2 ** 24)) throw new Error(String(small));
 * ```
 */
export function trainingBytes(a: Architecture, sizes: TrainingSizes): number {
  const s = networkShape(a);
  const slots = sizes.optimizer === "sgd" ? 0 : 2;
  const d = inputSize(a);
  const v = sizes.validationRows ?? 0;
  const floats =
    // weights, their gradients, optimiser slots, one transient copy
    s.parameters * (2 + slots) + s.largestWeight +
    // training, probe and validation inputs and one-hot labels
    (sizes.rows + v) * (d + a.outputs) + sizes.probeRows * d +
    // a step's outputs and their gradients
    3 * Math.min(sizes.batchSize, sizes.rows) * s.unitsPerSample +
    // the probe (or validation) pass reads every layer at once
    Math.max(sizes.probeRows, v) * s.unitsPerSample;
  return 4 * floats;
}

/** "1.5 GiB", "12.0 MiB". */
function size(bytes: number): string {
  return bytes >= 2 ** 30
    ? `${(bytes / 2 ** 30).toFixed(1)} GiB`
    : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/**
 * Throws a {@linkcode NetMemoryError} when training `a` on the active
 * backend needs more memory than the backend can give: on the WebAssembly
 * backend, more than {@linkcode WASM_HEAP_MAX_BYTES} less what its tensors
 * already hold. Other backends (cpu, tfjs-node, webgpu) are not limited by
 * one heap and are not checked. Returns the estimate in bytes.
 *
 * @example
 * ```ts
 * import { checkTrainingMemory, NetMemoryError } from "./memory.ts";
 * import { setBackend } from "./backend.ts";
 * await setBackend("wasm");
 * const huge = { kind: "mlp" as const, inputs: 2, widths: [30000, 30000], outputs: 2, activation: "tanh" as const };
 * let refused = false;
 * try {
 *   checkTrainingMemory(huge, { rows: 64, batchSize: 32, probeRows: 64 });
 * } catch (e) { refused = e instanceof NetMemoryError; }
 * if (!refused) throw new Error("a 900M-parameter network does not fit 4 GiB");
 * ```
 */
export function checkTrainingMemory(
  a: Architecture,
  sizes: TrainingSizes,
): number {
  const bytes = trainingBytes(a, sizes);
  if (tf.getBackend() !== "wasm") return bytes;
  const held = tf.memory().numBytes;
  const free = WASM_HEAP_MAX_BYTES - held;
  if (bytes > free) {
    const { parameters } = networkShape(a);
    throw new NetMemoryError(
      `training this network needs about ${size(bytes)} (${
        parameters.toLocaleString("en")
      } parameters × 4 bytes with gradients and ${
        sizes.optimizer ?? "adam"
      } slots, plus batch ${sizes.batchSize} and ${sizes.probeRows} probe rows of activations), ` +
        `but the WebAssembly backend's heap holds at most ${
          size(WASM_HEAP_MAX_BYTES)
        }${held > 0 ? ` and tensors already take ${size(held)}` : ""}; ` +
        `use smaller widths, a smaller batchSize or fewer probe rows, or the "cpu" or "tensorflow" backend (setBackend, tfjs-node)`,
    );
  }
  return bytes;
}
