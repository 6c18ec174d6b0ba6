/**
 * The noise-level curves record the metric they were picked in, and their figure and table label
 * with it: a label that contradicts the numbers is refused (the gains' fix, noise_level_gain_labels52).
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { noiseLevelCurves } from "../../lib/experiments/experiment_views.ts";
import {
  noiseLevelCurvesFigure,
  noiseLevelTable,
} from "../../lib/experiments/noise_level_figures.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { finishedRun } from "./_finished_run.ts";

const found = [0, 1].flatMap((seed) =>
  [0.25, 0.5].map((noiseFraction) => ({
    ...finishedRun("SASRec-MM", seed, { noiseFraction }),
  }))
);
const valid = (result: { valid: Record<string, number> }) => result.valid["NDCG@10"];

Deno.test("noiseLevelCurves: every curve records the metric it is named, and the figure labels with it", () => {
  const curves = noiseLevelCurves(found, valid, "validation NDCG@10");
  assertEquals(curves.map((curve) => curve.metric), ["validation NDCG@10"]);
  const section = noiseLevelCurvesFigure(curves)!;
  assertStringIncludes(section.caption!, "Each system's own validation NDCG@10");
  assertEquals(JSON.stringify(section.figure).includes("test NDCG@10"), false);
  const table = noiseLevelTable(curves[0], "validation NDCG@10", "SASRec-MM by noise level")!;
  assertEquals(table.columns[1], "validation NDCG@10");
});

Deno.test("noiseLevelCurvesFigure and noiseLevelTable refuse a label that contradicts the curves' metric", () => {
  const curves = noiseLevelCurves(found, valid, "validation NDCG@10");
  const figure = assertThrows(() => noiseLevelCurvesFigure(curves, "test NDCG@10"), SettingError);
  assertStringIncludes(figure.message, "noiseLevelCurvesFigure metric");
  assertStringIncludes(figure.message, '"validation NDCG@10"');
  const table = assertThrows(
    () => noiseLevelTable(curves[0], "test NDCG@10", "SASRec-MM"),
    SettingError,
  );
  assertStringIncludes(table.message, "noiseLevelTable metric");
});

Deno.test("noiseLevelCurvesFigure: curves of two metrics are refused; unnamed curves take the label given", () => {
  const named = noiseLevelCurves(found, valid, "validation NDCG@10");
  const other = noiseLevelCurves(found, valid, "validation HR@10");
  assertThrows(
    () => noiseLevelCurvesFigure([...named, ...other]),
    Error,
    "draw the curves of one noiseLevelCurves call",
  );
  const unnamed = noiseLevelCurves(found, valid);
  assertEquals(unnamed[0].metric, undefined);
  assertStringIncludes(
    noiseLevelCurvesFigure(unnamed, "validation NDCG@10")!.caption!,
    "own validation NDCG@10",
  );
  assertThrows(() => noiseLevelCurves(found, valid, ""), SettingError, "noiseLevelCurves metric");
});
