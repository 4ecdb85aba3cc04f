/**
 * `checkCapture(capture)`: one validator for an {@linkcode ActivationCapture}
 * wherever one is read (the per-layer estimators, the `.npz` reader and
 * writer, the charts), so a capture missing a layer or holding the wrong
 * number of values is refused with a {@linkcode CaptureError} naming the
 * checkpoint and layer, not a TypeError from inside an estimator.
 *
 * @module
 */

import { CaptureError } from "./_errors.ts";
import type { ActivationCapture } from "./train.ts";

/**
 * Throws a {@linkcode CaptureError} unless `capture` is consistent: `rows`
 * a non-negative integer; `layers` a list of `{ index, name, units }` with
 * positive integer units and indices 1, 2, …; one `activations` checkpoint
 * per entry of `epochs` (integers ≥ 0); every checkpoint one
 * array per layer of `rows × units` numbers. Cost: one pass over the
 * layer list per checkpoint; the values themselves are not read.
 *
 * @example
 * ```ts
 * import { checkCapture } from "./check_capture.ts";
 * import { CaptureError } from "./_errors.ts";
 * const capture = {
 *   epochs: [0], rows: 2,
 *   layers: [{ index: 1, name: "dense 1", units: 3, activation: "tanh" as const },
 *            { index: 2, name: "output", units: 2, activation: "softmax" as const }],
 *   activations: [[new Float32Array(6), new Float32Array(4)]],
 * };
 * checkCapture(capture);
 * capture.activations[0].pop(); // the output layer is missing
 * let threw = false;
 * try { checkCapture(capture); } catch (e) { threw = e instanceof CaptureError; }
 * if (!threw) throw new Error("a missing layer is named");
 * ```
 */
export function checkCapture(capture: ActivationCapture): void {
  if (!capture || typeof capture !== "object") {
    throw new CaptureError(
      `a capture must be { epochs, layers, rows, activations } (from trainNetwork, captureLayers or readActivations), got ${capture}`,
    );
  }
  const { epochs, layers, rows, activations } = capture;
  if (!Number.isInteger(rows) || rows < 0) {
    throw new CaptureError(
      `capture.rows must be a non-negative integer, got ${rows}`,
    );
  }
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new CaptureError(`capture.layers must be a non-empty list of layers`);
  }
  layers.forEach((l, i) => {
    if (!l || typeof l !== "object") {
      throw new CaptureError(`capture.layers[${i}] is ${l}, not a layer`);
    }
    if (l.index !== i + 1) {
      throw new CaptureError(
        `capture.layers[${i}] ("${l.name}") has index ${l.index}; layers are numbered 1, 2, … in order`,
      );
    }
    if (!Number.isInteger(l.units) || l.units < 1) {
      throw new CaptureError(
        `capture.layers[${i}] ("${l.name}") has ${l.units} units; a positive integer is needed`,
      );
    }
  });
  if (!Array.isArray(epochs) || !Array.isArray(activations)) {
    throw new CaptureError(
      `capture.epochs and capture.activations must be lists (one checkpoint per epoch)`,
    );
  }
  if (activations.length !== epochs.length) {
    throw new CaptureError(
      `the capture has ${epochs.length} epochs but ${activations.length} checkpoints of activations`,
    );
  }
  epochs.forEach((e, c) => {
    if (!Number.isInteger(e) || e < 0) {
      throw new CaptureError(
        `capture.epochs[${c}] is ${e}; epochs must be integers >= 0`,
      );
    }
    const checkpoint = activations[c];
    if (!Array.isArray(checkpoint) || checkpoint.length !== layers.length) {
      throw new CaptureError(
        `the checkpoint at epoch ${e} holds ${
          Array.isArray(checkpoint) ? checkpoint.length : "no"
        } layers, the capture lists ${layers.length} (${
          layers.map((l) => l.name).join(", ")
        })`,
      );
    }
    layers.forEach((l, i) => {
      const a = checkpoint[i];
      const length = a && typeof a === "object" ? a.length : undefined;
      if (length !== rows * l.units) {
        throw new CaptureError(
          `layer "${l.name}" at epoch ${e} holds ${
            length ?? `${a}, not an array,`
          } values; expected ${rows} rows × ${l.units} units = ${
            rows * l.units
          }`,
        );
      }
    });
  });
}
