/**
 * The noise-level gains record what they are (systems, metric) and their figure takes its labels
 * from them: HR@10 gains were drawn under "test NDCG@10" (found in notebook 06, fu52 item 1).
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { SettingError } from "../../lib/util/settings.ts";
import type { FinishedCell } from "../../lib/experiments/ensure_cells.ts";
import { noiseLevelGains } from "../../lib/experiments/experiment_views.ts";
import { noiseLevelGainFigure } from "../../lib/experiments/noise_level_figures.ts";
import { cellsOf, planExperiments } from "../../lib/experiments/plan.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { finishedRun } from "./_finished_run.ts";
import { noiseLevelGain } from "./_noise_level_gain.ts";

const cells = cellsOf(planExperiments("full"), "noise_level");
// Three metrics that differ at every cell, and Demure-SASRec ahead in each by its own amount, so a
// gain of the wrong metric shows in the numbers.
const ahead = (cell: (typeof cells)[number]) => cell.systemName === "Demure-SASRec" ? 1 : 0;
// Runs whose cards the caption states, at the cells of the full plan's noise-level experiment.
const found: FinishedCell[] = cells.map((cell) => {
  const run = finishedRun(cell.systemName, cell.seed, { noiseFraction: cell.noiseFraction });
  const test = {
    "NDCG@10": cell.seed + 0.01 * ahead(cell),
    "HR@10": cell.seed + 0.1 * ahead(cell),
  };
  const valid = { "HR@10": cell.seed + 0.2 * ahead(cell) };
  return { cell: run.cell, result: { ...run.result, test, valid } };
});

const means = (gains: ReturnType<typeof noiseLevelGains>) =>
  gains.map((gain) => Math.round(gain.stats.mean * 1e9) / 1e9);

Deno.test("noiseLevelGains: the metric's name picks the metric and is recorded with the systems", () => {
  const byDefault = noiseLevelGains(found);
  assertEquals(means(byDefault), [0.01, 0.01, 0.01]);
  assertEquals(byDefault.map(({ system, baseline, metric }) => [system, baseline, metric])[0], [
    "Demure-SASRec",
    "SASRec-MM",
    "test NDCG@10",
  ]);
  // The default is the metric named "test NDCG@10": the same numbers.
  assertEquals(noiseLevelGains(found, { metric: "test NDCG@10" }), byDefault);
  const hr = noiseLevelGains(found, { metric: "test HR@10" });
  assertEquals(means(hr), [0.1, 0.1, 0.1]);
  assertEquals(hr.map((gain) => gain.metric), ["test HR@10", "test HR@10", "test HR@10"]);
  assertEquals(means(noiseLevelGains(found, { metric: "validation HR@10" })), [0.2, 0.2, 0.2]);
  const reversed = noiseLevelGains(found, { system: "SASRec-MM", baseline: "Demure-SASRec" });
  assertEquals([reversed[0].system, reversed[0].baseline], ["SASRec-MM", "Demure-SASRec"]);
  // A custom pick carries the name given beside it.
  const custom = noiseLevelGains(found, {
    metric: "test HR@10 x 2",
    pick: (result) => 2 * result.test["HR@10"],
  });
  assertEquals([custom[0].metric, means(custom)[0]], ["test HR@10 x 2", 0.2]);
});

Deno.test("noiseLevelGains: a pick without a metric naming it, or a metric name that picks nothing, is refused", () => {
  const bad: Array<[Record<string, unknown>, string]> = [
    // The notebook's old call: HR@10 numbers that would be labelled "test NDCG@10".
    [{ pick: (result: CellResult) => result.test["HR@10"] }, "the name of the metric that"],
    [{ metric: "HR@10" }, '"test <name>" or "validation <name>"'],
    [{ metric: "" }, "a non-empty name"],
    [{ metric: 10, pick: () => 1 }, "a non-empty name"],
  ];
  for (const [options, text] of bad) {
    for (const given of [found, []]) {
      const error = assertThrows(() => noiseLevelGains(given, options as never), SettingError);
      assertEquals((error as SettingError).setting, "NoiseLevelGainOptions.metric", error.message);
      assertStringIncludes(error.message, text);
    }
  }
  // A name of the right form for a metric the results lack names it at the cell.
  assertThrows(
    () => noiseLevelGains(found, { metric: "test HR@11" }),
    Error,
    "the picked metric is undefined, expected a finite number (test HR@11)",
  );
});

Deno.test("noiseLevelGainFigure: HR@10 gains give an HR@10 axis and caption without an option", () => {
  const section = noiseLevelGainFigure(noiseLevelGains(found, { metric: "test HR@10" }))!;
  assertEquals(section.figure.layout.yaxis?.title?.text, "difference in test HR@10");
  assertStringIncludes(section.caption!, "Demure-SASRec's test HR@10 minus SASRec-MM's");
  assertEquals(section.caption!.includes("NDCG"), false, section.caption);
  // The systems come from the gains too.
  const reversed = noiseLevelGainFigure(
    noiseLevelGains(found, { system: "SASRec-MM", baseline: "Demure-SASRec" }),
  )!;
  assertEquals(
    reversed.figure.layout.title?.text,
    "SASRec-MM minus Demure-SASRec by noise level (synthetic)",
  );
  assertStringIncludes(reversed.caption!, "Above the dashed line SASRec-MM is ahead.");
  // The default case keeps its labels.
  const plain = noiseLevelGainFigure(noiseLevelGains(found))!;
  assertEquals(plain.figure.layout.yaxis?.title?.text, "difference in test NDCG@10");
  assertEquals(
    plain.figure.layout.title?.text,
    "Demure-SASRec minus SASRec-MM by noise level (synthetic)",
  );
});

Deno.test("noiseLevelGainFigure: an option that contradicts the gains is refused by name; one that agrees is kept", () => {
  const hr = noiseLevelGains(found, { metric: "test HR@10" });
  const bad: Array<[Record<string, string>, string, string]> = [
    [{ metric: "test NDCG@10" }, "NoiseLevelGainFigureOptions.metric", '"test HR@10", the metric'],
    [{ system: "Demure-GRU4Rec" }, "NoiseLevelGainFigureOptions.system", '"Demure-SASRec"'],
    [{ baseline: "GRU4Rec-MM" }, "NoiseLevelGainFigureOptions.baseline", '"SASRec-MM"'],
  ];
  for (const [options, setting, text] of bad) {
    const error = assertThrows(() => noiseLevelGainFigure(hr, options), SettingError);
    assertEquals((error as SettingError).setting, setting, error.message);
    assertStringIncludes(error.message, text);
    assertStringIncludes(error.message, "of the gains");
  }
  const restated = noiseLevelGainFigure(hr, { metric: "test HR@10", system: "Demure-SASRec" })!;
  assertEquals(restated, noiseLevelGainFigure(hr));
  // Even a level without a pair (nothing drawn) is checked: the gains still say what they are.
  const unpaired = [noiseLevelGain(0.5, [], [], undefined, { metric: "test HR@10" })];
  assertThrows(
    () => noiseLevelGainFigure(unpaired, { metric: "test NDCG@10" }),
    SettingError,
    "NoiseLevelGainFigureOptions.metric",
  );
});

Deno.test("noiseLevelGainFigure: gains of two calls joined (two metrics) are refused, not drawn under one label", () => {
  const joined = [
    ...noiseLevelGains(found).slice(0, 1),
    ...noiseLevelGains(found, { metric: "test HR@10" }).slice(1),
  ];
  assertThrows(
    () => noiseLevelGainFigure(joined),
    Error,
    'the gains are of "Demure-SASRec" minus "SASRec-MM" in "test NDCG@10" at planted noise ' +
      'share 0.25, but of "Demure-SASRec" minus "SASRec-MM" in "test HR@10" at 0.5',
  );
});
