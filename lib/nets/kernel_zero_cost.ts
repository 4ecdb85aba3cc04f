/**
 * NASLib's gradient and activation zero-cost proxies (synflow, snip,
 * grad_norm, fisher, jacov, naswot; definitions in `zero_cost.ts`) for the
 * CNNs `KernelCnn` runs, computed with the kernel's passes instead of tfjs:
 * the same numbers as `zeroCostProxies` up to float32 rounding
 * (tested), at the kernel's speed. `params` and `flops` need no pass; take
 * them from `zeroCostProxies`.
 *
 * @module
 */

import type { CnnArchitecture } from "./architecture.ts";
import { KernelCnn } from "./kernel_cnn.ts";
import {
  corrcoef,
  logAbsDet,
  symmetricEigenvalues,
  ZERO_COST_PROXIES,
  ZeroCostError,
  type ZeroCostProxy,
} from "./zero_cost.ts";

/** The proxies {@linkcode kernelZeroCostProxies} computes, in its order. */
export const KERNEL_ZERO_COST_PROXIES: readonly ZeroCostProxy[] =
  ZERO_COST_PROXIES.filter((p) => p !== "params" && p !== "flops");

/** Options of {@linkcode kernelZeroCostProxies}. */
export interface KernelZeroCostOptions {
  /** Which proxies; default {@linkcode KERNEL_ZERO_COST_PROXIES}. */
  proxies?: readonly ZeroCostProxy[];
}

/**
 * The zero-cost proxies of a CNN with the given weights
 * (`model.getWeights()` order) on one batch of flat rows and labels.
 *
 * @example
 * ```ts
 * import { kernelZeroCostProxies } from "./kernel_zero_cost.ts";
 * import { buildNetwork, type CnnArchitecture } from "./architecture.ts";
 * import { setBackend } from "./backend.ts";
 * await setBackend("cpu");
 * const a: CnnArchitecture = { kind: "cnn", inputShape: [4, 4, 1], filters: [3, 2], pooling: "none", outputs: 2, activation: "relu" };
 * const net = buildNetwork(a, 1);
 * const x = Array.from({ length: 6 }, (_, i) => Array.from({ length: 16 }, (_, j) => Math.sin(i + j)));
 * const p = kernelZeroCostProxies(a, net.model.getWeights().map((w) => w.dataSync()), { x, y: [0, 1, 0, 1, 0, 1] });
 * if (!(p.snip! > 0 && Number.isFinite(p.naswot!))) throw new Error(JSON.stringify(p));
 * net.dispose();
 * ```
 */
export function kernelZeroCostProxies(
  architecture: CnnArchitecture,
  weights: readonly ArrayLike<number>[],
  batch: { x: readonly (readonly number[])[]; y: ArrayLike<number> },
  options: KernelZeroCostOptions = {},
): Partial<Record<ZeroCostProxy, number>> {
  const wanted = options.proxies ?? KERNEL_ZERO_COST_PROXIES;
  for (const p of wanted) {
    if (!KERNEL_ZERO_COST_PROXIES.includes(p)) {
      throw new ZeroCostError(
        `the kernel computes ${
          KERNEL_ZERO_COST_PROXIES.join(", ")
        }; "${p}" comes from zeroCostProxies`,
      );
    }
  }
  const n = batch.x.length;
  if (batch.y.length !== n || n < 1) {
    throw new ZeroCostError(
      `the batch has ${n} inputs but ${batch.y.length} labels`,
    );
  }
  const cnn = new KernelCnn(architecture, n);
  const d = batch.x[0].length;
  const x = new Float32Array(n * d);
  batch.x.forEach((r, i) => x.set(r, i * d));
  const y = Array.from(batch.y);
  // θ's parts alternate kernel, bias: only kernels are scored.
  const kernels = (() => {
    const out: [number, number][] = [];
    let at = 0;
    cnn.parts.forEach((len, i) => {
      if (i % 2 === 0) out.push([at, len]);
      at += len;
    });
    return out;
  })();
  const out: Partial<Record<ZeroCostProxy, number>> = {};
  const forward = () => {
    cnn.setWeights(weights);
    cnn.input(n).set(x);
    cnn.forward(n);
  };
  const sumAbsProduct = () =>
    kernels.reduce((s, [at, len]) => {
      const [t, g] = [cnn.theta, cnn.grad];
      for (let i = at; i < at + len; i++) s += Math.abs(t[i] * g[i]);
      return s;
    }, 0);
  try {
    for (const p of wanted) {
      if (p === "synflow") {
        // |θ|, one all-ones sample, R = Σ logits.
        cnn.setWeights(weights.map((w) => Array.from(w, Math.abs)));
        const ones = cnn.input(1);
        ones.fill(1);
        cnn.forward(1);
        cnn.logitsDelta(1).fill(1);
        cnn.backward(1);
        out.synflow = sumAbsProduct();
      } else if (p === "snip" || p === "grad_norm") {
        forward();
        cnn.loss(n, y);
        cnn.backward(n);
        out[p] = p === "snip" ? sumAbsProduct() : kernels.reduce(
          (s, [at, len]) => {
            let sq = 0;
            const g = cnn.grad;
            for (let i = at; i < at + len; i++) sq += g[i] * g[i];
            return s + Math.sqrt(sq);
          },
          0,
        );
      } else if (p === "fisher") {
        forward();
        cnn.loss(n, y);
        let total = 0;
        // ½·mean_n (Σ_space z ⊙ ∂L/∂z)² per channel; where ReLU cut z,
        // ∂L/∂z is 0, so the output stands in for z.
        const classes = architecture.outputs;
        const z = cnn.logits(n);
        const dz = cnn.logitsDelta(n);
        for (let c = 0; c < classes; c++) {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const v = z[i * classes + c] * dz[i * classes + c];
            s += v * v;
          }
          total += 0.5 * s / n;
        }
        const [h, w] = architecture.inputShape;
        cnn.backward(n, {
          onDelta: (l, delta) => {
            const f = architecture.filters[l];
            const act = cnn.activation(l, n);
            const perSample = new Float64Array(f);
            const sums = new Float64Array(f);
            for (let i = 0; i < n; i++) {
              perSample.fill(0);
              for (let q = 0; q < h * w; q++) {
                const o = (i * h * w + q) * f;
                for (let c = 0; c < f; c++) {
                  perSample[c] += act[o + c] * delta[o + c];
                }
              }
              for (let c = 0; c < f; c++) sums[c] += perSample[c] ** 2;
            }
            for (let c = 0; c < f; c++) total += 0.5 * sums[c] / n;
          },
        });
        out.fisher = total;
      } else if (p === "jacov") {
        forward();
        cnn.logitsDelta(n).fill(1);
        cnn.backward(n, { inputGradient: true });
        const corr = corrcoef(cnn.inputDelta(n), n, d);
        let s = 0;
        for (const v of symmetricEigenvalues(corr, n)) {
          s += Math.log(v + 1e-5) + 1 / (v + 1e-5);
        }
        out.jacov = -s;
      } else if (p === "naswot") {
        forward();
        const k = new Float64Array(n * n);
        for (let l = 0; l < architecture.filters.length; l++) {
          const v = cnn.activation(l, n);
          const units = v.length / n;
          for (let i = 0; i < n; i++) {
            for (let j = i; j < n; j++) {
              let same = 0; // codes that agree
              for (let c = 0; c < units; c++) {
                if ((v[i * units + c] > 0) === (v[j * units + c] > 0)) same++;
              }
              k[i * n + j] += same;
              if (j !== i) k[j * n + i] += same;
            }
          }
        }
        out.naswot = logAbsDet(k, n);
      }
    }
  } finally {
    cnn.close();
  }
  return out;
}
