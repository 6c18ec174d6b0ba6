/**
 * MovieLens item modalities at their edges: a title whose covered words average to zero is
 * missing (not NaN), the production vocabulary keeps distributors and directors from their
 * thresholds on, and readableTitle keeps a title that is all parentheses and joins "L'"; stop
 * words stay out of a title mean, which reads the main title only; each production fact keeps its
 * own label and is found by movie id; the provenance notes count missing and matched items.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import {
  genreModality,
  type MovieItem,
  NO_GENRES_TAG,
  PRODUCTION_MIN_FILMS,
  productionModality,
  type ProductionRecord,
  textModality,
  yearModality,
} from "../../lib/data/movielens/features.ts";
import { readableTitle, titleTokens } from "../../lib/data/movielens/title.ts";

Deno.test("text modality: a title whose word vectors sum to zero is missing, with a zero row", () => {
  const items: MovieItem[] = [
    { movieId: 1, title: "Up Down", year: 2000, genres: "Drama" },
    { movieId: 2, title: "Up", year: 2000, genres: "Drama" },
  ];
  const vectors = { words: ["down", "up"], dim: 2, matrix: Float32Array.of(-1, -2, 1, 2) };
  const { modality } = textModality(items, vectors, "test");
  assertEquals(Array.from(modality.present), [0, 1]);
  assertEquals(Array.from(modality.values.subarray(0, 2)), [0, 0]);
});

Deno.test("production modality: distributors and directors are kept from their film thresholds on", () => {
  const { distributor, director } = PRODUCTION_MIN_FILMS;
  const record = (movieId: number, distributor: string, director: string): ProductionRecord => ({
    movieId,
    mpaa: "",
    creativeType: "",
    source: "",
    distributor,
    director,
  });
  // Distributor "D" and director "A" reach their thresholds; "d" and "a" have one film fewer.
  const records: ProductionRecord[] = [];
  for (let i = 0; i < distributor; i++) records.push(record(i, "D", i < director ? "A" : ""));
  for (let i = 0; i < distributor - 1; i++) {
    records.push(record(100 + i, "d", i < director - 1 ? "a" : ""));
  }
  const items: MovieItem[] = records.map(({ movieId }) => ({
    movieId,
    title: null,
    year: null, // an NA year does not hide the production facts
    genres: "Drama",
  }));
  const modality = productionModality(items, records, "test");
  assertEquals(modality.vocabulary, ["director:A", "distributor:D"]);
  assertEquals(Array.from(modality.present), records.map((r) => r.distributor === "D" ? 1 : 0));
});

Deno.test("readableTitle keeps a title that is only a parenthesis and joins an elided article", () => {
  assertEquals(readableTitle("(Untitled)"), "(Untitled)");
  assertEquals(readableTitle("Avventura, L' (Adventure, The)"), "L'Avventura");
  // Mutation round JL (JL74): with no group to strip, the elided article still joins its word.
  assertEquals(readableTitle("Avventura, L'"), "L'Avventura");
});

Deno.test("readableTitle strips a year written without a space; titleTokens joins letters only after an apostrophe (JL27, JL28)", () => {
  assertEquals(readableTitle("Heat(1995)"), "Heat");
  assertEquals(readableTitle("Killer, The(Die xue shuang xiong)(1989)"), "The Killer");
  // "5'11" is two numbers, as "Summer of '42" keeps "42" apart; "don't" stays one word.
  assertEquals(titleTokens("5'11 Don't"), ["5", "11", "don't"]);
});

Deno.test("genre and year vocabularies: tags sorted whatever their order in items; year labels name whole buckets", () => {
  const items: MovieItem[] = [{ movieId: 1, title: null, year: 1969, genres: "Drama|Action" }];
  assertEquals(genreModality(items).vocabulary, ["Action", "Drama"]);
  assertEquals(Array.from(genreModality(items).values), [1, 1]);
  const year = yearModality(items);
  assertEquals(year.vocabulary, [
    "<1960",
    "1960-1969",
    "1970-1979",
    "1980-1989",
    "1990-1994",
    "1995-1999",
    "2000-2004",
    "2005-2009",
    ">=2010",
  ]);
  assertEquals(Array.from(year.values).indexOf(1), 1);
});

Deno.test("text modality: stop words are left out of the mean when the title has other covered words", () => {
  const items: MovieItem[] = [
    { movieId: 1, title: "Deer Hunter, The", year: 1978, genres: "Drama" },
  ];
  // deer + hunter = (2, 0), normalised (1, 0); with "the" it would be (2, 1) normalised.
  const vectors = {
    words: ["deer", "hunter", "the"],
    dim: 2,
    matrix: Float32Array.of(1, 0, 1, 0, 0, 1),
  };
  const { modality } = textModality(items, vectors, "test");
  assertEquals(Array.from(modality.values), [1, 0]);
  assertEquals(Array.from(modality.present), [1]);
});

Deno.test("text modality and coverage read the main title: no alternative title, no year", () => {
  const items: MovieItem[] = [
    {
      movieId: 1,
      title: "Killer, The (Die xue shuang xiong) (1989)",
      year: 1989,
      genres: "Action",
    },
  ];
  // Main title "The Killer": killer only. The raw title would add "die" (and "1989") to the mean
  // and 5 more tokens to the coverage.
  const vectors = {
    words: ["1989", "die", "killer", "the"],
    dim: 2,
    matrix: Float32Array.of(1, 1, 0, 1, 1, 0, 1, 1),
  };
  const { modality, coverage } = textModality(items, vectors, "test");
  assertEquals(Array.from(modality.values), [1, 0]);
  assertEquals(coverage, { distinctTokens: 1, coveredTokens: 1, itemsWithText: 1 });
});

Deno.test("production modality: MPAA rating, creative type and source are each their own labelled fact", () => {
  const record = (movieId: number, mpaa: string, creativeType: string, source: string) => ({
    movieId,
    mpaa,
    creativeType,
    source,
    distributor: "",
    director: "",
  });
  const records: ProductionRecord[] = [
    record(1, "PG", "Fantasy", "Remake"),
    record(2, "R", "", ""),
  ];
  // Movie 3 has no record: unmatched, so missing (and not counted as matched in the notes).
  // Items are in another order than the records: an item finds its record by movie id.
  const items: MovieItem[] = [2, 3, 1].map((movieId) => ({
    movieId,
    title: null,
    year: null,
    genres: "Drama",
  }));
  const modality = productionModality(items, records, "test");
  assertEquals(modality.vocabulary, ["mpaa:PG", "mpaa:R", "source:Remake", "type:Fantasy"]);
  assertEquals(Array.from(modality.values), [0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1]);
  assertEquals(Array.from(modality.present), [1, 0, 1]);
  assertStringIncludes(modality.provenance.notes ?? "", "2 items matched;");
});

Deno.test("genre and year provenance notes count the items treated as missing", () => {
  const items: MovieItem[] = [
    { movieId: 1, title: null, year: 1995, genres: NO_GENRES_TAG },
    { movieId: 2, title: null, year: null, genres: "Drama" },
    { movieId: 3, title: null, year: null, genres: "Comedy|Drama" },
  ];
  assertStringIncludes(
    genreModality(items).provenance.notes ?? "",
    `2 tags; "${NO_GENRES_TAG}" treated as missing (1 items)`,
  );
  assertStringIncludes(
    yearModality(items).provenance.notes ?? "",
    "NA year treated as missing (2 items)",
  );
});

Deno.test("genre modality: a tag repeated in one item is one 1, not a count (LG34)", () => {
  const items: MovieItem[] = [{ movieId: 1, title: null, year: null, genres: "Drama|Drama" }];
  assertEquals(Array.from(genreModality(items).values), [1]);
});
