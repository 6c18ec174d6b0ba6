/**
 * A plateau warm-up that the epoch cap always ends first is refused (`warmupRefusal`), at the
 * exact bound: the first evaluation is always a gain, so a plateau of n evaluations without one
 * ends on evaluation n + 1 at the earliest, and the run denoises only if that evaluation is not its
 * last. Before 2026-12-06 only patience was checked: the quick plan's `plateau:2` trial under 3
 * epochs trained its backbone alone and was reported as Demure.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { warmupRefusal } from "../../lib/demure/config.ts";
import { demureHooks } from "../../lib/demure/objective.ts";
import { Warmup } from "../../lib/demure/_warmup.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

const split = leaveOneOut(tinyDataset(), 4);
/** A patience no warm-up here reaches: only the epoch cap can refuse. */
const PATIENCE = 100;

function plateau(warmupEpochs: number) {
  return { warmupBy: "plateau", warmupEpochs, warmupSteps: 30 } as const;
}

function refusal(warmupEpochs: number, maxEpochs: number, evalEvery: number) {
  return warmupRefusal(plateau(warmupEpochs), { patience: PATIENCE, maxEpochs, evalEvery });
}

Deno.test("warmupRefusal: a plateau the 3-epoch cap always ends first is refused; one shorter is not", () => {
  // The quick plan's trial: plateau 2 under maxEpochs 3, patience 3 (patience alone let it by).
  const quick = warmupRefusal(plateau(2), { patience: 3, maxEpochs: 3, evalEvery: 1 });
  assert(quick instanceof SettingError, "plateau 2 under 3 epochs ends on the last evaluation");
  assertEquals([quick.setting, quick.value], ["DemureConfig.warmupEpochs", 2]);
  assertStringIncludes(quick.allowed, 'an integer from 0 to 1 with warmupBy "plateau"');
  assertStringIncludes(quick.allowed, "TrainerConfig.maxEpochs 3 with evalEvery 1");
  assertEquals(warmupRefusal(plateau(1), { patience: 3, maxEpochs: 3, evalEvery: 1 }), undefined);
});

Deno.test("warmupRefusal: with evalEvery > 1 the bound counts evaluations, the last one included", () => {
  // Evaluations after epochs 3, 6 and 7: plateau 1 ends after epoch 6 at the earliest (epoch 7
  // denoises); plateau 2 ends on the last evaluation.
  assertEquals(refusal(1, 7, 3), undefined);
  const afterLast = refusal(2, 7, 3);
  assertEquals(afterLast?.value, 2);
  assertStringIncludes(afterLast?.allowed ?? "", "from 0 to 1");
  assertStringIncludes(afterLast?.allowed ?? "", "3 evaluations, the last after epoch 7");
  // Evaluations after epochs 2, 4, 6: plateau 1 ends after epoch 4; plateau 2 after 6, the last.
  assertEquals(refusal(1, 6, 2), undefined);
  assertEquals(refusal(2, 6, 2)?.setting, "DemureConfig.warmupEpochs");
  // A plateau of 0 is over after epoch 1, evaluated or not: only a one-epoch run refuses it.
  assertEquals(refusal(0, 2, 5), undefined);
  assertStringIncludes(refusal(1, 2, 5)?.allowed ?? "", "from 0 to 0");
  assertStringIncludes(refusal(0, 1, 1)?.allowed ?? "", 'none with warmupBy "plateau"');
  // Patience is checked first, as before.
  const patience = warmupRefusal(plateau(3), { patience: 3, maxEpochs: 3, evalEvery: 1 });
  assertStringIncludes(patience?.allowed ?? "", "below TrainerConfig.patience (3)");
});

Deno.test("warmupRefusal agrees with the trainer's evaluations and Warmup at every cap", async () => {
  // The earliest end: the first evaluation gains (it always beats -Infinity), no later one does.
  // The trainer's own schedule gives which epochs are evaluated; the run's own Warmup, when the
  // warm-up ends. A run denoises iff it ends before the last epoch.
  for (let maxEpochs = 1; maxEpochs <= 6; maxEpochs++) {
    for (let evalEvery = 1; evalEvery <= 3; evalEvery++) {
      const history: EpochProgress[] = [];
      let evaluations = 0;
      const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
      await trainModel(
        model,
        split,
        { maxEpochs, evalEvery, patience: PATIENCE, batchSize: 4, maxBatchesPerEpoch: 1, seed: 0 },
        {
          validate: () => Promise.resolve({ "NDCG@10": 1 / ++evaluations }),
          onProgress: (progress) => history.push(progress),
        },
      );
      model.dispose();
      assertEquals(history.length, maxEpochs);
      for (let warmupEpochs = 0; warmupEpochs <= 7; warmupEpochs++) {
        const warmup = new Warmup(plateau(warmupEpochs));
        for (const progress of history) warmup.afterEpoch(progress);
        const denoises = warmup.endedAfterEpoch !== undefined &&
          warmup.endedAfterEpoch < maxEpochs;
        const at = `maxEpochs ${maxEpochs}, evalEvery ${evalEvery}, plateau ${warmupEpochs}`;
        assertEquals(refusal(warmupEpochs, maxEpochs, evalEvery) === undefined, denoises, at);
      }
    }
  }
});

Deno.test("trainModel refuses a plateau warm-up the epoch cap always ends first, before training", async () => {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const demure = demureHooks(model, { warmupBy: "plateau", warmupEpochs: 2 });
  await assertRejects(
    () => trainModel(model, split, { maxEpochs: 3, patience: 3, batchSize: 4 }, demure.hooks),
    SettingError,
    "DemureConfig.warmupEpochs is 2; allowed: an integer from 0 to 1",
  );
  model.dispose();
});
