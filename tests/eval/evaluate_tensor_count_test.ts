/**
 * evaluateRanking of a model (modelScorer) leaves no tensor behind, over one batch or many, for
 * both backbones and both stages, and neither does a refusal: a bad setting, a scorer for another
 * catalogue, or a model whose scores are not finite (refused after they were read).
 */
import { initBackend } from "../../lib/backend/init_backend.ts";
import { type Tensor2D, type Tensor3D, tf } from "../../lib/backend/tf.ts";
import type { SequenceBatch } from "../../lib/data/types.ts";
import { evaluateRanking, modelScorer } from "../../lib/eval/mod.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { cycleDataset, leaveOneOut, tinyDataset } from "../models/_fixtures.ts";
import { assertFlatTensorCount, assertRefusalFlat } from "../_tensor_count.ts";

await initBackend({ verbose: false });

Deno.test("evaluateRanking of a model leaves no tensor, one batch or many, both stages and backbones", async () => {
  const split = leaveOneOut(tinyDataset(), 4);
  for (const backbone of ["sasrec", "gru4rec"] as const) {
    const model = new SequentialRecommender(split.dataset, { backbone, dim: 8, maxLength: 4 });
    try {
      for (const stage of ["valid", "test"] as const) {
        for (const chunkSize of [1, 64]) {
          await assertFlatTensorCount(
            `${backbone} ${stage} chunk ${chunkSize}`,
            () => evaluateRanking(modelScorer(model), split, { stage, chunkSize }),
          );
        }
      }
    } finally {
      model.dispose();
    }
  }
});

Deno.test("evaluateRanking's refusals of a model leave no tensor", async () => {
  const split = leaveOneOut(tinyDataset(), 4);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4 });
  const other = new SequentialRecommender(cycleDataset(4, 9, 6), { dim: 8, maxLength: 4 });
  // Scores NaN for every item: refused while ranking, after the model's tensor was read.
  class NaNScores extends SequentialRecommender {
    override scoreLast(batch: SequenceBatch, weights?: Tensor3D): Tensor2D {
      return tf.tidy(() => tf.mul(super.scoreLast(batch, weights), NaN) as Tensor2D);
    }
  }
  const broken = new NaNScores(split.dataset, { dim: 8, maxLength: 4 });
  try {
    await assertRefusalFlat(
      "bad cutoffs",
      () => evaluateRanking(modelScorer(model), split, { stage: "test", cutoffs: [0] }),
      SettingError,
      "cutoffs",
    );
    await assertRefusalFlat(
      "another catalogue",
      () => evaluateRanking(modelScorer(other), split, { stage: "test" }),
      Error,
      "scorer has 9 items, the dataset 6",
    );
    await assertRefusalFlat(
      "NaN scores",
      () => evaluateRanking(modelScorer(broken), split, { stage: "test" }),
      Error,
      "scores its target item 4 NaN",
    );
  } finally {
    model.dispose();
    other.dispose();
    broken.dispose();
  }
});
