/**
 * Mutation-testing gaps of the MovieLens item modalities (lib/data/movielens/features.ts): a year
 * on a bucket's lower edge is in that bucket, and a title covered only by stop words still has
 * text.
 */
import { assert, assertEquals } from "@std/assert";
import {
  type MovieItem,
  textModality,
  titleContentTokens,
  YEAR_BUCKET_EDGES,
  yearModality,
} from "../../lib/data/movielens/features.ts";

const item = (movieId: number, title: string | null, year: number | null): MovieItem => ({
  movieId,
  title,
  year,
  genres: "Drama",
});

Deno.test("year modality: a year on a bucket's lower edge is in that bucket, the year before in the one below", () => {
  // Per edge, the year before it and the edge itself.
  const years = YEAR_BUCKET_EDGES.flatMap((edge) => [edge - 1, edge]);
  const items = years.map((year, i) => item(i, "x", year));
  const modality = yearModality(items);
  const bucketOf = (i: number) =>
    Array.from(modality.values.subarray(i * modality.dim, (i + 1) * modality.dim)).indexOf(1);
  YEAR_BUCKET_EDGES.forEach((edge, b) => {
    // Bucket 0 is "<1960"; the bucket whose lower edge is edges[b] is b + 1.
    assertEquals(bucketOf(2 * b), b, `year ${edge - 1}`);
    assertEquals(bucketOf(2 * b + 1), b + 1, `year ${edge}`);
    // ... whose label starts at the edge ("1960-1969", ">=2010").
    assert(/^(>=)?(\d+)/.exec(modality.vocabulary![b + 1])![2] === `${edge}`);
  });
});

Deno.test("text modality: a title covered only by stop words is the mean of those, not missing", () => {
  const known = new Set(["the", "of", "heat"]);
  assertEquals(titleContentTokens("Of, The", known), ["the", "of"]);
  assertEquals(titleContentTokens("Heat, The", known), ["heat"]);
  const vectors = {
    words: ["heat", "of", "the"],
    dim: 2,
    matrix: Float32Array.of(1, 0, 0, 3, 0, 4),
  };
  const { modality, coverage } = textModality([item(1, "Of, The", 2000)], vectors, "test");
  assertEquals(Array.from(modality.present), [1]);
  // ("the" + "of") / |..| = (0, 7) / 7
  assertEquals(Array.from(modality.values), [0, 1]);
  assertEquals(coverage.itemsWithText, 1);
});
