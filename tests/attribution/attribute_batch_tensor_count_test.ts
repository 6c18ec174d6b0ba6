/**
 * attributeBatch, the attribution of a model's batch, leaves no tensor behind for both backbones,
 * every method, integrated gradients' two baselines, both normalisations, both granularities and
 * both loss positions; and neither does a refusal: a setting out of range, an item id outside the
 * catalogue, a batch whose arrays do not match its shape, a history longer than the model's
 * maxLength (refused inside the differentiated loss).
 */
import { initBackend } from "../../lib/backend/init_backend.ts";
import { attributeBatch, type AttributionConfig } from "../../lib/attribution/mod.ts";
import { ATTRIBUTION_METHODS } from "../../lib/attribution/types.ts";
import { withNextItemTargets } from "../../lib/attribution/sequence_loss.ts";
import type { SequenceBatch } from "../../lib/data/types.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { tinyDataset, TWO_FULL_HISTORIES, TWO_PADDED_HISTORIES } from "../models/_fixtures.ts";
import { assertFlatTensorCount, assertRefusalFlat } from "../_tensor_count.ts";

await initBackend({ verbose: false });

const batch = withNextItemTargets(TWO_PADDED_HISTORIES, Int32Array.of(3, 0));

Deno.test("attributeBatch leaves no tensor, for each backbone, method, setting and loss positions", async () => {
  const configs: Partial<AttributionConfig>[] = [
    ...ATTRIBUTION_METHODS.map((method) => ({ method, integratedGradientsSteps: 2 })),
    {
      method: "integrated_gradients",
      integratedGradientsSteps: 2,
      integratedGradientsBaseline: "masked",
    },
    { normalisation: "rank", granularity: "user_modality" },
    { selection: { kind: "threshold", threshold: 0 } },
  ];
  for (const backbone of ["sasrec", "gru4rec"] as const) {
    const model = new SequentialRecommender(tinyDataset(), { backbone, dim: 8, maxLength: 3 });
    try {
      for (const config of configs) {
        for (const positions of ["all", "last"] as const) {
          await assertFlatTensorCount(
            `${backbone} ${JSON.stringify(config)} ${positions}`,
            () => attributeBatch(model, batch, config, positions),
          );
        }
      }
    } finally {
      model.dispose();
    }
  }
});

Deno.test("attributeBatch's refusals leave no tensor", async () => {
  const model = new SequentialRecommender(tinyDataset(), { dim: 8, maxLength: 3 });
  const outside: SequenceBatch = { ...batch, items: Int32Array.of(0, 1, 2, 3, 9, 5) };
  const misshapen: SequenceBatch = { ...batch, length: 2 };
  try {
    await assertRefusalFlat(
      "no integrated gradients step",
      () =>
        attributeBatch(model, batch, {
          method: "integrated_gradients",
          integratedGradientsSteps: 0,
        }),
      SettingError,
      "integratedGradientsSteps",
    );
    await assertRefusalFlat(
      "item outside the catalogue",
      () => attributeBatch(model, outside),
      Error,
      "GatherV2: index 9",
    );
    await assertRefusalFlat(
      "arrays unlike the shape",
      () => attributeBatch(model, misshapen),
      Error,
      "the tensor should have 4 values but has 6",
    );
    // Refused by the backbone inside the differentiated loss: the tape's inputs go too.
    const long = withNextItemTargets(TWO_FULL_HISTORIES, Int32Array.of(3, 0));
    for (const method of ATTRIBUTION_METHODS) {
      await assertRefusalFlat(
        `${method}: longer than maxLength`,
        () => attributeBatch(model, long, { method, integratedGradientsSteps: 2 }),
        Error,
        "sequence length 6 exceeds maxLength 3",
      );
    }
  } finally {
    model.dispose();
  }
});
