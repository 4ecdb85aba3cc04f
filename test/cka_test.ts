// Linear CKA: 1 for a representation and itself, invariant to orthogonal
// transforms and isotropic scaling (not to anisotropic scaling), and equal to
// a numpy reference (Kornblith et al.'s feature-space formulas, biased and
// debiased; the minibatch form of Nguyen et al.).
import { assert, assertAlmostEquals, assertThrows } from "./support/assert.ts";
import { pythonHas, pythonJson } from "./support/python.ts";
import { cka, CkaAccumulator } from "../lib/mi/cka.ts";
import { MIError } from "../lib/mi/input.ts";
import { Random } from "../lib/space/random.ts";

const r = new Random(21, "cka-test");
const randn = (n: number, p: number) =>
  Array.from({ length: n }, () => Array.from({ length: p }, () => r.normal()));

/** X·Q with Q a product of two Householder reflections (orthogonal). */
function rotate(x: number[][]): number[][] {
  let out = x;
  for (let t = 0; t < 2; t++) {
    const v = x[0].map(() => r.normal());
    const vv = v.reduce((s, a) => s + a * a, 0);
    out = out.map((row) => {
      const proj = row.reduce((s, a, j) => s + a * v[j], 0);
      return row.map((a, j) => a - (2 * proj * v[j]) / vv);
    });
  }
  return out;
}

const x = randn(40, 6);
// y depends on x (a mixing plus noise) and has its own width.
const y = x.map((row) => [
  row[0] + 0.5 * row[1] + 0.3 * r.normal(),
  row[2] - row[3],
  r.normal(),
]);

Deno.test("cka of a representation with itself is 1, for both estimators", () => {
  for (const unbiased of [false, true]) {
    assertAlmostEquals(cka(x, x, { unbiased }), 1, 1e-12);
  }
});

Deno.test("cka is invariant to orthogonal transforms and isotropic scaling", () => {
  for (const unbiased of [false, true]) {
    const base = cka(x, y, { unbiased });
    assertAlmostEquals(cka(rotate(x), y, { unbiased }), base, 1e-10);
    assertAlmostEquals(
      cka(x.map((row) => row.map((v) => -7.5 * v)), rotate(y), { unbiased }),
      base,
      1e-10,
    );
    // Anisotropic scaling does change it: the test can tell.
    const stretched = x.map((row) => row.map((v, j) => (j === 0 ? 10 * v : v)));
    assert(Math.abs(cka(stretched, y, { unbiased }) - base) > 1e-3);
  }
});

Deno.test("cka refuses mismatched rows and too few samples", () => {
  assertThrows(() => cka(x, y.slice(1)), MIError);
  assertThrows(
    () => cka(x.slice(0, 3), y.slice(0, 3), { unbiased: true }),
    MIError,
  );
  assertThrows(() => new CkaAccumulator().value(), MIError);
});

const HAS_NUMPY = pythonHas("numpy");
if (!HAS_NUMPY) {
  console.warn("cka vs numpy ignored: /usr/bin/python3 has no numpy");
}

const NUMPY = `
import json, sys, numpy as np
def hsic(x, y, debiased):
    x = x - x.mean(0); y = y - y.mean(0)
    s = np.linalg.norm(x.T @ y) ** 2
    if debiased:
        n = x.shape[0]
        rx = (x * x).sum(1); ry = (y * y).sum(1)
        s = s - n / (n - 2.0) * rx.dot(ry) + rx.sum() * ry.sum() / ((n - 1) * (n - 2))
    return s
def cka(x, y, debiased):
    return hsic(x, y, debiased) / np.sqrt(hsic(x, x, debiased) * hsic(y, y, debiased))
d = json.load(sys.stdin)
x, y = np.array(d["x"]), np.array(d["y"])
out = {"biased": cka(x, y, False), "unbiased": cka(x, y, True)}
# Minibatch: unbiased HSICs (divided by n(n - 3)) averaged over batches of 10.
def u(x, y):
    n = x.shape[0]
    return hsic(x, y, True) / (n * (n - 3))
bs = [(x[i:i + 10], y[i:i + 10]) for i in range(0, len(x), 10)]
kl = sum(u(a, b) for a, b in bs); kk = sum(u(a, a) for a, _ in bs); ll = sum(u(b, b) for _, b in bs)
out["minibatch"] = kl / np.sqrt(kk * ll)
print(json.dumps(out))
`;

Deno.test({
  name: "cka matches a numpy reference (biased, unbiased, minibatch)",
  ignore: !HAS_NUMPY,
  fn: async () => {
    const ref = await pythonJson<Record<string, number>>(NUMPY, { x, y });
    assertAlmostEquals(cka(x, y), ref.biased, 1e-10);
    assertAlmostEquals(cka(x, y, { unbiased: true }), ref.unbiased, 1e-10);
    const acc = new CkaAccumulator();
    for (let i = 0; i < x.length; i += 10) {
      acc.add(x.slice(i, i + 10), y.slice(i, i + 10));
    }
    assertAlmostEquals(acc.value(), ref.minibatch, 1e-10);
    assert(acc.batches === 4);
    assert(
      ref.biased > 0.1 && ref.biased < 0.99,
      `an informative case: ${ref.biased}`,
    );
  },
});
