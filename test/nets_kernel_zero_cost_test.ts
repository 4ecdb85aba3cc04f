/**
 * The kernel's zero-cost proxies against `zeroCostProxies` (itself checked
 * against NASLib's PyTorch code) on the same CNN, weights and batch.
 */
import { assert, assertThrows } from "./support/assert.ts";
import { digitsCnn } from "./support/cnn.ts";
import { setBackend, tf } from "../lib/nets/backend.ts";
import { buildNetwork } from "../lib/nets/architecture.ts";
import {
  KERNEL_ZERO_COST_PROXIES,
  kernelZeroCostProxies,
} from "../lib/nets/kernel_zero_cost.ts";
import { zeroCostProxies } from "../lib/nets/zero_cost.ts";
import { loadDigits } from "../lib/data/digits.ts";

await setBackend("wasm");

const cnn = digitsCnn;

Deno.test("kernel zero-cost proxies = zeroCostProxies on the same CNN, weights and batch", async () => {
  const digits = await loadDigits({ scale: true });
  const x = digits.x.slice(0, 32);
  const y = digits.y.slice(0, 32);
  for (const [filters, seed] of [[[5, 7, 4, 6], 2], [[12, 3], 5]] as const) {
    const a = cnn([...filters]);
    const net = buildNetwork(a, seed);
    const weights = net.model.getWeights().map((w) => w.dataSync().slice());
    const fast = kernelZeroCostProxies(a, weights, { x, y });
    const xt = tf.tensor2d(x);
    const slow = await zeroCostProxies(net.model, { x: xt, y }, {
      proxies: KERNEL_ZERO_COST_PROXIES,
    });
    xt.dispose();
    net.dispose();
    for (const p of KERNEL_ZERO_COST_PROXIES) {
      const [f, s] = [fast[p]!, slow[p]!];
      assert(
        Math.abs(f - s) <= 1e-3 * Math.abs(s),
        `${filters} ${p}: kernel ${f}, tfjs ${s}`,
      );
    }
  }
});

Deno.test("kernel zero-cost proxies refuse params, flops and a short label list", () => {
  const a = cnn([3]);
  const net = buildNetwork(a, 1);
  const weights = net.model.getWeights().map((w) => w.dataSync().slice());
  net.dispose();
  const x = [Array(64).fill(0.5), Array(64).fill(0.25)];
  assertThrows(
    () =>
      kernelZeroCostProxies(a, weights, { x, y: [0, 1] }, {
        proxies: ["flops"],
      }),
    /"flops" comes from zeroCostProxies/,
  );
  assertThrows(
    () => kernelZeroCostProxies(a, weights, { x, y: [0] }),
    /2 inputs but 1 labels/,
  );
});
