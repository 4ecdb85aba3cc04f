/**
 * NASLib's zero-cost proxy scores on NAS-Bench-201 (`naslib-zc-nasbench201.json`
 * in `shared/data/` beside the project; see its README): per data set, 491
 * cells with 11 proxy scores and their validation accuracy — a public check
 * of the rank metrics in `metrics.ts`.
 *
 * @module
 */

import {
  kendallTau,
  MetricError,
  spearman,
} from "../../lib/predict/metrics.ts";

/** The proxies in the table. */
export const ZERO_COST_PROXIES = [
  "flops",
  "params",
  "snip",
  "jacov",
  "grad_norm",
  "plain",
  "epe_nas",
  "fisher",
  "grasp",
  "l2_norm",
  "synflow",
] as const;

/** One cell on one data set. */
export interface ZeroCostRow {
  dataset: string;
  /** NASLib's op-index tuple, e.g. "(4, 3, 3, 3, 2, 3)". */
  key: string;
  valAccuracy: number;
  proxies: Record<string, number>;
}

/**
 * Reads the table into rows.
 *
 * @example
 * ```ts ignore
 * import { loadZeroCost } from "./naslib_zero_cost.ts";
 * import { findZeroCostTable } from "../shared_data.ts";
 * const rows = await loadZeroCost((await findZeroCostTable())!);
 * ```
 */
export async function loadZeroCost(path: string): Promise<ZeroCostRow[]> {
  const raw = JSON.parse(await Deno.readTextFile(path));
  const bench = raw?.nasbench201;
  if (!bench || typeof bench !== "object") {
    throw new MetricError(
      `${path} is not NASLib's zero-cost table: it has no "nasbench201" key`,
    );
  }
  const rows: ZeroCostRow[] = [];
  for (const [dataset, cells] of Object.entries(bench)) {
    for (
      const [key, v] of Object.entries(
        cells as Record<string, Record<string, number>>,
      )
    ) {
      const { val_accuracy, ...proxies } = v;
      rows.push({ dataset, key, valAccuracy: val_accuracy, proxies });
    }
  }
  return rows;
}

/** Kendall τ and Spearman ρ of one proxy against validation accuracy on one data set. */
export interface ProxyCorrelation {
  dataset: string;
  proxy: string;
  kendall: number;
  spearman: number;
  n: number;
}

/**
 * Rank correlation of every proxy with validation accuracy, per data set.
 *
 * @example
 * ```ts
 * import { proxyCorrelations } from "./naslib_zero_cost.ts";
 * const rows = [1, 2, 3].map((a) => ({ dataset: "d", key: String(a), valAccuracy: a, proxies: { p: a * a } }));
 * if (proxyCorrelations(rows)[0].kendall !== 1) throw new Error();
 * ```
 */
export function proxyCorrelations(
  rows: readonly ZeroCostRow[],
): ProxyCorrelation[] {
  const out: ProxyCorrelation[] = [];
  const datasets = [...new Set(rows.map((r) => r.dataset))];
  for (const dataset of datasets) {
    const mine = rows.filter((r) => r.dataset === dataset);
    const proxies = Object.keys(mine[0].proxies);
    for (const proxy of proxies) {
      const usable = mine.filter((r) => Number.isFinite(r.proxies[proxy]));
      const score = usable.map((r) => r.proxies[proxy]);
      const acc = usable.map((r) => r.valAccuracy);
      out.push({
        dataset,
        proxy,
        kendall: kendallTau(score, acc),
        spearman: spearman(score, acc),
        n: usable.length,
      });
    }
  }
  return out;
}
