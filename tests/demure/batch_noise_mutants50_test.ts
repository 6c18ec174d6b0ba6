/**
 * A warm-up by epochs ends the warm-up alone: `warmupSteps` (default 30) is the steps warm-up's
 * setting and must not hold masks back after the epochs' warm-up has ended (mutation round 50b:
 * the tests of that warm-up all set warmupSteps 0, so the step schedule's count went unread).
 */
import { assert, assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { resolveDemureConfig } from "../../lib/demure/config.ts";
import { BatchNoise } from "../../lib/demure/_batch_noise.ts";
import { NoiseCounts } from "../../lib/demure/_noise_counts.ts";
import { Warmup } from "../../lib/demure/_warmup.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { batch, split } from "./_one_batch.ts";
import { epochProgress } from "./_epoch_progress.ts";

await initBackend({ verbose: false });

Deno.test("warm-up by epochs: masks start at the next step after it ends, whatever warmupSteps says", async () => {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  try {
    // warmupSteps keeps its default, 30: far beyond the steps below.
    const config = resolveDemureConfig({
      variant: "contrastive_only",
      warmupBy: "epochs",
      warmupEpochs: 1,
    });
    assertEquals(config.warmupSteps, 30);
    const warmup = new Warmup(config);
    const noise = new BatchNoise(model, config, new NoiseCounts(model.modalityNames), warmup);
    assertEquals(noise.schedule().warmupSteps, 0);
    assertEquals(await noise.viewsFor(batch, 4), undefined);
    warmup.afterEpoch(epochProgress(1, true));
    assert(await noise.viewsFor(batch, 5), "no views at step 5, after the epoch's warm-up ended");
    assertEquals(noise.random, 1);
  } finally {
    model.dispose();
  }
});
