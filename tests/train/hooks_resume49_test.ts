/**
 * A run checkpoint belongs to the objective that saved it: a checkpoint of a run whose hooks kept
 * state (Demure's mask cache, counts, warm-up) is refused when resumed without those hooks, or
 * with Demure hooks of another configuration, and a checkpoint of hooks without state (CL4SRec's
 * auxiliary loss) resumed with other ones, naming the file and the field; nothing of the model
 * changes. (The experiments' cells cannot mix them: their checkpoint folder is named by
 * the hash of their settings; a notebook's `checkpointDir` can.)
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { cl4srecAuxiliaryLoss } from "../../lib/baselines/cl4srec.ts";
import { demureHooks } from "../../lib/demure/objective.ts";
import { DEFAULT_DEMURE_CONFIG, type DemureConfig } from "../../lib/demure/config.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import type { TrainerHooks } from "../../lib/train/config.ts";
import { SEEDED_SPLIT, weightsOf } from "./_seeded_run.ts";
import { assertBitIdentical } from "../_bit_identical.ts";

const MODEL = { dim: 8, maxLength: 6, seed: 1 };
const TRAINER = { batchSize: 2, seed: 2 };
const SAVED: Partial<DemureConfig> = { warmupSteps: 1, everyVisits: 2, rho: 0.4 };
const quiet = { onProgress: () => {} };

/** Trains 1 epoch with Demure's hooks of `SAVED` into a new folder, returned. */
async function demureCheckpoint(): Promise<string> {
  const dir = Deno.makeTempDirSync();
  const model = new SequentialRecommender(SEEDED_SPLIT.dataset, MODEL);
  try {
    const { hooks } = demureHooks(model, SAVED);
    await trainModel(model, SEEDED_SPLIT, { ...TRAINER, maxEpochs: 1, checkpointDir: dir }, {
      ...hooks,
      ...quiet,
    });
  } finally {
    model.dispose();
  }
  return dir;
}

/** Resumes `dir` to 2 epochs with the hooks `hooksFor` builds; the refusal's message. */
async function refusedResume(
  dir: string,
  hooksFor: (model: SequentialRecommender) => TrainerHooks,
): Promise<string> {
  const model = new SequentialRecommender(SEEDED_SPLIT.dataset, MODEL);
  try {
    const before = weightsOf(model);
    const error = await assertRejects(() =>
      trainModel(model, SEEDED_SPLIT, { ...TRAINER, maxEpochs: 2, checkpointDir: dir }, {
        ...hooksFor(model),
        ...quiet,
      })
    );
    assertBitIdentical(weightsOf(model), before, "a refused resume changes no weight");
    return error.message;
  } finally {
    model.dispose();
  }
}

Deno.test("resume refused: a Demure run's checkpoint resumed without hooks that keep state", async () => {
  const dir = await demureCheckpoint();
  try {
    const message = await refusedResume(dir, () => ({}));
    assertStringIncludes(message, `${dir}/last.json: field "trainerState.hookState" is there`);
    assertStringIncludes(message, "resume: false");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("resume refused: a Demure checkpoint resumed with another Demure setting names it", async () => {
  const dir = await demureCheckpoint();
  try {
    const cases: [Partial<DemureConfig>, string][] = [
      [{ rho: 0.6 }, 'field "config.rho" is 0.4, this run\'s DemureConfig.rho is 0.6'],
      [{ variant: "random_input" }, '"config.variant" is "full", this run\'s DemureConfig.variant'],
      [{ everyVisits: 3 }, 'field "config.everyVisits" is 2'],
      [
        { attribution: { ...DEFAULT_DEMURE_CONFIG.attribution, method: "occlusion" } },
        'field "config.attribution.method" is "gradient_x_input"',
      ],
    ];
    for (const [change, expected] of cases) {
      const message = await refusedResume(
        dir,
        (model) => demureHooks(model, { ...SAVED, ...change }).hooks,
      );
      // The trainer names the checkpoint's files; the hooks, the setting.
      assertStringIncludes(message, `${dir}/last.json -> `);
      assertStringIncludes(message, expected);
    }
    // The same settings resume: only the second epoch is trained.
    const model = new SequentialRecommender(SEEDED_SPLIT.dataset, MODEL);
    try {
      const { hooks } = demureHooks(model, SAVED);
      const result = await trainModel(model, SEEDED_SPLIT, {
        ...TRAINER,
        maxEpochs: 2,
        checkpointDir: dir,
      }, { ...hooks, ...quiet });
      assertEquals([result.resumedFromEpoch, result.epochsRun], [1, 1]);
    } finally {
      model.dispose();
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("resume refused: a checkpoint of hooks without state (CL4SRec's loss) resumed as another objective", async () => {
  const cl4srec = (): TrainerHooks => ({ auxiliaryLoss: cl4srecAuxiliaryLoss({ weight: 1 }) });
  const plain = (): TrainerHooks => ({});
  for (
    const [saved, resumed, stored, wanted] of [
      [cl4srec, plain, '["auxiliaryLoss"]', "[]"],
      [plain, cl4srec, "[]", '["auxiliaryLoss"]'],
    ] as const
  ) {
    const dir = Deno.makeTempDirSync();
    const model = new SequentialRecommender(SEEDED_SPLIT.dataset, MODEL);
    try {
      await trainModel(model, SEEDED_SPLIT, { ...TRAINER, maxEpochs: 1, checkpointDir: dir }, {
        ...saved(),
        ...quiet,
      });
      const message = await refusedResume(dir, resumed);
      assertStringIncludes(
        message,
        `${dir}/last.json: field "trainerState.objectiveHooks" ${stored} differs from this ` +
          `run's hooks ${wanted}`,
      );
      // The same objective resumes.
      const result = await trainModel(model, SEEDED_SPLIT, {
        ...TRAINER,
        maxEpochs: 2,
        checkpointDir: dir,
      }, { ...saved(), ...quiet });
      assertEquals([result.resumedFromEpoch, result.epochsRun], [1, 1]);
    } finally {
      model.dispose();
      Deno.removeSync(dir, { recursive: true });
    }
  }
});
