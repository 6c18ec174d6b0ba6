/** planRankingText: the ranking a notebook's results table names in its caption. */
import { assertEquals } from "@std/assert";
import { planExperiments, planRankingText } from "../../lib/experiments/mod.ts";

Deno.test("planRankingText: the plan's own full-ranking protocol, by name", () => {
  assertEquals(
    planRankingText(planExperiments("quick")),
    "full ranking over all items, the user's history items excluded [history_excluded]",
  );
  assertEquals(
    planRankingText(planExperiments("quick", undefined, { ranking: "history_kept" })),
    "full ranking over all items, the user's history items kept as candidates " +
      "(RecBole-compatible full sort) [history_kept]",
  );
});
