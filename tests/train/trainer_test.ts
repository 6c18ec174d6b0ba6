import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertLess,
  assertRejects,
  assertStringIncludes,
} from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { Adam, DEFAULT_ADAM_CONFIG } from "../../lib/train/adam.ts";
import type { ParameterStore } from "../../lib/nn/parameter_store.ts";
import {
  type HookState,
  resolveTrainerConfig,
  type TrainerConfig,
  type TrainerHooks,
  TrainingDivergedError,
} from "../../lib/train/config.ts";
import { trainStep } from "../../lib/train/step.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import { readCheckpoint, saveModelCheckpoint } from "../../lib/checkpoint/checkpoint.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";
import { evaluateRanking } from "../../lib/eval/evaluate.ts";
import { modelScorer } from "../../lib/eval/scorer.ts";
import { trainingBatches } from "../../lib/data/protocol/batcher.ts";
import { recommendationLoss } from "../../lib/losses/recommendation.ts";
import { sampleNegatives } from "../../lib/losses/negative_sampling.ts";
import { createRng, hashSeeds } from "../../lib/util/random.ts";
import { cycleDataset, leaveOneOut, tinyDataset } from "../models/_fixtures.ts";
import { termWithGradient } from "./_gradient_of_choice.ts";

await initBackend({ verbose: false });

const quiet = { onProgress: (_: EpochProgress) => {} };

/** The resume tests' model settings (tinyDataset's items, a small SASRec). */
const RESUME_MODEL = { dim: 8, maxLength: 10, seed: 4 };

/** A run of `trainer` on tinyDataset saved to a fresh checkpoint folder; its model disposed. */
async function savedRun(trainer: Partial<TrainerConfig>) {
  const split = leaveOneOut(tinyDataset(), 10);
  const dir = Deno.makeTempDirSync();
  const saved = new SequentialRecommender(split.dataset, RESUME_MODEL);
  await trainModel(saved, split, { ...trainer, checkpointDir: dir }, quiet);
  saved.dispose();
  return { split, dir };
}
const small = { dim: 16, maxLength: 10, sasrec: { blocks: 1, heads: 2, dropout: 0 } };

Deno.test("a tiny SASRec overfits a tiny dataset: loss near zero, HR@1 near 1", async () => {
  const split = leaveOneOut(cycleDataset(16, 20, 9), 10);
  const model = new SequentialRecommender(split.dataset, { ...small, seed: 1 });
  const result = await trainModel(model, split, {
    maxEpochs: 60,
    batchSize: 16,
    patience: 100,
    evalEvery: 60, // one validation at the end, so the restored best weights are the final ones
    optimizer: { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
  }, quiet);
  const lastLoss = result.history[result.history.length - 1].loss;
  assertLess(lastLoss, 0.05);
  // HR@1 over every training position: the top-scored item is the next item.
  const [batch] = trainingBatches(split, 0, { batchSize: 16, seed: 0, shuffle: false });
  const hits = tf.tidy(() => {
    const out = model.forward(batch);
    const top = tf.argMax(
      tf.matMul(tf.reshape(out.states, [-1, 16]), out.itemTable, false, true),
      1,
    );
    return top.dataSync();
  });
  let correct = 0;
  let total = 0;
  batch.valid.forEach((valid, i) => {
    if (valid !== 1) return;
    total++;
    if (hits[i] === batch.targets![i]) correct++;
  });
  assertEquals(correct / total, 1, `training-position HR@1 ${correct}/${total}`);
  model.dispose();
});

Deno.test("GRU4Rec and the multi-modal model train too (loss falls)", async () => {
  for (const config of [{ backbone: "gru4rec" as const, dim: 16, maxLength: 10 }, { ...small }]) {
    const split = leaveOneOut(config.backbone ? cycleDataset(16, 20, 9) : tinyDataset(), 10);
    const model = new SequentialRecommender(split.dataset, { ...config, seed: 2 });
    const result = await trainModel(model, split, {
      maxEpochs: 30,
      batchSize: 16,
      patience: 100,
      evalEvery: 30,
      optimizer: { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
    }, quiet);
    assertLess(result.history[29].loss, 0.5 * result.history[0].loss);
    model.dispose();
  }
});

Deno.test("memory: tf.memory().numTensors does not grow over training steps (with both hooks)", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10 });
  const adam = new Adam();
  const config = resolveTrainerConfig({ batchSize: 2, loss: { kind: "bce", positions: "all" } });
  const hooks = {
    inputMask: (batch: { batchSize: number; length: number }) =>
      tf.ones([batch.batchSize, batch.length, 3]) as tf.Tensor3D,
    auxiliaryLoss: ({ states }: { states: tf.Tensor3D }) =>
      tf.mul(tf.mean(tf.square(states)), 0.1) as tf.Scalar,
  };
  const batches = trainingBatches(split, 0, { batchSize: 2, seed: 0, shuffle: true });
  await trainStep({ model, optimizer: adam, batch: batches[0], step: 0, config, hooks }); // creates the Adam moments
  const before = tf.memory().numTensors;
  for (let step = 1; step <= 6; step++) {
    await trainStep({ model, optimizer: adam, batch: batches[step % 2], step, config, hooks });
  }
  assertEquals(tf.memory().numTensors, before);
  adam.dispose();
  model.dispose();
});

Deno.test("determinism: the same seed gives the same losses and metrics twice", async () => {
  const run = async () => {
    const split = leaveOneOut(tinyDataset(), 10);
    const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10, seed: 3 });
    const result = await trainModel(model, split, { maxEpochs: 3, batchSize: 2, seed: 5 }, quiet);
    const test = await evaluateRanking(modelScorer(model), split, { stage: "test" });
    model.dispose();
    return { losses: result.history.map((h) => h.loss), metrics: test.metrics };
  };
  const first = await run();
  assertEquals(await run(), first);
});

Deno.test("hooks: the auxiliary loss is added inside the tape and sees the forward pass", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10 });
  const seen: number[][] = [];
  const history: EpochProgress[] = [];
  await trainModel(model, split, { maxEpochs: 1, batchSize: 4 }, {
    onProgress: (p) => history.push(p),
    inputMask: (batch) => tf.ones([batch.batchSize, batch.length, 3]) as tf.Tensor3D,
    auxiliaryLoss: (ctx) => {
      seen.push([...ctx.embeddings.shape, ...ctx.weights.shape]);
      return tf.scalar(1.5);
    },
  });
  assertEquals(seen[0], [4, 10, 3, 8, 4, 10, 3]);
  assertAlmostEquals(history[0].loss - history[0].recommendationLoss, 1.5, 1e-5);
  model.dispose();
});

Deno.test("NaN detection stops with a clear message", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10 });
  const error = await assertRejects(
    () =>
      trainModel(model, split, { maxEpochs: 2, batchSize: 4 }, {
        ...quiet,
        auxiliaryLoss: () => tf.scalar(Number.NaN),
      }),
    TrainingDivergedError,
  );
  assert(
    error.message.includes("loss is NaN") && error.message.includes("at epoch 1, step 0"),
    error.message,
  );
  model.dispose();
});

Deno.test("resume: 2 epochs + resume to 4 equals 4 epochs straight", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const options = { dim: 8, maxLength: 10, seed: 4 };
  const trainer = { batchSize: 2, seed: 1, patience: 100 };
  const straight = new SequentialRecommender(split.dataset, options);
  const full = await trainModel(straight, split, { ...trainer, maxEpochs: 4 }, quiet);
  const dir = Deno.makeTempDirSync();
  const first = new SequentialRecommender(split.dataset, options);
  await trainModel(first, split, { ...trainer, maxEpochs: 2, checkpointDir: dir }, quiet);
  first.dispose();
  const resumed = new SequentialRecommender(split.dataset, options);
  const rest = await trainModel(
    resumed,
    split,
    { ...trainer, maxEpochs: 4, checkpointDir: dir },
    quiet,
  );
  assertEquals(rest.resumedFromEpoch, 2);
  assertEquals(rest.history.map((h) => h.loss), full.history.map((h) => h.loss));
  assertEquals(rest.bestValidation, full.bestValidation);
  const scores = (m: SequentialRecommender) => modelScorer(m).score(trainingBatches(split, 0)[0]);
  assertEquals(await scores(resumed), await scores(straight));
  straight.dispose();
  resumed.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("resume sweeps what a killed save left behind, even when no epoch is left to save", async () => {
  const options = RESUME_MODEL;
  const trainer = { batchSize: 2, seed: 1, patience: 100, maxEpochs: 2 };
  const { split, dir } = await savedRun(trainer);
  const kept = [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
  // A save killed mid-write: a weights file its sidecar never named, and temporary files.
  const leftovers = ["last.k1-k2-k3.safetensors", "last.json.tmp-9", "best.safetensors.tmp-9"];
  for (const name of leftovers) Deno.writeTextFileSync(`${dir}/${name}`, "partial");
  // The run is at its cap: resuming trains and saves nothing, so only the resume can sweep.
  const resumed = new SequentialRecommender(split.dataset, options);
  const result = await trainModel(resumed, split, { ...trainer, checkpointDir: dir }, quiet);
  assertEquals(result.resumedFromEpoch, 2);
  assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name).sort(), kept);
  resumed.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("resume refused: a run checkpoint whose best checkpoint is gone names the missing file", async () => {
  const trainer = { batchSize: 2, seed: 1, patience: 100, maxEpochs: 2 };
  const { split, dir } = await savedRun(trainer);
  const model = new SequentialRecommender(split.dataset, RESUME_MODEL);
  const config = { ...trainer, checkpointDir: dir };
  const { weightsFile } = JSON.parse(Deno.readTextFileSync(`${dir}/best.json`));
  const last = JSON.parse(Deno.readTextFileSync(`${dir}/last.json`));
  const { bestEpoch, bestValidation } = last.trainerState;
  assert(bestEpoch > 0);
  // The sidecar names the best validation too, for a reader of the folder.
  assertEquals(last.metrics, { "valid NDCG@10": bestValidation });
  // The best weights file lost: before, the run resumed and kept the last epoch's weights as if
  // they were the best epoch's.
  const weights = Deno.readFileSync(`${dir}/${weightsFile}`);
  Deno.removeSync(`${dir}/${weightsFile}`);
  const missing = `${dir}/${weightsFile}: missing, but ${dir}/last.json records best epoch ` +
    `${bestEpoch}; delete ${dir} to start the run over`;
  await assertRejects(() => trainModel(model, split, config, quiet), Error, missing);
  // Its sidecar lost (the sweep then removes the weights file no sidecar names).
  Deno.writeFileSync(`${dir}/${weightsFile}`, weights);
  Deno.removeSync(`${dir}/best.json`);
  await assertRejects(
    () => trainModel(model, split, config, quiet),
    Error,
    `${dir}/best.json: missing, but ${dir}/last.json records best epoch ${bestEpoch}`,
  );
  model.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("resume refused: a best checkpoint of another dataset is refused up front, naming it", async () => {
  const trainer = { batchSize: 2, seed: 1, patience: 100, maxEpochs: 2 };
  const { split, dir } = await savedRun(trainer);
  const model = new SequentialRecommender(split.dataset, RESUME_MODEL);
  const before = model.parameters.names().map((n) => model.parameters.get(n).dataSync().slice());
  // A best file mixed into the folder from a run on another dataset of the same shape: before, it
  // was read by parameter name only, and its weights were restored as this run's best at the end.
  const sidecar = JSON.parse(Deno.readTextFileSync(`${dir}/best.json`));
  const ours = sidecar.datasetFingerprint;
  Deno.writeTextFileSync(
    `${dir}/best.json`,
    JSON.stringify({ ...sidecar, datasetFingerprint: "another-dataset" }),
  );
  await assertRejects(
    () => trainModel(model, split, { ...trainer, maxEpochs: 3, checkpointDir: dir }, quiet),
    Error,
    `${dir}/best.json: field "datasetFingerprint" is another-dataset, the dataset's is ${ours}`,
  );
  assertEquals(
    model.parameters.names().map((n) => model.parameters.get(n).dataSync().slice()),
    before,
  );
  model.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("resume refused: a checkpoint this run cannot resume from changes nothing and leaks nothing", async () => {
  const options = RESUME_MODEL;
  const trainer = { batchSize: 2, seed: 1, patience: 100, maxEpochs: 2 };
  const { split, dir } = await savedRun(trainer);
  // Hooks that keep state cannot resume from a checkpoint written without them.
  const withState = {
    ...quiet,
    checkpointState: { save: () => ({ json: {}, tensors: new Map() }), restore: () => {} },
  };
  const model = new SequentialRecommender(split.dataset, options);
  const weights = () =>
    model.parameters.names().map((n) => Array.from(model.parameters.get(n).dataSync()));
  const before = weights();
  const tensors = tf.memory().numTensors;
  for (let attempt = 0; attempt < 3; attempt++) {
    await assertRejects(
      () => trainModel(model, split, { ...trainer, checkpointDir: dir }, withState),
      Error,
      'no field "trainerState.hookState"',
    );
  }
  // Before, each attempt kept Adam's moments (+2 tensors per parameter) and replaced the weights.
  assertEquals(tf.memory().numTensors, tensors);
  assertEquals(weights(), before);
  // A checkpoint with hook state that the hooks refuse (Demure: another attribution source) is
  // refused before the weights are replaced too.
  const withStateDir = Deno.makeTempDirSync();
  const other = new SequentialRecommender(split.dataset, options);
  await trainModel(other, split, { ...trainer, checkpointDir: withStateDir }, withState);
  other.dispose();
  const refusing = {
    ...quiet,
    checkpointState: {
      save: () => ({ json: {}, tensors: new Map() }),
      restore: () => {
        throw new Error("hook state of another kind");
      },
    },
  };
  await assertRejects(
    () => trainModel(model, split, { ...trainer, checkpointDir: withStateDir }, refusing),
    Error,
    "hook state of another kind",
  );
  assertEquals(tf.memory().numTensors, tensors);
  assertEquals(weights(), before);
  Deno.removeSync(withStateDir, { recursive: true });
  // Best weights that lack a parameter of this model (here: an id-only model's, without the
  // content encoders) are refused up front too, rather than restoring part of the model.
  const idOnly = new SequentialRecommender(split.dataset, { ...options, modalities: ["id"] });
  await saveModelCheckpoint(`${dir}/best`, idOnly, {
    datasetFingerprint: split.dataset.metadata.fingerprint,
  });
  idOnly.dispose();
  const lackingTensors = tf.memory().numTensors;
  await assertRejects(
    () => trainModel(model, split, { ...trainer, checkpointDir: dir }, quiet),
    Error,
    `${dir}/best.json: its weights lack parameter "encoder/`,
  );
  assertEquals(tf.memory().numTensors, lackingTensors);
  assertEquals(weights(), before);
  model.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("timers run during an epoch: the trainer gives the event loop a turn every second", async () => {
  // A cell's claim heartbeat and the Ctrl-C listener that gives its claim up are event-loop tasks;
  // the steps' own awaits never reach the event loop, so without the turns they would wait for the
  // epoch's end. Each step sleeps 300 ms (without using the CPU) to make the epoch last seconds.
  const split = leaveOneOut(cycleDataset(16, 20, 9), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10, seed: 0 });
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  let timerFired = false;
  let firedBeforeStep: number | undefined;
  let steps = 0;
  await trainModel(model, split, { maxEpochs: 1, batchSize: 2, evalEvery: 10 }, {
    ...quiet,
    afterStep: (step) => {
      if (step === 0) setTimeout(() => timerFired = true, 0);
      if (timerFired && firedBeforeStep === undefined) firedBeforeStep = step;
      Atomics.wait(sleeper, 0, 0, 300);
      steps++;
    },
  });
  assert(steps >= 6, `${steps} steps`);
  assert(
    firedBeforeStep !== undefined && firedBeforeStep <= 5,
    `a timer set at step 0 fired before step ${firedBeforeStep} of ${steps}`,
  );
  model.dispose();
});

Deno.test("memory: a run that improves every epoch keeps one best copy and frees it at the end", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10 });
  const tensors = tf.memory().numTensors;
  let epochs = 0;
  let during = 0;
  await trainModel(model, split, { maxEpochs: 4, batchSize: 4, patience: 100 }, {
    ...quiet,
    // Each validation beats the last, so every epoch replaces the best-weights copy.
    validate: () => {
      epochs += 1;
      if (epochs === 4) during = tf.memory().numTensors;
      return { "NDCG@10": epochs / 10 };
    },
  });
  // At the fourth validation: the model, Adam's two moments per parameter and one copy of the
  // weights (three epochs improved before it); a copy kept per improvement would be three.
  const parameters = model.parameters.names().length;
  assertEquals(during, tensors + 3 * parameters);
  assertEquals(tf.memory().numTensors, tensors, "the best copy and Adam's moments are freed");
  model.dispose();
});

Deno.test("trainStep: L_rec is the forward pass under hashSeeds(seed, step) dropout and the hook's mask", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, {
    dim: 8,
    maxLength: 10,
    sasrec: { blocks: 1, heads: 1, dropout: 0.5 },
  });
  const config = resolveTrainerConfig({ batchSize: 4, seed: 7 });
  const [batch] = trainingBatches(split, 0, { batchSize: 4, seed: 0, shuffle: true });
  // A mask that drops the id modality everywhere: the loss must change if it is not applied.
  const dropId = () =>
    tf.tidy(() =>
      tf.concat([
        tf.zeros([batch.batchSize, batch.length, 1]),
        tf.ones([batch.batchSize, batch.length, 2]),
      ], 2) as tf.Tensor3D
    );
  // L_rec of the step's forward pass, computed before the update from the seed the step must use.
  const lossUnder = async (dropoutSeed: number, masked: boolean) => {
    const weights = masked ? dropId() : undefined;
    const loss = tf.tidy(() => {
      const out = model.forward(batch, {
        training: true,
        dropoutSeed,
        ...(weights ? { weights } : {}),
      });
      return recommendationLoss(out.states, out.itemTable, batch, config.loss);
    });
    const [value] = await loss.data();
    tf.dispose([loss, weights]);
    return value;
  };
  for (const [step, masked] of [[3, false], [4, false], [5, true]] as const) {
    const want = await lossUnder(hashSeeds(config.seed, step), masked);
    const adam = new Adam(config.optimizer);
    // The mask hook is told the global step (Demure's warm-up and noise draws count steps), not
    // the epoch: epoch 1 here, so the two differ.
    const maskSteps: number[] = [];
    const inputMask = (_: unknown, at: number) => (maskSteps.push(at), dropId());
    const hooks = masked ? { inputMask } : {};
    const losses = await trainStep({
      model,
      optimizer: adam,
      batch,
      step,
      epoch: 1,
      config,
      hooks,
    });
    adam.dispose();
    assertAlmostEquals(losses.recommendation, want, 1e-5, `step ${step}`);
    assertEquals(maskSteps, masked ? [step] : []);
  }
  // The masks of neighbouring steps differ, and the input mask matters (else the checks above
  // could not tell the seeds or the masks apart).
  const seed3 = hashSeeds(config.seed, 3);
  assert(await lossUnder(seed3, false) !== await lossUnder(hashSeeds(config.seed, 4), false));
  assert(await lossUnder(seed3, false) !== await lossUnder(seed3, true));
  model.dispose();
});

Deno.test("trainStep: without hooks auxiliary 0 and total = L_rec, with one the auxiliary as itself; afterStep sees whether it applied", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10 });
  const config = resolveTrainerConfig({ batchSize: 4 });
  const [batch] = trainingBatches(split, 0, { batchSize: 4, seed: 0, shuffle: true });
  const adam = new Adam(config.optimizer);
  const applied: boolean[] = [];
  const afterStep = (_: number, done: boolean) => void applied.push(done);
  const losses = await trainStep({
    model,
    optimizer: adam,
    batch,
    step: 0,
    config,
    hooks: { afterStep },
  });
  // The read-back holds [total, L_rec, squared norm]: the norm is no auxiliary loss.
  assertEquals(losses.auxiliary, 0);
  assertEquals(losses.total, losses.recommendation);
  // An infinite auxiliary loss whose gradient is zero (a constant) leaves the gradient norm finite:
  // the loss check itself must stop the step, before the update.
  const weights = () => model.parameters.variables().map((v) => Array.from(v.dataSync()));
  const before = weights();
  const error = await assertRejects(
    () =>
      trainStep({
        model,
        optimizer: adam,
        batch,
        step: 1,
        config,
        hooks: { afterStep, auxiliaryLoss: () => tf.scalar(Infinity) },
      }),
    TrainingDivergedError,
    "loss is Infinity",
  );
  // Without an epoch the step is in the first (epoch 0, "epoch 1" in messages); the hint names
  // the learning rate to lower, the run's own.
  assertStringIncludes(error.message, "at epoch 1, step 1;");
  assertStringIncludes(error.message, `lower learning rate (now ${config.optimizer.learningRate})`);
  assertEquals(weights(), before, "no update after a non-finite loss");
  assertEquals(applied, [true, false]);
  // With an auxiliary loss the read-back holds [total, L_rec, auxiliary, squared norm]: a constant
  // 0.25 (no gradient) is read as itself, not as the squared norm, and adds to L_rec.
  const withAuxiliary = await trainStep({
    model,
    optimizer: adam,
    batch,
    step: 2,
    config,
    hooks: { auxiliaryLoss: () => tf.scalar(0.25) },
  });
  assertEquals(withAuxiliary.auxiliary, 0.25);
  assertAlmostEquals(withAuxiliary.total, withAuxiliary.recommendation + 0.25, 1e-5);
  adam.dispose();
  model.dispose();
});

Deno.test("resume after patience ran out: the run trains no further epoch and says patience", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const options = { dim: 8, maxLength: 10, seed: 4 };
  const trainer = { batchSize: 4, patience: 1 };
  const dir = Deno.makeTempDirSync();
  // Epoch 2 is worse than epoch 1: patience 1 ends the run after epoch 2, and its `last`
  // checkpoint says so (a kernel killed before the result was kept resumes from it).
  const scores = [0.5, 0.4];
  let validations = 0;
  const first = new SequentialRecommender(split.dataset, options);
  const ended = await trainModel(first, split, { ...trainer, maxEpochs: 5, checkpointDir: dir }, {
    ...quiet,
    validate: () => ({ "NDCG@10": scores[validations++] ?? 0 }),
  });
  assertEquals([ended.epochsRun, ended.stoppedBy], [2, "patience"]);
  first.dispose();
  const resumed = new SequentialRecommender(split.dataset, options);
  const again = await trainModel(
    resumed,
    split,
    { ...trainer, maxEpochs: 8, checkpointDir: dir },
    { ...quiet, validate: () => ({ "NDCG@10": 1 }) },
  );
  assertEquals(again.resumedFromEpoch, 2);
  assertEquals([again.epochsRun, again.stoppedBy, again.stoppedEarly], [0, "patience", true]);
  assertEquals([again.bestValidation, again.bestEpoch], [0.5, 1]);
  resumed.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("resume: the best epoch and the evaluations since it come back each as itself", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const trainer = { batchSize: 4, patience: 3 };
  const dir = Deno.makeTempDirSync();
  // Best at epoch 1, then two worse: bestEpoch 1 and sinceBest 2 (unequal, so a swap shows).
  const scores = [0.5, 0.4, 0.3];
  let validations = 0;
  const first = new SequentialRecommender(split.dataset, RESUME_MODEL);
  await trainModel(first, split, { ...trainer, maxEpochs: 3, checkpointDir: dir }, {
    ...quiet,
    validate: () => ({ "NDCG@10": scores[validations++] }),
  });
  first.dispose();
  const { bestEpoch, sinceBest } = readCheckpoint(`${dir}/last`).sidecar.trainerState as Record<
    string,
    unknown
  >;
  assertEquals({ bestEpoch, sinceBest }, { bestEpoch: 1, sinceBest: 2 });
  // One more worse epoch uses up the patience of 3.
  const resumed = new SequentialRecommender(split.dataset, RESUME_MODEL);
  const again = await trainModel(
    resumed,
    split,
    { ...trainer, maxEpochs: 8, checkpointDir: dir },
    { ...quiet, validate: () => ({ "NDCG@10": 0.2 }) },
  );
  assertEquals(
    [again.resumedFromEpoch, again.epochsRun, again.stoppedBy, again.bestEpoch],
    [3, 1, "patience", 1],
  );
  resumed.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("resume refused: another seed, batch size or learning rate is another run", async () => {
  const options = RESUME_MODEL;
  const trainer = { batchSize: 2, seed: 1, patience: 100, maxEpochs: 1 };
  const { split, dir } = await savedRun(trainer);
  // Each of these changes what the steps compute (batch order, dropout, negatives, updates), so
  // continuing under it would be neither run; maxEpochs alone may grow.
  const changes: Partial<TrainerConfig>[] = [{ seed: 2 }, { batchSize: 4 }, {
    optimizer: { ...DEFAULT_ADAM_CONFIG, learningRate: 1e-2 },
  }];
  const model = new SequentialRecommender(split.dataset, options);
  for (const change of changes) {
    await assertRejects(
      () =>
        trainModel(
          model,
          split,
          { ...trainer, maxEpochs: 2, ...change, checkpointDir: dir },
          quiet,
        ),
      Error,
      "trainerState.resumeKey",
    );
  }
  model.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("resume before any validation: the first validation after it is the first best", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const options = { dim: 8, maxLength: 10, seed: 4 };
  const trainer = { batchSize: 4, patience: 100, maxEpochs: 4, evalEvery: 2 };
  const dir = Deno.makeTempDirSync();
  // Killed after epoch 1's checkpoint (onProgress runs after the save), before any validation:
  // the stored best is -Infinity, which JSON writes as null.
  const first = new SequentialRecommender(split.dataset, options);
  await assertRejects(
    () =>
      trainModel(first, split, { ...trainer, checkpointDir: dir }, {
        onProgress: () => {
          throw new Error("kernel killed");
        },
        validate: () => ({ "NDCG@10": 0 }),
      }),
    Error,
    "kernel killed",
  );
  first.dispose();
  // A validation NDCG@10 of 0 (nothing ranked yet) is still better than none at all.
  const resumed = new SequentialRecommender(split.dataset, options);
  const result = await trainModel(resumed, split, { ...trainer, checkpointDir: dir }, {
    ...quiet,
    validate: () => ({ "NDCG@10": 0 }),
  });
  assertEquals(result.resumedFromEpoch, 1);
  assertEquals([result.bestValidation, result.bestEpoch], [0, 2]);
  assert(result.history[1].improved);
  resumed.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("resume: false starts afresh next to an existing checkpoint", async () => {
  const options = RESUME_MODEL;
  const trainer = { batchSize: 2, seed: 1, patience: 100, maxEpochs: 2 };
  const { split, dir } = await savedRun(trainer);
  // The same run again with resume off: both epochs are trained from the initial weights, the
  // same as a run without any checkpoint.
  const fresh = new SequentialRecommender(split.dataset, options);
  const straight = await trainModel(fresh, split, trainer, quiet);
  fresh.dispose();
  const model = new SequentialRecommender(split.dataset, options);
  const result = await trainModel(
    model,
    split,
    { ...trainer, checkpointDir: dir, resume: false },
    quiet,
  );
  assertEquals([result.resumedFromEpoch, result.epochsRun], [0, 2]);
  assertEquals(result.history.map((h) => h.loss), straight.history.map((h) => h.loss));
  model.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("trainStep with BCE: step s draws its negatives from hashSeeds(seed, s)", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, {
    dim: 8,
    maxLength: 10,
    sasrec: { blocks: 1, heads: 1, dropout: 0 },
  });
  const config = resolveTrainerConfig({
    batchSize: 4,
    seed: 7,
    loss: { kind: "bce", positions: "all" },
  });
  const [batch] = trainingBatches(split, 0, { batchSize: 4, seed: 0, shuffle: true });
  // Without dropout, L_rec depends on the step only through its negatives.
  const lossUnder = async (rngSeed: number) => {
    const negatives = sampleNegatives(batch, model.numItems, createRng(rngSeed));
    const loss = tf.tidy(() => {
      const out = model.forward(batch, { training: true });
      return recommendationLoss(out.states, out.itemTable, batch, config.loss, negatives);
    });
    const [value] = await loss.data();
    loss.dispose();
    return value;
  };
  const wants: number[] = [];
  for (const step of [3, 4]) {
    const want = await lossUnder(hashSeeds(config.seed, step));
    wants.push(want);
    const adam = new Adam(config.optimizer);
    const losses = await trainStep({ model, optimizer: adam, batch, step, config });
    adam.dispose();
    assertAlmostEquals(losses.recommendation, want, 1e-5, `step ${step}`);
  }
  // Fresh negatives each step: seeded by the run's seed alone they would repeat every step.
  assert(
    await lossUnder(hashSeeds(config.seed, 4)) !== await lossUnder(config.seed),
    "the two seeds draw different negatives",
  );
  model.dispose();
});

Deno.test("trainStep: an infinite gradient norm with a finite loss stops before the update", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10 });
  const config = resolveTrainerConfig({ batchSize: 4 });
  const [batch] = trainingBatches(split, 0, { batchSize: 4, seed: 0, shuffle: true });
  // An auxiliary term of value 0 whose gradient overflows to +Infinity (as a float32 overflow
  // would): the loss check passes, the gradient-norm check must not.
  const overflowing = termWithGradient(0, Infinity);
  const adam = new Adam(config.optimizer);
  const weights = () => model.parameters.variables().map((v) => Array.from(v.dataSync()));
  const before = weights();
  const tensors = tf.memory().numTensors;
  await assertRejects(
    () =>
      trainStep({
        model,
        optimizer: adam,
        batch,
        step: 0,
        epoch: 2,
        config,
        // On a parameter directly: through the layers, Infinity times a zero would turn into NaN.
        hooks: {
          auxiliaryLoss: (context) => overflowing(context.model.parameters.variables()[0]),
        },
      }),
    TrainingDivergedError,
    // The epoch is 1-based in messages, as in the loss's ("at epoch 1, step 0" for epoch 0).
    "gradient norm is Infinity at epoch 3, step 0",
  );
  assertEquals(weights(), before, "no update after a non-finite gradient");
  assertEquals(tf.memory().numTensors, tensors);
  adam.dispose();
  model.dispose();
});

Deno.test("afterEpoch runs once per epoch, before that epoch's checkpoint; a too long split is refused", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10 });
  const dir = Deno.makeTempDirSync();
  const seen: number[] = [];
  const savedAfter: number[] = [];
  await trainModel(model, split, { maxEpochs: 2, batchSize: 4, checkpointDir: dir }, {
    ...quiet,
    afterEpoch: (progress) => void seen.push(progress.epoch),
    // The hooks' state is saved with each epoch's checkpoint: it must include that epoch's
    // afterEpoch (Demure's warm-up and noise counts change there).
    checkpointState: {
      save: () => {
        savedAfter.push(seen.length);
        return { json: {}, tensors: new Map() };
      },
      restore: () => {},
    },
  });
  assertEquals(seen, [1, 2]);
  assertEquals(savedAfter, [1, 2]);
  Deno.removeSync(dir, { recursive: true });
  // A model that reads 9 positions cannot hold the split's histories of 10: refused up front.
  const short = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 9 });
  await assertRejects(
    () => trainModel(short, split, { maxEpochs: 1 }, quiet),
    Error,
    "split.maxLength 10 exceeds the model's maxLength 9",
  );
  short.dispose();
  model.dispose();
});

Deno.test("resume: the hooks get back their state's tensors under the names they saved", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const options = { dim: 8, maxLength: 10, seed: 4 };
  const trainer = { batchSize: 4, patience: 100 };
  const dir = Deno.makeTempDirSync();
  const counts = { shape: [2], data: Float32Array.of(3, 5) };
  const restored: HookState[] = [];
  const hooks = {
    ...quiet,
    checkpointState: {
      save: (): HookState => ({ json: { visits: 7 }, tensors: new Map([["counts", counts]]) }),
      restore: (state: HookState) => void restored.push(state),
    },
  };
  const first = new SequentialRecommender(split.dataset, options);
  await trainModel(first, split, { ...trainer, maxEpochs: 1, checkpointDir: dir }, hooks);
  first.dispose();
  const resumed = new SequentialRecommender(split.dataset, options);
  await trainModel(resumed, split, { ...trainer, maxEpochs: 2, checkpointDir: dir }, hooks);
  // Stored as "hooks/counts" next to the weights and Adam's moments; handed back as "counts".
  assertEquals(restored.length, 1);
  assertEquals(restored[0].json, { visits: 7 });
  assertEquals([...restored[0].tensors.keys()], ["counts"]);
  assertEquals(Array.from(restored[0].tensors.get("counts")!.data), [3, 5]);
  resumed.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("resume refused by a hook: the error names the checkpoint's files, as Adam's does", async () => {
  // Demure's refusals ("Demure checkpoint state: no tensor demure/noise") named only the field.
  const split = leaveOneOut(tinyDataset(), 10);
  const options = { dim: 8, maxLength: 10, seed: 4 };
  const trainer = { batchSize: 4, patience: 100 };
  const dir = Deno.makeTempDirSync();
  const hooks = {
    ...quiet,
    checkpointState: {
      save: (): HookState => ({ json: {}, tensors: new Map() }),
      restore: () => {
        throw new Error("Demure checkpoint state: no tensor demure/noise");
      },
    },
  };
  const first = new SequentialRecommender(split.dataset, options);
  await trainModel(first, split, { ...trainer, maxEpochs: 1, checkpointDir: dir }, hooks);
  first.dispose();
  const resumed = new SequentialRecommender(split.dataset, options);
  const error = await assertRejects(() =>
    trainModel(resumed, split, { ...trainer, maxEpochs: 2, checkpointDir: dir }, hooks)
  );
  const weightsFile = JSON.parse(Deno.readTextFileSync(`${dir}/last.json`)).weightsFile;
  assertEquals(
    error.message,
    `${dir}/last.json -> ${weightsFile}: Demure checkpoint state: no tensor demure/noise`,
  );
  resumed.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("resume: a moved folder, a start with resume off, a new budget or guard is the same run", async () => {
  // None of these changes what a step computes, so the resume key leaves them out: a run folder
  // copied elsewhere, a first run started with resume: false, a new maxWallSeconds or
  // divergenceFactor resume it (each of them in the key refused the resume).
  const trainer = { batchSize: 2, seed: 1, patience: 100, maxEpochs: 1 };
  const { split, dir } = await savedRun({ ...trainer, resume: false });
  const moved = Deno.makeTempDirSync();
  for (const { name } of Deno.readDirSync(dir)) {
    Deno.copyFileSync(`${dir}/${name}`, `${moved}/${name}`);
  }
  const model = new SequentialRecommender(split.dataset, RESUME_MODEL);
  const result = await trainModel(model, split, {
    ...trainer,
    maxEpochs: 2,
    checkpointDir: moved,
    maxWallSeconds: 3600,
    divergenceFactor: 50,
  }, quiet);
  assertEquals([result.resumedFromEpoch, result.epochsRun], [1, 1]);
  model.dispose();
  for (const path of [dir, moved]) Deno.removeSync(path, { recursive: true });
});

Deno.test("resume: the time left counts only the epochs this process trained", async () => {
  const trainer = { batchSize: 2, seed: 1, patience: 100, maxEpochs: 3 };
  const { split, dir } = await savedRun(trainer);
  const progress: EpochProgress[] = [];
  const model = new SequentialRecommender(split.dataset, RESUME_MODEL);
  await trainModel(model, split, { ...trainer, maxEpochs: 5, checkpointDir: dir }, {
    onProgress: (p) => void progress.push(p),
  });
  // After epoch 4, the first of this process: one epoch left, at most this process's mean epoch,
  // which is at least epoch 4's time (the clock started before it). Counting the 3 epochs of the
  // first run as this process's would give a quarter of it.
  assertEquals(progress.map((p) => p.epoch), [4, 5]);
  // Finite from the first epoch on (epochs done before this process divided by none were
  // Infinity), and 0 after the last.
  assert(Number.isFinite(progress[0].secondsLeftAtMost), `${progress[0].secondsLeftAtMost}`);
  assertEquals(progress[1].secondsLeftAtMost, 0);
  assert(
    progress[0].secondsLeftAtMost >= progress[0].epochSeconds,
    `${progress[0].secondsLeftAtMost} s left < epoch 4's ${progress[0].epochSeconds} s`,
  );
  model.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("resume refused: another model's checkpoint is refused before the hooks restore state", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const trainer = { batchSize: 2, seed: 1, patience: 100, maxEpochs: 1 };
  const dir = Deno.makeTempDirSync();
  let restores = 0;
  const hooks = {
    ...quiet,
    checkpointState: {
      save: (): HookState => ({ json: {}, tensors: new Map() }),
      restore: () => void restores++,
    },
  };
  const saved = new SequentialRecommender(split.dataset, RESUME_MODEL);
  await trainModel(saved, split, { ...trainer, checkpointDir: dir }, hooks);
  saved.dispose();
  // The trainer config is the same (the resume key matches); the model is wider. The hooks would
  // otherwise take over the other run's state (Demure's warm-up, mask cache) and keep it.
  const wider = new SequentialRecommender(split.dataset, { ...RESUME_MODEL, dim: 16 });
  await assertRejects(
    () => trainModel(wider, split, { ...trainer, maxEpochs: 2, checkpointDir: dir }, hooks),
    Error,
    `${dir}/last.json`,
  );
  assertEquals(restores, 0);
  wider.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("resume: the hooks see global steps 0, 1, 2, ... and their epoch, across the resume", async () => {
  // The step seeds dropout, negatives and Demure's warm-up: a resumed run continues the count.
  const split = leaveOneOut(tinyDataset(), 10);
  const trainer = { batchSize: 2, patience: 100 };
  const dir = Deno.makeTempDirSync();
  const seen: { step: number; epoch: number }[] = [];
  const hooks: TrainerHooks = {
    ...quiet,
    auxiliaryLoss: ({ step, epoch }) => {
      seen.push({ step, epoch });
      return tf.scalar(0);
    },
  };
  const run = { ...trainer, checkpointDir: dir };
  const first = new SequentialRecommender(split.dataset, RESUME_MODEL);
  const ran = await trainModel(first, split, { ...run, maxEpochs: 1 }, hooks);
  first.dispose();
  const resumed = new SequentialRecommender(split.dataset, RESUME_MODEL);
  await trainModel(resumed, split, { ...run, maxEpochs: 2 }, hooks);
  const perEpoch = ran.history[0].steps;
  assert(perEpoch > 1);
  assertEquals(
    seen,
    Array.from({ length: 2 * perEpoch }, (_, step) => ({ step, epoch: step < perEpoch ? 0 : 1 })),
  );
  resumed.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("a missing checkpointDir is made; a non-finite validation NDCG@10 stops the run", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const root = Deno.makeTempDirSync();
  const dir = `${root}/runs/sasrec`;
  const model = new SequentialRecommender(split.dataset, RESUME_MODEL);
  await trainModel(model, split, { batchSize: 2, maxEpochs: 1, checkpointDir: dir }, quiet);
  assert(Deno.statSync(`${dir}/last.json`).isFile);
  // NaN (a model that scores NaN) is divergence, not a validation that merely never improves.
  await assertRejects(
    () =>
      trainModel(model, split, { batchSize: 2, maxEpochs: 2 }, {
        ...quiet,
        validate: () => ({ "NDCG@10": Number.NaN }),
      }),
    TrainingDivergedError,
    "after epoch 1",
  );
  model.dispose();
  Deno.removeSync(root, { recursive: true });
});

Deno.test("resume refused: a checkpoint of another dataset, even of the same shape", async () => {
  const trainer = { batchSize: 2, seed: 1, patience: 100, maxEpochs: 1 };
  const { split, dir } = await savedRun(trainer);
  // The same items, users and modalities under another fingerprint (other data, another
  // preprocessing): the weights would fit, the run would not be the one the folder holds.
  const dataset = {
    ...split.dataset,
    metadata: { ...split.dataset.metadata, fingerprint: "other" },
  };
  const other = { ...split, dataset };
  const model = new SequentialRecommender(dataset, RESUME_MODEL);
  await assertRejects(
    () => trainModel(model, other, { ...trainer, maxEpochs: 2, checkpointDir: dir }, quiet),
    Error,
    'field "datasetFingerprint" is tiny-v1',
  );
  model.dispose();
  Deno.removeSync(dir, { recursive: true });
});

/** An Adam that records the squared norm it computed and the norm the step handed back to it. */
class RecordingAdam extends Adam {
  squared = Number.NaN;
  norm = Number.NaN;
  names: string[] = [];
  override squaredNorm(gradients: ReadonlyMap<string, tf.Tensor>): tf.Scalar {
    const value = super.squaredNorm(gradients);
    this.squared = value.dataSync()[0];
    this.names = [...gradients.keys()];
    return value;
  }
  override apply(
    store: ParameterStore,
    gradients: ReadonlyMap<string, tf.Tensor>,
    norm: number,
  ): void {
    this.norm = norm;
    super.apply(store, gradients, norm);
  }
}

Deno.test("trainStep: Adam gets the gradient norm's root, the hook the step's seed; an unused parameter is passed over", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10 });
  // A parameter the forward pass never reads has no gradient (as an encoder of a modality the
  // batch does not read): the step leaves it out of the norm and the update, and does not fail.
  model.parameters.constant("test/unused", [2], 1);
  const config = resolveTrainerConfig({ batchSize: 4, seed: 9 });
  const [batch] = trainingBatches(split, 0, { batchSize: 4, seed: 0, shuffle: true });
  const adam = new RecordingAdam(config.optimizer);
  const seeds: number[] = [];
  const auxiliaryLoss = ({ seed }: { seed: number }) => {
    seeds.push(seed);
    return tf.scalar(0);
  };
  for (const step of [5, 6]) {
    await trainStep({ model, optimizer: adam, batch, step, config, hooks: { auxiliaryLoss } });
    // The root, not the square (they differ: the squared norm is far from 0 and 1).
    assert(Math.abs(adam.squared - 1) > 0.01 && adam.squared > 1e-4, `${adam.squared}`);
    assertAlmostEquals(adam.norm, Math.sqrt(adam.squared), 1e-6 * Math.sqrt(adam.squared));
    assert(!adam.names.includes("test/unused") && adam.names.length > 0, `${adam.names}`);
  }
  // The hook's randomness follows (seed, step), as the step's dropout does: the run's seed alone
  // would repeat every step.
  assertEquals(seeds, [hashSeeds(config.seed, 5), hashSeeds(config.seed, 6)]);
  assertEquals(Array.from(model.parameters.get("test/unused").dataSync()), [1, 1]);
  adam.dispose();
  model.dispose();
});

Deno.test("the run's end puts the best validation epoch's weights back, not the last epoch's", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, RESUME_MODEL);
  // Best at epoch 2 of 4 (neither the first nor the last), with patience to spare: the run ends
  // at maxEpochs and must restore epoch 2's weights.
  const scores = [0.2, 0.5, 0.3, 0.1];
  const seen: Record<string, number[]>[] = [];
  const weightsOf = async (m: SequentialRecommender) => {
    const values: Record<string, number[]> = {};
    for (const name of m.parameters.names()) {
      values[name] = Array.from(await m.parameters.get(name).data());
    }
    return values;
  };
  const result = await trainModel(model, split, {
    maxEpochs: 4,
    batchSize: 4,
    patience: 10,
    evalEvery: 1,
  }, {
    ...quiet,
    validate: async (m) => {
      seen.push(await weightsOf(m));
      return { "NDCG@10": scores[seen.length - 1] };
    },
  });
  assertEquals([result.bestEpoch, result.bestValidation, result.epochsRun], [2, 0.5, 4]);
  // The epochs moved the weights, so the last epoch's differ from the best's (else the check is void).
  assert(JSON.stringify(seen[3]) !== JSON.stringify(seen[1]), "epochs 2 and 4 have equal weights");
  assertEquals(await weightsOf(model), seen[1]);
  model.dispose();
});
