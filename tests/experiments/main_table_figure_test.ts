/** The HTML report's main-table figure: no error bar for a system run with one seed. */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { mainTableFigure } from "../../lib/experiments/html_report.ts";
import { meanStd, type SystemSummary } from "../../lib/experiments/analyse.ts";
import type { BarTrace } from "../../lib/viz/figure.ts";
import { protocolCaption } from "../../lib/experiments/protocol_caption.ts";
import { RECORD_CAPTION_PROTOCOL } from "./_finished_run.ts";

/** The protocol sentences every main-table caption ends with. */
const PROTOCOL = protocolCaption(RECORD_CAPTION_PROTOCOL);

/** A main-table row whose test NDCG@10 and HR@10 over its seeds are `ndcg` and `hr`. */
function row(system: string, ndcg: number[], hr: number[]): SystemSummary {
  const test = { "NDCG@10": meanStd(ndcg), "HR@10": meanStd(hr) };
  return {
    system,
    dataset: "Synthetic",
    seeds: ndcg.map((_, seed) => seed),
    test,
    valid: test,
    meanTrainSeconds: 0,
  };
}

Deno.test("main-table figure: one-seed systems get no error bar (not a 0 one), named in the caption", () => {
  const rows = [
    row("Pop", [0.02], [0.05]),
    row("SASRec-MM", [0.125, 0.25, 0.375], [0.5, 0.625, 0.75]),
    row("ItemKNN", [0.03], [0.06]),
  ];
  const section = mainTableFigure("Synthetic", rows, RECORD_CAPTION_PROTOCOL);
  assertStringIncludes(section.caption ?? "", "mean ± std over 3 seeds");
  assertStringIncludes(
    section.caption ?? "",
    "no error bar for Pop, ItemKNN (one seed: no spread)",
  );
  const traces = section.figure.data as BarTrace[];
  // Per metric: the bars with an error bar (SASRec-MM) and, in the same slot and legend entry,
  // the bars without one (Pop, ItemKNN). Each system's bar is drawn exactly once.
  assertEquals(traces.map((t) => [t.name, t.offsetgroup, t.showlegend]), [
    ["NDCG@10", "series 0", undefined],
    ["NDCG@10", "series 0", false],
    ["HR@10", "series 1", undefined],
    ["HR@10", "series 1", false],
  ]);
  const [withSpread, single] = traces;
  assertEquals(withSpread.x, ["Pop", "SASRec-MM", "ItemKNN"]);
  assertEquals(withSpread.y, [null, 0.25, null]);
  assertEquals(withSpread.error_y?.array.map((e) => e?.toFixed(4) ?? null), [null, "0.1250", null]);
  assertEquals(single.y, [0.02, null, 0.03]);
  assertEquals(single.error_y, undefined);
  assertEquals(single.legendgroup, withSpread.legendgroup);
  assertEquals(single.marker, withSpread.marker);
  // No bar anywhere draws an error bar of 0 (the spread a single seed does not have).
  for (const trace of traces) {
    trace.error_y?.array.forEach((error, i) => {
      if (trace.y[i] !== null) assertEquals(error !== null && error > 0, true, `${trace.x[i]}`);
    });
  }
});

Deno.test("main-table figure: every system with several seeds: one trace per metric, all with error bars", () => {
  const section = mainTableFigure("MovieLens", [
    row("SASRec-MM", [0.08, 0.1], [0.15, 0.17]),
    row("Demure-SASRec", [0.09, 0.11], [0.16, 0.2]),
  ], RECORD_CAPTION_PROTOCOL);
  assertEquals(
    section.caption,
    `MovieLens: test NDCG@10 and HR@10, mean ± std over 2 seeds. ${PROTOCOL}`,
  );
  // A reader sees what the axes hold, not bare numbers under bare names.
  assertEquals(section.figure.layout.xaxis?.title?.text, "system");
  assertEquals(section.figure.layout.yaxis?.title?.text, "test value (mean ± std)");
  const traces = section.figure.data as BarTrace[];
  assertEquals(traces.map((t) => t.name), ["NDCG@10", "HR@10"]);
  assertEquals(traces.every((t) => t.error_y?.array.every((e) => e !== null && e > 0)), true);
  assertEquals(traces.every((t) => t.offsetgroup === undefined), true);
});

Deno.test("main-table figure: no system with several seeds: the caption names no seed count", () => {
  // Found by mutation round BG (BG19): seedCount of no count read "Infinity--Infinity seeds".
  const section = mainTableFigure("Imported", [
    row("Pop", [0.02], [0.05]),
    row("ItemKNN", [0.03], [0.06]),
  ], RECORD_CAPTION_PROTOCOL);
  assertEquals(
    section.caption,
    "Imported: test NDCG@10 and HR@10, mean ± std over seeds; no error bar for Pop, ItemKNN " +
      `(one seed: no spread). ${PROTOCOL}`,
  );
});
