/**
 * lib/train/config.ts: what tests/train/settings_test.ts and describe_training_test.ts left open
 * (mutation round EA). Pure configuration checks: no model is built, nothing is trained.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  describeTraining,
  resolveTrainerConfig,
  type TrainerConfig,
  type TrainerHooks,
  validateTrainerHooks,
} from "../../lib/train/config.ts";
import { SettingError } from "../../lib/util/settings.ts";

/** The SettingError `input` is refused with: its setting, value and allowed range. */
function refusal(input: Partial<TrainerConfig>): [string, unknown, string] {
  const error = assertThrows(() => resolveTrainerConfig(input), SettingError) as SettingError;
  assert(error.message.includes(error.setting), error.message);
  assert(error.message.includes("allowed: " + error.allowed), error.message);
  return [error.setting, error.value, error.allowed];
}

Deno.test("TrainerConfig: a fractional count or a path that is not text is refused with setting, value and range", () => {
  // Each was taken: a chunk of 2.5 users, a cap of 1.5 batches, a checkpoint folder 5.
  assertEquals(refusal({ evalChunkSize: 2.5 }), [
    "TrainerConfig.evalChunkSize",
    2.5,
    "an integer >= 1",
  ]);
  assertEquals(refusal({ maxBatchesPerEpoch: 1.5 }), [
    "TrainerConfig.maxBatchesPerEpoch",
    1.5,
    "an integer >= 1",
  ]);
  assertEquals(refusal({ checkpointDir: 5 as unknown as string }), [
    "TrainerConfig.checkpointDir",
    5,
    "a non-empty path",
  ]);
});

Deno.test("TrainerConfig: the open ranges take any number past their bound (a budget of 0.5 s, a guard of 1.5x)", () => {
  // maxWallSeconds is a number > 0, not an integer; divergenceFactor a number > 1.
  const config = resolveTrainerConfig({ maxWallSeconds: 0.5, divergenceFactor: 1.5 });
  assertEquals([config.maxWallSeconds, config.divergenceFactor], [0.5, 1.5]);
});

Deno.test("a loss setting given at the trainer's level says it belongs to loss", () => {
  const [setting, value, allowed] = refusal({ kind: "bce" } as unknown as Partial<TrainerConfig>);
  assertEquals([setting, value], ["TrainerConfig.kind", "bce"]);
  assertEquals(allowed, "a setting of loss, not of the trainer: { loss: { kind } }");
});

Deno.test("describeTraining: every setting that changes what is trained is named, each with its own value", () => {
  assertEquals(
    describeTraining({
      evalEvery: 2,
      patience: 5,
      windows: "all",
      loss: { kind: "bce", positions: "last" },
      ranking: "history_kept",
      seed: 7,
      maxWallSeconds: 90,
      divergenceFactor: 50,
    }),
    "early stopping after 5 validations without a better NDCG@10, validation every 2 epochs, " +
      "every window of each training history, " +
      "loss: binary cross-entropy with 1 sampled negative, last position, " +
      "validation ranking history_kept, seed 7, at most 90 s, divergence guard 50x",
  );
  // Bookkeeping that does not change what is trained is left out.
  assertEquals(
    describeTraining({ evalChunkSize: 64, checkpointDir: "runs/x", resume: false }),
    "the trainer's defaults",
  );
});

Deno.test("TrainerHooks: a hook given as null is refused by its name, not taken as no hook", () => {
  // Only undefined is "no hook" (an optional field passed on as it is); null is a value the
  // caller chose, and a hook set to null by mistake must not train the plain objective silently.
  for (const name of ["inputMask", "afterEpoch", "checkpointState"] as const) {
    const error = assertThrows(
      () => validateTrainerHooks({ [name]: null } as unknown as TrainerHooks),
      SettingError,
    ) as SettingError;
    assertEquals([error.setting, error.value], [`TrainerHooks.${name}`, null]);
  }
  validateTrainerHooks({ inputMask: undefined });
});

Deno.test("describeTraining: the batch cap is named with its own value", () => {
  assertEquals(
    describeTraining({ maxEpochs: 3, maxBatchesPerEpoch: 5, batchSize: 64 }),
    "at most 3 epochs, batch size 64, at most 5 batches per epoch",
  );
});

Deno.test("TrainerConfig: null for an optional setting or a nested object is refused by name, not read as not given", () => {
  // Only a missing (or undefined) setting takes its default; a null from JSON or a notebook
  // would otherwise run without a budget, a batch cap or a checkpoint folder, or with the
  // default optimizer or loss, without a word.
  for (
    const setting of [
      "checkpointDir",
      "maxWallSeconds",
      "maxBatchesPerEpoch",
      "optimizer",
      "loss",
    ] as const
  ) {
    const [name, value] = refusal({ [setting]: null } as unknown as Partial<TrainerConfig>);
    assertEquals([name, value], [`TrainerConfig.${setting}`, null]);
  }
});

Deno.test("TrainerHooks: a checkpointState whose save or restore is no function is refused, not only a missing one", () => {
  const save = () => ({ json: {}, tensors: new Map() });
  for (
    const state of [{ save: 5, restore: () => {} }, { save, restore: "restore" }, {
      save,
      restore: {},
    }]
  ) {
    const error = assertThrows(
      () => validateTrainerHooks({ checkpointState: state } as unknown as TrainerHooks),
      SettingError,
    ) as SettingError;
    assertEquals(error.setting, "TrainerHooks.checkpointState");
  }
});
