/**
 * The binning estimator: each dimension cut into equal-width bins, then the
 * exact (plug-in) mutual information of the binned variables,
 * H(B_X) + H(B_Y) − H(B_X, B_Y). This is how Shwartz-Ziv & Tishby measured
 * layers; its value depends on the bins, and it is biased upward for few
 * samples per occupied cell.
 *
 * @module
 */

import type { Matrix } from "../_math/linalg.ts";
import { MIError } from "./input.ts";

/**
 * Options of the binning (plug-in histogram) estimator,
 * `estimateMI(x, y, { method: "binning", bins, range })`.
 */
export interface BinningOptions {
  /** Bins per dimension. Default 10. */
  bins?: number;
  /**
   * The interval cut into bins: one `[low, high]` for every dimension, or
   * `{ x, y }` with one each. Default: each dimension's own min and max.
   */
  range?: readonly [number, number] | {
    x?: readonly [number, number];
    y?: readonly [number, number];
  };
}

/** Each row's bin cell as a key, e.g. "3,0,7" (values outside `range` go to the end bins). */
export function binKeys(
  m: Matrix,
  bins: number,
  range: readonly [number, number] | undefined,
): string[] {
  const { rows: n, cols: d, data } = m;
  const lows = new Float64Array(d);
  const widths = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let lo = Infinity, hi = -Infinity;
    if (range) {
      [lo, hi] = range;
    } else {
      for (let i = 0; i < n; i++) {
        lo = Math.min(lo, data[i * d + j]);
        hi = Math.max(hi, data[i * d + j]);
      }
    }
    lows[j] = lo;
    widths[j] = hi > lo ? (hi - lo) / bins : 1; // a constant column is one bin
  }
  const keys = new Array<string>(n);
  const cell = new Array<number>(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const b = Math.floor((data[i * d + j] - lows[j]) / widths[j]);
      cell[j] = Math.min(bins - 1, Math.max(0, b)); // clip values outside a given range
    }
    keys[i] = cell.join(",");
  }
  return keys;
}

/**
 * The plug-in entropy, in nats, of the values in `keys` (one per sample).
 *
 * @example
 * ```ts
 * import { discreteEntropy } from "./binning.ts";
 * // Four equally likely values: ln 4 nats, 2 bits.
 * const h = discreteEntropy(["a", "b", "c", "d", "a", "b", "c", "d"]);
 * if (Math.abs(h - Math.log(4)) > 1e-12) throw new Error(String(h));
 * ```
 */
export function discreteEntropy(keys: readonly (string | number)[]): number {
  const counts = new Map<string | number, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  const n = keys.length;
  let h = 0;
  for (const c of counts.values()) h -= (c / n) * Math.log(c / n);
  return h;
}

/**
 * The exact MI, in nats, of two discrete variables given as one key per
 * sample: H(A) + H(B) − H(A, B) of their empirical distribution.
 *
 * @example
 * ```ts
 * import { discreteMI } from "./binning.ts";
 * // B is a function of A that splits it into two equal halves: I = ln 2.
 * const v = discreteMI([0, 1, 2, 3], ["a", "a", "b", "b"]);
 * if (Math.abs(v - Math.log(2)) > 1e-12) throw new Error(String(v));
 * ```
 */
export function discreteMI(
  a: readonly (string | number)[],
  b: readonly (string | number)[],
): number {
  if (a.length !== b.length) {
    throw new MIError(
      `discreteMI needs paired samples, got ${a.length} and ${b.length} keys`,
    );
  }
  const joint = a.map((k, i) => `${k}|${b[i]}`);
  return Math.max(
    0,
    discreteEntropy(a) + discreteEntropy(b) - discreteEntropy(joint),
  );
}

/**
 * Binned MI in nats.
 *
 * @example
 * ```ts
 * import { binning } from "./binning.ts";
 * const v = { rows: 4, cols: 1, data: new Float64Array([0, 0, 1, 1]) };
 * // A variable with itself, two equiprobable bins: ln 2.
 * if (Math.abs(binning(v, v, { bins: 2 }) - Math.log(2)) > 1e-12) throw new Error();
 * ```
 */
export function binning(
  x: Matrix,
  y: Matrix,
  options: BinningOptions = {},
): number {
  const bins = options.bins ?? 10;
  if (!Number.isInteger(bins) || bins < 2) {
    throw new MIError(`binning: bins must be an integer >= 2, got ${bins}`);
  }
  const range = options.range;
  let rx: readonly [number, number] | undefined,
    ry: readonly [number, number] | undefined;
  if (Array.isArray(range)) {
    rx = ry = range as readonly [number, number];
  } else if (range) {
    ({ x: rx, y: ry } = range as {
      x?: readonly [number, number];
      y?: readonly [number, number];
    });
  }
  for (const r of [rx, ry]) {
    if (
      r &&
      !(r.length === 2 && Number.isFinite(r[0]) && Number.isFinite(r[1]) &&
        r[0] < r[1])
    ) {
      throw new MIError(
        `binning: a range must be [low, high] with low < high, got [${r}]`,
      );
    }
  }
  return discreteMI(binKeys(x, bins, rx), binKeys(y, bins, ry));
}
