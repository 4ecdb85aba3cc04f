/**
 * The ways a critic is trained, behind one interface: hand-written fast
 * paths for the natural method and critic pairings, tfjs autodiff for the
 * rest. Used by `neural.ts` (a fixed sample, held-out split) and
 * `stream.ts` (fresh batches every step).
 *
 * @module
 */

import { tf } from "../nets/backend.ts";
import {
  dvPairs,
  jsMatrix,
  logMeanExp,
  type MatrixBound,
  matrixBound,
  mineSurrogate,
  nwjPairs,
} from "./_bounds.ts";
import { type Critic, makeCritic } from "./_critic.ts";
import { gatherRows } from "./_kernel_mlp.ts";
import type { NeuralMethod, NeuralSettings } from "./_neural_types.ts";
import { LogEma, type PairBound, PairTrainer } from "./_pair_trainer.ts";
import { SeparableTrainer } from "./_separable_trainer.ts";

/** The methods whose bounds read an n × n score matrix. */
export const MATRIX_METHODS: ReadonlySet<NeuralMethod> = new Set<NeuralMethod>([
  "nwj",
  "infonce",
  "smile",
]);

/** The training objective (to maximise) for one batch. */
function objective(
  method: NeuralMethod,
  critic: Critic,
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  yShuffled: tf.Tensor2D,
  logEma: tf.Scalar | null,
  tau: number,
): { train: tf.Scalar; bound: tf.Scalar; tm?: tf.Tensor } {
  if (MATRIX_METHODS.has(method)) {
    const s = critic.matrix(x, y);
    const bound = matrixBound(method as MatrixBound, s, tau);
    // SMILE trains on the Jensen-Shannon objective; the others on their bound.
    return { train: method === "smile" ? jsMatrix(s) : bound, bound };
  }
  const tj = critic.pairs(x, y);
  const tm = critic.pairs(x, yShuffled);
  switch (method) {
    case "mine":
      return {
        train: mineSurrogate(tj, tm, logEma as tf.Scalar),
        bound: dvPairs(tj, tm),
        tm,
      };
    case "mine-biased":
      return { train: dvPairs(tj, tm), bound: dvPairs(tj, tm) };
    default:
      return { train: nwjPairs(tj, tm), bound: nwjPairs(tj, tm) };
  }
}

/**
 * One way of training a critic: `step` takes the rows `idx` of the samples
 * `x`, `y` as aligned pairs (and for the pair bounds, the rows `idx2` whose
 * y is paired with x as marginal samples), takes one optimiser step and
 * returns the batch's bound (a number where the trainer runs outside tfjs,
 * otherwise a tensor not yet read back); `critic` evaluates.
 */
export interface CriticTrainer {
  critic: Critic;
  step(
    x: tf.Tensor2D,
    y: tf.Tensor2D,
    idx: Int32Array,
    idx2: Int32Array,
  ): tf.Scalar | number;
  dispose(): void;
}

/** What a trainer is built from. */
export interface TrainerContext extends
  Pick<
    NeuralSettings,
    "spec" | "lr" | "emaAlpha" | "tau" | "seed" | "threads"
  > {
  method: NeuralMethod;
  dx: number;
  dy: number;
}

const PAIR_BOUNDS: Record<string, PairBound> = {
  "mine": "mine-ema",
  "mine-biased": "dv",
  "mine-f": "nwj",
};

/** A tensor's values on the host, read once per tensor (training data is reused every step). */
function hostValues(): (t: tf.Tensor) => Float32Array {
  const cache = new WeakMap<tf.Tensor, Float32Array>();
  return (t) => {
    let v = cache.get(t);
    if (!v) cache.set(t, v = t.dataSync() as Float32Array);
    return v;
  };
}

/** Rows scored per kernel pass when a critic evaluates a whole split. */
const SCORE_CHUNK = 4096;

/** The MINE family on a concat critic: the hand-written {@linkcode PairTrainer}, with no tfjs op per step. */
function pairTrainer(c: TrainerContext): CriticTrainer {
  const [dx, dy] = [c.dx, c.dy];
  const d = dx + dy;
  const trainer = new PairTrainer(d, c.spec.hidden, {
    bound: PAIR_BOUNDS[c.method],
    learningRate: c.lr,
    activation: c.spec.activation,
    emaAlpha: c.emaAlpha,
    seed: c.seed,
    threads: c.threads,
  });
  const host = hostValues();
  /** Writes rows [x[xi[k]], y[yi[k]]] into the trainer's input from row `at`. */
  const fill = (
    rows: Float32Array,
    at: number,
    x: Float32Array,
    y: Float32Array,
    xi: ArrayLike<number>,
    yi: ArrayLike<number>,
  ) => {
    gatherRows(rows, d, 0, x, dx, xi, at);
    gatherRows(rows, d, dx, y, dy, yi, at);
  };
  return {
    critic: {
      variables: [],
      pairs: (x, y) => {
        const [xv, yv] = [
          x.dataSync() as Float32Array,
          y.dataSync() as Float32Array,
        ];
        const n = x.shape[0];
        const out = new Float32Array(n);
        for (let start = 0; start < n; start += SCORE_CHUNK) {
          const m = Math.min(SCORE_CHUNK, n - start);
          const at = Int32Array.from({ length: m }, (_, k) => start + k);
          fill(trainer.rows(m), 0, xv, yv, at, at);
          out.set(trainer.scores(m), start);
        }
        return tf.tensor2d(out, [n, 1]);
      },
      matrix: () => {
        throw new Error("a pair critic has no score matrix");
      },
      dispose: () => {},
    },
    step: (xs, ys, idx, idx2) => {
      // Joint rows [x_i, y_i] then marginal rows [x_i, y_σ(i)], in one pass.
      const b = idx.length;
      const rows = trainer.rows(2 * b);
      const [xv, yv] = [host(xs), host(ys)];
      fill(rows, 0, xv, yv, idx, idx);
      fill(rows, b, xv, yv, idx, idx2);
      return trainer.step(2 * b, b);
    },
    dispose: () => trainer.dispose(),
  };
}

/** nwj, infonce and smile on a separable critic: the hand-written {@linkcode SeparableTrainer}, with no tfjs op per step. */
function separableTrainer(c: TrainerContext): CriticTrainer {
  const trainer = new SeparableTrainer(c.dx, c.dy, {
    bound: c.method as MatrixBound,
    hidden: c.spec.hidden,
    embedding: c.spec.embedding,
    activation: c.spec.activation,
    learningRate: c.lr,
    clip: c.tau,
    seed: c.seed,
    threads: c.threads,
  });
  const host = hostValues();
  return {
    critic: {
      variables: [],
      pairs: () => {
        throw new Error("the matrix bounds read score matrices");
      },
      matrix: (x, y) => {
        const [nx, ny] = [x.shape[0], y.shape[0]];
        const inputs = trainer.inputs(nx, ny);
        inputs.x.set(x.dataSync());
        inputs.y.set(y.dataSync());
        return tf.tensor2d(trainer.matrix(nx, ny), [nx, ny]);
      },
      dispose: () => {},
    },
    step: (xs, ys, idx) => {
      const n = idx.length;
      const inputs = trainer.inputs(n, n);
      gatherRows(inputs.x, c.dx, 0, host(xs), c.dx, idx);
      gatherRows(inputs.y, c.dy, 0, host(ys), c.dy, idx);
      return trainer.step(n);
    },
    dispose: () => trainer.dispose(),
  };
}

/** Any other method and critic pairing: tfjs autodiff and its Adam. */
function autodiffTrainer(c: TrainerContext): CriticTrainer {
  const { method } = c;
  const critic = makeCritic(
    c.dx,
    c.dy,
    c.spec,
    c.seed,
  );
  const optimizer = tf.train.adam(c.lr);
  const ema = method === "mine" ? new LogEma(c.emaAlpha) : null;
  return {
    critic,
    step: (xs, ys, idx, idx2) =>
      tf.tidy(() => {
        const it = tf.tensor1d(idx, "int32");
        const x = tf.gather(xs, it) as tf.Tensor2D;
        const y = tf.gather(ys, it) as tf.Tensor2D;
        const yShuffled = MATRIX_METHODS.has(method)
          ? y
          : tf.gather(ys, tf.tensor1d(idx2, "int32")) as tf.Tensor2D;
        let bound: tf.Scalar | null = null;
        let tm: tf.Tensor | undefined;
        const { value, grads } = tf.variableGrads(() => {
          const o = objective(
            method,
            critic,
            x,
            y,
            yShuffled,
            ema?.current ?? null,
            c.tau,
          );
          bound = tf.keep(o.bound);
          tm = o.tm ? tf.keep(o.tm) : undefined;
          return tf.neg(o.train);
        }, critic.variables);
        value.dispose();
        optimizer.applyGradients(
          grads as unknown as Record<string, tf.Variable>,
        );
        if (tm) {
          ema?.update(logMeanExp(tm));
          // Kept out of variableGrads' scope, so no tidy frees it: free it here.
          (tm as tf.Tensor).dispose();
        }
        return bound!;
      }),
    dispose: () => {
      critic.dispose();
      optimizer.dispose();
      ema?.dispose();
    },
  };
}

/** The ways {@linkcode makeTrainer} can train a critic. */
export type TrainerKind = "pair-kernel" | "separable" | "autodiff";

/**
 * How a method and critic train on a tfjs backend. Where tfjs itself runs
 * on the CPU ("wasm", "cpu"), the natural pairings take the hand-written
 * trainers on our WebAssembly kernel, which are faster there: the MINE
 * family on concat critics, nwj, infonce and smile on separable ones. On
 * native and GPU backends, and for any other pairing, tfjs autodiff trains
 * the critic (on the device).
 */
export function trainerKind(
  method: NeuralMethod,
  critic: "concat" | "separable",
  backend: string,
): TrainerKind {
  if (backend !== "wasm" && backend !== "cpu") return "autodiff";
  const isMatrix = MATRIX_METHODS.has(method);
  if (!isMatrix && critic === "concat") return "pair-kernel";
  return isMatrix && critic === "separable" ? "separable" : "autodiff";
}

/** The trainer for a method and critic on the active backend ({@linkcode trainerKind}). */
export function makeTrainer(c: TrainerContext): CriticTrainer {
  switch (trainerKind(c.method, c.spec.kind, tf.getBackend())) {
    case "pair-kernel":
      return pairTrainer(c);
    case "separable":
      return separableTrainer(c);
    case "autodiff":
      return autodiffTrainer(c);
  }
}

/**
 * The per-step bounds of a training run, kept on the backend and read back
 * in blocks of `every`, so the loop never waits on a per-step read;
 * `onStep` is called for each step as its block is read.
 */
export class BoundTrace {
  /** The bounds read so far, one per step. */
  readonly values: number[] = [];
  readonly #pending: (tf.Scalar | number)[] = [];
  readonly #onStep?: (step: number, value: number) => void;
  readonly #every: number;

  constructor(onStep?: (step: number, value: number) => void, every = 100) {
    this.#onStep = onStep;
    this.#every = every;
  }

  /** Adds a step's bound (this object disposes a tensor). */
  push(bound: tf.Scalar | number): void {
    this.#pending.push(bound);
    if (this.#pending.length >= this.#every) this.flush();
  }

  /** Reads every pending bound back. */
  flush(): void {
    if (this.#pending.length === 0) return;
    const pending = [...this.#pending];
    const tensors = pending.filter((v): v is tf.Scalar =>
      typeof v !== "number"
    );
    const read = tensors.length
      ? tf.tidy(() => tf.stack(tensors).dataSync())
      : new Float32Array();
    this.dispose();
    let k = 0;
    for (const v of pending) {
      const value = typeof v === "number" ? v : read[k++];
      this.values.push(value);
      this.#onStep?.(this.values.length, value);
    }
  }

  /** Drops the bounds not yet read. */
  dispose(): void {
    tf.dispose(this.#pending.filter((v) => typeof v !== "number"));
    this.#pending.length = 0;
  }
}
