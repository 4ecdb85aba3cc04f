/**
 * The fast trainer for separable critics T(x, y) = g(x)ᵀh(y) on the
 * score-matrix bounds (Poole et al. 2019), on the matrix kernel: one batch
 * gives the n × n matrix S = G Hᵀ, with the joint pairs on the diagonal and
 * every other entry a product-of-marginals pair. The loss's derivative dS
 * is written out per bound (`score_matrix.ts`), then dG = dS H and
 * dH = dSᵀ G go back through the two {@linkcode KernelMlp}s, which share
 * one kernel arena with S.
 *
 * @module
 */

import { Arena } from "../_kernels/gemm.ts";
import { Random } from "../space/random.ts";
import type { MatrixBound } from "./_bounds.ts";
import type { CriticActivation } from "./_critic.ts";
import { Adam, KernelMlp } from "./_kernel_mlp.ts";
import { matrixStep } from "./_score_matrix.ts";

/**
 * The objective and read-out: InfoNCE and NWJ train on their own bound;
 * SMILE trains on the Jensen-Shannon objective and reads out the clipped
 * DV bound.
 */
export type { MatrixBound };

/**
 * A separable critic trained by {@linkcode SeparableTrainer.step}.
 *
 * @example
 * ```ts
 * import { SeparableTrainer } from "./_separable_trainer.ts";
 * const t = new SeparableTrainer(1, 1, {
 *   bound: "infonce", hidden: [16], embedding: 4, learningRate: 1e-2, seed: 0,
 * });
 * const { x, y } = t.inputs(4, 4);
 * x.set([0, 1, 2, 3]);
 * y.set([0.1, 1.1, 1.9, 3.2]);
 * const bound = t.step(4);
 * if (!(bound <= Math.log(4))) throw new Error("InfoNCE stays under log n");
 * ```
 */
export class SeparableTrainer {
  readonly g: KernelMlp;
  readonly h: KernelMlp;
  readonly bound: MatrixBound;
  readonly clip: number;
  readonly embedding: number;
  readonly #arena: Arena;
  readonly #adamG: Adam;
  readonly #adamH: Adam;
  /** Hᵀ, S and dS for up to #rows rows. */
  #rows = 0;
  #hT = 0;
  #s = 0;
  #ds = 0;

  constructor(
    dx: number,
    dy: number,
    options: {
      bound: MatrixBound;
      hidden: readonly number[];
      embedding: number;
      learningRate: number;
      activation?: CriticActivation;
      /** SMILE's τ. Default 5. */
      clip?: number;
      seed: number;
      /** Threads for large products (see `Arena`). Default 1. */
      threads?: number;
    },
  ) {
    this.#arena = new Arena({ threads: options.threads ?? 1 });
    this.bound = options.bound;
    this.clip = options.clip ?? 5;
    this.embedding = options.embedding;
    // g's weights then h's, from one stream.
    const r = new Random(options.seed, "critic-init");
    const act = options.activation ?? "relu";
    this.g = new KernelMlp(
      [dx, ...options.hidden, options.embedding],
      act,
      r,
      this.#arena,
    );
    this.h = new KernelMlp(
      [dy, ...options.hidden, options.embedding],
      act,
      r,
      this.#arena,
    );
    this.#adamG = new Adam(this.g.size, options.learningRate);
    this.#adamH = new Adam(this.h.size, options.learningRate);
  }

  #reserve(n: number): void {
    if (n <= this.#rows) return;
    this.#rows = Math.max(n, 2 * this.#rows);
    this.#hT = this.#arena.alloc(this.#rows * this.embedding);
    this.#s = this.#arena.alloc(this.#rows * this.#rows);
    this.#ds = this.#arena.alloc(this.#rows * this.#rows);
  }

  /** The buffers for `nx` rows of x and `ny` rows of y, to fill before a call. */
  inputs(nx: number, ny: number): { x: Float32Array; y: Float32Array } {
    this.#reserve(Math.max(nx, ny));
    // Both MLPs reserve first: a later reservation may grow the memory and
    // detach a view taken before it.
    this.g.outputAt(nx);
    this.h.outputAt(ny);
    return { x: this.g.input(nx), y: this.h.input(ny) };
  }

  /** S = G Hᵀ (nx × ny) of the rows in {@linkcode SeparableTrainer.inputs}, left in the arena. */
  #scores(nx: number, ny: number): number {
    const e = this.embedding;
    this.g.forward(nx);
    this.h.forward(ny);
    this.#arena.transpose(this.h.outputAt(ny), ny, e, this.#hT);
    this.#arena.gemm(this.g.outputAt(nx), e, 1, this.#hT, this.#s, nx, e, ny);
    return this.#s;
  }

  /** The score matrix S_ij = g(x_i)ᵀh(y_j) of the rows in {@linkcode SeparableTrainer.inputs} (a copy). */
  matrix(nx: number, ny: number): Float32Array {
    return this.#arena.f32(this.#scores(nx, ny), nx * ny).slice();
  }

  /**
   * The batch's read-out bound and the gradient of the training loss (the
   * negative objective) for the `n` aligned rows x_i, y_i in
   * {@linkcode SeparableTrainer.inputs}: g's entries, then h's (a copy).
   */
  gradient(n: number): { bound: number; grad: Float32Array } {
    const bound = this.#backward(n);
    const grad = new Float32Array(this.g.size + this.h.size);
    grad.set(this.g.grad);
    grad.set(this.h.grad, this.g.size);
    return { bound, grad };
  }

  /** Fills both MLPs' gradients for the `n` aligned rows; returns the read-out bound. */
  #backward(n: number): number {
    const a = this.#arena;
    const e = this.embedding;
    const sAt = this.#scores(n, n);
    const s = a.f32(sAt, n * n);
    const ds = a.f32(this.#ds, n * n);
    const bound = matrixStep(this.bound, s, n, this.clip, ds);
    // dG = dS·H; dH = dSᵀ·G (dS read transposed through its strides).
    a.gemm(
      this.#ds,
      n,
      1,
      this.h.outputAt(n),
      this.g.outputDeltaAt(n),
      n,
      n,
      e,
    );
    a.gemm(
      this.#ds,
      1,
      n,
      this.g.outputAt(n),
      this.h.outputDeltaAt(n),
      n,
      n,
      e,
    );
    this.g.backward(n);
    this.h.backward(n);
    return bound;
  }

  /** One Adam step on the `n` aligned rows in {@linkcode SeparableTrainer.inputs}; returns the batch's bound. */
  step(n: number): number {
    const bound = this.#backward(n);
    this.#adamG.apply(this.g.theta, this.g.grad);
    this.#adamH.apply(this.h.theta, this.h.grad);
    return bound;
  }

  /** Ends the arena's helper threads, if any (the memory goes with the object). */
  dispose(): void {
    this.#arena.close();
  }
}
