/**
 * `trainingProgress(label, training)`: given the trainer settings the run trains with, its line
 * says how much of the run's patience is used, read from those settings (their defaults filled
 * in as the trainer fills them); without them it says nothing of patience rather than guess.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { trainingProgress } from "../../lib/notebook/mod.ts";
import { DEFAULT_TRAINER_CONFIG } from "../../lib/train/config.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { epochOf } from "./_epoch_progress.ts";

/** The lines `trainingProgress(label, training)` prints for epoch 3 of 5, best at epoch 1. */
async function printed(training?: Record<string, unknown>): Promise<string[]> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => void lines.push(line);
  try {
    const progress = trainingProgress("m", training);
    progress.onProgress(epochOf({ epoch: 3, maxEpochs: 5, bestEpoch: 1, secondsLeftAtMost: 6 }));
    await progress.done();
  } finally {
    console.log = log;
  }
  return lines;
}

Deno.test("trainingProgress with the run's settings: its patience, and the validations since the best", async () => {
  assertEquals(await printed({ patience: 5 }), [
    "m epoch 3 of at most 5 loss=2 best=0 " +
    "(best @1; 2 of 5 validations of patience without a better NDCG@10; <= 0.1 min left)",
  ]);
  // Validated every second epoch: only epoch 2 validated since the best.
  assertEquals(
    (await printed({ patience: 5, evalEvery: 2 }))[0].includes("; 1 of 5 validations of patience"),
    true,
  );
  // Settings that leave patience out train with the default: the line says that one.
  assertEquals(
    (await printed({ maxEpochs: 5 }))[0].includes(
      ` of ${DEFAULT_TRAINER_CONFIG.patience} validations of patience`,
    ),
    true,
  );
});

Deno.test("trainingProgress without settings says nothing of patience; a misspelled one is refused", async () => {
  assertEquals(await printed(), [
    "m epoch 3 of at most 5 loss=2 best=0 (best @1; <= 0.1 min left)",
  ]);
  // The trainer would refuse it too: a line that showed the default patience would be wrong.
  assertThrows(() => trainingProgress("m", { patiense: 5 } as never), SettingError, "patiense");
});
