// The models behind gp-ei, rf-smbo and bore, and the acquisition search.
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertThrows,
} from "./support/assert.ts";
import { Random } from "../lib/space/random.ts";
import { categorical, float, SearchSpace } from "../lib/space/space.ts";
import {
  erfc,
  logExpectedImprovement,
  normalCdf,
} from "../lib/_math/special.ts";
import { GaussianProcess, gpLogPosterior } from "../lib/search/gp.ts";
import { RandomForest } from "../lib/search/forest.ts";
import {
  features,
  maximizeAcquisition,
  neighbour,
} from "../lib/search/_acquisition.ts";

Deno.test("erfc, Φ and log EI against 50-digit references (mpmath)", () => {
  assertAlmostEquals(erfc(2) / 0.004677734981047266 - 1, 0, 1.2e-7);
  assertAlmostEquals(erfc(-1) / 1.8427007929497148 - 1, 0, 1.2e-7);
  assertAlmostEquals(normalCdf(-6) / 9.865876450376946e-10 - 1, 0, 1.2e-7);
  const ref: [number, number][] = [
    [-4.99, -16.690729996795877],
    [-5.01, -16.797966327739523],
    [-8, -37.12236426169263],
    [-20, -206.9178385094251],
    [2, 0.6973835457882284],
  ];
  for (const [z, v] of ref) {
    assertAlmostEquals(logExpectedImprovement(z), v, 1e-6 * Math.abs(v));
  }
  assert(Number.isFinite(logExpectedImprovement(-1e4)));
});

Deno.test("the GP's log-posterior gradient matches finite differences", () => {
  const r = new Random(1);
  const n = 12, d = 3;
  const x = new Float64Array(n * d).map(() => r.random());
  const y = new Float64Array(n).map(() => r.normal());
  const h = {
    logLengthscales: [-0.5, 0.2, 0.7],
    logOutputscale: 0.3,
    logNoise: -2,
  };
  const { grad } = gpLogPosterior(x, n, d, y, h);
  const flat = [...h.logLengthscales, h.logOutputscale, h.logNoise];
  const at = (t: number[]) =>
    gpLogPosterior(x, n, d, y, {
      logLengthscales: t.slice(0, d),
      logOutputscale: t[d],
      logNoise: t[d + 1],
    }).value;
  flat.forEach((_, i) => {
    const e = 1e-5;
    const up = [...flat], down = [...flat];
    up[i] += e;
    down[i] -= e;
    const fd = (at(up) - at(down)) / (2 * e);
    assertAlmostEquals(grad[i], fd, 1e-5 * Math.max(1, Math.abs(fd)));
  });
});

Deno.test("the lengthscale prior's mode is BoTorch's: log-normal on ℓ, at √2 + ½·log D − 3", () => {
  // One observation: no pair of points, so only the priors pull on log ℓ.
  for (const d of [1, 6]) {
    const mode = Math.SQRT2 + 0.5 * Math.log(d) - 3;
    const h = (v: number) => ({
      logLengthscales: Array(d).fill(v),
      logOutputscale: 0,
      logNoise: -4,
    });
    const x = new Float64Array(d).fill(0.5);
    const y = new Float64Array([0]);
    const at = gpLogPosterior(x, 1, d, y, h(mode));
    for (const g of at.grad.slice(0, d)) assertAlmostEquals(g, 0, 1e-12);
    // The normal's centre is not the mode.
    const centre = gpLogPosterior(x, 1, d, y, h(mode + 3));
    assert(centre.value < at.value - 1, `${centre.value} ${at.value}`);
  }
});

Deno.test("GP-EI finds Hartmann-6's basin within 100 evaluations (regret < 0.5 over seeds 0–2)", async () => {
  // With the prior's mode at ℓ ≈ 10 the fit called Hartmann-6 noise and the
  // mean regret at 100 was 1.28 (seed 0 never left 2.87).
  const { GpEiSearcher } = await import("../lib/search/gp_ei.ts");
  const { hartmann6 } = await import("../lib/search/functions.ts");
  const regrets = [0, 1, 2].map((seed) => {
    const s = new GpEiSearcher({ space: hartmann6.space, seed, budget: 100 });
    let best = Infinity;
    for (let i = 0; i < 100; i++) {
      const { trial, config } = s.ask();
      const y = hartmann6.evaluate(config);
      s.tell(trial, y);
      best = Math.min(best, y);
    }
    return best - hartmann6.minimum;
  });
  const mean = regrets.reduce((a, b) => a + b, 0) / regrets.length;
  assert(mean < 0.5, `regrets ${regrets}`);
});

Deno.test("the GP interpolates its data and is uncertain away from it", () => {
  const x = Array.from({ length: 12 }, (_, i) => [i / 11]);
  const y = x.map(([v]) => Math.sin(6 * v));
  const gp = GaussianProcess.fit(x, y);
  const at = gp.predict(x);
  // Near, not exact: the noise prior is centred at e⁻⁴ of the variance.
  x.forEach((_, i) => assertAlmostEquals(at.mean[i], y[i], 0.05));
  const far = gp.predict([[5]]);
  assert(far.std[0] > 5 * Math.max(...at.std), "far from the data");
  // An irrelevant second input gets a longer lengthscale than the first.
  const r = new Random(2);
  const x2 = Array.from({ length: 40 }, () => [r.random(), r.random()]);
  const gp2 = GaussianProcess.fit(x2, x2.map(([a]) => Math.sin(6 * a)));
  const [l0, l1] = gp2.hyperparameters.logLengthscales;
  assert(l1 > l0 + 0.5, `lengthscales ${l0} ${l1}`);
  assertThrows(() => GaussianProcess.fit([[0]], [1, 2]), /as many targets/);
});

Deno.test("the forest fits a step and its variance is larger where trees disagree", () => {
  const r = new Random(0);
  const x = Array.from({ length: 200 }, () => [r.random(), r.random()]);
  const y = x.map(([a]) => (a > 0.5 ? 1 : 0) + 0.01 * r.normal());
  const rf = new RandomForest(x, y, new Random(1));
  const { mean, variance } = rf.predict([[0.1, 0.5], [0.9, 0.5], [0.5, 0.5]]);
  assertAlmostEquals(mean[0], 0, 0.05);
  assertAlmostEquals(mean[1], 1, 0.05);
  assert(variance[2] > 10 * Math.max(variance[0], variance[1]));
  for (const v of variance) assert(v >= 0);
  assertThrows(() => new RandomForest([], [], r), /as many targets/);
});

Deno.test("features mark inactive hyperparameters with −1", () => {
  const space = new SearchSpace({
    k: categorical(["a", "b"]),
    x: float(0, 2, { when: { k: "a" } }),
  });
  assertEquals(features(space, { k: "a", x: 1 }), [1, 0, 0.5]);
  assertEquals(features(space, { k: "b" }), [0, 1, -1]);
});

Deno.test("neighbours change one hyperparameter and stay valid", () => {
  const space = new SearchSpace({
    k: categorical(["a", "b", "c"]),
    x: float(0, 2, { when: { k: "a" } }),
    y: float(1e-3, 1, { log: true }),
  });
  const r = new Random(3);
  const c = { k: "a", x: 1, y: 0.1 };
  for (let i = 0; i < 200; i++) {
    const nb = neighbour(space, c, r);
    space.validate(nb);
    const changed = space.names.filter((n) => nb[n] !== c[n as keyof typeof c]);
    assert(changed.length >= 1 && changed.length <= 2, JSON.stringify(nb));
  }
});

Deno.test("the acquisition search finds the maximum and never repeats a seen configuration", () => {
  const space = new SearchSpace({ k: categorical(["a", "b", "c"]) });
  const score = (cs: { k?: unknown }[]) =>
    Float64Array.from(cs, (c) => (c.k === "a" ? 10 : c.k === "b" ? 5 : 0));
  const r = new Random(0);
  const best = maximizeAcquisition(space, score, {
    random: r,
    seen: new Set([space.key({ k: "a" })]),
    incumbents: [{ k: "a" }],
  });
  assertEquals(best, { k: "b" });
  const cont = new SearchSpace({ x: float(-3, 3), y: float(-3, 3) });
  const b2 = maximizeAcquisition(
    cont,
    (cs) =>
      Float64Array.from(
        cs,
        (c) => -(((c.x as number) - 1) ** 2) - ((c.y as number) + 2) ** 2,
      ),
    { random: r, seen: new Set(), incumbents: [] },
  );
  assertAlmostEquals(b2.x as number, 1, 0.05);
  assertAlmostEquals(b2.y as number, -2, 0.05);
});
