/**
 * A batch's contrastive views are built from its noise mask AND its scores: where a view would
 * lose every present modality of a position, keep_one restores the one the scores pick (the
 * highest-scoring one in the positive view, the lowest in the negative view), not the lowest
 * modality index. A high rho makes such positions common on the tiny dataset.
 */
import { assertEquals, assertGreater, assertNotEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { resolveDemureConfig } from "../../lib/demure/config.ts";
import { BatchNoise } from "../../lib/demure/_batch_noise.ts";
import { historyKeys, validMaskOf } from "../../lib/demure/_batch_pairs.ts";
import { NoiseCounts } from "../../lib/demure/_noise_counts.ts";
import { Warmup } from "../../lib/demure/_warmup.ts";
import { buildContrastiveViews } from "../../lib/demure/views.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { batch, split } from "./_one_batch.ts";

await initBackend({ verbose: false });

Deno.test("batch views: keep_one follows the attributed scores the cache holds, not the modality order", async () => {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const config = resolveDemureConfig({
    attributionSource: "separate_pass",
    warmupSteps: 0,
    rho: 0.9,
  });
  const noise = new BatchNoise(
    model,
    config,
    new NoiseCounts(model.modalityNames),
    new Warmup(config),
  );
  const views = await noise.viewsFor(batch, 0);
  const { noiseMask, scores } = noise.cache!.lookup(historyKeys(batch), batch.items);
  const shape: [number, number, number] = [batch.batchSize, batch.length, model.numModalities];
  const validMask = validMaskOf(model, batch);
  const expected = buildContrastiveViews(validMask, noiseMask, shape, { scores });
  assertEquals(views, expected);
  // The fixture discriminates: positions were restored, and by the modality order alone the
  // restored modalities would differ.
  assertGreater(expected.restoredPositive + expected.restoredNegative, 0);
  const byOrder = buildContrastiveViews(validMask, noiseMask, shape);
  assertNotEquals([byOrder.positive, byOrder.negative], [expected.positive, expected.negative]);
  model.dispose();
});
