/**
 * Demure's `attributionSource: "training_pass"`: the settings it refuses, the gradient it taps
 * (exactly dL_rec/dE of the training step, without the contrastive term's share), the mask a
 * window gets at its next visit, memory, and the checkpoint round trip.
 */
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreater,
  assertRejects,
  assertThrows,
} from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  DEFAULT_DEMURE_CONFIG,
  type DemureConfig,
  resolveDemureConfig,
} from "../../lib/demure/config.ts";
import { demureHooks } from "../../lib/demure/objective.ts";
import { attributionOfContributions } from "../../lib/attribution/attribute.ts";
import { normaliseContributions } from "../../lib/attribution/normalise.ts";
import { validPairs } from "../../lib/attribution/_pairs.ts";
import { recommendationLoss } from "../../lib/losses/recommendation.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { packRows } from "../../lib/nn/packed_rows.ts";
import { tapGradient } from "../../lib/nn/gradient_tap.ts";
import { Adam } from "../../lib/train/adam.ts";
import { type TrainerHooks, TrainingDivergedError } from "../../lib/train/config.ts";
import { trainStep } from "../../lib/train/step.ts";
import { hashSeeds } from "../../lib/util/random.ts";
import { SettingError } from "../../lib/util/settings.ts";

import { batch, split, trainer, TRAINING_PASS } from "./_one_batch.ts";

await initBackend({ verbose: false });

const newModel = () => new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });

function refusal(input: Partial<DemureConfig>): SettingError {
  const error = assertThrows(() => resolveDemureConfig(input), SettingError);
  return error as SettingError;
}

Deno.test("attributionSource: unknown values and unsupported combinations are refused", () => {
  const unknown = refusal({ attributionSource: "both" as DemureConfig["attributionSource"] });
  assertEquals(unknown.setting, "DemureConfig.attributionSource");
  assert(
    unknown.message.includes('"separate_pass"') && unknown.message.includes('"training_pass"'),
  );
  const base = { attributionSource: "training_pass" as const, denoiseInput: false };
  for (const variant of ["attribution_only", "contrastive_only"] as const) {
    const error = refusal({ ...base, variant });
    assertEquals([error.setting, error.value], ["DemureConfig.variant", variant]);
  }
  const denoised = refusal({ attributionSource: "training_pass" }); // denoiseInput defaults true
  assertEquals([denoised.setting, denoised.value], ["DemureConfig.denoiseInput", true]);
  for (const method of ["occlusion", "integrated_gradients", "mask_gradient"] as const) {
    const error = refusal({
      ...base,
      attribution: { method } as DemureConfig["attribution"],
    });
    assertEquals([error.setting, error.value], ["DemureConfig.attribution.method", method]);
  }
  assertEquals(resolveDemureConfig(base).attributionSource, "training_pass");
});

Deno.test("attributionSource auto (default): the training pass where supported, else the separate pass", () => {
  const route = (input: Partial<DemureConfig>) => resolveDemureConfig(input).attributionSource;
  assertEquals(DEFAULT_DEMURE_CONFIG.attributionSource, "auto");
  assertEquals(route({ denoiseInput: false }), "training_pass");
  assertEquals(route({ denoiseInput: false, attributionSource: "auto" }), "training_pass");
  assertEquals(
    route({
      denoiseInput: false,
      attribution: { method: "gradient_norm" } as DemureConfig["attribution"],
    }),
    "training_pass",
  );
  // Each setting the training pass refuses sends auto to the separate pass instead of failing.
  assertEquals(route({}), "separate_pass", "denoiseInput defaults to true");
  assertEquals(route({ denoiseInput: false, variant: "attribution_only" }), "separate_pass");
  assertEquals(route({ denoiseInput: false, variant: "contrastive_only" }), "separate_pass");
  for (const method of ["occlusion", "integrated_gradients", "mask_gradient"] as const) {
    const attribution = { method } as DemureConfig["attribution"];
    assertEquals(route({ denoiseInput: false, attribution }), "separate_pass", method);
  }
  assertEquals(route({ denoiseInput: false, attributionSource: "separate_pass" }), "separate_pass");
  assertEquals(resolveDemureConfig({ denoiseInput: false }).trainingPassSmoothing, 0.3);
  // The route taken is in the run's counters (the protocol of a result); none without attribution.
  const model = newModel();
  assertEquals(
    demureHooks(model, { denoiseInput: false }).stats().attributionSource,
    "training_pass",
  );
  assertEquals(demureHooks(model, {}).stats().attributionSource, "separate_pass");
  assertEquals(
    demureHooks(model, { variant: "contrastive_only" }).stats().attributionSource,
    undefined,
  );
  model.dispose();
});

Deno.test("tapGradient sees the gradient through its own use of x only", () => {
  const x = tf.tensor1d([1, -2, 3]);
  let seen: number[] = [];
  const [dx] = tf.grads((input: tf.Tensor) => {
    const tapped = tapGradient(input, (g) => seen = Array.from(g.dataSync()));
    // d/dx: 3 x^2 through the tap, 1 through the untapped use.
    return tf.add(tf.sum(tf.pow(tapped, 3)), tf.sum(input)) as tf.Scalar;
  })([x]);
  assertEquals(seen, [3, 12, 27]);
  assertEquals(Array.from(dx.dataSync()), [4, 13, 28]);
  tf.dispose([x, dx]);
});

/** dL_rec/dE of `batch` at the model's current weights, in training mode with the step's dropout. */
function referenceGradient(model: SequentialRecommender, step: number) {
  return tf.tidy(() => {
    const items = tf.tensor2d(batch.items, [batch.batchSize, batch.length], "int32");
    const valid = tf.tensor2d(batch.valid, [batch.batchSize, batch.length]);
    const all = model.encodeAllItems();
    const embeddings = model.embedModalities(items, all);
    const presence = model.presence(items);
    const itemTable = model.itemTable(all);
    const seed = hashSeeds(trainer.seed, step);
    const packing = packRows(batch.valid, batch.batchSize, batch.length);
    const gradient = tf.grad((e: tf.Tensor) => {
      const fused = model.fuse(e as tf.Tensor4D, tf.onesLike(presence), presence);
      const states = model.userStates(fused, valid, true, seed, packing);
      return recommendationLoss(states, itemTable, batch, trainer.loss);
    })(embeddings);
    return { gradient, embeddings };
  });
}

/** The noise mask and scores the attribution's host code gives for `-g . e`. */
function maskOf(model: SequentialRecommender, gradient: tf.Tensor, embeddings: tf.Tensor) {
  const contributions = tf.tidy(() => tf.neg(tf.sum(tf.mul(gradient, embeddings), -1)));
  const values = contributions.dataSync() as Float32Array;
  contributions.dispose();
  const presence = model.presenceOf(batch.items);
  const modalities = model.numModalities;
  const valid = validPairs(presence.map((p, i) => p * batch.valid[Math.floor(i / modalities)]));
  values.forEach((_, i) => values[i] = valid[i] ? values[i] : 0);
  const shape = [batch.batchSize, batch.length, modalities] as [number, number, number];
  const config = {
    ...resolveDemureConfig(TRAINING_PASS).attribution,
    selection: { kind: "bottom_fraction" as const, rho: 0.4 },
  };
  return attributionOfContributions(values, valid, shape, config);
}

/** The cache's noise flags and scores of `batch`'s rows (insertion order = first store). */
function cached(save: () => { tensors: Map<string, { data: Float32Array }> }) {
  const tensors = save().tensors;
  return {
    noise: Array.from(tensors.get("demure/noise")!.data),
    scores: tensors.get("demure/scores")!.data,
    uses: Array.from(tensors.get("demure/uses")!.data),
  };
}

Deno.test("training pass: the tapped gradient is dL_rec/dE of the step, and becomes the next visit's mask", async () => {
  const model = newModel();
  const demure = demureHooks(model, TRAINING_PASS);
  const adam = new Adam();
  let tapped: tf.Tensor | undefined;
  const hooks: TrainerHooks = {
    ...demure.hooks,
    recommendationGradient: (gradient, embeddings, step) => {
      tapped?.dispose();
      tapped = tf.keep(tf.clone(gradient));
      demure.hooks.recommendationGradient!(gradient, embeddings, step);
    },
  };
  await trainStep({ model, optimizer: adam, batch, step: 0, config: trainer, hooks }); // warm-up: nothing stored
  assertEquals(demure.stats().captured, 0);
  // Step 1: the first visit after the warm-up is attributed by the separate pass; the step's
  // own gradient is then stored for the next visit.
  const reference = referenceGradient(model, 1);
  const expected = maskOf(model, reference.gradient, reference.embeddings);
  const losses = await trainStep({
    model,
    optimizer: adam,
    batch,
    step: 1,
    config: trainer,
    hooks,
  });
  assertGreater(losses.auxiliary, 0, "the contrastive term is on (and must not be in the tap)");
  assert(tapped !== undefined);
  const got = tapped.dataSync();
  const want = reference.gradient.dataSync();
  const scale = Math.max(...Array.from(want, Math.abs));
  assertGreater(scale, 0);
  want.forEach((w, i) => assertAlmostEquals(got[i], w, 1e-5 * scale, `gradient at ${i}`));
  assertEquals(
    [demure.stats().attributed, demure.stats().captured, demure.stats().reused],
    [1, 1, 0],
  );
  const stored = cached(demure.hooks.checkpointState!.save);
  assertEquals(stored.uses, [0, 0, 0, 0], "the captured mask has served no visit yet");
  assertEquals(stored.noise, Array.from(expected.noiseMask));
  expected.normalised.forEach((z, i) => {
    if (Number.isNaN(z)) assert(Number.isNaN(stored.scores[i]));
    else assertAlmostEquals(stored.scores[i], z, 1e-4);
  });
  // Step 2, the next visit: the stored mask is served (no separate pass), and its noise is what
  // the views count.
  const before = demure.stats().pairsByModality;
  await trainStep({ model, optimizer: adam, batch, step: 2, config: trainer, hooks });
  const after = demure.stats();
  assertEquals([after.attributed, after.reused, after.captured], [1, 1, 2]);
  model.modalityNames.forEach((name, m) => {
    const noise = expected.noiseMask.filter((flag, i) => flag && i % model.numModalities === m);
    assertEquals(after.pairsByModality[name].noise - before[name].noise, noise.length, name);
  });
  tf.dispose([reference.gradient, reference.embeddings, tapped]);
  adam.dispose();
  model.dispose();
});

async function train(
  steps: number,
  from = 0,
  model = newModel(),
  adam = new Adam(),
  demure = demureHooks(model, TRAINING_PASS),
  afterStep: (step: number) => void = () => {},
) {
  const losses = [];
  const tensors: number[] = [];
  for (let step = from; step < steps; step++) {
    losses.push(
      await trainStep({
        model,
        optimizer: adam,
        batch,
        step,
        config: trainer,
        hooks: demure.hooks,
      }),
    );
    tensors.push(tf.memory().numTensors);
    afterStep(step);
  }
  return { losses, tensors, model, adam, demure };
}

Deno.test("training pass: tensor count flat, deterministic, checkpoint round trip bit-identical", async () => {
  const whole = await train(7);
  assertEquals(new Set(whole.tensors.slice(3)).size, 1, `tensor counts ${whole.tensors}`);
  assertEquals(whole.demure.stats().captured, 6);
  // Interrupted after step 3: a new hook object restores the saved state and continues.
  const first = await train(4);
  const saved = first.demure.hooks.checkpointState!.save();
  const resumed = demureHooks(first.model, TRAINING_PASS);
  resumed.hooks.checkpointState!.restore(saved);
  assertEquals(resumed.stats(), first.demure.stats());
  const rest = await train(7, 4, first.model, first.adam, resumed);
  assertEquals([...first.losses, ...rest.losses], whole.losses);
  assertEquals(resumed.stats(), whole.demure.stats());
  // A separate-pass checkpoint does not resume a training-pass run.
  const separate = demureHooks(first.model, {
    ...TRAINING_PASS,
    attributionSource: "separate_pass",
  });
  assertThrows(
    () =>
      demureHooks(first.model, TRAINING_PASS).hooks.checkpointState!.restore(
        separate.hooks.checkpointState!.save(),
      ),
    Error,
    "resumed with training_pass",
  );
  for (const run of [whole, first]) {
    run.adam.dispose();
    run.model.dispose();
  }
});

Deno.test("trainingPassSmoothing: range checked; later visits average the stored scores", async () => {
  for (const trainingPassSmoothing of [0, 1.5]) {
    const error = refusal({
      attributionSource: "training_pass",
      denoiseInput: false,
      trainingPassSmoothing,
    });
    assertEquals(error.setting, "DemureConfig.trainingPassSmoothing");
  }
  // Same model, same batch: A keeps the newest visit, B averages with weight 0.5. Their first
  // visit (step 1) replaces the separately attributed mask in both, so both train alike up to the
  // update of step 2, and at step 2 both capture the same contributions.
  const scoresAfter = async (smoothing: number) => {
    const model = newModel();
    const adam = new Adam();
    const demure = demureHooks(model, { ...TRAINING_PASS, trainingPassSmoothing: smoothing });
    const saved: Float32Array[] = [];
    await train(3, 0, model, adam, demure, (step) => {
      if (step > 0) saved.push(cached(demure.hooks.checkpointState!.save).scores);
    });
    adam.dispose();
    model.dispose();
    return saved;
  };
  const [newestAfter1, newestAfter2] = await scoresAfter(1);
  const [averagedAfter1, averagedAfter2] = await scoresAfter(0.5);
  assertEquals(averagedAfter1, newestAfter1, "a first visit's capture is not averaged");
  const valid = Uint8Array.from(newestAfter1, (z) => Number.isNaN(z) ? 0 : 1);
  const blend = newestAfter2.map((z, i) => valid[i] ? 0.5 * z + 0.5 * newestAfter1[i] : 0);
  const shape = [batch.batchSize, batch.length, 3] as [number, number, number];
  const expected = normaliseContributions(blend, valid, shape, "zscore");
  assert(expected.some((z, i) => valid[i] && Math.abs(z - newestAfter2[i]) > 1e-3), "differs");
  expected.forEach((z, i) => {
    if (valid[i]) assertAlmostEquals(averagedAfter2[i], z, 1e-4, `score ${i}`);
  });
});

Deno.test("training pass: a step that drew no views of its own stores no mask from its gradient", async () => {
  // Found by mutation round AK (AK34): the tapped gradient of a step whose inputMask was not called
  // (a caller's wrapper that skips it) must not be stored as the mask of the previous step's batch.
  const model = newModel();
  const demure = demureHooks(model, TRAINING_PASS);
  const adam = new Adam();
  const step = (s: number, hooks: TrainerHooks) =>
    trainStep({ model, optimizer: adam, batch, step: s, config: trainer, hooks });
  await step(0, demure.hooks); // warm-up
  await step(1, demure.hooks);
  assertEquals(demure.stats().captured, 1, "step 1's own gradient was stored");
  const { inputMask: _, ...withoutMask } = demure.hooks;
  await step(2, withoutMask);
  assertEquals(demure.stats().captured, 1, "step 2's gradient was stored as step 1's batch's mask");
  adam.dispose();
  model.dispose();
});

Deno.test("training pass: a step that diverged (no update applied) stores no mask from its gradient", async () => {
  // Step 1's L_rec and its tapped gradient are finite, but its auxiliary loss is NaN: the trainer
  // refuses the update, so the gradient of weights that were never updated is not the window's
  // next mask (the run restarts from its last checkpoint).
  const model = newModel();
  const demure = demureHooks(model, TRAINING_PASS);
  const adam = new Adam();
  const diverging: TrainerHooks = {
    ...demure.hooks,
    auxiliaryLoss: (context) => tf.mul(demure.hooks.auxiliaryLoss!(context), NaN) as tf.Scalar,
  };
  await trainStep({ model, optimizer: adam, batch, step: 0, config: trainer, hooks: demure.hooks });
  await assertRejects(
    () => trainStep({ model, optimizer: adam, batch, step: 1, config: trainer, hooks: diverging }),
    TrainingDivergedError,
  );
  assertEquals([demure.stats().attributed, demure.stats().captured], [1, 0]);
  adam.dispose();
  model.dispose();
});
