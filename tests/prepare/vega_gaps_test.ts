/**
 * matchVegaMovies (lib/prepare/movielens/vega.ts) on what the earlier rounds did not try: three
 * candidates as close, and a movies.json that is cut short or not a list of films.
 * Found by mutation round OD.
 */
import { assertEquals, assertThrows } from "@std/assert";
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

Deno.test("matchVegaMovies: a movies.json cut short, or no list of film objects, is refused naming the file", () => {
  const movies = [{ movieId: 1, title: "Heat (1995)", year: 1995 }];
  const whole = JSON.stringify([film("Heat", "1995", "a")]);
  for (
    const [text, says] of [
      [whole.slice(0, -5), "movies.json: not JSON ("],
      ["", "movies.json: not JSON ("],
      [JSON.stringify({ movies: [] }), "movies.json: not a list of films (got object)"],
      ["null", "movies.json: not a list of films (got null)"],
      [`[${whole.slice(1, -1)}, null]`, "movies.json: film 2 of 2 is no object"],
      ['["Heat"]', "movies.json: film 1 of 1 is no object"],
      ["[[]]", "movies.json: film 1 of 1 is no object"],
    ]
  ) {
    const error = assertThrows(() => matchOver(text, movies));
    assertEquals(error.message.includes(says), true, `${error.message} should say ${says}`);
    assertEquals(error.message.startsWith("/"), true, `${error.message} names the file's path`);
  }
  assertEquals(matchOver(whole, movies).length, 1);
});
