/**
 * `hsicIndices`: HSIC sensitivity indices of every input column on one
 * output, global or goal-oriented (Novello et al.), with R2-HSIC, shares and
 * p-values, numerically the same as OpenTURNS 1.20's
 * `HSICEstimatorGlobalSensitivity` and `HSICEstimatorTargetSensitivity`.
 *
 * @module
 */

import pl from "nodejs-polars";
import { Random } from "../space/random.ts";
import {
  type Bandwidth,
  bandwidthOf,
  HsicError,
  type KernelSpec,
} from "./kernels.ts";
import {
  asymptoticPValue,
  Gram,
  hsic,
  type HsicEstimator,
  PermutedOutput,
} from "./statistic.ts";
import type { DataFrame, Series } from "../_frame.ts";
import { type LowRank, lowRankHsic, nystrom } from "./nystrom.ts";
import {
  deltaSource,
  gaussianSource,
  type GramSource,
  MATERIALISE_MAX,
} from "./gram.ts";
import { twoClassColumn, TwoClassOutput } from "./two_class.ts";
import { generalColumn } from "./general.ts";

/** A cell of an input column: a number, a category, or null when inactive. */
export type HsicValue = number | string | boolean | null;

/** Which p-values to compute. */
export type PValueKind = "asymptotic" | "permutation";

/** Options of {@linkcode hsicIndices}. */
export interface HsicOptions {
  /** "V" (biased, ≥ 0, the default) or "U" (unbiased). */
  estimator?: HsicEstimator;
  /**
   * Goal-oriented analysis: the output becomes Z = 1{Y ≤ q} with q the
   * empirical `quantile` of Y ("lower" interpolation: the value at index
   * ⌊quantile·(n − 1)⌋ of the sorted outputs). Absent: global analysis on Y.
   * For a maximised objective pass its negation.
   */
  goal?: { quantile: number };
  /**
   * Input kernels: one for all columns, or one per column (array in column
   * order, or by name). Default: "gaussian" for numeric columns, "categorical"
   * (the δ kernel) for string and boolean columns.
   */
  kernels?: KernelSpec | readonly KernelSpec[] | Record<string, KernelSpec>;
  /** The output kernel; default "gaussian". */
  outputKernel?: KernelSpec;
  /**
   * Gaussian bandwidths: a rule or number for all columns, or per column.
   * Default "std" (θ = sample standard deviation with n − 1, OpenTURNS's rule).
   */
  bandwidth?: Bandwidth | readonly Bandwidth[] | Record<string, Bandwidth>;
  /** The output's bandwidth (on Z for a goal); default "std". */
  outputBandwidth?: Bandwidth;
  /** Which p-values; default both. Pass [] for none. */
  pValues?: readonly PValueKind[];
  /** Permutations for the permutation p-values, B; default 100 (OpenTURNS's). */
  permutations?: number;
  /** Seed of the permutations; default 0. */
  seed?: number;
  /**
   * A low-rank approximation for very large n: `{ method: "nystrom", rank }`
   * (default rank 100) approximates each Gram matrix from `rank` landmark
   * rows, in O(n · rank²) time and O(n · rank) memory instead of O(n²) time.
   * Gives hsic, r2 and share only: p-values need the exact statistic, so
   * `pValues` defaults to [] and may not be asked for.
   */
  approximate?: { method: "nystrom"; rank?: number };
  /** Column names when `x` is an array; default x0, x1, … */
  names?: readonly string[];
}

/** One row of the result: an input column's indices. */
export interface HsicRow {
  /** The input column. */
  name: string;
  /** HSIC(X_k, Y) (or HSIC(X_k, Z) for a goal); null when not estimable. */
  hsic: number | null;
  /** R2-HSIC = HSIC(X,Y) / sqrt(HSIC(X,X) HSIC(Y,Y)). */
  r2: number | null;
  /** HSIC as a share of the sum over columns. */
  share: number | null;
  /** Asymptotic (Gamma) p-value of independence. */
  pAsymptotic: number | null;
  /** Permutation p-value, #{HSIC_perm > HSIC} / (B + 1). */
  pPermutation: number | null;
  /** Rows where the column is active (not null): its sub-sample's size. */
  nActive: number;
}

/** The result of {@linkcode hsicTable}: the rows and what they were computed from. */
export interface HsicTable {
  /** One row per input column, in the design's column order. */
  rows: HsicRow[];
  /** The number of rows of the design. */
  n: number;
  /** The HSIC estimator used: "U" (unbiased) or "V" (biased, the default). */
  estimator: HsicEstimator;
  /** The goal's threshold q (Z = 1{Y ≤ q}), or null for global analysis. */
  threshold: number | null;
  /** The number of rows with Z = 1, or null for global analysis. */
  nGood: number | null;
}

/** The fewest active rows a column needs for an index (the U-statistic and the Gamma variance need n ≥ 6). */
export const MIN_ACTIVE = 6;

const OPTION_KEYS = new Set([
  "estimator",
  "goal",
  "kernels",
  "outputKernel",
  "bandwidth",
  "outputBandwidth",
  "pValues",
  "permutations",
  "seed",
  "names",
  "approximate",
]);

interface Column {
  name: string;
  values: HsicValue[];
}

/** Reads `x` into named columns. */
function columnsOf(
  x: readonly (readonly HsicValue[])[] | DataFrame,
  names: readonly string[] | undefined,
): Column[] {
  if (
    !Array.isArray(x) && x !== null && typeof x === "object" && "columns" in x
  ) {
    const df = x as pl.DataFrame;
    if (names) {
      throw new HsicError(
        "names is for array input; a DataFrame's columns are its names",
      );
    }
    return df.columns.map((name) => ({
      name,
      values: df.getColumn(name).toArray() as HsicValue[],
    }));
  }
  if (!Array.isArray(x)) {
    throw new HsicError(
      "x must be n rows of values (number[][]) or a DataFrame with one column per input",
    );
  }
  if (x.length === 0) throw new HsicError("x is empty; HSIC needs rows");
  const d = x[0]?.length;
  if (!Array.isArray(x[0]) || d === 0) {
    throw new HsicError(
      "x must be n rows of d values (number[][]); for one input wrap each value: [[x0], [x1], …]",
    );
  }
  x.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== d) {
      throw new HsicError(
        `x row ${i} has ${
          Array.isArray(row) ? row.length : typeof row
        } values, but row 0 has ${d}; all rows need the same length`,
      );
    }
  });
  if (names && names.length !== d) {
    throw new HsicError(`names has ${names.length} entries for ${d} columns`);
  }
  return Array.from({ length: d }, (_, j) => ({
    name: names?.[j] ?? `x${j}`,
    values: x.map((row) => row[j] ?? null),
  }));
}

function perColumn<T>(
  option: T | readonly T[] | Record<string, T> | undefined,
  columns: Column[],
  label: string,
  isScalar: (v: unknown) => v is T,
): (T | undefined)[] {
  if (option === undefined || isScalar(option)) {
    return columns.map(() => option as T | undefined);
  }
  if (Array.isArray(option)) {
    if (option.length !== columns.length) {
      throw new HsicError(
        `${label} has ${option.length} entries for ${columns.length} columns`,
      );
    }
    return option as T[];
  }
  const byName = option as Record<string, T>;
  for (const k of Object.keys(byName)) {
    if (!columns.some((c) => c.name === k)) {
      throw new HsicError(
        `${label} names "${k}", which is not a column; columns: ${
          columns.map((c) => c.name).join(", ")
        }`,
      );
    }
  }
  return columns.map((c) => byName[c.name]);
}

const isKernel = (v: unknown): v is KernelSpec =>
  v === "gaussian" || v === "categorical";
const isBandwidth = (v: unknown): v is Bandwidth =>
  typeof v === "number" || typeof v === "string";

/** Checks options; returns them with defaults. */
function checkOptions(options: HsicOptions) {
  for (const k of Object.keys(options)) {
    if (!OPTION_KEYS.has(k)) {
      throw new HsicError(
        `unknown option "${k}"; known: ${[...OPTION_KEYS].join(", ")}`,
      );
    }
  }
  const estimator = options.estimator ?? "V";
  if (estimator !== "U" && estimator !== "V") {
    throw new HsicError(
      `estimator must be "U" or "V", got ${JSON.stringify(estimator)}`,
    );
  }
  const q = options.goal?.quantile;
  if (options.goal !== undefined && !(q !== undefined && q > 0 && q < 1)) {
    throw new HsicError(
      `goal.quantile must be in (0, 1), e.g. { quantile: 0.1 } for the best 10 %; got ${q}`,
    );
  }
  const approximate = options.approximate;
  if (
    approximate !== undefined &&
    (approximate.method !== "nystrom" ||
      !(approximate.rank === undefined ||
        (Number.isInteger(approximate.rank) && approximate.rank >= 1)))
  ) {
    throw new HsicError(
      `approximate must be { method: "nystrom", rank?: positive integer }, got ${
        JSON.stringify(approximate)
      }`,
    );
  }
  if (approximate && options.pValues?.length) {
    throw new HsicError(
      "p-values need the exact statistic; drop approximate, or pass pValues: []",
    );
  }
  const pValues = options.pValues ??
    (approximate ? [] : ["asymptotic", "permutation"]);
  for (const p of pValues) {
    if (p !== "asymptotic" && p !== "permutation") {
      throw new HsicError(
        `pValues entries must be "asymptotic" or "permutation", got ${
          JSON.stringify(p)
        }`,
      );
    }
  }
  const permutations = options.permutations ?? 100;
  if (!Number.isInteger(permutations) || permutations < 1) {
    throw new HsicError(
      `permutations must be a positive integer, got ${permutations}`,
    );
  }
  if (options.outputKernel !== undefined && !isKernel(options.outputKernel)) {
    throw new HsicError(
      `outputKernel must be "gaussian" or "categorical", got ${
        JSON.stringify(options.outputKernel)
      }`,
    );
  }
  return {
    estimator,
    quantile: q,
    pValues: new Set(pValues),
    permutations,
    seed: options.seed ?? 0,
    rank: approximate ? approximate.rank ?? 100 : null,
    outputKernel: options.outputKernel ?? "gaussian",
    outputBandwidth: options.outputBandwidth ?? "std",
  };
}

/**
 * The empirical quantile with "lower" interpolation (numpy's
 * `method="lower"`): the sorted value at index ⌊q·(n − 1)⌋.
 *
 * @example
 * ```ts
 * import { lowerQuantile } from "./indices.ts";
 * if (lowerQuantile([5, 1, 3, 2, 4], 0.3) !== 2) throw new Error();
 * ```
 */
export function lowerQuantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.floor(q * (sorted.length - 1))];
}

/** The output's Gram matrix under a kernel and bandwidth rule. */
export function outputGram(
  z: number[],
  kernel: KernelSpec,
  bandwidth: Bandwidth,
): Gram {
  return Gram.fromSource(outputSource(z, kernel, bandwidth), z.length);
}

/** The output's kernel entries under a kernel and bandwidth rule. */
function outputSource(
  z: number[],
  kernel: KernelSpec,
  bandwidth: Bandwidth,
): GramSource {
  return kernel === "categorical"
    ? deltaSource(z)
    : gaussianSource(z, bandwidthOf(z, bandwidth, "the output"));
}

/** The kernel of a column as a function of two row indices. */
function kernelOf(
  values: readonly HsicValue[],
  kernel: KernelSpec,
  bandwidth: Bandwidth,
  name: string,
): (i: number, j: number) => number {
  if (kernel === "categorical") {
    return (i, j) => (values[i] === values[j] ? 1 : 0);
  }
  const x = values as number[];
  const theta = bandwidthOf(x, bandwidth, name);
  const c = -1 / (2 * theta * theta);
  return (i, j) => {
    const d = x[i] - x[j];
    return i === j ? 1 : Math.exp(c * d * d);
  };
}

/**
 * HSIC indices as plain rows, with the goal's threshold; see
 * {@linkcode hsicIndices} for the options. Inputs may hold nulls: a column
 * is analysed on the rows where it is active (a conditional hyperparameter),
 * with Z or Y restricted to them; `nActive` says how many. A column active
 * on fewer than {@linkcode MIN_ACTIVE} rows, or where the output is constant
 * on its active rows, gets null indices.
 *
 * @example
 * ```ts
 * import { hsicTable } from "./indices.ts";
 * const x = Array.from({ length: 50 }, (_, i) => [Math.sin(i), (i * 7) % 11]);
 * const y = x.map(([a]) => a * a);
 * const t = hsicTable(x, y, { names: ["a", "b"], pValues: [] });
 * if (!(t.rows[0].r2! > t.rows[1].r2!)) throw new Error("a drives y");
 * ```
 */
export function hsicTable(
  x: readonly (readonly HsicValue[])[] | DataFrame,
  y: ArrayLike<number> | Series,
  options: HsicOptions = {},
): HsicTable {
  const opts = checkOptions(options);
  const columns = columnsOf(x, options.names);
  if (y === null || typeof y !== "object") {
    throw new HsicError(
      "y must be n numbers (number[], a typed array or a Series)",
    );
  }
  const yv: number[] = "toArray" in y
    ? (y.toArray() as number[])
    : Array.from(y as ArrayLike<number>);
  const n = yv.length;
  if (columns[0].values.length !== n) {
    throw new HsicError(
      `x has ${columns[0].values.length} rows but y has ${n}; they must match`,
    );
  }
  if (n < MIN_ACTIVE) {
    throw new HsicError(
      `HSIC needs at least ${MIN_ACTIVE} rows (and ~10 or more to mean much), got ${n}`,
    );
  }
  yv.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new HsicError(
        `y[${i}] is ${v}; outputs must be finite numbers (drop failed trials first, or use hsicAnalysis, which drops them and counts)`,
      );
    }
  });
  const kernels = perColumn(options.kernels, columns, "kernels", isKernel);
  const bandwidths = perColumn(
    options.bandwidth,
    columns,
    "bandwidth",
    isBandwidth,
  );

  let z = yv;
  let threshold: number | null = null;
  let nGood: number | null = null;
  if (opts.quantile !== undefined) {
    threshold = lowerQuantile(yv, opts.quantile);
    z = yv.map((v) => (v <= threshold! ? 1 : 0));
    nGood = z.reduce((a, b) => a + b, 0);
    if (nGood === n) {
      throw new HsicError(
        `the goal quantile ${opts.quantile} selects every row (over half the outputs tie at ${threshold}); lower the quantile`,
      );
    }
  }

  // Columns active on the same rows share the output Gram and permutations.
  const outputs = new Map<
    string,
    {
      rows: number[];
      out: PermutedOutput | null;
      yy: number;
      gram: Gram | null;
      two: TwoClassOutput | null;
      /** Above MATERIALISE_MAX rows, a general output's kernel: one fused pass per column. */
      source: GramSource | null;
    }
  >();
  // The Nyström path: features per column, the output's per active set.
  const lowOutputs = new Map<string, { f: LowRank; yy: number } | null>();
  const approximateRow = (
    row: HsicRow,
    values: HsicValue[],
    kernel: KernelSpec,
    bandwidth: Bandwidth | undefined,
    active: number[],
  ): HsicRow => {
    const rank = opts.rank!;
    const random = () => new Random(opts.seed, "hsic-nystrom");
    const key = active.length === n ? "all" : active.join(",");
    let output = lowOutputs.get(key);
    if (output === undefined) {
      const zs = active.map((i) => z[i]);
      output = null;
      if (new Set(zs).size > 1) {
        const f = nystrom(
          zs,
          kernelOf(zs, opts.outputKernel, opts.outputBandwidth, "the output"),
          rank,
          random(),
        );
        output = { f, yy: lowRankHsic(opts.estimator, f, f) };
      }
      lowOutputs.set(key, output);
    }
    if (!output) return row;
    if (kernel === "categorical" && new Set(values).size === 1) {
      throw new HsicError(
        `column "${row.name}" is constant (${
          JSON.stringify(values[0])
        }) on its active rows; drop it`,
      );
    }
    if (kernel === "gaussian" && values.some((v) => typeof v !== "number")) {
      throw new HsicError(
        `column "${row.name}" holds non-numbers, which the Gaussian kernel cannot take; give it kernel "categorical"`,
      );
    }
    const fx = nystrom(
      values,
      kernelOf(values, kernel, bandwidth ?? "std", row.name),
      rank,
      random(),
    );
    const xy = lowRankHsic(opts.estimator, fx, output.f);
    row.hsic = xy;
    row.r2 = xy / Math.sqrt(lowRankHsic(opts.estimator, fx, fx) * output.yy);
    return row;
  };
  const rows: HsicRow[] = columns.map((column, j) => {
    const active: number[] = [];
    column.values.forEach((v, i) => {
      if (v === null || v === undefined) return;
      if (typeof v === "number" && !Number.isFinite(v)) {
        throw new HsicError(
          `column "${column.name}" row ${i} is ${v}; use null for an inactive value, otherwise finite numbers`,
        );
      }
      active.push(i);
    });
    const row: HsicRow = {
      name: column.name,
      hsic: null,
      r2: null,
      share: null,
      pAsymptotic: null,
      pPermutation: null,
      nActive: active.length,
    };
    if (active.length < MIN_ACTIVE) return row;
    const values = active.map((i) => column.values[i]);
    const kernel = kernels[j] ??
      (typeof values[0] === "number" ? "gaussian" : "categorical");
    if (!isKernel(kernel)) {
      throw new HsicError(
        `kernel for "${column.name}" must be "gaussian" or "categorical", got ${
          JSON.stringify(kernel)
        }`,
      );
    }
    if (opts.rank !== null) {
      return approximateRow(row, values, kernel, bandwidths[j], active);
    }
    let gx: GramSource;
    if (kernel === "gaussian") {
      const bad = values.findIndex((v) => typeof v !== "number");
      if (bad >= 0) {
        throw new HsicError(
          `column "${column.name}" holds ${
            JSON.stringify(values[bad])
          }, which the Gaussian kernel cannot take; give it kernel "categorical" or encode it as numbers`,
        );
      }
      const numbers = values as number[];
      gx = gaussianSource(
        numbers,
        bandwidthOf(numbers, bandwidths[j] ?? "std", column.name),
      );
    } else {
      if (new Set(values).size === 1) {
        throw new HsicError(
          `column "${column.name}" is constant (${
            JSON.stringify(values[0])
          }) on its active rows; drop it`,
        );
      }
      gx = deltaSource(values);
    }
    const key = active.length === n ? "all" : active.join(",");
    let output = outputs.get(key);
    if (!output) {
      const zs = active.map((i) => z[i]);
      const distinct = new Set(zs).size;
      const random = () =>
        new Random(
          opts.seed,
          `hsic-permutations:${key.length}:${active.length}`,
        );
      if (distinct === 1) {
        output = {
          rows: active,
          out: null,
          yy: 0,
          gram: null,
          two: null,
          source: null,
        };
      } else if (distinct === 2 && active.length > MATERIALISE_MAX) {
        // large n, two-valued (a goal): one pass per column, no n × n work
        // on the output
        const source = opts.outputKernel === "categorical"
          ? deltaSource(zs)
          : gaussianSource(
            zs,
            bandwidthOf(zs, opts.outputBandwidth, "the output"),
          );
        const two = new TwoClassOutput(
          zs,
          source,
          opts.pValues.has("permutation") ? opts.permutations : 0,
          random(),
        );
        output = {
          rows: active,
          out: null,
          yy: two.selfStatistic(opts.estimator),
          gram: null,
          two,
          source: null,
        };
      } else {
        const gram = outputGram(zs, opts.outputKernel, opts.outputBandwidth);
        output = {
          rows: active,
          gram,
          yy: hsic(opts.estimator, gram, gram),
          out: opts.pValues.has("permutation")
            ? new PermutedOutput(gram, zs, opts.permutations, random())
            : null,
          two: null,
          // the same entries as `gram`'s (outputGram builds it from this source)
          source: active.length > MATERIALISE_MAX
            ? outputSource(zs, opts.outputKernel, opts.outputBandwidth)
            : null,
        };
      }
      outputs.set(key, output);
    }
    // Above MATERIALISE_MAX rows: one fused pass over the column's Gram.
    const fused = output.two
      ? twoClassColumn(
        opts.estimator,
        gx,
        output.two,
        opts.pValues.has("asymptotic"),
        opts.pValues.has("permutation"),
      )
      : output.gram && output.source
      ? generalColumn(
        opts.estimator,
        gx,
        output.source,
        output.gram,
        output.out ? output.out.permutations : null,
        opts.pValues.has("asymptotic"),
      )
      : null;
    if (fused) {
      row.hsic = fused.xy;
      row.r2 = fused.xy / Math.sqrt(fused.xx * output.yy);
      if (fused.pAsymptotic !== null) {
        row.pAsymptotic = Number.isNaN(fused.pAsymptotic)
          ? null
          : fused.pAsymptotic;
      }
      if (fused.exceedances !== null) {
        row.pPermutation = fused.exceedances / (opts.permutations + 1);
      }
      return row;
    }
    if (!output.gram) return row; // the output is constant where this column is active
    const gram = Gram.fromSource(gx, active.length);
    const xy = hsic(opts.estimator, gram, output.gram);
    const xx = hsic(opts.estimator, gram, gram);
    row.hsic = xy;
    row.r2 = xy / Math.sqrt(xx * output.yy);
    if (opts.pValues.has("asymptotic")) {
      const p = asymptoticPValue(opts.estimator, gram, output.gram, xy);
      row.pAsymptotic = Number.isNaN(p) ? null : p;
    }
    if (output.out) {
      row.pPermutation = output.out.exceedances(opts.estimator, gram, xy) /
        (opts.permutations + 1);
    }
    return row;
  });
  const total = rows.reduce((s, r) => s + (r.hsic ?? 0), 0);
  for (const r of rows) {
    if (r.hsic !== null && total !== 0) r.share = r.hsic / total;
  }
  return { rows, n, estimator: opts.estimator, threshold, nGood };
}

/**
 * HSIC sensitivity indices: one row per input column with `name, hsic, r2,
 * share, pAsymptotic, pPermutation, nActive`, as a DataFrame.
 *
 * `x` is n × d: `number[][]` (with `names`), or a DataFrame whose columns are
 * the inputs (string and boolean columns get the δ kernel). Nulls mark
 * inactive values; each column is analysed on its active rows. `y` has n
 * finite values. Definitions and numbers match OpenTURNS 1.20 (see
 * `statistic.ts`); with a `goal`, the output kernel is applied to Z = 1{Y ≤ q}
 * and the "std" bandwidth is Z's standard deviation.
 *
 * Permutation p-values reuse the input Gram matrices for every permutation,
 * and for a goal (a two-valued Z) each permuted statistic is a sum over the
 * good rows only.
 *
 * @example
 * ```ts
 * import { hsicIndices } from "./indices.ts";
 * const x = Array.from({ length: 100 }, (_, i) => [(i * 37) % 100 / 100, (i * 61) % 100 / 100]);
 * const y = x.map(([a, b]) => (a - 0.3) ** 2 + 0.01 * b);
 * const df = hsicIndices(x, y, { names: ["a", "b"], goal: { quantile: 0.1 }, estimator: "U" });
 * const [a, b] = df.toRecords();
 * if (!((a.r2 as number) > (b.r2 as number))) throw new Error("a decides the good region");
 * ```
 */
export function hsicIndices(
  x: readonly (readonly HsicValue[])[] | DataFrame,
  y: ArrayLike<number> | Series,
  options: HsicOptions = {},
): DataFrame {
  return hsicRowsFrame(hsicTable(x, y, options).rows);
}

/** HSIC rows as a DataFrame with fixed dtypes (nulls kept). */
export function hsicRowsFrame(rows: readonly HsicRow[]): DataFrame {
  const f = (key: keyof HsicRow) =>
    pl.Series(key, rows.map((r) => r[key]), pl.Float64);
  return pl.DataFrame([
    pl.Series("name", rows.map((r) => r.name), pl.Utf8),
    f("hsic"),
    f("r2"),
    f("share"),
    f("pAsymptotic"),
    f("pPermutation"),
    pl.Series("nActive", rows.map((r) => r.nActive), pl.Int64),
  ]);
}
