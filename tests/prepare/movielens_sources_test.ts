/**
 * The MovieLens sources before the committed files: readDslabsMovieLens on a hand-made dslabs-like
 * lazy-load database refuses NA and conflicting rows (naming the row) and columns of another R type
 * (naming the file and column), cutWinkEmbeddings refuses malformed vectors, matchVegaMovies
 * matches within one year and leaves ties unmatched, and movieLensFileSet orders the interactions
 * and fills every manifest field.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { R_NA_INTEGER } from "../../lib/prepare/rds/mod.ts";
import {
  cutWinkEmbeddings,
  matchVegaMovies,
  MOVIELENS_TIE_BREAK,
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

type Column = "movieId" | "title" | "year" | "genres" | "userId" | "rating" | "timestamp";
/** Columns written in another R type than dslabs has; columns named otherwise. */
type DslabsColumns = [
  replace?: Partial<Record<Column, (w: RFixtureWriter) => void>>,
  rename?: Partial<Record<Column, string>>,
];

/**
 * Writes `<dir>/Rdata.rdb/.rdx` holding `movielens`, a data.frame of `rows` as dslabs has it;
 * `replace` writes a column in another R type, `rename` names a column otherwise.
 */
function dslabsDatabase(dir: string, rows: Rating[], ...[replace, rename]: DslabsColumns): string {
  replace ??= {};
  rename ??= {};
  const levels = [...new Set(rows.flatMap((row) => row.genres ?? []))].sort();
  const column = <K extends keyof Rating>(key: K) => rows.map((row) => row[key]);
  const w = new RFixtureWriter().header(3).vecsxp(7, true);
  const write = (name: Column, standard: (w: RFixtureWriter) => void) =>
    (replace[name] ?? standard)(w);
  write("movieId", (w) => w.intsxp(column("movieId")));
  write("title", (w) => w.strsxp(column("title")));
  write("year", (w) => w.intsxp(column("year")));
  write("genres", (w) => {
    w.intsxp(
      rows.map((row) => row.genres === null ? R_NA_INTEGER : levels.indexOf(row.genres) + 1),
      true,
    );
    w.pairlistCell().symbol("levels").strsxp(levels);
    w.pairlistCell().symbol("class").strsxp(["factor"]).nil();
  });
  write("userId", (w) => w.intsxp(column("userId")));
  write("rating", (w) => w.realsxp(column("rating")));
  write("timestamp", (w) => w.intsxp(column("timestamp")));
  const names: Column[] = ["movieId", "title", "year", "genres", "userId", "rating", "timestamp"];
  w.pairlistCell().symbol("names").strsxp(names.map((name) => rename[name] ?? name));
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

/** Reads a database of `rows` (written as `dslabsDatabase` does) in a fresh folder. */
function withDslabs(
  body: (
    read: (rows: Rating[], ...columns: DslabsColumns) => ReturnType<typeof readDslabsMovieLens>,
    source: string,
  ) => void,
): void {
  const dir = Deno.makeTempDirSync();
  try {
    body(
      (rows, ...columns) => readDslabsMovieLens(dslabsDatabase(dir, rows, ...columns)),
      `${dir}/Rdata.rdb ("movielens")`,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("readDslabsMovieLens reads double timestamps; refuses their NA, an NA movieId, other genres, a title or rating of another type", () => {
  withDslabs((read, source) => {
    const refused = (message: string, rows: Rating[], ...columns: DslabsColumns) =>
      assertThrows(() => read(rows, ...columns), Error, `${source}: ${message}`);
    refused("title is not character", [heat], { title: (w) => w.intsxp([1]) });
    refused("rating is not double", [heat], { rating: (w) => w.intsxp([4]) });
    // R keeps POSIX seconds as doubles, too: read as such; their NA (NaN) is refused.
    const seconds = read([heat, { ...heat, userId: 1 }], {
      timestamp: (w) => w.realsxp([20, 7.5]),
    });
    assertEquals(Array.from(seconds.timestamp), [20, 7.5]);
    const na = "NA in userId, movieId, rating or timestamp";
    refused(`row 2: ${na}`, [heat, heat], { timestamp: (w) => w.realsxp([20, NaN]) });
    refused(`row 1: ${na}`, [{ ...heat, movieId: R_NA_INTEGER }]);
    const otherGenres = { ...heat, genres: "Crime" };
    refused("row 2: movieId 6 has conflicting fields", [heat, otherGenres]);
  });
});

Deno.test("readDslabsMovieLens names the file and column of an id or year of another type, and of no genres column", () => {
  withDslabs((read, source) => {
    const refused = (message: string, ...columns: DslabsColumns) =>
      assertThrows(() => read([heat], ...columns), Error, `${source}: ${message}`);
    // Stored as doubles, an NA id or year is NaN: the R_NA_INTEGER checks would never see it.
    refused("year is not integer", { year: (w) => w.realsxp([1995]) });
    refused("userId is not integer", { userId: (w) => w.realsxp([2]) });
    refused("movieId is not integer", { movieId: (w) => w.realsxp([6]) });
    // Mutation round ND (ND50): a logical column holds 32-bit values too, but no ids.
    refused("userId is not integer", { userId: (w) => w.intsxp([1], false, 10) });
    refused('no column "genres"', {}, { genres: "genre" });
  });
});

Deno.test("readDslabsMovieLens refuses a timestamp of strings or logicals, names the genres column of a non-factor, keeps an NA title as null", () => {
  withDslabs((read, source) => {
    const refused = (message: string, ...columns: DslabsColumns) =>
      assertThrows(() => read([heat], ...columns), Error, `${source}: ${message}`);
    // Float64Array.from(["20"]) is [20]: a character timestamp would be read silently.
    refused("timestamp is not numeric", { timestamp: (w) => w.strsxp(["20"]) });
    refused("timestamp is not numeric", { timestamp: (w) => w.intsxp([1], false, 10) });
    // A factor whose levels are numbers: the error names the column, not only the file. (The
    // symbols "levels" and "class" are written as the standard column writes them: the frame's
    // own class refers back to the second.)
    const numericLevels: DslabsColumns = [{
      genres: (w) => {
        w.intsxp([1], true).pairlistCell().symbol("levels").realsxp([1]);
        w.pairlistCell().symbol("class").strsxp(["factor"]).nil();
      },
    }];
    assertThrows(
      () => read([heat], ...numericLevels),
      Error,
      `${source} genres: factor has no levels`,
    );
    // Integer timestamps come back as the documented Float64Array, not as R's Int32Array.
    assertEquals(read([heat]).timestamp, Float64Array.of(20));
    const untitled = read([{ ...heat, title: null }]);
    assertEquals(untitled.movies, [{
      movieId: 6,
      title: null,
      year: 1995,
      genres: "Action|Crime",
    }]);
  });
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

Deno.test("cutWinkEmbeddings refuses missing or null vectors and a vector that is no array, by name (JL31)", () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/wink.json`;
  const cut = (file: unknown) => {
    Deno.writeTextFileSync(path, JSON.stringify(file));
    return cutWinkEmbeddings(path, new Set(["heat"]));
  };
  try {
    // typeof null is "object": a null vectors field failed as a TypeError naming no file.
    for (const file of [{ dimensions: 2 }, { dimensions: 2, vectors: null }]) {
      assertThrows(() => cut(file), Error, `${path}: not a wink embeddings file`);
    }
    // A number or an object has no elements to read; a string's characters are no numbers.
    for (const heat of [5, { 0: 1, 1: 2 }, "12"]) {
      assertThrows(
        () => cut({ dimensions: 2, vectors: { heat } }),
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

Deno.test('matchVegaMovies keeps an unknown MPAA rating as an empty fact, not "null" (JL22)', () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/movies.json`;
  try {
    const film = {
      "Title": "Heat",
      "Release Date": "1995",
      "MPAA Rating": null,
      "Creative Type": null,
      "Source": null,
      "Distributor": null,
      "Director": null,
    };
    Deno.writeTextFileSync(path, JSON.stringify([film]));
    const records = matchVegaMovies(
      [{ movieId: 7, title: "Heat (1995)", year: 1995, genres: "Drama" }],
      path,
    );
    const empty = { mpaa: "", creativeType: "", source: "", distributor: "", director: "" };
    assertEquals(records, [{ movieId: 7, ...empty }]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("matchVegaMovies: the nearest of two years, titles by letters and digits whatever the case, each fact in its field", () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/movies.json`;
  const film = (title: string | number | null, date: string | null, director: string) => ({
    "Title": title,
    "Release Date": date,
    "MPAA Rating": "PG",
    "Creative Type": "Historical Fiction",
    "Source": "Based on Play",
    "Distributor": "Columbia",
    "Director": director,
  });
  try {
    Deno.writeTextFileSync(
      path,
      JSON.stringify([
        film("Hamlet", "Jan 17 1997", "one year off"), // listed first, but farther
        film("Hamlet", "1996-12-25", "same year"),
        film(1776, "Nov 17 1972", "a numeric title"),
        film("Kramer Vs. Kramer", "Dec 19 1979", "other case"),
        film("Scream", "Dec 20 1996", "no digit"),
        film("Twister", null, "no date"),
        film(null, "1996", "no title"),
      ]),
    );
    const movie = (movieId: number, title: string | null, year: number) => ({
      movieId,
      title,
      year,
      genres: "Drama",
    });
    const records = matchVegaMovies(
      [
        movie(1, "Hamlet (1996)", 1996),
        movie(2, "1776 (1972)", 1972),
        movie(3, "Kramer vs. Kramer (1979)", 1979),
        movie(4, "Scream 2 (1997)", 1997), // "scream2" is not "scream"
        movie(5, "Twister (1996)", 1996), // a film without a date is no year's
        movie(6, null, 1996), // an NA title matches nothing
        movie(7, "Null", 1996), // nor does a film without a title ("null" once stringified)
      ],
      path,
    );
    const facts = {
      mpaa: "PG",
      creativeType: "Historical Fiction",
      source: "Based on Play",
      distributor: "Columbia",
    };
    assertEquals(records, [
      { movieId: 1, ...facts, director: "same year" },
      { movieId: 2, ...facts, director: "a numeric title" },
      { movieId: 3, ...facts, director: "other case" },
    ]);
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

Deno.test("movieLensFileSet: interactions by user, time, then source row; every manifest field and digest", () => {
  // User 1's ratings at time 5 keep their source row order (movie 9 before movie 2).
  const raw = {
    userId: Int32Array.of(2, 1, 1, 1),
    movieId: Int32Array.of(5, 6, 9, 2),
    rating: Float64Array.of(1, 4, 3.5, 5),
    timestamp: Float64Array.of(3, 10, 5, 5),
    movies: [
      { movieId: 2, title: "Red Dawn", year: 1984, genres: "Action" },
      { movieId: 5, title: "Heat", year: 1995, genres: "Crime" },
      { movieId: 6, title: null, year: null, genres: "Drama" },
      { movieId: 9, title: "Heat", year: 1986, genres: "Drama" },
    ],
  };
  const vectors = { words: ["heat", "red"], dim: 2, matrix: Float32Array.of(1, 0, 0, 1) };
  const production = [
    { movieId: 5, mpaa: "R", creativeType: "", source: "", distributor: "W", director: "M" },
  ];
  const labels = { ratings: "ratings label", text: "text label", production: "vega label" };
  const { files, manifest } = movieLensFileSet(raw, vectors, production, labels);
  const data = Object.fromEntries(files.map((file) => [file.path, file.data]));
  assertEquals(
    data["interactions.csv"],
    "userId,movieId,rating,timestamp\n1,9,3.5,5\n1,2,5,5\n1,6,4,10\n2,5,1,3\n",
  );
  assertEquals(data["title_vocabulary.txt"], "heat\nred\n");
  const digest = (content: string | Uint8Array) =>
    createHash("sha256").update(content).digest("hex");
  const dataFiles = [
    "interactions.csv",
    "items.csv",
    "production.csv",
    "title_vocabulary.txt",
    "title_vectors.f32",
  ];
  assertEquals(manifest, {
    format: "demure-movielens-1",
    source: "ratings label",
    interactions: 4,
    users: 2,
    items: 4,
    tieBreak: MOVIELENS_TIE_BREAK,
    text: {
      source: "text label",
      dim: 2,
      words: 2,
      dtype: "float32",
      byteOrder: "little-endian",
      // Main-title tokens "red", "dawn", "heat": "dawn" has no vector.
      distinctTokens: 3,
      coveredTokens: 2,
    },
    production: { source: "vega label", matchedItems: 1 },
    sha256: Object.fromEntries(dataFiles.map((name) => [name, digest(data[name])])),
  });
  assertEquals(data["manifest.json"], JSON.stringify(manifest, null, 2) + "\n");
});
