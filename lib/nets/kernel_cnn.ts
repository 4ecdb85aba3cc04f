/**
 * The CNNs of {@linkcode buildNetwork} ("same" convolutions, ReLU, no
 * pooling, a linear read-out) run on our WebAssembly matrix kernel instead
 * of tfjs: every convolution is an im2col copy and one `Arena.gemm`, the
 * backward pass three more products per layer, and nothing goes through a
 * tfjs op.
 *
 * Why: tfjs-wasm's Conv3D (the form infolens's CNNs train through) costs
 * seconds per batch at the thesis's widths (bench/README.md, "conv"),
 * while the same arithmetic as products runs at the kernel's speed.
 *
 * Layout: activations are channels-last (n × h × w × c, row-major, which is
 * what the tfjs model's flat rows reshape to); θ is one flat vector in
 * `model.getWeights()` order: per conv layer its kernel (k × k × cᵢₙ × cₒᵤₜ)
 * then its bias, then the read-out's kernel (features × classes) and bias.
 *
 * @module
 */

import { Arena } from "../_kernels/gemm.ts";
import {
  type CnnArchitecture,
  NetError,
  validateArchitecture,
} from "./architecture.ts";

/** One conv layer's sizes and where its parameters sit in θ (floats). */
interface ConvLayer {
  cin: number;
  cout: number;
  w: number;
  b: number;
}

/** Extras of {@linkcode KernelCnn.backward}. */
export interface BackwardOptions {
  /**
   * `stageDeltas[l]`, where given, is a further loss's derivative with
   * respect to conv layer l's output (n × h·w·filters, as
   * `KernelCnn.activation`), e.g. a representation-alignment term; it is
   * added before ReLU's gate.
   */
  stageDeltas?: readonly (Float32Array | undefined)[];
  /**
   * Called with each conv layer's ∂loss/∂z (z its pre-activation output;
   * n × h·w·filters, a live view valid during the call), last layer first.
   */
  onDelta?: (layer: number, dz: Float32Array) => void;
  /** Also compute ∂loss/∂input (read it with `KernelCnn.inputDelta`). */
  inputGradient?: boolean;
}

/**
 * Throws a {@linkcode NetError} unless the kernel CNN can run `a`: ReLU,
 * pooling "none", no hidden dense layers (the thesis's CNN space).
 */
export function checkKernelCnn(a: CnnArchitecture): void {
  validateArchitecture(a);
  if (a.kind !== "cnn") {
    throw new NetError(`the kernel CNN runs CNN architectures, got ${a.kind}`);
  }
  const unsupported = [
    a.activation !== "relu" ? `activation "${a.activation}"` : "",
    (a.pooling ?? "max") !== "none" ? `pooling "${a.pooling ?? "max"}"` : "",
    (a.dense ?? []).length > 0 ? "hidden dense layers" : "",
  ].filter((s) => s);
  if (unsupported.length > 0) {
    throw new NetError(
      `the kernel CNN runs ReLU convolutions without pooling or hidden dense layers; this architecture has ${
        unsupported.join(", ")
      } (train it with trainNetwork)`,
    );
  }
}

/**
 * Copies the k × k neighbourhood of every pixel of `n` channels-last
 * images (h × w × c) into one row of `dst` (n·h·w rows of k·k·c, ordered
 * ky, kx, channel), with zeros outside the image; `pad` is the offset of
 * the kernel's first row and column (tfjs "same": ⌊(k − 1)/2⌋).
 */
function im2col(
  src: Float32Array,
  dst: Float32Array,
  n: number,
  h: number,
  w: number,
  c: number,
  k: number,
  pad: number,
): void {
  const kc = k * c;
  let o = 0;
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        // The columns kx0 … kx1 − 1 lie inside the image: one contiguous run.
        const kx0 = Math.max(0, pad - x);
        const kx1 = Math.min(k, w + pad - x);
        for (let ky = 0; ky < k; ky++, o += kc) {
          const sy = y + ky - pad;
          if (sy < 0 || sy >= h || kx1 <= kx0) {
            dst.fill(0, o, o + kc);
            continue;
          }
          const from = ((i * h + sy) * w + x + kx0 - pad) * c;
          const lead = kx0 * c;
          const run = (kx1 - kx0) * c;
          if (lead > 0) dst.fill(0, o, o + lead);
          for (let j = 0; j < run; j++) dst[o + lead + j] = src[from + j];
          if (lead + run < kc) dst.fill(0, o + lead + run, o + kc);
        }
      }
    }
  }
}

/**
 * A CNN of {@linkcode buildNetwork}'s kind on the matrix kernel: forward
 * pass, softmax cross-entropy and backward pass on float32 buffers.
 *
 * Use: {@linkcode KernelCnn.input} (write `n` flat rows), then
 * {@linkcode KernelCnn.forward}, {@linkcode KernelCnn.loss} with the labels
 * (it also sets the logits' derivative), {@linkcode KernelCnn.backward}:
 * {@linkcode KernelCnn.grad} then holds ∂(mean cross-entropy)/∂θ. Passes
 * take at most {@linkcode KernelCnn.capacity} rows.
 *
 * @example
 * ```ts
 * import { KernelCnn } from "./kernel_cnn.ts";
 * const cnn = new KernelCnn({
 *   kind: "cnn", inputShape: [4, 4, 1], filters: [3, 2], pooling: "none",
 *   outputs: 2, activation: "relu",
 * }, 8);
 * cnn.theta.forEach((_, i, t) => (t[i] = Math.sin(i)));
 * cnn.input(2).fill(0.5);
 * cnn.forward(2);
 * const { loss } = cnn.loss(2, [0, 1]);
 * cnn.backward(2);
 * if (!(loss > 0) || !cnn.grad.some((g) => g !== 0)) throw new Error();
 * ```
 */
export class KernelCnn {
  /** The architecture run. */
  readonly architecture: CnnArchitecture;
  /** Trainable parameters (θ's length), as tfjs counts them. */
  readonly size: number;
  /** The most rows one pass takes. */
  readonly capacity: number;
  readonly #arena: Arena;
  readonly #k: number;
  readonly #h: number;
  readonly #w: number;
  readonly #pad: number;
  readonly #layers: ConvLayer[] = [];
  readonly #head: { inputs: number; outputs: number; w: number; b: number };
  readonly #theta: number;
  readonly #grad: number;
  /** acts[0]: the input; acts[l + 1]: conv layer l's output (after ReLU). */
  readonly #acts: number[];
  /** Per conv layer: its input's im2col rows from the last forward pass. */
  readonly #cols: number[];
  /** The output deltas' im2col rows (backward). */
  readonly #dcols: number;
  /** Two deltas (capacity·h·w × widest channels), used in turn. */
  readonly #deltas: [number, number];
  /** A flipped or transposed weight matrix (backward). */
  readonly #wT: number;
  readonly #logits: number;
  readonly #dlogits: number;
  readonly #ones: number;
  readonly #dinput: number;

  /**
   * `capacity`: the most rows a pass takes (the batch size; forward passes
   * over more rows go in chunks). `threads` > 1 splits large products over
   * helper threads (bit-identical results).
   */
  constructor(architecture: CnnArchitecture, capacity: number, threads = 1) {
    checkKernelCnn(architecture);
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new NetError(
        `capacity must be a positive integer, got ${capacity}`,
      );
    }
    this.architecture = architecture;
    this.capacity = capacity;
    this.#arena = new Arena({ threads });
    const [h, w, c0] = architecture.inputShape;
    const k = architecture.kernelSize ?? 3;
    [this.#h, this.#w, this.#k] = [h, w, k];
    this.#pad = Math.floor((k - 1) / 2);
    let at = 0;
    let cin = c0;
    for (const cout of architecture.filters) {
      const layer = { cin, cout, w: at, b: at + k * k * cin * cout };
      this.#layers.push(layer);
      at = layer.b + cout;
      cin = cout;
    }
    const features = h * w * cin;
    const classes = architecture.outputs;
    this.#head = {
      inputs: features,
      outputs: classes,
      w: at,
      b: at + features * classes,
    };
    this.size = this.#head.b + classes;
    const a = this.#arena;
    const pixels = capacity * h * w;
    const widest = Math.max(c0, ...architecture.filters);
    this.#theta = a.alloc(this.size);
    this.#grad = a.alloc(this.size);
    this.#acts = [c0, ...architecture.filters].map((c) => a.alloc(pixels * c));
    this.#cols = this.#layers.map((l) => a.alloc(pixels * k * k * l.cin));
    this.#dcols = a.alloc(pixels * k * k * widest);
    this.#deltas = [a.alloc(pixels * widest), a.alloc(pixels * widest)];
    this.#wT = a.alloc(Math.max(k * k * widest * widest, features * classes));
    this.#logits = a.alloc(capacity * classes);
    this.#dlogits = a.alloc(capacity * classes);
    this.#dinput = a.alloc(pixels * c0);
    this.#ones = a.alloc(pixels);
    a.f32(this.#ones, pixels).fill(1);
  }

  /** θ, a live view (writable: optimisers update it in place). */
  get theta(): Float32Array {
    return this.#arena.f32(this.#theta, this.size);
  }

  /** ∂loss/∂θ from the last {@linkcode KernelCnn.backward}, a live view. */
  get grad(): Float32Array {
    return this.#arena.f32(this.#grad, this.size);
  }

  /**
   * The lengths of θ's parts in `model.getWeights()` order (per conv
   * layer kernel and bias, then the read-out's kernel and bias).
   */
  get parts(): number[] {
    const k2 = this.#k * this.#k;
    return [
      ...this.#layers.flatMap((l) => [k2 * l.cin * l.cout, l.cout]),
      this.#head.inputs * this.#head.outputs,
      this.#head.outputs,
    ];
  }

  /** Sets θ from arrays in `model.getWeights()` order (e.g. a built tfjs network's). */
  setWeights(weights: readonly ArrayLike<number>[]): void {
    const parts = this.parts;
    if (
      weights.length !== parts.length ||
      weights.some((w, i) => w.length !== parts[i])
    ) {
      throw new NetError(
        `setWeights needs ${parts.length} arrays of lengths [${parts}], got [${
          weights.map((w) => w.length)
        }]`,
      );
    }
    const theta = this.theta;
    let at = 0;
    for (const w of weights) {
      theta.set(w, at);
      at += w.length;
    }
  }

  #check(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > this.capacity) {
      throw new NetError(
        `a pass takes 1 to ${this.capacity} rows (the capacity), got ${n}`,
      );
    }
  }

  /** The buffer for `n` flat input rows (channels last), to fill before {@linkcode KernelCnn.forward}. */
  input(n: number): Float32Array {
    this.#check(n);
    return this.#arena.f32(this.#acts[0], n * this.#h * this.#w * this.#c(0));
  }

  /** Channels of activation `l` (0: the input). */
  #c(l: number): number {
    return l === 0 ? this.#layers[0].cin : this.#layers[l - 1].cout;
  }

  /**
   * Conv layer `l`'s output (0-based; after ReLU) from the last forward
   * pass over `n` rows, a live view (n × h·w·filters, channels last).
   */
  activation(l: number, n: number): Float32Array {
    return this.#arena.f32(
      this.#acts[l + 1],
      n * this.#h * this.#w * this.#c(l + 1),
    );
  }

  /** The logits of the last forward pass over `n` rows, a live view (n × classes). */
  logits(n: number): Float32Array {
    return this.#arena.f32(this.#logits, n * this.#head.outputs);
  }

  /** Runs the `n` rows in {@linkcode KernelCnn.input} forward; returns {@linkcode KernelCnn.logits}. */
  forward(n: number): Float32Array {
    this.#check(n);
    const a = this.#arena;
    const [h, w, k] = [this.#h, this.#w, this.#k];
    const pixels = n * h * w;
    for (const [l, layer] of this.#layers.entries()) {
      const steps = k * k * layer.cin;
      im2col(
        a.f32(this.#acts[l], pixels * layer.cin),
        a.f32(this.#cols[l], pixels * steps),
        n,
        h,
        w,
        layer.cin,
        k,
        this.#pad,
      );
      a.gemm(
        this.#cols[l],
        steps,
        1,
        this.#theta + 4 * layer.w,
        this.#acts[l + 1],
        pixels,
        steps,
        layer.cout,
        { bias: this.#theta + 4 * layer.b, relu: true },
      );
    }
    const head = this.#head;
    a.gemm(
      this.#acts[this.#layers.length],
      head.inputs,
      1,
      this.#theta + 4 * head.w,
      this.#logits,
      n,
      head.inputs,
      head.outputs,
      { bias: this.#theta + 4 * head.b },
    );
    return this.logits(n);
  }

  /**
   * Mean softmax cross-entropy of the last forward pass over `n` rows
   * against `labels` (class ids), and how many rows the logits classify
   * right (the first largest logit, as tfjs's argMax); sets the logits'
   * derivative for {@linkcode KernelCnn.backward}.
   */
  loss(
    n: number,
    labels: ArrayLike<number>,
  ): { loss: number; correct: number } {
    const classes = this.#head.outputs;
    const z = this.logits(n);
    const dz = this.#arena.f32(this.#dlogits, n * classes);
    let total = 0;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const row = i * classes;
      let best = 0;
      for (let c = 1; c < classes; c++) {
        if (z[row + c] > z[row + best]) best = c;
      }
      if (best === labels[i]) correct++;
      const max = z[row + best];
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(z[row + c] - max);
      const logSum = max + Math.log(sum);
      total += logSum - z[row + labels[i]];
      for (let c = 0; c < classes; c++) {
        dz[row + c] = (Math.exp(z[row + c] - logSum) -
          (c === labels[i] ? 1 : 0)) / n;
      }
    }
    return { loss: total / n, correct };
  }

  /**
   * ∂loss/∂logits of `n` rows, a live view: {@linkcode KernelCnn.loss} sets
   * it to the mean cross-entropy's; a caller with another loss on the
   * logits scales or overwrites it before {@linkcode KernelCnn.backward}.
   */
  logitsDelta(n: number): Float32Array {
    return this.#arena.f32(this.#dlogits, n * this.#head.outputs);
  }

  /**
   * ∂loss/∂θ into {@linkcode KernelCnn.grad}, from the last forward pass
   * and {@linkcode KernelCnn.logitsDelta} over `n` rows (see
   * {@linkcode BackwardOptions} for the extras).
   */
  backward(n: number, options: BackwardOptions = {}): void {
    const { stageDeltas, onDelta } = options;
    this.#check(n);
    const a = this.#arena;
    const [h, w, k] = [this.#h, this.#w, this.#k];
    const pixels = n * h * w;
    const head = this.#head;
    const last = this.#acts[this.#layers.length];
    let [delta, spare] = this.#deltas;
    // Read-out: dW = featuresᵀ·dz, db = 1ᵀ·dz, δ = (dz·Wᵀ) gated by ReLU.
    a.gemm(
      last,
      1,
      head.inputs,
      this.#dlogits,
      this.#grad + 4 * head.w,
      head.inputs,
      n,
      head.outputs,
    );
    a.gemm(
      this.#ones,
      0,
      1,
      this.#dlogits,
      this.#grad + 4 * head.b,
      1,
      n,
      head.outputs,
    );
    a.transpose(this.#theta + 4 * head.w, head.inputs, head.outputs, this.#wT);
    const layers = this.#layers.length;
    a.gemm(
      this.#dlogits,
      head.outputs,
      1,
      this.#wT,
      delta,
      n,
      head.outputs,
      head.inputs,
      { gate: stageDeltas?.[layers - 1] ? undefined : last },
    );
    this.#addStageDelta(
      stageDeltas?.[layers - 1],
      delta,
      last,
      n * head.inputs,
    );
    for (let l = this.#layers.length - 1; l >= 0; l--) {
      const { cin, cout } = this.#layers[l];
      const steps = k * k * cin;
      onDelta?.(l, a.f32(delta, pixels * cout));
      // dW = colsᵀ·δ (cols read transposed through its strides), db = 1ᵀ·δ.
      a.gemm(
        this.#cols[l],
        1,
        steps,
        delta,
        this.#grad + 4 * this.#layers[l].w,
        steps,
        pixels,
        cout,
      );
      a.gemm(
        this.#ones,
        0,
        1,
        delta,
        this.#grad + 4 * this.#layers[l].b,
        1,
        pixels,
        cout,
      );
      if (l === 0 && !options.inputGradient) break;
      // δ of the input: a "same" convolution of δ with the kernel flipped in
      // space and its channels swapped, padded on the other side; the
      // input's ReLU gates it in the product (the network's input has none).
      const into = l === 0 ? this.#dinput : spare;
      const flipped = this.#flip(l);
      im2col(
        a.f32(delta, pixels * cout),
        a.f32(this.#dcols, pixels * k * k * cout),
        n,
        h,
        w,
        cout,
        k,
        k - 1 - this.#pad,
      );
      a.gemm(
        this.#dcols,
        k * k * cout,
        1,
        flipped,
        into,
        pixels,
        k * k * cout,
        cin,
        { gate: l === 0 || stageDeltas?.[l - 1] ? undefined : this.#acts[l] },
      );
      if (l === 0) break;
      this.#addStageDelta(
        stageDeltas?.[l - 1],
        spare,
        this.#acts[l],
        pixels * cin,
      );
      [delta, spare] = [spare, delta];
    }
  }

  /**
   * ∂loss/∂input of the last {@linkcode KernelCnn.backward} over `n` rows
   * run with `inputGradient`, a live view (n flat rows, as
   * {@linkcode KernelCnn.input}).
   */
  inputDelta(n: number): Float32Array {
    return this.#arena.f32(this.#dinput, n * this.#h * this.#w * this.#c(0));
  }

  /** δ += extra, then zero δ where the ReLU output is not above zero (the gate the product skipped). */
  #addStageDelta(
    extra: Float32Array | undefined,
    delta: number,
    output: number,
    size: number,
  ): void {
    if (!extra) return;
    if (extra.length !== size) {
      throw new NetError(
        `a stage delta must hold ${size} numbers (rows × units), got ${extra.length}`,
      );
    }
    const d = this.#arena.f32(delta, size);
    const y = this.#arena.f32(output, size);
    for (let i = 0; i < size; i++) d[i] = y[i] > 0 ? d[i] + extra[i] : 0;
  }

  /** Writes layer l's kernel as [k − 1 − ky][k − 1 − kx][cout][cin] into the scratch; returns it. */
  #flip(l: number): number {
    const { cin, cout, w } = this.#layers[l];
    const k = this.#k;
    const from = this.#arena.f32(this.#theta + 4 * w, k * k * cin * cout);
    const to = this.#arena.f32(this.#wT, k * k * cin * cout);
    for (let ky = 0; ky < k; ky++) {
      for (let kx = 0; kx < k; kx++) {
        const src = (ky * k + kx) * cin * cout;
        const dst = ((k - 1 - ky) * k + (k - 1 - kx)) * cout * cin;
        for (let i = 0; i < cin; i++) {
          for (let o = 0; o < cout; o++) {
            to[dst + o * cin + i] = from[src + i * cout + o];
          }
        }
      }
    }
    return this.#wT;
  }

  /** Ends the arena's helper threads, if any. */
  close(): void {
    this.#arena.close();
  }
}
