/**
 * Gaps a hand-run mutation pass (session 52) found in the run checkpoints: a checkpoint of a run
 * whose only objective hook is an `inputMask` (no auxiliary loss, no hook state) belongs to that
 * objective too. Leaving `inputMask` out of the stored objective hooks let such a checkpoint
 * resume as a plain run (and a plain one as a masked run), silently training another objective.
 * And a checkpoint saved before the stored objective hooks existed (no such field) still resumes:
 * refusing it for the missing field would strand every run saved before 2026-12-07.
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import type { TrainerHooks } from "../../lib/train/config.ts";
import { SEEDED_SPLIT } from "./_seeded_run.ts";

const MODEL = { dim: 8, maxLength: 6, seed: 1 };
const TRAINER = { batchSize: 2, seed: 2 };
const quiet = { onProgress: () => {} };

Deno.test("resume refused: a checkpoint of an inputMask-only objective resumed without it, and the reverse", async () => {
  // A mask hook that masks nothing: the objective's hooks differ, its numbers need not.
  const masked = (): TrainerHooks => ({ inputMask: () => undefined });
  const plain = (): TrainerHooks => ({});
  for (
    const [saved, resumed, stored, wanted] of [
      [masked, plain, '["inputMask"]', "[]"],
      [plain, masked, "[]", '["inputMask"]'],
    ] as const
  ) {
    const dir = Deno.makeTempDirSync();
    const model = new SequentialRecommender(SEEDED_SPLIT.dataset, MODEL);
    try {
      const run = (hooks: TrainerHooks, maxEpochs: number) =>
        trainModel(model, SEEDED_SPLIT, { ...TRAINER, maxEpochs, checkpointDir: dir }, {
          ...hooks,
          ...quiet,
        });
      await run(saved(), 1);
      const stored0 = JSON.parse(Deno.readTextFileSync(`${dir}/last.json`)).trainerState;
      assertEquals(JSON.stringify(stored0.objectiveHooks), stored);
      const error = await assertRejects(() => run(resumed(), 2));
      assertStringIncludes(
        error.message,
        `${dir}/last.json: field "trainerState.objectiveHooks" ${stored} differs from this ` +
          `run's hooks ${wanted}`,
      );
      // The same objective resumes.
      const result = await run(saved(), 2);
      assertEquals([result.resumedFromEpoch, result.epochsRun], [1, 1]);
    } finally {
      model.dispose();
      Deno.removeSync(dir, { recursive: true });
    }
  }
});

Deno.test("resume: a last.json saved before objectiveHooks were stored (no such field) resumes", async () => {
  const dir = Deno.makeTempDirSync();
  const model = new SequentialRecommender(SEEDED_SPLIT.dataset, MODEL);
  try {
    const run = (maxEpochs: number) =>
      trainModel(model, SEEDED_SPLIT, { ...TRAINER, maxEpochs, checkpointDir: dir }, quiet);
    await run(1);
    // The sidecar as an earlier save wrote it: the same, without trainerState.objectiveHooks (the
    // weights file's size and hash cover the weights only, so it still loads).
    const path = `${dir}/last.json`;
    const sidecar = JSON.parse(Deno.readTextFileSync(path));
    delete sidecar.trainerState.objectiveHooks;
    Deno.writeTextFileSync(path, JSON.stringify(sidecar, null, 2));
    const result = await run(2);
    assertEquals([result.resumedFromEpoch, result.epochsRun], [1, 1]);
  } finally {
    model.dispose();
    Deno.removeSync(dir, { recursive: true });
  }
});
