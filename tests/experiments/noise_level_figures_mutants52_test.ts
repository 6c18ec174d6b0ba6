/**
 * Tests written for the mutants of the noise-level figures (`noise_level_figures.ts`) that the
 * earlier tests let through (session 52's mutation pass): each fails on the mutant named in its
 * comment and passes on the code as it is.
 */
import { assert, assertStringIncludes, assertThrows } from "@std/assert";
import { noiseLevelGainFigure } from "../../lib/experiments/noise_level_figures.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { noiseLevelGain } from "./_noise_level_gain.ts";

Deno.test("noiseLevelGainFigure: a system or baseline of null is refused by name, not drawn as the default", () => {
  // Mutant: `options.system ?? defaultSystem` read null as left out and labelled the figure with
  // the default system's name.
  for (const field of ["system", "baseline"] as const) {
    const error = assertThrows(() => noiseLevelGainFigure([], { [field]: null } as never));
    assert(error instanceof SettingError, `${field}: ${error}`);
    assertStringIncludes(error.message, `NoiseLevelGainFigureOptions.${field}`);
  }
});

Deno.test("noiseLevelGainFigure: the caption's protocol states the seeds of every drawn level", () => {
  // The levels ran at different seeds (the default share at all five, the others at three).
  // Mutant: the protocol read from the first level's runs only named seeds 0, 1 and 2.
  const gain = (fraction: number, seeds: number[]) =>
    noiseLevelGain(fraction, seeds, seeds.map(() => 0.01));
  const section = noiseLevelGainFigure([gain(0.25, [0, 1, 2]), gain(0.5, [0, 1, 2, 3, 4])])!;
  assertStringIncludes(section.caption!, "Seeds 0, 1, 2, 3, 4:");
});
