/** The noise-level figures at edges the main figure tests do not reach. Found by mutation round LF. */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { noiseLevelGainFigure } from "../../lib/experiments/noise_level_figures.ts";
import type { ScatterTrace } from "../../lib/viz/figure.ts";
import { noiseLevelGain } from "./_noise_level_gain.ts";

const gain = (
  fraction: number,
  seeds: number[],
  differences: number[],
  unpaired: { system: number[]; baseline: number[] },
) => noiseLevelGain(fraction, seeds, differences, unpaired, { runSystem: "SASRec-MM" });

Deno.test("noiseLevelGainFigure: a level's seed count is its pairs only, never a seed only one system finished", () => {
  // Found by mutation round LF (LF43): the unpaired seeds in the tests were the baseline's, so a
  // count that added the system's unpaired seeds to the pairs passed.
  const section = noiseLevelGainFigure([
    gain(0.25, [0], [0.01], { system: [1, 2], baseline: [] }),
    gain(0.5, [0, 3], [0.02, 0.04], { system: [1], baseline: [2] }),
  ])!;
  assertEquals(section.figure.layout.xaxis?.ticktext, ["0.25<br>1 seed", "0.5<br>2 seeds"]);
  assertStringIncludes(section.caption!, "seeds per noise level: 1 at 0.25, 2 at 0.5.");
  assertStringIncludes(section.caption!, "At 0.25 only Demure-SASRec finished seeds 1 and 2");
  assertStringIncludes(section.caption!, "At 0.5 only Demure-SASRec finished seed 1");
  assertStringIncludes(section.caption!, "At 0.5 only SASRec-MM finished seed 2");
});

Deno.test("noiseLevelGainFigure: the line is the mean over seeds, the dots each seed's own difference", () => {
  // Found by mutation round LF (LF44): the one level of the tests with several seeds had a mean
  // equal to its first seed's difference (0.01 of 0.01, -0.01, 0.03), so a line through the first
  // seed passed.
  const section = noiseLevelGainFigure([
    gain(0.25, [0, 1, 2], [0.04, 0.01, 0.01], { system: [], baseline: [] }),
  ])!;
  const traces = section.figure.data as ScatterTrace[];
  const byName = (name: string) => traces.find((trace) => trace.name === name)!;
  assertEquals(byName("mean over seeds").y.map((y) => Math.round(y * 1e9) / 1e9), [0.02]);
  assertEquals(byName("one seed").y, [0.04, 0.01, 0.01]);
});
