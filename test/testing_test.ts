// The family checks of lib/testing as a third party uses them: members
// registered under new names (declared into the typed registries), run
// through optimize / estimateMI, passing the checks when sound and failing
// them, with the property named, when broken on purpose.
import { assert, assertEquals, assertRejects } from "./support/assert.ts";
import { InfolensError } from "../lib/errors.ts";
import {
  optimize,
  registerSearcher,
  type Searcher,
  type SearcherFactory,
  SearchError,
  type SearcherSettings,
  type SearchMethod,
  searchMethods,
  type Suggestion,
} from "../lib/search/mod.ts";
import { branin } from "../lib/search/functions.ts";
import { type Config, Random } from "../lib/space/mod.ts";
import {
  estimateMI,
  MI_METHODS,
  MIError,
  type MIMatrix,
  registerMIEstimator,
} from "../lib/mi/mod.ts";
import { correlatedGaussian } from "../lib/mi/ground_truth.ts";
import {
  checkMIEstimator,
  checkSearcher,
  ConformanceError,
  SEARCHER_CHECKS,
} from "../lib/testing/mod.ts";

// What a third party writes to have its names type-checked.
declare module "../lib/search/mod.ts" {
  interface SearcherRegistry {
    toy: SearcherFactory;
    "toy-unseeded": SearcherFactory;
    "toy-trial-from-1": SearcherFactory;
    "toy-ignores-conditions": SearcherFactory;
    "toy-lenient-tell": SearcherFactory;
    "toy-seed-blind": SearcherFactory;
    "toy-stuck": SearcherFactory;
  }
}
declare module "../lib/mi/mod.ts" {
  interface MIEstimatorRegistry {
    pearson: { column?: number };
    "pearson-noisy": Record<never, never>;
    "pearson-fragile": Record<never, never>;
    "pearson-capped": Record<never, never>;
  }
}

type Flaw =
  | "none"
  | "unseeded"
  | "trial-from-1"
  | "ignores-conditions"
  | "lenient-tell"
  | "seed-blind"
  | "stuck";

/** Random proposals from its own stream; `flaw` breaks one property. */
class ToySearch implements Searcher {
  readonly name: string;
  readonly #settings: SearcherSettings;
  readonly #random: Random;
  readonly #pending = new Set<number>();
  readonly #flaw: Flaw;
  #next: number;
  #first: Config | null = null;

  constructor(settings: SearcherSettings, flaw: Flaw) {
    this.name = flaw === "none" ? "toy" : `toy-${flaw}`;
    this.#settings = settings;
    this.#flaw = flaw;
    const seed = flaw === "unseeded"
      ? Math.floor(Math.random() * 2 ** 31)
      : flaw === "seed-blind"
      ? 0
      : settings.seed ?? 0;
    this.#random = new Random(seed, "toy");
    this.#next = flaw === "trial-from-1" ? 1 : 0;
  }

  ask(): Suggestion {
    const { space } = this.#settings;
    // "stuck" proposes its first configuration again and again.
    const config = this.#flaw === "stuck" && this.#first
      ? { ...this.#first }
      : space.sample(this.#random);
    this.#first ??= { ...config };
    if (this.#flaw === "ignores-conditions") {
      for (const n of space.names) config[n] ??= 0.5;
    }
    const s = { trial: this.#next++, config, budget: null };
    this.#pending.add(s.trial);
    return s;
  }

  tell(trial: number): void {
    if (!this.#pending.delete(trial) && this.#flaw !== "lenient-tell") {
      throw new SearchError(`trial ${trial} was not asked, or told already`);
    }
  }
}

registerSearcher("toy", (s) => new ToySearch(s, "none"));
for (
  const flaw of [
    "unseeded",
    "trial-from-1",
    "ignores-conditions",
    "lenient-tell",
    "seed-blind",
    "stuck",
  ] as const
) {
  registerSearcher(`toy-${flaw}`, (s) => new ToySearch(s, flaw));
}

Deno.test("a third party's searcher registers under a new name and runs through optimize", async () => {
  assert(searchMethods().includes("toy"));
  const df = await optimize((c) => branin.evaluate(c), branin.space, {
    method: "toy",
    budget: 12,
    seed: 1,
    progress: "quiet",
  });
  assertEquals(df.height, 12);
  assertEquals(df.getColumn("trial").toArray(), [...Array(12).keys()]);
  // @ts-expect-error a name nobody declared is a type error
  const undeclared: SearchMethod = "toy-undeclared";
  await assertRejects(
    () =>
      optimize((c) => branin.evaluate(c), branin.space, {
        method: undeclared,
        budget: 3,
      }),
    /unknown method "toy-undeclared"; registered: random, .*toy/,
  );
  assertEquals(
    (() => {
      try {
        registerSearcher("toy", (s) => new ToySearch(s, "none"));
      } catch (e) {
        return (e as Error).message;
      }
    })(),
    `a method named "toy" is registered already`,
  );
});

Deno.test("a sound third-party searcher passes every default check", async () => {
  assertEquals(await checkSearcher("toy"), [...SEARCHER_CHECKS]);
});

Deno.test("a broken searcher fails the check it breaks, named with what was expected", async () => {
  const cases: [SearchMethod, RegExp][] = [
    [
      "toy-unseeded",
      /searcher "toy-unseeded" fails "deterministic": expected the same trials for the same seed/,
    ],
    [
      "toy-seed-blind",
      /fails "deterministic": expected other trials for another seed/,
    ],
    ["toy-trial-from-1", /fails "budget": expected trials numbered 0…22/],
    [
      "toy-ignores-conditions",
      /fails "conditions": .*inactive/,
    ],
    [
      "toy-lenient-tell",
      /fails "tell": expected a SearchError for a trial told twice, got no error/,
    ],
  ];
  for (const [method, pattern] of cases) {
    const e = await checkSearcher(method).then(() => null, (e) => e);
    assert(e instanceof ConformanceError, `${method}: ${e}`);
    assert(e instanceof InfolensError);
    assert(pattern.test(e.message), e.message);
    assertEquals(e.member, `searcher "${method}"`);
  }
});

Deno.test("beats-random is run when asked, and judges the method", async () => {
  // One configuration proposed ten times is worse than ten random ones.
  const e = await checkSearcher("toy-stuck", {
    checks: ["beats-random"],
    beatsRandom: { seeds: 3, budget: 10 },
  }).then(() => null, (e) => e);
  assert(e instanceof ConformanceError && e.check === "beats-random", `${e}`);
  assert(/expected a lower mean best value than random search/.test(e.message));
  await assertRejects(
    () => checkSearcher("toy", { checks: ["speed" as "budget"] }),
    /unknown check "speed"/,
  );
});

/** −½ ln(1 − r²) of the first columns: exact for a 1 × 1 Gaussian. */
function pearson(x: MIMatrix, y: MIMatrix, column = 0): number {
  const n = x.rows;
  const xs = Array.from({ length: n }, (_, i) => x.data[i * x.cols + column]);
  const ys = Array.from({ length: n }, (_, i) => y.data[i * y.cols]);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / n;
  const mx = mean(xs), my = mean(ys);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  const r = sxy / Math.sqrt(sxx * syy);
  return -0.5 * Math.log(1 - Math.min(r * r, 1 - 1e-12));
}

registerMIEstimator("pearson", {
  options: ["column"],
  run: (x, y, o) => {
    if (x.rows < 3) throw new MIError("pearson: needs 3 samples");
    return { estimate: pearson(x, y, o.column) };
  },
});
registerMIEstimator("pearson-noisy", {
  options: [],
  run: (x, y) => ({ estimate: pearson(x, y) + 1e-3 * Math.random() }),
});
registerMIEstimator("pearson-fragile", {
  options: [],
  run: (x, y) => {
    if (x.rows < 3) throw new TypeError("undefined is not a number");
    return { estimate: pearson(x, y) };
  },
});
registerMIEstimator("pearson-capped", {
  options: [],
  run: (x, y) => ({ estimate: pearson(x, y) }),
  ceiling: () => 0.5,
});

Deno.test("a third party's MI estimator registers, type-checks its options and passes the checks", async () => {
  assertEquals(MI_METHODS.slice(-4), [
    "pearson",
    "pearson-noisy",
    "pearson-fragile",
    "pearson-capped",
  ]);
  const x = [[1, 0], [2, 1], [3, 0], [4, 2]], y = [1, 3, 2, 4];
  const r = await estimateMI(x, y, { method: "pearson", column: 0 });
  assertEquals(
    r.estimate,
    pearson(
      { rows: 4, cols: 2, data: Float64Array.from(x.flat()) },
      { rows: 4, cols: 1, data: Float64Array.from(y) },
    ),
  );
  await assertRejects(
    // @ts-expect-error k is not pearson's
    () => estimateMI(x, y, { method: "pearson", k: 3 }),
    /option "k" does not apply to method "pearson"; it takes: column/,
  );
  assertEquals(await checkMIEstimator("pearson"), [
    "finite",
    "deterministic",
    "rejects-bad-input",
    "accuracy",
  ]);
});

Deno.test("a broken MI estimator fails the check it breaks", async () => {
  const cases: [Parameters<typeof checkMIEstimator>[0], RegExp][] = [
    [
      "pearson-noisy",
      /MI estimator "pearson-noisy" fails "deterministic": expected the same estimate twice/,
    ],
    [
      "pearson-fragile",
      /fails "rejects-bad-input": expected a finite estimate or an InfolensError for 2 samples, got TypeError/,
    ],
    [
      "pearson-capped",
      /fails "ceiling": expected the estimate at most the ceiling 0.5, got/,
    ],
  ];
  for (const [method, pattern] of cases) {
    const e = await checkMIEstimator(method).then(() => null, (e) => e);
    assert(e instanceof ConformanceError, `${method}: ${e}`);
    assert(pattern.test(e.message), e.message);
  }
  // Accuracy is as strict as asked: pearson sees only the first pair of
  // columns, half the MI of a 2 × 2 Gaussian.
  const e = await checkMIEstimator("pearson", {
    checks: ["accuracy"],
    options: { column: 0 },
    accuracy: [{
      task: correlatedGaussian({ dim: 2, rho: 0.5 }),
      factor: 1.2,
    }],
  }).then(() => null, (e) => e);
  assert(e instanceof ConformanceError && e.check === "accuracy", `${e}`);
  assert(/expected within a factor 1.2 of 0.287/.test(e.message), e.message);
});

Deno.test("asking for a ceiling where none is declared fails", async () => {
  const e = await checkMIEstimator("pearson", { checks: ["ceiling"] }).then(
    () => null,
    (e) => e,
  );
  assert(e instanceof ConformanceError, `${e}`);
  assert(/declares none/.test(e.message));
});

Deno.test("the root entry does not load lib/testing", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL("../lib/mod.ts", import.meta.url).href],
    stdout: "piped",
    stderr: "null",
  }).output();
  const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { specifier: string }[];
  };
  const specifiers = graph.modules.map((m) => m.specifier);
  assert(specifiers.some((s) => s.endsWith("/lib/mi/estimators.ts")));
  assert(!specifiers.some((s) => s.includes("/lib/testing/")));
});
