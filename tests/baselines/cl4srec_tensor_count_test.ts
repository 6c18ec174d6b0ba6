/**
 * CL4SRec's term leaves no tensor behind: a whole training run with cl4srecAuxiliaryLoss (each
 * loss form) once its model is disposed, and a refused setting.
 */
import { initBackend } from "../../lib/backend/init_backend.ts";
import { cl4srecAuxiliaryLoss, type Cl4SRecConfig } from "../../lib/baselines/mod.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { trainModel } from "../../lib/train/mod.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";
import { assertFlatTensorCount, assertRefusalFlat } from "../_tensor_count.ts";

await initBackend({ verbose: false });

const split = leaveOneOut(tinyDataset(), 4);

/** Trains a fresh model 2 epochs of 2 steps with the CL4SRec term, then disposes it. */
async function cl4srecRun(config: Partial<Cl4SRecConfig>): Promise<void> {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  try {
    await trainModel(model, split, { maxEpochs: 2, batchSize: 2, patience: 2, seed: 3 }, {
      auxiliaryLoss: cl4srecAuxiliaryLoss(config),
      onProgress: () => {},
    });
  } finally {
    model.dispose();
  }
}

Deno.test("a training run with the CL4SRec term leaves no tensor, for each loss form", async () => {
  for (const loss of ["one_way", "nt_xent"] as const) {
    await assertFlatTensorCount(loss, () => cl4srecRun({ loss }));
  }
});

Deno.test("a refused CL4SRec setting leaves no tensor", async () => {
  await assertRefusalFlat(
    "bad weight",
    () => cl4srecRun({ weight: -1 }),
    SettingError,
    "Cl4SRecConfig.weight",
  );
});
