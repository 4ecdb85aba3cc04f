/**
 * Names for the nodejs-polars types that appear in infolens's public API.
 *
 * Polars' own declarations are not part of this package's documentation;
 * these aliases give each one a documented name that the entries re-export,
 * so a signature such as `trialsFrame(...): DataFrame` reads and links
 * without dragging polars' hundreds of members into infolens's docs.
 *
 * @module
 */

import type {
  DataFrame as PolarsDataFrame,
  Series as PolarsSeries,
} from "nodejs-polars";

/**
 * A nodejs-polars `DataFrame`: the table infolens returns for trials, HSIC
 * indices, per-layer MI rows and tabular benchmarks, and accepts wherever a
 * table of rows goes in. Build one with `pl.DataFrame(...)` from
 * `nodejs-polars`; read it back with `toRecords()` or `getColumn(name)`.
 */
export type DataFrame = PolarsDataFrame;

/**
 * A nodejs-polars `Series`: one named, typed column, as `pl.Series(name,
 * values)` builds it or `df.getColumn(name)` returns it.
 */
export type Series = PolarsSeries;
