/**
 * Gaps found by mutation round MH: the noise counts count a batch's valid pairs only, through
 * BatchNoise as well as by hand: a padding position or a missing modality is no pair, and a noise
 * flag at such a pair (none should be there) is no noise either.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { resolveDemureConfig } from "../../lib/demure/config.ts";
import { BatchNoise } from "../../lib/demure/_batch_noise.ts";
import { validMaskOf } from "../../lib/demure/_batch_pairs.ts";
import { NoiseCounts, type SavedNoiseCounts } from "../../lib/demure/_noise_counts.ts";
import { Warmup } from "../../lib/demure/_warmup.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { batch, split } from "./_one_batch.ts";

await initBackend({ verbose: false });

Deno.test("NoiseCounts: a noise flag at padding or a missing modality is not counted as noise (MH06)", () => {
  const counts = new NoiseCounts(["id", "text"]);
  // Pairs (position, modality): valid at 0 and 3 only; noise flags at 1 and 2 (invalid) and 3.
  counts.add(Uint8Array.of(1, 0, 0, 1), Uint8Array.of(0, 1, 1, 1));
  assertEquals(counts.byModality().pairsByModality, {
    id: { valid: 1, noise: 0 },
    text: { valid: 1, noise: 1 },
  });
});

Deno.test("BatchNoise: the counts hold the batch's valid pairs per modality, not its padding (MH03)", async () => {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  try {
    const config = resolveDemureConfig({ warmupSteps: 0, variant: "contrastive_only", rho: 0.4 });
    const counts = new NoiseCounts(model.modalityNames);
    const noise = new BatchNoise(model, config, counts, new Warmup(config));
    const validMask = validMaskOf(model, batch);
    // The fixture must hold padding (or a missing modality), else the test says nothing.
    assert(validMask.some((v) => v === 0), "the batch has an invalid pair");
    const views = await noise.viewsFor(batch, 1);
    assert(views);
    const modalities = model.numModalities;
    const expected: Record<string, number> = {};
    model.modalityNames.forEach((name, m) => {
      let valid = 0;
      for (let i = m; i < validMask.length; i += modalities) valid += validMask[i];
      expected[name] = valid;
    });
    const pairs = counts.byModality().pairsByModality;
    const got: Record<string, number> = {};
    for (const name of model.modalityNames) got[name] = pairs[name].valid;
    assertEquals(got, expected);
  } finally {
    model.dispose();
  }
});

Deno.test("NoiseCounts.checkSaved: counts of MORE modalities than the model has are refused by name too (MH09)", () => {
  // A checkpoint of a three-modality run resumed on a two-modality model: the extra count would
  // have been a RangeError from Float64Array.set, naming no field.
  const counts = new NoiseCounts(["id", "text"]);
  const refused: [SavedNoiseCounts, string][] = [
    [
      { noiseCount: [0, 0, 0], validCount: [0, 0] },
      "noiseCount counts 3 modalities, the model has 2",
    ],
    [
      { noiseCount: [0, 0], validCount: [0, 0, 0] },
      "validCount counts 3 modalities, the model has 2",
    ],
  ];
  for (const [saved, message] of refused) {
    const error = assertThrows(() => counts.checkSaved(saved), Error);
    assertEquals(error.message, `Demure checkpoint state: ${message}`);
  }
});

Deno.test("NoiseCounts.checkSaved: per-epoch counts of another modality count, or missing, are refused by name", () => {
  // A short epochs.noiseAtEnd used to be set over the first modalities only (the rest kept 0, so
  // the next epoch's rate pooled the whole run there), a long one threw a bare RangeError.
  const counts = new NoiseCounts(["id", "text"]);
  const good = { noiseCount: [1, 2], validCount: [3, 4] };
  const epochs = { rates: [], noiseAtEnd: [0, 0], validAtEnd: [0, 0] };
  counts.checkSaved({ ...good, epochs });
  const refused: [SavedNoiseCounts["epochs"], string][] = [
    [{ ...epochs, noiseAtEnd: [0] }, "epochs.noiseAtEnd counts 1 modalities, the model has 2"],
    [
      { ...epochs, validAtEnd: [0, 0, 0] },
      "epochs.validAtEnd counts 3 modalities, the model has 2",
    ],
    [
      { rates: [], validAtEnd: [0, 0] } as unknown as SavedNoiseCounts["epochs"],
      "no field epochs.noiseAtEnd (an array of counts)",
    ],
    [
      { noiseAtEnd: [0, 0], validAtEnd: [0, 0] } as unknown as SavedNoiseCounts["epochs"],
      "no field epochs.rates (an array of rates per epoch)",
    ],
  ];
  for (const [saved, message] of refused) {
    const error = assertThrows(() => counts.checkSaved({ ...good, epochs: saved }), Error);
    assertEquals(error.message, `Demure checkpoint state: ${message}`);
  }
});
