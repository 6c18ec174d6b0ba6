/**
 * Rendered-page audit (VZ48): a system keeps one colour across every figure. Colours went by a
 * series' position, so in the full-mode pages SASRec-MM was purple in notebook 02's baseline bars
 * (fourth series there) and blue in 04's ablation bars (first), and Demure-SASRec orange in 04's
 * ablation bars and blue in its sweep lines: a reader matching colours across figures read one
 * system's bars as another's.
 */
import { assertEquals, assertNotEquals } from "@std/assert";
import {
  type BarTrace,
  groupedBars,
  lineWithBands,
  PALETTE,
  type ScatterTrace,
  seriesColor,
  seriesColors,
  SYSTEM_COLORS,
  systemOfSeries,
  trainingCurves,
} from "../../lib/viz/mod.ts";
import { SYSTEMS } from "../../lib/experiments/systems.ts";

Deno.test("SYSTEM_COLORS: one colour for each system the workspace runs, no two alike", () => {
  assertEquals(Object.keys(SYSTEM_COLORS).sort(), Object.keys(SYSTEMS).sort());
  const colours = Object.values(SYSTEM_COLORS);
  assertEquals(new Set(colours).size, colours.length);
  for (const colour of colours) assertEquals(/^#[0-9a-f]{6}$/.test(colour), true, colour);
});

Deno.test("systemOfSeries: the name itself or its first word before a space, else null", () => {
  assertEquals(systemOfSeries("SASRec-MM"), "SASRec-MM");
  assertEquals(systemOfSeries("SASRec-MM (5 seeds)"), "SASRec-MM");
  assertEquals(systemOfSeries("Demure-SASRec (mean ± std over seeds)"), "Demure-SASRec");
  // A longer name that only begins with a system's is another series.
  assertEquals(systemOfSeries("SASRec-MMX"), null);
  assertEquals(systemOfSeries("training loss"), null);
  assertEquals(systemOfSeries(undefined as unknown as string), null);
});

/** The bar colour of each legend entry of a grouped-bar figure, by trace name. */
function barColours(series: string[]): Record<string, string | undefined> {
  const figure = groupedBars({
    categories: ["NDCG@10", "HR@10"],
    series: series.map((name) => ({ name, values: [0.05, 0.1], errors: [0.01, 0.01] })),
  });
  return Object.fromEntries(
    (figure.data as BarTrace[]).map((trace) => [trace.name, trace.marker?.color]),
  );
}

Deno.test("groupedBars: a system has its colour whichever position it holds (02 vs 04)", () => {
  // Notebook 02's order, then 04's ablation order.
  const baselines = barColours([
    "Pop (1 seed)",
    "ItemKNN (1 seed)",
    "SASRec-ID (5 seeds)",
    "SASRec-MM (5 seeds)",
  ]);
  const ablation = barColours([
    "SASRec-MM (5 seeds)",
    "AttributionOnly-SASRec (5 seeds)",
    "Demure-SASRec (5 seeds)",
  ]);
  assertEquals(baselines["SASRec-MM (5 seeds)"], SYSTEM_COLORS["SASRec-MM"]);
  assertEquals(ablation["SASRec-MM (5 seeds)"], SYSTEM_COLORS["SASRec-MM"]);
  assertEquals(baselines["Pop (1 seed)"], SYSTEM_COLORS["Pop"]);
  assertEquals(ablation["Demure-SASRec (5 seeds)"], SYSTEM_COLORS["Demure-SASRec"]);
});

Deno.test("lineWithBands: a sweep's line, band and ring take the system's colour (04)", () => {
  const figure = lineWithBands({
    series: [{
      name: "Demure-SASRec (mean ± std over seeds)",
      x: [0.02, 0.1, 0.5],
      y: [0.15, 0.12, 0.08],
      errors: [0.01, 0.01, 0.01],
      marked: { name: "selected value", x: [0.02] },
    }],
    xScale: "log",
  });
  const [line, ring] = figure.data as ScatterTrace[];
  assertEquals(line.line?.color, SYSTEM_COLORS["Demure-SASRec"]);
  assertEquals(ring.marker?.color, SYSTEM_COLORS["Demure-SASRec"]);
  assertEquals(
    SYSTEM_COLORS["Demure-SASRec"],
    barColours(["SASRec-MM (5 seeds)", "Demure-SASRec (5 seeds)"])["Demure-SASRec (5 seeds)"],
  );
});

Deno.test("trainingCurves: system curves take the system's colour, others the palette", () => {
  const figure = trainingCurves({
    series: [
      { name: "Demure-SASRec", x: [1, 2], y: [0.1, 0.2] },
      { name: "SASRec-MM", x: [1, 2], y: [0.1, 0.15] },
    ],
  });
  assertEquals((figure.data as ScatterTrace[]).map((trace) => trace.line?.color), [
    SYSTEM_COLORS["Demure-SASRec"],
    SYSTEM_COLORS["SASRec-MM"],
  ]);
  const plain = trainingCurves({
    series: [
      { name: "training loss", x: [1, 2], y: [0.9, 0.8] },
      { name: "valid NDCG@10", x: [1, 2], y: [0.01, 0.02], axis: "right" },
    ],
  });
  assertEquals((plain.data as ScatterTrace[]).map((trace) => trace.line?.color), [
    seriesColor(0),
    seriesColor(1),
  ]);
});

Deno.test("seriesColors: a series that is no system never takes a colour a system took", () => {
  // SASRec-MM holds PALETTE[0]: "raw" would have taken it by position.
  const colours = seriesColors(["raw", "SASRec-MM", "5-core"]);
  assertEquals(colours[1], SYSTEM_COLORS["SASRec-MM"]);
  assertNotEquals(colours[0], colours[1]);
  assertNotEquals(colours[2], colours[1]);
  assertNotEquals(colours[0], colours[2]);
  assertEquals(colours[0], PALETTE[1]);
  // Without systems, the colours are the palette's by position, as before.
  assertEquals(seriesColors(["a", "b", "c"]), [PALETTE[0], PALETTE[1], PALETTE[2]]);
});
