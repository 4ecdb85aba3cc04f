/**
 * Tabular benchmarks: a table of evaluated configurations becomes an
 * objective over its space (a lookup, so a search of 100 evaluations costs
 * milliseconds), and the NAS-Bench-201 reader built on it.
 *
 * @module
 */

import pl from "nodejs-polars";
import {
  categorical,
  type Config,
  type Param,
  SearchSpace,
} from "../space/space.ts";
import { readTable } from "../data/tables.ts";
import { SearchError } from "./searcher.ts";
import type { DataFrame } from "../_frame.ts";

/** Options of {@linkcode tabularBenchmark}. */
export interface TabularOptions {
  /**
   * The hyperparameter columns: names (each becomes a categorical over the
   * column's distinct values, sorted) or explicit definitions by name.
   */
  params: readonly string[] | Record<string, Param>;
  /** The column to optimise. */
  objective: string;
  /** Whether larger is better (accuracy); default false. */
  maximize?: boolean;
  /** A name for messages and charts; default "table". */
  name?: string;
}

/** A table as an objective: its space, a lookup, and the table's optimum. */
export interface TabularBenchmark {
  /** The name given in the options (default "table"). */
  name: string;
  /** One categorical (or given) parameter per hyperparameter column. */
  space: SearchSpace;
  /** The column optimised. */
  objective: string;
  /** Whether larger objective values are better. */
  maximize: boolean;
  /** The number of configurations in the table. */
  size: number;
  /** The best objective value in the table. */
  optimum: number;
  /** The objective of a configuration; an error if the table lacks it. */
  evaluate(config: Config): number;
  /** The whole table row of a configuration (every column), or undefined. */
  row(config: Config): Record<string, unknown> | undefined;
}

/**
 * Makes an objective of a table whose rows are configurations.
 *
 * Rows with the same configuration are an error (which one would count?),
 * as are missing or non-finite objective values and hyperparameter columns
 * the table lacks. Asking for a configuration the table does not hold (a
 * sparse table) throws, so the search records a failed trial.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { tabularBenchmark } from "./tabular.ts";
 * const df = pl.DataFrame({ a: ["x", "x", "y", "y"], b: [1, 2, 1, 2], acc: [0.1, 0.5, 0.3, 0.9] });
 * const bench = tabularBenchmark(df, { params: ["a", "b"], objective: "acc", maximize: true });
 * if (bench.evaluate({ a: "y", b: 2 }) !== 0.9 || bench.optimum !== 0.9) throw new Error();
 * ```
 */
export function tabularBenchmark(
  df: DataFrame,
  options: TabularOptions,
): TabularBenchmark {
  const known = new Set(["params", "objective", "maximize", "name"]);
  for (const k of Object.keys(options)) {
    if (!known.has(k)) {
      throw new SearchError(
        `tabularBenchmark: unknown option "${k}"; known: ${
          [...known].join(", ")
        }`,
      );
    }
  }
  const name = options.name ?? "table";
  const names = Array.isArray(options.params)
    ? [...options.params as readonly string[]]
    : Object.keys(options.params);
  const needed = [...names, options.objective];
  const missing = needed.filter((c) => !df.columns.includes(c));
  if (missing.length > 0) {
    throw new SearchError(
      `${name}: the table lacks column(s) ${missing.join(", ")}; it has: ${
        df.columns.join(", ")
      }`,
    );
  }
  if (names.length === 0) {
    throw new SearchError(`${name}: give at least one hyperparameter column`);
  }
  if (df.height === 0) throw new SearchError(`${name}: the table is empty`);
  const records = df.toRecords() as Record<string, unknown>[];
  let params: Record<string, Param>;
  if (Array.isArray(options.params)) {
    params = {};
    for (const n of names) {
      const values = [...new Set(records.map((r) => r[n]))];
      if (values.some((v) => v === null || v === undefined)) {
        throw new SearchError(
          `${name}: column "${n}" has missing values; a tabular benchmark needs every hyperparameter set in every row`,
        );
      }
      const sorted = (values as (string | number | boolean)[]).sort((a, b) =>
        typeof a === "number" && typeof b === "number"
          ? a - b
          : String(a) < String(b)
          ? -1
          : 1
      );
      params[n] = categorical(sorted);
    }
  } else {
    params = options.params as Record<string, Param>;
  }
  const space = new SearchSpace(params);
  const rows = new Map<string, Record<string, unknown>>();
  const maximize = options.maximize ?? false;
  let optimum = maximize ? -Infinity : Infinity;
  for (const r of records) {
    const v = r[options.objective];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new SearchError(
        `${name}: row ${space.key(r)} has objective ${
          String(v)
        }; every row needs a finite "${options.objective}"`,
      );
    }
    const key = space.key(r);
    if (rows.has(key)) {
      throw new SearchError(
        `${name}: configuration ${key} appears in more than one row; aggregate the table first (e.g. mean over seeds)`,
      );
    }
    rows.set(key, r);
    optimum = maximize ? Math.max(optimum, v) : Math.min(optimum, v);
  }
  return {
    name,
    space,
    objective: options.objective,
    maximize,
    size: rows.size,
    optimum,
    row: (config) => rows.get(space.key(config)),
    evaluate(config) {
      const r = rows.get(space.key(config));
      if (!r) {
        throw new SearchError(
          `${name}: configuration ${space.key(config)} is not in the table`,
        );
      }
      return r[options.objective] as number;
    },
  };
}

/** NAS-Bench-201's five operations, in its order. */
export const NB201_OPS = [
  "none",
  "skip_connect",
  "nor_conv_1x1",
  "nor_conv_3x3",
  "avg_pool_3x3",
] as const;

/**
 * The six edges of a NAS-Bench-201 cell in cell-string order:
 * (0→1), (0→2), (1→2), (0→3), (1→3), (2→3), with nodes numbered from 0.
 */
export const NB201_EDGES = [
  "edge_0_1",
  "edge_0_2",
  "edge_1_2",
  "edge_0_3",
  "edge_1_3",
  "edge_2_3",
] as const;

/**
 * Splits a cell string `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|` into the six
 * edge operations, keyed by {@linkcode NB201_EDGES}.
 *
 * @example
 * ```ts
 * import { parseCell, cellString } from "./tabular.ts";
 * const s = "|nor_conv_3x3~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_1x1~1|none~2|";
 * if (parseCell(s).edge_1_2 !== "skip_connect" || cellString(parseCell(s)) !== s) throw new Error();
 * ```
 */
export function parseCell(cell: string): Record<string, string> {
  const nodes = cell.split("+");
  const ops: string[] = [];
  const bad = () =>
    new SearchError(
      `not a NAS-Bench-201 cell string: "${cell}"; expected |op~0|+|op~0|op~1|+|op~0|op~1|op~2|`,
    );
  if (nodes.length !== 3) throw bad();
  nodes.forEach((node, i) => {
    const parts = node.split("|").filter((p) => p.length > 0);
    if (parts.length !== i + 1) throw bad();
    parts.forEach((p, j) => {
      const [op, from] = p.split("~");
      if (
        Number(from) !== j || !(NB201_OPS as readonly string[]).includes(op)
      ) {
        throw bad();
      }
      ops.push(op);
    });
  });
  return Object.fromEntries(NB201_EDGES.map((e, k) => [e, ops[k]]));
}

/** The cell string of six edge operations (the inverse of {@linkcode parseCell}). */
export function cellString(config: Config): string {
  const op = (k: number) => `${config[NB201_EDGES[k]]}~`;
  return `|${op(0)}0|+|${op(1)}0|${op(2)}1|+|${op(3)}0|${op(4)}1|${op(5)}2|`;
}

/** Options of {@linkcode nasBench201}. */
export interface NasBench201Options {
  /** "cifar10" (default), "cifar100" or "imagenet". */
  dataset?: "cifar10" | "cifar100" | "imagenet";
  /** "val" (default; what a search may see) or "test". */
  split?: "val" | "test";
}

/**
 * Reads a NAS-Bench-201 table with columns `cellstr` and
 * `<dataset>-<split>` (such as `nb201-mini.csv.gz`, 12-epoch accuracies) as
 * a maximisation benchmark over six categorical edges with five operations
 * each. The table is not shipped with infolens.
 *
 * @example
 * ```ts ignore
 * import { nasBench201 } from "./tabular.ts";
 * const nb = await nasBench201("../shared/data/nb201-mini.csv.gz");
 * console.log(nb.size, nb.optimum); // 15625 84.89
 * ```
 */
export async function nasBench201(
  path: string,
  options: NasBench201Options = {},
): Promise<TabularBenchmark> {
  const dataset = options.dataset ?? "cifar10";
  const split = options.split ?? "val";
  const column = `${dataset}-${split}`;
  const df = await readTable(path, { columns: ["cellstr", column] });
  const cells = df.getColumn("cellstr").toArray() as string[];
  const edges = cells.map(parseCell);
  const table = pl.DataFrame({
    ...Object.fromEntries(
      NB201_EDGES.map((e) => [e, edges.map((c) => c[e])]),
    ),
    ...Object.fromEntries(df.columns.map((c) => [c, df.getColumn(c)])),
  });
  const params = Object.fromEntries(
    NB201_EDGES.map((e) => [e, categorical(NB201_OPS)]),
  );
  return tabularBenchmark(table, {
    params,
    objective: column,
    maximize: true,
    name: `nas-bench-201 ${column}`,
  });
}
