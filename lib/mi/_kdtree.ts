/**
 * A k-d tree under the max-norm (Chebyshev distance), for the KSG
 * estimator: k-th neighbour distances and counts of points strictly within
 * a radius. Nodes keep bounding boxes, so a subtree is skipped when its box
 * is at least the search radius away and counted whole when it lies inside.
 *
 * @module
 */

import { selectNth } from "../_math/select.ts";

const LEAF_SIZE = 16;

/**
 * A max-norm k-d tree over the rows of an n × d row-major array.
 *
 * @example
 * ```ts
 * import { KdTree } from "./_kdtree.ts";
 * const tree = new KdTree(Float64Array.from([0, 0, 1, 0, 0, 3]), 2);
 * if (tree.kthNeighbourDistance(0, 1) !== 1) throw new Error("nearest");
 * if (tree.countWithin(0, 1.5) !== 2) throw new Error("count");
 * ```
 */
export class KdTree {
  readonly n: number;
  readonly d: number;
  /** The rows reordered so every node covers a contiguous range. */
  readonly #points: Float64Array;
  /** Row of each original index in #points. */
  readonly #position: Int32Array;
  #start: Int32Array;
  #end: Int32Array;
  #left: Int32Array;
  #right: Int32Array;
  #lo: Float64Array;
  #hi: Float64Array;
  #nodes = 0;
  readonly #stack: Int32Array;
  /** Box distances beside #stack in the neighbour search. */
  readonly #gaps: Float64Array;

  constructor(data: Float64Array, d: number) {
    if (!Number.isInteger(d) || d < 1 || data.length % d !== 0) {
      throw new RangeError(
        `KdTree: data of length ${data.length} is not rows of ${d} values`,
      );
    }
    this.d = d;
    this.n = data.length / d;
    const order = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) order[i] = i;
    const capacity = 2 * Math.ceil(this.n / (LEAF_SIZE / 2)) + 1;
    this.#start = new Int32Array(capacity);
    this.#end = new Int32Array(capacity);
    this.#left = new Int32Array(capacity).fill(-1);
    this.#right = new Int32Array(capacity).fill(-1);
    this.#lo = new Float64Array(capacity * d);
    this.#hi = new Float64Array(capacity * d);
    this.#build(data, order, new Float64Array(this.n), 0, this.n);
    this.#points = new Float64Array(this.n * d);
    this.#position = new Int32Array(this.n);
    for (let r = 0; r < this.n; r++) {
      this.#points.set(data.subarray(order[r] * d, order[r] * d + d), r * d);
      this.#position[order[r]] = r;
    }
    this.#stack = new Int32Array(capacity);
    this.#gaps = new Float64Array(capacity);
  }

  /** `keys` is scratch space: the split column of the rows in `order`. */
  #build(
    data: Float64Array,
    order: Int32Array,
    keys: Float64Array,
    s: number,
    e: number,
  ): number {
    const node = this.#nodes++;
    const d = this.d;
    this.#start[node] = s;
    this.#end[node] = e;
    let widest = 0, width = -1;
    for (let c = 0; c < d; c++) {
      let lo = Infinity, hi = -Infinity;
      for (let r = s; r < e; r++) {
        const v = data[order[r] * d + c];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      this.#lo[node * d + c] = lo;
      this.#hi[node * d + c] = hi;
      if (hi - lo > width) [widest, width] = [c, hi - lo];
    }
    if (e - s > LEAF_SIZE && width > 0) {
      const mid = (s + e) >> 1;
      for (let r = s; r < e; r++) keys[r] = data[order[r] * d + widest];
      selectNth(keys, s, e - 1, mid, order);
      this.#left[node] = this.#build(data, order, keys, s, mid);
      this.#right[node] = this.#build(data, order, keys, mid, e);
    }
    return node;
  }

  /** Max-norm distance from point `p` (a reordered row) to node's box. */
  #boxDistance(node: number, p: number): number {
    const d = this.d;
    let m = 0;
    for (let c = 0; c < d; c++) {
      const v = this.#points[p * d + c];
      const lo = this.#lo[node * d + c];
      const hi = this.#hi[node * d + c];
      const g = v < lo ? lo - v : v > hi ? v - hi : 0;
      if (g > m) m = g;
    }
    return m;
  }

  /** Max-norm distance from point `p` to the farthest corner of node's box. */
  #boxFarthest(node: number, p: number): number {
    const d = this.d;
    let m = 0;
    for (let c = 0; c < d; c++) {
      const v = this.#points[p * d + c];
      const g = Math.max(
        v - this.#lo[node * d + c],
        this.#hi[node * d + c] - v,
      );
      if (g > m) m = g;
    }
    return m;
  }

  #distance(p: number, q: number): number {
    const d = this.d;
    let m = 0;
    for (let c = 0; c < d; c++) {
      const g = Math.abs(this.#points[p * d + c] - this.#points[q * d + c]);
      if (g > m) m = g;
    }
    return m;
  }

  /**
   * The max-norm distance from row `i` to its k-th nearest other row.
   */
  kthNeighbourDistance(i: number, k: number): number {
    if (k < 1 || k >= this.n) {
      throw new RangeError(`KdTree: k = ${k} needs 1 <= k < n = ${this.n}`);
    }
    const p = this.#position[i];
    const best = new Float64Array(k).fill(Infinity); // sorted ascending
    const stack = this.#stack;
    const gap = this.#gaps;
    let top = 0;
    stack[top] = 0;
    gap[top++] = 0;
    while (top > 0) {
      top--;
      if (gap[top] >= best[k - 1]) continue;
      const node = stack[top];
      const left = this.#left[node];
      if (left < 0) {
        for (let q = this.#start[node]; q < this.#end[node]; q++) {
          if (q === p) continue;
          keepSmallest(best, this.#distance(p, q));
        }
        continue;
      }
      const right = this.#right[node];
      const gl = this.#boxDistance(left, p);
      const gr = this.#boxDistance(right, p);
      // Visit the nearer child first: push it last.
      const [near, far, gn, gf] = gl <= gr
        ? [left, right, gl, gr]
        : [right, left, gr, gl];
      stack[top] = far;
      gap[top++] = gf;
      stack[top] = near;
      gap[top++] = gn;
    }
    return best[k - 1];
  }

  /** How many rows (row `i` included) lie strictly within `radius` of row `i`. */
  countWithin(i: number, radius: number): number {
    const p = this.#position[i];
    const stack = this.#stack;
    let top = 0;
    let count = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      if (this.#boxDistance(node, p) >= radius) continue;
      if (this.#boxFarthest(node, p) < radius) {
        count += this.#end[node] - this.#start[node];
        continue;
      }
      const left = this.#left[node];
      if (left < 0) {
        for (let q = this.#start[node]; q < this.#end[node]; q++) {
          if (this.#distance(p, q) < radius) count++;
        }
        continue;
      }
      stack[top++] = left;
      stack[top++] = this.#right[node];
    }
    return count;
  }
}

/**
 * Keeps `best` (ascending) the smallest values seen: inserts `value` in
 * order when it beats the largest, which drops off the end.
 *
 * @example
 * ```ts
 * import { keepSmallest } from "./_kdtree.ts";
 * const best = Float64Array.from([1, 3, Infinity]);
 * keepSmallest(best, 2);
 * if (best.join() !== "1,2,3") throw new Error(best.join());
 * ```
 */
export function keepSmallest(best: Float64Array, value: number): void {
  let at = best.length - 1;
  if (!(value < best[at])) return;
  while (at > 0 && best[at - 1] > value) {
    best[at] = best[at - 1];
    at--;
  }
  best[at] = value;
}
