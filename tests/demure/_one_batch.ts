/**
 * The one-batch fixture of the Demure step tests: the tiny dataset's split (L = 4), its first
 * batch of 4 in file order, the trainer settings of that batch (seed 3), and the training-pass
 * route's settings.
 */
import { trainingBatches } from "../../lib/data/protocol/batcher.ts";
import type { DemureConfig } from "../../lib/demure/config.ts";
import { resolveTrainerConfig } from "../../lib/train/config.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";

/** The tiny dataset, split with histories of at most 4. */
export const split = leaveOneOut(tinyDataset(), 4);
/** The trainer settings of {@linkcode batch}: batch size 4, seed 3. */
export const trainer = resolveTrainerConfig({ batchSize: 4, seed: 3 });
/** The first training batch of epoch 0, unshuffled. */
export const [batch] = trainingBatches(split, 0, { batchSize: 4, seed: 3, shuffle: false });

/** Demure on the training-pass route, from the second step, L_rec on the full history. */
export const TRAINING_PASS: Partial<DemureConfig> = {
  attributionSource: "training_pass",
  denoiseInput: false,
  warmupSteps: 1,
  rho: 0.4,
  // A large lambda: were L_cl's gradient in the tapped one, a comparison of gradients would see it.
  lambda: 0.5,
};
