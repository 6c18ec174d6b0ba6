/**
 * `withAlpha` (lib/viz/palette.ts) takes `#rrggbb` only: a short `#rgb` read as one digit per
 * channel gave rgba(15,15,15) for "#fff", near black instead of white. Found by mutation round NB
 * (NB35).
 */
import { assertThrows } from "@std/assert";
import { withAlpha } from "../../lib/viz/palette.ts";

Deno.test("withAlpha: a short #rgb, five digits or no '#' is refused, naming the colour", () => {
  for (const colour of ["#fff", "#f0f0f", "#ff0", "ff8000"]) {
    assertThrows(
      () => withAlpha(colour, 0.5),
      Error,
      `withAlpha: expected a #rrggbb colour, got "${colour}"`,
    );
  }
});
