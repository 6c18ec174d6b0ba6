/**
 * Demure keeps a noise mask per window of a user's history, for at most 1,024 windows a user. A
 * training history that fills more (over 1,024 x `SplitConfig.maxLength` items: 1,026 items at
 * maxLength 1) was refused only when that user's batch came, after the warm-up; now the hooks'
 * `checkTrainerConfig` refuses the run before its first step, naming `TrainerConfig.windows`.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import type { LeaveOneOutSplit } from "../../lib/data/mod.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { trainingBudget, trainModel } from "../../lib/train/trainer.ts";
import { resolveTrainerConfig } from "../../lib/train/config.ts";
import { demureHooks } from "../../lib/demure/objective.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { tinyDataset } from "../data/_tiny_dataset.ts";
import { weightsOf } from "../train/_seeded_run.ts";
import { settingError } from "../_setting_error.ts";

await initBackend({ verbose: false });

/** One user of `interactions` items (windows of 1 pair at maxLength 1) beside a short one. */
function longUserSplit(interactions: number): LeaveOneOutSplit {
  const long = Array.from({ length: interactions }, (_, t) => t % 6);
  return leaveOneOutSplit(tinyDataset([long, [0, 1, 2, 3, 4, 5]], 6), { maxLength: 1 });
}

Deno.test("Demure refuses a user of more than 1,024 windows before the first step, naming TrainerConfig.windows", async () => {
  // 1,028 interactions: 1,026 training items, 1,025 pairs, 1,025 windows of 1.
  const split = longUserSplit(1028);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 1, seed: 3 });
  const before = weightsOf(model);
  const steps: number[] = [];
  const demure = demureHooks(model, { warmupSteps: 0 });
  const error = await assertRejects(
    () =>
      trainModel(model, split, { seed: 0, maxEpochs: 1, batchSize: 2048 }, {
        ...demure.hooks,
        inputMask: (batch, step) => {
          steps.push(step);
          return demure.hooks.inputMask!(batch, step);
        },
        onProgress: () => {},
      }),
    SettingError,
  );
  assert(error instanceof SettingError);
  assertEquals([error.setting, error.value], ["TrainerConfig.windows", "all"]);
  assertStringIncludes(error.allowed, "at most 1024 windows of a user's history");
  assertStringIncludes(error.allowed, "fills 1025");
  assertEquals(steps, [], "no step ran");
  assertEquals(weightsOf(model), before);
  // Without the up-front check the same run stops at its first step, when the user's batch comes.
  await assertRejects(
    () =>
      trainModel(model, split, { seed: 0, maxEpochs: 1, batchSize: 2048 }, {
        ...demureHooks(model, { warmupSteps: 0 }).hooks,
        checkTrainerConfig: undefined,
        onProgress: () => {},
      }),
    Error,
    "Demure: user 0 has more than 1024 windows",
  );
  model.dispose();
});

Deno.test("the window limit: 1,024 windows pass, the last window only passes, random masks (no cache key) pass", () => {
  const model = new SequentialRecommender(longUserSplit(8).dataset, { dim: 8, maxLength: 1 });
  const check = (interactions: number, windows: "all" | "last", variant = "full" as const) => {
    const split = longUserSplit(interactions);
    const trainer = resolveTrainerConfig({ windows, maxEpochs: 2 });
    const budget = trainingBudget(split, trainer);
    demureHooks(model, { variant, warmupSteps: 0 }).hooks.checkTrainerConfig!(trainer, budget);
    return budget.mostRowsOfAUser;
  };
  assertEquals(check(1027, "all"), 1024);
  assertEquals(check(1028, "last"), 1);
  for (const variant of ["contrastive_only", "random_input"] as const) {
    const split = longUserSplit(1028);
    const trainer = resolveTrainerConfig({ maxEpochs: 2 });
    const budget = trainingBudget(split, trainer);
    assertEquals(budget.mostRowsOfAUser, 1025);
    demureHooks(model, { variant, warmupSteps: 0 }).hooks.checkTrainerConfig!(trainer, budget);
  }
  // The attributing variants are refused.
  for (const variant of ["full", "attribution_only"] as const) {
    const split = longUserSplit(1028);
    const trainer = resolveTrainerConfig({ maxEpochs: 2 });
    const error = settingError(() =>
      demureHooks(model, { variant, warmupSteps: 0 }).hooks.checkTrainerConfig!(
        trainer,
        trainingBudget(split, trainer),
      )
    );
    assertEquals(error.setting, "TrainerConfig.windows", variant);
  }
  model.dispose();
});
