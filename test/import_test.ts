/**
 * Importing other tools' studies: an Optuna storage and its
 * trials_dataframe() CSV (written by Debian's python3-optuna in the test),
 * Ray-Tune-like and W&B-like tables, export round trips, inferSpace's rules,
 * compareImportance, and the errors.
 */
import pl from "nodejs-polars";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertThrows,
} from "./support/assert.ts";
import { inferSpace, SpaceError } from "../lib/space/mod.ts";
import {
  exportTrials,
  importOptunaStudy,
  importTrialsTable,
  TrialsImportError,
} from "../lib/trials/mod.ts";
import { compareImportance, hsicAnalysis } from "../lib/hsic/mod.ts";
import { InfolensError } from "../lib/errors.ts";

const PYTHON = "/usr/bin/python3";
// Spawned synchronously: a failed async spawn escapes a top-level await.
const hasOptuna = (() => {
  try {
    return new Deno.Command(PYTHON, {
      args: ["-c", "import optuna"],
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
})();

/** `fn` throws an instance of `cls` whose message contains `text`. */
function throwsWith(
  fn: () => unknown,
  cls: new (...args: never[]) => Error,
  text: string,
): void {
  assertThrows(fn, cls);
  try {
    fn();
  } catch (e) {
    assert((e as Error).message.includes(text), (e as Error).message);
  }
}

interface Expected {
  number: number;
  state: string;
  params: Record<string, number | string>;
  value: number | null;
  distributions: Record<
    string,
    {
      type: string;
      low?: number;
      high?: number;
      log?: boolean;
      choices?: string[];
    }
  >;
}

let studyDir: Promise<string> | null = null;
/** The study of test/support/make_optuna_study.py, written once per run. */
function study(): Promise<string> {
  studyDir ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "infolens-optuna-" });
    const out = await new Deno.Command(PYTHON, {
      args: [
        new URL("./support/make_optuna_study.py", import.meta.url).pathname,
        dir,
        "60",
      ],
    }).output();
    assert(out.success, new TextDecoder().decode(out.stderr));
    return dir;
  })();
  return studyDir;
}

async function expected(dir: string): Promise<Expected[]> {
  return JSON.parse(await Deno.readTextFile(join(dir, "expected.json")));
}

function checkAgainstStudy(
  imported: ReturnType<typeof importOptunaStudy>,
  want: Expected[],
) {
  const complete = want.filter((t) => t.state === "COMPLETE");
  const rows = imported.trials.toRecords();
  assertEquals(rows.map((r) => r.trial), complete.map((t) => t.number));
  for (const [i, t] of complete.entries()) {
    const row = rows[i];
    assertEquals(row.status, "ok");
    assertAlmostEquals(row.value as number, t.value!, 1e-12);
    for (const name of ["x", "lr", "depth", "opt", "momentum"]) {
      const v = t.params[name];
      if (v === undefined) assertEquals(row[name], null, `${name} absent`);
      else if (typeof v === "number") {
        assertAlmostEquals(row[name] as number, v, 1e-12);
      } else assertEquals(row[name], v);
    }
  }
  // Every finished trial validates against the space (conditions included).
  for (const row of rows) {
    const config = Object.fromEntries(
      imported.space.names.map((n) => [n, row[n] as number | string | null]),
    );
    imported.space.validate(config);
  }
}

Deno.test({
  name:
    "an Optuna storage imports every finished trial with its values and distributions",
  ignore: !hasOptuna,
  async fn() {
    const dir = await study();
    const want = await expected(dir);
    const imported = importOptunaStudy(join(dir, "study.db"), {
      study: "main",
    });
    checkAgainstStudy(imported, want);
    assertEquals(imported.study, "main");
    assertEquals(imported.directions, ["minimize"]);
    assertEquals(imported.objectives, ["value"]);
    const states = want.map((t) => t.state);
    assertEquals(
      imported.counts.ok,
      states.filter((s) => s === "COMPLETE").length,
    );
    assertEquals(
      imported.counts.pruned,
      states.filter((s) => s === "PRUNED").length,
    );
    assertEquals(
      imported.counts.failed,
      states.filter((s) => s === "FAIL").length,
    );
    assert(imported.counts.pruned > 0 && imported.counts.failed > 0);

    // The space matches the study's distributions.
    const dists = Object.assign({}, ...want.map((t) => t.distributions));
    const { params } = imported.space;
    for (const name of ["x", "lr", "momentum"]) {
      const p = params[name];
      assert(p.kind === "float", name);
      assertEquals([p.low, p.high, p.log ?? false], [
        dists[name].low,
        dists[name].high,
        dists[name].log,
      ]);
    }
    const depth = params.depth;
    assert(depth.kind === "int");
    assertEquals([depth.low, depth.high], [dists.depth.low, dists.depth.high]);
    const opt = params.opt;
    assert(opt.kind === "categorical");
    assertEquals(opt.choices, dists.opt.choices);
    // The conditional parameter's parent, found from co-occurrence.
    assertEquals(params.momentum.when, { opt: "sgd" });
    assert(String(imported.space).includes("conditional"));

    // Keeping pruned and failed trials, with their status.
    const all = importOptunaStudy(join(dir, "study.db"), {
      study: "main",
      states: ["ok", "pruned", "failed"],
    });
    const statuses: unknown[] = [...all.trials.getColumn("status").toArray()];
    assertEquals(statuses.length, want.length);
    assertEquals(
      statuses,
      want.map((t) =>
        ({ COMPLETE: "ok", PRUNED: "pruned", FAIL: "failed" } as Record<
          string,
          string
        >)[t.state]
      ) as unknown[],
    );

    // And HSIC runs on it.
    const { indices } = hsicAnalysis(imported.trials, imported.space, {
      objective: "value",
      goal: { quantile: 0.2 },
      permutations: 20,
    });
    assertEquals(indices.height, 5);
  },
});

Deno.test({
  name: "the same study imports from its trials_dataframe() CSV",
  ignore: !hasOptuna,
  async fn() {
    const dir = await study();
    const want = await expected(dir);
    const imported = importOptunaStudy(join(dir, "study.csv"));
    checkAgainstStudy(imported, want);
    const { params } = imported.space;
    assert(params.lr.kind === "float" && params.lr.log === true);
    assert(params.x.kind === "float" && !params.x.log);
    assert(params.depth.kind === "int");
    assertEquals(params.momentum.when, { opt: "sgd" });
    const durations = imported.trials.getColumn("duration_s").toArray();
    assert(durations.every((d) => typeof d === "number" && d >= 0));
  },
});

Deno.test("a Ray-Tune-like CSV imports with config/ columns and an inferred space", async () => {
  const n = 40;
  const dir = await Deno.makeTempDir();
  const path = join(dir, "progress.csv");
  const lines = [
    "trial_id,config/lr,config/layers,config/act,config/wd,mean_loss,time_total_s,done",
  ];
  for (let i = 0; i < n; i++) {
    const lr = 10 ** (-5 + 4 * ((i * 17) % n) / n);
    const act = ["relu", "gelu"][i % 2];
    const wd = act === "gelu" ? String(0.001 * (1 + (i % 5))) : "";
    lines.push(
      `t${i},${lr},${1 + (i % 8)},${act},${wd},${i / n},${i + 0.5},True`,
    );
  }
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  const imported = importTrialsTable(path, { objective: "mean_loss" });
  assertEquals(imported.trials.height, n);
  const { params } = imported.space;
  assertEquals(Object.keys(params).sort(), ["act", "layers", "lr", "wd"]);
  assert(params.lr.kind === "float" && params.lr.log === true);
  assert(
    params.layers.kind === "int" && params.layers.low === 1 &&
      params.layers.high === 8,
  );
  assert(params.act.kind === "categorical");
  assertEquals(params.wd.when, { act: "gelu" });
  assertEquals(imported.trials.getColumn("duration_s").toArray()[3], 3.5);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a W&B-like export imports with named parameter columns and states", () => {
  const n = 30;
  const df = pl.DataFrame({
    Name: Array.from({ length: n }, (_, i) => `run-${i}`),
    State: Array.from(
      { length: n },
      (_, i) => (i % 10 === 9 ? "crashed" : i === 0 ? "running" : "finished"),
    ),
    batch_size: Array.from({ length: n }, (_, i) => [32, 64, 128][i % 3]),
    dropout: Array.from({ length: n }, (_, i) => (i * 0.013) % 0.5),
    use_bn: Array.from({ length: n }, (_, i) => i % 2 === 0),
    val_acc: Array.from({ length: n }, (_, i) => 0.5 + i / 100),
    Runtime: Array.from({ length: n }, () => 12),
  });
  const imported = importTrialsTable(df, {
    objective: "val_acc",
    params: ["batch_size", "dropout", "use_bn"],
    minimize: false,
  });
  assertEquals(imported.counts, { ok: 26, pruned: 0, failed: 3, skipped: 1 });
  assertEquals(imported.trials.height, 26);
  assertEquals(imported.directions, ["maximize"]);
  const { params } = imported.space;
  assert(params.batch_size.kind === "ordinal");
  assertEquals(params.batch_size.values, [32, 64, 128]);
  assert(params.use_bn.kind === "boolean");
  assert(params.dropout.kind === "float" && !params.dropout.log);
});

Deno.test("inferSpace: the log rule, constants, overrides and optional parameters", () => {
  const rows = Array.from({ length: 30 }, (_, i) => ({
    wide: 1 + i * 10, // max/min = 291: log
    narrow: 1 + i, // max/min = 30: linear
    c: 7,
    maybe: i % 3 === 0 ? null : i, // missing with no parent that explains it
    loss: i,
  }));
  const space = inferSpace(rows);
  assert(space.params.wide.kind === "int" && space.params.wide.log === true);
  assert(space.params.narrow.kind === "int" && !space.params.narrow.log);
  assert(!("c" in space.params), "a constant is left out");
  assertEquals(space.optional, ["maybe"]);
  const over = inferSpace(rows, {
    wide: { log: false },
    narrow: { kind: "float", low: 0, high: 100 },
    maybe: null,
  });
  assert(over.params.wide.kind === "int" && over.params.wide.log === false);
  assertEquals(over.params.narrow, { kind: "float", low: 0, high: 100 });
  assert(!("maybe" in over.params));
  throwsWith(() => inferSpace(rows, { nope: null }), SpaceError, "no column");
});

Deno.test("export round trip: CSV and Parquet read back equal", async () => {
  const dir = await Deno.makeTempDir();
  const df = pl.DataFrame([
    pl.Series("trial", [0, 1, 2], pl.Int64),
    pl.Series("lr", [0.1, null, 0.003], pl.Float64),
    pl.Series("act", ["relu", "tanh", null], pl.Utf8),
    pl.Series("loss", [0.5, 0.25, 0.125], pl.Float64),
    pl.Series("status", ["ok", "ok", "failed"], pl.Utf8),
  ]);
  for (const ext of ["csv", "parquet"]) {
    const path = join(dir, `trials.${ext}`);
    exportTrials(df, path);
    const back = ext === "csv" ? pl.readCSV(path) : pl.readParquet(path);
    assertEquals(back.columns, df.columns);
    assertEquals(back.toRecords(), df.toRecords());
  }
  assertThrows(
    () => exportTrials(df, join(dir, "trials.xlsx")),
    TrialsImportError,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("import errors name the file, the field and the fix", async () => {
  const dir = await Deno.makeTempDir();
  const text = join(dir, "notes.db");
  await Deno.writeTextFile(
    text,
    "not a database at all, just some text\n".repeat(20),
  );
  throwsWith(
    () => importOptunaStudy(text),
    TrialsImportError,
    "not an Optuna database",
  );

  const other = join(dir, "other.db");
  const db = new DatabaseSync(other);
  db.exec("CREATE TABLE things (id INTEGER)");
  db.close();
  throwsWith(
    () => importOptunaStudy(other),
    TrialsImportError,
    "no table studies",
  );

  // An Optuna-shaped file of an unknown schema version.
  const old = join(dir, "old.db");
  const o = new DatabaseSync(old);
  o.exec(`CREATE TABLE studies (study_id INTEGER, study_name TEXT);
    CREATE TABLE trials (trial_id INTEGER); CREATE TABLE trial_params (param_id INTEGER);
    CREATE TABLE trial_values (trial_value_id INTEGER);
    CREATE TABLE version_info (version_info_id INTEGER, schema_version INTEGER, library_version TEXT);
    INSERT INTO version_info VALUES (1, 11, '2.10.0');`);
  o.close();
  throwsWith(
    () => importOptunaStudy(old),
    TrialsImportError,
    "schema version 11",
  );

  const csv = join(dir, "runs.csv");
  await Deno.writeTextFile(csv, "config/lr,acc\n0.1,0.5\n0.2,0.6\n");
  throwsWith(
    () => importTrialsTable(csv, { objective: "loss" }),
    TrialsImportError,
    "columns: config/lr, acc",
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test({
  name:
    "Optuna import errors: ambiguous and unknown study names, no finished trials",
  ignore: !hasOptuna,
  async fn() {
    const dir = await study();
    const path = join(dir, "study.db");
    throwsWith(
      () => importOptunaStudy(path),
      TrialsImportError,
      '"main", "other"',
    );
    throwsWith(
      () => importOptunaStudy(path, { study: "nope" }),
      TrialsImportError,
      'no study named "nope"',
    );
    throwsWith(
      () => importOptunaStudy(path, { study: "other" }),
      InfolensError,
      "no finished (COMPLETE) trials",
    );
  },
});

Deno.test({
  name: "compareImportance puts HSIC beside Optuna's fANOVA and MDI",
  ignore: !hasOptuna,
  async fn() {
    const dir = await study();
    const { table, optuna, n } = await compareImportance(
      join(dir, "study.db"),
      {
        study: "main",
        quantile: 0.2,
        permutations: 20,
      },
    );
    assert(optuna.available, optuna.message);
    assertEquals(table.columns, [
      "param",
      "hsic",
      "hsicGoal",
      "pValue",
      "fanova",
      "mdi",
      "nActive",
    ]);
    assertEquals(table.height, 5);
    const rows = table.toRecords();
    const fanova = rows.map((r) => r.fanova).filter((v) =>
      v !== null
    ) as number[];
    assertAlmostEquals(fanova.reduce((a, b) => a + b, 0), 1, 1e-6);
    // The conditional parameter: ranked by HSIC, not by Optuna's evaluators.
    const momentum = rows.find((r) => r.param === "momentum")!;
    assertEquals(momentum.fanova, null);
    assert(typeof momentum.hsicGoal === "number");
    assert(n > 10);

    const without = await compareImportance(join(dir, "study.db"), {
      study: "main",
      permutations: 5,
      python: "/nonexistent/python3",
    });
    assert(!without.optuna.available);
    assert(without.optuna.message.includes("python3-optuna"));
    assert(without.table.toRecords().every((r) => r.fanova === null));
  },
});
