import {
  assert,
  assertEquals,
  assertNotEquals,
  assertRejects,
} from "./support/assert.ts";
import { join } from "node:path";
import pl from "nodejs-polars";
import { digitsFrame, loadDigits, trainTestSplit } from "../lib/data/digits.ts";
import { readTable, TableError } from "../lib/data/tables.ts";

Deno.test("digits: 1,797 8×8 images with labels 0..9", async () => {
  const d = await loadDigits();
  assertEquals(d.x.length, 1797);
  assertEquals(d.y.length, 1797);
  assert(
    d.x.every((row) =>
      row.length === 64 &&
      row.every((v) => Number.isInteger(v) && v >= 0 && v <= 16)
    ),
  );
  const counts = new Array(10).fill(0);
  for (const y of d.y) counts[y]++;
  // sklearn's digits: between 174 and 183 images per class.
  assert(counts.every((c) => c >= 174 && c <= 183), counts.join());
  const scaled = await loadDigits({ scale: true });
  assertEquals(scaled.x[0][2], d.x[0][2] / 16);
  const df = await digitsFrame();
  assertEquals(df.shape, { height: 1797, width: 65 });
  assertEquals(df.columns.at(-1), "label");
});

Deno.test("trainTestSplit is seeded, stratified and complete", async () => {
  const d = await loadDigits();
  const a = trainTestSplit(d, { testFraction: 0.2, seed: 3 });
  const b = trainTestSplit(d, { testFraction: 0.2, seed: 3 });
  const c = trainTestSplit(d, { testFraction: 0.2, seed: 4 });
  assertEquals(a.test.y, b.test.y);
  assertNotEquals(a.test.y, c.test.y);
  assertEquals(a.train.x.length + a.test.x.length, 1797);
  assert(Math.abs(a.test.x.length - 359) <= 10);
  for (let k = 0; k < 10; k++) {
    const share = a.test.y.filter((y) => y === k).length / a.test.y.length;
    assert(Math.abs(share - 0.1) < 0.01, `class ${k}: ${share}`);
  }
  const all = new Set([...a.train.x, ...a.test.x]);
  assertEquals(all.size, 1797, "no row lost or repeated");
});

Deno.test("readTable reads csv, csv.gz, json, ndjson and parquet", async () => {
  const dir = await Deno.makeTempDir();
  const df = pl.DataFrame({ a: [1, 2, 3], b: ["x", "y", "z"] });
  df.writeCSV(join(dir, "t.csv"));
  df.writeParquet(join(dir, "t.parquet"));
  df.writeJSON(join(dir, "t.jsonl"), { format: "lines" });
  df.writeJSON(join(dir, "t.json"), { format: "json" });
  const gz = new Blob([await Deno.readFile(join(dir, "t.csv"))]).stream()
    .pipeThrough(new CompressionStream("gzip"));
  await Deno.writeFile(
    join(dir, "t.csv.gz"),
    new Uint8Array(await new Response(gz).arrayBuffer()),
  );
  for (const name of ["t.csv", "t.csv.gz", "t.parquet", "t.jsonl", "t.json"]) {
    const back = await readTable(join(dir, name), { columns: ["a", "b"] });
    assertEquals(back.getColumn("b").toArray(), ["x", "y", "z"], name);
  }
});

Deno.test("readTable errors name the file and the fix", async () => {
  const dir = await Deno.makeTempDir();
  await assertRejects(
    () => readTable(join(dir, "nope.csv")),
    /file not found: ".*nope.csv"/,
  );
  await Deno.writeTextFile(join(dir, "t.csv"), "a,b\n1,2\n");
  await assertRejects(
    () => readTable(join(dir, "t.csv"), { columns: ["a", "c"] }),
    /lacks column "c"; it has: a, b/,
  );
  await assertRejects(
    () => readTable(join(dir, "t.xlsx")),
    /cannot tell the format/,
  );
  await Deno.writeTextFile(join(dir, "empty.csv"), "");
  await assertRejects(() => readTable(join(dir, "empty.csv")), TableError);
  await Deno.writeTextFile(join(dir, "bad.json"), "{not json");
  await assertRejects(
    () => readTable(join(dir, "bad.json")),
    /could not read .* as json/,
  );
});

Deno.test("readTable refuses a short or long CSV row with its line, unless ragged", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "r.csv");
  await Deno.writeTextFile(path, 'a,b,c\r\n1,"x, y",3\r\n\r\n4,5\r\n6,7,8\r\n');
  await assertRejects(
    () => readTable(path),
    /"\S+r.csv" line 4 has 2 fields, the first row 3; .*\{ ragged: true \}/,
  );
  await Deno.writeTextFile(path, 'a,b\n1,"two\nlines"\n3,4,5\n');
  await assertRejects(() => readTable(path), /line 4 has 3 fields/);
  await Deno.writeTextFile(path, "a,b,c\n1,2\n4,5,6\n");
  const df = await readTable(path, { ragged: true });
  assertEquals([...df.getColumn("c").toArray()] as unknown[], [null, 6]);
});

Deno.test("readTable names a bad hasHeader and a corrupt gzip's path", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(dir, "t.csv"), "a,b\n1,2\n");
  await assertRejects(
    // deno-lint-ignore no-explicit-any
    () => readTable(join(dir, "t.csv"), { hasHeader: "yes" as any }),
    /hasHeader must be true or false, got "yes"/,
  );
  await Deno.writeFile(
    join(dir, "t.csv.gz"),
    new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]),
  );
  await assertRejects(
    () => readTable(join(dir, "t.csv.gz")),
    /"\S+t.csv.gz" ends in .gz but does not decompress/,
  );
});
