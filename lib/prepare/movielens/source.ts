/** Reads the MovieLens ratings shipped by the R package dslabs (Debian `r-cran-dslabs`). */
import { asRDataFrame, factorLabels, openLazyLoadDatabase, R_NA_INTEGER } from "../rds/mod.ts";
import type { RValue } from "../rds/r_value.ts";

/** Where Debian installs the dslabs lazy-load database (without the .rdx/.rdb extension). */
export const DSLABS_RDATA = "/usr/lib/R/site-library/dslabs/data/Rdata";

/** One movie of the source; `title`/`year` are null where the source has NA. */
export interface RawMovie {
  /** The source's movie id. */
  movieId: number;
  /** The title as in the source. */
  title: string | null;
  /** The release year. */
  year: number | null;
  /** Pipe-separated genre tags as in the source, e.g. "Comedy|Drama". */
  genres: string;
}

/** The ratings columns in source row order, and one record per distinct movie (by movieId). */
export interface RawMovieLens {
  /** User id of each rating. */
  userId: Int32Array;
  /** Movie id of each rating. */
  movieId: Int32Array;
  /** The rating (0.5 to 5 stars). */
  rating: Float64Array;
  /** Seconds since 1970 of each rating. */
  timestamp: Float64Array;
  /** One record per distinct movie. */
  movies: RawMovie[];
}

function integerColumn(value: RValue | undefined, name: string, source: string): Int32Array {
  if (value?.type !== "integer") throw new Error(`${source}: ${name} is not integer`);
  return value.values;
}

/**
 * Reads `movielens` from the dslabs database and checks that every movieId has one title, year
 * and genre string.
 *
 * @example
 * ```ts
 * const raw = readDslabsMovieLens();
 * raw.userId.length; // 100004
 * ```
 */
export function readDslabsMovieLens(basePath = DSLABS_RDATA): RawMovieLens {
  const source = `${basePath}.rdb ("movielens")`;
  const frame = asRDataFrame(openLazyLoadDatabase(basePath).read("movielens"), source);
  const movieId = integerColumn(frame.columns.get("movieId"), "movieId", source);
  const userId = integerColumn(frame.columns.get("userId"), "userId", source);
  const year = integerColumn(frame.columns.get("year"), "year", source);
  const titleColumn = frame.columns.get("title");
  if (titleColumn?.type !== "character") throw new Error(`${source}: title is not character`);
  const genresColumn = frame.columns.get("genres");
  // Without it, factorLabels failed on `undefined` with a TypeError that named nothing.
  if (genresColumn === undefined) throw new Error(`${source}: no column "genres"`);
  const genres = factorLabels(genresColumn, `${source} genres`);
  const ratingColumn = frame.columns.get("rating");
  if (ratingColumn?.type !== "double") throw new Error(`${source}: rating is not double`);
  const timeColumn = frame.columns.get("timestamp");
  if (timeColumn?.type !== "integer" && timeColumn?.type !== "double") {
    throw new Error(`${source}: timestamp is not numeric`);
  }
  const movies = new Map<number, RawMovie>();
  for (let row = 0; row < frame.numRows; row++) {
    if (
      userId[row] === R_NA_INTEGER || movieId[row] === R_NA_INTEGER ||
      Number.isNaN(ratingColumn.values[row]) || Number.isNaN(timeColumn.values[row]) ||
      timeColumn.values[row] === R_NA_INTEGER
    ) {
      throw new Error(`${source}: row ${row + 1}: NA in userId, movieId, rating or timestamp`);
    }
    const genreString = genres[row];
    if (genreString === null) throw new Error(`${source}: row ${row + 1}: genres is NA`);
    const movie: RawMovie = {
      movieId: movieId[row],
      title: titleColumn.values[row],
      year: year[row] === R_NA_INTEGER ? null : year[row],
      genres: genreString,
    };
    const known = movies.get(movie.movieId);
    if (!known) {
      movies.set(movie.movieId, movie);
    } else if (
      known.title !== movie.title || known.year !== movie.year || known.genres !== movie.genres
    ) {
      throw new Error(`${source}: row ${row + 1}: movieId ${movie.movieId} has conflicting fields`);
    }
  }
  return {
    userId,
    movieId,
    rating: ratingColumn.values,
    timestamp: Float64Array.from(timeColumn.values),
    movies: [...movies.values()].sort((a, b) => a.movieId - b.movieId),
  };
}
