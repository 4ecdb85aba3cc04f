/**
 * Joining a sweep's shard stores into its shipped table: each shard is a
 * JSON Lines trial store (`runCnnShard`, `runPredictorShard`); the merge
 * numbers every row by its configuration's place in the sweep, refuses rows
 * the sweep does not have, a trial in two shards and a missing trial, and
 * writes one Parquet table.
 *
 * @module
 */

import { join } from "node:path";
import pl from "nodejs-polars";
import { readTrials } from "../../lib/trials/trials.ts";
import type { Config } from "../../lib/space/space.ts";

/** Options of {@linkcode mergeShards}. */
export interface MergeShardsOptions {
  /** The folder of the shard stores (every `*.jsonl` in it is read). */
  dir: string;
  /** Every trial of the sweep, in order: a row's `trial` is its index here. */
  configs: readonly Config[];
  /** The configuration fields that identify a trial (e.g. task and slot). */
  keys: readonly string[];
  /** The Parquet table to write. */
  out: string;
}

/**
 * Merges the shard stores in `dir` into the Parquet table `out`, rows in
 * the sweep's order; returns `out`.
 *
 * @example
 * ```ts
 * import { mergeShards } from "./shards.ts";
 * const dir = await Deno.makeTempDir();
 * try {
 *   await mergeShards({ dir, configs: [{ task: 0, slot: 0 }], keys: ["task", "slot"], out: `${dir}/t.parquet` });
 *   throw new Error("an empty folder merged");
 * } catch (e) {
 *   if (!(e as Error).message.includes("hold 0 of 1 trials")) throw e;
 * } finally {
 *   await Deno.remove(dir, { recursive: true });
 * }
 * ```
 */
export async function mergeShards(
  options: MergeShardsOptions,
): Promise<string> {
  const { dir, configs, keys, out } = options;
  const keyOf = (r: Record<string, unknown>) =>
    keys.map((k) => String(r[k])).join(" ");
  const index = new Map(configs.map((c, k) => [keyOf(c), k]));
  const rows: Record<string, unknown>[] = [];
  const seen = new Set<number>();
  for await (const e of Deno.readDir(dir)) {
    if (!e.name.endsWith(".jsonl")) continue;
    const df = (await readTrials(join(dir, e.name))).toDataFrame();
    for (const row of df.toRecords()) {
      const k = index.get(keyOf(row));
      if (k === undefined) {
        throw new RangeError(
          `${e.name} holds a trial (${
            keys.map((f) => `${f} ${row[f]}`).join(", ")
          }) this sweep does not have`,
        );
      }
      if (seen.has(k)) {
        throw new RangeError(
          `trial ${k} appears in more than one shard; remove the stale store`,
        );
      }
      seen.add(k);
      rows.push({ ...row, trial: k });
    }
  }
  if (seen.size !== configs.length) {
    throw new RangeError(
      `the shards hold ${seen.size} of ${configs.length} trials; run the missing shards first`,
    );
  }
  rows.sort((a, b) => (a.trial as number) - (b.trial as number));
  pl.DataFrame(rows).writeParquet(out);
  return out;
}
