/**
 * BatchNoise, the noise set of a training batch: contrastive_only draws fresh random pairs at every
 * step (a fixed draw would be a fixed mask, not the ablation of record), and an attributed mask
 * keeps the attribution's normalised scores, which keep_one reads to choose the modality a view
 * restores.
 */
import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { attributeBatch } from "../../lib/attribution/attribute_batch.ts";
import { noiseAttributionConfig, resolveDemureConfig } from "../../lib/demure/config.ts";
import type { DemureConfig } from "../../lib/demure/config.ts";
import { BatchNoise } from "../../lib/demure/_batch_noise.ts";
import { historyKeys, validMaskOf } from "../../lib/demure/_batch_pairs.ts";
import { NoiseCounts } from "../../lib/demure/_noise_counts.ts";
import { Warmup } from "../../lib/demure/_warmup.ts";
import {
  buildContrastiveViews,
  randomNoiseMask,
  randomNoiseMaskByRow,
} from "../../lib/demure/views.ts";
import type { PairShape } from "../../lib/attribution/types.ts";
import type { SequenceBatch } from "../../lib/data/types.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { hashSeeds } from "../../lib/util/random.ts";
import { batch, split } from "./_one_batch.ts";

await initBackend({ verbose: false });

function batchNoise(input: Partial<DemureConfig>) {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const config = resolveDemureConfig({ warmupSteps: 0, ...input });
  const counts = new NoiseCounts(model.modalityNames);
  const noise = new BatchNoise(model, config, counts, new Warmup(config));
  return { model, config, noise, counts };
}

Deno.test("contrastive_only: another step draws other pairs; the same step and seed the same ones", async () => {
  const first = batchNoise({ variant: "contrastive_only", rho: 0.4 });
  const second = batchNoise({ variant: "contrastive_only", rho: 0.4 });
  const step1 = await first.noise.viewsFor(batch, 1);
  const step2 = await first.noise.viewsFor(batch, 2);
  const again2 = await second.noise.viewsFor(batch, 2);
  assert(step1 && step2 && again2);
  assertNotEquals(Array.from(step1.positive), Array.from(step2.positive), "fresh pairs per step");
  assertEquals(Array.from(again2.positive), Array.from(step2.positive), "seeded by run and step");
  first.model.dispose();
  second.model.dispose();
});

Deno.test("an attributed mask is cached with the attribution's normalised scores, not without them", async () => {
  const { model, config, noise } = batchNoise({
    variant: "full",
    attributionSource: "separate_pass",
    rho: 0.4,
  });
  const views = await noise.viewsFor(batch, 0);
  assert(views !== undefined);
  const reference = await attributeBatch(model, batch, noiseAttributionConfig(config));
  const stored = noise.cache!.lookup(historyKeys(batch), batch.items);
  assertEquals(Array.from(stored.noiseMask), Array.from(reference.noiseMask));
  let scored = 0;
  reference.normalised.forEach((z, i) => {
    if (Number.isNaN(z)) return;
    scored++;
    assert(Math.abs(stored.scores[i] - z) <= 1e-6 * (1 + Math.abs(z)), `score ${i}`);
  });
  assert(scored > 0, "the batch has valid pairs");
  model.dispose();
});

Deno.test("schedule: a training-pass mask never ages out, whatever everyVisits says; separate pass keeps it", () => {
  // On the training pass each applied step's capture replaces the window's mask, so only a first
  // visit (or a changed window) is attributed apart; an age limit would attribute apart again
  // after a step whose capture was not stored (a skipped, non-finite step).
  const capture = batchNoise({
    attributionSource: "training_pass",
    denoiseInput: false,
    everyVisits: 1,
  });
  assertEquals(capture.noise.schedule(), { warmupSteps: 0, everyVisits: Number.MAX_SAFE_INTEGER });
  const separate = batchNoise({
    attributionSource: "separate_pass",
    everyVisits: 3,
    warmupSteps: 2,
  });
  assertEquals(separate.noise.schedule(), { warmupSteps: 2, everyVisits: 3 });
  capture.model.dispose();
  separate.model.dispose();
});

Deno.test("random masks draw the configured rho's count: contrastive_only by pair, random_input by modality", async () => {
  // A pair mask's count does not depend on its seed (the reference draws with seed 0); a
  // modality mask's pairs do (modalities differ in presence): the reference takes the users' seeds.
  for (const rho of [0.2, 0.7]) {
    for (const variant of ["contrastive_only", "random_input"] as const) {
      const { model, config, noise, counts } = batchNoise({ variant, rho });
      assert(await noise.viewsFor(batch, 1));
      const noisePairs = Object.values(counts.byModality().pairsByModality)
        .reduce((sum, pairs) => sum + pairs.noise, 0);
      const validMask = validMaskOf(model, batch);
      const shape: PairShape = [batch.batchSize, batch.length, model.numModalities];
      const reference = variant === "contrastive_only"
        ? randomNoiseMask(validMask, shape, rho, 0)
        : randomNoiseMaskByRow(
          validMask,
          shape,
          rho,
          Array.from(batch.users, (user) => hashSeeds(model.config.seed, user, 23)),
          config.attribution.granularity,
        );
      const expected = reference.noiseMask.reduce((sum, flag) => sum + flag, 0);
      assertEquals(noisePairs, expected, `${variant} at rho ${rho}`);
      assertEquals(noise.random, 1);
      model.dispose();
    }
  }
});

/** `batch` with its rows in reverse order (the same users, in other rows). */
function reversedRows(source: SequenceBatch): SequenceBatch {
  const rows = Array.from({ length: source.batchSize }, (_, b) => source.batchSize - 1 - b);
  const length = source.length;
  const byRow = <T extends Int32Array | Float32Array>(values: T, width: number): T => {
    const out = values.slice() as T;
    rows.forEach((from, to) =>
      out.set(values.subarray(from * width, (from + 1) * width), to * width)
    );
    return out;
  };
  return {
    ...source,
    users: byRow(source.users, 1),
    items: byRow(source.items, length),
    valid: byRow(source.valid, length),
    ...(source.targets ? { targets: byRow(source.targets, length) } : {}),
    ...(source.windows ? { windows: byRow(source.windows, 1) } : {}),
  };
}

Deno.test("random_input: a user's held-out modalities follow the user, not the batch row", async () => {
  // The control of attribution_only holds one draw per user for the whole run: a user whose
  // history lands in another row of another batch keeps it (a draw per row would not).
  const { model, noise } = batchNoise({ variant: "random_input", rho: 0.5 });
  const inOrder = await noise.viewsFor(batch, 1);
  const reversed = await noise.viewsFor(reversedRows(batch), 2);
  assert(inOrder && reversed);
  const perRow = batch.length * model.numModalities;
  const row = (views: typeof inOrder, b: number) =>
    Array.from(views.positive.subarray(b * perRow, (b + 1) * perRow));
  for (let b = 0; b < batch.batchSize; b++) {
    assertEquals(row(reversed, batch.batchSize - 1 - b), row(inOrder, b), `user ${batch.users[b]}`);
  }
  model.dispose();
});

Deno.test("random masks are the draws of record: contrastive_only from (seed, step, 17), random_input from (seed, user, 23)", async () => {
  // The ablation records were made with these streams: another salt draws other masks at every
  // step and moves every contrastive_only and random_input number off its record, while the tests
  // above (a count, a step against a step, a user against the same user) still pass.
  for (const variant of ["contrastive_only", "random_input"] as const) {
    const { model, config, noise } = batchNoise({ variant, rho: 0.5 });
    const views = await noise.viewsFor(batch, 5);
    assert(views);
    const validMask = validMaskOf(model, batch);
    const shape: PairShape = [batch.batchSize, batch.length, model.numModalities];
    const seed = model.config.seed;
    const drawn = variant === "contrastive_only"
      ? randomNoiseMask(validMask, shape, config.rho, hashSeeds(seed, 5, 17))
      : randomNoiseMaskByRow(
        validMask,
        shape,
        config.rho,
        Array.from(batch.users, (user) => hashSeeds(seed, user, 23)),
        config.attribution.granularity,
      );
    const expected = buildContrastiveViews(validMask, drawn.noiseMask, shape, {
      scores: drawn.scores,
    });
    assertEquals(views, expected, variant);
    model.dispose();
  }
});

Deno.test("random masks wait for the warm-up by epochs too: no views, no draw, no count before it ends", async () => {
  // The warm-up is plain training for every variant: a contrastive_only or random_input run that
  // drew views during it would train another model than the records' and count its pairs.
  for (const variant of ["contrastive_only", "random_input"] as const) {
    const { model, noise, counts } = batchNoise({ variant, warmupBy: "epochs", warmupEpochs: 1 });
    assertEquals(await noise.viewsFor(batch, 5), undefined, variant);
    assertEquals(noise.random, 0, variant);
    const pairs = Object.values(counts.byModality().pairsByModality);
    assertEquals(pairs.every(({ valid }) => valid === 0), true, variant);
    model.dispose();
  }
});

Deno.test("random masks: keep_one restores the modality the draw's scores pick, not the modality order", async () => {
  // At rho 0.9 many positions lose every modality; the view restores one, chosen by the random
  // scores drawn with the mask (as the ablation records were made), not always the first.
  const { model, config, noise } = batchNoise({ variant: "contrastive_only", rho: 0.9 });
  const views = await noise.viewsFor(batch, 5);
  assert(views);
  const validMask = validMaskOf(model, batch);
  const shape: PairShape = [batch.batchSize, batch.length, model.numModalities];
  const drawn = randomNoiseMask(validMask, shape, config.rho, hashSeeds(model.config.seed, 5, 17));
  assert(views.restoredPositive + views.restoredNegative > 0, "positions were restored");
  const byOrder = buildContrastiveViews(validMask, drawn.noiseMask, shape);
  assertNotEquals([views.positive, views.negative], [byOrder.positive, byOrder.negative]);
  model.dispose();
});
