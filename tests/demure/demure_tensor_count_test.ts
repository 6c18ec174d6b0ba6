/**
 * Demure's public calls leave no tensor behind: a whole training run with demureHooks (each
 * variant, each attribution source) once its model is disposed, a run stopped by a throw once
 * its masks began, and the refusals of demureHooks
 * (a bad setting) and of viewTensors (views whose masks do not match their shape: all three are
 * checked before any is uploaded).
 */
import { assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { tf } from "../../lib/backend/tf.ts";
import { buildContrastiveViews, demureHooks, viewTensors } from "../../lib/demure/mod.ts";
import type { DemureConfig } from "../../lib/demure/mod.ts";
import {
  type ForwardOptions,
  type ForwardOutput,
  SequentialRecommender,
} from "../../lib/models/sequential_recommender.ts";
import type { SequenceBatch } from "../../lib/data/types.ts";
import { trainModel } from "../../lib/train/mod.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { split } from "./_one_batch.ts";
import { assertFlatTensorCount, assertRefusalFlat } from "../_tensor_count.ts";

await initBackend({ verbose: false });

/** Trains a fresh model 2 epochs of 2 steps with Demure from its second step, then disposes it. */
async function demureRun(config: Partial<DemureConfig>): Promise<void> {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  try {
    const demure = demureHooks(model, { warmupSteps: 1, everyVisits: 1, rho: 0.4, ...config });
    await trainModel(model, split, { maxEpochs: 2, batchSize: 2, patience: 2, seed: 3 }, {
      ...demure.hooks,
      onProgress: () => {},
    });
    const stats = demure.stats();
    assertEquals(stats.attributed + stats.reused + stats.random > 0, true, "Demure masked");
  } finally {
    model.dispose();
  }
}

Deno.test("a training run with demureHooks leaves no tensor, for each variant and source", async () => {
  const runs: [string, Partial<DemureConfig>][] = [
    ["full, separate pass", { attributionSource: "separate_pass" }],
    ["full, training pass", { attributionSource: "training_pass", denoiseInput: false }],
    ["attribution only", { variant: "attribution_only" }],
    ["contrastive only", { variant: "contrastive_only" }],
    ["random input", { variant: "random_input" }],
  ];
  for (const [label, config] of runs) await assertFlatTensorCount(label, () => demureRun(config));
});

/** A model whose training forward pass throws from its `breakAt`-th call on. */
class BreakingModel extends SequentialRecommender {
  calls = 0;
  breakAt = Infinity;
  override forward(batch: SequenceBatch, options: ForwardOptions = {}): ForwardOutput {
    if (options.training && ++this.calls >= this.breakAt) throw new Error("forward broke");
    return super.forward(batch, options);
  }
}

Deno.test("a Demure run stopped by a throw after its masks began leaves no tensor, each source", async () => {
  for (const attributionSource of ["separate_pass", "training_pass"] as const) {
    await assertRefusalFlat(
      attributionSource,
      async () => {
        const model = new BreakingModel(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
        model.breakAt = 3; // steps 0 and 1 ran, the second with a mask (warm-up of one step)
        try {
          const demure = demureHooks(model, {
            warmupSteps: 1,
            everyVisits: 1,
            attributionSource,
            ...(attributionSource === "training_pass" ? { denoiseInput: false } : {}),
          });
          await trainModel(model, split, { maxEpochs: 2, batchSize: 2, patience: 2, seed: 3 }, {
            ...demure.hooks,
            onProgress: () => {},
          });
        } finally {
          model.dispose();
        }
      },
      Error,
      "forward broke",
    );
  }
});

Deno.test("demureHooks' and viewTensors' refusals leave no tensor", async () => {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  try {
    await assertRefusalFlat(
      "bad rho",
      () => demureHooks(model, { rho: 2 }),
      SettingError,
      "DemureConfig.rho",
    );
  } finally {
    model.dispose();
  }
  const views = buildContrastiveViews([1, 1, 1, 1], Uint8Array.of(0, 1, 0, 1), [1, 2, 2]);
  const upload = viewTensors(views);
  assertEquals(upload.negative.shape, [1, 2, 2]);
  tf.dispose(Object.values(upload));
  // A negative mask one value short: the anchor and the positive were uploaded before its refusal.
  const short = { ...views, negative: views.negative.subarray(1) };
  await assertRefusalFlat(
    "short negative mask",
    () => viewTensors(short),
    Error,
    "ContrastiveViews.negative has 3 entries, expected 4",
  );
});
