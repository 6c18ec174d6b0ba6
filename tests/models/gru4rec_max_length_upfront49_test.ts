/**
 * A model reads histories of at most `ModelConfig.maxLength` positions, whatever its backbone.
 * `trainModel` refuses a split longer than that for both backbones; evaluation, attribution and
 * explanations do not pass through that check. SASRec refused such a batch (its positions stop at
 * maxLength); GRU4Rec, which has no position table, read the whole longer history without a word.
 * Now the model refuses it for both, with one message naming both settings, and leaves no tensor.
 */
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { tf } from "../../lib/backend/tf.ts";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import { evaluationBatches } from "../../lib/data/protocol/batcher.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { checkSequenceLength } from "../../lib/models/backbone.ts";
import { evaluateRanking } from "../../lib/eval/evaluate.ts";
import { modelScorer } from "../../lib/eval/scorer.ts";
import { attributeBatch } from "../../lib/attribution/attribute_batch.ts";
import { ATTRIBUTION_METHODS } from "../../lib/attribution/types.ts";
import { withNextItemTargets } from "../../lib/attribution/sequence_loss.ts";
import { explainRecommendations } from "../../lib/explain/explain.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import { tinyDataset } from "../data/_tiny_dataset.ts";
import { assertRefusalFlat } from "../_tensor_count.ts";

await initBackend({ verbose: false });

/** Two users of 8 interactions: 6 training items, so a split of maxLength 5 holds 5 positions. */
const HISTORIES = [[0, 1, 2, 3, 4, 5, 0, 1], [1, 2, 3, 0, 5, 4, 3, 2]];
const LONG = leaveOneOutSplit(tinyDataset(HISTORIES, 6), { maxLength: 5 });
const SHORT = leaveOneOutSplit(tinyDataset(HISTORIES, 6), { maxLength: 3 });
const WHO = { sasrec: "SasRec", gru4rec: "Gru4Rec" } as const;

function modelOf(backbone: "sasrec" | "gru4rec", maxLength: number): SequentialRecommender {
  return new SequentialRecommender(LONG.dataset, { backbone, dim: 8, maxLength, seed: 3 });
}

Deno.test("checkSequenceLength: refuses past maxLength only, naming both settings", () => {
  checkSequenceLength("X", 3, 3);
  checkSequenceLength("X", 1, 3);
  const error = assertThrows(() => checkSequenceLength("X", 4, 3), Error);
  assertEquals(
    error.message,
    "X: sequence length 4 exceeds maxLength 3 (ModelConfig.maxLength, the longest history the " +
      "model reads): histories of 4 need a model built with maxLength >= 4, or a split with " +
      "SplitConfig.maxLength <= 3",
  );
});

Deno.test("evaluation, attribution, explanations and the model's own passes refuse a split longer than a GRU4Rec's maxLength, as a SASRec's, leaving no tensor", async () => {
  for (const backbone of ["gru4rec", "sasrec"] as const) {
    const model = modelOf(backbone, 3);
    const refusal = `${
      WHO[backbone]
    }: sequence length 5 exceeds maxLength 3 (ModelConfig.maxLength`;
    try {
      await assertRefusalFlat(
        `${backbone} evaluation`,
        () => evaluateRanking(modelScorer(model), LONG, { stage: "test", cutoffs: [1] }),
        Error,
        refusal,
      );
      const [{ batch, targets }] = evaluationBatches(LONG, "test", 2);
      for (const method of ATTRIBUTION_METHODS) {
        await assertRefusalFlat(
          `${backbone} ${method}`,
          () =>
            attributeBatch(model, withNextItemTargets(batch, targets), {
              method,
              integratedGradientsSteps: 2,
            }),
          Error,
          refusal,
        );
      }
      await assertRefusalFlat(
        `${backbone} explanations`,
        () => explainRecommendations(model, LONG, { users: 2 }),
        Error,
        refusal,
      );
      // The passes Demure's and CL4SRec's views call directly.
      await assertRefusalFlat(`${backbone} forward`, () => model.forward(batch), Error, refusal);
      const fused = tf.zeros([2, 5, 8]) as tf.Tensor3D;
      const valid = tf.ones([2, 5]) as tf.Tensor2D;
      for (const pass of ["userStates", "lastStates"] as const) {
        await assertRefusalFlat(
          `${backbone} ${pass}`,
          () => model[pass](fused, valid, false),
          Error,
          refusal,
        );
      }
      tf.dispose([fused, valid]);
      // trainModel's own check of the split, before any step, is unchanged.
      await assertRejects(
        () => trainModel(model, LONG, { maxEpochs: 1 }, { onProgress: () => {} }),
        Error,
        "split.maxLength 5 exceeds the model's maxLength 3",
      );
    } finally {
      model.dispose();
    }
  }
});

Deno.test("a GRU4Rec reads a split as long as its maxLength or shorter as before: the same scores whatever its maxLength", async () => {
  // GRU4Rec has no parameter that depends on maxLength: models of maxLength 3 and 5 built with one
  // seed are the same model, and a split of 3 positions fits both.
  const results = [];
  for (const maxLength of [3, 5]) {
    const model = modelOf("gru4rec", maxLength);
    const result = await evaluateRanking(modelScorer(model), SHORT, {
      stage: "test",
      cutoffs: [1, 2],
    });
    results.push(result.perUser);
    model.dispose();
  }
  assertEquals(results[0], results[1]);
  assert(Object.keys(results[0]).length > 0);
  // The longer split fits the longer model.
  const model = modelOf("gru4rec", 5);
  const long = await evaluateRanking(modelScorer(model), LONG, { stage: "test", cutoffs: [1] });
  assertEquals(long.users.length, 2);
  model.dispose();
});
