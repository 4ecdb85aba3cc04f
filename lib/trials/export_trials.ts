/**
 * `exportTrials`: a trials table to CSV or Parquet, for other tools (pandas,
 * R, a spreadsheet), chosen by the file's extension.
 *
 * @module
 */

import type { DataFrame } from "../_frame.ts";
import { TrialsImportError } from "./_import_common.ts";

/**
 * Writes a trials table to `path`: `.csv` (header row, nulls as empty
 * fields) or `.parquet` (column types kept). Other extensions are an error.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { exportTrials } from "./export_trials.ts";
 * const df = pl.DataFrame({ trial: [0, 1], lr: [0.1, null], loss: [0.5, 0.4] });
 * const path = await Deno.makeTempFile({ suffix: ".parquet" });
 * exportTrials(df, path);
 * if (pl.readParquet(path).height !== 2) throw new Error();
 * await Deno.remove(path);
 * ```
 */
export function exportTrials(table: DataFrame, path: string): void {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) table.writeCSV(path);
  else if (lower.endsWith(".parquet")) table.writeParquet(path);
  else {
    throw new TrialsImportError(
      `${path}: exportTrials writes .csv or .parquet; give the path one of these extensions`,
    );
  }
}
