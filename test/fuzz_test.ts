/**
 * Property-based tests of the public entry points (see support/fuzz.ts):
 * a fixed seed and a bounded number of cases here; `deno task bench fuzz`
 * runs many more.
 */
import fc from "fast-check";
import { assertEquals } from "./support/assert.ts";
import { properties } from "./support/fuzz.ts";

const dir = await Deno.makeTempDir();
for (const [name, prop] of Object.entries(properties(dir))) {
  Deno.test(`fuzz: ${name}`, async () => {
    const out = await fc.check(prop, { numRuns: 60, seed: 20260522 });
    assertEquals(
      out.failed
        ? `${(out.errorInstance as Error)?.message} for ${
          fc.stringify(out.counterexample)
        }`
        : null,
      null,
    );
  });
}
