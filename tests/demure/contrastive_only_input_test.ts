/**
 * contrastive_only (the ablation without attribution) changes only the contrastive term: its
 * random masks make the views, and L_rec reads the full history whatever denoiseInput says
 * (denoiseInput is a setting of the full variant).
 */
import { assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { demureHooks } from "../../lib/demure/objective.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { batch, split } from "./_one_batch.ts";

await initBackend({ verbose: false });

Deno.test("contrastive_only: a random mask is drawn, and L_rec's input mask stays the full history", async () => {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  for (const denoiseInput of [true, false]) {
    const demure = demureHooks(model, {
      variant: "contrastive_only",
      warmupSteps: 0,
      denoiseInput,
    });
    const mask = await demure.hooks.inputMask!(batch, 0);
    assertEquals(mask, undefined, `denoiseInput ${denoiseInput}`);
    assertEquals(demure.stats().random, 1, "the step drew its random views");
  }
  model.dispose();
});
