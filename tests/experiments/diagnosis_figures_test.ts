/** Each diagnosis figure has a caption of its own that reads numbers off the curves correctly. */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { diagnosisFigures } from "../../lib/experiments/html_report.ts";
import type { Diagnosis, RunCurves } from "../../lib/experiments/summary.ts";

const run = (system: string, overrides: Partial<RunCurves> = {}): RunCurves => ({
  system,
  seed: 0,
  epochs: [1, 2, 3, 4],
  validNdcg: [0.01, 0.02, 0.05, 0.04],
  recommendationLoss: [8, 7, 6.5, 6.4],
  auxiliaryLoss: [0, 0, 0, 0],
  bestEpoch: 3,
  ...overrides,
});

const diagnosis: Diagnosis = {
  dataset: "MovieLens",
  curves: [
    run("SASRec-MM"),
    run("Demure-SASRec", {
      validNdcg: [0.01, 0.03, 0.04, 0.06],
      recommendationLoss: [8, 7.2, 6.8, 6.6],
      auxiliaryLoss: [0, 0, 0.09, 0.05],
      bestEpoch: 4,
      warmupEndedAfterEpoch: 2,
      noiseRate: { id: [0, 0, 0.1, 0.12], year: [0, 0, 0.3, 0.38] },
    }),
  ],
  noiseRateByModality: { id: 0.11, year: 0.34 },
  popularity: [
    {
      label: "0-5",
      min: 0,
      max: 5,
      users: 52,
      bySystem: {
        "SASRec-MM": { "NDCG@10": 0.02, "HR@10": 0.04 },
        "Demure-SASRec": { "NDCG@10": 0.015, "HR@10": 0.03 },
      },
    },
  ],
};

Deno.test("diagnosisFigures: one caption per figure, none repeating its title or another's", () => {
  const sections = diagnosisFigures(diagnosis);
  assertEquals(sections.length, 5);
  const captions = sections.map((section) => section.caption!);
  assertEquals(new Set(captions).size, captions.length);
  for (const section of sections) {
    const title = section.figure.layout.title!.text;
    assertEquals(section.caption!.includes(title), false, title);
    // The title names the figure; the dataset is in every title, not repeated per caption.
    assertStringIncludes(title, "MovieLens");
  }
});

Deno.test("diagnosisFigures: the captions read the best epoch, the warm-up and the gaps right", () => {
  const [valid, loss, contrastive, noise, popularity] = diagnosisFigures(diagnosis).map((section) =>
    section.caption!
  );
  assertStringIncludes(valid, "SASRec-MM 0.0500 at epoch 3, Demure-SASRec 0.0600 at epoch 4");
  assertStringIncludes(valid, "takes epochs 1-2");
  assertStringIncludes(loss, "At the best epoch: SASRec-MM 6.5000, Demure-SASRec 6.6000.");
  assertStringIncludes(contrastive, "lambda·L_cl is 0.0500 against L_rec 6.6000");
  assertStringIncludes(noise, "from year 0.38 down to id 0.12");
  assertStringIncludes(popularity, "0-5 interactions (52 users) -0.0050");
});

Deno.test("diagnosisFigures: a popularity bucket without a system is an error, not a 0 bar", () => {
  const incomplete: Diagnosis = {
    ...diagnosis,
    popularity: [{
      ...diagnosis.popularity[0],
      bySystem: { "SASRec-MM": { "NDCG@10": 0.02, "HR@10": 0.04 } },
    }],
  };
  assertThrows(() => diagnosisFigures(incomplete), Error, "Demure-SASRec has no test NDCG@10");
});
