/**
 * The clustered catalogue the draw-odds tests share (the reach test of session 49 and the
 * never-finishes refusal of session 53 each wrote it out): items 0..3 in clusters 0 ([0, 2]) and
 * 1 ([1, 3]), where items 1 and 3 weigh 0. They are never drawn from all items, but cluster 1's
 * total is 0, so a draw from it always lands on its last item, 3.
 */
import type { ClusterDraw } from "../../lib/data/workload_draw_odds.ts";

/** The popularity weights of items 0..3: clusters 0 and 1 hold the weighted and the weightless. */
const CLUSTERED_WEIGHTS: readonly number[] = [1, 0, 1, 0];

/** Cumulative weights over all items, and per cluster, as `DrawOdds` takes them. */
export function clusteredCatalogue(): { global: Float64Array; byCluster: ClusterDraw[] } {
  let sum = 0;
  const global = Float64Array.from(CLUSTERED_WEIGHTS, (w) => sum += w);
  const clusterOf = (items: number[]) => {
    let s = 0;
    return { items, cumulative: Float64Array.from(items, (i) => s += CLUSTERED_WEIGHTS[i]) };
  };
  return { global, byCluster: [clusterOf([0, 2]), clusterOf([1, 3])] };
}
