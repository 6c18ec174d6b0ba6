/**
 * Bad settings: each is rejected where it enters, before any training, with a `SettingError` that
 * names the setting, the value and the allowed range. Each case runs under a small timeout so a
 * regression that hangs (batch size 0 once looped forever) fails instead of stalling the suite.
 */
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { cl4srecAuxiliaryLoss } from "../../lib/baselines/cl4srec.ts";
import { trainingBatches } from "../../lib/data/protocol/batcher.ts";
import { resolveDemureConfig } from "../../lib/demure/config.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { systemByName, withDemure } from "../../lib/experiments/systems.ts";
import {
  type ModelConfigInput,
  resolveModelConfig,
  SequentialRecommender,
} from "../../lib/models/sequential_recommender.ts";
import { Adam } from "../../lib/train/adam.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";
import {
  resolveTrainerConfig,
  type TrainerConfig,
  TrainingDivergedError,
} from "../../lib/train/config.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import {
  checkNumber,
  checkSettingNames,
  closestSettingName,
  describeRange,
  SettingError,
} from "../../lib/util/settings.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";
import { fakeClock } from "../_fake_clock.ts";

await initBackend({ verbose: false });

const quiet = { onProgress: (_: EpochProgress) => {} };
const adam = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };

/** Runs `body` and fails if it does not settle within `ms` (a hang becomes a test failure). */
async function within<T>(ms: number, body: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${ms} ms (hang?)`)), ms);
  });
  try {
    return await Promise.race([body(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function assertSettingError(
  error: unknown,
  setting: string,
  valueText: string,
): void {
  assert(error instanceof SettingError, `expected a SettingError, got ${error}`);
  assertEquals(error.setting, setting);
  assert(error.message.includes(setting), error.message);
  assert(error.message.includes(valueText), `"${error.message}" lacks the value ${valueText}`);
  assert(error.message.includes("allowed:"), error.message);
}

const badTrainer: [string, Partial<TrainerConfig>, string, string][] = [
  ["batch size 0", { batchSize: 0 }, "TrainerConfig.batchSize", "0"],
  ["batch size -3", { batchSize: -3 }, "TrainerConfig.batchSize", "-3"],
  ["batch size 2.5", { batchSize: 2.5 }, "TrainerConfig.batchSize", "2.5"],
  ["batch size NaN", { batchSize: NaN }, "TrainerConfig.batchSize", "NaN"],
  ["maxEpochs 0", { maxEpochs: 0 }, "TrainerConfig.maxEpochs", "0"],
  ["maxEpochs NaN", { maxEpochs: NaN }, "TrainerConfig.maxEpochs", "NaN"],
  ["maxEpochs Infinity", { maxEpochs: Infinity }, "TrainerConfig.maxEpochs", "Infinity"],
  ["patience -1", { patience: -1 }, "TrainerConfig.patience", "-1"],
  ["patience 0", { patience: 0 }, "TrainerConfig.patience", "0"],
  ["evalEvery 0", { evalEvery: 0 }, "TrainerConfig.evalEvery", "0"],
  ["evalEvery 1.5", { evalEvery: 1.5 }, "TrainerConfig.evalEvery", "1.5"],
  ["evalChunkSize 0", { evalChunkSize: 0 }, "TrainerConfig.evalChunkSize", "0"],
  ["seed -1", { seed: -1 }, "TrainerConfig.seed", "-1"],
  ["seed 0.5", { seed: 0.5 }, "TrainerConfig.seed", "0.5"],
  ["seed 2^31", { seed: 2 ** 31 }, "TrainerConfig.seed", "2147483648"],
  [
    "ranking 'history'",
    { ranking: "history" as TrainerConfig["ranking"] },
    "TrainerConfig.ranking",
    '"history"',
  ],
  ["resume 'false'", { resume: "false" as unknown as boolean }, "TrainerConfig.resume", '"false"'],
  [
    "windows 'first'",
    { windows: "first" as TrainerConfig["windows"] },
    "TrainerConfig.windows",
    '"first"',
  ],
  ["maxBatchesPerEpoch 0", { maxBatchesPerEpoch: 0 }, "TrainerConfig.maxBatchesPerEpoch", "0"],
  ["checkpointDir ''", { checkpointDir: "" }, "TrainerConfig.checkpointDir", '""'],
  ["maxWallSeconds 0", { maxWallSeconds: 0 }, "TrainerConfig.maxWallSeconds", "0"],
  ["maxWallSeconds -5", { maxWallSeconds: -5 }, "TrainerConfig.maxWallSeconds", "-5"],
  ["divergenceFactor 1", { divergenceFactor: 1 }, "TrainerConfig.divergenceFactor", "1"],
  [
    "divergenceFactor Infinity",
    { divergenceFactor: Infinity },
    "TrainerConfig.divergenceFactor",
    "Infinity",
  ],
  [
    "learning rate -1e-3",
    { optimizer: { ...adam, learningRate: -1e-3 } },
    "TrainerConfig.optimizer.learningRate",
    "-0.001",
  ],
  [
    "learning rate 0",
    { optimizer: { ...adam, learningRate: 0 } },
    "TrainerConfig.optimizer.learningRate",
    "0",
  ],
  [
    "learning rate 1e6",
    { optimizer: { ...adam, learningRate: 1e6 } },
    "TrainerConfig.optimizer.learningRate",
    "1000000",
  ],
  [
    "learning rate NaN",
    { optimizer: { ...adam, learningRate: NaN } },
    "TrainerConfig.optimizer.learningRate",
    "NaN",
  ],
  ["beta1 1", { optimizer: { ...adam, beta1: 1 } }, "TrainerConfig.optimizer.beta1", "1"],
  ["beta1 -0.1", { optimizer: { ...adam, beta1: -0.1 } }, "TrainerConfig.optimizer.beta1", "-0.1"],
  ["beta2 1", { optimizer: { ...adam, beta2: 1 } }, "TrainerConfig.optimizer.beta2", "1"],
  ["beta2 1.5", { optimizer: { ...adam, beta2: 1.5 } }, "TrainerConfig.optimizer.beta2", "1.5"],
  ["epsilon 0", { optimizer: { ...adam, epsilon: 0 } }, "TrainerConfig.optimizer.epsilon", "0"],
  [
    "weightDecay -1",
    { optimizer: { ...adam, weightDecay: -1 } },
    "TrainerConfig.optimizer.weightDecay",
    "-1",
  ],
  [
    "clipNorm -1",
    { optimizer: { ...adam, clipNorm: -1 } },
    "TrainerConfig.optimizer.clipNorm",
    "-1",
  ],
  ["clipNorm 0", { optimizer: { ...adam, clipNorm: 0 } }, "TrainerConfig.optimizer.clipNorm", "0"],
  [
    "loss kind 'bpr'",
    { loss: { kind: "bpr" as "bce", positions: "all" } },
    "TrainerConfig.loss.kind",
    '"bpr"',
  ],
  [
    "loss positions 'first'",
    { loss: { kind: "bce", positions: "first" as "all" } },
    "TrainerConfig.loss.positions",
    '"first"',
  ],
  // Keys that are not settings: each once trained silently with the defaults.
  ["unknown key epochs", { epochs: 2 } as Partial<TrainerConfig>, "TrainerConfig.epochs", "2"],
  ["unknown key lr", { lr: 0.01 } as Partial<TrainerConfig>, "TrainerConfig.lr", "0.01"],
  [
    "unknown key maxEpoch",
    { maxEpoch: 1 } as Partial<TrainerConfig>,
    "TrainerConfig.maxEpoch",
    "1",
  ],
  [
    "unknown optimizer key learningrate",
    { optimizer: { learningrate: 0.01 } } as unknown as Partial<TrainerConfig>,
    "TrainerConfig.optimizer.learningrate",
    "0.01",
  ],
  [
    "unknown loss key type",
    { loss: { type: "bce" } } as unknown as Partial<TrainerConfig>,
    "TrainerConfig.loss.type",
    '"bce"',
  ],
  [
    "optimizer not an object",
    { optimizer: 0.01 } as unknown as Partial<TrainerConfig>,
    "TrainerConfig.optimizer",
    "0.01",
  ],
];

for (const [label, input, setting, value] of badTrainer) {
  Deno.test(`trainer setting rejected before training: ${label}`, async () => {
    assertSettingError(assertThrows(() => resolveTrainerConfig(input)), setting, value);
    // trainModel rejects it too, at once (no hang: batch size 0 once looped forever).
    const split = leaveOneOut(cycleDataset(8, 12, 6), 6);
    const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 6 });
    try {
      const error = await within(
        5_000,
        () =>
          trainModel(model, split, { maxEpochs: 1, ...input }, quiet).then(
            () => undefined,
            (e) => e,
          ),
      );
      assertSettingError(error, setting, value);
    } finally {
      model.dispose();
    }
  });
}

Deno.test("trainer hooks: a misspelt or non-function hook is refused before training, an undefined one is none", async () => {
  // A misspelt hook was never called: the run trained the plain objective without a word.
  const split = leaveOneOut(cycleDataset(8, 12, 6), 6);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 6 });
  let called = 0;
  const cases: [string, object, string, string][] = [
    ["misspelt", { auxilaryLoss: () => called++ }, "TrainerHooks.auxilaryLoss", "did you mean"],
    ["not a function", { afterEpoch: 1 }, "TrainerHooks.afterEpoch", "a function"],
    ["state without restore", { checkpointState: { save: () => ({}) } }, "checkpointState", "save"],
    ["state without save", { checkpointState: { restore: () => {} } }, "checkpointState", "save"],
    // The trainer calls this hook first: it is checked before, not a TypeError from the call.
    [
      "not a function, called first",
      { checkTrainerConfig: {} },
      "checkTrainerConfig",
      "a function",
    ],
  ];
  try {
    for (const [label, hooks, setting, allowed] of cases) {
      const error = await trainModel(model, split, { maxEpochs: 1 }, { ...quiet, ...hooks })
        .then(() => undefined, (e) => e);
      assert(error instanceof SettingError, `${label}: expected a SettingError, got ${error}`);
      assert(error.setting.endsWith(setting), `${label}: ${error.setting}`);
      assert(error.message.includes(allowed), `${label}: ${error.message}`);
    }
    assertEquals(called, 0);
    // A hook given as undefined is no hook (an optional field passed on as it is), not a refusal.
    const result = await trainModel(model, split, { maxEpochs: 1 }, {
      ...quiet,
      afterEpoch: undefined,
      auxiliaryLoss: undefined,
    });
    assertEquals(result.epochsRun, 1);
  } finally {
    model.dispose();
  }
});

const badModel: [string, ModelConfigInput, string, string][] = [
  ["backbone 'lstm'", { backbone: "lstm" as "sasrec" }, "ModelConfig.backbone", '"lstm"'],
  ["dim 0", { dim: 0 }, "ModelConfig.dim", "0"],
  ["dim -8", { dim: -8 }, "ModelConfig.dim", "-8"],
  ["dim 12.5", { dim: 12.5 }, "ModelConfig.dim", "12.5"],
  ["maxLength 0", { maxLength: 0 }, "ModelConfig.maxLength", "0"],
  ["blocks 0", { sasrec: { blocks: 0 } }, "ModelConfig.sasrec.blocks", "0"],
  ["heads 0", { sasrec: { heads: 0 } }, "ModelConfig.sasrec.heads", "0"],
  ["heads 3 with dim 64", { sasrec: { heads: 3 } }, "ModelConfig.sasrec.heads", "3"],
  // Both divide 64 with no remainder: only the integer >= 1 check refuses them.
  ["heads -2", { sasrec: { heads: -2 } }, "ModelConfig.sasrec.heads", "-2"],
  ["heads 0.5", { sasrec: { heads: 0.5 } }, "ModelConfig.sasrec.heads", "0.5"],
  ["dropout 1", { sasrec: { dropout: 1 } }, "ModelConfig.sasrec.dropout", "1"],
  ["dropout -0.1", { sasrec: { dropout: -0.1 } }, "ModelConfig.sasrec.dropout", "-0.1"],
  ["GRU dropout 2", { gru4rec: { dropout: 2 } }, "ModelConfig.gru4rec.dropout", "2"],
  ["GRU dropout 1", { gru4rec: { dropout: 1 } }, "ModelConfig.gru4rec.dropout", "1"],
  ["feedForwardDim 0", { sasrec: { feedForwardDim: 0 } }, "ModelConfig.sasrec.feedForwardDim", "0"],
  ["fusion 'max'", { fusion: { kind: "max" as "mean" } }, "ModelConfig.fusion.kind", '"max"'],
  ["no modalities", { modalities: [] }, "ModelConfig.modalities", "[]"],
  // Built a second encoder of the same name: "ParameterStore: parameter ... created twice".
  ["modality twice", { modalities: ["id", "id"] }, "ModelConfig.modalities", '["id", "id"]'],
  ["model seed -2", { seed: -2 }, "ModelConfig.seed", "-2"],
  ["model seed 2^31", { seed: 2 ** 31 }, "ModelConfig.seed", "2147483648"],
  [
    "a modality that is not a name",
    { modalities: [1] as unknown as string[] },
    "ModelConfig.modalities",
    "[1]",
  ],
  // Keys that are not settings, at every level: each was ignored or kept as a stray field.
  ["unknown key hidden", { hidden: 16 } as ModelConfigInput, "ModelConfig.hidden", "16"],
  [
    "unknown sasrec key layers",
    { sasrec: { layers: 4 } } as ModelConfigInput,
    "ModelConfig.sasrec.layers",
    "4",
  ],
  [
    "unknown gru4rec key hidden",
    { gru4rec: { hidden: 8 } } as ModelConfigInput,
    "ModelConfig.gru4rec.hidden",
    "8",
  ],
  [
    "unknown fusion key norm",
    { fusion: { norm: true } } as ModelConfigInput,
    "ModelConfig.fusion.norm",
    "true",
  ],
  ["sasrec not an object", { sasrec: 2 } as unknown as ModelConfigInput, "ModelConfig.sasrec", "2"],
  // Read as truthy: the string "false" switched the projection on.
  [
    "fusion projection 'false'",
    { fusion: { projection: "false" } } as unknown as ModelConfigInput,
    "ModelConfig.fusion.projection",
    '"false"',
  ],
];

for (const [label, input, setting, value] of badModel) {
  Deno.test(`model setting rejected: ${label}`, () => {
    assertSettingError(assertThrows(() => resolveModelConfig(input)), setting, value);
    const split = leaveOneOut(cycleDataset(4, 8, 5), 5);
    assertSettingError(
      assertThrows(() => new SequentialRecommender(split.dataset, input)),
      setting,
      value,
    );
  });
}

Deno.test("model setting rejected: a modality the dataset does not have names the dataset's", () => {
  // Only the model knows the dataset: this was a plain Error from the encoders, not a SettingError.
  const split = leaveOneOut(cycleDataset(4, 8, 5), 5);
  const before = tf.memory().numTensors;
  const error = assertThrows(() =>
    new SequentialRecommender(split.dataset, { modalities: ["id", "image"] })
  );
  assertSettingError(error, "ModelConfig.modalities", '["id", "image"]');
  assert((error as Error).message.includes(`dataset "cycle-4x8"'s modalities ("id")`), `${error}`);
  assertEquals(tf.memory().numTensors, before);
});

const badDemure: [string, Record<string, unknown>, string, string][] = [
  ["variant 'partial'", { variant: "partial" }, "DemureConfig.variant", '"partial"'],
  ["temperature 0", { temperature: 0 }, "DemureConfig.temperature", "0"],
  ["temperature -1", { temperature: -1 }, "DemureConfig.temperature", "-1"],
  ["lambda -0.1", { lambda: -0.1 }, "DemureConfig.lambda", "-0.1"],
  ["lambda NaN", { lambda: NaN }, "DemureConfig.lambda", "NaN"],
  ["rho 0", { rho: 0 }, "DemureConfig.rho", "0"],
  ["rho 1", { rho: 1 }, "DemureConfig.rho", "1"],
  ["warmupSteps -1", { warmupSteps: -1 }, "DemureConfig.warmupSteps", "-1"],
  ["warmupSteps 2.5", { warmupSteps: 2.5 }, "DemureConfig.warmupSteps", "2.5"],
  ["warmupEpochs -1", { warmupEpochs: -1 }, "DemureConfig.warmupEpochs", "-1"],
  ["warmupBy 'visits'", { warmupBy: "visits" }, "DemureConfig.warmupBy", '"visits"'],
  ["lambda Infinity", { lambda: Infinity }, "DemureConfig.lambda", "Infinity"],
  [
    "noiseViewAsNegative 'false'",
    { noiseViewAsNegative: "false" },
    "DemureConfig.noiseViewAsNegative",
    '"false"',
  ],
  ["everyVisits 0", { everyVisits: 0 }, "DemureConfig.everyVisits", "0"],
  // Replaced by everyVisits: an old notebook's setting must not pass silently as the default.
  ["everySteps 10 (replaced)", { everySteps: 10 }, "DemureConfig.everySteps", "10"],
  ["a misspelt setting", { lamda: 0.5 }, "DemureConfig.lamda", "0.5"],
  ["denoiseInput 'yes'", { denoiseInput: "yes" }, "DemureConfig.denoiseInput", '"yes"'],
  [
    "a misspelt attribution setting",
    { attribution: { mthod: "occlusion" } },
    "DemureConfig.attribution.mthod",
    '"occlusion"',
  ],
];

for (const [label, input, setting, value] of badDemure) {
  Deno.test(`Demure setting rejected at config time: ${label}`, () => {
    assertSettingError(assertThrows(() => resolveDemureConfig(input)), setting, value);
  });
}

Deno.test("the inclusive bounds of the ranges are accepted (docs/configuration.md)", () => {
  // Each is the edge of its documented range: a check one step too strict refused a valid value
  // (lambda 0 is the ablation without the contrastive term, warmupEpochs 0 no warm-up).
  const demure = {
    lambda: 0,
    warmupSteps: 0,
    warmupEpochs: 0,
    trainingPassSmoothing: 1,
  };
  assertEquals({ ...resolveDemureConfig(demure), ...demure }, resolveDemureConfig(demure));
  assertEquals(resolveTrainerConfig({ seed: 2 ** 31 - 1 }).seed, 2 ** 31 - 1);
  assertEquals(resolveModelConfig({ seed: 2 ** 31 - 1 }).seed, 2 ** 31 - 1);
  assertEquals(resolveModelConfig({ gru4rec: { dropout: 0 } }).gru4rec.dropout, 0);
});

Deno.test("checkNumber refuses the infinities and NaN whatever the range", () => {
  for (const value of [Infinity, -Infinity, NaN]) {
    const error = assertThrows(() => checkNumber("X.value", value), SettingError) as SettingError;
    assertEquals(error.allowed, "a finite number");
  }
});

Deno.test("Demure settings at the closed ends of their documented ranges are accepted", () => {
  // docs/configuration.md: lambda >= 0 (0: the contrastive term off, a sensitivity point),
  // warmupSteps and warmupEpochs >= 0, everyVisits >= 1, trainingPassSmoothing <= 1.
  const edges = { lambda: 0, warmupSteps: 0, warmupEpochs: 0, everyVisits: 1 };
  const config = resolveDemureConfig({ ...edges, trainingPassSmoothing: 1 });
  assertEquals(
    [config.lambda, config.warmupSteps, config.warmupEpochs, config.everyVisits],
    [0, 0, 0, 1],
  );
  assertEquals(config.trainingPassSmoothing, 1);
});

Deno.test("an unknown key's error lists the settings of its level", () => {
  const trainer = assertThrows(() => resolveTrainerConfig({ epochs: 2 } as never), SettingError);
  assert(trainer.message.includes("one of the settings maxEpochs, batchSize"), trainer.message);
  const sasrec = assertThrows(
    () => resolveModelConfig({ sasrec: { layers: 4 } } as never),
    SettingError,
  );
  assert(sasrec.message.includes("blocks, heads, dropout, feedForwardDim"), sasrec.message);
});

Deno.test("a mistyped key's error names the setting it most likely meant", () => {
  // A notebook cell with `maxEpoch: 3` said only "one of the settings maxEpochs, batchSize, ...".
  const typo = assertThrows(() => resolveTrainerConfig({ maxEpoch: 3 } as never), SettingError);
  assert(typo.message.endsWith("; did you mean maxEpochs?"), typo.message);
  assert(typo.message.includes("one of the settings maxEpochs, batchSize"), typo.message);
  const nested = assertThrows(
    () => resolveTrainerConfig({ optimizer: { learningrate: 0.01 } } as never),
    SettingError,
  );
  assert(nested.message.endsWith("did you mean learningRate?"), nested.message);
  // Far from every setting: no guess.
  const far = assertThrows(() => resolveTrainerConfig({ epochs: 2 } as never), SettingError);
  assert(!far.message.includes("did you mean"), far.message);
});

Deno.test("an optimizer or loss setting at the trainer's level says where it belongs", () => {
  const error = assertThrows(
    () => resolveTrainerConfig({ learningRate: 0.003 } as never),
    SettingError,
  ) as SettingError;
  assertEquals(error.setting, "TrainerConfig.learningRate");
  assertEquals(
    error.allowed,
    "a setting of optimizer, not of the trainer: { optimizer: { learningRate } }",
  );
});

Deno.test("closestSettingName: case, up to two edits, a swap; none when ambiguous or far", () => {
  const names = ["maxEpochs", "batchSize", "seed", "ranking"];
  assertEquals(closestSettingName("MaxEpochs", names), "maxEpochs");
  assertEquals(closestSettingName("maxEpoch", names), "maxEpochs");
  assertEquals(closestSettingName("batchsize", names), "batchSize");
  assertEquals(closestSettingName("bacthSize", names), "batchSize");
  assertEquals(closestSettingName("sed", names), "seed");
  assertEquals(closestSettingName("epochs", names), null);
  assertEquals(closestSettingName("x", names), null);
  assertEquals(closestSettingName("abc", ["abd", "abe"]), null);
});

Deno.test("closestSettingName: a swap is one edit, only of two neighbours; the limit is 2 from 5 letters", () => {
  const names = ["maxEpochs", "batchSize", "seed", "ranking"];
  // Under 5 letters one edit is allowed: a swap must count as one ("sede"), and "sexe" is two
  // edits from "seed" (its "e" matches but the letter before it does not), so no guess.
  assertEquals(closestSettingName("sede", names), "seed");
  assertEquals(closestSettingName("sexe", names), null);
  // Exactly 5 letters: two edits are allowed ("rakng" lacks the "n" and the "i" of "ranking").
  assertEquals(closestSettingName("rakng", names), "ranking");
});

Deno.test("closestSettingName: a name matching two settings up to case guesses neither", () => {
  assertEquals(closestSettingName("SEED", ["seed", "Seed", "ranking"]), null);
});

Deno.test("describeRange words inclusive and exclusive bounds apart", () => {
  assertEquals(describeRange({ above: 0, below: 1 }), "a finite number > 0 and < 1");
  assertEquals(describeRange({ min: 1, max: 9 }, true), "an integer >= 1 and <= 9");
  assertEquals(describeRange({}), "a finite number");
});

Deno.test("checkSettingNames refuses an array, even an empty one, as a settings object", () => {
  const known = { maxEpochs: 1, batchSize: 2 };
  checkSettingNames("TrainerConfig", { maxEpochs: 3 }, known);
  for (const input of [[], [1], null, 3, "maxEpochs"]) {
    const error = assertThrows(
      () => checkSettingNames("TrainerConfig", input, known),
      SettingError,
    ) as SettingError;
    assertEquals(error.setting, "TrainerConfig");
    assertEquals(error.allowed, "an object with some of the settings maxEpochs, batchSize");
  }
});

Deno.test("checkSettingNames refuses a key every object inherits (constructor, toString)", () => {
  // A settings object parsed from JSON may hold any key; one that only the prototype has is not
  // a setting (`in` would have taken it for one).
  for (const key of ["constructor", "toString", "hasOwnProperty"]) {
    const error = assertThrows(
      () => resolveTrainerConfig(JSON.parse(`{"${key}": 1}`)),
      SettingError,
    ) as SettingError;
    assertEquals(error.setting, `TrainerConfig.${key}`);
  }
});

Deno.test("CL4SRec settings rejected when the hook is built", () => {
  assertSettingError(
    assertThrows(() => cl4srecAuxiliaryLoss({ temperature: 0 })),
    "Cl4SRecConfig.temperature",
    "0",
  );
  assertSettingError(
    assertThrows(() => cl4srecAuxiliaryLoss({ maskRatio: 1.5 })),
    "Cl4SRecConfig.maskRatio",
    "1.5",
  );
});

Deno.test("plan: unknown plan size, system name and empty or bad seed lists rejected", () => {
  assertSettingError(
    assertThrows(() => planExperiments("huge" as "quick")),
    "plan size (ExperimentMode)",
    '"huge"',
  );
  assertSettingError(assertThrows(() => planExperiments("quick", [])), "plan seeds", "[]");
  assertSettingError(assertThrows(() => planExperiments("quick", [0, 0])), "plan seeds", "[0, 0]");
  assertSettingError(assertThrows(() => planExperiments("quick", [-1])), "plan seeds", "[-1]");
  assertSettingError(assertThrows(() => systemByName("BERT4Rec")), "system name", '"BERT4Rec"');
  assertSettingError(
    assertThrows(() => withDemure("Demure-X" as "Demure-SASRec", {})),
    "system name",
    '"Demure-X"',
  );
});

Deno.test("batcher: batch size 0 is rejected at once, not looped on", () => {
  const split = leaveOneOut(cycleDataset(4, 8, 5), 5);
  assertSettingError(
    assertThrows(() => trainingBatches(split, 0, { batchSize: 0, seed: 0, shuffle: true })),
    "BatcherConfig.batchSize",
    "0",
  );
});

Deno.test("Adam built directly validates its config too", () => {
  assertSettingError(assertThrows(() => new Adam({ ...adam, beta1: 1 })), "AdamConfig.beta1", "1");
  // A misspelt rate would train at the default one.
  const misspelt = { ...adam, lr: 0.01 } as unknown as typeof adam;
  assertSettingError(assertThrows(() => new Adam(misspelt)), "AdamConfig.lr", "0.01");
});

Deno.test("Adam accepts the closed ends of its ranges: beta1 0, beta2 0, weight decay 0", () => {
  // beta1 0 is Adam without momentum (RMSProp with bias correction), a setting of its own.
  for (const edge of [{ beta1: 0 }, { beta2: 0 }, { beta1: 0, beta2: 0, weightDecay: 0 }]) {
    new Adam({ ...adam, ...edge }).dispose();
  }
});

/** A one-block SASRec without dropout on a cycle dataset (16 users, 20 items, histories of 8). */
function oneBlockCycleModel(seed: number) {
  const split = leaveOneOut(cycleDataset(16, 20, 9), 8);
  const model = new SequentialRecommender(split.dataset, {
    dim: 16,
    maxLength: 8,
    sasrec: { blocks: 1, heads: 1, dropout: 0 },
    seed,
  });
  return { split, model };
}

Deno.test("divergence: an exploding loss (not NaN) stops training with a clear error", async () => {
  const { split, model } = oneBlockCycleModel(3);
  try {
    // lr 10 (the largest allowed) with a low guard: the loss explodes within a few epochs.
    const error = await within(60_000, () =>
      assertRejects(
        () =>
          trainModel(model, split, {
            maxEpochs: 20,
            batchSize: 8,
            patience: 100,
            optimizer: { ...adam, learningRate: 10 },
            divergenceFactor: 2,
          }, quiet),
        TrainingDivergedError,
      ));
    assert(error.message.includes("divergenceFactor"), error.message);
    assert(error.message.includes("learningRate"), error.message);
  } finally {
    model.dispose();
  }
});

Deno.test("maxWallSeconds: stops after the current epoch, restores the best weights, says why", async () => {
  const { split, model } = oneBlockCycleModel(4);
  // The run's clock reads performance.now: a fake one that only the third validation advances, so
  // the budget runs out in epoch 3 however slowly a loaded machine trains epochs 1 and 2.
  const clock = fakeClock();
  try {
    let validations = 0;
    // Epoch 2 is the best; the third validation uses up the 2 s budget, so the run stops after
    // epoch 3 and must hand back epoch 2's weights.
    const scores = [0.3, 0.5, 0.4];
    const snapshots: Float32Array[] = [];
    const result = await trainModel(model, split, {
      maxEpochs: 50,
      batchSize: 8,
      patience: 100,
      optimizer: { ...adam, learningRate: 0.01 },
      maxWallSeconds: 2,
    }, {
      ...quiet,
      validate: (m) => {
        snapshots.push(Float32Array.from(m.parameters.get(m.parameters.names()[0]).dataSync()));
        if (validations === 2) clock.advance(2_000); // reach the budget: it is spent
        return { "NDCG@10": scores[validations++] ?? 0 };
      },
    });
    assertEquals(result.epochsRun, 3, "stops after the epoch in which the budget ran out");
    assertEquals(result.stoppedBy, "time_budget");
    assert(result.stoppedEarly);
    assertEquals(result.bestEpoch, 2);
    const after = model.parameters.get(model.parameters.names()[0]).dataSync();
    assertEquals(Float32Array.from(after), snapshots[1]);
    assert(snapshots[1].some((v, i) => v !== snapshots[2][i]), "epochs 2 and 3 differ");
  } finally {
    clock.restore();
    model.dispose();
  }
});

Deno.test("maxWallSeconds: a generous budget changes nothing (stoppedBy max_epochs)", async () => {
  const split = leaveOneOut(cycleDataset(8, 12, 6), 6);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 6 });
  try {
    const result = await trainModel(model, split, {
      maxEpochs: 2,
      batchSize: 8,
      maxWallSeconds: 3600,
    }, quiet);
    assertEquals(result.epochsRun, 2);
    assertEquals(result.stoppedBy, "max_epochs");
    assert(!result.stoppedEarly);
  } finally {
    model.dispose();
  }
});

Deno.test("maxWallSeconds: a budget spent in the last epoch is no early stop (stoppedBy max_epochs)", async () => {
  const { split, model } = oneBlockCycleModel(4);
  // A fake clock that only the last validation advances, past the budget: every epoch was run,
  // so nothing stopped early (the time budget ends a run only with epochs left).
  const clock = fakeClock();
  try {
    let validations = 0;
    const result = await trainModel(model, split, {
      maxEpochs: 2,
      batchSize: 8,
      patience: 100,
      maxWallSeconds: 2,
    }, {
      ...quiet,
      validate: () => {
        if (++validations === 2) clock.advance(2_100);
        return { "NDCG@10": validations / 10 };
      },
    });
    assertEquals(result.epochsRun, 2);
    assertEquals(result.stoppedBy, "max_epochs");
    assert(!result.stoppedEarly);
  } finally {
    clock.restore();
    model.dispose();
  }
});

const badAttribution: [string, Record<string, unknown>, string, string][] = [
  ["method 'lime'", { method: "lime" }, "DemureConfig.attribution.method", '"lime"'],
  [
    "integratedGradientsSteps 0",
    { integratedGradientsSteps: 0 },
    "DemureConfig.attribution.integratedGradientsSteps",
    "0",
  ],
  [
    "normalisation 'minmax'",
    { normalisation: "minmax" },
    "DemureConfig.attribution.normalisation",
    '"minmax"',
  ],
  ["granularity 'item'", { granularity: "item" }, "DemureConfig.attribution.granularity", '"item"'],
  [
    "integratedGradientsBaseline 'mean'",
    { integratedGradientsBaseline: "mean" },
    "DemureConfig.attribution.integratedGradientsBaseline",
    '"mean"',
  ],
];

for (const [label, attribution, setting, value] of badAttribution) {
  Deno.test(`Demure attribution setting rejected at config time (not after warm-up): ${label}`, () => {
    assertSettingError(
      assertThrows(() => resolveDemureConfig({ attribution } as never)),
      setting,
      value,
    );
  });
}
