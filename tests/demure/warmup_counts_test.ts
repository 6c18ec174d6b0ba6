/**
 * Two of Demure's run records, by hand: the epoch after which the warm-up ended stays the first
 * one that ended it (later epochs do not move it), and the noise counts count valid pairs only
 * (padding and missing modalities are no pairs of the views).
 */
import { assertEquals, assertThrows } from "@std/assert";
import { NoiseCounts, type SavedNoiseCounts } from "../../lib/demure/_noise_counts.ts";
import { type SavedWarmup, Warmup } from "../../lib/demure/_warmup.ts";
import { epochProgress as progress } from "./_epoch_progress.ts";

Deno.test("Warmup: the epoch that ended the warm-up is kept when later epochs end", () => {
  const byEpochs = new Warmup({ warmupBy: "epochs", warmupEpochs: 2 });
  byEpochs.afterEpoch(progress(1, true));
  assertEquals([byEpochs.over, byEpochs.endedAfterEpoch], [false, undefined]);
  for (const epoch of [2, 3, 4]) byEpochs.afterEpoch(progress(epoch, true));
  assertEquals([byEpochs.over, byEpochs.endedAfterEpoch], [true, 2]);
  // Plateau of 1: epoch 1 gains, epoch 2 does not (ends it), epoch 3 does not either.
  const byPlateau = new Warmup({ warmupBy: "plateau", warmupEpochs: 1 });
  for (const [epoch, improved] of [[1, true], [2, false], [3, false]] as const) {
    byPlateau.afterEpoch(progress(epoch, improved));
  }
  assertEquals([byPlateau.over, byPlateau.endedAfterEpoch], [true, 2]);
});

Deno.test("Warmup: 0 epochs by epochs is over before the first epoch; 0 by plateau waits for an epoch", () => {
  // warmupEpochs 0 means no plain training at all: Demure from the first step (ended "after
  // epoch 0"), not after one epoch of plain training.
  const none = new Warmup({ warmupBy: "epochs", warmupEpochs: 0 });
  assertEquals([none.over, none.endedAfterEpoch], [true, 0]);
  none.afterEpoch(progress(1, true));
  assertEquals(none.endedAfterEpoch, 0);
  // A plateau of 0 evaluations is read at the first epoch's end.
  const plateau = new Warmup({ warmupBy: "plateau", warmupEpochs: 0 });
  assertEquals([plateau.over, plateau.endedAfterEpoch], [false, undefined]);
  plateau.afterEpoch(progress(1, true));
  assertEquals([plateau.over, plateau.endedAfterEpoch], [true, 1]);
});

Deno.test("Warmup: a plateau counts validated epochs only; an epoch without validation is no loss of gain", () => {
  // Plateau of 1: epoch 1 gains; epochs 2 and 3 are not validated (TrainerConfig.evalEvery),
  // so they say nothing about a plateau; epoch 4 is validated without a gain and ends it.
  const plateau = new Warmup({ warmupBy: "plateau", warmupEpochs: 1 });
  plateau.afterEpoch(progress(1, true));
  for (const epoch of [2, 3]) {
    plateau.afterEpoch({ ...progress(epoch, false), validation: undefined });
    assertEquals([plateau.over, plateau.endedAfterEpoch], [false, undefined], `epoch ${epoch}`);
  }
  plateau.afterEpoch(progress(4, false));
  assertEquals([plateau.over, plateau.endedAfterEpoch], [true, 4]);
});

Deno.test("Warmup: a checkpoint without the warm-up's state is refused before anything is set", () => {
  const warmup = new Warmup({ warmupBy: "plateau", warmupEpochs: 1 });
  for (const [epoch, improved] of [[1, true], [2, false]] as const) {
    warmup.afterEpoch(progress(epoch, improved));
  }
  assertEquals(warmup.saved(), { endedAfterEpoch: 2, epochsWithoutGain: 1 });
  assertThrows(() => warmup.overWith(undefined), Error, "no warm-up state for warmupBy plateau");
  assertThrows(() => warmup.restore(undefined), Error, "no warm-up state for warmupBy plateau");
  // Both fields used to be reset before the refusal: the warm-up read as not over.
  assertEquals([warmup.over, warmup.saved()], [true, { endedAfterEpoch: 2, epochsWithoutGain: 1 }]);
  // What a restore would make of a checkpoint, told without restoring it.
  assertEquals(warmup.overWith({ endedAfterEpoch: null, epochsWithoutGain: 0 }), false);
  assertEquals(warmup.overWith({ endedAfterEpoch: 0, epochsWithoutGain: 0 }), true);
  assertEquals(warmup.over, true);
  // A warm-up by steps needs no state (the mask schedule holds it).
  assertEquals(new Warmup({ warmupBy: "steps", warmupEpochs: 3 }).overWith(undefined), true);
});

Deno.test("NoiseCounts: only valid pairs are counted, per modality", () => {
  // 2 modalities; flat pairs 0..5 = (position 0: m0, m1), (position 1: m0, m1), (position 2: m0, m1).
  // Valid: m0 at positions 0 and 1, m1 at position 1 only (missing at 0, padding at 2).
  const counts = new NoiseCounts(["id", "text"]);
  counts.add(Uint8Array.of(1, 0, 1, 1, 0, 0), Uint8Array.of(1, 0, 0, 1, 0, 0));
  const { noiseRateByModality, pairsByModality } = counts.byModality();
  assertEquals(pairsByModality, { id: { valid: 2, noise: 1 }, text: { valid: 1, noise: 1 } });
  assertEquals(noiseRateByModality, { id: 0.5, text: 1 });
  counts.closeEpoch();
  assertEquals(counts.rateByEpoch(), [{ id: 0.5, text: 1 }]);
});

Deno.test("NoiseCounts: each epoch's rate reads that epoch's pairs only, not the run's", () => {
  const counts = new NoiseCounts(["id"]);
  counts.add(Uint8Array.of(1, 1), Uint8Array.of(1, 0)); // epoch 1: 1 noise of 2 pairs
  counts.closeEpoch();
  counts.add(Uint8Array.of(1, 1), Uint8Array.of(1, 1)); // epoch 2: 2 noise of 2 pairs
  counts.closeEpoch();
  counts.closeEpoch(); // epoch 3: no pair (0, as the records hold it)
  assertEquals(counts.rateByEpoch(), [{ id: 0.5 }, { id: 1 }, { id: 0 }]);
  assertEquals(counts.byModality().pairsByModality, { id: { valid: 4, noise: 3 } });
});

Deno.test("NoiseCounts: a checkpoint's counts restore the epochs' rates and where the last ended", () => {
  const counts = new NoiseCounts(["id", "text"]);
  counts.add(Uint8Array.of(1, 1), Uint8Array.of(1, 0)); // epoch 1
  counts.closeEpoch();
  counts.add(Uint8Array.of(1, 1, 1, 1), Uint8Array.of(0, 0, 1, 1)); // epoch 2, still open
  const resumed = new NoiseCounts(["id", "text"]);
  resumed.restore(JSON.parse(JSON.stringify(counts.saved())));
  for (const run of [counts, resumed]) run.closeEpoch();
  // Epoch 2 reads its own 2 pairs per modality, not the run's 3: the resumed run as the other.
  assertEquals(resumed.rateByEpoch(), [{ id: 1, text: 0 }, { id: 0.5, text: 0.5 }]);
  assertEquals(resumed.rateByEpoch(), counts.rateByEpoch());
  assertEquals(resumed.byModality(), counts.byModality());
});

Deno.test("NoiseCounts.checkSaved: noise or valid counts of another modality count are refused by name", () => {
  const counts = new NoiseCounts(["id", "text"]);
  counts.checkSaved({ noiseCount: [0, 0], validCount: [0, 0] });
  // The field that differs is named with its length: validCount's used to be reported as
  // noiseCount's ("2 modalities, the model has 2").
  const refused: [SavedNoiseCounts, string][] = [
    [{ noiseCount: [0], validCount: [0, 0] }, "noiseCount counts 1 modalities, the model has 2"],
    [{ noiseCount: [0, 0], validCount: [0] }, "validCount counts 1 modalities, the model has 2"],
  ];
  for (const [saved, message] of refused) {
    const error = assertThrows(() => counts.checkSaved(saved), Error);
    assertEquals(error.message, `Demure checkpoint state: ${message}`);
  }
  // A checkpoint without a count field: named, not a TypeError about reading "length".
  for (const field of ["noiseCount", "validCount"] as const) {
    const { [field]: _, ...rest } = { noiseCount: [0, 0], validCount: [0, 0] };
    const error = assertThrows(() => counts.checkSaved(rest as SavedNoiseCounts), Error);
    assertEquals(
      error.message,
      `Demure checkpoint state: no field ${field} (an array of counts)`,
    );
  }
});

Deno.test("Warmup.restore: a checkpoint without warm-up state is refused unless the warm-up is by steps", () => {
  for (const warmupBy of ["epochs", "plateau"] as const) {
    const warmup = new Warmup({ warmupBy, warmupEpochs: 2 });
    assertThrows(
      () => warmup.restore(undefined),
      Error,
      `Demure checkpoint state: no warm-up state for warmupBy ${warmupBy}`,
    );
  }
  // By steps the mask schedule holds the warm-up: nothing to restore, and Demure is on.
  const bySteps = new Warmup({ warmupBy: "steps", warmupEpochs: 2 });
  bySteps.restore(undefined);
  assertEquals(bySteps.over, true);
});

Deno.test("NoiseCounts: an epoch's rate is rounded to 6 decimals; the run's rate is not", () => {
  // The records of record hold the epoch rates at 6 decimals: a rerun must write the same text.
  const counts = new NoiseCounts(["id"]);
  counts.add(Uint8Array.of(1, 1, 1), Uint8Array.of(1, 0, 0)); // 1 noise of 3 pairs
  counts.closeEpoch();
  assertEquals(counts.rateByEpoch(), [{ id: 0.333333 }]);
  assertEquals(counts.byModality().noiseRateByModality, { id: 1 / 3 });
});

Deno.test("NoiseCounts: a modality without a pair has the run's rate NaN (not 0) and zero counts", () => {
  // NaN tells "never seen" from "seen, never noise"; the epoch rate of such an epoch is 0 (above).
  const counts = new NoiseCounts(["id", "text"]);
  counts.add(Uint8Array.of(1, 0), Uint8Array.of(0, 0)); // id: 1 pair, no noise; text: none
  const { noiseRateByModality, pairsByModality } = counts.byModality();
  assertEquals(noiseRateByModality.id, 0);
  assertEquals(Number.isNaN(noiseRateByModality.text), true);
  assertEquals(pairsByModality.text, { valid: 0, noise: 0 });
});

Deno.test("NoiseCounts: from a checkpoint without per-epoch counts the first epoch pools the ones before", () => {
  // Saved before 2026-12-04: no `epochs`. The epoch ends are taken as zeros, so the first epoch
  // after the resume reads all the run's pairs (epochNoiseRates reads it so); the next its own.
  const resumed = new NoiseCounts(["id"]);
  resumed.restore({ noiseCount: [1], validCount: [2] });
  resumed.add(Uint8Array.of(1, 1), Uint8Array.of(1, 1));
  resumed.closeEpoch();
  resumed.add(Uint8Array.of(1, 1, 1, 1), Uint8Array.of(1, 0, 0, 0));
  resumed.closeEpoch();
  assertEquals(resumed.rateByEpoch(), [{ id: 0.75 }, { id: 0.25 }]);
  assertEquals(resumed.byModality().pairsByModality, { id: { valid: 8, noise: 4 } });
});

Deno.test("NoiseCounts.restore copies the saved epoch rates: a later change to the object is not read", () => {
  const saved: SavedNoiseCounts = {
    noiseCount: [1],
    validCount: [2],
    epochs: { rates: [{ id: 0.5 }], noiseAtEnd: [1], validAtEnd: [2] },
  };
  const resumed = new NoiseCounts(["id"]);
  resumed.restore(saved);
  saved.epochs!.rates[0].id = 9;
  saved.epochs!.rates.push({ id: 9 });
  assertEquals(resumed.rateByEpoch(), [{ id: 0.5 }]);
});

Deno.test("NoiseCounts.saved is a snapshot: epochs closed after it do not change it", () => {
  // It handed out the live list of epoch rates: a checkpoint object kept past the next
  // closeEpoch gained that epoch's rates while its counts stayed those of the save.
  const counts = new NoiseCounts(["id"]);
  counts.add(Uint8Array.of(1, 1), Uint8Array.of(1, 0));
  counts.closeEpoch();
  const saved = counts.saved();
  const before = JSON.parse(JSON.stringify(saved));
  counts.add(Uint8Array.of(1), Uint8Array.of(1));
  counts.closeEpoch();
  assertEquals(saved, before);
  saved.epochs.rates[0].id = 9;
  assertEquals(counts.rateByEpoch(), [{ id: 0.5 }, { id: 1 }]);
});

Deno.test("Warmup: a warm-up of 0 epochs restored from its checkpoint is still over after epoch 0", () => {
  // endedAfterEpoch 0 is a value, not "not ended": read as falsy it would switch Demure off until
  // the next epoch's end, which the resumed run would then report as the warm-up's end.
  const config = { warmupBy: "epochs", warmupEpochs: 0 } as const;
  const saved = JSON.parse(JSON.stringify(new Warmup(config).saved()));
  assertEquals(saved, { endedAfterEpoch: 0, epochsWithoutGain: 0 });
  const resumed = new Warmup(config);
  resumed.restore(saved);
  assertEquals([resumed.over, resumed.endedAfterEpoch], [true, 0]);
});

Deno.test("Warmup: a saved warm-up whose field is missing or not a count is refused by name, before anything is set", () => {
  // A missing epochsWithoutGain used to be read as 0 (a plateau resumed mid-count ended late) and
  // a missing endedAfterEpoch as "not over" (Demure off until the next epoch's end, which the
  // resumed run then reported as the warm-up's end).
  const warmup = new Warmup({ warmupBy: "plateau", warmupEpochs: 2 });
  warmup.afterEpoch(progress(1, false));
  const before = warmup.saved();
  const refused: [unknown, string][] = [
    [{ endedAfterEpoch: null }, "field warmup.epochsWithoutGain is missing, not a count"],
    [
      { endedAfterEpoch: null, epochsWithoutGain: -1 },
      "field warmup.epochsWithoutGain is -1, not a count",
    ],
    [{ epochsWithoutGain: 1 }, "field warmup.endedAfterEpoch is missing, not null or a count"],
    [
      { endedAfterEpoch: 1.5, epochsWithoutGain: 1 },
      "field warmup.endedAfterEpoch is 1.5, not null or a count",
    ],
  ];
  for (const [saved, message] of refused) {
    for (
      const call of [
        () => warmup.overWith(saved as SavedWarmup),
        () => warmup.restore(saved as SavedWarmup),
      ]
    ) {
      const error = assertThrows(call, Error);
      assertEquals(error.message, `Demure checkpoint state: ${message}`);
    }
  }
  assertEquals(warmup.saved(), before);
});

Deno.test("NoiseCounts: an epoch's rate is rounded to the nearest 6th decimal, not truncated", () => {
  // 2 of 3 pairs: 0.666667 as the records of record write it (truncation would give 0.666666).
  const counts = new NoiseCounts(["id"]);
  counts.add(Uint8Array.of(1, 1, 1), Uint8Array.of(1, 1, 0));
  counts.closeEpoch();
  assertEquals(counts.rateByEpoch(), [{ id: 0.666667 }]);
});

Deno.test("NoiseCounts.checkSaved: a count field that is not an array is refused, even with the right length", () => {
  // A string of two characters has length 2: it passed as 2 modalities' counts and restored NaN.
  const counts = new NoiseCounts(["id", "text"]);
  for (const field of ["noiseCount", "validCount"] as const) {
    const saved = { noiseCount: [0, 0], validCount: [0, 0], [field]: "12" };
    const error = assertThrows(
      () => counts.checkSaved(saved as unknown as SavedNoiseCounts),
      Error,
    );
    assertEquals(error.message, `Demure checkpoint state: no field ${field} (an array of counts)`);
  }
});
