/**
 * matchVegaMovies (lib/prepare/movielens/vega.ts) on what the earlier rounds did not try: three
 * candidates as close, and a movies.json that is cut short or not a list of films.
 * Found by mutation round OD.
 */
import { assertEquals } from "@std/assert";
import { matchVegaMovies } from "../../lib/prepare/movielens/vega.ts";

const film = (title: string, date: string, director: string) => ({
  "Title": title,
  "Release Date": date,
  "MPAA Rating": "R",
  "Creative Type": null,
  "Source": null,
  "Distributor": null,
  "Director": director,
});

/** matchVegaMovies of `movies` over a movies.json holding `text`. */
function matchOver(text: string, movies: { movieId: number; title: string; year: number }[]) {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/movies.json`, text);
    return matchVegaMovies(
      movies.map((movie) => ({ ...movie, genres: "Drama" })),
      `${dir}/movies.json`,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("matchVegaMovies: three films as close are left unmatched; the nearest of three is taken", () => {
  // OD01: a tie was looked for among exactly two candidates only.
  const films = [
    film("Heat", "1994", "a"),
    film("Heat", "1996", "b"),
    film("Heat", "Dec 1 1996", "c"),
    film("Ronin", "1997", "far"),
    film("Ronin", "1998", "near"),
    film("Ronin", "1999", "far too"),
  ];
  const records = matchOver(JSON.stringify(films), [
    { movieId: 1, title: "Heat (1995)", year: 1995 },
    { movieId: 2, title: "Ronin (1998)", year: 1998 },
  ]);
  assertEquals(records.map((r) => [r.movieId, r.director]), [[2, "near"]]);
});
