/**
 * describeRecommendation's sentence, word for word: the recommended item, the actual next item,
 * and every reason as "the <modality> of "<item>" (<normalised, 2 decimals>)", joined by "; ".
 */
import { assertEquals } from "@std/assert";
import {
  type ContributionRow,
  describeRecommendation,
  type Recommendation,
} from "../../lib/explain/mod.ts";

/** A reason: `modality` of history item `item`, normalised contribution `normalised`. */
function reason(item: string, modality: string, normalised: number): ContributionRow {
  return {
    user: "7",
    userIndex: 3,
    recency: 1,
    item,
    itemIndex: 0,
    modality,
    contribution: normalised / 2,
    normalised,
    noise: false,
  };
}

const RECOMMENDATION: Recommendation = {
  user: "7",
  userIndex: 3,
  item: "Heat",
  itemIndex: 12,
  actualNext: "Fargo",
  reasons: [reason("Alien", "genre", 2.104), reason("Brazil", "text", 1.5)],
  explain: "recommendation",
};

Deno.test("describeRecommendation: the item, the actual next one and every reason in order", () => {
  assertEquals(
    describeRecommendation(RECOMMENDATION),
    'user 7: "Heat" (actual next: "Fargo") mainly because of the genre of "Alien" (2.10); ' +
      'the text of "Brazil" (1.50)',
  );
});

Deno.test("describeRecommendation: an explanation of the history says the history is driven", () => {
  assertEquals(
    describeRecommendation({ ...RECOMMENDATION, explain: "history" }),
    'user 7: "Heat" (actual next: "Fargo"); the history is driven mainly by the genre of ' +
      '"Alien" (2.10); the text of "Brazil" (1.50)',
  );
});
