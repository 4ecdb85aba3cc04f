/**
 * Discrete labels from the rows of y: every distinct row is one class, so
 * integer labels (n × 1) and one-hot rows (n × K) give the same classes.
 *
 * @module
 */

import type { Matrix } from "../_math/linalg.ts";

/** Class of every row (0 … classes − 1, by first appearance) and the counts. */
export interface Labels {
  /** The class of each row. */
  labels: Int32Array;
  /** How many rows each class has. */
  counts: number[];
}

/**
 * The classes of y's rows.
 *
 * @example
 * ```ts
 * import { labelsOf } from "./_labels.ts";
 * const { labels, counts } = labelsOf({ rows: 3, cols: 1, data: Float64Array.from([2, 5, 2]) });
 * if (labels.join() !== "0,1,0" || counts.join() !== "2,1") throw new Error();
 * ```
 */
export function labelsOf(y: Matrix): Labels {
  const { rows: n, cols: d, data } = y;
  const index = new Map<string, number>();
  const labels = new Int32Array(n);
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = d === 1
      ? String(data[i])
      : Array.from(data.subarray(i * d, (i + 1) * d)).join(",");
    let c = index.get(key);
    if (c === undefined) {
      c = counts.length;
      index.set(key, c);
      counts.push(0);
    }
    labels[i] = c;
    counts[c]++;
  }
  return { labels, counts };
}

/**
 * The plug-in entropy of the labels in nats.
 *
 * @example
 * ```ts
 * import { labelEntropy } from "./_labels.ts";
 * if (Math.abs(labelEntropy([5, 5]) - Math.LN2) > 1e-12) throw new Error();
 * ```
 */
export function labelEntropy(counts: readonly number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
}
