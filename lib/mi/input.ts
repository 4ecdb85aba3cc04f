/**
 * Inputs of MI estimators: `number[][]` (n rows), `number[]` (n × 1), or a
 * typed array with its shape, checked and turned into a row-major matrix.
 *
 * @module
 */

import { InfolensError } from "../errors.ts";

import type { Matrix } from "../_math/linalg.ts";

/** Samples of one variable: n rows of d numbers. */
export type MIInput =
  | readonly (readonly number[])[]
  | readonly number[]
  | { data: ArrayLike<number>; rows: number; cols: number };

/** The error raised for bad estimator input or options. */
export class MIError extends InfolensError {
  /** Always "MIError", so stack traces and logs name the class. */
  override name = "MIError";
}

/** Checks one input and returns it as a row-major Float64Array matrix. */
export function toMatrix(v: MIInput, name: string): Matrix {
  if (v === null || v === undefined) {
    throw new MIError(
      `${name} is ${v}; pass n rows of numbers (number[][]), a number[] for 1-D, or { data, rows, cols }`,
    );
  }
  let rows: number, cols: number, data: Float64Array;
  if (Array.isArray(v)) {
    rows = v.length;
    if (rows === 0) {
      throw new MIError(
        `${name} is empty; an estimate needs at least 2 samples`,
      );
    }
    if (!Array.isArray(v[0])) {
      cols = 1;
      checkNumbers(v as readonly unknown[], name, 1);
      data = Float64Array.from(v as readonly number[]);
    } else {
      cols = (v[0] as readonly number[]).length;
      if (cols === 0) throw new MIError(`${name} has rows of length 0`);
      data = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) {
        const row = v[i] as readonly number[];
        if (!Array.isArray(row) || row.length !== cols) {
          throw new MIError(
            `${name} row ${i} has ${
              Array.isArray(row) ? row.length : typeof row
            } values, but row 0 has ${cols}; all rows need the same length`,
          );
        }
        for (let j = 0; j < cols; j++) {
          const value = row[j];
          if (typeof value !== "number") notANumber(name, i, j, value);
          data[i * cols + j] = value;
        }
      }
    }
  } else if (typeof v === "object" && "data" in v) {
    ({ rows, cols } = v);
    const values: unknown = v.data;
    if (
      !values || typeof values !== "object" ||
      typeof (values as ArrayLike<unknown>).length !== "number"
    ) {
      throw new MIError(
        `${name}.data must be an array or typed array of numbers, got ${values}`,
      );
    }
    if (
      !Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 1
    ) {
      throw new MIError(
        `${name}: rows and cols must be positive integers, got ${rows} × ${cols}`,
      );
    }
    if (v.data.length !== rows * cols) {
      throw new MIError(
        `${name}: data has ${v.data.length} values, but rows × cols = ${
          rows * cols
        }`,
      );
    }
    if (!ArrayBuffer.isView(v.data)) {
      checkNumbers(Array.from(v.data as ArrayLike<unknown>), name, cols);
    }
    data = Float64Array.from(v.data);
  } else {
    throw new MIError(
      `${name} must be number[][], number[] or { data, rows, cols }`,
    );
  }
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k])) {
      throw new MIError(
        `${name}[${Math.floor(k / cols)}][${k % cols}] is ${
          data[k]
        }; remove or impute non-finite values first`,
      );
    }
  }
  return { rows, cols, data };
}

function notANumber(name: string, i: number, j: number, value: unknown): never {
  throw new MIError(
    `${name}[${i}][${j}] is ${
      typeof value === "string"
        ? `the string ${JSON.stringify(value)}`
        : `${typeof value} ${String(value)}`
    }; estimator inputs must be numbers`,
  );
}

/** Throws unless every value of a plain array is a number (typed arrays are). */
function checkNumbers(
  values: readonly unknown[],
  name: string,
  cols: number,
): void {
  for (let k = 0; k < values.length; k++) {
    if (typeof values[k] !== "number") {
      notANumber(name, Math.floor(k / cols), k % cols, values[k]);
    }
  }
}

/** Checks a pair of inputs: same row count, at least 2 rows. */
export function toPair(x: MIInput, y: MIInput): [Matrix, Matrix] {
  const mx = toMatrix(x, "x");
  const my = toMatrix(y, "y");
  if (mx.rows !== my.rows) {
    throw new MIError(
      `x has ${mx.rows} rows but y has ${my.rows}; MI needs paired samples (one row of each per sample)`,
    );
  }
  if (mx.rows < 2) {
    throw new MIError(`MI needs at least 2 samples, got ${mx.rows}`);
  }
  return [mx, my];
}

/**
 * Column means and standard deviations (population). A column whose spread
 * is only rounding error (below 1e-12 of its magnitude) gets std 0, so
 * callers can treat it as constant instead of dividing by ~1e-16.
 */
export function columnMoments(
  m: Matrix,
): { mean: Float64Array; std: Float64Array } {
  const { rows: n, cols: d, data } = m;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) mean[j] += data[i * d + j] / n;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) sq[j] += (data[i * d + j] - mean[j]) ** 2 / n;
  }
  const std = sq.map((v, j) => {
    const sd = Math.sqrt(v);
    return sd <= 1e-12 * Math.max(1, Math.abs(mean[j])) ? 0 : sd;
  });
  return { mean, std };
}

/** Column standard deviations; see {@linkcode columnMoments}. */
export function columnStd(m: Matrix): Float64Array {
  return columnMoments(m).std;
}
