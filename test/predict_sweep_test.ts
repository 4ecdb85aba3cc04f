/**
 * The predictors' sweep: its trial list, shards, and the shipped table —
 * complete, and reproduced exactly by re-running one of its trials.
 */
import { assert, assertEquals, assertThrows } from "./support/assert.ts";
import { setBackend } from "../lib/nets/backend.ts";
import { readTable } from "../lib/data/tables.ts";
import {
  evaluateArchitecture,
  PREDICTOR_SWEEP,
  predictorConfigs,
  predictorSpace,
  predictorTablePath,
  rungBudgets,
  shardTrials,
} from "../studies/predictors/architecture_sweep.ts";

await setBackend("wasm");

Deno.test("the trial list: 17 architectures per task from Li et al.'s brackets, widths from the thesis's options", () => {
  assertEquals(rungBudgets(), [1, 3, 9]);
  const configs = predictorConfigs(25);
  assertEquals(configs.length, 425);
  const space = predictorSpace();
  for (const c of configs) space.validate(c);
  assertEquals(
    configs.filter((c) => c.task === 0 && c.bracket === 2).length,
    9,
  );
  assertEquals(
    configs.filter((c) => c.task === 0 && c.bracket === 1).length,
    5,
  );
  assertEquals(
    configs.filter((c) => c.task === 0 && c.bracket === 0).length,
    3,
  );
  assertEquals(predictorConfigs(25), configs, "deterministic");
});

Deno.test("shards partition the trials", () => {
  const parts = [0, 1, 2].map((i) => shardTrials(`${i}/3`, 10));
  assertEquals(parts.flat().sort((a, b) => a - b), [...Array(10).keys()]);
  assertEquals(shardTrials("0/1", 4), [0, 1, 2, 3]);
  for (const bad of ["3/3", "1", "a/b", "0/0"]) {
    assertThrows(() => shardTrials(bad, 10), /--shard must be i\/n/);
  }
});

const table = await readTable(predictorTablePath()).catch(() => null);

Deno.test({
  name:
    "the shipped table is complete and one of its trials re-runs to the same numbers",
  ignore: table === null,
  fn: async () => {
    const rows = table!.toRecords();
    assertEquals(rows.length, 425);
    assert(rows.every((r) => r.status === "ok"), "every trial finished");
    const trial = 37;
    const config = predictorConfigs(25)[trial];
    const row = rows.find((r) => r.trial === trial)!;
    assertEquals([row.task, row.bracket, row.slot], [
      config.task,
      config.bracket,
      config.slot,
    ]);
    const again = await evaluateArchitecture(config);
    for (
      const key of [
        "acc_1",
        "acc_3",
        "acc_9",
        "test_acc",
        "params",
        "mi_binning_2",
        "mi_ksg_3",
        "mi_mine_4",
        "mi_smile_1",
      ]
    ) {
      assert(
        Math.abs((row[key] as number) - again[key]) <=
          1e-6 * Math.max(1, Math.abs(again[key])),
        `${key}: table ${row[key]}, re-run ${again[key]}`,
      );
    }
    assertEquals(PREDICTOR_SWEEP.widths.length, 23);
  },
});
