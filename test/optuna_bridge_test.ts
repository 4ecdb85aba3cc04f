/**
 * The Optuna ask/tell bridge (bench/peers/optuna_bridge.ts): Optuna's
 * samplers run on a conditional space evaluated in Deno, define-by-run
 * suggestions leave inactive params out, and the rows follow
 * benchmarkMatrix's rule (the incumbent by observed value). Skipped when
 * `/usr/bin/python3` has no optuna.
 */

import { assert, assertEquals } from "./support/assert.ts";
import {
  optunaBridgeRows,
  optunaBridgeRun,
} from "../bench/peers/optuna_bridge.ts";
import { haveOptuna } from "../bench/peers/optuna.ts";
import type { MatrixCondition } from "../lib/search/matrix.ts";
import {
  boolean,
  categorical,
  type Config,
  float,
  int,
  ordinal,
  SearchSpace,
} from "../lib/space/space.ts";

const hasOptuna = await haveOptuna();

const space = new SearchSpace({
  lr: float(1e-4, 1e-1, { log: true }),
  depth: int(1, 3),
  width_2: int(4, 64, { log: true, when: { depth: { gte: 2 } } }),
  width_3: int(4, 64, { log: true, when: { depth: { gte: 3 } } }),
  optimizer: categorical(["adam", "sgd"]),
  momentum: float(0, 0.99, { when: { optimizer: "sgd" } }),
  batch: ordinal([16, 32, 64]),
  bias: boolean(),
});

// Deterministic, so the test can recompute every observed value.
const objective = (c: Config) =>
  (Math.log10(c.lr as number) + 2.5) ** 2 + 0.1 * (c.depth as number) +
  (c.width_2 === undefined ? 0 : 0.01 * Math.log2(c.width_2 as number)) +
  (c.optimizer === "sgd" ? 0.2 * (c.momentum as number) : 0.05) +
  (c.batch as number) / 640 + (c.bias ? 0 : 0.03);

const condition: MatrixCondition = {
  name: "tiny-conditional",
  group: "conditional",
  space,
  optimum: 0,
  evaluate: (c) => objective(c),
};

Deno.test({
  name: "optuna bridge: configs respect the conditions, rows the incumbent",
  ignore: !hasOptuna,
  async fn() {
    for (const sampler of ["random", "tpe"] as const) {
      const configs: Config[] = [];
      const rows = await optunaBridgeRun(
        condition,
        sampler,
        3,
        [8, 4],
        (c) => configs.push(c),
      );
      assertEquals(configs.length, 8);
      for (const c of configs) {
        space.validate(c);
        for (const name of space.names) {
          // Present exactly when active: inactive params are absent.
          assertEquals(
            name in c,
            space.isActive(name, c),
            `${sampler} ${name}`,
          );
        }
      }
      assertEquals(rows.map((r) => r.budget), [4, 8]);
      for (const r of rows) {
        assertEquals(r.method, `optuna-${sampler}`);
        assertEquals([r.condition, r.group, r.seed], [
          "tiny-conditional",
          "conditional",
          3,
        ]);
        const best = Math.min(...configs.slice(0, r.budget).map(objective));
        assertEquals(r.best, best);
        assertEquals(r.regret, best);
      }
    }
  },
});

Deno.test({
  name: "optuna bridge: a seed repeats its run, other seeds differ",
  ignore: !hasOptuna,
  async fn() {
    const a = await optunaBridgeRows(condition, [6], [0, 1], undefined, [
      "tpe-multivariate",
    ]);
    const b = await optunaBridgeRows(condition, [6], [0], undefined, [
      "tpe-multivariate",
    ]);
    assertEquals(a.length, 2);
    assertEquals(b[0], a[0]);
    assert(a[0].best !== a[1].best);
  },
});
