/**
 * The HTML report's figures (lib/experiments/html_report.ts), third mutation pass (round OF), on
 * small hand-built summaries: a noise level missing one system's spread, each system's own band,
 * HR@10's own error bars, and one set of diagnosis figures per dataset.
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { meanStd, type SystemSummary } from "../../lib/experiments/analyse.ts";
import {
  diagnosisFigures,
  mainTableFigure,
  reportSections,
} from "../../lib/experiments/html_report.ts";
import type { ReproductionSummary } from "../../lib/experiments/summary_types.ts";
import { EMPTY_SUMMARY } from "./_empty_summary.ts";
import { RECORD_CAPTION_PROTOCOL } from "./_finished_run.ts";
import { twoEpochDiagnosis } from "./_training_curves.ts";
import type { BarTrace } from "../../lib/viz/figure.ts";

/** A summary with nothing finished: each test adds the part it reads. */
const empty = EMPTY_SUMMARY;

interface Trace {
  name?: string;
  mode?: string;
  x: unknown[];
  y: number[];
}

function noiseFigure(summary: ReproductionSummary): Trace[] {
  const withProtocol = {
    ...summary,
    figureProtocols: { main: {}, noiseLevel: RECORD_CAPTION_PROTOCOL },
  };
  const section = reportSections(withProtocol).find((s) =>
    s.kind === "figure" && s.figure.layout.title?.text === "Noise level (synthetic)"
  );
  return section?.kind === "figure" ? section.figure.data as Trace[] : [];
}

const level = (noiseFraction: number, multiModalStd: number, demureStd: number) => ({
  noiseFraction,
  multiModal: { mean: 0.1, std: multiModalStd, n: 3 },
  demure: { mean: 0.2, std: demureStd, n: 3 },
  gain: 0.1,
});

Deno.test("report: a noise level without SASRec-MM's std is not drawn, as one without Demure's", () => {
  // Found by mutation round OF (OF28): BG20 tried only Demure's std.
  const traces = noiseFigure({
    ...empty,
    noiseLevel: [level(0, 0.01, 0.02), level(0.25, NaN, 0.02), level(0.5, 0.01, 0.02)],
  });
  assertEquals(traces.filter((t) => t.mode !== undefined).map((t) => t.x), [[0, 0.5], [0, 0.5]]);
});

Deno.test("report: each system's noise-level band is its own ± std", () => {
  // Found by mutation round OF (OF29): the tests read the lines' means, never the bands.
  const traces = noiseFigure({
    ...empty,
    noiseLevel: [level(0, 0.01, 0.04), level(0.5, 0.02, 0.08)],
  });
  const band = (name: string) =>
    traces.find((t) => t.name === `${name} band`)?.y.map((y) => Number(y.toFixed(6)));
  // Upper edge along x, then the lower edge back.
  assertEquals(band("SASRec-MM"), [0.11, 0.12, 0.08, 0.09]);
  assertEquals(band("Demure-SASRec"), [0.24, 0.28, 0.12, 0.16]);
});

Deno.test("main-table figure: HR@10's error bars are HR@10's std, not NDCG@10's", () => {
  // Found by mutation round OF (OF36): the old fixtures had the same std for both metrics.
  const ndcg = meanStd([0.1, 0.2]);
  const hr = meanStd([0.1, 0.5]);
  const row: SystemSummary = {
    system: "SASRec-MM",
    dataset: "Synthetic",
    seeds: [0, 1],
    test: { "NDCG@10": ndcg, "HR@10": hr },
    valid: { "NDCG@10": ndcg, "HR@10": hr },
    meanTrainSeconds: 0,
  };
  const traces = mainTableFigure("Synthetic", [row], RECORD_CAPTION_PROTOCOL).figure
    .data as BarTrace[];
  assertEquals(traces.map((t) => [t.name, t.error_y?.array]), [
    ["NDCG@10", [ndcg.std]],
    ["HR@10", [hr.std]],
  ]);
});

Deno.test("report: every dataset's diagnosis gets its figures, not only the first", () => {
  // Found by mutation round OF (OF37): the fixtures held one diagnosis.
  const diagnosis = twoEpochDiagnosis;
  const titles = reportSections({
    ...empty,
    diagnosis: [diagnosis("Synthetic"), diagnosis("MovieLens")],
  }).flatMap((s) =>
    s.kind === "figure" && s.figure.layout.title?.text?.startsWith("Validation NDCG@10")
      ? [s.figure.layout.title.text]
      : []
  );
  assertEquals(titles, [
    "Validation NDCG@10 per epoch (Synthetic, seed 0)",
    "Validation NDCG@10 per epoch (MovieLens, seed 0)",
  ]);
});

Deno.test("diagnosisFigures: a warm-up of no epoch or of one reads so, never 'epochs 1-0' or '1-1'", () => {
  // Found by mutation round OF (reading html_report.ts:86): warmupEpochs 0 records
  // warmupEndedAfterEpoch 0 (lib/demure/_warmup.ts), and the captions read "epochs 1-0".
  const run = (system: string, warmupEndedAfterEpoch?: number) => ({
    system,
    seed: 0,
    epochs: [1, 2, 3],
    validNdcg: [0.1, 0.2, 0.3],
    recommendationLoss: [5, 4, 3],
    auxiliaryLoss: [0, 0.1, 0.1],
    bestEpoch: 3,
    ...(warmupEndedAfterEpoch === undefined ? {} : { warmupEndedAfterEpoch }),
  });
  const captions = (end: number | undefined) =>
    diagnosisFigures({
      dataset: "Synthetic",
      curves: [run("SASRec-MM"), run("Demure-SASRec", end)],
      noiseRateByModality: {},
      noiseRates: { measured: [], unmeasured: [] },
      curvesProtocol: RECORD_CAPTION_PROTOCOL,
      popularityProtocol: RECORD_CAPTION_PROTOCOL,
      popularity: [],
    }).map((section) => section.caption ?? "");
  for (
    const [end, words] of [
      [0, "no epoch"],
      [1, "epoch 1"],
      [2, "epochs 1-2"],
      [undefined, "its first training steps"],
    ] as const
  ) {
    const [valid, , contrastive] = captions(end);
    assertStringIncludes(
      valid,
      `Demure's warm-up (plain training without noise masks) takes ${words};`,
    );
    assertStringIncludes(contrastive, `for Demure during its warm-up (${words})`);
  }
});

Deno.test("diagnosisFigures: a bucket with a system's cells but no NDCG@10 is an error naming the system and bucket", () => {
  // Found by mutation round OF (OF38): the bucket was named by no test.
  const error = assertThrows(() =>
    diagnosisFigures({
      ...twoEpochDiagnosis("Synthetic"),
      popularity: [{
        label: "6-20",
        min: 6,
        max: 20,
        users: 9,
        // A summary read back from JSON is not type-checked: the metric can be missing.
        bySystem: {
          "SASRec-MM": { "HR@10": 0.1 },
          "Demure-SASRec": { "NDCG@10": 0.1, "HR@10": 0.2 },
        } as unknown as Record<string, { "NDCG@10": number; "HR@10": number }>,
      }],
    })
  );
  assertEquals(error.message, "diagnosisFigures: SASRec-MM has no test NDCG@10 in bucket 6-20");
});
