/**
 * Merges matrix tables (CSV rows of `deno task bench matrix`'s `MATRIX_OUT`):
 * `deno run -A bench/matrix_merge.ts OUT IN1 [IN2 …]`. A row of a later
 * input replaces the row of an earlier one with the same condition, method,
 * budget and seed, so a rerun of some methods or conditions updates a table
 * in place; rows keep the first input's order, new ones are appended. OUT
 * may be one of the inputs. It is also how a full run becomes the shipped
 * table: `deno run -A bench/matrix_merge.ts data/search_matrix.csv full.csv`.
 *
 * @module
 */

import {
  formatMatrixCsv,
  type MatrixRow,
  parseMatrixCsv,
} from "../lib/search/matrix.ts";

/** The rows of `tables`, later ones replacing earlier ones per key. */
export function mergeMatrixRows(
  tables: readonly (readonly MatrixRow[])[],
): MatrixRow[] {
  const byKey = new Map<string, MatrixRow>();
  for (const rows of tables) {
    for (const r of rows) {
      byKey.set(
        `${r.condition}\u0000${r.method}\u0000${r.budget}\u0000${r.seed}`,
        r,
      );
    }
  }
  return [...byKey.values()];
}

if (import.meta.main) {
  const [out, ...inputs] = Deno.args;
  if (!out || inputs.length === 0) {
    console.error("usage: deno run -A bench/matrix_merge.ts OUT IN1 [IN2 …]");
    Deno.exit(2);
  }
  const tables = await Promise.all(
    inputs.map(async (p) => parseMatrixCsv(await Deno.readTextFile(p))),
  );
  const rows = mergeMatrixRows(tables);
  await Deno.writeTextFile(out, formatMatrixCsv(rows));
  console.log(`${out}: ${rows.length} rows from ${inputs.join(", ")}`);
}
