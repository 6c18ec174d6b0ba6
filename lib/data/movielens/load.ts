/** Loads the committed MovieLens files (data/movielens/) into an `InteractionDataset`. */
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { parseCsv } from "../csv.ts";
import { DataError } from "../errors.ts";
import { datasetFingerprint } from "../fingerprint.ts";
import type { InteractionDataset } from "../types.ts";
import {
  genreModality,
  idModality,
  type MovieItem,
  NO_GENRES_TAG,
  productionModality,
  textModality,
  yearModality,
} from "./features.ts";
import { MOVIELENS_FILES, type MovieLensManifest } from "./manifest.ts";
import type { ProductionRecord, WordVectors } from "./features.ts";

/** The folder of the committed dataset, resolved from this module. */
export const MOVIELENS_DIR: string = fileURLToPath(
  new URL("../../../data/movielens/", import.meta.url),
);

/** GroupLens citation requested by the dataset's README. */
export const MOVIELENS_CITATION: string =
  "F. Maxwell Harper and Joseph A. Konstan. 2015. The MovieLens Datasets: History and Context. " +
  "ACM Transactions on Interactive Intelligent Systems (TiiS) 5, 4: 19:1-19:19. " +
  "https://doi.org/10.1145/2827872";

/**
 * A base-10 integer as the committed files write one. `Number()` alone also read " 12" and a
 * quoted "12\n" as 12, "0x10" as 16, "1e2" as 100 and "1.0" as 1: another value than the file
 * shows, or a typo taken for an id.
 */
const INTEGER = /^-?[0-9]+$/;

/**
 * A decimal number, with an optional exponent, as `String(number)` writes a finite one: no leading
 * "+" (read as the number without it, where {@linkcode INTEGER} refuses "+1").
 */
const DECIMAL = /^-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

function integerField(value: string, file: string, line: number, field: string): number {
  if (!INTEGER.test(value)) throw new DataError(file, line, field, `not an integer: "${value}"`);
  return Number(value);
}

function finiteField(value: string, file: string, line: number, field: string): number {
  const number = Number(value);
  // "1e999" is written in decimal but is Infinity.
  if (!DECIMAL.test(value) || !Number.isFinite(number)) {
    throw new DataError(file, line, field, `not a finite number: "${value}"`);
  }
  return number;
}

/**
 * MovieLens's rating scale: 0.5 to 5 stars in half-star steps (GroupLens's README of the
 * latest-small data; the committed file holds each of the ten values). The one home of the range
 * the loader checks and the provenance line states.
 */
const STARS = Object.freeze({ min: 0.5, max: 5, step: 0.5 });

/**
 * A rating of the scale ({@linkcode STARS}). Read as a number only to be checked (every rating is
 * an implicit interaction), a 0, a 50 or a 4.25 loaded as if it were a MovieLens rating: a copy
 * of the files that is not one was taken for it.
 */
function starRating(value: string, file: string, line: number): number {
  const rating = finiteField(value, file, line, "rating");
  const steps = rating / STARS.step;
  if (rating >= STARS.min && rating <= STARS.max && Number.isInteger(steps)) return rating;
  throw new DataError(
    file,
    line,
    "rating",
    `${value} is not a MovieLens rating: ${STARS.min} to ${STARS.max} stars in steps of ` +
      `${STARS.step}`,
  );
}

function readChecked(dir: string, name: string, manifest: MovieLensManifest): Uint8Array {
  const bytes = Deno.readFileSync(`${dir}/${name}`);
  const digest = createHash("sha256").update(bytes).digest("hex");
  if (manifest.sha256[name] !== digest) {
    throw new DataError(`${dir}/${name}`, 0, "sha256", "content differs from manifest.json");
  }
  return bytes;
}

function expectHeader(header: string[], expected: string[], file: string): void {
  expected.forEach((name, i) => {
    if (header[i] !== name) {
      throw new DataError(
        file,
        1,
        name,
        `expected column ${i + 1} "${name}", found "${header[i]}"`,
      );
    }
  });
  // A column past the expected ones is read by nothing: its values were dropped silently.
  if (header.length > expected.length) {
    throw new DataError(
      file,
      1,
      `column ${expected.length + 1}`,
      `unexpected column "${header[expected.length]}" (expected ${expected.join(",")})`,
    );
  }
}

/**
 * Loads MovieLens latest-small (2016 snapshot from dslabs) with modalities id, text, genre, year
 * and production. Every rating is an implicit interaction; no filtering is applied (use
 * `kCoreFilter`).
 *
 * @example
 * ```ts
 * const dataset = await loadMovieLens();
 * dataset.numUsers; // 671
 * ```
 */
export function loadMovieLens(dir: string = MOVIELENS_DIR): Promise<InteractionDataset> {
  // The executor turns a thrown DataError into a rejection, as callers of a Promise expect.
  return new Promise((resolve) => resolve(loadMovieLensSync(dir)));
}

/** Reads the committed files one at a time, each checked against manifest.json's digest. */
class CommittedFiles {
  readonly manifest: MovieLensManifest;
  readonly #decoder = new TextDecoder();

  constructor(readonly dir: string) {
    const manifestPath = `${dir}/${MOVIELENS_FILES.manifest}`;
    const text = Deno.readTextFileSync(manifestPath);
    try {
      this.manifest = JSON.parse(text) as MovieLensManifest;
    } catch (error) {
      throw new DataError(manifestPath, 0, "file", `not JSON: ${(error as Error).message}`);
    }
    if (this.manifest.format !== "demure-movielens-1") {
      throw new DataError(manifestPath, 0, "format", `unknown format "${this.manifest.format}"`);
    }
  }

  path(name: string): string {
    return `${this.dir}/${name}`;
  }

  bytes(name: string): Uint8Array {
    return readChecked(this.dir, name, this.manifest);
  }

  text(name: string): string {
    return this.#decoder.decode(this.bytes(name));
  }
}

/**
 * A release year: a positive integer (an unknown year is an empty field). A 0 or negative year
 * fell into the earliest year bucket as if it were a real one.
 */
function releaseYear(value: string, file: string, line: number): number {
  const year = integerField(value, file, line, "year");
  if (year >= 1) return year;
  throw new DataError(
    file,
    line,
    "year",
    `not a release year: ${year} (leave it empty if unknown)`,
  );
}

/**
 * The `|`-separated genre tags, unchanged, or an error for an empty tag (an empty field, or `A||B`):
 * it became a genre named "" and the item counted as having genres. An item without genres says
 * "(no genres listed)", as MovieLens does, and only that: beside other tags it is refused too.
 */
function genreTags(value: string, file: string, line: number): string {
  const tags = value.split("|");
  // "(no genres listed)" beside real tags was dropped silently by the genre modality.
  if (tags.length > 1 && tags.includes(NO_GENRES_TAG)) {
    throw new DataError(
      file,
      line,
      "genres",
      `"${NO_GENRES_TAG}" together with other tags in "${value}" (it stands alone)`,
    );
  }
  if (tags.every((tag) => tag !== "")) return value;
  throw new DataError(
    file,
    line,
    "genres",
    `empty genre tag in "${value}" (tags are separated by one "|"; an item without genres says ` +
      `"(no genres listed)")`,
  );
}

/** `items.csv`: the movies, and the internal index of each movie id. */
function readItems(files: CommittedFiles): { items: MovieItem[]; itemIndex: Map<number, number> } {
  const itemsFile = files.path(MOVIELENS_FILES.items);
  const itemTable = parseCsv(files.text(MOVIELENS_FILES.items), itemsFile);
  expectHeader(itemTable.header, ["movieId", "title", "year", "genres"], itemsFile);
  const items: MovieItem[] = itemTable.rows.map(([id, title, year, genres], r) => ({
    movieId: integerField(id, itemsFile, itemTable.lines[r], "movieId"),
    title: title === "" ? null : title,
    year: year === "" ? null : releaseYear(year, itemsFile, itemTable.lines[r]),
    genres: genreTags(genres, itemsFile, itemTable.lines[r]),
  }));
  const itemIndex = new Map<number, number>();
  items.forEach((item, i) => {
    if (itemIndex.has(item.movieId)) {
      throw new DataError(itemsFile, itemTable.lines[i], "movieId", `duplicate id ${item.movieId}`);
    }
    itemIndex.set(item.movieId, i);
  });
  if (items.length !== files.manifest.items) {
    throw new DataError(itemsFile, 0, "rows", "counts differ from manifest.json");
  }
  return { items, itemIndex };
}

/** `interactions.csv`: the users (ascending id) and each one's history in time order. */
function readHistories(
  files: CommittedFiles,
  itemIndex: ReadonlyMap<number, number>,
): { userIds: number[]; histories: { item: number; time: number }[][] } {
  const interactionsFile = files.path(MOVIELENS_FILES.interactions);
  const interactions = parseCsv(files.text(MOVIELENS_FILES.interactions), interactionsFile);
  expectHeader(interactions.header, ["userId", "movieId", "rating", "timestamp"], interactionsFile);
  const perUser = new Map<number, { item: number; time: number }[]>();
  interactions.rows.forEach(([user, movie, rating, time], r) => {
    const line = interactions.lines[r];
    const userId = integerField(user, interactionsFile, line, "userId");
    const movieId = integerField(movie, interactionsFile, line, "movieId");
    starRating(rating, interactionsFile, line);
    const item = itemIndex.get(movieId);
    if (item === undefined) {
      throw new DataError(interactionsFile, line, "movieId", `unknown movieId ${movieId}`);
    }
    const events = perUser.get(userId) ?? [];
    events.push({ item, time: finiteField(time, interactionsFile, line, "timestamp") });
    perUser.set(userId, events);
  });
  const userIds = [...perUser.keys()].sort((a, b) => a - b);
  // The file is already in tie-broken order; a stable sort by time keeps that order for ties.
  const histories = userIds.map((user) => perUser.get(user)!.sort((a, b) => a.time - b.time));
  const { manifest } = files;
  if (interactions.rows.length !== manifest.interactions || userIds.length !== manifest.users) {
    throw new DataError(interactionsFile, 0, "rows", "counts differ from manifest.json");
  }
  return { userIds, histories };
}

/** The title vocabulary and its word vectors (`vocabulary.txt`, the float32 matrix). */
function readWordVectors(files: CommittedFiles): WordVectors {
  const { dim } = files.manifest.text;
  const vectorBytes = files.bytes(MOVIELENS_FILES.vectors);
  const words = files.text(MOVIELENS_FILES.vocabulary).split("\n").filter((word) => word !== "");
  if (words.length !== files.manifest.text.words) {
    const vocabularyFile = files.path(MOVIELENS_FILES.vocabulary);
    throw new DataError(vocabularyFile, 0, "rows", "counts differ from manifest.json");
  }
  // Checked in bytes: a length that is no multiple of 4 cannot even be viewed as float32 values.
  if (vectorBytes.length !== 4 * words.length * dim) {
    throw new DataError(
      files.path(MOVIELENS_FILES.vectors),
      0,
      "shape",
      `${vectorBytes.length} bytes, expected ${words.length} words x ${dim} float32 values ` +
        `(${4 * words.length * dim} bytes)`,
    );
  }
  return { words, dim, matrix: new Float32Array(vectorBytes.slice().buffer) };
}

/** `production.csv`: vega-datasets facts of the matched movies. */
function readProduction(
  files: CommittedFiles,
  itemIndex: ReadonlyMap<number, number>,
): ProductionRecord[] {
  const productionFile = files.path(MOVIELENS_FILES.production);
  const productionTable = parseCsv(files.text(MOVIELENS_FILES.production), productionFile);
  expectHeader(
    productionTable.header,
    ["movieId", "mpaa", "creativeType", "source", "distributor", "director"],
    productionFile,
  );
  // A movie listed twice counted twice toward the distributor and director thresholds, and
  // the features kept only its last record.
  const firstLine = new Map<number, number>();
  const records = productionTable.rows.map((row, r) => {
    const line = productionTable.lines[r];
    const movieId = integerField(row[0], productionFile, line, "movieId");
    if (!itemIndex.has(movieId)) {
      throw new DataError(productionFile, line, "movieId", `unknown ${movieId}`);
    }
    const earlier = firstLine.get(movieId);
    if (earlier !== undefined) {
      throw new DataError(
        productionFile,
        line,
        "movieId",
        `duplicate ${movieId} (first at line ${earlier})`,
      );
    }
    firstLine.set(movieId, line);
    const [, mpaa, creativeType, source, distributor, director] = row;
    return { movieId, mpaa, creativeType, source, distributor, director };
  });
  if (records.length !== files.manifest.production.matchedItems) {
    throw new DataError(productionFile, 0, "rows", "counts differ from manifest.json");
  }
  return records;
}

function loadMovieLensSync(dir: string): InteractionDataset {
  const files = new CommittedFiles(dir);
  const { manifest } = files;
  const { items, itemIndex } = readItems(files);
  const { userIds, histories } = readHistories(files, itemIndex);
  const vectors = readWordVectors(files);
  const production = readProduction(files, itemIndex);
  const { modality: text100 } = textModality(items, vectors, manifest.text.source);
  const dataset: InteractionDataset = {
    name: "movielens-latest-small-2016",
    numUsers: userIds.length,
    numItems: items.length,
    userIds: userIds.map(String),
    itemIds: items.map((item) => String(item.movieId)),
    itemTitles: items.map((item) => item.title ?? `movie ${item.movieId} (title NA)`),
    sequences: histories.map((events) => Int32Array.from(events, (event) => event.item)),
    timestamps: histories.map((events) => Float64Array.from(events, (event) => event.time)),
    modalities: [
      idModality(items.length),
      text100,
      genreModality(items),
      yearModality(items),
      productionModality(items, production, manifest.production.source),
    ],
    metadata: {
      source: manifest.source,
      licence: "GroupLens MovieLens usage licence (research use, no endorsement, cite, " +
        "redistribute under the same terms, no commercial use without permission); see " +
        "data/movielens/README.md",
      citation: MOVIELENS_CITATION,
      preprocessing: [
        `every rating (${STARS.min}-${STARS.max} stars) kept as an implicit interaction`,
      ],
      tieBreak: manifest.tieBreak,
      fingerprint: "",
    },
  };
  dataset.metadata.fingerprint = datasetFingerprint(dataset);
  return dataset;
}
