/**
 * `validationsSinceBest`: the patience count a notebook's epoch line shows ("3 of 4 validations of
 * patience without a better NDCG@10"), read off an epoch's progress with the run's `evalEvery`.
 * It must be the trainer's own count: the run stops at the epoch where it reaches `patience`, not
 * before, whatever the validation schedule. Checked against real runs with scripted validations.
 */
import { assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import {
  type EpochProgress,
  isValidationEpoch,
  validationsSinceBest,
} from "../../lib/train/progress.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

const split = leaveOneOut(cycleDataset(12, 10, 6), 4);
const modelConfig = { backbone: "gru4rec" as const, dim: 4, maxLength: 4, seed: 1 };

/** Trains with the validations `ndcg` scripts (one per validation, in order); every epoch's progress. */
async function scriptedRun(
  ndcg: number[],
  settings: { maxEpochs: number; patience: number; evalEvery: number },
): Promise<{ epochs: EpochProgress[]; stoppedBy: string }> {
  const model = new SequentialRecommender(split.dataset, modelConfig);
  const epochs: EpochProgress[] = [];
  let validations = 0;
  try {
    const result = await trainModel(model, split, { ...settings, batchSize: 4 }, {
      onProgress: (progress) => epochs.push(progress),
      validate: () => ({ "NDCG@10": ndcg[validations++] }),
    });
    return { epochs, stoppedBy: result.stoppedBy };
  } finally {
    model.dispose();
  }
}

Deno.test("validationsSinceBest is the trainer's count: the run stops when it reaches patience", async () => {
  const cases = [
    // Every epoch validated: best at 2, then 3 without a better one (a tie is no gain).
    { ndcg: [0.1, 0.3, 0.2, 0.3, 0.25, 0.9], patience: 3, evalEvery: 1, stopsAt: 5 },
    // Every second epoch: best at epoch 4, then epochs 6 and 8 fail.
    { ndcg: [0.1, 0.2, 0.1, 0.1, 0.9], patience: 2, evalEvery: 2, stopsAt: 8 },
    // Every third epoch, patience 1: best at epoch 3, epoch 6 fails.
    { ndcg: [0.5, 0.4, 0.9], patience: 1, evalEvery: 3, stopsAt: 6 },
  ];
  for (const { ndcg, patience, evalEvery, stopsAt } of cases) {
    const { epochs, stoppedBy } = await scriptedRun(ndcg, { maxEpochs: 20, patience, evalEvery });
    const label = JSON.stringify({ ndcg, evalEvery });
    assertEquals(stoppedBy, "patience", label);
    assertEquals(epochs.length, stopsAt, label);
    const counts = epochs.map((progress) => validationsSinceBest(progress, evalEvery));
    assertEquals(counts.at(-1), patience, `${label}: the last epoch used the whole patience`);
    for (const count of counts.slice(0, -1)) {
      assertEquals(count < patience, true, `${label}: ${counts} reached patience before the stop`);
    }
  }
});

Deno.test("validationsSinceBest counts validations, not epochs, and the last epoch's validation", () => {
  const at = (epoch: number, bestEpoch: number, maxEpochs = 20) => ({
    epoch,
    bestEpoch,
    maxEpochs,
  });
  assertEquals(validationsSinceBest(at(15, 12), 1), 3);
  assertEquals(validationsSinceBest(at(12, 12), 1), 0, "the best epoch itself");
  assertEquals(validationsSinceBest(at(9, 4, 20), 2), 2, "epochs 6 and 8");
  assertEquals(validationsSinceBest(at(1, 0), 2), 0, "no validation yet");
  // maxEpochs 7 with evalEvery 3: epochs 3, 6 and the last, 7, validate.
  assertEquals(validationsSinceBest(at(7, 3, 7), 3), 2);
  assertEquals([1, 2, 3, 4, 5, 6, 7].filter((e) => isValidationEpoch(e, 3, 7)), [3, 6, 7]);
});
