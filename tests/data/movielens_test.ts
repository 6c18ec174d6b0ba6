import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { DataError } from "../../lib/data/errors.ts";
import { datasetFingerprint } from "../../lib/data/fingerprint.ts";
import {
  genreModality,
  type MovieItem,
  textModality,
  yearModality,
} from "../../lib/data/movielens/features.ts";
import { movieLensFileSet } from "../../lib/prepare/movielens/files.ts";
import { loadMovieLens, MOVIELENS_DIR } from "../../lib/data/movielens/load.ts";
import { DSLABS_RDATA, readDslabsMovieLens } from "../../lib/prepare/movielens/source.ts";
import { readableTitle, titleTokens } from "../../lib/data/movielens/title.ts";
import { titleContentTokens } from "../../lib/data/movielens/features.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { recordedFingerprint } from "../../lib/experiments/stored_data_check.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { hasDslabs } from "../_dslabs.ts";

Deno.test("readableTitle moves trailing articles to the front and drops alternative titles", () => {
  assertEquals(readableTitle("Deer Hunter, The"), "The Deer Hunter");
  assertEquals(readableTitle("Killer, The (Die xue shuang xiong)"), "The Killer");
  assertEquals(
    readableTitle("Good, the Bad and the Ugly, The (Buono, il brutto, il cattivo, Il)"),
    "The Good, the Bad and the Ugly",
  );
  assertEquals(readableTitle("Heat (1995)"), "Heat");
  assertEquals(readableTitle("Femme Nikita, La"), "La Femme Nikita");
  assertEquals(readableTitle("(500) Days of Summer"), "(500) Days of Summer");
  assertEquals(readableTitle(null), null);
  assertEquals(titleTokens("Don't Look Now: 2 Part"), ["don't", "look", "now", "2", "part"]);
});

Deno.test("readableTitle moves every listed article, only a whole trailing one, and strips only the last group", () => {
  const articles = [
    "The",
    "A",
    "An",
    "Les",
    "Le",
    "La",
    "Los",
    "Las",
    "El",
    "Il",
    "I",
    "Gli",
    "Lo",
  ];
  articles.push("Das", "Der", "Die", "Den", "Det", "De", "Het", "Een");
  for (const article of articles) {
    assertEquals(readableTitle(`Untergang, ${article} (Downfall)`), `${article} Untergang`);
  }
  // "I" is an article only as the whole last word: not the first letter of "Interrupted".
  assertEquals(readableTitle("Girl, Interrupted (1999)"), "Girl, Interrupted");
  // One trailing group at a time: a title that begins with a parenthesis keeps it.
  assertEquals(readableTitle("(500) Days of Summer (2009)"), "(500) Days of Summer");
});

Deno.test("titleTokens composes accents (NFC) and keeps every inner apostrophe", () => {
  // "e" followed by a combining acute accent is one letter "é", not a word break.
  assertEquals(titleTokens("Ame\u0301lie"), ["am\u00e9lie"]);
  assertEquals(titleTokens("Rock'n'Roll High School"), ["rock'n'roll", "high", "school"]);
});

Deno.test("titleContentTokens leaves out each title stop word when the title has other covered words", () => {
  const stopWords = ["the", "a", "an", "of", "and", "in", "on", "to", "for", "with", "at", "by"];
  stopWords.push("from");
  for (const word of stopWords) {
    const known = new Set(["red", "heat", word]);
    assertEquals(titleContentTokens(`Red ${word} Heat`, known), ["red", "heat"], word);
  }
});

const items: MovieItem[] = [
  { movieId: 1, title: "Red Heat", year: 1959, genres: "Action|Crime" },
  { movieId: 2, title: "Zzxq, The", year: 2010, genres: "(no genres listed)" },
  { movieId: 3, title: null, year: null, genres: "Crime" },
];

Deno.test("genre and year modalities: multi-hot, documented edges, missing is present = 0", () => {
  const genre = genreModality(items);
  assertEquals(genre.vocabulary, ["Action", "Crime"]);
  assertEquals(Array.from(genre.values), [1, 1, 0, 0, 0, 1]);
  assertEquals(Array.from(genre.present), [1, 0, 1]);
  const year = yearModality(items);
  assertEquals(year.dim, 9);
  assertEquals(year.vocabulary![0], "<1960");
  assertEquals(year.vocabulary![8], ">=2010");
  assertEquals(Array.from(year.values.subarray(0, 9)), [1, 0, 0, 0, 0, 0, 0, 0, 0]);
  assertEquals(year.values[9 + 8], 1);
  assertEquals(Array.from(year.present), [1, 1, 0]);
});

Deno.test("text modality is the L2-normalised mean of covered non-stop tokens; none covered is missing", () => {
  const vectors = {
    words: ["heat", "red", "the"],
    dim: 2,
    matrix: Float32Array.of(1, 0, 0, 3, 5, 5),
  };
  const { modality, coverage } = textModality(items, vectors, "test");
  // "Red Heat": mean of (0,3) and (1,0) = (0.5,1.5), normalised
  const norm = Math.hypot(0.5, 1.5);
  assertAlmostEquals(modality.values[0], 0.5 / norm, 1e-6);
  assertAlmostEquals(modality.values[1], 1.5 / norm, 1e-6);
  // "The Zzxq": only the stop word "the" is covered, so it is used rather than nothing
  assertAlmostEquals(modality.values[2], Math.SQRT1_2, 1e-6);
  assertEquals(Array.from(modality.present), [1, 1, 0]);
  assertEquals(Array.from(modality.values.subarray(4)), [0, 0]);
  assertEquals(coverage, { distinctTokens: 3, coveredTokens: 2, itemsWithText: 2 });
});

Deno.test("loadMovieLens: raw counts, tie-break order, NA titles, provenance and fingerprint", async () => {
  const dataset = await loadMovieLens();
  assertEquals([dataset.numUsers, dataset.numItems], [671, 9066]);
  assertEquals(dataset.sequences.reduce((n, s) => n + s.length, 0), 100004);
  assertEquals(dataset.modalities.map((m) => m.name), [
    "id",
    "text",
    "genre",
    "year",
    "production",
  ]);
  for (const modality of dataset.modalities) {
    assert(modality.provenance.source.length > 0, `${modality.name} has no provenance`);
    assertEquals(modality.present.length, dataset.numItems);
    assertEquals(modality.values.length, dataset.numItems * modality.dim);
  }
  dataset.sequences.forEach((sequence, u) => {
    const times = dataset.timestamps![u];
    for (let t = 1; t < sequence.length; t++) {
      assert(times[t] >= times[t - 1], `user ${u} not chronological at ${t}`);
      if (times[t] === times[t - 1]) {
        assert(Number(dataset.itemIds[sequence[t]]) > Number(dataset.itemIds[sequence[t - 1]]));
      }
    }
  });
  const naTitle = dataset.itemIds.indexOf("108548");
  assertEquals(dataset.modalities[1].present[naTitle], 0);
  assertEquals(dataset.modalities[3].present[naTitle], 0);
  // The empty field is NA: the item is named by its id, not "".
  assertEquals(dataset.itemTitles?.[naTitle], "movie 108548 (title NA)");
  // Users in ascending numeric order (a string sort would put user 10 second).
  const userIds = dataset.userIds.map(Number);
  assertEquals(userIds, [...userIds].sort((a, b) => a - b));
  assertEquals(dataset.userIds.slice(0, 3), ["1", "2", "3"]);
  assertEquals(dataset.metadata.fingerprint, datasetFingerprint(dataset));
  assert(dataset.metadata.citation?.includes("Harper"));
});

Deno.test("loadMovieLens rejects a file whose content differs from the manifest", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    for (const entry of Deno.readDirSync(MOVIELENS_DIR)) {
      Deno.copyFileSync(`${MOVIELENS_DIR}/${entry.name}`, `${dir}/${entry.name}`);
    }
    const path = `${dir}/items.csv`;
    Deno.writeTextFileSync(path, Deno.readTextFileSync(path).replace("Toy Story", "Toy Storm"));
    const error = await loadMovieLens(dir).then(() => null, (e: unknown) => e);
    assert(error instanceof DataError);
    assertEquals([error.file, error.field], [path, "sha256"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test({
  name: "committed interactions.csv and items.csv equal a fresh conversion of the dslabs file",
  ignore: !hasDslabs,
  fn() {
    const raw = readDslabsMovieLens();
    const vectors = { words: [], dim: 100, matrix: new Float32Array(0) };
    const labels = { ratings: "", text: "", production: "" };
    const { files } = movieLensFileSet(raw, vectors, [], labels);
    for (const name of ["interactions.csv", "items.csv"]) {
      const fresh = files.find((file) => file.path === name)!.data;
      assertEquals(fresh, Deno.readTextFileSync(`${MOVIELENS_DIR}/${name}`), name);
    }
  },
});
if (!hasDslabs) console.warn(`skipped the dslabs conversion test: ${DSLABS_RDATA}.rdx not found`);

Deno.test("readDslabsMovieLens names the missing file", () => {
  assertThrows(() => readDslabsMovieLens("/nonexistent/Rdata"), Error, "/nonexistent/Rdata.rdx");
});

Deno.test("the committed MovieLens data after the protocol is the data every MovieLens record was computed on", async () => {
  // Titles, stop words, modalities and filtering all feed the fingerprint: a change to any of them
  // leaves the records in results-of-record/ computed on other data.
  const { split } = await prepareDataset({ kind: "movielens" });
  const cells = new URL("../../results-of-record/full/cells/", import.meta.url).pathname;
  const recorded = new Set<string>();
  for (const entry of Deno.readDirSync(cells)) {
    if (!entry.name.includes("__MovieLens__")) continue;
    const path = `${cells}/${entry.name}`;
    const stored = Deno.readTextFileSync(path);
    const fingerprint = recordedFingerprint(
      (JSON.parse(stored) as { result: CellResult }).result,
      path,
    );
    if (fingerprint !== undefined) recorded.add(fingerprint);
  }
  assertEquals([...recorded], [split.dataset.metadata.fingerprint]);
});
