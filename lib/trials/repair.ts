/**
 * `repairTrialStore`: a clean copy of a damaged trials store, written beside
 * it, so the good rows can be resumed from while the original stays as it
 * was for inspection.
 *
 * @module
 */

import { readTrials, TrialsError } from "./trials.ts";
import { type BadLine, HEADER_LINE } from "./_store_lines.ts";

/** What {@linkcode repairTrialStore} wrote. */
export interface RepairReport {
  /** The clean copy. */
  path: string;
  /** Rows copied. */
  rows: number;
  /** The lines left out (not store lines). */
  dropped: BadLine[];
}

/** The default path of the clean copy: `x.trials.jsonl` → `x.repaired.trials.jsonl`. */
function repairedPath(path: string): string {
  for (const ext of [".trials.jsonl", ".jsonl"]) {
    if (path.endsWith(ext)) {
      return path.slice(0, -ext.length) + ".repaired" + ext;
    }
  }
  return path + ".repaired";
}

/**
 * Writes a clean copy of the trials store at `path` (default beside it,
 * `x.trials.jsonl` → `x.repaired.trials.jsonl`): its header, its schema and
 * every good row, leaving out the damaged lines (named in the report) and a
 * torn last line. The original is not touched; an existing copy is not
 * overwritten.
 *
 * @example
 * ```ts
 * import { repairTrialStore } from "./repair.ts";
 * import { TrialStore, trialRow } from "./trials.ts";
 * const dir = await Deno.makeTempDir();
 * const path = `${dir}/s.trials.jsonl`;
 * const store = await TrialStore.open(path);
 * await store.append(trialRow({ config: { x: 1 }, objectives: { loss: 1 }, duration_s: 0 }));
 * await Deno.writeTextFile(path, "oops\n", { append: true });
 * await store.refresh();
 * if (store.damage === null) throw new Error("the bad line is seen");
 * const report = await repairTrialStore(path);
 * if (report.rows !== 1 || report.dropped[0].line !== 4) throw new Error();
 * if ((await TrialStore.open(report.path)).damage !== null) throw new Error();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function repairTrialStore(
  path: string,
  options: { to?: string } = {},
): Promise<RepairReport> {
  const store = await readTrials(path);
  const to = options.to ?? repairedPath(path);
  const lines = [
    HEADER_LINE,
    JSON.stringify({ schema: store.schema }),
    ...store.rows().map((row) => JSON.stringify({ row })),
  ];
  try {
    await Deno.writeTextFile(to, lines.join("\n") + "\n", { createNew: true });
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) {
      throw new TrialsError(
        `${to} exists; remove it or give another path as options.to`,
      );
    }
    throw e;
  }
  return { path: to, rows: store.size, dropped: store.badLines() };
}
