/**
 * One set of checks for every trial store: the JSONL file store and the
 * PostgreSQL store (skipped, with a line saying so, when no database runs;
 * `.ci/services.sh start` starts one).
 */
import { assert, assertEquals, assertRejects } from "./support/assert.ts";
import { havePg, pgUrl, uniqueStudy } from "./support/services.ts";
import { openStore, type Store } from "../lib/trials/store.ts";
import { trialRow, TrialsError } from "../lib/trials/trials.ts";
import type { PostgresStore } from "../lib/trials/postgres_store.ts";

interface Kind {
  name: string;
  available: boolean;
  /** A fresh location, and how to drop it. */
  make(): Promise<{ location: string; clean(): Promise<void> }>;
}

const KINDS: Kind[] = [
  {
    name: "file",
    available: true,
    async make() {
      const location = await Deno.makeTempFile({ suffix: ".trials.jsonl" });
      return {
        location,
        clean: async () => {
          await Deno.remove(location);
          await Deno.remove(`${location}.searcher.json`).catch(() => {});
        },
      };
    },
  },
  {
    name: "postgres",
    available: havePg("store conformance (postgres)"),
    make() {
      const location = `${pgUrl}?study=${uniqueStudy("conformance")}`;
      return Promise.resolve({
        location,
        clean: async () => {
          const s = await openStore(location) as PostgresStore;
          await s.drop();
          await s.close();
        },
      });
    },
  },
];

const row = (x: number, loss: number | null, trial?: number) =>
  trialRow({
    trial,
    config: { x, act: x > 0 ? "relu" : "tanh" },
    objectives: { loss },
    seed: 7,
    duration_s: 0.5,
    status: loss === null ? "failed" : "ok",
  });

async function withStore(
  kind: Kind,
  fn: (location: string, open: () => Promise<Store>) => Promise<void>,
) {
  const { location, clean } = await kind.make();
  const opened: Store[] = [];
  try {
    await fn(location, async () => {
      const s = await openStore(location, { redirect: null });
      opened.push(s);
      return s;
    });
  } finally {
    for (const s of opened) await s.close();
    await clean();
  }
}

for (const kind of KINDS) {
  const test = (name: string, fn: () => Promise<void>) =>
    Deno.test({
      name: `${kind.name} store: ${name}`,
      ignore: !kind.available,
      fn,
    });

  test("appends, numbers, and reads back the same table", () =>
    withStore(kind, async (_, open) => {
      const a = await open();
      assertEquals((await a.append(row(0.5, 0.25))).trial, 0);
      assertEquals((await a.append(row(-0.5, null))).trial, 1);
      assertEquals((await a.append(row(0.1, 0.01, 5))).trial, 5);
      assertEquals(a.size, 3);
      assert(a.has(5) && !a.has(2));
      assertEquals(a.nextTrial(), 6);
      const b = await open();
      assertEquals(b.rows(), a.rows());
      const df = b.toDataFrame();
      assertEquals(df.columns, a.toDataFrame().columns);
      assertEquals(df.getColumn("trial").toArray(), [0, 1, 5]);
      assertEquals(df.getColumn("status").toArray(), ["ok", "failed", "ok"]);
      assertEquals(String(df.getColumn("trial").dtype), "DataType(Int64)");
    }));

  test("a trial number already stored is an error", () =>
    withStore(kind, async (_, open) => {
      const a = await open();
      await a.append(row(0.5, 0.25));
      await assertRejects(() => a.append(row(0.2, 0.1, 0)), TrialsError);
    }));

  test("a value of the wrong type is an error", () =>
    withStore(kind, async (_, open) => {
      const a = await open();
      await a.append(row(0.5, 0.25));
      const bad = { ...row(0.5, 0.25), x: "left" };
      await assertRejects(() => a.append(bad), TrialsError);
    }));

  test("a schema given at open fixes types and conflicts are refused", () =>
    withStore(kind, async (location) => {
      const a = await openStore(location, {
        schema: { trial: "int", x: "float", loss: "float" },
        redirect: null,
      });
      await a.close();
      await assertRejects(
        () => openStore(location, { schema: { x: "str" }, redirect: null }),
        TrialsError,
      );
    }));

  test("refresh sees what another handle appended", () =>
    withStore(kind, async (_, open) => {
      const a = await open(), b = await open();
      await a.append(row(0.5, 0.25));
      await b.append(row(0.3, 0.09));
      assertEquals(a.size, 1);
      await a.refresh();
      assertEquals([...a.completed()].sort(), [0, 1]);
    }));

  test("concurrent appends from two handles get distinct numbers", () =>
    withStore(kind, async (_, open) => {
      const a = await open(), b = await open();
      await Promise.all(
        Array.from(
          { length: 10 },
          (_, i) => (i % 2 ? a : b).append(row(i / 10, i)),
        ),
      );
      await a.refresh();
      assertEquals([...a.completed()].sort((x, y) => x - y), [
        0,
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        8,
        9,
      ]);
    }));

  test("keeps a searcher state", () =>
    withStore(kind, async (_, open) => {
      const a = await open();
      assertEquals(await a.readSearcherState(), null);
      const saved = { key: { method: "tpe" }, trials: 3, state: { r: [1, 2] } };
      await a.writeSearcherState(saved);
      assertEquals(await (await open()).readSearcherState(), saved);
    }));
}
