/**
 * The dataset of datasets: enough tasks, deterministic, sound splits, a
 * fixed ~3:1 split of tasks into training and held-out tasks.
 */
import { assert, assertEquals } from "./support/assert.ts";
import { splitOf, taskSuite } from "../studies/predictors/task_suite.ts";

const tasks = await taskSuite();

Deno.test("at least 24 tasks with distinct names, about 3:1 training to held-out", () => {
  assert(tasks.length >= 24, `${tasks.length} tasks`);
  assertEquals(new Set(tasks.map((t) => t.name)).size, tasks.length);
  const held = tasks.filter((t) => t.heldOut);
  assertEquals(held.length, 6);
  assertEquals(tasks.length - held.length, 19);
  // Held-out tasks span several families, not one.
  assert(new Set(held.map((t) => t.family)).size >= 3);
});

Deno.test("every task is well formed and its splits partition the rows by class", () => {
  for (const t of tasks) {
    const d = t.x[0].length;
    assert(
      t.x.length === t.y.length && t.x.length >= 300,
      `${t.name}: ${t.x.length} rows`,
    );
    assert(
      t.x.every((r) => r.length === d && r.every(Number.isFinite)),
      `${t.name}: bad rows`,
    );
    assert(
      t.classes >= 2 &&
        t.y.every((c) => Number.isInteger(c) && c >= 0 && c < t.classes),
      t.name,
    );
    const all = [...t.split.train, ...t.split.validation, ...t.split.test].sort(
      (a, b) => a - b,
    );
    assertEquals(
      all,
      t.x.map((_, i) => i),
      `${t.name}: splits must partition the rows`,
    );
    const share = t.split.test.length / t.x.length;
    assert(share > 0.17 && share < 0.23, `${t.name}: test share ${share}`);
    for (const part of ["train", "validation", "test"] as const) {
      assertEquals(
        new Set(splitOf(t, part).y).size,
        t.classes,
        `${t.name} ${part}: every class present`,
      );
    }
  }
});

Deno.test("the suite is deterministic", async () => {
  // A fresh build (bypassing the cache) gives the same data and splits.
  const mod = await import(
    `../studies/predictors/task_suite.ts?fresh=${Date.now()}`
  );
  const again = await mod.taskSuite() as typeof tasks;
  for (const [i, t] of tasks.entries()) {
    assertEquals(again[i].name, t.name);
    assertEquals(again[i].y, t.y);
    assertEquals(again[i].x[5], t.x[5]);
    assertEquals(again[i].split.test, t.split.test);
  }
});
