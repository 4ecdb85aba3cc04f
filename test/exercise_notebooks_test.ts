/**
 * The exercise notebooks: stripping solutions, student versions kept up to
 * date, every solution notebook passing its checks and every student
 * version running to the end with its checks at "not yet". Like the other
 * notebook tests, this reads what landed in the executed notebook rather
 * than exact outputs.
 */
import { assert, assertEquals, assertThrows } from "./support/assert.ts";
import { basename } from "node:path";
import {
  executeNotebook,
  formatFailure,
  listNotebooks,
} from "../tools/jupyter/execute.ts";
import {
  SOLUTIONS_DIR,
  STUDENT_DIR,
  studentVersions,
} from "../studies/exercises/cli.ts";
import {
  ExerciseError,
  type NotebookJson,
  stripSolutions,
  stripSource,
} from "../studies/exercises/strip.ts";

Deno.test("stripping keeps the code around a solution and puts its stub in", () => {
  const source = [
    "function f(x: number): number {",
    "  const y = x + 1;",
    "  // BEGIN SOLUTION: return todo();",
    "  return y * 2;",
    "  // END SOLUTION",
    "}",
    "// BEGIN SOLUTION",
    "console.log(f(1));",
    "// END SOLUTION",
  ].join("\n");
  assertEquals(
    stripSource(source, "cell 1"),
    [
      "function f(x: number): number {",
      "  const y = x + 1;",
      "  // YOUR CODE HERE",
      "  return todo();",
      "}",
      "// YOUR CODE HERE",
    ].join("\n"),
  );
  assertThrows(
    () => stripSource("// BEGIN SOLUTION\nx", "cell 3"),
    /cell 3: the BEGIN SOLUTION on line 1 is never closed/,
  );
  assertThrows(
    () => stripSource("x\n// END SOLUTION", "cell 4"),
    ExerciseError,
  );
  assertThrows(
    () =>
      stripSource("// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION", "c"),
    /inside the region opened on line 1/,
  );
});

Deno.test("stripping replaces tagged cells, clears outputs, leaves the input alone", () => {
  const nb: NotebookJson = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", source: "Explain.", metadata: {} },
      {
        cell_type: "markdown",
        source: "The answer.",
        metadata: { tags: ["solution", "keep"] },
      },
      {
        cell_type: "code",
        source: ["secret()\n", "more()"],
        metadata: { tags: ["solution"] },
        outputs: [1],
        execution_count: 2,
      },
      {
        cell_type: "code",
        source: ["a\n", "// BEGIN SOLUTION\n", "b\n", "// END SOLUTION\n", "c"],
        metadata: {},
        outputs: [1],
        execution_count: 3,
      },
    ],
  };
  const before = JSON.stringify(nb);
  const s = stripSolutions(nb);
  assertEquals(JSON.stringify(nb), before);
  assertEquals(s.cells[0].source, "Explain.");
  assertEquals(s.cells[1].source, "*Your answer here.*");
  assertEquals(s.cells[1].metadata.tags, ["keep"]);
  assertEquals(s.cells[2].source, "// YOUR CODE HERE");
  assertEquals(s.cells[3].source, ["a\n", "// YOUR CODE HERE\n", "c"]);
  for (const c of s.cells.filter((c) => c.cell_type === "code")) {
    assertEquals(c.outputs, []);
    assertEquals(c.execution_count, null);
  }
});

const solutions = await listNotebooks(SOLUTIONS_DIR);

Deno.test("there are at least four exercises, and each student version is the stripped solution", async () => {
  assert(solutions.length >= 4, `${solutions.length} exercise notebooks`);
  for (const v of await studentVersions()) {
    const current = await Deno.readTextFile(v.student).catch(() => "(missing)");
    assert(
      current === v.text,
      `${v.student} is not the stripped ${
        basename(v.solution)
      }; run deno task exercises`,
    );
    assert(!v.text.includes("BEGIN SOLUTION"), "a solution marker survived");
  }
});

/** The verdicts the checkers recorded while a notebook ran. */
function verdicts(path: string): { exercise: string; status: string }[] {
  try {
    return Deno.readTextFileSync(path).trim().split("\n").map((l) =>
      JSON.parse(l)
    );
  } catch {
    return [];
  }
}

/** How many checker calls a notebook's cells make. */
function checkCells(path: string): number {
  const nb = JSON.parse(Deno.readTextFileSync(path)) as NotebookJson;
  return nb.cells.filter((c) =>
    c.cell_type === "code" &&
    /^check[A-Z]\w*\(/.test(
      (Array.isArray(c.source) ? c.source.join("") : c.source).trim(),
    )
  ).length;
}

for (
  const [kind, dir] of [["solution", SOLUTIONS_DIR], [
    "student",
    STUDENT_DIR,
  ]] as const
) {
  for (const notebook of await listNotebooks(dir)) {
    Deno.test(`exercise ${basename(notebook)} (${kind}) runs in the Deno kernel`, async () => {
      const tmp = await Deno.makeTempDir({ prefix: "infolens-exercise-" });
      const file = `${tmp}/verdicts.jsonl`;
      const run = await executeNotebook(notebook, {
        env: {
          INFOLENS_FIGURES_DIR: tmp,
          INFOLENS_QUICK: "1",
          INFOLENS_VERDICTS_FILE: file,
        },
      });
      assert(run.ok, formatFailure(run));
      const got = verdicts(file);
      const expected = checkCells(notebook);
      assert(
        expected >= 2,
        `${basename(notebook)} has ${expected} check cells`,
      );
      assertEquals(got.length, expected, `verdicts: ${JSON.stringify(got)}`);
      const want = kind === "solution" ? "correct" : "not yet";
      for (const v of got) {
        assertEquals(v.status, want, `${v.exercise} in ${basename(notebook)}`);
      }
      await Deno.remove(tmp, { recursive: true });
    });
  }
}
