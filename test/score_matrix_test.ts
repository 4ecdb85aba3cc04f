/**
 * The plain-array score-matrix step against the tfjs bounds of `bounds.ts`
 * and tfjs autodiff, on matrices with entries past SMILE's clip and past
 * NWJ's overflow cap, where the fused fast paths switch branches.
 */
import { assert } from "./support/assert.ts";
import { setBackend, tf } from "../lib/nets/backend.ts";
import {
  infoNceMatrix,
  jsMatrix,
  matrixBound,
  nwjMatrix,
} from "../lib/mi/_bounds.ts";
import { matrixStep } from "../lib/mi/_score_matrix.ts";
import { Random } from "../lib/space/random.ts";

await setBackend("wasm");

function close(a: number, b: number, label: string) {
  assert(
    Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b)),
    `${label}: ${a} against ${b}`,
  );
}

Deno.test("matrixStep: read-out and derivative equal tfjs, past the clip and the cap", () => {
  const n = 7;
  const r = new Random(3, "score-matrix");
  for (const scale of [0.5, 4, 12]) {
    const values = Float32Array.from(
      { length: n * n },
      () => r.normal() * scale,
    );
    for (
      const [method, tau] of [
        ["infonce", 5],
        ["nwj", 5],
        ["smile", 5],
        ["smile", 1],
        ["smile", 60], // above 40: the two-pass read-out
      ] as const
    ) {
      const ds = new Float32Array(n * n);
      const got = matrixStep(method, values, n, tau, ds);
      const s = tf.tensor2d(values, [n, n]);
      const want = tf.tidy(() => matrixBound(method, s, tau).dataSync()[0]);
      close(got, want, `${method} τ ${tau} scale ${scale} read-out`);
      const grad = tf.tidy(() =>
        tf.grad((m: tf.Tensor) => {
          const t = m as tf.Tensor2D;
          const objective = method === "infonce"
            ? infoNceMatrix(t)
            : method === "nwj"
            ? nwjMatrix(t)
            : jsMatrix(t);
          return tf.neg(objective);
        })(s).dataSync()
      );
      // NWJ caps e^{S−1} at e^50 in the step; tfjs does not.
      const capped = method === "nwj" && values.some((v) => v - 1 > 50);
      for (let k = 0; k < n * n && !capped; k++) {
        close(ds[k], grad[k], `${method} τ ${tau} scale ${scale} dS[${k}]`);
      }
      s.dispose();
    }
  }
});

Deno.test("matrixStep: NWJ stays finite where an exponential would overflow", () => {
  const n = 3;
  const s = Float32Array.from([0, 200, 0, 0, 0, 0, 0, 0, 0]);
  const ds = new Float32Array(n * n);
  const bound = matrixStep("nwj", s, n, 5, ds);
  assert(ds.every(Number.isFinite), `finite derivative: ${ds}`);
  // The bound itself is −∞-like (e^{199}/6 dwarfs everything) but not NaN.
  assert(!Number.isNaN(bound) && bound < -1e80, `bound ${bound}`);
});
