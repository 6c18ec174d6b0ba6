/**
 * `assertOneOfOrAbsent` (lib/viz/_validate.ts) takes a name only as written: the builders compare
 * with `===` afterwards (`series.axis === "right"`), so a name accepted in another case or with a
 * space would be drawn as the default. Found by mutation round NB (NB01, NB02).
 */
import { assertThrows } from "@std/assert";
import { assertOneOfOrAbsent } from "../../lib/viz/_validate.ts";

Deno.test("assertOneOfOrAbsent: another case or a surrounding space is no allowed name", () => {
  for (const value of ["Right", "RIGHT", " right", "right "]) {
    assertThrows(
      () => assertOneOfOrAbsent("b", "axis", value, ["left", "right"]),
      Error,
      `b: axis is ${JSON.stringify(value)}, expected one of "left", "right"`,
    );
  }
  assertOneOfOrAbsent("b", "axis", "right", ["left", "right"]);
  assertOneOfOrAbsent("b", "axis", undefined, ["left", "right"]);
});
