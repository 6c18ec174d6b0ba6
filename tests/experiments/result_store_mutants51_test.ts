/**
 * Mutation round 51 of the result store: a hand-edited cell file that is JSON but no object is
 * named as such, with its file. Before, `null` gave JavaScript's own TypeError ("Cannot read
 * properties of null") and a list or a number "holds key "undefined"", naming no cause.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { withStore } from "./_in_temp_dir.ts";

Deno.test(
  "ResultStore.get: a cell file that is JSON but no object is unreadable, said as such with its file",
  withStore((store) => {
    for (
      const [text, shown] of [["null", "null"], ["[1,2]", "[1,2]"], ["3", "3"], ['"k"', '"k"']]
    ) {
      Deno.writeTextFileSync(store.pathOf("k"), text);
      const error = assertThrows(() => store.get("k", {}), Error);
      assertEquals(
        error.message,
        `${store.pathOf("k")}: unreadable cell result (is ${shown}, not an object with the ` +
          "cell's key, settings and result); delete it",
      );
      assertEquals(assertThrows(() => store.storedSettings("k"), Error).message, error.message);
    }
  }),
);
