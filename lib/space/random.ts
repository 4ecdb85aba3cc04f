/**
 * Seeded random numbers for everything stochastic on the JavaScript side.
 *
 * The generator is xoshiro128** (Blackman & Vigna), seeded through
 * splitmix32 so that nearby seeds give unrelated streams. It is small, fast
 * with 32-bit integer arithmetic in V8, and passes BigCrush; doubles take 53
 * random bits from two outputs. Same seed, same stream, on every platform.
 *
 * @module
 */

import { InfolensError } from "../errors.ts";

/** The error raised for a seed that is not a safe integer, or bad draw bounds. */
export class RandomError extends InfolensError {
  /** Always "RandomError", so stack traces and logs name the class. */
  override name = "RandomError";
}

/** A seed: any safe integer. */
export type Seed = number;

function checkSeed(seed: unknown): number {
  if (typeof seed !== "number" || !Number.isSafeInteger(seed)) {
    throw new RandomError(
      `seed must be a safe integer (e.g. 0, 42), got ${String(seed)}`,
    );
  }
  return seed;
}

function splitmix32(state: number): () => number {
  let s = state | 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** The position of a {@linkcode Random} stream (see `Random.state`). */
export interface RandomState {
  /** xoshiro128**'s four 32-bit state words. */
  words: [number, number, number, number];
  /** The second normal of the last Box-Muller pair, not yet drawn (or null). */
  spareNormal: number | null;
}

/**
 * A seeded random number generator.
 *
 * @example
 * ```ts
 * import { Random } from "./random.ts";
 * const a = new Random(42);
 * const b = new Random(42);
 * if (a.uniform() !== b.uniform()) throw new Error("same seed, same stream");
 * const k = a.integer(0, 10); // 0 <= k < 10
 * if (k < 0 || k >= 10) throw new Error("out of range");
 * ```
 */
export class Random {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;
  #spareNormal: number | null = null;
  /** The seed this generator started from. */
  readonly seed: number;

  /**
   * Starts a stream from `seed` (a safe integer). A `stream` name gives an
   * independent stream from the same seed, so that one seed can drive
   * several purposes (sampling, jitter, shuffling) without the streams
   * repeating each other.
   */
  constructor(seed: Seed, stream?: string) {
    this.seed = checkSeed(seed);
    // Fold the high bits in so that seeds above 2^32 still differ.
    const hi = Math.floor(seed / 0x100000000);
    const salt = stream === undefined ? 0 : fnv1a(stream);
    const init = splitmix32(
      ((seed | 0) ^ Math.imul(hi | 0, 0x27d4eb2d)) +
        Math.imul(salt, 0x9e3779b1),
    );
    if (salt !== 0) init(); // step once more so stream names never alias a plain seed
    this.#s0 = init();
    this.#s1 = init();
    this.#s2 = init();
    this.#s3 = init();
    if ((this.#s0 | this.#s1 | this.#s2 | this.#s3) === 0) this.#s0 = 1;
  }

  /**
   * Where the stream stands, as plain JSON: {@linkcode Random.setState} on
   * any generator continues it exactly (how a resumed search picks up its
   * stream without redrawing it).
   *
   * @example
   * ```ts
   * import { Random } from "./random.ts";
   * const a = new Random(7);
   * a.normal();
   * const b = new Random(0);
   * b.setState(a.state());
   * if (a.uniform() !== b.uniform()) throw new Error();
   * ```
   */
  state(): RandomState {
    return {
      words: [this.#s0, this.#s1, this.#s2, this.#s3],
      spareNormal: this.#spareNormal,
    };
  }

  /** Continues the stream a {@linkcode Random.state} describes. */
  setState(state: RandomState): void {
    [this.#s0, this.#s1, this.#s2, this.#s3] = state.words;
    this.#spareNormal = state.spareNormal;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s0 = this.#s0, s1 = this.#s1, s2 = this.#s2, s3 = this.#s3;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.#s2 = s2 ^ s0;
    this.#s3 = s3 ^ s1;
    this.#s1 = s1 ^ this.#s2;
    this.#s0 = s0 ^ this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return r;
  }

  /** A double uniform on [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform on [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.random();
  }

  /** Normal with the given mean and standard deviation (Box-Muller). */
  normal(mean = 0, std = 1): number {
    if (this.#spareNormal !== null) {
      const z = this.#spareNormal;
      this.#spareNormal = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /**
   * A uniform integer in [low, high) (high excluded, as numpy's
   * `integers`), without modulo bias.
   */
  integer(low: number, high: number): number {
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) {
      throw new TypeError(
        `integer(low, high) needs safe integers, got ${low}, ${high}`,
      );
    }
    const span = high - low;
    if (span <= 0) {
      throw new RangeError(
        `integer(low, high) needs low < high, got ${low} >= ${high}`,
      );
    }
    if (span <= 0x100000000) {
      // Rejection sampling on 32 bits.
      const limit = 0x100000000 - (0x100000000 % span);
      let x = this.nextUint32();
      while (x >= limit) x = this.nextUint32();
      return low + (x % span);
    }
    return low + Math.floor(this.random() * span);
  }

  /** One element of a non-empty array, uniformly. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) {
      throw new RangeError("choice() needs a non-empty array");
    }
    return items[this.integer(0, items.length)];
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.integer(0, i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): number[] {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(
        `permutation(n) needs a non-negative integer, got ${n}`,
      );
    }
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /**
   * Gamma with the given shape (and scale 1), by Marsaglia & Tsang (2000);
   * shape < 1 through the boost x · U^(1/shape).
   */
  gamma(shape: number): number {
    if (!(shape > 0) || !Number.isFinite(shape)) {
      throw new RangeError(
        `gamma shape must be a positive number, got ${shape}`,
      );
    }
    if (shape < 1) {
      let u = 0;
      while (u === 0) u = this.random();
      return this.gamma(shape + 1) * Math.pow(u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number, v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.random();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Chi-squared with `df` degrees of freedom. */
  chiSquared(df: number): number {
    return 2 * this.gamma(df / 2);
  }

  /** `n` uniforms on [low, high). */
  uniforms(n: number, low = 0, high = 1): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.uniform(low, high);
    return out;
  }

  /** `n` normals with the given mean and standard deviation. */
  normals(n: number, mean = 0, std = 1): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal(mean, std);
    return out;
  }

  /**
   * A new generator whose stream is independent of this one, derived from
   * this generator's state (advances this generator by two draws).
   */
  spawn(): Random {
    return new Random(
      this.nextUint32() * 0x200000 + (this.nextUint32() >>> 11),
    );
  }
}

/** 32-bit FNV-1a hash of a string, never 0. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return (h >>> 0) || 1;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A generator from a seed, or the generator itself when one is passed, so
 * that functions can take `seed | Random`.
 *
 * @example
 * ```ts
 * import { rng } from "./random.ts";
 * const r = rng(7);
 * if (rng(r) !== r) throw new Error("passes generators through");
 * ```
 */
export function rng(seed: Seed | Random): Random {
  return seed instanceof Random ? seed : new Random(seed);
}
