/** Turns the raw dslabs tables, the cut word vectors and the vega matches into the committed files. */
import { createHash } from "node:crypto";
import type { FileToWrite } from "../../data/atomic_write.ts";
import { formatCsv } from "../../data/csv.ts";
import {
  type ProductionRecord,
  textModality,
  type WordVectors,
} from "../../data/movielens/features.ts";
import { MOVIELENS_FILES, type MovieLensManifest } from "../../data/movielens/manifest.ts";
import type { RawMovieLens } from "./source.ts";

/** The stable order of interactions within a user, stated in the manifest and the metadata. */
export const MOVIELENS_TIE_BREAK: string =
  "by timestamp, then by row order of the dslabs movielens data frame (which lists a user's " +
  "ratings by ascending movieId)";

/** Labels of the inputs, recorded in the manifest. */
export interface MovieLensSourceLabels {
  /** Where the ratings came from. */
  ratings: string;
  /** Where the title embeddings came from. */
  text: string;
  /** Where the production facts came from. */
  production: string;
}

function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Interaction rows (userId, movieId, rating, timestamp) ordered by user, then time with the
 * documented tie-break.
 *
 * @example
 * ```ts
 * const order = chronologicalOrder(raw); // source row indices
 * ```
 */
export function chronologicalOrder(raw: RawMovieLens): Int32Array {
  const order = Array.from(raw.userId.keys());
  order.sort((a, b) =>
    raw.userId[a] - raw.userId[b] || raw.timestamp[a] - raw.timestamp[b] || a - b
  );
  return Int32Array.from(order);
}

/**
 * Builds the contents of every committed file (names relative to the dataset folder).
 *
 * @example
 * ```ts
 * const { files, manifest } = movieLensFileSet(raw, vectors, production, labels);
 * writeFilesAtomically(files.map((f) => ({ ...f, path: `data/movielens/${f.path}` })));
 * ```
 */
export function movieLensFileSet(
  raw: RawMovieLens,
  vectors: WordVectors,
  production: ProductionRecord[],
  labels: MovieLensSourceLabels,
): { files: FileToWrite[]; manifest: MovieLensManifest } {
  const interactionRows = [["userId", "movieId", "rating", "timestamp"]];
  for (const row of chronologicalOrder(raw)) {
    interactionRows.push([
      String(raw.userId[row]),
      String(raw.movieId[row]),
      String(raw.rating[row]),
      String(raw.timestamp[row]),
    ]);
  }
  const itemRows = [["movieId", "title", "year", "genres"]];
  for (const movie of raw.movies) {
    // NA is an empty field: no MovieLens title or year is the empty string.
    itemRows.push([
      String(movie.movieId),
      movie.title ?? "",
      movie.year?.toString() ?? "",
      movie.genres,
    ]);
  }
  const productionRows = [["movieId", "mpaa", "creativeType", "source", "distributor", "director"]];
  for (const record of production) {
    productionRows.push([
      String(record.movieId),
      record.mpaa,
      record.creativeType,
      record.source,
      record.distributor,
      record.director,
    ]);
  }
  // The matrix's own bytes (it may be a view on a larger buffer); little-endian hosts only.
  const { matrix } = vectors;
  const vectorBytes = new Uint8Array(matrix.buffer, matrix.byteOffset, matrix.byteLength).slice();
  if (new Uint8Array(Float32Array.of(1).buffer)[3] !== 0x3f) {
    throw new Error("movieLensFileSet: this host is big-endian; the vector file is little-endian");
  }
  const data: Record<string, string | Uint8Array> = {
    [MOVIELENS_FILES.interactions]: formatCsv(interactionRows),
    [MOVIELENS_FILES.items]: formatCsv(itemRows),
    [MOVIELENS_FILES.production]: formatCsv(productionRows),
    [MOVIELENS_FILES.vocabulary]: vectors.words.join("\n") + "\n",
    [MOVIELENS_FILES.vectors]: vectorBytes,
  };
  const { coverage } = textModality(raw.movies, vectors, labels.text);
  const manifest: MovieLensManifest = {
    format: "demure-movielens-1",
    source: labels.ratings,
    interactions: raw.userId.length,
    users: new Set(raw.userId).size,
    items: raw.movies.length,
    tieBreak: MOVIELENS_TIE_BREAK,
    text: {
      source: labels.text,
      dim: vectors.dim,
      words: vectors.words.length,
      dtype: "float32",
      byteOrder: "little-endian",
      distinctTokens: coverage.distinctTokens,
      coveredTokens: coverage.coveredTokens,
    },
    production: { source: labels.production, matchedItems: production.length },
    sha256: Object.fromEntries(
      Object.entries(data).map(([name, content]) => [name, sha256(content)]),
    ),
  };
  const files = Object.entries(data).map(([path, content]) => ({ path, data: content }));
  files.push({ path: MOVIELENS_FILES.manifest, data: JSON.stringify(manifest, null, 2) + "\n" });
  return { files, manifest };
}
