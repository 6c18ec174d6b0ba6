/**
 * Tests written for the mutants of the noise-level figures (`noise_level_figures.ts`) that the
 * earlier tests let through (session 52's mutation pass): each fails on the mutant named in its
 * comment and passes on the code as it is.
 */
import { assert, assertStringIncludes, assertThrows } from "@std/assert";
import { noiseLevelGainFigure } from "../../lib/experiments/noise_level_figures.ts";
import { SettingError } from "../../lib/util/settings.ts";

Deno.test("noiseLevelGainFigure: a system or baseline of null is refused by name, not drawn as the default", () => {
  // Mutant: `options.system ?? defaultSystem` read null as left out and labelled the figure with
  // the default system's name.
  for (const field of ["system", "baseline"] as const) {
    const error = assertThrows(() => noiseLevelGainFigure([], { [field]: null } as never));
    assert(error instanceof SettingError, `${field}: ${error}`);
    assertStringIncludes(error.message, `NoiseLevelGainFigureOptions.${field}`);
  }
});
