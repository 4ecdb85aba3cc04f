/**
 * Quickselect: the nth smallest of a range in linear expected time, for
 * medians and k-d tree splits, where a full sort would do more work.
 *
 * @module
 */

/**
 * Reorders `values[lo..hi]` (inclusive) so that `values[nth]` is the value
 * a sort would put there, smaller ones before it and larger after (Hoare's
 * partition, middle pivot), and returns it. `carry`, when given, is
 * swapped alongside `values` — the row indices of a k-d tree's split.
 *
 * @example
 * ```ts
 * import { selectNth } from "./select.ts";
 * const values = Float64Array.from([5, 1, 4, 2, 3]);
 * const rows = Int32Array.from([0, 1, 2, 3, 4]);
 * if (selectNth(values, 0, 4, 2, rows) !== 3) throw new Error("median");
 * if (values[rows.indexOf(0)] !== 5) throw new Error("rows follow values");
 * ```
 */
export function selectNth(
  values: Float64Array,
  lo: number,
  hi: number,
  nth: number,
  carry?: Int32Array,
): number {
  while (hi > lo) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        if (carry) {
          const c = carry[i];
          carry[i] = carry[j];
          carry[j] = c;
        }
        i++;
        j--;
      }
    }
    if (nth <= j) hi = j;
    else if (nth >= i) lo = i;
    else break;
  }
  return values[nth];
}
