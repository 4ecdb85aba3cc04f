/**
 * The 12-bit task of Shwartz-Ziv & Tishby (2017), regenerated from its
 * published description: every one of the 4,096 binary patterns of 12 inputs,
 * the inputs being 12 points spread uniformly on a sphere, labelled by a
 * threshold on a spherically symmetric function of the pattern, the
 * threshold chosen so the labels are close to balanced.
 *
 * The exact rule (the original data file is not public in this form):
 *
 * - the 12 points p₁ … p₁₂ are the vertices of a regular icosahedron (the one
 *   uniform arrangement of 12 points on a sphere), in the order
 *   (0, a, bφ), (a, bφ, 0), (bφ, 0, a) for a, b ∈ {−1, +1}, scaled to unit
 *   length (φ is the golden ratio);
 * - a pattern x ∈ {0, 1}¹² switches on the points with xᵢ = 1, and
 *   f(x) = ‖Σᵢ xᵢ pᵢ‖², the squared length of their sum, which a rotation of
 *   the sphere leaves unchanged;
 * - y = 1 when f(x) > 2.5. f takes 20 distinct values; 2.5 lies between
 *   2.211 and 2.894 and gives 2,036 ones and 2,060 zeros, so H(Y) = 0.99998
 *   bits, and H(X) = 12 bits since every pattern occurs once.
 *
 * @module
 */

/** The threshold on f(x) = ‖Σ xᵢ pᵢ‖² above which a pattern is labelled 1. */
export const TWELVE_BIT_THRESHOLD = 2.5;

/**
 * The 12 unit vectors: the vertices of a regular icosahedron.
 *
 * @example
 * ```ts
 * import { icosahedron } from "./twelve_bit.ts";
 * const p = icosahedron();
 * if (p.length !== 12 || p.some((v) => Math.abs(Math.hypot(...v) - 1) > 1e-12)) throw new Error();
 * ```
 */
export function icosahedron(): number[][] {
  const phi = (1 + Math.sqrt(5)) / 2;
  const norm = Math.sqrt(1 + phi * phi);
  const points: number[][] = [];
  for (const a of [-1, 1]) {
    for (const b of [-1, 1]) {
      points.push([0, a, b * phi], [a, b * phi, 0], [b * phi, 0, a]);
    }
  }
  return points.map((p) => p.map((v) => v / norm));
}

/** The 12-bit data set: inputs, labels, and each pattern's id (its binary number). */
export interface TwelveBit {
  /** 4,096 rows of 12 bits (0 or 1), pattern i is the binary digits of i, most significant first. */
  x: number[][];
  /** The labels, 0 or 1. */
  y: number[];
  /** Pattern ids 0 … 4,095, usable as the discrete X of an exact MI count. */
  ids: number[];
  /** f(x) for every pattern. */
  score: number[];
  /** The number of label classes: always 2. */
  classes: 2;
}

/**
 * Builds the 12-bit task (deterministic: no seed).
 *
 * @example
 * ```ts
 * import { twelveBit } from "./twelve_bit.ts";
 * const { x, y } = twelveBit();
 * if (x.length !== 4096 || x[0].length !== 12) throw new Error("all 4,096 patterns");
 * const ones = y.filter((v) => v === 1).length;
 * if (ones !== 2036) throw new Error(`labels close to balanced, got ${ones}`);
 * ```
 */
export function twelveBit(): TwelveBit {
  const points = icosahedron();
  const x: number[][] = [];
  const y: number[] = [];
  const ids: number[] = [];
  const score: number[] = [];
  for (let id = 0; id < 4096; id++) {
    const bits = Array.from({ length: 12 }, (_, i) => (id >> (11 - i)) & 1);
    const sum = [0, 0, 0];
    bits.forEach((bit, i) => {
      if (bit) { for (let k = 0; k < 3; k++) sum[k] += points[i][k]; }
    });
    const f = sum[0] ** 2 + sum[1] ** 2 + sum[2] ** 2;
    x.push(bits);
    y.push(f > TWELVE_BIT_THRESHOLD ? 1 : 0);
    ids.push(id);
    score.push(f);
  }
  return { x, y, ids, score, classes: 2 };
}
