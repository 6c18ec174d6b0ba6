/**
 * matchVegaMovies behaviour that mutation round 53 found unpinned: a movies.json that cannot be
 * read is the system's own error (NotFound here), not reported as a file that is "not JSON".
 */
import { assertThrows } from "@std/assert";
import { matchVegaMovies } from "../../lib/prepare/movielens/vega.ts";

Deno.test("matchVegaMovies: a missing movies.json is the system's NotFound, not 'not JSON'", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const error = assertThrows(() => matchVegaMovies([], `${dir}/movies.json`));
    if (!(error instanceof Deno.errors.NotFound)) throw new Error(`not NotFound: ${error}`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
