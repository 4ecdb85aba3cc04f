import { assert, assertEquals } from "./support/assert.ts";
import { countJunit } from "../tools/jupyter/junit.ts";
import { formatFailure } from "../tools/jupyter/execute.ts";
import { writeGallery } from "../tools/jupyter/figures.ts";
import { join } from "node:path";

Deno.test("countJunit counts passes, failures, errors and skips", () => {
  const xml = `<?xml version="1.0"?><testsuites><testsuite name="a">
    <testcase name="one" time="0.1"/>
    <testcase name="two"><failure message="boom">trace</failure></testcase>
    <testcase name="three"><error message="x"/></testcase>
    <testcase name="four"><skipped/></testcase>
    <testcase name="five" time="1"></testcase>
  </testsuite></testsuites>`;
  assertEquals(countJunit(xml), { passed: 2, failed: 2, skipped: 1 });
});

Deno.test("formatFailure names the notebook, the cell, its source and the error", () => {
  const text = formatFailure({
    notebook: "00_tour.ipynb",
    ok: false,
    cells: 5,
    seconds: 1,
    error: {
      cell: 3,
      source: "throw new Error('x')",
      ename: "Error",
      evalue: "x",
      traceback: "\x1b[31mError: x\x1b[0m",
    },
  });
  assert(text.startsWith("00_tour.ipynb failed in code cell 3: Error: x"));
  assert(text.includes("throw new Error('x')"));
  assert(!text.includes("\x1b"), "colour codes stripped");
});

Deno.test("the gallery links every chart as svg and png", async () => {
  const dir = await Deno.makeTempDir();
  const path = await writeGallery(dir, [{
    notebook: "notebooks/00_tour.ipynb",
    run: { notebook: "00_tour.ipynb", ok: true, cells: 3, seconds: 2 },
    charts: ["01-loss", "02-digits"],
  }]);
  assertEquals(path, join(dir, "index.html"));
  const html = await Deno.readTextFile(path);
  for (const c of ["01-loss", "02-digits"]) {
    assert(
      html.includes(`src="00_tour/${c}.svg"`) &&
        html.includes(`href="00_tour/${c}.png"`),
    );
  }
});
