/**
 * One band of a matrix product, run in blocks of {@linkcode STEP_BLOCK}
 * steps (the summed dimension) so that the panels of A and B a block reads
 * stay in cache. Used by the arena's own thread (gemm.ts) and by each
 * helper (gemm_worker.ts) alike.
 *
 * Bit-identical to one kernel call: the kernel adds the steps into its
 * float32 accumulators in order, and a block that starts from C's stored
 * float32 values continues exactly where the last one stopped. The start
 * (bias or C) applies to the first block only, ReLU and the gate to the
 * last.
 *
 * @module
 */

/** The kernel's `gemm` export (see tools/gemm_wat.ts for its arguments). */
export type GemmKernel = (
  a: number,
  ars: number,
  ass: number,
  b: number,
  c: number,
  rows: number,
  steps: number,
  cols: number,
  init: number,
  bias: number,
  relu: number,
  gate: number,
) => void;

/**
 * Steps per block. Aᵀ·B over many rows (a weight gradient xᵀ·δ, A read
 * through a stride) streams both operands once per 3 × 12 block of C; in
 * blocks of 128 steps the panels (128 × 100 floats each at width 100) stay
 * in L2. Measured on the 2-core machine in CPU time (best of 9, under load;
 * bench/README.md, issue 23), 100 × n · 100 with A transposed: n = 512
 * 0.254 ms in one call against 0.257 in blocks of 128, n = 2,048 1.21
 * against 1.06, n = 8,192 7.70 against 4.91 (64: 5.07, 256: 5.47).
 */
export const STEP_BLOCK = 128;

/**
 * `gemm` with the arguments of one kernel call, in blocks of
 * {@linkcode STEP_BLOCK} steps when there are more; the same result, bit for
 * bit.
 *
 * @example
 * ```ts
 * import { gemmInStepBlocks } from "./gemm_steps.ts";
 * // A stand-in kernel that records its calls: 300 steps make 3 blocks.
 * const calls: number[][] = [];
 * gemmInStepBlocks((...args) => calls.push(args), 0, 1, 300, 4000, 64, 2, 300, 1, 0, 128, 1, 0);
 * if (calls.map((c) => c[6]).join() !== "128,128,44") throw new Error("blocks");
 * if (calls[0][9] !== 128 || calls[1][9] !== 0 || calls[1][8] !== 1) throw new Error("start");
 * if (calls[0][10] !== 0 || calls[2][10] !== 1) throw new Error("relu last");
 * ```
 */
export function gemmInStepBlocks(
  gemm: GemmKernel,
  a: number,
  ars: number,
  ass: number,
  b: number,
  c: number,
  rows: number,
  steps: number,
  cols: number,
  init: number,
  bias: number,
  relu: number,
  gate: number,
): void {
  if (steps <= STEP_BLOCK) {
    gemm(a, ars, ass, b, c, rows, steps, cols, init, bias, relu, gate);
    return;
  }
  for (let s = 0; s < steps; s += STEP_BLOCK) {
    const n = Math.min(STEP_BLOCK, steps - s);
    const first = s === 0;
    const last = s + n === steps;
    gemm(
      a + s * ass * 4,
      ars,
      ass,
      b + s * cols * 4,
      c,
      rows,
      n,
      cols,
      first ? init : 1,
      first ? bias : 0,
      last ? relu : 0,
      last ? gate : 0,
    );
  }
}
