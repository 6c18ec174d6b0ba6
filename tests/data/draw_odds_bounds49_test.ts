/**
 * The draw's odds that the workload generator's refusals rest on (session 49): how many of
 * `rng.next()`'s 2^32 values land on each index of a cumulative draw, and the dataset-wide limit
 * on expected rejected draws, which a generated dataset cannot reach in a test's time.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { DRAW_POINTS, drawIndex, drawPointsOf } from "../../lib/data/cumulative_draw.ts";
import { DrawOdds } from "../../lib/data/workload_draw_odds.ts";
import type { Rng } from "../../lib/util/random.ts";
import { settingError } from "../_setting_error.ts";
import { clusteredCatalogue } from "./_draw_odds_clusters.ts";

/** An Rng whose next() is j / 2^32 for the given j (only next() is used by drawIndex). */
function fixedDraw(j: number): Rng {
  return { next: () => j / DRAW_POINTS } as Rng;
}

Deno.test("drawPointsOf: every value lands on one index, as drawIndex draws it", () => {
  const weights = [3, 2 ** -20, 0, 1, 2 ** -60, 5, 0];
  let sum = 0;
  const cumulative = Float64Array.from(weights, (w) => sum += w);
  const points = weights.map((_, index) => drawPointsOf(cumulative, index));
  assertEquals(points.reduce((a, b) => a + b, 0), DRAW_POINTS);
  // Weight 0, or a weight below the total's resolution (2^-60 after 4), is never drawn.
  assertEquals([points[2], points[4], points[6]], [0, 0, 0]);
  // Every 2^20th value lands where the counts say: the index whose range of values holds it.
  const step = 2 ** 20;
  let start = 0;
  points.forEach((count, index) => {
    for (let j = Math.ceil(start / step) * step; j < start + count; j += step) {
      assertEquals(drawIndex(cumulative, fixedDraw(j)), index, `value ${j}`);
    }
    if (count > 0) {
      assertEquals(drawIndex(cumulative, fixedDraw(start)), index);
      assertEquals(drawIndex(cumulative, fixedDraw(start + count - 1)), index);
    }
    start += count;
  });
});

Deno.test("drawPointsOf: a total of 0 draws the last index with every value", () => {
  const cumulative = new Float64Array(3);
  assertEquals([0, 1, 2].map((i) => drawPointsOf(cumulative, i)), [0, 0, DRAW_POINTS]);
  assertEquals(drawIndex(cumulative, fixedDraw(12345)), 2);
});

Deno.test("DrawOdds: the dataset's expected rejected draws past the limit are refused", () => {
  // Two items of weights 1 and 1: after one is taken, each draw is rejected half the time.
  const global = Float64Array.of(1, 2);
  const odds = new DrawOdds(
    { popularitySkew: 0.5, clusterAffinity: 0, maxHistory: 2 },
    global,
    [{ items: [0, 1], cumulative: global }],
    { drawsPerItem: 2 ** 26, rejections: 2.5 },
  );
  // Users 0 and 1 expect one rejection each; user 2 would bring the dataset to 3.
  for (const user of [0, 1]) {
    odds.startHistory(0);
    odds.checkStep(user, 2);
    odds.take(0);
    odds.checkStep(user, 2);
    odds.take(1);
  }
  odds.startHistory(0);
  odds.checkStep(2, 2);
  odds.take(1);
  const error = settingError(() => odds.checkStep(2, 2));
  assertEquals(error.setting, "workload.popularitySkew");
  assertEquals(error.value, 0.5);
  assertStringIncludes(error.message, "user 2's history of 2 hold 0.500 of its draws");
});

Deno.test("DrawOdds: reach per cluster counts the items either draw lands on", () => {
  // Items 1 and 3 (cluster 1) weigh 0: never drawn from all items, but cluster 1's total is 0,
  // so its draw always lands on its last item, 3.
  const { global, byCluster } = clusteredCatalogue();
  const reach = (clusterAffinity: number) =>
    new DrawOdds({ popularitySkew: 1, clusterAffinity, maxHistory: 2 }, global, byCluster)
      .reachPerCluster();
  assertEquals(reach(0.5), [2, 3]);
  assertEquals(reach(1), [2, 1]);
  assertEquals(reach(0), [2, 2]);
});
