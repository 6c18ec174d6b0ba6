/**
 * The HTML report's sections and files on a small hand-built summary (no records read): what
 * writeReport writes into each file, the noise-level figure's finite levels, a caption over one
 * seed. Found by mutation round BG.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { meanStd } from "../../lib/experiments/analyse.ts";
import { reportSections, writeReport } from "../../lib/experiments/html_report.ts";
import { summaryMarkdown } from "../../lib/experiments/markdown_report.ts";
import type { ReproductionSummary } from "../../lib/experiments/summary_types.ts";
import { EMPTY_SUMMARY } from "./_empty_summary.ts";
import { RECORD_CAPTION_PROTOCOL } from "./_finished_run.ts";
import { twoEpochDiagnosis } from "./_training_curves.ts";

/** A summary with nothing finished: each test adds the part it reads. */
const empty = EMPTY_SUMMARY;

const figureTitled = (summary: ReproductionSummary, title: string) => {
  // The figures' protocols as summarise reads them from the records.
  const figureProtocols = {
    main: {},
    noiseLevel: RECORD_CAPTION_PROTOCOL,
    attribution: RECORD_CAPTION_PROTOCOL,
  };
  const section = reportSections({ ...summary, figureProtocols }).find((s) =>
    s.kind === "figure" && s.figure.layout.title?.text === title
  );
  return section?.kind === "figure" ? section : undefined;
};

Deno.test("report: a noise level without a finite std is not drawn (a band of NaN)", () => {
  const level = (noiseFraction: number, std: number) => ({
    noiseFraction,
    multiModal: { mean: 0.1, std: 0.01, n: 3 },
    demure: { mean: 0.12, std, n: 3 },
    gain: 0.02,
  });
  const section = figureTitled(
    { ...empty, noiseLevel: [level(0, 0.01), level(0.25, NaN), level(0.5, 0.02)] },
    "Noise level (synthetic)",
  );
  const lines = (section?.figure.data ?? []) as { mode?: string; x: unknown[] }[];
  const drawn = lines.filter((t) => t.mode !== undefined).map((t) => t.x);
  assertEquals(drawn, [[0, 0.5], [0, 0.5]]);
});

Deno.test("report: the attribution caption over one seed says '1 seed'", () => {
  const one = meanStd([0.7]);
  const section = figureTitled({
    ...empty,
    attribution: [{
      system: "Demure-SASRec",
      method: "gradient",
      seeds: [0],
      rocAuc: one,
      userModalityRocAuc: one,
      precision: one,
      recall: one,
      seconds: 1,
    }],
  }, "Attribution quality (synthetic)");
  assertStringIncludes(section?.caption ?? "", "standard deviation over 1 seed (seeds 0)");
});

Deno.test("writeReport: summary.json is the summary, summary.md its markdown, report.html titled by the mode", async () => {
  const directory = Deno.makeTempDirSync();
  try {
    const summary: ReproductionSummary = {
      ...empty,
      diagnosis: [twoEpochDiagnosis("Synthetic")],
      pending: ["cell-0"],
      cells: 2,
      totalTrainSeconds: 90,
    };
    const paths = await writeReport(summary, `${directory}/report`);
    assertEquals(paths, {
      json: `${directory}/report/summary.json`,
      markdown: `${directory}/report/summary.md`,
      html: `${directory}/report/report.html`,
    });
    assertEquals(JSON.parse(Deno.readTextFileSync(paths.json)), summary);
    assertEquals(Deno.readTextFileSync(paths.markdown), summaryMarkdown(summary));
    const html = Deno.readTextFileSync(paths.html);
    assertStringIncludes(html, "<title>Demure reproduction (quick)</title>");
    assertStringIncludes(html, "Partial run");
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});
