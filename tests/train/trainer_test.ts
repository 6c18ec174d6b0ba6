import { assert, assertAlmostEquals, assertEquals, assertLess, assertRejects } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { Adam } from "../../lib/train/adam.ts";
import { resolveTrainerConfig, TrainingDivergedError } from "../../lib/train/config.ts";
import { trainStep } from "../../lib/train/step.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";
import { evaluateRanking } from "../../lib/eval/evaluate.ts";
import { modelScorer } from "../../lib/eval/scorer.ts";
import { trainingBatches } from "../../lib/data/protocol/batcher.ts";
import { cycleDataset, leaveOneOut, tinyDataset } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

const quiet = { onProgress: (_: EpochProgress) => {} };
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
  assert(error.message.includes("loss is NaN") && error.message.includes("step 0"), error.message);
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

Deno.test("resume refused: a checkpoint this run cannot resume from changes nothing and leaks nothing", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const options = { dim: 8, maxLength: 10, seed: 4 };
  const trainer = { batchSize: 2, seed: 1, patience: 100, maxEpochs: 2 };
  const dir = Deno.makeTempDirSync();
  const saved = new SequentialRecommender(split.dataset, options);
  await trainModel(saved, split, { ...trainer, checkpointDir: dir }, quiet);
  saved.dispose();
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
