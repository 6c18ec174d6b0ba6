/** The noise-level figures draw what the views computed and say how many seeds each point has. */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import type { NoiseLevelCurve } from "../../lib/experiments/experiment_views.ts";
import { meanStd } from "../../lib/experiments/analyse.ts";
import {
  noiseLevelCurvesFigure,
  noiseLevelGainFigure,
  type NoiseLevelGainFigureOptions,
  noiseLevelTable,
} from "../../lib/experiments/noise_level_figures.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { formatTableCells } from "../../lib/viz/table_html.ts";
import type { ScatterTrace } from "../../lib/viz/figure.ts";
import { finishedRun } from "./_finished_run.ts";
import { noiseLevelGain } from "./_noise_level_gain.ts";

/** Runs whose cards the captions state (of a system named nowhere else in these tests). */
const RUNS = [finishedRun("GRU4Rec-ID", 0, { noiseFraction: 0.5 })];

const gain = noiseLevelGain;

Deno.test("noiseLevelGainFigure: dots per seed, mean and ± std band; levels without a pair named", () => {
  const section = noiseLevelGainFigure([
    gain(0.25, [0, 1, 2], [0.01, -0.01, 0.03]),
    gain(0.5, [0], [0.02], { system: [], baseline: [3, 4] }),
    gain(0.75, [], [], { system: [1], baseline: [] }),
  ])!;
  const traces = section.figure.data as ScatterTrace[];
  const byName = (name: string) => traces.find((trace) => trace.name === name)!;
  assertEquals(byName("one seed").x, [0.25, 0.25, 0.25, 0.5]);
  assertEquals(byName("one seed").y, [0.01, -0.01, 0.03, 0.02]);
  assertEquals(byName("mean over seeds").x, [0.25, 0.5]);
  assertEquals(byName("mean over seeds").y, [0.01, 0.02]);
  // One seed at 0.5: the band is 0 wide there; std 0.02 at 0.25.
  const band = byName("± 1 std over seeds").y.map((v) => Math.round(v * 1e6) / 1e6);
  assertEquals(band, [0.03, 0.02, 0.02, -0.01]);
  assertEquals(section.figure.layout.xaxis?.ticktext, ["0.25<br>3 seeds", "0.5<br>1 seed"]);
  assertStringIncludes(section.caption!, "seeds per noise level: 3 at 0.25, 1 at 0.5.");
  assertStringIncludes(section.caption!, "Not drawn: noise level 0.75, no seed at which both");
  assertStringIncludes(section.caption!, "At 0.5 only SASRec-MM finished seeds 3 and 4");
  assertStringIncludes(section.caption!, "At 0.75 only Demure-SASRec finished seed 1");
  assertStringIncludes(section.caption!, "not a confidence interval");
  // The caption does not repeat the title.
  assertEquals(section.caption!.includes(section.figure.layout.title!.text), false);
});

Deno.test("noiseLevelGainFigure: a misspelt option is refused, not a figure with the default labels", () => {
  const gains = [gain(0.25, [0], [0.01])];
  const typo = { sytem: "Demure-GRU4Rec" } as unknown as NoiseLevelGainFigureOptions;
  assertThrows(() => noiseLevelGainFigure(gains, typo), SettingError, "sytem");
  const ofGru = [gain(0.25, [0], [0.01], undefined, { system: "Demure-GRU4Rec" })];
  const title = noiseLevelGainFigure(ofGru, { system: "Demure-GRU4Rec" })!.figure.layout.title!;
  assertEquals(title.text, "Demure-GRU4Rec minus SASRec-MM by noise level (synthetic)");
});

Deno.test("noiseLevelGainFigure: a label that is no name, or a system against itself, is refused", () => {
  // Each drew a figure of other systems' gains under the label: "SASRec-MM minus SASRec-MM", a
  // blank system, a metric named 5. Refused with or without a pair to draw.
  const bad: Array<[Record<string, unknown>, string, string]> = [
    [{ system: "SASRec-MM" }, "NoiseLevelGainFigureOptions.baseline", "a system other than"],
    [
      { system: "GRU4Rec-MM", baseline: "GRU4Rec-MM" },
      "NoiseLevelGainFigureOptions.baseline",
      'NoiseLevelGainFigureOptions.system ("GRU4Rec-MM")',
    ],
    [{ system: "" }, "NoiseLevelGainFigureOptions.system", "a non-empty name"],
    [{ baseline: " " }, "NoiseLevelGainFigureOptions.baseline", "a non-empty name"],
    [{ baseline: ["SASRec-MM"] }, "NoiseLevelGainFigureOptions.baseline", "a non-empty name"],
    [{ metric: 5 }, "NoiseLevelGainFigureOptions.metric", "is 5; allowed: a non-empty name"],
  ];
  for (const [options, setting, text] of bad) {
    for (const gains of [[gain(0.25, [0], [0.01])], []]) {
      const error = assertThrows(() => noiseLevelGainFigure(gains, options as never), SettingError);
      assertEquals((error as SettingError).setting, setting, error.message);
      assertStringIncludes(error.message, text);
    }
  }
  // Names other than the defaults stay valid (restating the gains' own labels).
  const labels = { system: "Demure-GRU4Rec", baseline: "GRU4Rec-MM", metric: "test HR@10" };
  const section = noiseLevelGainFigure([gain(0.25, [0], [0.01], undefined, labels)], {
    system: "Demure-GRU4Rec",
    baseline: "GRU4Rec-MM",
    metric: "test HR@10",
  })!;
  assertEquals(
    section.figure.layout.title!.text,
    "Demure-GRU4Rec minus GRU4Rec-MM by noise level (synthetic)",
  );
});

Deno.test("noiseLevelGainFigure: nothing to draw without a single pair", () => {
  assertEquals(noiseLevelGainFigure([gain(0.5, [], [])]), undefined);
  assertEquals(noiseLevelGainFigure([]), undefined);
});

Deno.test("noiseLevelCurvesFigure: a level without runs is left out of its line and named", () => {
  const curves: NoiseLevelCurve[] = [
    {
      system: "SASRec-MM",
      fractions: [0.25, 0.5],
      stats: [meanStd([0.2, 0.3]), meanStd([0.1])],
      runs: RUNS,
    },
    {
      system: "Demure-SASRec",
      fractions: [0.25, 0.5],
      stats: [meanStd([]), meanStd([0.12])],
      runs: RUNS,
    },
  ];
  const section = noiseLevelCurvesFigure(curves)!;
  const lines = (section.figure.data as ScatterTrace[]).filter((trace) => trace.fill !== "toself");
  assertEquals(lines.map((line) => [line.name, line.x, line.y]), [
    ["SASRec-MM", [0.25, 0.5], [0.25, 0.1]],
    ["Demure-SASRec", [0.5], [0.12]],
  ]);
  assertStringIncludes(section.caption!, "SASRec-MM 2 at 0.25, 1 at 0.5; Demure-SASRec 1 at 0.5");
  assertStringIncludes(section.caption!, "Not drawn: Demure-SASRec at 0.25 (no finished run).");
  assertEquals(
    noiseLevelCurvesFigure([{ system: "A", fractions: [0.5], stats: [meanStd([])], runs: RUNS }]),
    undefined,
  );
});

Deno.test("noiseLevelTable: a level without runs has no row of numbers; fractions as written", () => {
  // Notebook 06's occlusion table showed 0.2500 and rows of "–" with 0 seeds: attribution is
  // scored at the default level only, so the other levels have no run with a score.
  const curve: NoiseLevelCurve = {
    system: "Demure-SASRec",
    fractions: [0.25, 0.5, 0.75],
    stats: [meanStd([]), meanStd([0.72, 0.74]), meanStd([])],
    runs: RUNS,
  };
  const table = noiseLevelTable(curve, "occlusion ROC-AUC", "Demure-SASRec by noise level")!;
  assertEquals(table.columns, ["planted noise share", "occlusion ROC-AUC", "± std", "seeds"]);
  assertEquals(formatTableCells(table.rows, 4), [["0.5", "0.7300", "0.0141", "2"]]);
  assertStringIncludes(
    table.caption!,
    "no row for planted noise shares 0.25, 0.75: no finished run of Demure-SASRec there has a value " +
      "for occlusion ROC-AUC",
  );
  // One seed has no spread: "–", not 0.
  const one = noiseLevelTable(
    { system: "A", fractions: [0.5], stats: [meanStd([0.7])], runs: RUNS },
    "ROC-AUC",
    "A",
  )!;
  assertEquals(formatTableCells(one.rows, 4), [["0.5", "0.7000", "–", "1"]]);
  assertEquals(one.caption!.startsWith("A. Protocol. Data: MovieLens"), true, one.caption);
  assertEquals(
    noiseLevelTable({ system: "A", fractions: [0.5], stats: [meanStd([])], runs: RUNS }, "m", "c"),
    undefined,
  );
});

Deno.test("noiseLevelGainFigure: default labels are noiseLevelGains' metric; only real seeds named", () => {
  const section = noiseLevelGainFigure([
    gain(0.25, [0], [0.01], { system: [1, 2, 3], baseline: [] }),
  ])!;
  assertEquals(section.figure.layout.yaxis?.title?.text, "difference in test NDCG@10");
  assertStringIncludes(section.caption!, "Demure-SASRec's test NDCG@10 minus SASRec-MM's");
  // Every seed of three or more named, and no sentence for a system without unpaired seeds.
  assertStringIncludes(
    section.caption!,
    "At 0.25 only Demure-SASRec finished seeds 1, 2 and 3, not compared.",
  );
  assertEquals(section.caption!.split("not compared").length - 1, 1, section.caption);
});

Deno.test("noiseLevelCurvesFigure: bands ± std, ticks ascending, the default metric", () => {
  const curves: NoiseLevelCurve[] = [
    // The first system reached only the higher level: the ticks still ascend.
    {
      system: "SASRec-MM",
      fractions: [0.25, 0.5],
      stats: [meanStd([]), meanStd([0.2, 0.4])],
      runs: RUNS,
    },
    {
      system: "Demure-SASRec",
      fractions: [0.25, 0.5],
      stats: [meanStd([0.1]), meanStd([0.3])],
      runs: RUNS,
    },
  ];
  const section = noiseLevelCurvesFigure(curves)!;
  const traces = section.figure.data as ScatterTrace[];
  const band = traces.find((trace) => trace.name === "SASRec-MM band")!;
  const std = Math.sqrt(0.02);
  assertEquals(band.y.map((v) => Math.round(v * 1e9) / 1e9), [
    Math.round((0.3 + std) * 1e9) / 1e9,
    Math.round((0.3 - std) * 1e9) / 1e9,
  ]);
  assertEquals(section.figure.layout.xaxis?.tickvals, [0.25, 0.5]);
  assertEquals(section.figure.layout.yaxis?.title?.text, "test NDCG@10");
});

Deno.test("noiseLevelTable: one fraction without a row is named in the singular", () => {
  const table = noiseLevelTable(
    { system: "A", fractions: [0.25, 0.5], stats: [meanStd([]), meanStd([0.7])], runs: RUNS },
    "ROC-AUC",
    "A",
  )!;
  assertStringIncludes(
    table.caption!,
    "A; no row for planted noise share 0.25: no finished run of A there has a value for ROC-AUC. " +
      "Protocol. Data: MovieLens",
  );
});

Deno.test("noiseLevelCurvesFigure: a system with no run at all is named as not drawn, without an empty count", () => {
  // A metric only one system has (an attribution score): the other system's curve has no run at
  // any level. The caption read "seeds per level: ...; SASRec-MM )".
  const curves: NoiseLevelCurve[] = [
    { system: "SASRec-MM", fractions: [0.25, 0.5], stats: [meanStd([]), meanStd([])], runs: RUNS },
    {
      system: "Demure-SASRec",
      fractions: [0.25, 0.5],
      stats: [meanStd([0.7]), meanStd([])],
      runs: RUNS,
    },
  ];
  const caption = noiseLevelCurvesFigure(curves, "occlusion ROC-AUC")!.caption!;
  // One seed at the one drawn level: said as one run (noise_level_one_seed53b_test), SASRec-MM not in it.
  assertStringIncludes(caption, "(one seed, no spread, no band: Demure-SASRec at 0.25).");
  assertStringIncludes(caption, "Not drawn: SASRec-MM at 0.25, 0.5 (no finished run).");
  assertStringIncludes(caption, "Not drawn: Demure-SASRec at 0.5 (no finished run).");
});

Deno.test("noiseLevelGainFigure: the caption and axes name the gains' systems and metric, not the defaults", () => {
  // Found by mutation round JG (JG34, JG35, JG37): only the default names were pinned, so a caption
  // that read Demure-SASRec's gain over SASRec-MM under a figure of GRU4Rec's passed.
  const section = noiseLevelGainFigure([
    gain(0.25, [0, 1], [0.01, 0.03], undefined, {
      system: "Demure-GRU4Rec",
      baseline: "GRU4Rec-MM",
      metric: "test HR@10",
    }),
  ])!;
  assertStringIncludes(
    section.caption!,
    "Each dot is one seed: Demure-GRU4Rec's test HR@10 minus GRU4Rec-MM's, both trained",
  );
  assertStringIncludes(section.caption!, "Above the dashed line Demure-GRU4Rec is ahead.");
  assertEquals(section.caption!.includes("SASRec"), false, section.caption);
  const layout = section.figure.layout;
  assertEquals(layout.xaxis?.title?.text, "share of noise modalities per user");
  assertEquals(layout.yaxis?.title?.text, "difference in test HR@10");
});

Deno.test("noiseLevelCurvesFigure: the title, y axis and caption name the metric given", () => {
  // Found by mutation round JG (JG32, JG33, JG36): a curve of occlusion ROC-AUC was titled and
  // captioned as test NDCG@10 without a test noticing.
  const curves: NoiseLevelCurve[] = [
    {
      system: "Demure-SASRec",
      fractions: [0.25, 0.5],
      stats: [meanStd([0.7]), meanStd([0.6])],
      runs: RUNS,
    },
  ];
  const section = noiseLevelCurvesFigure(curves, "occlusion ROC-AUC")!;
  const layout = section.figure.layout;
  assertEquals(layout.title?.text, "Each system's occlusion ROC-AUC by noise level (synthetic)");
  assertEquals(layout.yaxis?.title?.text, "occlusion ROC-AUC");
  assertEquals(layout.xaxis?.title?.text, "share of noise modalities per user");
  assertStringIncludes(
    section.caption!,
    "Each system's own occlusion ROC-AUC at each share of noise modalities",
  );
  assertEquals(section.caption!.includes("NDCG"), false, section.caption);
});
