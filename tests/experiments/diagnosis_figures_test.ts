/** Each diagnosis figure has a caption of its own that reads numbers off the curves correctly. */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { modalityNoiseRates } from "../../lib/demure/noise_rates.ts";
import { epochNoiseRates } from "../../lib/experiments/epoch_noise_rates.ts";
import { diagnosisFigures } from "../../lib/experiments/html_report.ts";
import type { Diagnosis, RunCurves } from "../../lib/experiments/summary_types.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";
import { RECORD_CAPTION_PROTOCOL } from "./_finished_run.ts";
import { popularityBucket } from "./_popularity_bucket.ts";

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

const demureStats = {
  attributed: 2,
  reused: 0,
  random: 0,
  noiseRateByModality: { id: 0.11, year: 0.34 },
  pairsByModality: { id: { valid: 100, noise: 11 }, year: { valid: 100, noise: 34 } },
};

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
      noiseRate: epochNoiseRates({
        history: [1, 2, 3, 4].map((epoch) => ({ epoch }) as EpochProgress),
        // As recorded: 0 in the warm-up's epochs, which had no mask.
        noiseRateByEpoch: [{ id: 0, year: 0 }, { id: 0, year: 0 }, { id: 0.1, year: 0.3 }, {
          id: 0.12,
          year: 0.38,
        }],
        demure: { ...demureStats, warmupEndedAfterEpoch: 2 },
      }),
    }),
  ],
  noiseRateByModality: { id: 0.11, year: 0.34 },
  noiseRates: modalityNoiseRates(demureStats),
  curvesProtocol: RECORD_CAPTION_PROTOCOL,
  popularityProtocol: { ...RECORD_CAPTION_PROTOCOL, seeds: [0, 1, 2], aggregate: "mean" },
  popularity: [popularityBucket()],
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
  // At the same epoch, never each run at its own best epoch (3 and 4: 6.5 against 6.6).
  assertStringIncludes(
    loss,
    "Compared at the same epoch: at epoch 4 (Demure-SASRec's best, the last both ran) " +
      "SASRec-MM 6.4000, Demure-SASRec 6.6000.",
  );
  assertStringIncludes(contrastive, "lambda·L_cl is 0.0500 against L_rec 6.6000");
  assertStringIncludes(noise, "from year 0.38 down to id 0.12");
  assertStringIncludes(noise, "The curves start at epoch 3, the first with a measured rate");
  assertStringIncludes(noise, "no rate at epochs 1-2 (Demure's warm-up, when no noise mask");
  assertStringIncludes(popularity, "0-5 interactions (52 users) -0.0050");
});

Deno.test("diagnosisFigures: a popularity bucket without a system has no bar and says why, never 0", () => {
  // A bucket without a system (a system with no cells): summary.md prints "–", and the figure
  // threw, so report.html was not written at all.
  const incomplete: Diagnosis = {
    ...diagnosis,
    popularity: [{
      ...diagnosis.popularity[0],
      bySystem: { "SASRec-MM": { "NDCG@10": 0.02, "HR@10": 0.04 } },
    }],
  };
  const section = diagnosisFigures(incomplete)[4];
  const bars = section.figure.data;
  assertEquals(bars.map((trace) => trace.type === "bar" ? trace.y : undefined), [[0.02], [null]]);
  assertStringIncludes(section.caption ?? "", "(Demure-SASRec has no cells)");
  assertEquals(
    bars[0].type === "bar" ? bars[0].x : undefined,
    [`${diagnosis.popularity[0].label} (${diagnosis.popularity[0].users} users: no value)`],
  );
});

Deno.test("diagnosisFigures: the warm-up's recorded 0 is no point of the noise-rate curves", () => {
  // The record holds 0 for epochs 1-2 (no mask was drawn); drawn, it read as a measured 0.
  const noise = diagnosisFigures(diagnosis)[3].figure;
  for (const trace of noise.data) {
    assertEquals(trace.type === "scatter" ? trace.x : undefined, [3, 4]);
  }
});

Deno.test("diagnosisFigures: an empty popularity bucket has no bar and says why, never 0", () => {
  const empty: Diagnosis = {
    ...diagnosis,
    popularity: [...diagnosis.popularity, {
      label: ">= 21",
      min: 21,
      max: Infinity,
      users: 0,
      bySystem: {
        "SASRec-MM": { "NDCG@10": Number.NaN, "HR@10": Number.NaN },
        "Demure-SASRec": { "NDCG@10": Number.NaN, "HR@10": Number.NaN },
      },
    }],
  };
  const section = diagnosisFigures(empty)[4];
  const bars = section.figure.data.map((trace) => trace.type === "bar" ? trace.y : undefined);
  assertEquals(bars, [[0.02, null], [0.015, null]]);
  const categories = section.figure.data[0].type === "bar" ? section.figure.data[0].x : [];
  assertEquals(categories[1], ">= 21 (0 users: no value)");
  assertStringIncludes(
    section.caption!,
    ">= 21 interactions (0 users) – (no test user's item has >= 21 training interactions)",
  );
});

Deno.test("diagnosisFigures: L_rec is compared at the same epochs, not at each run's best", () => {
  // The records' MovieLens runs: SASRec-MM best at 72 (6.0366), Demure at 62 (6.1321); at 62
  // SASRec-MM's L_rec is 6.1432, so "Demure fits slower" read off the best epochs was wrong.
  const epochs = Array.from({ length: 72 }, (_, i) => i + 1);
  const loss = (at62: number, at72: number) =>
    epochs.map((e) => (e === 62 ? at62 : e === 72 ? at72 : 7));
  const runs: Diagnosis = {
    ...diagnosis,
    curves: [
      run("SASRec-MM", {
        epochs,
        validNdcg: epochs.map(() => 0.07),
        recommendationLoss: loss(6.1432, 6.0366),
        auxiliaryLoss: epochs.map(() => 0),
        bestEpoch: 72,
      }),
      run("Demure-SASRec", {
        epochs,
        validNdcg: epochs.map(() => 0.07),
        recommendationLoss: loss(6.1321, 6.0256),
        auxiliaryLoss: epochs.map(() => 0.02),
        bestEpoch: 62,
      }),
    ],
  };
  const caption = diagnosisFigures(runs)[1].caption!;
  assertStringIncludes(
    caption,
    "at epoch 62 (Demure-SASRec's best) SASRec-MM 6.1432, Demure-SASRec 6.1321; " +
      "at epoch 72 (the last both ran) SASRec-MM 6.0366, Demure-SASRec 6.0256.",
  );
  assertEquals(caption.includes("6.1321") && caption.includes("At the best epoch"), false);
});

Deno.test("diagnosisFigures: runs of different lengths are compared at the last epoch both ran", () => {
  const [backbone, demure] = diagnosis.curves;
  const longer = run("SASRec-MM", {
    epochs: [1, 2, 3, 4, 5, 6],
    validNdcg: [0.01, 0.02, 0.05, 0.04, 0.03, 0.02],
    recommendationLoss: [8, 7, 6.5, 6.4, 6.3, 6.2],
    auxiliaryLoss: [0, 0, 0, 0, 0, 0],
  });
  assertEquals(backbone.system, longer.system);
  const [, loss] = diagnosisFigures({
    ...diagnosis,
    curves: [longer, { ...demure, bestEpoch: 2 }],
  }).map((section) => section.caption!);
  assertStringIncludes(
    loss,
    "Compared at the same epoch: at epoch 2 (Demure-SASRec's best) SASRec-MM 7.0000, " +
      "Demure-SASRec 7.2000; at epoch 4 (the last both ran) SASRec-MM 6.4000, " +
      "Demure-SASRec 6.6000.",
  );
});

// Found by mutation round BG: what the records never show (BG02, BG05, BG06, BG09, BG12-BG14).

Deno.test("diagnosisFigures: a best epoch without a curve point is an error naming the run", () => {
  const [backbone, demure] = diagnosis.curves;
  assertThrows(
    () => diagnosisFigures({ ...diagnosis, curves: [backbone, { ...demure, bestEpoch: 9 }] }),
    Error,
    "diagnosisFigures: Demure-SASRec's best epoch 9 has no curve point",
  );
});

Deno.test("diagnosisFigures: an epoch only one run reached is no comparison point", () => {
  // Demure ran two epochs past the backbone and was best at its last: epoch 6 has no SASRec-MM
  // value, so only epoch 4 compares the two.
  const [backbone, demure] = diagnosis.curves;
  const longer = {
    ...demure,
    epochs: [1, 2, 3, 4, 5, 6],
    validNdcg: [0.01, 0.03, 0.04, 0.06, 0.07, 0.08],
    recommendationLoss: [8, 7.2, 6.8, 6.6, 6.5, 6.45],
    auxiliaryLoss: [0, 0, 0.09, 0.05, 0.04, 0.03],
    bestEpoch: 6,
    noiseRate: undefined,
  };
  const loss = diagnosisFigures({ ...diagnosis, curves: [backbone, longer] })[1].caption!;
  assertStringIncludes(
    loss,
    "Compared at the same epoch: at epoch 4 (the last both ran) SASRec-MM 6.4000, " +
      "Demure-SASRec 6.6000.",
  );
  assertEquals(loss.includes("epoch 6"), false, loss);
  // Runs with no epoch in common say so instead of an empty comparison.
  const apart = diagnosisFigures({
    ...diagnosis,
    curves: [
      run("SASRec-MM", {
        epochs: [1, 2],
        validNdcg: [0.01, 0.02],
        recommendationLoss: [8, 7],
        auxiliaryLoss: [0, 0],
        bestEpoch: 2,
      }),
      {
        ...longer,
        epochs: [3, 4],
        validNdcg: [0.04, 0.06],
        recommendationLoss: [6.8, 6.6],
        auxiliaryLoss: [0.09, 0.05],
        bestEpoch: 4,
      },
    ],
  })[1].caption!;
  assertStringIncludes(apart, "The two runs share no epoch to compare.");
  assertEquals(apart.includes("Compared at the same epoch"), false, apart);
});

Deno.test("diagnosisFigures: no noise-rate figure for a run without a measured epoch", () => {
  const [backbone, demure] = diagnosis.curves;
  const titles = (noiseRate: RunCurves["noiseRate"]) =>
    diagnosisFigures({ ...diagnosis, curves: [backbone, { ...demure, noiseRate }] })
      .map((section) => section.figure.layout.title!.text);
  const withoutNoise = [
    "Validation NDCG@10 per epoch (MovieLens, seed 0)",
    "Recommendation loss L_rec per epoch (MovieLens, seed 0)",
    "Weighted contrastive loss lambda·L_cl per epoch (MovieLens, seed 0)",
    "Test NDCG@10 by the test item's popularity (MovieLens)",
  ];
  assertEquals(titles(undefined), withoutNoise);
  // Recorded but never measured (every epoch in a gap): no figure of empty curves either.
  assertEquals(
    titles({
      epochs: [1, 2, 3, 4],
      rates: { id: [NaN, NaN, NaN, NaN] },
      gaps: [{ first: 1, last: 4, reason: "warm-up" }],
      unmeasured: [],
    }),
    withoutNoise,
  );
});

Deno.test("diagnosisFigures: a one-epoch gap reads 'epoch 1'; a modality never measured is said, not drawn", () => {
  const [backbone, demure] = diagnosis.curves;
  const noiseRate = {
    epochs: [1, 2, 3, 4],
    rates: { id: [NaN, 0.1, 0.11, 0.12], text: [NaN, NaN, NaN, NaN] },
    gaps: [{ first: 1, last: 1, reason: "warm-up" }],
    unmeasured: [{ modality: "text", reason: "no text in any history" }],
    firstMeasuredEpoch: 2,
  };
  const noise = diagnosisFigures({ ...diagnosis, curves: [backbone, { ...demure, noiseRate }] })
    .find((section) => section.figure.layout.title!.text.startsWith("Share masked as noise"))!;
  assertStringIncludes(
    noise.caption!,
    "the first with a measured rate; no rate at epoch 1 (warm-up). ",
  );
  assertStringIncludes(noise.caption!, "text has no rate (no text in any history). ");
  assertStringIncludes(noise.caption!, "they run from id 0.12 down to id 0.12.");
  assertEquals(noise.figure.data.map((trace) => trace.name), ["id"]);
});
