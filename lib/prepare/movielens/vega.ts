/**
 * Matches MovieLens movies to npm `vega-datasets` `data/movies.json` (about 3,200 US releases
 * with MPAA rating, distributor, director, source and creative type): the extra modality exists
 * for part of the films only, a realistically missing modality.
 */
import { readableTitle } from "../../data/movielens/title.ts";
import type { ProductionRecord } from "../../data/movielens/features.ts";
import type { RawMovie } from "./source.ts";

interface VegaMovie {
  "Title": string | number | null;
  "Release Date": string | null;
  "MPAA Rating": string | null;
  "Creative Type": string | null;
  "Source": string | null;
  "Distributor": string | null;
  "Director": string | null;
}

/** Title key for matching: readable title, lower case, letters and digits only. */
function titleKey(title: string): string {
  return title.toLowerCase().normalize("NFKD").replace(/[^\p{L}\p{N}]+/gu, "");
}

function releaseYear(date: string | null): number | null {
  const match = date ? /(\d{4})/.exec(date) : null;
  return match ? Number(match[1]) : null;
}

/**
 * The films of `jsonPath`, refused naming the file when it is no JSON list of objects: a file cut
 * short by a failed download was a bare SyntaxError that named no file, a list with a `null` in
 * it a TypeError.
 */
function readVegaFilms(jsonPath: string): VegaMovie[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Deno.readTextFileSync(jsonPath));
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new Error(`${jsonPath}: not JSON (${error.message})`);
  }
  if (!Array.isArray(parsed)) {
    throw new Error(
      `${jsonPath}: not a list of films (got ${parsed === null ? "null" : typeof parsed})`,
    );
  }
  const films: unknown[] = parsed;
  films.forEach((film, index) => {
    if (typeof film !== "object" || film === null || Array.isArray(film)) {
      throw new Error(`${jsonPath}: film ${index + 1} of ${films.length} is no object`);
    }
  });
  return films as VegaMovie[];
}

/**
 * Matches by title key and release year within one year; a movie with two equally close
 * candidates is left unmatched rather than guessed.
 *
 * @example
 * ```ts
 * const records = matchVegaMovies(raw.movies, "/tmp/vega/node_modules/vega-datasets/data/movies.json");
 * records.length; // movies with a production record
 * ```
 */
export function matchVegaMovies(movies: RawMovie[], jsonPath: string): ProductionRecord[] {
  const vega = readVegaFilms(jsonPath);
  const byKey = new Map<string, VegaMovie[]>();
  for (const film of vega) {
    if (film.Title === null) continue;
    const key = titleKey(String(film.Title));
    byKey.set(key, [...(byKey.get(key) ?? []), film]);
  }
  const records: ProductionRecord[] = [];
  for (const movie of movies) {
    const title = readableTitle(movie.title);
    if (title === null || movie.year === null) continue;
    const scored = (byKey.get(titleKey(title)) ?? [])
      .map((film) => ({
        film,
        distance: Math.abs((releaseYear(film["Release Date"]) ?? 1e9) - movie.year!),
      }))
      .filter((candidate) => candidate.distance <= 1)
      .sort((a, b) => a.distance - b.distance);
    if (scored.length === 0 || (scored.length > 1 && scored[1].distance === scored[0].distance)) {
      continue;
    }
    const film = scored[0].film;
    records.push({
      movieId: movie.movieId,
      mpaa: film["MPAA Rating"] ?? "",
      creativeType: film["Creative Type"] ?? "",
      source: film.Source ?? "",
      distributor: film.Distributor ?? "",
      director: film.Director ?? "",
    });
  }
  return records;
}
