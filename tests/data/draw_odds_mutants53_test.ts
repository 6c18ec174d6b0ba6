/**
 * Mutation-testing gaps of the draw odds (lib/data/workload_draw_odds.ts): the library's own
 * limits (2^26 expected draws for an item, 2^32 expected rejected draws for a dataset), which the
 * other tests replace by small ones, and the share of draws the refusal states.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { DRAW_POINTS, drawPointsOf } from "../../lib/data/cumulative_draw.ts";
import { DrawOdds } from "../../lib/data/workload_draw_odds.ts";
import { settingError } from "../_setting_error.ts";
import { clusteredCatalogue } from "./_draw_odds_clusters.ts";

/** Odds over two items (all draws global) whose second holds `points` of the 2^32 values. */
function twoItems(points: number): DrawOdds {
  const global = Float64Array.of(DRAW_POINTS - points, DRAW_POINTS);
  assertEquals(drawPointsOf(global, 1), points);
  return new DrawOdds(
    { popularitySkew: 2, clusterAffinity: 0, maxHistory: 2 },
    global,
    [{ items: [0, 1], cumulative: global }],
  );
}

Deno.test("DrawOdds: with the library's limits, an item expecting 1e8 draws (past 2^26, below 2^27) is refused", () => {
  // 43 of the 2^32 values: about 1.0e8 draws for the second item once the first is taken.
  const odds = twoItems(43);
  odds.startHistory(0);
  odds.checkStep(7, 2);
  odds.take(0);
  const error = settingError(() => odds.checkStep(7, 2));
  assertEquals(error.setting, "workload.popularitySkew");
  // The share is stated to 3 digits: 43 / 2^32.
  assertStringIncludes(error.message, `hold ${(43 / DRAW_POINTS).toPrecision(3)} of its draws`);
  assertStringIncludes(error.message, `about ${(DRAW_POINTS / 43).toPrecision(3)} draws`);
});

Deno.test("DrawOdds: with the library's limits, 2^32 expected rejected draws in all are refused", () => {
  // Each second step expects 2^25 - 1 rejections (within 2^26 for the item): the 129th such step
  // passes 2^32 for the dataset.
  const odds = twoItems(2 ** 7);
  let refusedAt = 0;
  for (let user = 0; user < 300 && refusedAt === 0; user++) {
    odds.startHistory(0);
    odds.checkStep(user, 2);
    odds.take(0);
    try {
      odds.checkStep(user, 2);
    } catch (error) {
      assertStringIncludes((error as Error).message, "2^32 rejected draws for the dataset");
      refusedAt = user;
    }
  }
  assertEquals(refusedAt, 128);
});

Deno.test("DrawOdds: a history that cannot finish names its own cluster's reach, not the smallest", () => {
  // At affinity 1, cluster 0 ([0, 2]) reaches both its items and cluster 1 ([1, 3], weightless)
  // only item 3: reaches [2, 1].
  const { global, byCluster } = clusteredCatalogue();
  const odds = new DrawOdds(
    { popularitySkew: 1, clusterAffinity: 1, maxHistory: 3 },
    global,
    byCluster,
  );
  assertEquals(odds.reachPerCluster(), [2, 1]);
  // A user of cluster 0 with 3 items: its cluster's 2 items are all it can reach, every item of
  // its cluster is reached, so the affinity (not the skew) is to blame.
  odds.startHistory(0);
  for (const item of [0, 2]) {
    odds.checkStep(4, 3);
    odds.take(item);
  }
  const error = settingError(() => odds.checkStep(4, 3));
  assertEquals([error.setting, error.value], ["workload.clusterAffinity", 1]);
  assertStringIncludes(error.message, "user 4's draws reach only 2 distinct items");
  assertStringIncludes(error.message, "Histories of at most 1 items always finish");
});
