/**
 * loadMovieLens on a small hand-written folder (three movies, a few ratings, 2-d vectors) written
 * to a temp folder: the order it gives users and histories, the values it accepts at the edges,
 * and refusals that name the file, line and field, including after a record that spans two lines.
 * Found by mutation round IA: each case here failed to notice a changed loader.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { DataError } from "../../lib/data/errors.ts";
import { assertRefused, loadSmall, SMALL } from "./_movielens_small.ts";

Deno.test("loadMovieLens: users by ascending number, each history by time, ties in file order", async () => {
  // User 10 before user 9 in the file; user 9's ratings out of time order, with a tie at 7 whose
  // file order (movie 3, then movie 2) is not the item order; a fractional time is a time.
  const interactions = "userId,movieId,rating,timestamp\n10,1,4,5\n9,3,4,7\n9,2,4,7\n9,1,4,2.5\n";
  const dataset = await loadSmall({ "interactions.csv": interactions });
  if (dataset instanceof DataError) throw dataset;
  assertEquals(dataset.userIds, ["9", "10"]);
  assertEquals(dataset.sequences.map((s) => Array.from(s)), [[0, 2, 1], [0]]);
  assertEquals(dataset.timestamps!.map((t) => Array.from(t)), [[2.5, 7, 7], [5]]);
});

Deno.test("loadMovieLens: year 1 is a release year", async () => {
  const items = (SMALL["items.csv"] as string).replace("3,Old,1950,", "3,Old,1,");
  const dataset = await loadSmall({ "items.csv": items });
  if (dataset instanceof DataError) throw dataset;
  const year = dataset.modalities.find((modality) => modality.name === "year")!;
  assertEquals(Array.from(year.present), [1, 1, 1]);
});

Deno.test("loadMovieLens: an infinite rating or timestamp is refused, not read as a number", async () => {
  const cases: [string, number, string][] = [
    ["1,1,Infinity,10", 2, "rating"],
    ["1,1,4,-Infinity", 2, "timestamp"],
    // Decimal digits, but past the largest double.
    ["1,1,1e999,10", 2, "rating"],
  ];
  for (const [record, line, field] of cases) {
    const interactions = `userId,movieId,rating,timestamp\n${record}\n2,3,5,15\n`;
    await assertRefused({ "interactions.csv": interactions }, ["interactions.csv", line, field]);
  }
});

Deno.test("loadMovieLens: a rating off MovieLens's scale (0.5 to 5 stars in half stars) is refused at its line", async () => {
  // Each loaded as an implicit interaction: the rating was read as a number only, never checked.
  const header = "userId,movieId,rating,timestamp\n";
  for (const rating of ["0", "0.25", "5.5", "50", "-1", "4.25"]) {
    const error = await assertRefused(
      { "interactions.csv": `${header}1,1,4,10\n2,3,${rating},15\n` },
      ["interactions.csv", 3, "rating"],
    );
    assertStringIncludes(
      error.detail,
      `${rating} is not a MovieLens rating: 0.5 to 5 stars in steps of 0.5`,
    );
  }
  // Both ends of the scale and a half star load.
  const dataset = await loadSmall({
    "interactions.csv": `${header}1,1,0.5,10\n1,2,4.5,12\n2,3,5,15\n`,
  });
  if (dataset instanceof DataError) throw dataset;
  assertEquals(dataset.sequences.map((s) => Array.from(s)), [[0, 1], [2]]);
});

Deno.test("loadMovieLens: columns in another order are refused at the first one out of place", async () => {
  const items = "movieId,title,genres,year\n1,Heat,Action,1995\n2,Red Dawn,Action|War,1984\n" +
    "3,Old,(no genres listed),1950\n";
  const error = await assertRefused({ "items.csv": items }, ["items.csv", 1, "year"]);
  assertStringIncludes(error.detail, 'expected column 3 "year", found "genres"');
});

Deno.test("loadMovieLens: a file without a digest, a row count or a vector file that differs from manifest.json is refused", async () => {
  await assertRefused({}, ["production.csv", 0, "sha256"], (json) => {
    delete (json.sha256 as Record<string, string>)["production.csv"];
  });
  await assertRefused({}, ["interactions.csv", 0, "rows"], (json) => {
    json.interactions = 4;
  });
  // One float32 value short of 2 words x 2.
  const short = new Uint8Array(Float32Array.of(1, 0, 0).buffer);
  await assertRefused({ "title_vectors.f32": short }, ["title_vectors.f32", 0, "shape"]);
});

Deno.test("loadMovieLens names the line a record starts on after a record that spans two lines", async () => {
  // Movie 1's quoted title holds a line break: the next record starts on line 4, not 3.
  const head = 'movieId,title,year,genres\n1,"Heat\nRed",1995,Action\n';
  const tail = "3,Old,1950,(no genres listed)\n";
  await assertRefused({ "items.csv": `${head}x,Red Dawn,1984,Action\n${tail}` }, [
    "items.csv",
    4,
    "movieId",
  ]);
  await assertRefused({ "items.csv": `${head}2,Red Dawn,0,Action\n${tail}` }, [
    "items.csv",
    4,
    "year",
  ]);
  // Movie 1's quoted director spans lines 2-3; its repeat on line 4 names both lines.
  const production = 'movieId,mpaa,creativeType,source,distributor,director\n1,R,,,W,"M\nN"\n' +
    "1,R,,,W,M\n";
  const error = await assertRefused({ "production.csv": production }, [
    "production.csv",
    4,
    "movieId",
  ]);
  assertStringIncludes(error.detail, "(first at line 2)");
});

Deno.test("loadMovieLens refuses a number written otherwise than in decimal digits, not reading it as another", async () => {
  // Each was read by Number(): "0x1", " 1", "+1" and "1.0" as movie or user 1, "1e3" as year 1000, a
  // quoted "4" and line break as rating 4 (the next record then starts on line 4).
  const header = "userId,movieId,rating,timestamp\n";
  const cases: [string, string, number, string][] = [
    ["interactions.csv", `${header}1,0x1,4,10\n2,3,5,15\n`, 2, "movieId"],
    ["interactions.csv", `${header} 1,1,4,10\n2,3,5,15\n`, 2, "userId"],
    ["interactions.csv", `${header}+1,1,4,10\n2,3,5,15\n`, 2, "userId"],
    ["interactions.csv", `${header}1,1,"4\n",10\n2,3,5,15\n`, 2, "rating"],
    ["interactions.csv", `${header}1,1,4,10\n2,3,5,0x10\n`, 3, "timestamp"],
    ["items.csv", "movieId,title,year,genres\n1,Heat,1e3,Action\n2,R,,A\n3,O,,A\n", 2, "year"],
    [
      "production.csv",
      "movieId,mpaa,creativeType,source,distributor,director\n1.0,R,,,W,M\n",
      2,
      "movieId",
    ],
  ];
  for (const [file, text, line, field] of cases) {
    await assertRefused({ [file]: text }, [file, line, field]);
  }
  // The decimal forms String(number) writes still load: 3.5 stars, an exponent, a fraction.
  const interactions = `${header}1,1,3.5,1e1\n2,3,.5,15.25\n`;
  const dataset = await loadSmall({ "interactions.csv": interactions });
  if (dataset instanceof DataError) throw dataset;
  assertEquals(dataset.timestamps!.map((t) => Array.from(t)), [[10], [15.25]]);
});

Deno.test("loadMovieLens refuses a column past the expected ones, whose values nothing reads", async () => {
  const production = "movieId,mpaa,creativeType,source,distributor,director,writer\n1,R,,,W,M,S\n";
  const error = await assertRefused({ "production.csv": production }, [
    "production.csv",
    1,
    "column 7",
  ]);
  assertStringIncludes(error.detail, '"writer"');
});

Deno.test("loadMovieLens refuses an item, word or production count that differs from manifest.json", async () => {
  const cases: [string, (json: Record<string, unknown>) => void][] = [
    ["items.csv", (json) => (json.items = 4)],
    ["title_vocabulary.txt", (json) => ((json.text as { words: number }).words = 3)],
    ["production.csv", (json) => ((json.production as { matchedItems: number }).matchedItems = 2)],
  ];
  for (const [file, manifest] of cases) await assertRefused({}, [file, 0, "rows"], manifest);
});

Deno.test("loadMovieLens: each modality and the dataset name the source manifest.json gives them; the tie-break is the manifest's (LG03-LG06, LG32)", async () => {
  const dataset = await loadSmall({}, (json) => {
    json.source = "ratings-source";
    json.tieBreak = "by row number";
    (json.text as { source: string }).source = "vectors-source";
    (json.production as { source: string }).source = "facts-source";
  });
  if (dataset instanceof DataError) throw dataset;
  const source = (name: string) =>
    dataset.modalities.find((modality) => modality.name === name)!.provenance.source;
  assertStringIncludes(source("text"), "(vectors-source)");
  assertStringIncludes(source("production"), "facts-source data/movies.json");
  assertEquals(dataset.metadata.source, "ratings-source");
  assertEquals(dataset.metadata.tieBreak, "by row number");
});

Deno.test("loadMovieLens: vector rows follow the vocabulary file's order, even when it is not sorted (LG19)", async () => {
  // "red" is row 0 and "heat" row 1: movie 1 (Heat) reads row 1, movie 2 (Red Dawn) row 0.
  const dataset = await loadSmall({ "title_vocabulary.txt": "red\nheat\n" });
  if (dataset instanceof DataError) throw dataset;
  const text = dataset.modalities.find((modality) => modality.name === "text")!;
  assertEquals(Array.from(text.values), [0, 1, 1, 0, 0, 0]);
  assertEquals(Array.from(text.present), [1, 1, 0]);
});

Deno.test("loadMovieLens: fractional times within one second keep their order (LG23)", async () => {
  // User 1's 2.7 comes first in the file, 2.5 is earlier: time order, not file order.
  const interactions = "userId,movieId,rating,timestamp\n1,1,4,2.7\n1,2,4,2.5\n2,3,5,15\n";
  const dataset = await loadSmall({ "interactions.csv": interactions });
  if (dataset instanceof DataError) throw dataset;
  assertEquals(dataset.sequences.map((s) => Array.from(s)), [[1, 0], [2]]);
  assertEquals(Array.from(dataset.timestamps![0]), [2.5, 2.7]);
});

Deno.test("loadMovieLens: a header short of a column is refused at the missing one; an id error quotes the value (LG20, LG21)", async () => {
  const items = "movieId,title,year\n1,Heat,1995\n2,Red Dawn,1984\n3,Old,1950\n";
  const error = await assertRefused({ "items.csv": items }, ["items.csv", 1, "genres"]);
  assertStringIncludes(error.detail, 'expected column 4 "genres"');
  const header = "userId,movieId,rating,timestamp\n";
  const id = await assertRefused(
    { "interactions.csv": `${header}1,0x1,4,10\n2,3,5,15\n` },
    ["interactions.csv", 2, "movieId"],
  );
  assertStringIncludes(id.detail, 'not an integer: "0x1"');
});

Deno.test("loadMovieLens refuses a rating or timestamp written with a leading plus, as it refuses an id (LG01)", async () => {
  // String(number) never writes "+4": read as 4, a copy not written by the exporter was taken as one.
  const header = "userId,movieId,rating,timestamp\n";
  await assertRefused(
    { "interactions.csv": `${header}1,1,+4,10\n2,3,5,15\n` },
    ["interactions.csv", 2, "rating"],
  );
  await assertRefused(
    { "interactions.csv": `${header}1,1,4,10\n2,3,5,+15\n` },
    ["interactions.csv", 3, "timestamp"],
  );
  // An exponent keeps its sign.
  const dataset = await loadSmall({ "interactions.csv": `${header}1,1,4,1e+1\n2,3,5,-1.5\n` });
  if (dataset instanceof DataError) throw dataset;
  assertEquals(dataset.timestamps!.map((t) => Array.from(t)), [[10], [-1.5]]);
});

Deno.test("loadMovieLens: a repeated movie id in items.csv is refused at its second line, naming the id (LG84)", async () => {
  const items = "movieId,title,year,genres\n1,Heat,1995,Action\n2,Red Dawn,1984,Action|War\n" +
    "2,Old,1950,(no genres listed)\n";
  const error = await assertRefused({ "items.csv": items }, ["items.csv", 4, "movieId"]);
  assertEquals(error.detail, "duplicate id 2");
});

Deno.test('loadMovieLens refuses "(no genres listed)" beside other genre tags at its line (LG79)', async () => {
  // The genre modality dropped the tag and kept the others: a contradiction loaded silently.
  for (const genres of ["Action|(no genres listed)", "(no genres listed)|Action"]) {
    const items = `movieId,title,year,genres\n1,Heat,1995,Action\n2,Red Dawn,1984,${genres}\n` +
      "3,Old,1950,(no genres listed)\n";
    const error = await assertRefused({ "items.csv": items }, ["items.csv", 3, "genres"]);
    assertStringIncludes(error.detail, '"(no genres listed)" together with other tags');
  }
});
