/**
 * Demure's per-epoch noise rates as figures read them: the records hold 0 for an epoch without a
 * mask (the warm-up) and only the epochs after a resume; a reader shows no rate there, with the
 * reason, instead of a measured 0 or a curve shifted to the wrong epochs.
 */
import { assertEquals, assertThrows } from "@std/assert";
import type { DemureStats } from "../../lib/demure/objective.ts";
import { NO_MASK_DRAWN } from "../../lib/demure/noise_rates.ts";
import {
  BEFORE_RESUME,
  epochNoiseRates,
  POOLED_AFTER_RESUME,
  WARMUP_EPOCH,
} from "../../lib/experiments/epoch_noise_rates.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";

const history = (epochs: number) =>
  Array.from({ length: epochs }, (_, i) => ({ epoch: i + 1 }) as EpochProgress);

const stats = (overrides: Partial<DemureStats> = {}): DemureStats => ({
  attributed: 4,
  reused: 0,
  random: 0,
  noiseRateByModality: { id: 0.1, year: 0.3 },
  pairsByModality: { id: { valid: 10, noise: 1 }, year: { valid: 10, noise: 3 } },
  ...overrides,
});

const rate = (id: number, year: number) => ({ id, year });
/** No pair of either modality ever under a mask. */
const NO_PAIRS = { id: { valid: 0, noise: 0 }, year: { valid: 0, noise: 0 } };
const nan = Number.NaN;

Deno.test("epochNoiseRates: the warm-up's recorded 0 is no rate; curves start after it", () => {
  // As the records of record hold them: 0 for every modality up to warmupEndedAfterEpoch.
  const rates = epochNoiseRates({
    history: history(4),
    noiseRateByEpoch: [rate(0, 0), rate(0, 0), rate(0.1, 0.3), rate(0, 0.4)],
    demure: stats({ warmupEndedAfterEpoch: 2 }),
  })!;
  assertEquals(rates.epochs, [1, 2, 3, 4]);
  // After the warm-up a 0 of one modality is measured (pairs were under a mask): it stays 0.
  assertEquals(rates.rates, { id: [nan, nan, 0.1, 0], year: [nan, nan, 0.3, 0.4] });
  assertEquals(rates.gaps, [{ first: 1, last: 2, reason: WARMUP_EPOCH }]);
  assertEquals(rates.firstMeasuredEpoch, 3);
  assertEquals(rates.unmeasured, []);
});

Deno.test("epochNoiseRates: warm-up by steps records no epoch; its leading all-0 epochs are it", () => {
  const rates = epochNoiseRates({
    history: history(3),
    noiseRateByEpoch: [rate(0, 0), rate(0.2, 0.1), rate(0.1, 0.2)],
    demure: stats(),
  })!;
  assertEquals(rates.rates.id, [nan, 0.2, 0.1]);
  assertEquals(rates.gaps, [{ first: 1, last: 1, reason: WARMUP_EPOCH }]);
  assertEquals(rates.firstMeasuredEpoch, 2);
});

Deno.test("epochNoiseRates: a resumed run's rates are its last epochs, the first one pooled", () => {
  // Resumed after epoch 3, after the warm-up (epoch 1): the record holds epochs 4-6, and epoch
  // 4's rate counted the restored pairs of epochs 2-3 as its own.
  const rates = epochNoiseRates({
    history: history(6),
    noiseRateByEpoch: [rate(0.15, 0.25), rate(0.2, 0.3), rate(0.1, 0.4)],
    demure: stats({ warmupEndedAfterEpoch: 1 }),
  })!;
  assertEquals(rates.rates.year, [nan, nan, nan, nan, 0.3, 0.4]);
  assertEquals(rates.gaps, [
    { first: 1, last: 3, reason: BEFORE_RESUME },
    { first: 4, last: 4, reason: POOLED_AFTER_RESUME },
  ]);
  assertEquals(rates.firstMeasuredEpoch, 5);
  // Resumed within the warm-up: nothing was counted before, so the first entry is its own.
  const early = epochNoiseRates({
    history: history(4),
    noiseRateByEpoch: [rate(0, 0), rate(0.2, 0.3), rate(0.1, 0.4)],
    demure: stats({ warmupEndedAfterEpoch: 2 }),
  })!;
  assertEquals(early.rates.id, [nan, nan, 0.2, 0.1]);
  assertEquals(early.gaps, [
    { first: 1, last: 1, reason: BEFORE_RESUME },
    { first: 2, last: 2, reason: WARMUP_EPOCH },
  ]);
  // Resumed right at the warm-up's end (after epoch 2 of a warm-up of 2): no epoch before the
  // resume was masked, so the first entry is its own rate too.
  const atEnd = epochNoiseRates({
    history: history(4),
    noiseRateByEpoch: [rate(0.2, 0.3), rate(0.1, 0.4)],
    demure: stats({ warmupEndedAfterEpoch: 2 }),
  })!;
  assertEquals(atEnd.rates.id, [nan, nan, 0.2, 0.1]);
  assertEquals(atEnd.gaps, [{ first: 1, last: 2, reason: BEFORE_RESUME }]);
  assertEquals(atEnd.firstMeasuredEpoch, 3);
});

Deno.test("epochNoiseRates: a run without any mask, or a modality never masked, has no rate", () => {
  // Without a recorded warm-up end (by steps) and with one (after epoch 1): no modality was ever
  // under a mask, so no epoch is the first measured, not even epoch 2, outside every gap.
  const never = (warmup: { warmupEndedAfterEpoch?: number }) =>
    epochNoiseRates({
      history: history(2),
      noiseRateByEpoch: [rate(0, 0), rate(0, 0)],
      demure: stats({ attributed: 0, pairsByModality: NO_PAIRS, ...warmup }),
    })!;
  for (const warmup of [{}, { warmupEndedAfterEpoch: 1 }]) {
    assertEquals(never(warmup).rates, { id: [nan, nan], year: [nan, nan] });
    assertEquals(never(warmup).firstMeasuredEpoch, undefined, JSON.stringify(warmup));
    assertEquals(never(warmup).unmeasured.map((u) => u.reason), [NO_MASK_DRAWN, NO_MASK_DRAWN]);
  }
  // A warm-up by steps that never ended: every epoch reads 0 and is warm-up, the last included.
  assertEquals(never({}).gaps, [{ first: 1, last: 2, reason: WARMUP_EPOCH }]);
  const noYear = epochNoiseRates({
    history: history(2),
    noiseRateByEpoch: [rate(0.2, 0), rate(0.3, 0)],
    demure: stats({
      pairsByModality: { id: { valid: 10, noise: 5 }, year: { valid: 0, noise: 0 } },
    }),
  })!;
  assertEquals(noYear.rates, { id: [0.2, 0.3], year: [nan, nan] });
  assertEquals(noYear.unmeasured.map((u) => u.modality), ["year"]);
});

Deno.test("epochNoiseRates: a record that does not fit its history is an error", () => {
  assertThrows(
    () =>
      epochNoiseRates({
        history: history(1),
        noiseRateByEpoch: [rate(0, 0), rate(0.1, 0.1)],
        demure: stats(),
      }),
    Error,
    "2 epochs of noise rates, the history has 1",
  );
  assertThrows(
    () =>
      epochNoiseRates({
        history: history(1),
        noiseRateByEpoch: [{ id: 0.1 }],
        demure: stats(),
      }),
    Error,
    "epoch 1 has no noise rate of year",
  );
  assertEquals(epochNoiseRates({ history: history(1) }), undefined);
});

Deno.test("epochNoiseRates: a rate held as null (a NaN written to JSON) is an error, not a rate", () => {
  // JSON has no NaN: a result file holds a missing rate as null, which is no number to draw.
  assertThrows(
    () =>
      epochNoiseRates({
        history: history(2),
        noiseRateByEpoch: [rate(0.1, 0.2), JSON.parse('{ "id": 0.1, "year": null }')],
        demure: stats(),
      }),
    Error,
    "epoch 2 has no noise rate of year (null)",
  );
});

Deno.test("epochNoiseRates: resumed with a warm-up by steps, the first recorded epoch is pooled", () => {
  // No warm-up end is recorded, so masks may have been drawn before the resume (after epoch 2):
  // epoch 3's recorded rate may pool them with its own.
  const rates = epochNoiseRates({
    history: history(4),
    noiseRateByEpoch: [rate(0.1, 0.2), rate(0.2, 0.3)],
    demure: stats(),
  })!;
  assertEquals(rates.rates.id, [nan, nan, nan, 0.2]);
  assertEquals(rates.gaps, [
    { first: 1, last: 2, reason: BEFORE_RESUME },
    { first: 3, last: 3, reason: POOLED_AFTER_RESUME },
  ]);
  assertEquals(rates.firstMeasuredEpoch, 4);
});

Deno.test("epochNoiseRates: a cell with rates but no Demure counters, or the reverse, has none", () => {
  // Both come from Demure: either alone is not a Demure cell (and `demure` holds the modalities).
  assertEquals(
    epochNoiseRates({ history: history(1), noiseRateByEpoch: [rate(0.1, 0.2)] }),
    undefined,
  );
  assertEquals(epochNoiseRates({ history: history(1), demure: stats() }), undefined);
});

Deno.test("epochNoiseRates: a resumed record's missing rate names the history's epoch", () => {
  // Resumed after epoch 1: the record's second entry is epoch 3, not epoch 2.
  assertThrows(
    () =>
      epochNoiseRates({
        history: history(3),
        noiseRateByEpoch: [rate(0.1, 0.2), { id: 0.1 }],
        demure: stats(),
      }),
    Error,
    "epoch 3 has no noise rate of year",
  );
});

Deno.test("epochNoiseRates: resumed within a warm-up by steps, the all-0 first entry is warm-up", () => {
  // Resumed after epoch 1: the record's first entry (epoch 2) reads 0 everywhere, so no mask was
  // drawn up to its end (it pools epochs 1-2): warm-up, not a pooled rate, and epoch 3 is its own.
  const rates = epochNoiseRates({
    history: history(4),
    noiseRateByEpoch: [rate(0, 0), rate(0.1, 0.2), rate(0.2, 0.3)],
    demure: stats(),
  })!;
  assertEquals(rates.rates.id, [nan, nan, 0.1, 0.2]);
  assertEquals(rates.gaps, [
    { first: 1, last: 1, reason: BEFORE_RESUME },
    { first: 2, last: 2, reason: WARMUP_EPOCH },
  ]);
  assertEquals(rates.firstMeasuredEpoch, 3);
});

Deno.test("epochNoiseRates: one modality never masked leaves the others' first measured epoch", () => {
  // Measured from epoch 1 (no warm-up), with year never under a mask: the first measured epoch is
  // id's, epoch 1 (index 0 of the history, which is no absence).
  const rates = epochNoiseRates({
    history: history(2),
    noiseRateByEpoch: [rate(0.2, 0), rate(0.3, 0)],
    demure: stats({
      pairsByModality: { id: { valid: 10, noise: 5 }, year: { valid: 0, noise: 0 } },
    }),
  })!;
  assertEquals(rates.gaps, []);
  assertEquals(rates.firstMeasuredEpoch, 1);
});

Deno.test("epochNoiseRates: with a recorded warm-up end, an all-0 epoch after it is a measured 0, not warm-up", () => {
  // The leading all-0 rule is for a warm-up by steps only (no end recorded): where the record
  // names the warm-up's end, every epoch after it is measured, whatever it reads.
  const rates = epochNoiseRates({
    history: history(3),
    noiseRateByEpoch: [rate(0, 0), rate(0, 0), rate(0.1, 0.2)],
    demure: stats({ warmupEndedAfterEpoch: 1 }),
  })!;
  assertEquals(rates.rates, { id: [nan, 0, 0.1], year: [nan, 0, 0.2] });
  assertEquals(rates.gaps, [{ first: 1, last: 1, reason: WARMUP_EPOCH }]);
  assertEquals(rates.firstMeasuredEpoch, 2);
});

Deno.test("epochNoiseRates: a warm-up of 0 epochs is recorded as ended after epoch 0: an all-0 epoch 1 is measured", () => {
  // Found by mutation round NF (NF14): warmupEndedAfterEpoch 0 (warmupBy "epochs", warmupEpochs 0)
  // is a recorded end, not a missing one; the leading all-0 rule is for a warm-up by steps.
  const rates = epochNoiseRates({
    history: history(2),
    noiseRateByEpoch: [rate(0, 0), rate(0.1, 0.2)],
    demure: stats({ warmupEndedAfterEpoch: 0 }),
  })!;
  assertEquals(rates.rates, { id: [0, 0.1], year: [0, 0.2] });
  assertEquals(rates.gaps, []);
  assertEquals(rates.firstMeasuredEpoch, 1);
});

Deno.test("epochNoiseRates: resumed one epoch after the warm-up's end, the first recorded epoch is pooled", () => {
  // Found by mutation round NF (NF17): warm-up of 2 epochs, resumed after epoch 3: epoch 3 was
  // masked before the resume, so epoch 4's rate pools it.
  const rates = epochNoiseRates({
    history: history(5),
    noiseRateByEpoch: [rate(0.1, 0.2), rate(0.2, 0.3)],
    demure: stats({ warmupEndedAfterEpoch: 2 }),
  })!;
  assertEquals(rates.rates.id, [nan, nan, nan, nan, 0.2]);
  assertEquals(rates.gaps, [
    { first: 1, last: 3, reason: BEFORE_RESUME },
    { first: 4, last: 4, reason: POOLED_AFTER_RESUME },
  ]);
  assertEquals(rates.firstMeasuredEpoch, 5);
});

Deno.test("epochNoiseRates: each refusal is named as the reader's, with the counts and the value found", () => {
  // Found by mutation round NF (NF15, NF16): the whole message, the function's name included
  // (a figure's caller sees only this line).
  const tooMany = assertThrows(() =>
    epochNoiseRates({
      history: history(1),
      noiseRateByEpoch: [rate(0, 0), rate(0.1, 0.1)],
      demure: stats(),
    })
  );
  assertEquals(tooMany.message, "epochNoiseRates: 2 epochs of noise rates, the history has 1");
  const missing = assertThrows(() =>
    epochNoiseRates({ history: history(1), noiseRateByEpoch: [{ id: 0.1 }], demure: stats() })
  );
  assertEquals(missing.message, "epochNoiseRates: epoch 1 has no noise rate of year (undefined)");
});

Deno.test("epochNoiseRates: an epoch held as null or a bare number is an error naming the epoch, not a TypeError", () => {
  // Found by mutation round NF (reading the refusals' second branch): a hand-edited result file
  // can hold null for an epoch's rates; reading a modality of it threw "Cannot read properties
  // of null" with no epoch named.
  for (const [entry, shown] of [["null", "null"], ["0.2", "0.2"]]) {
    const error = assertThrows(() =>
      epochNoiseRates({
        history: history(2),
        noiseRateByEpoch: [rate(0.1, 0.2), JSON.parse(entry)],
        demure: stats(),
      })
    );
    assertEquals(
      error.message,
      `epochNoiseRates: epoch 2 has no noise rates by modality (${shown})`,
    );
  }
});
