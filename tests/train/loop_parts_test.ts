/**
 * The parts of the training loop on their own: early stopping counts only strict improvements and
 * keeps the earliest best epoch; the epoch's loss means divide by the step count (zeros without
 * steps); the divergence guard stops above its limit and on a non-finite validation metric; Adam's
 * update is Kingma & Ba's (bias-corrected moments, epsilon outside the root) with AdamW's decay and
 * global-norm clipping, checked against a float64 reference; the progress line shows an epoch's numbers;
 * the best weights' copy is freed when replaced or disposed and is what restoreInto assigns.
 */
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";
import { Adam, type AdamConfig, DEFAULT_ADAM_CONFIG } from "../../lib/train/adam.ts";
import { resolveTrainerConfig, TrainingDivergedError } from "../../lib/train/config.ts";
import type { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { EarlyStopping } from "../../lib/train/_early_stopping.ts";
import { EpochLosses } from "../../lib/train/_epoch_losses.ts";
import { DivergenceGuard } from "../../lib/train/_divergence.ts";
import { RunClock } from "../../lib/train/_run_clock.ts";
import { BestWeights } from "../../lib/train/_best_weights.ts";
import { type EpochProgress, minutesAtMost, printProgress } from "../../lib/train/progress.ts";
import { adamAfterOneStep, hostTensor } from "./_adam_after_one_step.ts";

await initBackend({ verbose: false });

Deno.test("early stopping: strict improvements only, the earliest best epoch, patience", () => {
  const stopping = new EarlyStopping();
  assertEquals(stopping.observe(0.2, 1), true);
  assertEquals(stopping.observe(0.2, 2), false, "a tie is no improvement");
  assertEquals(stopping.observe(0.1, 3), false);
  assertEquals([stopping.bestValidation, stopping.bestEpoch, stopping.sinceBest], [0.2, 1, 2]);
  assertEquals(stopping.exhausted(3), false);
  assertEquals(stopping.exhausted(2), true);
  assertEquals(stopping.observe(0.3, 4), true);
  assertEquals([stopping.bestEpoch, stopping.sinceBest], [4, 0]);
  const resumed = new EarlyStopping({ bestValidation: 0.5, bestEpoch: 7, sinceBest: 1 });
  assertEquals(resumed.observe(0.4, 8), false);
  assertEquals([resumed.bestValidation, resumed.bestEpoch, resumed.sinceBest], [0.5, 7, 2]);
});

Deno.test("early stopping: a first validation of NDCG@10 0 is the first best (the start is -Infinity)", () => {
  // A model that ranks no target in the top 10 still has a best epoch, whose weights are kept; a
  // start at 0 would leave bestEpoch 0 and count the first validation against patience.
  const stopping = new EarlyStopping();
  assertEquals([stopping.bestValidation, stopping.bestEpoch, stopping.sinceBest], [
    -Infinity,
    0,
    0,
  ]);
  assertEquals(stopping.observe(0, 1), true);
  assertEquals([stopping.bestValidation, stopping.bestEpoch, stopping.sinceBest], [0, 1, 0]);
  assertEquals(stopping.exhausted(1), false);
});

Deno.test("epoch losses: means over the steps, zeros for an epoch without steps", () => {
  assertEquals(new EpochLosses().means(), {
    loss: 0,
    recommendationLoss: 0,
    auxiliaryLoss: 0,
    stepSeconds: 0,
  });
  const losses = new EpochLosses();
  losses.add({ total: 3, recommendation: 2, auxiliary: 1 }, 0.5);
  losses.add({ total: 5, recommendation: 4, auxiliary: 1 }, 1.5);
  assertEquals(losses.steps, 2);
  assertEquals(losses.means(), {
    loss: 4,
    recommendationLoss: 3,
    auxiliaryLoss: 1,
    stepSeconds: 1,
  });
});

Deno.test("epoch losses: a step of 0 seconds counts; the auxiliary mean is the auxiliary losses' own", () => {
  // A coarse timer can read 0 s for a fast step: the step still counts in every mean. The total
  // may hold more than L_rec + auxiliary (float32 sums on the device), so the auxiliary mean is
  // the mean of the auxiliary losses, not of total - L_rec.
  const losses = new EpochLosses();
  losses.add({ total: 4, recommendation: 2, auxiliary: 0.5 }, 0);
  losses.add({ total: 8, recommendation: 4, auxiliary: 1.5 }, 2);
  assertEquals(losses.steps, 2);
  assertEquals(losses.means(), {
    loss: 6,
    recommendationLoss: 3,
    auxiliaryLoss: 1,
    stepSeconds: 1,
  });
});

Deno.test("divergence guard: a NaN L_rec and a -Infinity validation NDCG@10 are divergence too", () => {
  // NaN compares false with any limit: a guard written as "stop when above" would let it pass.
  const guard = new DivergenceGuard(
    resolveTrainerConfig({ divergenceFactor: 2 }),
    { numItems: 7 } as SequentialRecommender,
  );
  assertThrows(
    () => guard.checkStep({ total: NaN, recommendation: NaN, auxiliary: 0 }, 0, 3),
    TrainingDivergedError,
    "L_rec is NaN at epoch 1, step 3",
  );
  assertThrows(
    () => guard.checkStep({ total: Infinity, recommendation: Infinity, auxiliary: 0 }, 0, 3),
    TrainingDivergedError,
    "L_rec is Infinity",
  );
  assertThrows(
    () => guard.checkValidation(-Infinity, 1),
    TrainingDivergedError,
    "validation NDCG@10 is -Infinity after epoch 2",
  );
});

Deno.test("divergence guard: L_rec above factor x uniform loss, non-finite validation", () => {
  const model = { numItems: Math.round(Math.E ** 2) } as SequentialRecommender; // ln(7) ~ 1.95
  const guard = new DivergenceGuard(resolveTrainerConfig({ divergenceFactor: 2 }), model);
  const limit = 2 * Math.log(model.numItems);
  guard.checkStep({ total: limit, recommendation: limit, auxiliary: 0 }, 0, 0);
  const error = assertThrows(
    () => guard.checkStep({ total: 9, recommendation: limit + 1e-6, auxiliary: 0 }, 2, 17),
    TrainingDivergedError,
  );
  assert(error.message.includes("epoch 3, step 17"), error.message);
  assert(error.message.includes("divergenceFactor 2"), error.message);
  guard.checkValidation(0, 0);
  assertThrows(() => guard.checkValidation(NaN, 4), TrainingDivergedError, "after epoch 5");
  assertThrows(() => guard.checkValidation(Infinity, 5), TrainingDivergedError, "Infinity");
});

Deno.test("divergence guard: BCE's uniform loss is 2 ln 2, a floor of 1, and only L_rec counts", () => {
  const many = { numItems: 1000 } as SequentialRecommender;
  // BCE scores one positive and one negative per target: a uniform guess (sigmoid 0.5) costs
  // ln 2 each, 2 ln 2 in all, whatever the number of items.
  const bce = new DivergenceGuard(
    resolveTrainerConfig({ divergenceFactor: 2, loss: { kind: "bce", positions: "all" } }),
    many,
  );
  const bceLimit = 2 * 2 * Math.LN2;
  bce.checkStep({ total: bceLimit, recommendation: bceLimit, auxiliary: 0 }, 0, 0);
  assertThrows(
    () => bce.checkStep({ total: 3, recommendation: bceLimit + 1e-6, auxiliary: 0 }, 0, 1),
    TrainingDivergedError,
  );
  // Two items: ln 2 < 1, so the limit is the factor times 1 (a loss of a uniform guess below 1
  // would make the guard trip on healthy noise).
  const two = new DivergenceGuard(
    resolveTrainerConfig({ divergenceFactor: 2 }),
    { numItems: 2 } as SequentialRecommender,
  );
  two.checkStep({ total: 2, recommendation: 2, auxiliary: 0 }, 0, 0);
  assertThrows(
    () => two.checkStep({ total: 2, recommendation: 2 + 1e-6, auxiliary: 0 }, 0, 1),
    TrainingDivergedError,
  );
  // An auxiliary loss (Demure's lambda * L_cl) has its own scale: a large one is no divergence.
  const ce = new DivergenceGuard(resolveTrainerConfig({ divergenceFactor: 2 }), many);
  ce.checkStep({ total: 1e6, recommendation: 1, auxiliary: 1e6 - 1 }, 0, 0);
});

Deno.test("divergence guard: the message names L_rec, the limit, the uniform loss and the learning rate", () => {
  // The advice is read by someone deciding what to lower: each number must be the one it names.
  const config = resolveTrainerConfig({
    divergenceFactor: 2,
    optimizer: { ...DEFAULT_ADAM_CONFIG, learningRate: 0.0123 },
  });
  const guard = new DivergenceGuard(config, { numItems: 7 } as SequentialRecommender);
  const error = assertThrows(
    () => guard.checkStep({ total: 99, recommendation: 5, auxiliary: 94 }, 0, 4),
    TrainingDivergedError,
  );
  assertEquals(
    error.message,
    "L_rec is 5 at epoch 1, step 4: above 3.892 (TrainerConfig.divergenceFactor 2 x the loss of a " +
      "uniform guess, 1.946). The run diverged; lower TrainerConfig.optimizer.learningRate " +
      "(now 0.0123) or set optimizer.clipNorm.",
  );
});

/**
 * Adam (Kingma & Ba 2015, Algorithm 1) in float64 for one scalar weight: the moments, their bias
 * corrections, epsilon outside the square root, then AdamW's decoupled decay (Loshchilov & Hutter
 * 2019) of the weight the step started from, scaled by the learning rate.
 */
function referenceAdam(
  config: AdamConfig,
  start: number,
  gradients: number[],
): number[] {
  const { learningRate: lr, beta1, beta2, epsilon, weightDecay } = config;
  let [w, m, v] = [start, 0, 0];
  return gradients.map((g, i) => {
    const t = i + 1;
    m = beta1 * m + (1 - beta1) * g;
    v = beta2 * v + (1 - beta2) * g * g;
    const update = (m / (1 - beta1 ** t)) / (Math.sqrt(v / (1 - beta2 ** t)) + epsilon);
    w = w - lr * update - lr * weightDecay * w;
    return w;
  });
}

/**
 * The Adam tests' settings and gradients: gradients that change size and sign, so the moments,
 * both bias corrections and epsilon (large here, next to gradients of 1e-2) all move the result;
 * each of the two weights gets its own gradient.
 */
const ADAM_CASE = {
  config: { learningRate: 0.05, beta1: 0.8, beta2: 0.9, epsilon: 0.1, weightDecay: 0.3 },
  steps: [[0.02, -0.01], [-0.01, 0.03], [0.005, 0.004]],
} satisfies { config: AdamConfig; steps: number[][] };

Deno.test("Adam: each update is Kingma & Ba's, with AdamW decay and global-norm clipping", () => {
  const { config, steps } = ADAM_CASE;
  const starts = [1, -2];
  const store = new ParameterStore(0);
  const setWeights = () => tf.tidy(() => store.get("w").assign(tf.tensor1d(starts)));
  store.constant("w", [2], 0);
  setWeights();
  const adam = new Adam(config);
  const tensors = tf.memory().numTensors;
  for (const [i, values] of steps.entries()) {
    const gradient = tf.tensor1d(values);
    adam.apply(store, new Map([["w", gradient]]), Math.hypot(...values));
    gradient.dispose();
    const got = Array.from(store.get("w").dataSync());
    starts.forEach((start, k) => {
      const want = referenceAdam(config, start, steps.map((s) => s[k]))[i];
      assertAlmostEquals(got[k], want, 1e-6, `step ${i + 1}, weight ${k}`);
    });
    // Two moments for the one parameter, created at the first step and replaced afterwards.
    assertEquals(tf.memory().numTensors, tensors + 2);
  }
  assertEquals(adam.step, 3);
  adam.dispose();

  // clipNorm 0.01 below the gradient's norm 0.05: the update sees the gradient scaled to norm 0.01
  // (same as the reference fed the scaled gradient); a clipNorm above the norm changes nothing.
  for (const clipNorm of [0.01, 1]) {
    setWeights();
    const clipped = new Adam({ ...config, weightDecay: 0, clipNorm });
    const values = [0.03, -0.04];
    const scale = Math.min(1, clipNorm / 0.05);
    const gradient = tf.tensor1d(values);
    clipped.apply(store, new Map([["w", gradient]]), 0.05);
    // The first step of a fresh Adam would be lr * sign(g) for any scale but epsilon's; a second
    // step with another gradient depends on the scale through m and v.
    clipped.apply(store, new Map([["w", gradient]]), 0.05);
    gradient.dispose();
    const got = Array.from(store.get("w").dataSync());
    starts.forEach((start, k) => {
      const want = referenceAdam(
        { ...config, weightDecay: 0 },
        start,
        [values[k] * scale, values[k] * scale],
      )[1];
      assertAlmostEquals(got[k], want, 1e-6, `clipNorm ${clipNorm}, weight ${k}`);
    });
    clipped.dispose();
  }

  // Clipping scales the gradient only: AdamW's decay of the weight stays lr * weightDecay * w
  // however far the gradient was clipped (here to a fifth of its norm).
  setWeights();
  const both = new Adam({ ...config, clipNorm: 0.01 });
  const values = [0.03, -0.04];
  const gradient = tf.tensor1d(values);
  both.apply(store, new Map([["w", gradient]]), 0.05);
  gradient.dispose();
  const got = Array.from(store.get("w").dataSync());
  starts.forEach((start, k) => {
    const want = referenceAdam(config, start, [values[k] * 0.2])[0];
    assertAlmostEquals(got[k], want, 1e-6, `clipNorm with weight decay, weight ${k}`);
  });
  both.dispose();
  store.dispose();
});

Deno.test("Adam.loadState: the moments and step of stateTensors continue a run exactly", () => {
  const { config, steps } = ADAM_CASE;
  const store = new ParameterStore(0);
  store.constant("w", [2], 0);
  const weights = () => Array.from(store.get("w").dataSync());
  const setWeights = (values: number[]) =>
    tf.tidy(() => store.get("w").assign(tf.tensor1d(values)));
  const update = (adam: Adam, values: number[]) => {
    const gradient = tf.tensor1d(values);
    adam.apply(store, new Map([["w", gradient]]), Math.hypot(...values));
    gradient.dispose();
  };
  setWeights([1, -2]);
  const straight = new Adam(config);
  for (const values of steps) update(straight, values);
  const want = weights();
  straight.dispose();
  // Interrupted after two steps: the moments go to the host, as a run checkpoint keeps them next
  // to the weights (which loadState passes over).
  setWeights([1, -2]);
  const first = new Adam(config);
  update(first, steps[0]);
  update(first, steps[1]);
  const saved = new Map([["w", { shape: [2], data: Float32Array.from(weights()) }]]);
  for (const [name, tensor] of first.stateTensors()) {
    saved.set(name, { shape: tensor.shape, data: Float32Array.from(tensor.dataSync()) });
  }
  const savedWeights = weights();
  first.dispose();
  // An optimiser that holds moments of its own: loading replaces them and frees the old ones.
  const resumed = new Adam(config);
  update(resumed, [1, 1]);
  const tensors = tf.memory().numTensors;
  resumed.loadState(2, saved);
  assertEquals(tf.memory().numTensors, tensors);
  assertEquals(resumed.step, 2);
  setWeights(savedWeights);
  update(resumed, steps[2]);
  assertEquals(weights(), want);
  resumed.dispose();
  store.dispose();
});

Deno.test("Adam.loadState: moments keep their shape, only optimizer/ keys load, old moments go", () => {
  // A 2-D parameter's moments must come back 2-D (the update adds them to a 2-D gradient); a key
  // that only contains "optimizer/m/" (another tensor of the file) is no moment; moments held
  // before loading, of a parameter the state lacks, must not survive next to the loaded ones.
  const store = new ParameterStore(0);
  store.constant("w", [2, 2], 1);
  store.constant("old", [1], 1);
  const adam = new Adam(ADAM_CASE.config);
  const gradient = tf.tensor1d([0.5]);
  adam.apply(store, new Map([["old", gradient]]), 0.5);
  gradient.dispose();
  adam.loadState(
    4,
    new Map([
      ["w", hostTensor([2, 2], 1)],
      ["optimizer/m/w", hostTensor([2, 2], 0.1)],
      ["optimizer/v/w", hostTensor([2, 2], 0.01)],
      ["model/optimizer/m/w", hostTensor([3], 7)],
    ]),
  );
  const state = adam.stateTensors();
  assertEquals([...state.keys()], ["optimizer/m/w", "optimizer/v/w"]);
  assertEquals(state.get("optimizer/m/w")!.shape, [2, 2]);
  assertEquals(
    Array.from(state.get("optimizer/m/w")!.dataSync()),
    [0.1, 0.1, 0.1, 0.1].map(Math.fround),
  );
  const grad2d = tf.tensor2d([[0.1, 0.1], [0.1, 0.1]]);
  adam.apply(store, new Map([["w", grad2d]]), 0.2);
  grad2d.dispose();
  assertEquals(adam.stateTensors().get("optimizer/v/w")!.shape, [2, 2]);
  adam.dispose();
  assertEquals(adam.stateTensors().size, 0);
  store.dispose();
});

Deno.test("Adam.loadState refuses a step that is no whole number >= 0, keeping its state", () => {
  // Before: an undefined step (a trainer state without it) made every weight NaN at the next update.
  const { store, adam } = adamAfterOneStep([1], ADAM_CASE.config);
  for (const step of [undefined as unknown as number, NaN, -1, 1.5]) {
    assertThrows(
      () => adam.loadState(step, new Map()),
      Error,
      `Adam.loadState: step ${step} is not a whole number >= 0`,
    );
  }
  assertEquals([adam.step, adam.stateTensors().size], [1, 2]);
  // Step 0 (a save before the first update) is a step like any other.
  adam.loadState(0, new Map());
  assertEquals([adam.step, adam.stateTensors().size], [0, 0]);
  adam.dispose();
  store.dispose();
});

Deno.test("Adam.loadState with the parameters refuses a moment of no parameter or of another shape", () => {
  // A moment of shape [1] was broadcast over the gradient: a hand-edited run checkpoint went on
  // training with wrong moments and no error.
  const { store, adam } = adamAfterOneStep([2, 2], ADAM_CASE.config);
  const cases: [string, number[], string][] = [
    ["optimizer/v/w", [1], 'moment "optimizer/v/w" has shape [1], its parameter [2,2]'],
    ["optimizer/m/w", [4], 'moment "optimizer/m/w" has shape [4], its parameter [2,2]'],
    ["optimizer/m/gone", [2, 2], 'moment "optimizer/m/gone" belongs to no parameter'],
  ];
  for (const [key, shape, message] of cases) {
    const state = new Map([["optimizer/m/w", hostTensor([2, 2])], [key, hostTensor(shape)]]);
    assertThrows(() => adam.loadState(3, state, store), Error, `Adam.loadState: ${message}`);
    // Refused before anything changed.
    assertEquals([adam.step, adam.stateTensors().size], [1, 2]);
  }
  // Moments that fit load, as without the parameters; keys outside optimizer/ are passed over.
  adam.loadState(
    3,
    new Map([["optimizer/m/w", hostTensor([2, 2])], ["optimizer/v/w", hostTensor([2, 2])], [
      "w",
      hostTensor([9]),
    ]]),
    store,
  );
  assertEquals([adam.step, adam.stateTensors().size], [3, 2]);
  adam.dispose();
  store.dispose();
});

Deno.test("Adam: a parameter without a gradient keeps its value and its neighbours still update", () => {
  // Parameters without a gradient (an encoder of a modality the batch does not read) are passed
  // over; the ones after them in the store must still get their update.
  const store = new ParameterStore(0);
  store.constant("unused", [2], 1);
  store.constant("used", [2], 1);
  const adam = new Adam(ADAM_CASE.config);
  const gradient = tf.tensor1d([0.5, -0.5]);
  adam.apply(store, new Map([["used", gradient]]), Math.hypot(0.5, 0.5));
  gradient.dispose();
  assertEquals(Array.from(store.get("unused").dataSync()), [1, 1]);
  const used = Array.from(store.get("used").dataSync());
  assert(used[0] < 1 && used[1] > 1, `${used}`);
  assertEquals([...adam.stateTensors().keys()], ["optimizer/m/used", "optimizer/v/used"]);
  adam.dispose();
  store.dispose();
});

Deno.test("Adam.squaredNorm sums the squares of every gradient, however many (grouped AddN)", async () => {
  // Groups of at most 7 AddN inputs: counts around the group boundaries (7, 13, 14, 19, 20) must
  // still see every gradient, else clipping and the finiteness check miss a parameter.
  const adam = new Adam();
  const tensors = tf.memory().numTensors;
  for (let count = 1; count <= 21; count++) {
    // Gradient k holds [k + 1, 1]: distinct, so a gradient read twice or skipped shows.
    const gradients = new Map(
      Array.from({ length: count }, (_, k) => [`p${k}`, tf.tensor1d([k + 1, 1])] as const),
    );
    const squared = adam.squaredNorm(gradients);
    const [value] = await squared.data();
    let want = 0;
    for (let k = 0; k < count; k++) want += (k + 1) ** 2 + 1;
    assertEquals(value, want, `${count} gradients`);
    tf.dispose([squared, ...gradients.values()]);
    assertEquals(tf.memory().numTensors, tensors);
  }
});

Deno.test("run clock: time left is the epochs left times this process's mean epoch", () => {
  const realNow = performance.now;
  let fakeMs = 0;
  const setNow = (now: () => number) =>
    Object.defineProperty(performance, "now", { value: now, configurable: true, writable: true });
  setNow(() => fakeMs);
  try {
    // Resumed after epoch 2: 30 s for epochs 3 and 4 is 15 s per epoch, and epochs 5..10 are left.
    const clock = new RunClock(2);
    fakeMs = 30_000;
    assertEquals(clock.secondsLeftAtMost(4, 10), 6 * 15);
    clock.recordSteps(3, 10);
    clock.recordSteps(1, 10);
    assertEquals(clock.meanStepSeconds(), 0.2);
    assertEquals(new RunClock(0).meanStepSeconds(), 0, "no steps: 0, not NaN");
  } finally {
    setNow(realNow);
  }
});

Deno.test("run clock: nothing left after the last epoch; an epoch without steps adds no step", () => {
  const realNow = performance.now;
  let fakeMs = 0;
  const setNow = (now: () => number) =>
    Object.defineProperty(performance, "now", { value: now, configurable: true, writable: true });
  setNow(() => fakeMs);
  try {
    const clock = new RunClock(0);
    fakeMs = 20_000;
    assertEquals(clock.secondsLeftAtMost(10, 10), 0, "the last epoch is done: 0 s left");
    assertEquals(clock.secondsLeftAtMost(9, 10), 20_000 / 9 / 1000);
    // An epoch that ran no step adds no step: the mean is over the steps that ran.
    clock.recordSteps(0, 0);
    clock.recordSteps(3, 10);
    assertEquals(clock.meanStepSeconds(), 0.3);
  } finally {
    setNow(realNow);
  }
});

Deno.test("printProgress: one line with the losses, validation, best epoch and a star on a gain", () => {
  const progress: EpochProgress = {
    epoch: 3,
    maxEpochs: 20,
    loss: 1.5,
    recommendationLoss: 1.25,
    auxiliaryLoss: 0.25,
    validation: { "NDCG@10": 0.12345, "HR@10": 0.25 },
    bestValidation: 0.12345,
    bestEpoch: 3,
    improved: true,
    steps: 10,
    epochSeconds: 2.5,
    stepSeconds: 0.25,
    secondsLeftAtMost: 90,
  };
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => void lines.push(line);
  try {
    printProgress(progress);
    printProgress({ ...progress, improved: false, auxiliaryLoss: 0, validation: undefined });
  } finally {
    console.log = log;
  }
  assertEquals(lines, [
    "epoch 3/20  loss 1.5000 (rec 1.2500, aux 0.2500)  valid NDCG@10 0.1235 HR@10 0.2500 *  " +
    "best 0.1235 @3  2.5 s/epoch, 250 ms/step, <= 1.5 min left",
    "epoch 3/20  loss 1.5000  valid -  best 0.1235 @3  2.5 s/epoch, 250 ms/step, <= 1.5 min left",
  ]);
});

Deno.test("printProgress: a validation without HR@10 shows a dash; a negative auxiliary loss is shown", () => {
  // The auxiliary part is left out only when there is no auxiliary term (exactly 0); a hook whose
  // loss is negative still has one.
  const progress: EpochProgress = {
    epoch: 1,
    maxEpochs: 2,
    loss: 0.5,
    recommendationLoss: 0.75,
    auxiliaryLoss: -0.25,
    validation: { "NDCG@10": 0.5 },
    bestValidation: 0.5,
    bestEpoch: 1,
    improved: false,
    steps: 1,
    epochSeconds: 6,
    stepSeconds: 0.002,
    secondsLeftAtMost: 6,
  };
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => void lines.push(line);
  try {
    printProgress(progress);
  } finally {
    console.log = log;
  }
  assertEquals(lines, [
    "epoch 1/2  loss 0.5000 (rec 0.7500, aux -0.2500)  valid NDCG@10 0.5000 HR@10 -  " +
    "best 0.5000 @1  6.0 s/epoch, 2 ms/step, <= 0.1 min left",
  ]);
});

Deno.test("best weights: keep copies and frees the copy before, restoreInto assigns it, dispose frees it", () => {
  const store = new ParameterStore(0);
  store.constant("w", [2], 1);
  const model = { parameters: store } as unknown as SequentialRecommender;
  const set = (values: number[]) => tf.tidy(() => store.get("w").assign(tf.tensor1d(values)));
  const weights = () => Array.from(store.get("w").dataSync());
  const tensors = tf.memory().numTensors;
  const best = new BestWeights();
  best.restoreInto(model);
  assertEquals(weights(), [1, 1], "no copy yet: nothing restored");
  set([2, 3]);
  best.keep(model);
  set([4, 5]);
  best.keep(model);
  // One copy held: the first best's copy was freed when the second replaced it.
  assertEquals(tf.memory().numTensors, tensors + 1);
  set([6, 7]);
  best.restoreInto(model);
  assertEquals(weights(), [4, 5]);
  best.dispose();
  assertEquals(tf.memory().numTensors, tensors);
  // After dispose there is no copy: restoring assigns nothing (not a freed tensor).
  set([8, 9]);
  best.restoreInto(model);
  assertEquals(weights(), [8, 9]);
  // A resumed run's best checkpoint is owned from the start and restored as such.
  const resumed = new BestWeights(new Map([["w", tf.tensor1d([-1, -2])]]));
  resumed.restoreInto(model);
  assertEquals(weights(), [-1, -2]);
  resumed.dispose();
  assertEquals(tf.memory().numTensors, tensors);
  store.dispose();
});

Deno.test("minutesAtMost: the time left rounds up to the tenth of a minute, so the bound stays a bound", () => {
  // 206 s is 3.43 min: "3.4" would print less than the bound itself.
  assertEquals(
    [0, 1, 6, 7, 204, 206, 209, 3600].map(minutesAtMost),
    ["0.0", "0.1", "0.1", "0.2", "3.4", "3.5", "3.5", "60.0"],
  );
});
