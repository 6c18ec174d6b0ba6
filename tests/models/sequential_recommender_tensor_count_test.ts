/**
 * SequentialRecommender's public calls leave no tensor behind but what they return, for both
 * backbones: building and disposing a model, forward and scoreLast (training or not, with given
 * weights), and their refusals (a bad setting, a modality's bad features found after earlier
 * modalities were built, a batch longer than maxLength, a batch whose arrays do not match its
 * shape, an item id outside the catalogue).
 */
import { assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { type Tensor3D, tf } from "../../lib/backend/tf.ts";
import type { InteractionDataset, SequenceBatch } from "../../lib/data/types.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { tinyDataset, TWO_FULL_HISTORIES, TWO_PADDED_HISTORIES } from "./_fixtures.ts";
import { assertFlatTensorCount, assertRefusalFlat, liveTensors } from "../_tensor_count.ts";

await initBackend({ verbose: false });

const BACKBONES = ["sasrec", "gru4rec"] as const;

/** tinyDataset with one genre value of item 3 not finite (found after "id" and "text" are built). */
function badGenreDataset(): InteractionDataset {
  const dataset = tinyDataset();
  const genre = dataset.modalities[2];
  const values = genre.values.slice();
  values[3 * genre.dim] = NaN;
  return {
    ...dataset,
    modalities: [dataset.modalities[0], dataset.modalities[1], { ...genre, values }],
  };
}

Deno.test("building and disposing a model leaves no tensor, nor does a refused build", async () => {
  for (const backbone of BACKBONES) {
    await assertFlatTensorCount(`${backbone} build + dispose`, () => {
      new SequentialRecommender(tinyDataset(), { backbone, dim: 8, maxLength: 6 }).dispose();
    });
    await assertRefusalFlat(
      `${backbone} bad setting`,
      () => new SequentialRecommender(tinyDataset(), { backbone, dim: 0 }),
      SettingError,
      "ModelConfig.dim",
    );
    await assertRefusalFlat(
      `${backbone} bad genre features`,
      () => new SequentialRecommender(badGenreDataset(), { backbone, dim: 8, maxLength: 6 }),
      Error,
      "column 0 is NaN (not finite)",
    );
  }
});

Deno.test("forward and scoreLast leave only what they return, training or not, weights given or not", async () => {
  for (const backbone of BACKBONES) {
    const model = new SequentialRecommender(tinyDataset(), {
      backbone,
      dim: 8,
      maxLength: 6,
      sasrec: { dropout: 0.3 },
      gru4rec: { dropout: 0.3 },
    });
    const weights = tf.fill([2, 6, 3], 0.5) as Tensor3D;
    try {
      for (const batch of [TWO_FULL_HISTORIES, TWO_PADDED_HISTORIES]) {
        const given = batch.length === 6 ? { weights } : {};
        for (const training of [false, true]) {
          await assertFlatTensorCount(`${backbone} forward L=${batch.length} ${training}`, () => {
            const out = model.forward(batch, { ...given, training, dropoutSeed: 4 });
            assertEquals(Object.keys(out).length, 6);
            tf.dispose(Object.values(out));
          });
        }
        await assertFlatTensorCount(`${backbone} scoreLast L=${batch.length}`, () => {
          const before = liveTensors();
          const scores = model.scoreLast(batch, given.weights);
          assertEquals(liveTensors(), before + 1, "only the scores are new");
          scores.dispose();
        });
      }
    } finally {
      weights.dispose();
      model.dispose();
    }
  }
});

Deno.test("forward and scoreLast refusals of a batch leave no tensor", async () => {
  const long: SequenceBatch = {
    users: Int32Array.of(0),
    items: Int32Array.of(0, 1, 2, 3, 4, 5, 0),
    valid: new Float32Array(7).fill(1),
    batchSize: 1,
    length: 7,
  };
  const misshapen: SequenceBatch = { ...TWO_FULL_HISTORIES, length: 5 };
  for (const backbone of BACKBONES) {
    const model = new SequentialRecommender(tinyDataset(), { backbone, dim: 8, maxLength: 6 });
    try {
      model.scoreLast(TWO_FULL_HISTORIES).dispose(); // whatever the model builds once
      if (backbone === "sasrec") {
        await assertRefusalFlat(
          "sasrec longer than maxLength",
          () => model.scoreLast(long),
          Error,
          "sequence length 7 exceeds maxLength 6",
        );
      }
      await assertRefusalFlat(
        `${backbone} arrays unlike the shape`,
        () => model.forward(misshapen),
        Error,
        "the tensor should have 10 values but has 12",
      );
      const outside: SequenceBatch = {
        ...TWO_FULL_HISTORIES,
        items: Int32Array.from(TWO_FULL_HISTORIES.items, (item, i) => i === 3 ? 6 : item),
      };
      await assertRefusalFlat(
        `${backbone} item id outside the catalogue`,
        () => model.scoreLast(outside),
        Error,
        "GatherV2: index 6 at position 3 is not in [0, 5]",
      );
    } finally {
      model.dispose();
    }
  }
});
