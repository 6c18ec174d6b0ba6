/**
 * The MovieLens sources before the committed files: readDslabsMovieLens on a hand-made dslabs-like
 * lazy-load database refuses NA and conflicting rows (naming the row), cutWinkEmbeddings refuses
 * malformed vectors, matchVegaMovies matches within one year and leaves ties unmatched, and the
 * manifest counts distinct users.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { gzipSync } from "node:zlib";
import { R_NA_INTEGER } from "../../lib/prepare/rds/mod.ts";
import {
  cutWinkEmbeddings,
  matchVegaMovies,
  movieLensFileSet,
  readDslabsMovieLens,
} from "../../lib/prepare/mod.ts";
import { loadMovieLens } from "../../lib/data/movielens/load.ts";
import { lazyLoadBlob, lazyLoadIndex, RFixtureWriter } from "./_r_fixture_writer.ts";

interface Rating {
  movieId: number;
  title: string | null;
  year: number;
  genres: string | null;
  userId: number;
  rating: number;
  timestamp: number;
}

/** Writes `<dir>/Rdata.rdb/.rdx` holding `movielens`, a data.frame of `rows` as dslabs has it. */
function dslabsDatabase(dir: string, rows: Rating[]): string {
  const levels = [...new Set(rows.flatMap((row) => row.genres ?? []))].sort();
  const column = <K extends keyof Rating>(key: K) => rows.map((row) => row[key]);
  const w = new RFixtureWriter().header(3).vecsxp(7, true);
  w.intsxp(column("movieId")).strsxp(column("title")).intsxp(column("year"));
  w.intsxp(
    rows.map((row) => row.genres === null ? R_NA_INTEGER : levels.indexOf(row.genres) + 1),
    true,
  );
  w.pairlistCell().symbol("levels").strsxp(levels);
  w.pairlistCell().symbol("class").strsxp(["factor"]).nil();
  w.intsxp(column("userId")).realsxp(column("rating")).intsxp(column("timestamp"));
  const names = ["movieId", "title", "year", "genres", "userId", "rating", "timestamp"];
  w.pairlistCell().symbol("names").strsxp(names);
  w.pairlistCell().reference(2).strsxp(["data.frame"]);
  w.pairlistCell().symbol("row.names").intsxp([R_NA_INTEGER, -rows.length]).nil();
  const blob = lazyLoadBlob(w.bytes());
  Deno.writeFileSync(`${dir}/Rdata.rdb`, blob);
  Deno.writeFileSync(`${dir}/Rdata.rdx`, gzipSync(lazyLoadIndex("movielens", [0, blob.length], 1)));
  return `${dir}/Rdata`;
}

const heat = {
  movieId: 6,
  title: "Heat",
  year: 1995,
  genres: "Action|Crime",
  userId: 2,
  rating: 4,
  timestamp: 20,
};
const jumanji = { ...heat, movieId: 2, title: "Jumanji", year: R_NA_INTEGER, genres: "Fantasy" };

Deno.test("readDslabsMovieLens reads a dslabs-like frame; an NA or a conflicting row is refused, named", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const raw = readDslabsMovieLens(dslabsDatabase(dir, [heat, jumanji, { ...heat, userId: 1 }]));
    assertEquals(Array.from(raw.userId), [2, 2, 1]);
    assertEquals(raw.movies, [
      { movieId: 2, title: "Jumanji", year: null, genres: "Fantasy" },
      { movieId: 6, title: "Heat", year: 1995, genres: "Action|Crime" },
    ]);
    const source = `${dir}/Rdata.rdb ("movielens")`;
    const refused = (rows: Rating[], message: string) =>
      assertThrows(() => readDslabsMovieLens(dslabsDatabase(dir, rows)), Error, message);
    refused([heat, { ...jumanji, rating: NaN }], `${source}: row 2: NA in userId, movieId, rating`);
    refused([{ ...heat, userId: R_NA_INTEGER }], `${source}: row 1: NA in userId`);
    refused([heat, { ...heat, timestamp: R_NA_INTEGER }], `${source}: row 2: NA in userId`);
    refused([{ ...heat, genres: null }], `${source}: row 1: genres is NA`);
    refused([heat, { ...heat, year: 1996 }], `${source}: row 2: movieId 6 has conflicting fields`);
    refused([heat, { ...heat, title: "Heat 2" }], "row 2: movieId 6 has conflicting fields");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("cutWinkEmbeddings keeps the wanted words' vectors; malformed dimensions or vectors are refused", () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/wink.json`;
  const cut = (file: unknown, wanted: string[]) => {
    Deno.writeTextFileSync(path, JSON.stringify(file));
    return cutWinkEmbeddings(path, new Set(wanted));
  };
  try {
    // Each vector holds `dimensions` values, then its norm and index (dropped).
    const vectors = { heat: [1, 2, 2.2, 7], red: [3, 4, 5, 1], blue: [5, 6, 7.8, 2] };
    assertEquals(cut({ dimensions: 2, vectors }, ["red", "heat", "none"]), {
      words: ["heat", "red"],
      dim: 2,
      matrix: Float32Array.of(1, 2, 3, 4),
    });
    // Mutation round GB (GB23): a wanted word that names an Object.prototype member is not in
    // the file (own keys only); read through `in`, it was refused as a malformed vector.
    assertEquals(cut({ dimensions: 2, vectors }, ["heat", "constructor", "toString"]), {
      words: ["heat"],
      dim: 2,
      matrix: Float32Array.of(1, 2),
    });
    for (const dimensions of [0, -1, 2.5, "2"]) {
      assertThrows(
        () => cut({ dimensions, vectors }, ["heat"]),
        Error,
        `${path}: not a wink embeddings file`,
      );
    }
    // A null value (JSON has no NaN) would be stored as 0.
    for (const heat of [[1], [1, null, 1, 0]]) {
      assertThrows(
        () => cut({ dimensions: 2, vectors: { heat } }, ["heat"]),
        Error,
        `${path}: vector of "heat" is malformed`,
      );
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("matchVegaMovies matches a title within one year; two films as close are left unmatched", () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/movies.json`;
  const film = (title: string, date: string, mpaa: string) => ({
    "Title": title,
    "Release Date": date,
    "MPAA Rating": mpaa,
    "Creative Type": null,
    "Source": null,
    "Distributor": "D",
    "Director": null,
  });
  try {
    Deno.writeTextFileSync(
      path,
      JSON.stringify([
        film("Heat", "Dec 15 1996", "R"),
        film("Twins", "1987", "PG"),
        film("Twins", "1989", "PG-13"),
        film("Alien", "1981", "R"),
        film("Amelie", "2001", "R"),
      ]),
    );
    const movie = (movieId: number, title: string, year: number) => ({
      movieId,
      title,
      year,
      genres: "Drama",
    });
    const records = matchVegaMovies(
      [
        movie(1, "Heat (1995)", 1995),
        movie(2, "Twins", 1988),
        movie(3, "Alien", 1979),
        movie(4, "Amélie (Fabuleux destin d'Amélie Poulain, Le)", 2001), // accents do not count
      ],
      path,
    );
    const facts = { mpaa: "R", creativeType: "", source: "", distributor: "D", director: "" };
    assertEquals(records, [{ movieId: 1, ...facts }, { movieId: 4, ...facts }]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("movieLensFileSet: the files it builds load back through loadMovieLens as the raw data", async () => {
  const raw = {
    userId: Int32Array.of(1, 1, 2),
    movieId: Int32Array.of(6, 2, 6),
    rating: Float64Array.of(4, 3, 5),
    timestamp: Float64Array.of(10, 5, 7),
    movies: [
      { movieId: 2, title: null, year: null, genres: "Fantasy" },
      { movieId: 6, title: "Heat", year: 1995, genres: "Action" },
    ],
  };
  // The matrix is a view on a larger buffer: its own bytes only are the vector file (the whole
  // buffer was written, and the loader refused 24 bytes for 2 words x 2).
  const matrix = Float32Array.of(9, 9, 0.6, 0.8, 1, 0).subarray(2);
  const vectors = { words: ["heat", "red"], dim: 2, matrix };
  const production = [
    { movieId: 6, mpaa: "R", creativeType: "", source: "", distributor: "D", director: "M" },
  ];
  const labels = { ratings: "r", text: "t", production: "p" };
  const { files, manifest } = movieLensFileSet(raw, vectors, production, labels);
  assertEquals([manifest.interactions, manifest.users, manifest.items], [3, 2, 2]);
  // The loader reads production.csv by its header's column order.
  const productionCsv = files.find((file) => file.path === "production.csv")!.data;
  assertEquals(productionCsv, "movieId,mpaa,creativeType,source,distributor,director\n6,R,,,D,M\n");
  const dir = Deno.makeTempDirSync();
  try {
    for (const file of files) {
      if (typeof file.data === "string") Deno.writeTextFileSync(`${dir}/${file.path}`, file.data);
      else Deno.writeFileSync(`${dir}/${file.path}`, file.data);
    }
    const dataset = await loadMovieLens(dir);
    assertEquals(dataset.itemIds, ["2", "6"]);
    // User 1 in time order (movie 2 at 5, then movie 6 at 10), then user 2.
    assertEquals(dataset.sequences.map((s) => Array.from(s)), [[0, 1], [1]]);
    assertEquals(dataset.itemTitles, ["movie 2 (title NA)", "Heat"]);
    const [, text, , year, facts] = dataset.modalities;
    assertEquals(Array.from(text.values), [0, 0, 0.6000000238418579, 0.800000011920929]);
    assertEquals(Array.from(year.present), [0, 1]);
    assertEquals(facts.vocabulary, ["mpaa:R"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
