/**
 * A random forest of regression trees that reports, besides its mean, the
 * variance of its prediction — what SMAC's expected improvement needs and
 * what general-purpose forest libraries (ml-random-forest among them) do not
 * expose. On 0/1 targets the mean is a class probability (BORE, RMI-NAS).
 *
 * @module
 */

import type { Random } from "../space/random.ts";

/** Settings of {@linkcode RandomForest}. */
export interface ForestSettings {
  /** Trees; default 10 (SMAC). */
  trees?: number;
  /** Fraction of features tried at each split; default 5/6 (SMAC). */
  featureFraction?: number;
  /** A node with fewer rows is a leaf; default 3 (SMAC). */
  minSplit?: number;
  /** Rows a leaf keeps at least; default 3 (SMAC). */
  minLeaf?: number;
  /** Each tree sees a bootstrap sample; default true. */
  bootstrap?: boolean;
}

interface Node {
  feature: number; // −1 for a leaf
  threshold: number;
  left: number;
  right: number;
  mean: number;
  variance: number;
}

function buildTree(
  x: readonly (readonly number[])[],
  y: readonly number[],
  rows: number[],
  s: Required<ForestSettings>,
  r: Random,
): Node[] {
  const nodes: Node[] = [];
  const p = x[0].length;
  const tryFeatures = Math.max(1, Math.floor(s.featureFraction * p));
  // Each node scans its rows sorted by every tried feature. Sorting once at
  // the root and splitting the sorted lists in order gives the very lists a
  // stable sort of each node's rows would (ties keep the rows' order either
  // way), at O(n) per node and feature instead of O(n log n).
  const grow = (idx: number[], sorted: number[][]): number => {
    let sum = 0, sq = 0;
    for (const i of idx) {
      sum += y[i];
      sq += y[i] * y[i];
    }
    const n = idx.length;
    const mean = sum / n;
    const variance = Math.max(0, sq / n - mean * mean);
    const at = nodes.length;
    nodes.push({
      feature: -1,
      threshold: 0,
      left: -1,
      right: -1,
      mean,
      variance,
    });
    if (n < s.minSplit || variance <= 1e-300) return at;
    // The split that most reduces the summed squared error, over a random
    // subset of features, at midpoints between distinct sorted values.
    const features = r.permutation(p).slice(0, tryFeatures);
    let bestGain = 0, bestFeature = -1, bestThreshold = 0;
    const total = sq - sum * sum / n;
    for (const f of features) {
      const order = sorted[f];
      let ls = 0, lq = 0;
      for (let k = 0; k < n - 1; k++) {
        const v = y[order[k]];
        ls += v;
        lq += v * v;
        const nl = k + 1, nr = n - nl;
        if (nl < s.minLeaf || nr < s.minLeaf) continue;
        const a = x[order[k]][f], b = x[order[k + 1]][f];
        if (a === b) continue;
        const rs = sum - ls, rq = sq - lq;
        const sse = (lq - ls * ls / nl) + (rq - rs * rs / nr);
        const gain = total - sse;
        if (gain > bestGain + 1e-12) {
          bestGain = gain;
          bestFeature = f;
          bestThreshold = 0.5 * (a + b);
        }
      }
    }
    if (bestFeature < 0) return at;
    const goesLeft = (i: number) => x[i][bestFeature] <= bestThreshold;
    const goesRight = (i: number) => x[i][bestFeature] > bestThreshold;
    const left = idx.filter(goesLeft);
    const right = idx.filter(goesRight);
    const sortedRight = sorted.map((o) => o.filter(goesRight));
    nodes[at].feature = bestFeature;
    nodes[at].threshold = bestThreshold;
    nodes[at].left = grow(left, sorted.map((o) => o.filter(goesLeft)));
    nodes[at].right = grow(right, sortedRight);
    return at;
  };
  grow(
    rows,
    Array.from(
      { length: p },
      (_, f) => [...rows].sort((a, b) => x[a][f] - x[b][f]),
    ),
  );
  return nodes;
}

/**
 * A random forest for regression with predictive variance by the law of
 * total variance over trees: Var = mean over trees of (leaf variance +
 * leaf mean²) − (mean of leaf means)².
 *
 * @example
 * ```ts
 * import { Random } from "../space/random.ts";
 * import { RandomForest } from "./forest.ts";
 * const x = Array.from({ length: 50 }, (_, i) => [i / 50]);
 * const y = x.map(([v]) => (v > 0.5 ? 1 : 0));
 * const rf = new RandomForest(x, y, new Random(0));
 * const [m] = rf.predict([[0.9]]).mean;
 * if (!(m > 0.8)) throw new Error();
 * ```
 */
export class RandomForest {
  readonly #trees: Node[][] = [];

  /**
   * Fits the forest to rows `x` and targets `y`, drawing bootstraps and split
   * features from `random`; throws RangeError unless there are as many targets
   * as rows (at least one).
   */
  constructor(
    x: readonly (readonly number[])[],
    y: readonly number[],
    random: Random,
    settings: ForestSettings = {},
  ) {
    if (x.length === 0 || x.length !== y.length) {
      throw new RangeError(
        `RandomForest needs as many targets as rows (≥ 1), got ${x.length} rows and ${y.length} targets`,
      );
    }
    const s: Required<ForestSettings> = {
      trees: settings.trees ?? 10,
      featureFraction: settings.featureFraction ?? 5 / 6,
      minSplit: settings.minSplit ?? 3,
      minLeaf: settings.minLeaf ?? 3,
      bootstrap: settings.bootstrap ?? true,
    };
    const n = x.length;
    for (let t = 0; t < s.trees; t++) {
      const rows = s.bootstrap
        ? Array.from({ length: n }, () => random.integer(0, n))
        : Array.from({ length: n }, (_, i) => i);
      this.#trees.push(buildTree(x, y, rows, s, random));
    }
  }

  /** Mean and variance of the prediction at each row. */
  predict(
    x: readonly (readonly number[])[],
  ): { mean: Float64Array; variance: Float64Array } {
    const mean = new Float64Array(x.length);
    const variance = new Float64Array(x.length);
    const t = this.#trees.length;
    x.forEach((row, i) => {
      let m = 0, second = 0;
      for (const tree of this.#trees) {
        let node = tree[0];
        while (node.feature >= 0) {
          node =
            tree[row[node.feature] <= node.threshold ? node.left : node.right];
        }
        m += node.mean;
        second += node.variance + node.mean * node.mean;
      }
      mean[i] = m / t;
      variance[i] = Math.max(0, second / t - mean[i] * mean[i]);
    });
    return { mean, variance };
  }
}
