// `auto`: the member chosen for each kind of condition the matrix has, and
// what it records in the trials table.
import { assert, assertEquals } from "./support/assert.ts";
import { chooseMethod } from "../lib/search/auto.ts";
import { matrixConditions } from "../lib/search/matrix_conditions.ts";
import { optimize, searchMetadata } from "../lib/search/optimize.ts";
import { branin } from "../lib/search/functions.ts";
import { float, SearchSpace } from "../lib/space/space.ts";
import { nasBench201Space } from "../studies/search/arch_similarity.ts";
import { findNasBench201 } from "../studies/shared_data.ts";

Deno.test("auto's choice for each kind of matrix condition (rule table of auto.ts)", async () => {
  const conditions = await matrixConditions({
    nasBench201Path: await findNasBench201(),
  });
  const want: Record<string, string> = {
    "small-continuous": "tpe-multivariate",
    "conditional": "tpe-multivariate",
    "architecture": "gp-ei",
    "multi-fidelity": "gp-ei",
  };
  for (const c of conditions) {
    const settings = {
      space: c.space,
      budget: 100,
      fidelity: c.fidelity,
    };
    const { method, reason, rule } = chooseMethod(settings);
    assert(reason.length > 20, reason);
    assert(rule.length > 0);
    if (c.group === "large-continuous") {
      assertEquals(method, "gp-ei", c.name);
      assertEquals(
        chooseMethod({ ...settings, budget: 20 }).method,
        "evolution",
      );
    } else if (c.group in want) {
      assertEquals(method, want[c.group], c.name);
    }
  }
  // A noisy condition gets its noise-free kind's member (noise is not a setting).
  const noisy = conditions.filter((c) => c.group === "noisy");
  assert(noisy.length >= 4);
  for (const c of noisy) {
    const base = conditions.find((b) =>
      b.name === c.name.replace(/-noisy$/, "")
    )!;
    assertEquals(
      chooseMethod({ space: c.space, budget: 100 }).method,
      chooseMethod({ space: base.space, budget: 100 }).method,
    );
  }
  // A fidelity on a large space: BOHB (the rule the matrix does not measure).
  const large = new SearchSpace(
    Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`x${i}`, float(0, 1)]),
    ),
  );
  assertEquals(
    chooseMethod({ space: large, fidelity: { min: 1, max: 27 } }).method,
    "bohb",
  );
  // The budget bands: 20 → evolution, 21 → gp-ei, none → gp-ei.
  assertEquals(chooseMethod({ space: large, budget: 21 }).method, "gp-ei");
  assertEquals(chooseMethod({ space: large }).method, "gp-ei");
  // Architecture comes first, before the categorical rule (NAS-Bench-201's
  // six edges over five operations declare theirs, table or not).
  assertEquals(chooseMethod({ space: nasBench201Space() }).method, "gp-ei");
});

Deno.test("optimize(…, { method: 'auto' }) records the member and why in the table's metadata", async () => {
  const df = await optimize((c) => branin.evaluate(c), branin.space, {
    method: "auto",
    budget: 10,
    seed: 1,
    progress: "quiet",
  });
  assertEquals(df.height, 10);
  const meta = searchMetadata(df);
  assertEquals(meta.method, "auto");
  assertEquals(meta["auto.method"], "tpe-multivariate");
  assertEquals(
    meta["auto.reason"],
    chooseMethod({ space: branin.space, budget: 10 }).reason,
  );
  // Another method records only its name; a derived table records nothing.
  const tpe = await optimize((c) => branin.evaluate(c), branin.space, {
    method: "tpe",
    budget: 5,
    progress: "quiet",
  });
  assertEquals(searchMetadata(tpe), { method: "tpe" });
  assertEquals(searchMetadata(df.head(3)), {});
});
