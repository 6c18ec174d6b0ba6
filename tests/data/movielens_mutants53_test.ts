/**
 * Mutation-testing gaps of loadMovieLens (lib/data/movielens/load.ts) on the small hand-written
 * folder of tests/data/_movielens_small.ts: each case failed to notice one changed line.
 */
import { assertStringIncludes } from "@std/assert";
import { assertRefused } from "./_movielens_small.ts";

Deno.test("loadMovieLens: a timestamp in decimal digits past the largest double is refused, not read as Infinity", async () => {
  // A rating of 1e999 is refused by the star scale as well; a timestamp has no range, so only
  // the finiteness check stands between it and a history ordered by Infinity.
  const interactions = "userId,movieId,rating,timestamp\n1,1,4,1e999\n2,3,5,15\n";
  const error = await assertRefused({ "interactions.csv": interactions }, [
    "interactions.csv",
    2,
    "timestamp",
  ]);
  assertStringIncludes(error.detail, 'not a finite number: "1e999"');
});
