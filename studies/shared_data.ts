/**
 * Finds the public reference tables in `shared/data/` beside this repository
 * (see its README). They are read in place, never copied into the repository,
 * and the library never looks for them: studies, tests, benchmarks and
 * notebooks pass their paths in.
 *
 * @module
 */

/**
 * The path of a table in `shared/data/` (looked for from the working
 * directory, its parent, and this repository's root), or null when absent.
 *
 * @example
 * ```ts
 * import { findSharedTable } from "./shared_data.ts";
 * const path = await findSharedTable("no-such-table.csv");
 * if (path !== null) throw new Error();
 * ```
 */
export async function findSharedTable(name: string): Promise<string | null> {
  const candidates = [
    `../shared/data/${name}`,
    `../../shared/data/${name}`,
    new URL(`../../shared/data/${name}`, import.meta.url).pathname,
  ];
  for (const c of candidates) {
    try {
      if ((await Deno.stat(c)).isFile) return c;
    } catch {
      // not there; try the next
    }
  }
  return null;
}

/** NAS-Bench-201's 12-epoch table (`nb201-mini.csv.gz`), or null. */
export function findNasBench201(): Promise<string | null> {
  return findSharedTable("nb201-mini.csv.gz");
}

/** NASLib's zero-cost proxy scores on NAS-Bench-201, or null. */
export function findZeroCostTable(): Promise<string | null> {
  return findSharedTable("naslib-zc-nasbench201.json");
}
