/**
 * Exact optimal transport between two small discrete mass distributions
 * (the transportation problem), for NASBOT's OTMANN distance between
 * networks ({@linkcode otmannDistance} in arch_distances.ts).
 *
 * Solved exactly by successive shortest paths on the residual graph
 * (Bellman-Ford, since undoing a shipment has a negative cost): each step
 * ships along the cheapest route from a source with supply left to a sink
 * with demand left, as much as the route allows, so each step empties a
 * supply, a demand or a shipment, and the plan is optimal when all supply
 * is shipped. Masses below `1e-12` × the total mass count as zero (the
 * only tolerance; the solution is otherwise exact up to floating-point
 * rounding). Meant for tens of masses, not thousands.
 *
 * @module
 */

import { SearchError } from "./searcher.ts";

/** An optimal plan and its cost. */
export interface TransportPlan {
  /** Mass shipped from source i to sink j, row-major (rows = sources). */
  plan: Float64Array;
  /** Σ plan[i,j] · cost[i,j], the least total cost. */
  cost: number;
}

/**
 * The least-cost plan shipping `supply` to `demand` with unit costs `cost`
 * (row-major, supply.length × demand.length, non-negative, finite). The
 * totals must agree to within 1e-9 relative.
 *
 * @example Two sources, two sinks: staying costs 2 and 3, crossing 1.
 * ```ts
 * import { optimalTransport } from "./optimal_transport.ts";
 * const { cost, plan } = optimalTransport([1, 1], [1, 1], [2, 1, 1, 3]);
 * // Staying costs 5, crossing 2.
 * if (cost !== 2 || plan[1] !== 1 || plan[2] !== 1) throw new Error();
 * ```
 */
export function optimalTransport(
  supply: readonly number[],
  demand: readonly number[],
  cost: ArrayLike<number>,
): TransportPlan {
  const n = supply.length, m = demand.length;
  if (cost.length !== n * m) {
    throw new SearchError(
      `optimalTransport: ${cost.length} costs for ${n}×${m} masses`,
    );
  }
  for (const x of [...supply, ...demand]) {
    if (!(x >= 0) || !Number.isFinite(x)) {
      throw new SearchError(`optimalTransport: masses must be finite and ≥ 0`);
    }
  }
  for (let k = 0; k < cost.length; k++) {
    if (!(cost[k] >= 0) || !Number.isFinite(cost[k])) {
      throw new SearchError(`optimalTransport: costs must be finite and ≥ 0`);
    }
  }
  const total = supply.reduce((a, b) => a + b, 0);
  const totalDemand = demand.reduce((a, b) => a + b, 0);
  if (Math.abs(total - totalDemand) > 1e-9 * Math.max(total, totalDemand, 1)) {
    throw new SearchError(
      `optimalTransport: supply ${total} and demand ${totalDemand} differ`,
    );
  }
  const eps = 1e-12 * Math.max(total, 1e-300);
  const left = Float64Array.from(supply);
  const need = Float64Array.from(demand);
  const plan = new Float64Array(n * m);
  // Distances: sources 0..n-1, sinks n..n+m-1; pred[v] the vertex before v.
  const dist = new Float64Array(n + m);
  const pred = new Int32Array(n + m);
  for (let guard = 0; guard < 4 * (n + m) * (n + m) + 16; guard++) {
    let remaining = 0;
    for (let i = 0; i < n; i++) if (left[i] > eps) remaining += left[i];
    if (remaining <= eps) break;
    dist.fill(Infinity);
    pred.fill(-1);
    for (let i = 0; i < n; i++) if (left[i] > eps) dist[i] = 0;
    // Bellman-Ford: forward arcs i→j cost c_ij; backward arcs j→i (where
    // something is shipped) cost −c_ij.
    for (let round = 0; round < n + m; round++) {
      let changed = false;
      for (let i = 0; i < n; i++) {
        const di = dist[i];
        if (di === Infinity) continue;
        for (let j = 0; j < m; j++) {
          const d = di + cost[i * m + j];
          if (d < dist[n + j] - 1e-15) {
            dist[n + j] = d;
            pred[n + j] = i;
            changed = true;
          }
        }
      }
      for (let j = 0; j < m; j++) {
        const dj = dist[n + j];
        if (dj === Infinity) continue;
        for (let i = 0; i < n; i++) {
          if (plan[i * m + j] <= eps) continue;
          const d = dj - cost[i * m + j];
          if (d < dist[i] - 1e-15) {
            dist[i] = d;
            pred[i] = n + j;
            changed = true;
          }
        }
      }
      if (!changed) break;
    }
    let sink = -1;
    for (let j = 0; j < m; j++) {
      if (need[j] > eps && (sink < 0 || dist[n + j] < dist[n + sink])) {
        sink = j;
      }
    }
    if (sink < 0 || dist[n + sink] === Infinity) break;
    // How much the route carries: the source's supply, the sink's demand,
    // and every shipment the route undoes.
    let amount = need[sink];
    let v = n + sink;
    while (pred[v] >= 0) {
      const u = pred[v];
      if (u >= n) amount = Math.min(amount, plan[v * m + (u - n)]);
      v = u;
    }
    amount = Math.min(amount, left[v]);
    const source = v;
    v = n + sink;
    while (pred[v] >= 0) {
      const u = pred[v];
      if (u < n) plan[u * m + (v - n)] += amount;
      else plan[v * m + (u - n)] -= amount;
      v = u;
    }
    left[source] -= amount;
    need[sink] -= amount;
  }
  let c = 0;
  for (let k = 0; k < plan.length; k++) {
    if (plan[k] < eps) plan[k] = 0;
    c += plan[k] * cost[k];
  }
  return { plan, cost: c };
}
