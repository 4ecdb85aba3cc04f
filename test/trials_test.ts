import {
  assert,
  assertEquals,
  assertRejects,
  assertThrows,
} from "./support/assert.ts";
import pl from "nodejs-polars";
import { join } from "node:path";
import { categorical, float, int, SearchSpace } from "../lib/space/space.ts";
import {
  readTrials,
  trialRow,
  trialSchema,
  TrialsError,
  trialsFrame,
  TrialStore,
} from "../lib/trials/trials.ts";
import { repairTrialStore } from "../lib/trials/repair.ts";

const WRITER = join(import.meta.dirname!, "support", "trial_writer.ts");

const space = new SearchSpace({
  lr: float(1e-4, 1e-1, { log: true }),
  depth: int(1, 4),
  width_3: int(16, 256, { when: { depth: { gte: 3 } } }),
  act: categorical(["relu", "tanh"]),
});

async function tempStore(): Promise<string> {
  const dir = await Deno.makeTempDir();
  return join(dir, "sweep.trials.jsonl");
}

function dtypes(df: pl.DataFrame): Record<string, string> {
  return Object.fromEntries(
    df.columns.map((c, i) => [c, String(df.dtypes[i])]),
  );
}

Deno.test("trialRow orders columns as DESIGN.md says", () => {
  const row = trialRow({
    trial: 3,
    config: { lr: 0.01, depth: 2, width_3: null },
    budget: 4,
    objectives: { loss: 0.2, accuracy: 0.9 },
    seed: 7,
    duration_s: 1.5,
    measurements: { mi_0: 1.1, mi_1: 0.5 },
  });
  assertEquals(Object.keys(row), [
    "trial",
    "lr",
    "depth",
    "width_3",
    "budget",
    "loss",
    "accuracy",
    "seed",
    "duration_s",
    "status",
    "mi_0",
    "mi_1",
  ]);
  assertEquals(row.status, "ok");
});

Deno.test("trialsFrame types columns by schema; nulls where inactive", () => {
  const schema = trialSchema(space, ["loss"], ["mi_0"]);
  const rows = space.sampleMany(20, 0).map((config, i) =>
    trialRow({
      trial: i,
      config,
      objectives: { loss: i / 10 },
      seed: i,
      duration_s: 0.1,
      measurements: { mi_0: 0.5 },
    })
  );
  const df = trialsFrame(rows, schema);
  assertEquals(df.shape, { height: 20, width: 11 });
  const t = dtypes(df);
  assertEquals(t.trial, "DataType(Int64)");
  assertEquals(t.depth, "DataType(Int64)");
  assertEquals(t.lr, "DataType(Float64)");
  assertEquals(t.act, "DataType(String)");
  assertEquals(t.budget, "DataType(Float64)");
  assertEquals(t.status, "DataType(String)");
  const depth = df.getColumn("depth").toArray() as number[];
  const width = df.getColumn("width_3").toArray();
  depth.forEach((d, i) => assertEquals(width[i] === null, d < 3));
});

Deno.test("bad rows are errors that name the column", () => {
  assertThrows(
    () => trialsFrame([{ trial: 0, duration_s: 1 }]),
    /needs a "status" column/,
  );
  assertThrows(
    () => trialsFrame([{ trial: 0, duration_s: 1, status: "done" }]),
    /status must be "ok", "failed" or "pruned"/,
  );
  assertThrows(
    () => trialsFrame([{ trial: 0, duration_s: 1, status: "ok", loss: NaN }]),
    /use null for a missing value, not NaN/,
  );
  assertThrows(
    () =>
      trialsFrame([{ trial: 0, duration_s: 1, status: "ok", loss: "low" }], {
        loss: "float",
      }),
    /column "loss" holds float values, got "low"/,
  );
  assertThrows(
    () => trialsFrame([{ trial: 0.5, duration_s: 1, status: "ok" }]),
    /column "trial" holds int values/,
  );
});

Deno.test("a store reads back the same DataFrame, dtypes included", async () => {
  const path = await tempStore();
  const store = await TrialStore.open(path, {
    schema: trialSchema(space, ["loss", "accuracy"]),
  });
  const configs = space.sampleMany(30, 5);
  for (const [i, config] of configs.entries()) {
    await store.append(trialRow({
      config,
      budget: i % 3 === 0 ? null : i,
      objectives: { loss: i % 7 === 0 ? null : 1 / (i + 1), accuracy: 0.5 },
      seed: i,
      duration_s: 0.25,
      status: i === 4 ? "failed" : "ok",
      measurements: i > 10 ? { mi_0: i / 3 } : {},
    }));
  }
  const written = store.toDataFrame();
  const back = (await TrialStore.open(path)).toDataFrame();
  assertEquals(back.columns, written.columns);
  assertEquals(dtypes(back), dtypes(written));
  assertEquals(back.toRecords(), written.toRecords());
  assertEquals(
    back.getColumn("trial").toArray(),
    Array.from({ length: 30 }, (_, i) => i),
  );
  // Read-only access agrees too.
  assertEquals(
    (await readTrials(path)).toDataFrame().toRecords(),
    written.toRecords(),
  );
});

Deno.test("resume: a reopened store knows which trials are done", async () => {
  const path = await tempStore();
  const first = await TrialStore.open(path);
  for (const t of [0, 1, 2, 5]) {
    await first.append(
      trialRow({
        trial: t,
        config: { x: t },
        objectives: { loss: t },
        duration_s: 0,
      }),
    );
  }
  const again = await TrialStore.open(path);
  assertEquals([...again.completed()].sort(), [0, 1, 2, 5]);
  assert(again.has(5) && !again.has(3));
  assertEquals(again.nextTrial(), 6);
  await assertRejects(
    () =>
      again.append(
        trialRow({
          trial: 2,
          config: { x: 2 },
          objectives: { loss: 2 },
          duration_s: 0,
        }),
      ),
    /trial 2 is already in/,
  );
});

Deno.test("type conflicts against the stored schema are refused before writing", async () => {
  const path = await tempStore();
  const store = await TrialStore.open(path);
  await store.append(
    trialRow({
      config: { act: "relu" },
      objectives: { loss: 1 },
      duration_s: 0,
    }),
  );
  await assertRejects(
    () =>
      store.append(
        trialRow({
          config: { act: 3 },
          objectives: { loss: 1 },
          duration_s: 0,
        }),
      ),
    /column "act" holds str values, got 3/,
  );
  assertEquals((await TrialStore.open(path)).size, 1);
  await assertRejects(
    () => TrialStore.open(path, { schema: { act: "int" } }),
    /"act" is str in the store but int/,
  );
});

Deno.test("a torn last line is ignored on read and cut by the next writer", async () => {
  const path = await tempStore();
  const store = await TrialStore.open(path);
  await store.append(
    trialRow({ config: { x: 1 }, objectives: { loss: 1 }, duration_s: 0 }),
  );
  // A writer killed inside write(): half a line, no newline.
  await Deno.writeTextFile(path, '{"row":{"trial":1,"x":2,"torn_fragm', {
    append: true,
  });
  assertEquals((await readTrials(path)).size, 1);
  const next = await TrialStore.open(path);
  await next.append(
    trialRow({ config: { x: 3 }, objectives: { loss: 3 }, duration_s: 0 }),
  );
  const back = await readTrials(path);
  assertEquals(back.rows().map((r) => r.x), [1, 3]);
  const text = await Deno.readTextFile(path);
  assert(!text.includes("torn_fragm"), "the fragment was cut");
  for (const line of text.trim().split("\n")) JSON.parse(line);
});

Deno.test("a damaged line in the middle is reported, not skipped", async () => {
  const path = await tempStore();
  await Deno.writeTextFile(
    path,
    '{"format":"infolens-trials","version":1}\nnot json\n',
  );
  const store = await quietly(() => readTrials(path));
  assert(/line 2 \(byte 41\) is not JSON/.test(store.damage ?? ""));
  await assertRejects(
    () => readTrials(path + ".missing"),
    /no trials store at/,
  );
});

/** Runs `fn` with console.warn captured; returns its result and the warnings. */
async function warnings<T>(fn: () => Promise<T>): Promise<[T, string[]]> {
  const said: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => said.push(args.join(" "));
  try {
    return [await fn(), said];
  } finally {
    console.warn = warn;
  }
}

async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  return (await warnings(fn))[0];
}

async function storeWithRows(n: number): Promise<string> {
  const path = await tempStore();
  const store = await TrialStore.open(path);
  for (let i = 0; i < n; i++) {
    await store.append(
      trialRow({ config: { x: i }, objectives: { loss: i }, duration_s: 0 }),
    );
  }
  return path;
}

Deno.test("stores edited by other tools (CRLF, blank lines, no final newline) open losslessly", async () => {
  const path = await storeWithRows(3);
  const lines = (await Deno.readTextFile(path)).trim().split("\n");
  // CRLF endings, blank lines between, no newline after the last row.
  await Deno.writeTextFile(path, lines.join("\r\n\r\n"));
  const [store, said] = await warnings(() => TrialStore.open(path));
  assertEquals(said, []);
  assertEquals(store.rows().map((r) => r.x), [0, 1, 2]);
  await store.append(
    trialRow({ config: { x: 3 }, objectives: { loss: 3 }, duration_s: 0 }),
  );
  const back = await readTrials(path);
  assertEquals(back.rows().map((r) => r.x), [0, 1, 2, 3]);
  assertEquals(back.damage, null);
});

Deno.test("a torn last line is cut with a warning that says so", async () => {
  const path = await storeWithRows(1);
  await Deno.writeTextFile(path, '{"row":{"trial":1,"x":', { append: true });
  const [store, said] = await warnings(() => TrialStore.open(path));
  assertEquals(store.size, 1);
  assertEquals(said.length, 1);
  assert(/cut a torn last line \(22 bytes/.test(said[0]), said[0]);
});

Deno.test("a damaged store opens read-only with its good rows, and repairs to a clean copy", async () => {
  const path = await storeWithRows(2);
  const text = await Deno.readTextFile(path);
  const lines = text.trim().split("\n");
  // A bad line, 42 and null between good rows, a good row after them.
  lines.splice(3, 0, "<<<<<<< merge", "42", "null");
  lines.push(
    JSON.stringify({
      row: { trial: 7, x: 7, loss: 7, duration_s: 0, status: "ok" },
    }),
  );
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  const [store, said] = await warnings(() => TrialStore.open(path));
  assertEquals(store.rows().map((r) => r.x), [0, 1, 7]);
  assertEquals(said, [store.damage]);
  assert(/line 4 \(byte \d+\) is not JSON/.test(store.damage!));
  assert(/line 5 \(byte \d+\) is 42, not a store line/.test(store.damage!));
  assert(/line 6 \(byte \d+\) is null, not a store line/.test(store.damage!));
  await assertRejects(
    () =>
      store.append(
        trialRow({ config: { x: 9 }, objectives: { loss: 9 }, duration_s: 0 }),
      ),
    /cannot append: .* It is read-only/,
  );
  assertEquals(await Deno.readTextFile(path), lines.join("\n") + "\n");
  const report = await repairTrialStore(path);
  assertEquals(report.rows, 3);
  assertEquals(report.dropped.map((d) => d.line), [4, 5, 6]);
  const clean = await TrialStore.open(report.path);
  assertEquals(clean.damage, null);
  assertEquals(clean.rows().map((r) => r.x), [0, 1, 7]);
  await assertRejects(() => repairTrialStore(path), /exists/);
});

Deno.test("a JSONL file that is not a store, or of another version, is refused untouched", async () => {
  const path = await tempStore();
  for (
    const [text, message] of [
      [
        '{"a":1}\n{"a":2}\n',
        /not an infolens trials store: its first line is \{"a":1\}/,
      ],
      [
        '{"format":"infolens-trials","version":2}\n',
        /version 2; this infolens reads version 1/,
      ],
      ["hello", /not an infolens trials store/],
    ] as const
  ) {
    await Deno.writeTextFile(path, text);
    await assertRejects(() => TrialStore.open(path), TrialsError);
    await assertRejects(() => TrialStore.open(path), message);
    assertEquals(await Deno.readTextFile(path), text);
  }
});

Deno.test("a NaN in a store error is reported as NaN", async () => {
  const store = await TrialStore.open(await tempStore());
  await assertRejects(
    () =>
      store.append({
        trial: NaN,
        loss: 1,
        duration_s: 0,
        status: "ok",
      }),
    /column "trial" holds int values, got NaN/,
  );
});

Deno.test("a writer killed mid-sweep loses no finished trial", async () => {
  const path = await tempStore();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WRITER, path, "100000", "0", "1"],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const done: number[] = [];
  while (done.length < 40) {
    const { value, done: end } = await reader.read();
    if (end) break;
    buffer += value;
    const lines = buffer.split("\n");
    buffer = lines.pop()!;
    for (const l of lines) {
      if (l.startsWith("done ")) done.push(Number(l.slice(5)));
    }
  }
  child.kill("SIGKILL");
  await child.status;
  await reader.cancel().catch(() => {});
  assert(done.length >= 40, `the writer reported ${done.length} trials`);
  const store = await readTrials(path);
  for (const t of done) assert(store.has(t), `finished trial ${t} was lost`);
  // And the store is still appendable and readable after the kill.
  const reopened = await TrialStore.open(path);
  await reopened.append(
    trialRow({ config: { lr: 0.5 }, objectives: { loss: 0 }, duration_s: 0 }),
  );
  assertEquals((await readTrials(path)).size, reopened.size);
});

Deno.test("two processes appending to one store at once", async () => {
  const path = await tempStore();
  const writers = [1, 2].map((w) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", WRITER, path, "60", "0", String(w)],
      stdout: "null",
      stderr: "inherit",
    }).spawn()
  );
  const codes = await Promise.all(
    writers.map(async (w) => (await w.status).code),
  );
  assertEquals(codes, [0, 0]);
  const store = await readTrials(path);
  assertEquals(store.size, 120);
  const trials = store.rows().map((r) => r.trial as number).sort((a, b) =>
    a - b
  );
  assertEquals(
    trials,
    Array.from({ length: 120 }, (_, i) => i),
    "unique, gap-free trial numbers",
  );
  const perWriter = [1, 2].map((w) =>
    store.rows().filter((r) => r.writer === w).length
  );
  assertEquals(perWriter, [60, 60]);
  const df = store.toDataFrame();
  assertEquals(df.height, 120);
});

Deno.test("configsFrame types hyperparameter columns by the space", async () => {
  const { configsFrame } = await import("../lib/trials/trials.ts");
  const configs = space.sampleMany(50, 2);
  const df = configsFrame(space, configs);
  assertEquals(df.columns, ["lr", "depth", "width_3", "act"]);
  assertEquals(Object.values(dtypes(df)), [
    "DataType(Float64)",
    "DataType(Int64)",
    "DataType(Int64)",
    "DataType(String)",
  ]);
  const widths = df.getColumn("width_3").toArray();
  configs.forEach((c, i) => assertEquals(widths[i], c.width_3 ?? null));
});

Deno.test("a hyperparameter named like an objective is an error, not a silent overwrite", () => {
  assertThrows(
    () =>
      trialRow({
        config: { loss: "mse" },
        objectives: { loss: 0.1 },
        duration_s: 1,
      }),
    /"loss" is both a hyperparameter and an objective/,
  );
  assertThrows(
    () => trialRow({ config: { seed: 1 }, objectives: {}, duration_s: 1 }),
    /"seed" is both a column the table always has and a hyperparameter/,
  );
});
