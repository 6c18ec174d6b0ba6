/**
 * listOption refuses an entry given twice in a row (`a,a`), not only one given again later: the
 * check compares each entry's first place with its own, so an adjacent repeat is caught too.
 * Found by mutation round mu53c (O24: `indexOf(entry) < i - 1` let `a,a` through as a list of
 * two, a run of the same dataset twice).
 */
import { assertEquals, assertThrows } from "@std/assert";
import { listOption, UsageError } from "../../scripts/cli/options.ts";

Deno.test("listOption: an entry repeated next to itself is given twice", () => {
  const allowed = ["movielens", "beauty"] as const;
  for (const text of ["beauty,beauty", "movielens,beauty,beauty"]) {
    assertThrows(
      () => listOption("runs", text, allowed),
      UsageError,
      '--runs: "beauty" given twice',
    );
  }
  assertEquals(listOption("runs", "beauty", allowed), ["beauty"]);
});
