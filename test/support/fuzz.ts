/**
 * Property-based checks of the public entry points, shared by the test task
 * (`test/fuzz_test.ts`: a fixed seed, few cases) and `deno task bench fuzz`
 * (more cases): on random shapes, values (NaN, ±Infinity, 1e±300, −0, huge
 * offsets), option types and file bytes, every call returns a result or
 * throws an `InfolensError` subclass naming what was wrong, never a
 * TypeError, RangeError or RuntimeError from inside.
 *
 * @module
 */

import fc from "fast-check";
import { join } from "node:path";
import { InfolensError } from "../../lib/errors.ts";
import { readTable } from "../../lib/data/tables.ts";
import { readNpy } from "../../lib/data/npy.ts";
import { readNpz } from "../../lib/data/npz.ts";
import { readIdx } from "../../lib/data/idx.ts";
import { readCifar } from "../../lib/data/cifar.ts";
import { readSafetensors } from "../../lib/data/safetensors.ts";
import { readTrials, TrialStore } from "../../lib/trials/trials.ts";
import { hsicTable } from "../../lib/hsic/indices.ts";
import { type Param, SearchSpace } from "../../lib/space/space.ts";
import { searcherFactory, searchMethods } from "../../lib/search/registry.ts";
import { trainNetwork } from "../../lib/nets/train.ts";
import { estimateMI } from "../../lib/mi/estimate.ts";
import { Random } from "../../lib/space/random.ts";

/** Values that break numerics: NaN, infinities, extremes, −0, huge offsets. */
export const oddNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, 1e300, -1e300, 1e-300, -0, 0),
  fc.double(),
  fc.double({ min: -1, max: 1, noNaN: true }).map((x) => 1e12 + x),
);

/** Any JSON-ish value a JavaScript caller might pass by mistake. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, true, "x", "", [], {}),
  oddNumber,
  fc.string(),
);

/** A hyperparameter definition, often a broken one. */
const paramSpec: fc.Arbitrary<Param> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("float", "int") as fc.Arbitrary<"float" | "int">,
    low: fc.oneof(oddNumber, fc.integer({ min: -5, max: 5 })),
    high: fc.oneof(oddNumber, fc.integer({ min: -5, max: 50 })),
    log: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("categorical" as const),
    choices: fc.array(fc.oneof(fc.string(), fc.integer(), fc.boolean()), {
      maxLength: 3,
    }),
  }),
  fc.record({
    kind: fc.constant("ordinal" as const),
    values: fc.array(fc.integer(), { maxLength: 3 }),
  }),
  fc.constant({ kind: "boolean" as const }),
);

/** Throws unless `e` is one of the library's own errors with a message. */
export function expectNamed(e: unknown, what: string): void {
  if (e instanceof InfolensError && e.message.length > 0) return;
  throw new Error(
    `${what}: expected an InfolensError, got ${
      e instanceof Error ? `${e.name}: ${e.message}` : String(e)
    }`,
  );
}

async function named(what: string, fn: () => Promise<unknown>) {
  const warn = console.warn;
  console.warn = () => {}; // a damaged store says so; expected here
  try {
    await fn();
  } catch (e) {
    expectNamed(e, what);
  } finally {
    console.warn = warn;
  }
}

/** The properties, each run for `numRuns` cases with `seed`. */
export function properties(
  dir: string,
  // deno-lint-ignore no-explicit-any
): Record<string, fc.IAsyncProperty<any>> {
  const file = (name: string) => join(dir, name);
  return {
    "data readers on random bytes": fc.asyncProperty(
      fc.uint8Array({ maxLength: 300 }),
      async (bytes) => {
        await named("readNpy", () => readNpy(bytes));
        await named("readNpz", () => readNpz(bytes));
        await named("readIdx", () => readIdx(bytes));
        await named("readCifar", () => readCifar(bytes));
        await named("readSafetensors", () => readSafetensors(bytes));
      },
    ),
    "readTable on random CSV text and options": fc.asyncProperty(
      fc.array(
        fc.array(fc.oneof(fc.string(), oddNumber.map(String)), {
          maxLength: 4,
        }),
        { maxLength: 6 },
      ),
      anyValue,
      async (rows, hasHeader) => {
        const path = file("t.csv");
        await Deno.writeTextFile(path, rows.map((r) => r.join(",")).join("\n"));
        await named(
          "readTable",
          // deno-lint-ignore no-explicit-any
          () => readTable(path, { hasHeader: hasHeader as any }),
        );
      },
    ),
    "trials store on random lines": fc.asyncProperty(
      fc.array(
        fc.oneof(
          fc.json(),
          fc.string(),
          fc.record({ row: fc.dictionary(fc.string(), fc.jsonValue()) })
            .map((l) => JSON.stringify(l)),
          fc.record({ schema: fc.dictionary(fc.string(), fc.jsonValue()) })
            .map((l) => JSON.stringify(l)),
        ),
        { maxLength: 5 },
      ),
      fc.boolean(),
      async (lines, header) => {
        const path = file("s.trials.jsonl");
        const head = header ? ['{"format":"infolens-trials","version":1}'] : [];
        await Deno.writeTextFile(path, [...head, ...lines].join("\n"));
        await named("readTrials", async () => {
          const s = await readTrials(path);
          s.toDataFrame();
        });
        await named("TrialStore.open", async () => {
          const s = await TrialStore.open(path);
          await s.append({
            trial: null,
            loss: 1,
            duration_s: 0,
            status: "ok",
          });
        });
      },
    ),
    "search spaces from random parameters; sample, encode, decode": fc
      .asyncProperty(
        fc.dictionary(fc.constantFrom("a", "b", "c"), paramSpec, {
          maxKeys: 3,
        }),
        fc.oneof(fc.integer(), oddNumber),
        (params, seed) => {
          let space: SearchSpace;
          try {
            space = new SearchSpace(params);
          } catch (e) {
            expectNamed(e, "new SearchSpace");
            return Promise.resolve();
          }
          let config;
          try {
            config = space.sample(seed);
          } catch (e) {
            expectNamed(e, "space.sample");
            return Promise.resolve();
          }
          space.validate(config);
          const back = space.decode(space.encode(config));
          for (const [name, v] of Object.entries(config)) {
            const w = back[name];
            const close = typeof v === "number" && typeof w === "number"
              ? Math.abs(v - w) <= 1e-9 * Math.max(1, Math.abs(v))
              : v === w;
            if (!close) {
              throw new Error(`decode(encode(${name} = ${v})) gave ${w}`);
            }
          }
          return Promise.resolve();
        },
      ),
    "searchers told odd values": fc.asyncProperty(
      fc.constantFrom(...searchMethods()),
      fc.array(
        fc.oneof(oddNumber, fc.constantFrom(1e308, -1e308)),
        { minLength: 8, maxLength: 8 },
      ),
      (method, values) => {
        const space = new SearchSpace({
          x: { kind: "float", low: 0, high: 1 },
          n: { kind: "int", low: 1, high: 8, log: true },
          c: { kind: "categorical", choices: ["a", "b"] },
        });
        try {
          const searcher = searcherFactory(method)({
            space,
            seed: 1,
            budget: 8,
            fidelity: { min: 1, max: 9 },
          });
          for (const v of values) {
            if (searcher.canAsk && !searcher.canAsk()) break;
            const { trial, config } = searcher.ask();
            space.validate(config);
            searcher.tell(trial, v);
          }
        } catch (e) {
          expectNamed(e, `searcher "${method}"`);
        }
        return Promise.resolve();
      },
    ),
    "trainNetwork on random options": fc.asyncProperty(
      fc.record({
        epochs: fc.oneof(anyValue, fc.integer({ min: 0, max: 2 })),
        batchSize: fc.oneof(anyValue, fc.integer({ min: 1, max: 20 })),
        learningRate: fc.oneof(anyValue, fc.double({ min: 1e-4, max: 1 })),
        seed: fc.oneof(anyValue, fc.integer()),
        optimizer: fc.oneof(anyValue, fc.constantFrom("adam", "sgd")),
        captureEpochs: fc.oneof(anyValue, fc.constant({ count: 2 })),
        earlyStopping: fc.oneof(
          anyValue,
          fc.record({ patience: anyValue, minDelta: anyValue }),
        ),
      }, { requiredKeys: [] }),
      async (options) => {
        const x = Array.from({ length: 12 }, (_, i) => [i % 2, (i >> 1) % 2]);
        const y = x.map(([a, b]) => a ^ b);
        await named("trainNetwork", () =>
          trainNetwork(
            {
              kind: "mlp",
              inputs: 2,
              widths: [3],
              outputs: 2,
              activation: "tanh",
            },
            { x, y },
            // deno-lint-ignore no-explicit-any
            { epochs: 1, ...options } as any,
          ));
      },
    ),
    "estimateMI on odd values, shapes and options": fc.asyncProperty(
      fc.constantFrom("ksg", "gaussian", "binning", "mixed-ksg"),
      fc.integer({ min: 0, max: 30 }),
      fc.integer({ min: 1, max: 3 }),
      fc.array(fc.oneof(oddNumber, anyValue), { maxLength: 3 }),
      // [scale, offset]: ordinary, huge offsets, 1e±300.
      fc.constantFrom([1, 0], [1, 1e9], [1e3, -1e12], [1e300, 0], [1e-300, 0]),
      fc.oneof(
        fc.constant({}),
        fc.record({ k: fc.oneof(anyValue, fc.integer({ min: 1, max: 5 })) }),
        fc.record({ bins: fc.oneof(anyValue, fc.integer({ min: 2, max: 8 })) }),
        fc.record({ seed: anyValue }),
      ),
      async (method, n, d, odd, [scale, offset], options) => {
        // Rows of y = x₀ + noise, moved and scaled, with a few odd values in x.
        const random = new Random(n * 7 + d);
        const r = Array.from({ length: n * (d + 1) }, () => random.normal());
        const x = Array.from(
          { length: n },
          (_, i) =>
            Array.from(
              { length: d },
              (_, j) => offset + scale * r[i * (d + 1) + j],
            ) as unknown[],
        );
        const y = Array.from(
          { length: n },
          (_, i) =>
            method === "mixed-ksg"
              ? i % 2
              : (x[i][0] as number) + scale * r[i * (d + 1) + d],
        );
        odd.forEach((v, k) => {
          if (n > 0) x[(k * 5) % n][k % d] = v;
        });
        const clean = x.flat().every((v) =>
          typeof v === "number" && Number.isFinite(v)
        );
        const applies: Record<string, string[]> = {
          ksg: ["k", "seed"],
          "mixed-ksg": ["k", "seed"],
          binning: ["bins"],
          gaussian: [],
        };
        const ordinary = Object.entries(options).every(([key, v]) =>
          !applies[method].includes(key)
            ? false
            : key === "seed"
            ? Number.isSafeInteger(v)
            : Number.isInteger(v) &&
              (v as number) >= 2 && (v as number) <= 5
        );
        try {
          const out = await estimateMI(
            // deno-lint-ignore no-explicit-any
            x as any,
            y,
            // deno-lint-ignore no-explicit-any
            { method, ...options } as any,
          );
          if (!Number.isFinite(out.estimate) || out.estimate < 0) {
            throw new Error(`${method} gave ${out.estimate}`);
          }
          if (!clean) throw new Error(`${method} accepted ${odd}`);
        } catch (e) {
          expectNamed(e, `estimateMI ${method}`);
          // Data as drawn, enough rows, sensible options: no refusal at all.
          // (An odd value that is finite can make the data ill-conditioned.)
          if (odd.length === 0 && ordinary && n >= 12) {
            throw new Error(
              `${method} refused clean data (scale ${scale}, offset ${offset}): ${
                (e as Error).message
              }`,
            );
          }
        }
      },
    ),
    "hsic indices on odd values": fc.asyncProperty(
      fc.integer({ min: 0, max: 12 }),
      fc.array(oddNumber, { minLength: 24, maxLength: 24 }),
      (n, values) => {
        const x = Array.from(
          { length: n },
          (_, i) => [values[i], values[i + 12]],
        );
        const y = Array.from({ length: n }, (_, i) => values[(i * 7) % 24]);
        try {
          hsicTable(x, y, { names: ["a", "b"] });
        } catch (e) {
          expectNamed(e, "hsicTable");
        }
        return Promise.resolve();
      },
    ),
  };
}

/** Runs every property; returns the failures' messages. */
export async function runProperties(
  numRuns: number,
  seed: number,
): Promise<string[]> {
  const dir = await Deno.makeTempDir();
  const failures: string[] = [];
  try {
    for (const [name, prop] of Object.entries(properties(dir))) {
      const out = await fc.check(prop, { numRuns, seed });
      if (out.failed) {
        failures.push(
          `${name}: ${(out.errorInstance as Error)?.message} (counterexample ${
            fc.stringify(out.counterexample)
          })`,
        );
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return failures;
}
