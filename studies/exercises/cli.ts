/**
 * `deno task exercises`: writes the student version of every solution
 * notebook in `notebooks/exercises/solutions/` to
 * `notebooks/exercises/student/` (solutions stripped, outputs cleared; the
 * same depth, so relative imports hold in both). `--check` only verifies that the
 * student versions are up to date, and fails naming any that is not.
 *
 * @module
 */

import { basename, join } from "node:path";
import { listNotebooks } from "../../tools/jupyter/execute.ts";
import { ROOT } from "../../tools/jupyter/kernel.ts";
import { type NotebookJson, notebookText, stripSolutions } from "./strip.ts";

/** Where the solution notebooks live. */
export const SOLUTIONS_DIR = join(ROOT, "notebooks", "exercises", "solutions");
/** Where their student versions are written. */
export const STUDENT_DIR = join(ROOT, "notebooks", "exercises", "student");

/** Each solution notebook with the text of its student version. */
export async function studentVersions(): Promise<
  { solution: string; student: string; text: string }[]
> {
  const out = [];
  for (const solution of await listNotebooks(SOLUTIONS_DIR)) {
    const nb = JSON.parse(await Deno.readTextFile(solution)) as NotebookJson;
    out.push({
      solution,
      student: join(STUDENT_DIR, basename(solution)),
      text: notebookText(stripSolutions(nb)),
    });
  }
  return out;
}

if (import.meta.main) {
  const checkOnly = Deno.args.includes("--check");
  let stale = 0;
  for (const v of await studentVersions()) {
    const current = await Deno.readTextFile(v.student).catch(() => null);
    if (current === v.text) continue;
    if (checkOnly) {
      console.error(
        `${v.student} is not the stripped ${v.solution}; run deno task exercises`,
      );
      stale++;
    } else {
      await Deno.writeTextFile(v.student, v.text);
      console.log(`wrote ${v.student}`);
    }
  }
  if (stale > 0) Deno.exit(1);
}
