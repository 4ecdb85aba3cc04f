/**
 * A known-truth task with a discrete Y: Y uniform on {0, …, K − 1} and
 * X's first column uniform on [Y, Y + 2]; further columns are independent
 * standard normals (they carry no information). I(X; Y) =
 * ln(2K)/K + (K − 1)/K · ln K − ln 2.
 *
 * @module
 */

import type { MITask, Samples } from "../../lib/mi/ground_truth.ts";
import { Random } from "../../lib/space/random.ts";

/** The task with `classes` labels and `dim` columns of X (y is the label, n × 1). */
export function overlappingClasses(
  { classes = 2, dim = 1 }: { classes?: number; dim?: number } = {},
): MITask {
  const K = classes;
  return {
    name: `overlapping-classes-${K}-dim${dim}`,
    dimX: dim,
    dimY: 1,
    mutualInformation: Math.log(2 * K) / K + ((K - 1) / K) * Math.log(K) -
      Math.LN2,
    sample(n: number, { seed = 0 } = {}): Samples {
      const r = new Random(seed, "overlapping-classes");
      const x: number[][] = [], y: number[][] = [];
      for (let i = 0; i < n; i++) {
        const label = Math.min(K - 1, Math.floor(r.uniform() * K));
        const row = [label + 2 * r.uniform()];
        for (let j = 1; j < dim; j++) row.push(r.normal());
        x.push(row);
        y.push([label]);
      }
      return { x, y };
    },
  };
}
