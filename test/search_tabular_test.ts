import pl from "nodejs-polars";
import { assert, assertEquals, assertThrows } from "./support/assert.ts";
import {
  cellString,
  nasBench201,
  NB201_EDGES,
  parseCell,
  tabularBenchmark,
} from "../lib/search/tabular.ts";
import { optimize } from "../lib/search/optimize.ts";
import { findNasBench201 } from "../studies/shared_data.ts";
import { SearchError } from "../lib/search/searcher.ts";

const small = () =>
  pl.DataFrame({
    a: ["x", "x", "y", "y"],
    b: [2, 1, 2, 1],
    acc: [0.5, 0.1, 0.9, 0.3],
  });

Deno.test("tabularBenchmark: categoricals from distinct values, lookup, optimum", () => {
  const t = tabularBenchmark(small(), {
    params: ["a", "b"],
    objective: "acc",
    maximize: true,
  });
  assertEquals(t.size, 4);
  assertEquals(t.optimum, 0.9);
  assertEquals(t.space.params.b, { kind: "categorical", choices: [1, 2] });
  assertEquals(t.evaluate({ a: "x", b: 1 }), 0.1);
  assertEquals(t.row({ a: "y", b: 1 })?.acc, 0.3);
  assertEquals(
    tabularBenchmark(small(), { params: ["a", "b"], objective: "acc" })
      .optimum,
    0.1,
  );
});

Deno.test("tabularBenchmark: bad tables and options are clear errors", () => {
  assertThrows(
    () => tabularBenchmark(small(), { params: ["a", "c"], objective: "acc" }),
    /lacks column\(s\) c; it has: a, b, acc/,
  );
  const dup = pl.DataFrame({ a: ["x", "x"], acc: [1, 2] });
  assertThrows(
    () => tabularBenchmark(dup, { params: ["a"], objective: "acc" }),
    /appears in more than one row/,
  );
  const nan = pl.DataFrame({ a: ["x", "y"], acc: [1, NaN] });
  assertThrows(
    () => tabularBenchmark(nan, { params: ["a"], objective: "acc" }),
    /every row needs a finite "acc"/,
  );
  assertThrows(
    () =>
      tabularBenchmark(small(), {
        params: ["a"],
        objective: "acc",
        maximise: true,
      } as never),
    /unknown option "maximise"/,
  );
  const sparse = tabularBenchmark(
    pl.DataFrame({ a: ["x", "y"], b: [1, 2], acc: [1, 2] }),
    { params: ["a", "b"], objective: "acc" },
  );
  assertThrows(() => sparse.evaluate({ a: "x", b: 2 }), SearchError);
});

Deno.test("a search over a sparse table records missing configurations as failed", async () => {
  const sparse = tabularBenchmark(
    pl.DataFrame({ a: ["x", "y", "z"], b: [1, 2, 3], acc: [1, 2, 3] }),
    { params: ["a", "b"], objective: "acc" },
  );
  const df = await optimize((c) => sparse.evaluate(c), sparse.space, {
    budget: 30,
    seed: 0,
    progress: "quiet",
  });
  const status = df.getColumn("status").toArray();
  assert(status.includes("failed") && status.includes("ok"));
});

Deno.test("NAS-Bench-201 cell strings round-trip and bad ones are refused", () => {
  const s =
    "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";
  const c = parseCell(s);
  assertEquals(Object.keys(c), [...NB201_EDGES]);
  assertEquals(c.edge_0_1, "avg_pool_3x3");
  assertEquals(c.edge_2_3, "skip_connect");
  assertEquals(cellString(c), s);
  assertThrows(() => parseCell("|conv~0|+|x~0|y~1|"), /not a NAS-Bench-201/);
  assertThrows(
    () => parseCell(s.replace("avg_pool_3x3~0", "avg_pool_3x3~1")),
    /not a NAS-Bench-201/,
  );
});

const nb201 = await findNasBench201();
if (nb201 === null) {
  console.warn(
    "skipping the NAS-Bench-201 table test: ../shared/data/nb201-mini.csv.gz is absent",
  );
}

Deno.test({
  name: "nasBench201 reads all 15,625 cells with the 12-epoch CIFAR-10 maximum",
  ignore: nb201 === null,
  async fn() {
    const nb = await nasBench201(nb201!);
    assertEquals(nb.size, 15625);
    assertEquals(nb.space.dimension, 6);
    assertEquals(nb.maximize, true);
    assert(Math.abs(nb.optimum - 84.89) < 0.01, `optimum ${nb.optimum}`);
    const first = parseCell(
      "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|",
    );
    assertEquals(nb.evaluate(first), 63.364);
    assertEquals(nb.row(first)?.["cifar10-test"], 69.55);
    const test = await nasBench201(nb201!, { split: "test" });
    assertEquals(test.evaluate(first), 69.55);
  },
});
