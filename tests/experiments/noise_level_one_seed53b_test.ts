/**
 * The noise-level figures of one seed at every level (quick mode's pages) say each point is one run
 * with no spread, in the captions' one wording (`oneSeedNote`), instead of a mean over seeds and a
 * ± 1 std band that one seed cannot have: until 2026-12-07 they read "the line is the mean over
 * seeds and the band ± 1 standard deviation", and the figures drew a 0-wide band with a legend
 * entry ("± 1 std over seeds") and named the line "mean over seeds". Mixed and multi-seed levels
 * keep that wording and band.
 */

/** The legend names of a figure's traces. */
function traceNames(figure: { data: unknown[] }): string[] {
  return (figure.data as ScatterTrace[]).map((trace) => trace.name ?? "");
}
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import type { NoiseLevelCurve } from "../../lib/experiments/experiment_views.ts";
import { meanStd } from "../../lib/experiments/analyse.ts";
import {
  noiseLevelCurvesFigure,
  noiseLevelGainFigure,
} from "../../lib/experiments/noise_level_figures.ts";
import { allOneSeed, oneSeedNote } from "../../lib/experiments/protocol_caption.ts";
import type { ScatterTrace } from "../../lib/viz/figure.ts";
import { finishedRun } from "./_finished_run.ts";
import { noiseLevelGain } from "./_noise_level_gain.ts";

const ONE_SEED_PROTOCOL = "Seed 0: one run per number, no mean ± std (one seed, no spread).";

/** No wording of a spread over seeds that one seed cannot have. */
function assertNoSpreadWording(caption: string): void {
  for (const wrong of ["mean over seeds", "standard deviation", "band that straddles"]) {
    assert(!caption.includes(wrong), `"${wrong}" in: ${caption}`);
  }
}

Deno.test("oneSeedNote and allOneSeed: the one wording of a number that is one run", () => {
  assertEquals(oneSeedNote(), "(one seed, no spread)");
  assertEquals(oneSeedNote("seed 0"), "(one seed, no spread: seed 0)");
  assertEquals(oneSeedNote("seed 0", "band"), "(one seed, no spread, no band: seed 0)");
  assertEquals(allOneSeed([1, 1]), true);
  assertEquals(allOneSeed([1, 2]), false);
  assertEquals(allOneSeed([]), false, "no count is no run, not one seed");
});

Deno.test("noiseLevelGainFigure: one seed at every level is one run per level, no band", () => {
  const section = noiseLevelGainFigure([
    noiseLevelGain(0.25, [0], [0.01]),
    noiseLevelGain(0.5, [0], [0.02]),
  ])!;
  assertEquals(traceNames(section.figure), ["0 = no difference", "one seed", "one run per level"]);
  const caption = section.caption!;
  assertStringIncludes(
    caption,
    "both trained with that seed on the same data. The line joins them, one run per noise level " +
      "(one seed, no spread, no band: 0.25: seed 0; 0.5: seed 0).",
  );
  assertStringIncludes(
    caption,
    "with one seed per level, nothing shows whether other seeds agree on the sign.",
  );
  assertNoSpreadWording(caption);
  assert(caption.endsWith(ONE_SEED_PROTOCOL), caption);
});

Deno.test("noiseLevelGainFigure: a level of several seeds keeps the mean and ± std band", () => {
  const section = noiseLevelGainFigure([
    noiseLevelGain(0.25, [0], [0.01]),
    noiseLevelGain(0.5, [0, 1], [0.02, 0.03]),
  ])!;
  assert(traceNames(section.figure).includes("± 1 std over seeds"));
  assert(traceNames(section.figure).includes("mean over seeds"));
  const caption = section.caption!;
  assertStringIncludes(caption, "The line is the mean over seeds and the band ± 1 standard");
  assertStringIncludes(caption, "seeds per noise level: 1 at 0.25, 2 at 0.5.");
  assertStringIncludes(caption, "a band that straddles the line means the seeds disagree");
  assert(!caption.includes("one seed, no spread, no band"), caption);
});

/** A curve of `system` with `seeds` runs at each of 0.25 and 0.5 (0: none there). */
function curve(system: string, seeds: [number, number]): NoiseLevelCurve {
  const fractions = [0.25, 0.5];
  return {
    system,
    fractions,
    stats: seeds.map((n) => meanStd([0.1, 0.12, 0.14].slice(0, n))),
    runs: fractions.flatMap((noiseFraction, index) =>
      Array.from(
        { length: seeds[index] },
        (_, seed) => finishedRun(system, seed, { noiseFraction }),
      )
    ),
    metric: "test NDCG@10",
  };
}

Deno.test("noiseLevelCurvesFigure: one seed at every drawn level is one run per level, no band", () => {
  const section = noiseLevelCurvesFigure([
    curve("SASRec-MM", [1, 1]),
    curve("Demure-SASRec", [0, 1]),
  ])!;
  assertEquals(traceNames(section.figure), ["SASRec-MM", "Demure-SASRec"], "no band traces");
  const caption = section.caption!;
  assertStringIncludes(
    caption,
    "Each system's own test NDCG@10 at each share of noise modalities: the line joins its runs, " +
      "one per level (one seed, no spread, no band: SASRec-MM at 0.25, 0.5; Demure-SASRec at 0.5).",
  );
  assertStringIncludes(caption, "Not drawn: Demure-SASRec at 0.25 (no finished run).");
  assertNoSpreadWording(caption);
  assert(caption.endsWith(ONE_SEED_PROTOCOL), caption);
});

Deno.test("noiseLevelCurvesFigure: a level of several seeds keeps the mean and ± std band", () => {
  const section = noiseLevelCurvesFigure([
    curve("SASRec-MM", [1, 2]),
    curve("Demure-SASRec", [1, 1]),
  ])!;
  assertEquals(traceNames(section.figure).filter((name) => name.endsWith(" band")).length, 2);
  const caption = section.caption!;
  assertStringIncludes(
    caption,
    "the line is the mean over seeds, the band ± 1 standard deviation (seeds per level: " +
      "SASRec-MM 1 at 0.25, 2 at 0.5; Demure-SASRec 1 at 0.25, 1 at 0.5).",
  );
  assert(!caption.includes("no band"), caption);
});
