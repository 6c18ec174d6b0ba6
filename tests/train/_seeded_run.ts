/**
 * The determinism tests' training run (tests/<area>/*_seed_test.ts): a small model on the tiny
 * dataset trained for 2 epochs, and what it computed, the clock's times left out.
 */
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  type ModelConfigInput,
  SequentialRecommender,
} from "../../lib/models/sequential_recommender.ts";
import type { TrainerConfig, TrainerHooks } from "../../lib/train/config.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

/** The tiny dataset, histories of at most 6. */
export const SEEDED_SPLIT = leaveOneOut(tinyDataset(), 6);

/** What a run computed: its epochs' losses and validations, and every weight's values. */
export interface RunNumbers {
  epochs: Omit<EpochProgress, "epochSeconds" | "stepSeconds" | "secondsLeftAtMost">[];
  weights: Record<string, Float32Array>;
}

/** The weights of `model`, by parameter name. */
export function weightsOf(model: SequentialRecommender): Record<string, Float32Array> {
  return Object.fromEntries(
    model.parameters.names().map((name) => [name, model.parameters.get(name).dataSync()]),
  ) as Record<string, Float32Array>;
}

/**
 * Trains a model of `modelConfig` (its seed `modelSeed`) on {@linkcode SEEDED_SPLIT} for 2
 * epochs of batches of 2 with `trainer` at `trainerSeed`, with the hooks `hooksFor` builds for
 * that model (and `extra` read from it after training); the model is disposed.
 */
export async function seededRun<T = undefined>(
  modelConfig: ModelConfigInput,
  modelSeed: number,
  trainer: Partial<TrainerConfig>,
  trainerSeed: number,
  hooksFor: (model: SequentialRecommender) => { hooks: TrainerHooks; extra?: () => T } = () => ({
    hooks: {},
  }),
): Promise<RunNumbers & { extra: T | undefined }> {
  const model = new SequentialRecommender(SEEDED_SPLIT.dataset, {
    ...modelConfig,
    seed: modelSeed,
  });
  try {
    const { hooks, extra } = hooksFor(model);
    const epochs: RunNumbers["epochs"] = [];
    await trainModel(
      model,
      SEEDED_SPLIT,
      { maxEpochs: 2, batchSize: 2, ...trainer, seed: trainerSeed },
      {
        ...hooks,
        // The times are the clock's, not the seed's.
        onProgress: ({ epochSeconds: _, stepSeconds: __, secondsLeftAtMost: ___, ...rest }) =>
          epochs.push(rest),
      },
    );
    return { epochs, weights: weightsOf(model), extra: extra?.() };
  } finally {
    model.dispose();
  }
}
