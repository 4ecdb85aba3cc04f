import {
  assert,
  assertEquals,
  assertNotEquals,
  assertThrows,
} from "./support/assert.ts";
import { Random, rng } from "../lib/space/random.ts";

const assertNotEq = assertNotEquals;

Deno.test("same seed gives the same stream; different seeds differ", () => {
  const a = new Random(123), b = new Random(123), c = new Random(124);
  const xa = Array.from({ length: 20 }, () => a.random());
  const xb = Array.from({ length: 20 }, () => b.random());
  const xc = Array.from({ length: 20 }, () => c.random());
  assertEquals(xa, xb);
  assertNotEq(xa, xc);
  // Seeds above 2^32 that share their low bits still differ.
  assertNotEq(new Random(2 ** 33 + 5).random(), new Random(5).random());
});

Deno.test("uniform is in range with the right mean and variance", () => {
  const r = new Random(1);
  const xs = r.uniforms(100_000, 2, 5);
  let sum = 0, sq = 0;
  for (const x of xs) {
    assert(x >= 2 && x < 5);
    sum += x;
    sq += x * x;
  }
  const mean = sum / xs.length;
  const variance = sq / xs.length - mean * mean;
  assert(Math.abs(mean - 3.5) < 0.02, `mean ${mean}`);
  assert(Math.abs(variance - 0.75) < 0.02, `variance ${variance}`);
});

Deno.test("normal has mean 0, sd 1 and Gaussian tails", () => {
  const xs = new Random(2).normals(200_000);
  let sum = 0, sq = 0, beyond2 = 0;
  for (const x of xs) {
    sum += x;
    sq += x * x;
    if (Math.abs(x) > 2) beyond2++;
  }
  const mean = sum / xs.length;
  assert(Math.abs(mean) < 0.01, `mean ${mean}`);
  assert(Math.abs(sq / xs.length - 1) < 0.02);
  // P(|Z| > 2) = 0.0455
  assert(Math.abs(beyond2 / xs.length - 0.0455) < 0.003);
  const shifted = new Random(3).normal(10, 0.001);
  assert(Math.abs(shifted - 10) < 0.01);
});

Deno.test("integer covers [low, high) uniformly and rejects bad ranges", () => {
  const r = new Random(4);
  const counts = new Array(7).fill(0);
  for (let i = 0; i < 70_000; i++) counts[r.integer(-3, 4) + 3]++;
  for (const c of counts) assert(Math.abs(c - 10_000) < 500, `count ${c}`);
  assertThrows(() => r.integer(3, 3), /low < high/);
  assertThrows(() => r.integer(0.5, 3), /safe integers/);
});

Deno.test("choice, shuffle and permutation", () => {
  const r = new Random(5);
  assertThrows(() => r.choice([]), /non-empty/);
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) seen.add(r.choice(["a", "b", "c"]));
  assertEquals([...seen].sort(), ["a", "b", "c"]);
  const p = r.permutation(50);
  assertEquals(
    [...p].sort((x, y) => x - y),
    Array.from({ length: 50 }, (_, i) => i),
  );
  assertNotEq(p, Array.from({ length: 50 }, (_, i) => i));
  const items = [1, 2, 3, 4];
  assert(r.shuffle(items) === items, "shuffles in place");
  assertThrows(() => r.permutation(-1), /non-negative/);
});

Deno.test("bad seeds are rejected with the fix", () => {
  assertThrows(() => new Random(0.5), /safe integer/);
  assertThrows(() => new Random(NaN), /safe integer/);
  // deno-lint-ignore no-explicit-any
  assertThrows(() => new Random("1" as any), /safe integer/);
});

Deno.test("spawn gives independent, reproducible streams; rng passes generators through", () => {
  const a = new Random(9).spawn(), b = new Random(9).spawn();
  assertEquals(a.random(), b.random());
  const parent = new Random(9);
  const child = parent.spawn();
  assertNotEq(child.random(), parent.random());
  const r = new Random(1);
  assert(rng(r) === r);
  assertEquals(rng(7).random(), new Random(7).random());
});

Deno.test("named streams from one seed are independent of each other and of the plain seed", () => {
  const n = 20_000;
  const plain = new Random(0).uniforms(n);
  const a = new Random(0, "encode").uniforms(n);
  const b = new Random(0, "shuffle").uniforms(n);
  assertEquals(
    new Random(0, "encode").uniforms(5),
    a.subarray(0, 5),
    "reproducible",
  );
  const corr = (x: Float64Array, y: Float64Array) => {
    let sx = 0, sy = 0, sxy = 0, sxx = 0, syy = 0;
    for (let i = 0; i < n; i++) {
      sx += x[i];
      sy += y[i];
      sxy += x[i] * y[i];
      sxx += x[i] * x[i];
      syy += y[i] * y[i];
    }
    return (sxy - sx * sy / n) /
      Math.sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
  };
  for (const [x, y] of [[plain, a], [plain, b], [a, b]]) {
    assert(Math.abs(corr(x, y)) < 0.03, `correlation ${corr(x, y)}`);
  }
});
