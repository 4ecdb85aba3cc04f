/**
 * The error classes of lib/nets, kept free of tfjs so that modules which
 * only check shapes (`checkCapture`, used by lib/data and lib/mi) do not
 * load a tfjs backend.
 *
 * @module
 */

import { InfolensError } from "../errors.ts";

/** The error raised for a bad architecture or training option. */
export class NetError extends InfolensError {
  /** Always "NetError", so stack traces and logs name the class. */
  override name = "NetError";
}

/** The error raised for a bad capture request: unknown layers, a probe set of the wrong shape. */
export class CaptureError extends NetError {
  /** Always "CaptureError", so stack traces and logs name the class. */
  override name = "CaptureError";
}
