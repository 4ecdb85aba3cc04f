import { assert, assertEquals, assertThrows } from "./support/assert.ts";
import {
  boolean,
  categorical,
  type ConditionRule,
  type Config,
  float,
  int,
  ordinal,
  type Param,
  SearchSpace,
  SpaceError,
} from "../lib/space/space.ts";
import { Random } from "../lib/space/random.ts";

const space = () =>
  new SearchSpace({
    lr: float(1e-4, 1e-1, { log: true }),
    momentum: float(0, 0.99, { when: { optimizer: "sgd" } }),
    optimizer: categorical(["adam", "sgd", "rmsprop"]),
    depth: int(1, 4),
    width_3: int(16, 256, { log: true, when: { depth: { gte: 3 } } }),
    batch: ordinal([32, 64, 128, 256]),
    bn: boolean(),
  });

Deno.test("sampling is seeded, valid, and respects conditions", () => {
  const s = space();
  assertEquals(s.sample(3), s.sample(3));
  const configs = s.sampleMany(500, 1);
  let withWidth = 0, withMomentum = 0;
  for (const c of configs) {
    s.validate(c);
    assertEquals("width_3" in c, (c.depth as number) >= 3);
    assertEquals("momentum" in c, c.optimizer === "sgd");
    if ("width_3" in c) withWidth++;
    if ("momentum" in c) withMomentum++;
  }
  assert(withWidth > 150 && withWidth < 350, `width_3 active ${withWidth}`);
  assert(withMomentum > 100 && withMomentum < 240);
  // Log-uniform: about half the learning rates fall below the geometric middle.
  const below = configs.filter((c) => (c.lr as number) < 10 ** -2.5).length;
  assert(below > 200 && below < 300, `below ${below}`);
  // Ints cover their range.
  assertEquals(new Set(configs.map((c) => c.depth)).size, 4);
});

Deno.test("validate names the hyperparameter and the rule broken", () => {
  const s = space();
  const ok: Config = {
    lr: 0.01,
    optimizer: "adam",
    depth: 2,
    batch: 64,
    bn: true,
  };
  s.validate(ok);
  const cases: [Config, RegExp][] = [
    [{ ...ok, lr: 0.5 }, /"lr" = 0.5 is outside \[0.0001, 0.1\]/],
    [{ ...ok, lr: NaN }, /"lr" must be a finite number/],
    [{ ...ok, depth: 2.5 }, /"depth" must be an integer/],
    [
      { ...ok, optimizer: "lbfgs" },
      /"optimizer" = "lbfgs" is not one of "adam", "sgd", "rmsprop"/,
    ],
    [{ ...ok, bn: "yes" }, /"bn" must be true or false/],
    [
      { ...ok, width_3: 32 },
      /"width_3" is inactive here \(it needs depth >= 3\)/,
    ],
    [{ ...ok, depth: 3 }, /"width_3" is active but has no value/],
    [{ ...ok, colour: 1 }, /unknown hyperparameter "colour"/],
    [
      { lr: 0.01, depth: 2, batch: 64, bn: true },
      /"optimizer" is active but has no value/,
    ],
  ];
  for (const [config, pattern] of cases) {
    assertThrows(() => s.validate(config), SpaceError);
    assertThrows(() => s.validate(config), pattern);
  }
});

Deno.test("invalid definitions are errors at construction", () => {
  const bad: [() => unknown, RegExp][] = [
    [
      () => new SearchSpace({ a: float(2, 1) }),
      /low \(2\) must be < high \(1\)/,
    ],
    [() => new SearchSpace({ a: float(1, 1) }), /must be < high/],
    [() => new SearchSpace({ a: int(5, 4) }), /must be <= high/],
    [
      () => new SearchSpace({ a: float(0, 1, { log: true }) }),
      /log scale needs low > 0/,
    ],
    [
      () => new SearchSpace({ a: int(0, 8, { log: true }) }),
      /log scale needs low > 0/,
    ],
    [() => new SearchSpace({ a: int(0.5, 8) }), /integer bounds/],
    [() => new SearchSpace({ a: categorical([]) }), /non-empty/],
    [() => new SearchSpace({ a: categorical(["x", "x"]) }), /must not repeat/],
    [
      () => new SearchSpace({ a: float(0, 1, { when: { b: 1 } }) }),
      /unknown hyperparameter "b"/,
    ],
    [
      () =>
        new SearchSpace({
          a: float(0, 1, { when: { b: true } }),
          b: boolean({ when: { a: { gt: 0.5 } } }),
        }),
      /cycle: a -> b -> a|cycle: b -> a -> b/,
    ],
    [
      () => new SearchSpace({ a: boolean({ when: { a: true } }) }),
      /names itself/,
    ],
    [
      () =>
        new SearchSpace({
          o: categorical(["x"]),
          a: float(0, 1, { when: { o: "y" } }),
        }),
      /"y", which is not one of its values/,
    ],
    [
      () =>
        new SearchSpace({
          o: categorical(["x"]),
          a: float(0, 1, { when: { o: { gt: 1 } } }),
        }),
      /"gt" compares numbers/,
    ],
    [
      () =>
        new SearchSpace({
          d: int(1, 3),
          a: float(0, 1, { when: { d: { over: 1 } as ConditionRule } }),
        }),
      /unknown condition operator "over"/,
    ],
    [() => new SearchSpace({}), /at least one/],
    [
      () => new SearchSpace({ a: { kind: "complex" } as unknown as Param }),
      /kind must be one of/,
    ],
  ];
  for (const [make, pattern] of bad) assertThrows(make, pattern);
});

Deno.test("chained conditions: a grandchild is inactive when its parent is", () => {
  const s = new SearchSpace({
    depth: int(1, 3),
    width_2: int(8, 64, { when: { depth: { gte: 2 } } }),
    dropout_2: float(0, 0.5, { when: { width_2: { gte: 32 } } }),
  });
  assertEquals(s.isActive("dropout_2", { depth: 1, width_2: 40 }), false);
  assertEquals(s.isActive("dropout_2", { depth: 2, width_2: 40 }), true);
  for (const c of s.sampleMany(200, 0)) {
    s.validate(c);
    if ("dropout_2" in c) assert((c.width_2 as number) >= 32);
  }
});

Deno.test("encode follows the HSIC paper's [0,1] maps", () => {
  const s = new SearchSpace({
    x: float(0, 10),
    lr: float(1e-4, 1e-0, { log: true }),
    k: int(1, 4),
    c: categorical(["a", "b", "c", "d", "e"]),
    o: ordinal(["small", "large"]),
    b: boolean(),
  });
  const r = new Random(0);
  for (let i = 0; i < 200; i++) {
    const u = s.encode(
      { x: 2.5, lr: 1e-2, k: 3, c: "c", o: "large", b: true },
      { seed: r },
    );
    assertEquals(u[0], 0.25);
    assert(Math.abs(u[1]! - 0.5) < 1e-12);
    // int 3 of 1..4 is cell [2/4, 3/4)
    assert(u[2]! >= 0.5 && u[2]! < 0.75, `int cell ${u[2]}`);
    // categorical value 2 of 5 is U(2/5, 3/5)
    assert(u[3]! >= 0.4 && u[3]! < 0.6, `cat cell ${u[3]}`);
    assert(u[4]! >= 0.5 && u[4]! < 1);
    assert(u[5]! >= 0.5 && u[5]! < 1);
  }
  // Jitter is uniform over the cell: its mean is the cell's middle.
  const us = s.encodeMany(
    Array.from(
      { length: 4000 },
      () => ({ x: 0, lr: 1e-4, k: 1, c: "a", o: "small", b: false }),
    ),
    { seed: 7 },
  );
  const mean = us.reduce((a, u) => a + u[3]!, 0) / us.length;
  assert(Math.abs(mean - 0.1) < 0.005, `mean ${mean}`);
  // Same seed, same jitter.
  const c: Config = { x: 1, lr: 0.1, k: 2, c: "e", o: "small", b: false };
  assertEquals(s.encode(c, { seed: 5 }), s.encode(c, { seed: 5 }));
});

Deno.test("encode gives null for inactive; decode inverts encode", () => {
  const s = space();
  const configs = s.sampleMany(300, 11);
  const r = new Random(2);
  for (const c of configs) {
    const u = s.encode(c, { seed: r });
    s.names.forEach((name, j) => assertEquals(u[j] === null, !(name in c)));
    for (const x of u) if (x !== null) assert(x >= 0 && x <= 1);
    const back = s.decode(u.map((x) => x ?? 0.5));
    for (const name of s.names) {
      if (!(name in c)) continue;
      const v = c[name];
      if (typeof v === "number" && !Number.isInteger(v)) {
        assert(
          Math.abs((back[name] as number) - v) <
            1e-9 * Math.max(1, Math.abs(v)),
        );
      } else {
        assertEquals(back[name], v, `${name}`);
      }
    }
  }
  assertThrows(() => s.decode([0.5]), /decode needs 7 numbers/);
});

Deno.test("one-hot encoding and its column names", () => {
  const s = space();
  const names = s.oneHotNames();
  assertEquals(names, [
    "lr",
    "momentum",
    "optimizer=adam",
    "optimizer=sgd",
    "optimizer=rmsprop",
    "depth",
    "width_3",
    "batch",
    "bn",
  ]);
  const v = s.oneHot({
    lr: 1e-4,
    optimizer: "sgd",
    momentum: 0.99,
    depth: 4,
    width_3: 16,
    batch: 128,
    bn: true,
  });
  assertEquals(v, [0, 1, 0, 1, 0, 1, 0, 2 / 3, 1]);
  const inactive = s.oneHot({
    lr: 1e-1,
    optimizer: "adam",
    depth: 1,
    batch: 32,
    bn: false,
  });
  assertEquals(inactive, [1, 0, 1, 0, 0, 0, 0, 0, 0]);
});

Deno.test("a space round-trips through JSON", () => {
  const s = space();
  const back = SearchSpace.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
  assertEquals(back.sample(4), s.sample(4));
});

Deno.test("the same seed for sampling and encoding does not correlate jitter with values", () => {
  const s = new SearchSpace({
    lr: float(1e-4, 1e-1, { log: true }),
    depth: int(1, 4),
  });
  const configs = s.sampleMany(3000, 0);
  const r = new Random(0, "encode");
  const us = configs.map((c) => s.encode(c, { seed: r }));
  const viaMany = s.encodeMany(configs, { seed: 0 });
  assertEquals(us, viaMany, "a numeric seed means the 'encode' stream");
  // Jitter inside the depth cell against the encoded lr: no correlation.
  const x = us.map((u) => u[0]!);
  const y = us.map((u) => (u[1]! * 4) % 1);
  const mx = x.reduce((a, b) => a + b) / x.length,
    my = y.reduce((a, b) => a + b) / y.length;
  let sxy = 0, sxx = 0, syy = 0;
  x.forEach((xi, i) => {
    sxy += (xi - mx) * (y[i] - my);
    sxx += (xi - mx) ** 2;
    syy += (y[i] - my) ** 2;
  });
  const corr = sxy / Math.sqrt(sxx * syy);
  assert(Math.abs(corr) < 0.06, `jitter correlates with lr: ${corr}`);
});
