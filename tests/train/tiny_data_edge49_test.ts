/**
 * The smallest and oddest valid data a researcher may bring, through training, evaluation,
 * attribution and Demure: a split without a training pair (refused, naming why), one user with
 * the shortest trainable history, maxLength 1 and maxLength past every history, a modality that no
 * item has, a target item without a modality, the id modality alone, an item seen only as a test
 * target, a batch larger than the users and a cut-off past the catalogue. Each gives finite
 * numbers or a clear error; none NaN, a hang or a tfjs error.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { datasetFingerprint } from "../../lib/data/fingerprint.ts";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import { evaluationBatches } from "../../lib/data/protocol/batcher.ts";
import type { InteractionDataset, LeaveOneOutSplit, ModalityFeatures } from "../../lib/data/mod.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import type { TrainerConfig, TrainerHooks, TrainingResult } from "../../lib/train/config.ts";
import { evaluateRanking } from "../../lib/eval/evaluate.ts";
import { modelScorer } from "../../lib/eval/scorer.ts";
import { attributeBatch } from "../../lib/attribution/attribute_batch.ts";
import { withNextItemTargets } from "../../lib/attribution/sequence_loss.ts";
import type { AttributionResult } from "../../lib/attribution/types.ts";
import { demureHooks } from "../../lib/demure/objective.ts";
import { modalityNoiseRates } from "../../lib/demure/noise_rates.ts";
import { DEFAULT_DEMURE_CONFIG } from "../../lib/demure/config.ts";
import { cl4srecAuxiliaryLoss } from "../../lib/baselines/cl4srec.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { tinyDataset } from "../data/_tiny_dataset.ts";
import { weightsOf } from "./_seeded_run.ts";

await initBackend({ verbose: false });

/** Two users of 6 interactions over 6 items (train 4, validation, test). */
const TWO_USERS = [[0, 1, 2, 3, 4, 5], [1, 2, 3, 0, 5, 4]];
const quiet: TrainerHooks = { onProgress: () => {} };

/** `dataset` with other modalities (and so another fingerprint). */
function withModalities(
  dataset: InteractionDataset,
  modalities: ModalityFeatures[],
): InteractionDataset {
  const changed = { ...dataset, modalities, metadata: { ...dataset.metadata } };
  changed.metadata.fingerprint = datasetFingerprint(changed);
  return changed;
}

/** tinyDataset's dense "value" modality with no item having it. */
function valueNowhere(dataset: InteractionDataset): InteractionDataset {
  const [id, value] = dataset.modalities;
  return withModalities(dataset, [id, {
    ...value,
    values: new Float32Array(value.values.length),
    present: new Uint8Array(value.present.length),
  }]);
}

/**
 * A small SASRec on `split` trained with `trainer` (1 epoch, batches of 4, unless set); the caller
 * disposes the model (a failed run's is disposed here).
 */
async function trained(
  split: LeaveOneOutSplit,
  trainer: Partial<TrainerConfig> = {},
  hooksFor: (model: SequentialRecommender) => TrainerHooks = () => ({}),
): Promise<{ model: SequentialRecommender; result: TrainingResult }> {
  const model = new SequentialRecommender(split.dataset, {
    dim: 8,
    maxLength: split.maxLength,
    seed: 3,
  });
  try {
    const result = await trainModel(
      model,
      split,
      { seed: 0, maxEpochs: 1, batchSize: 4, ...trainer },
      { ...hooksFor(model), ...quiet },
    );
    return { model, result };
  } catch (error) {
    model.dispose(); // a refused run's model stays nowhere
    throw error;
  }
}

/** Every epoch ran `steps` steps with finite losses and a validation NDCG@10 in [0, 1]. */
function assertFiniteTraining(result: TrainingResult, steps: number): void {
  for (const epoch of result.history) {
    assertEquals(epoch.steps, steps, `epoch ${epoch.epoch}: steps`);
    assert(Number.isFinite(epoch.loss) && epoch.loss > 0, `epoch ${epoch.epoch}: ${epoch.loss}`);
    const ndcg = epoch.validation?.["NDCG@10"];
    assert(ndcg !== undefined && ndcg >= 0 && ndcg <= 1, `epoch ${epoch.epoch}: NDCG ${ndcg}`);
  }
}

/** The test evaluation at cut-offs 1 and 2: every metric of every user finite and in [0, 1]. */
async function assertFiniteTest(model: SequentialRecommender, split: LeaveOneOutSplit) {
  const result = await evaluateRanking(modelScorer(model), split, {
    stage: "test",
    cutoffs: [1, 2],
  });
  assertEquals(result.users.length, split.train.length);
  for (const [name, values] of Object.entries(result.perUser)) {
    for (const value of values) assert(value >= 0 && value <= 1, `${name}: ${value}`);
  }
  return result;
}

/** The attribution of the test histories continued by their targets. */
async function attributedTest(
  model: SequentialRecommender,
  split: LeaveOneOutSplit,
  method: "gradient_x_input" | "occlusion" = "gradient_x_input",
): Promise<AttributionResult> {
  const [{ batch, targets }] = evaluationBatches(split, "test", split.train.length);
  return await attributeBatch(model, withNextItemTargets(batch, targets), { method });
}

/** Finite contributions everywhere, finite normalised values at every valid pair. */
function assertFiniteAttribution(result: AttributionResult): void {
  result.contributions.forEach((value, i) => assert(Number.isFinite(value), `contribution ${i}`));
  result.normalised.forEach((value, i) => {
    if (result.validMask[i] === 1) assert(Number.isFinite(value), `normalised ${i}: ${value}`);
  });
}

Deno.test("trainModel refuses a split without a training pair, naming why, before any step", async () => {
  // 3 interactions each: leave-one-out leaves 1 training item, no next-item pair. Before, every
  // epoch ran 0 steps, reported a loss of 0 and returned the model untrained.
  const split = leaveOneOutSplit(tinyDataset([[0, 1, 2], [1, 2, 3]], 4), { maxLength: 5 });
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 5, seed: 3 });
  const before = weightsOf(model);
  const error = await assertRejects(
    () => trainModel(model, split, { seed: 0, maxEpochs: 2 }, quiet),
    Error,
    "trainModel: split of dataset tiny has no training pair: every one of its 2 users has " +
      "fewer than 2 training items",
  );
  assertStringIncludes(error.message, "at least 4 interactions");
  assertEquals(weightsOf(model), before, "no step ran");
  // Demure's warm-up check would blame its warm-up ("train longer"): the split is the cause.
  const demure = demureHooks(model, {});
  await assertRejects(
    () => trainModel(model, split, { seed: 0, maxEpochs: 2 }, { ...demure.hooks, ...quiet }),
    Error,
    "has no training pair",
  );
  const one = leaveOneOutSplit(tinyDataset([[0, 1, 2]], 4), { maxLength: 5 });
  await assertRejects(
    () => trainModel(model, one, { seed: 0 }, quiet),
    Error,
    "its one user has fewer than 2 training items",
  );
  const none = leaveOneOutSplit(tinyDataset([], 4), { maxLength: 5 });
  await assertRejects(() => trainModel(model, none, { seed: 0 }, quiet), Error, "it has no user");
  model.dispose();
});

Deno.test("one user of 4 interactions trains 1 step an epoch; a user without a pair beside it is fine", async () => {
  const alone = leaveOneOutSplit(tinyDataset([[0, 1, 2, 3]], 4), { maxLength: 5 });
  const { model, result } = await trained(alone, { batchSize: 128 });
  assertEquals(result.history.length, 1);
  assertFiniteTraining(result, 1);
  await assertFiniteTest(model, alone);
  model.dispose();
  // Only one of the two users gives a pair: training runs on it.
  const mixed = leaveOneOutSplit(tinyDataset([[0, 1, 2], [0, 1, 2, 3]], 4), { maxLength: 5 });
  const second = await trained(mixed, { maxEpochs: 2 });
  assertFiniteTraining(second.result, 1);
  await assertFiniteTest(second.model, mixed);
  second.model.dispose();
});

Deno.test("a batch larger than the users trains exactly as a batch that just holds them", async () => {
  const split = leaveOneOutSplit(tinyDataset(TWO_USERS, 6), { maxLength: 5 });
  // 2 users, one window each: 2 rows. One batch of 2 and one batch of 1000 are the same batch.
  const exact = await trained(split, { batchSize: 2, maxEpochs: 2 });
  const larger = await trained(split, { batchSize: 1000, maxEpochs: 2 });
  assertFiniteTraining(larger.result, 1);
  assertEquals(weightsOf(larger.model), weightsOf(exact.model));
  assertEquals(larger.result.history.map((e) => e.loss), exact.result.history.map((e) => e.loss));
  exact.model.dispose();
  larger.model.dispose();
});

Deno.test("maxLength 1 trains every pair as its own window; a maxLength past every history one window a user", async () => {
  const dataset = tinyDataset(TWO_USERS, 6);
  // Training histories of 4 items: 3 pairs, so 3 windows of 1 a user, 6 rows, 2 batches of 4.
  const short = leaveOneOutSplit(dataset, { maxLength: 1 });
  const one = await trained(short, { maxEpochs: 2 });
  assertFiniteTraining(one.result, 2);
  await assertFiniteTest(one.model, short);
  const attributed = await attributedTest(one.model, short);
  assertEquals(attributed.shape, [2, 1, 2]);
  assertFiniteAttribution(attributed);
  one.model.dispose();
  const long = leaveOneOutSplit(dataset, { maxLength: 100 });
  const wide = await trained(long, { maxEpochs: 2 });
  assertFiniteTraining(wide.result, 1);
  await assertFiniteTest(wide.model, long);
  const padded = await attributedTest(wide.model, long);
  assertEquals(padded.shape, [2, 100, 2]);
  assertFiniteAttribution(padded);
  // Only the 5 real positions of each test history are valid pairs (id; value for even items).
  assertEquals(padded.validMask.reduce((sum, v) => sum + v, 0), 10 + 5);
  wide.model.dispose();
});

Deno.test("a modality no item has: finite training and evaluation, no valid pair, never noise, unmeasured by Demure", async () => {
  const split = leaveOneOutSplit(valueNowhere(tinyDataset(TWO_USERS, 6)), { maxLength: 5 });
  const { model, result } = await trained(split, { maxEpochs: 2 });
  assertFiniteTraining(result, 1);
  await assertFiniteTest(model, split);
  for (const method of ["gradient_x_input", "occlusion"] as const) {
    const attributed = await attributedTest(model, split, method);
    assertFiniteAttribution(attributed);
    const [, , modalities] = attributed.shape;
    attributed.validMask.forEach((valid, i) => {
      if (i % modalities === 1) assertEquals([valid, attributed.noiseMask[i]], [0, 0], `pair ${i}`);
    });
    assertEquals(attributed.aggregateByModality[1].count, 0);
    assertEquals(attributed.aggregateByModality[0].count, 10);
  }
  model.dispose();
  let stats;
  const demure = await trained(split, { maxEpochs: 2 }, (model) => {
    const training = demureHooks(model, { warmupSteps: 0 });
    stats = () => training.stats();
    return training.hooks;
  });
  assertFiniteTraining(demure.result, 1);
  const rates = modalityNoiseRates(stats!());
  assertEquals(rates.unmeasured.map((rate) => rate.modality), ["value"]);
  assertEquals(rates.measured.map((rate) => rate.modality), ["id"]);
  demure.model.dispose();
});

Deno.test("a test target without the content modality, and an item seen only as a test target, are ranked", async () => {
  // Item 5 (odd: no "value" modality) is user 0's test target and appears nowhere else.
  const split = leaveOneOutSplit(tinyDataset([[0, 1, 2, 3, 4, 5], [1, 2, 3, 0, 2, 4]], 6), {
    maxLength: 5,
  });
  assertEquals(split.testTarget[0], 5);
  const { model, result } = await trained(split, { maxEpochs: 2 });
  assertFiniteTraining(result, 1);
  const test = await assertFiniteTest(model, split);
  // User 0's history excludes 5 items: the target is ranked among the one other candidate.
  assert(test.ranks[0] === 0 || test.ranks[0] === 1, `rank ${test.ranks[0]}`);
  assertFiniteAttribution(await attributedTest(model, split));
  model.dispose();
});

Deno.test("the id modality alone: finite training, evaluation and attribution; Demure masks nothing among one modality, something among its pairs", async () => {
  const dataset = tinyDataset(TWO_USERS, 6);
  const split = leaveOneOutSplit(withModalities(dataset, [dataset.modalities[0]]), {
    maxLength: 5,
  });
  const { model, result } = await trained(split, { maxEpochs: 2 });
  assertFiniteTraining(result, 1);
  await assertFiniteTest(model, split);
  assertFiniteAttribution(await attributedTest(model, split));
  // Chosen among a user's modalities, one modality gives no noise: never all of them.
  const [{ batch, targets }] = evaluationBatches(split, "test", 2);
  const byModality = await attributeBatch(model, withNextItemTargets(batch, targets), {
    granularity: "user_modality",
  });
  assertFiniteAttribution(byModality);
  assertEquals(byModality.noiseMask.reduce((sum, v) => sum + v, 0), 0);
  // So Demure at that granularity (its default) masks nothing: documented ("a user with one
  // present modality has no noise"), and what a featureless imported dataset's Demure cells run.
  model.dispose();
  let plain;
  const unmasked = await trained(split, { maxEpochs: 2 }, (model) => {
    const training = demureHooks(model, { warmupSteps: 0 });
    plain = () => training.stats();
    return training.hooks;
  });
  assertFiniteTraining(unmasked.result, 1);
  assertEquals(modalityNoiseRates(plain!()).measured.map((rate) => [rate.modality, rate.noise]), [
    ["id", 0],
  ]);
  unmasked.model.dispose();
  // Chosen among (position, modality) pairs, one modality has noise to mask.
  let stats;
  const demure = await trained(split, { maxEpochs: 2 }, (model) => {
    const training = demureHooks(model, {
      warmupSteps: 0,
      attribution: { ...DEFAULT_DEMURE_CONFIG.attribution, granularity: "pair" },
    });
    stats = () => training.stats();
    return training.hooks;
  });
  assertFiniteTraining(demure.result, 1);
  const [id] = modalityNoiseRates(stats!()).measured;
  assertEquals(id.modality, "id");
  assert(id.noise > 0 && id.noise < id.pairs, `${id.noise} of ${id.pairs} pairs`);
  demure.model.dispose();
});

Deno.test("a cut-off past the catalogue is a SettingError naming it, the value and the range", async () => {
  const split = leaveOneOutSplit(tinyDataset([[0, 1, 2, 3], [1, 2, 3, 0]], 4), { maxLength: 5 });
  const { model } = await trained(split);
  const error = await assertRejects(
    () => evaluateRanking(modelScorer(model), split, { stage: "test", cutoffs: [1, 5] }),
    SettingError,
  );
  assertStringIncludes(error.message, "EvaluationConfig.cutoffs[1] is 5");
  assertStringIncludes(error.message, "<= 4");
  assertStringIncludes(error.message, "the 4 items of the catalogue");
  // K equal to the catalogue is allowed: every target is within it.
  const full = await evaluateRanking(modelScorer(model), split, { stage: "test", cutoffs: [4] });
  assertEquals(full.metrics["HR@4"], 1);
  model.dispose();
});

Deno.test("a split longer than a SASRec's maxLength is refused by evaluation naming both settings", async () => {
  const split = leaveOneOutSplit(tinyDataset(TWO_USERS, 6), { maxLength: 5 });
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 3, seed: 3 });
  const error = await assertRejects(
    () => evaluateRanking(modelScorer(model), split, { stage: "test", cutoffs: [1] }),
    Error,
    "sequence length 5 exceeds maxLength 3 (ModelConfig.maxLength",
  );
  assertStringIncludes(error.message, "or a split with SplitConfig.maxLength <= 3");
  model.dispose();
});

Deno.test("a batch of one row: CL4SRec and Demure without its noise view refuse naming TrainerConfig.batchSize; Demure with it trains", async () => {
  // 3 users of one window each in batches of 2: every epoch ends with a batch of 1 row, which has
  // no in-batch negative. The losses refused it naming no setting ("ntXent: needs at least 2
  // rows", "infoNce: no negatives").
  const split = leaveOneOutSplit(tinyDataset([...TWO_USERS, [2, 3, 4, 5, 0]], 6), { maxLength: 5 });
  const trainer = { batchSize: 2, maxEpochs: 2 };
  for (const loss of ["nt_xent", "one_way"] as const) {
    const error = await assertRejects(
      () => trained(split, trainer, () => ({ auxiliaryLoss: cl4srecAuxiliaryLoss({ loss }) })),
      Error,
      "CL4SRec: a training batch of 1 row has no other row to be its negative",
    );
    assertStringIncludes(error.message, "TrainerConfig.batchSize");
  }
  for (const variant of ["full", "contrastive_only"] as const) {
    const error = await assertRejects(
      () =>
        trained(
          split,
          trainer,
          // Without checkTrainerConfig, which refuses such a run up front
          // (one_row_batch_upfront49_test.ts): the refusal when the batch comes.
          (model) => ({
            ...demureHooks(model, { variant, warmupSteps: 0, noiseViewAsNegative: false }).hooks,
            checkTrainerConfig: undefined,
          }),
        ),
      Error,
      "demureHooks: a training batch of 1 row has no negative",
    );
    assertStringIncludes(error.message, "TrainerConfig.batchSize");
    assertStringIncludes(error.message, "DemureConfig.noiseViewAsNegative false");
  }
  // With the noise view (the default) a row of its own has a negative: 2 steps an epoch.
  const demure = await trained(
    split,
    trainer,
    (model) => demureHooks(model, { warmupSteps: 0 }).hooks,
  );
  assertFiniteTraining(demure.result, 2);
  assert(demure.result.history.every((epoch) => epoch.auxiliaryLoss > 0));
  demure.model.dispose();
  // CL4SRec with batches that leave 2 or more rows trains.
  const cl4srec = await trained(split, { batchSize: 4 }, () => ({
    auxiliaryLoss: cl4srecAuxiliaryLoss({}),
  }));
  assertFiniteTraining(cl4srec.result, 1);
  cl4srec.model.dispose();
});
