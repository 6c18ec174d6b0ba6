/**
 * Mutation-testing gaps of loadMovieLens (lib/data/movielens/load.ts) on the small hand-written
 * folder of tests/data/_movielens_small.ts: each case failed to notice one changed line.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { DataError } from "../../lib/data/errors.ts";
import { assertRefused, loadSmall, SMALL } from "./_movielens_small.ts";

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

Deno.test("loadMovieLens: an empty title or year is NA: a placeholder title, the year modality missing", async () => {
  // Movie 3 with neither title nor year: an empty title was kept as a title "" (no placeholder),
  // an empty year read as year 0 (a present, earliest bucket).
  const items = (SMALL["items.csv"] as string).replace("3,Old,1950,", "3,,,");
  const dataset = await loadSmall({ "items.csv": items });
  if (dataset instanceof DataError) throw dataset;
  assertEquals(dataset.itemTitles, ["Heat", "Red Dawn", "movie 3 (title NA)"]);
  const year = dataset.modalities.find((modality) => modality.name === "year")!;
  assertEquals(Array.from(year.present), [1, 1, 0]);
  assertEquals(Array.from(year.values.subarray(2 * year.dim)), new Array(year.dim).fill(0));
});

Deno.test("loadMovieLens: the preprocessing line states the star range every rating was checked against", async () => {
  const dataset = await loadSmall();
  if (dataset instanceof DataError) throw dataset;
  assertEquals(dataset.metadata.preprocessing, [
    "every rating (0.5-5 stars) kept as an implicit interaction",
  ]);
});
