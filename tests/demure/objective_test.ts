/**
 * Demure's trainer hooks on the real model: warm-up, the variants, memory and determinism.
 */
import {
  assert,
  assertEquals,
  assertGreater,
  assertMatch,
  assertRejects,
  assertThrows,
} from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { trainingBatches } from "../../lib/data/protocol/batcher.ts";
import {
  type DemureConfig,
  type DemureVariant,
  noiseAttributionConfig,
  resolveDemureConfig,
  warmupRefusal,
} from "../../lib/demure/config.ts";
import { demureHooks } from "../../lib/demure/objective.ts";
import { DEFAULT_ATTRIBUTION_CONFIG } from "../../lib/attribution/types.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { Adam } from "../../lib/train/adam.ts";
import { type HookState, resolveTrainerConfig } from "../../lib/train/config.ts";
import { trainStep } from "../../lib/train/step.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import { SettingError } from "../../lib/util/settings.ts";
import type { Json } from "../../lib/checkpoint/checkpoint.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";
import { epochProgress } from "./_epoch_progress.ts";

await initBackend({ verbose: false });

/** A checkpoint's JSON state, to edit. */
type JsonObject = Record<string, Json>;

const split = leaveOneOut(tinyDataset(), 4);
const config = resolveTrainerConfig({ batchSize: 4, seed: 3 });

async function run(
  variant: DemureVariant,
  steps: number,
  warmupSteps = 2,
  extra: Partial<DemureConfig> = {},
  modelSeed = 1,
) {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: modelSeed });
  const demure = demureHooks(model, {
    variant,
    warmupSteps,
    everyVisits: 1,
    rho: 0.4,
    lambda: 0.5,
    ...extra,
  });
  const adam = new Adam();
  const [batch] = trainingBatches(split, 0, { batchSize: 4, seed: 3, shuffle: false });
  const masks: (number[] | undefined)[] = [];
  const hooks = {
    ...demure.hooks,
    inputMask: async (b: typeof batch, step: number) => {
      const mask = await demure.hooks.inputMask?.(b, step);
      masks.push(mask ? Array.from(await mask.data()) : undefined);
      return mask;
    },
  };
  const losses = [];
  const tensors: number[] = [];
  for (let step = 0; step < steps; step++) {
    losses.push(await trainStep({ model, optimizer: adam, batch, step, config, hooks }));
    tensors.push(tf.memory().numTensors);
  }
  const stats = demure.stats();
  adam.dispose();
  model.dispose();
  return { losses, masks, stats, tensors };
}

Deno.test("Demure full: no contrastive term during warm-up, a positive one after", async () => {
  const { losses, stats } = await run("full", 4);
  assertEquals([losses[0].auxiliary, losses[1].auxiliary], [0, 0]);
  assertGreater(losses[2].auxiliary, 0);
  assertGreater(losses[3].auxiliary, 0);
  assertEquals(stats.attributed, 2, "everyVisits = 1: steps 2 and 3 attribute");
  assertEquals(stats.random, 0);
});

Deno.test("Demure stats: no pair under a mask gives a NaN noise rate, not 0; else noise / pairs", async () => {
  // Warm-up 2 steps and 2 steps run: no mask was drawn, so every modality has 0 pairs and its
  // rate is 0 / 0, undefined (NaN, "null" in a result file), which a 0 would misreport as "never
  // noise".
  const { stats } = await run("full", 2);
  const names = Object.keys(stats.pairsByModality);
  assertGreater(names.length, 0);
  for (const name of names) {
    assertEquals(stats.pairsByModality[name], { valid: 0, noise: 0 }, name);
    assert(Number.isNaN(stats.noiseRateByModality[name]), `${name}: rate without pairs`);
  }
  // One step after the warm-up: each modality's rate is its noise count over its pair count.
  const after = (await run("full", 3)).stats;
  for (const name of names) {
    const { valid, noise } = after.pairsByModality[name];
    if (valid > 0) assertEquals(after.noiseRateByModality[name], noise / valid, name);
    else assert(Number.isNaN(after.noiseRateByModality[name]), name);
  }
});

Deno.test("Demure attribution_only masks the input after warm-up and adds no loss", async () => {
  const { losses, masks } = await run("attribution_only", 3, 1);
  assertEquals(masks[0], undefined, "warm-up step reads the full history");
  const mask = masks[1];
  assert(mask !== undefined);
  assert(mask.every((w) => w === 0 || w === 1));
  assertGreater(mask.filter((w) => w === 0).length, 0, "some noise is masked");
  assertEquals(losses.map((l) => l.auxiliary), [0, 0, 0]);
});

Deno.test("Demure full reads the denoised history in L_rec unless denoiseInput is off", async () => {
  const denoised = await run("full", 3, 1);
  assert(denoised.masks[1] !== undefined && denoised.masks[1].some((w) => w === 0));
  assertGreater(denoised.losses[2].auxiliary, 0);
  const fullHistory = await run("full", 3, 1, { denoiseInput: false });
  assertEquals(fullHistory.masks, [undefined, undefined, undefined]);
  assertGreater(fullHistory.losses[2].auxiliary, 0);
});

Deno.test("Demure contrastive_only draws random masks instead of attribution", async () => {
  const { losses, stats } = await run("contrastive_only", 3, 1);
  assertEquals(stats.attributed, 0);
  assertEquals(stats.random, 2);
  assertGreater(losses[2].auxiliary, 0);
});

Deno.test("Demure random_input holds out whole random modalities of each user, the same at every step, and adds no loss", async () => {
  const { losses, masks, stats } = await run("random_input", 4, 1, { rho: 0.5 });
  assertEquals(masks[0], undefined, "warm-up step reads the full history");
  assertEquals([stats.attributed, stats.reused, stats.random], [0, 0, 3]);
  assertEquals(stats.attributionSource, undefined, "nothing was attributed");
  assertEquals(losses.map((l) => l.auxiliary), [0, 0, 0, 0]);
  // One draw per user from the run seed: the same batch gets the same mask at every step.
  assertEquals(masks[2], masks[1]);
  assertEquals(masks[3], masks[1]);
  // Whole modalities (the attribution's default granularity), floor(rho x present) per user.
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const [batch] = trainingBatches(split, 0, { batchSize: 4, seed: 3, shuffle: false });
  const presence = model.presenceOf(batch.items);
  const modalities = model.numModalities;
  model.dispose();
  const kept = masks[1]!;
  for (let b = 0; b < batch.batchSize; b++) {
    const pairs = (m: number) =>
      Array.from({ length: batch.length }, (_, p) => (b * batch.length + p) * modalities + m)
        .filter((i) => presence[i] > 0 && batch.valid[Math.floor(i / modalities)] > 0);
    const present = [...Array(modalities).keys()].filter((m) => pairs(m).length > 0);
    const heldOut = present.filter((m) => pairs(m).every((i) => kept[i] === 0));
    for (const m of present) {
      const zeros = pairs(m).filter((i) => kept[i] === 0).length;
      assert(zeros === 0 || zeros === pairs(m).length, `row ${b} modality ${m}: part masked`);
    }
    assertEquals(heldOut.length, Math.floor(0.5 * present.length), `row ${b}`);
  }
  // Another run seed draws other modalities.
  const other = await run("random_input", 2, 1, { rho: 0.5 }, 2);
  assert(JSON.stringify(other.masks[1]) !== JSON.stringify(masks[1]), "seeds 1 and 2 drew alike");
});

Deno.test("Demure contrastive_only: the random views follow the run's seed", async () => {
  // The same batch at every step: only the seed can tell the draws apart.
  const noiseRates = async (seed: number) =>
    (await run("contrastive_only", 6, 1, {}, seed)).stats.noiseRateByModality;
  assertEquals(await noiseRates(1), await noiseRates(1));
  // Before, every seed drew the same masks at a step (seeded by the step alone).
  assert(
    JSON.stringify(await noiseRates(1)) !== JSON.stringify(await noiseRates(2)),
    "seeds 1 and 2 drew the same views",
  );
});

Deno.test("Demure hooks drive one run: a second run with the same hooks stops at its first step", async () => {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const demure = demureHooks(model, { warmupSteps: 1, everyVisits: 1 });
  const adam = new Adam();
  const [batch] = trainingBatches(split, 0, { batchSize: 4, seed: 3, shuffle: false });
  const step = (s: number) =>
    trainStep({ model, optimizer: adam, batch, step: s, config, hooks: demure.hooks });
  for (let s = 0; s < 3; s++) await step(s);
  // Before, the cache and counters of the first run carried on into the second, silently.
  await assertRejects(() => step(0), Error, "one DemureTraining drives one trainModel run");
  // A second run after a run of a single step repeats that step's index: refused as well.
  const single = demureHooks(model, { warmupSteps: 1, everyVisits: 1 });
  const singleStep = () =>
    trainStep({ model, optimizer: adam, batch, step: 0, config, hooks: single.hooks });
  await singleStep();
  await assertRejects(singleStep, Error, "step 0 after step 0");
  adam.dispose();
  model.dispose();
});

Deno.test("Demure training keeps the tensor count constant and is deterministic", async () => {
  const first = await run("full", 6);
  const second = await run("full", 6);
  // Step 2 creates the Adam moments' steady state; from then on nothing may accumulate.
  assertEquals(new Set(first.tensors.slice(3)).size, 1, `tensor counts ${first.tensors}`);
  assertEquals(first.losses, second.losses);
});

Deno.test("Demure's rho is the one noise fraction: selection derived, same default and range", () => {
  const defaults = resolveDemureConfig();
  assertEquals(noiseAttributionConfig(defaults).selection, DEFAULT_ATTRIBUTION_CONFIG.selection);
  assertEquals(noiseAttributionConfig(resolveDemureConfig({ rho: 0.5 })).selection, {
    kind: "bottom_fraction",
    rho: 0.5,
  });
  assert(!("selection" in defaults.attribution));
  for (const rho of [0, 1, 1.5]) {
    assertThrows(
      () => resolveDemureConfig({ rho }),
      Error,
      `DemureConfig.rho is ${rho}; allowed: a finite number > 0 and < 1`,
    );
  }
  const withSelection = {
    attribution: { selection: { kind: "threshold", threshold: 0 } },
  } as unknown as Partial<DemureConfig>;
  assertThrows(() => resolveDemureConfig(withSelection), Error, "set rho");
});

Deno.test("Demure warm-up by epochs and by a validation plateau ends through the afterEpoch hook", async () => {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const [batch] = trainingBatches(split, 0, { batchSize: 4, seed: 3, shuffle: false });
  const byEpochs = demureHooks(model, { warmupBy: "epochs", warmupEpochs: 2, everyVisits: 1 });
  assertEquals(await byEpochs.hooks.inputMask?.(batch, 0), undefined, "warm-up: no mask");
  byEpochs.hooks.afterEpoch!(epochProgress(1, true));
  assertEquals(byEpochs.stats().warmupEndedAfterEpoch, undefined);
  byEpochs.hooks.afterEpoch!(epochProgress(2, true));
  assertEquals(byEpochs.stats().warmupEndedAfterEpoch, 2);
  // Step 1, far below the step warm-up's default: the epochs' warm-up is the only one.
  const mask = await byEpochs.hooks.inputMask?.(batch, 1);
  assert(mask !== undefined, "after the warm-up every step is masked, whatever its index");
  mask.dispose();
  const byPlateau = demureHooks(model, { warmupBy: "plateau", warmupEpochs: 2 });
  byPlateau.hooks.afterEpoch!(epochProgress(1, true));
  byPlateau.hooks.afterEpoch!(epochProgress(2, false));
  byPlateau.hooks.afterEpoch!(epochProgress(3, true));
  byPlateau.hooks.afterEpoch!(epochProgress(4, false));
  assertEquals(byPlateau.stats().warmupEndedAfterEpoch, undefined, "gains reset the count");
  // Resumed from the checkpoint of epoch 4 (one epoch without a gain counted), the warm-up ends
  // where the uninterrupted one does.
  const resumed = demureHooks(model, { warmupBy: "plateau", warmupEpochs: 2 });
  resumed.hooks.checkpointState!.restore(byPlateau.hooks.checkpointState!.save());
  byPlateau.hooks.afterEpoch!(epochProgress(5, false));
  assertEquals(byPlateau.stats().warmupEndedAfterEpoch, 5);
  resumed.hooks.afterEpoch!(epochProgress(5, false));
  assertEquals(resumed.stats().warmupEndedAfterEpoch, 5);
  model.dispose();
});

Deno.test("a warm-up that early stopping or the epoch cap always ends first is refused before training", async () => {
  const stopping = { patience: 4, maxEpochs: 10, evalEvery: 1 };
  // Plateau: 4 evaluations without a gain end the warm-up and, with patience 4, the run.
  const plateau = warmupRefusal(
    { warmupBy: "plateau", warmupEpochs: 4, warmupSteps: 30 },
    stopping,
  );
  assert(plateau instanceof SettingError);
  assertEquals(plateau.setting, "DemureConfig.warmupEpochs");
  assert(plateau.allowed.includes("below TrainerConfig.patience (4)"), plateau.message);
  assertEquals(
    warmupRefusal({ warmupBy: "plateau", warmupEpochs: 3, warmupSteps: 30 }, stopping),
    undefined,
  );
  // Epochs: a warm-up of the whole cap leaves no epoch to denoise in; one fewer leaves one.
  const epochs = warmupRefusal({ warmupBy: "epochs", warmupEpochs: 10, warmupSteps: 30 }, stopping);
  assert(epochs?.allowed.includes("below TrainerConfig.maxEpochs (10)"), epochs?.message);
  assertEquals(
    warmupRefusal({ warmupBy: "epochs", warmupEpochs: 9, warmupSteps: 30 }, stopping),
    undefined,
  );
  // Steps: the run's length in steps decides, given by the trainer (10 epochs of 3 steps: 30); a
  // plan, which does not know the data yet, gives none and is not refused.
  const steps = { warmupBy: "steps", warmupEpochs: 99, warmupSteps: 30 } as const;
  assertEquals(warmupRefusal(steps, stopping), undefined);
  const bySteps = warmupRefusal(steps, stopping, 3);
  assertEquals(bySteps?.setting, "DemureConfig.warmupSteps");
  assert(bySteps?.allowed.includes("below the run's 30 training steps"), bySteps?.message);
  // Masks start at step warmupSteps (0-based): 29 leaves the last step to denoise.
  assertEquals(warmupRefusal({ ...steps, warmupSteps: 29 }, stopping, 3), undefined);
  // Through trainModel: refused before any tensor of the run is made.
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const demure = demureHooks(model, { warmupBy: "plateau", warmupEpochs: 2 });
  const before = tf.memory().numTensors;
  await assertRejects(
    () => trainModel(model, split, { maxEpochs: 3, patience: 2 }, demure.hooks),
    SettingError,
    "DemureConfig.warmupEpochs is 2",
  );
  assertEquals(tf.memory().numTensors, before);
  model.dispose();
});

Deno.test("a warm-up by steps that outlasts every step of the run is refused by trainModel; one step shorter denoises", async () => {
  // 4 users of one window each, batches of 2: 2 steps an epoch.
  const trainer = { maxEpochs: 2, batchSize: 2, patience: 2 };
  const attempt = (warmupSteps: number, extra: Record<string, number> = {}) => {
    const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
    const demure = demureHooks(model, { warmupSteps, everyVisits: 1 });
    const result = trainModel(model, split, { ...trainer, ...extra }, {
      ...demure.hooks,
      onProgress: () => {},
    });
    return { model, demure, result };
  };
  for (
    const [warmupSteps, extra, steps] of [
      [1_000_000, { maxBatchesPerEpoch: 2 }, "4 training steps (TrainerConfig.maxEpochs 2 x 2"],
      [4, {}, "4 training steps (TrainerConfig.maxEpochs 2 x 2 batches an epoch)"],
      [
        2,
        { maxBatchesPerEpoch: 1 },
        "2 training steps (TrainerConfig.maxEpochs 2 x 1 batch an epoch)",
      ],
    ] as const
  ) {
    const { model, result } = attempt(warmupSteps, extra);
    const before = tf.memory().numTensors;
    await assertRejects(
      () => result,
      SettingError,
      `DemureConfig.warmupSteps is ${warmupSteps}; allowed: an integer below the run's ${steps}`,
    );
    assertEquals(tf.memory().numTensors, before);
    model.dispose();
  }
  // The last step of the run is masked: the run is Demure's.
  const { model, demure, result } = attempt(3);
  await result;
  const stats = demure.stats();
  assertGreater(stats.attributed + stats.reused + stats.random, 0);
  model.dispose();
});

Deno.test("per-epoch noise rates: the epoch's own counts, rounded to 6 decimals as the records hold them", () => {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const names = model.modalityNames;
  assert(names.length >= 2, "the fixture has two modalities or more");
  const demure = demureHooks(model, { warmupSteps: 2 });
  const saved = demure.hooks.checkpointState!.save();
  const counts = (first: number, second: number) =>
    names.map((_, m) => (m === 0 ? first : m === 1 ? second : 0));
  // Modality 0: 17 pairs and 7 noise so far, 10 and 4 at the last epoch's end, so this epoch has
  // 3 noise of 7 pairs: 3 / 7 = 0.42857142..., 0.428571 at 6 decimals. Modality 1: 1 of 3 this
  // epoch, 0.333333. The rest had no pair: 0, as the records write it.
  const json = {
    ...(saved.json as Record<string, Json>),
    noiseCount: counts(7, 1),
    validCount: counts(17, 3),
    epochs: { rates: [], noiseAtEnd: counts(4, 0), validAtEnd: counts(10, 0) },
  };
  demure.hooks.checkpointState!.restore({ json, tensors: saved.tensors });
  demure.hooks.afterEpoch!(epochProgress(1, true));
  const expected = Object.fromEntries(
    names.map((name, m) => [name, m === 0 ? 0.428571 : m === 1 ? 0.333333 : 0]),
  );
  assertEquals(demure.noiseRateByEpoch(), [expected]);
  model.dispose();
});

Deno.test("a Demure checkpoint without per-epoch counts: refused during an epoch warm-up, else read as before", () => {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const withoutEpochs = (state: HookState): HookState => {
    const { epochs: _, ...json } = state.json as Record<string, Json>;
    return { json, tensors: state.tensors };
  };
  const byPlateau = demureHooks(model, { warmupBy: "plateau", warmupEpochs: 2 });
  const saved = withoutEpochs(byPlateau.hooks.checkpointState!.save());
  const resumed = demureHooks(model, { warmupBy: "plateau", warmupEpochs: 2 });
  assertThrows(
    () => resumed.hooks.checkpointState!.restore(saved),
    Error,
    "saved before 2026-12-04 during a warm-up by plateau",
  );
  const bySteps = demureHooks(model, { warmupSteps: 2 });
  const fromSteps = demureHooks(model, { warmupSteps: 2 });
  fromSteps.hooks.checkpointState!.restore(withoutEpochs(bySteps.hooks.checkpointState!.save()));
  assertEquals(fromSteps.noiseRateByEpoch(), [], "the rates start at the resume, as before");
  model.dispose();
});

Deno.test("a Demure checkpoint whose warm-up is refused leaves the hooks as they were", () => {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const refused = (config: Parameters<typeof demureHooks>[1], edit: (json: JsonObject) => void) => {
    const { json, tensors } = demureHooks(model, config).hooks.checkpointState!.save();
    const edited = { ...(json as JsonObject), random: 5 };
    edit(edited);
    const resumed = demureHooks(model, config);
    const before = { stats: resumed.stats(), rates: resumed.noiseRateByEpoch() };
    const error = assertThrows(
      () => resumed.hooks.checkpointState!.restore({ json: edited, tensors }),
      Error,
      "Demure checkpoint state: ",
    );
    // The random count and the warm-up were set before the refusal.
    assertEquals({ stats: resumed.stats(), rates: resumed.noiseRateByEpoch() }, before);
    return error.message;
  };
  // No warm-up state for a warm-up by epochs (over before the first epoch, at 0 epochs).
  const noWarmup = refused({ warmupBy: "epochs", warmupEpochs: 0 }, (json) => delete json.warmup);
  assertEquals(noWarmup, "Demure checkpoint state: no warm-up state for warmupBy epochs");
  // Saved before 2026-12-04 (no per-epoch counts) during a plateau warm-up.
  const old = refused({ warmupBy: "plateau", warmupEpochs: 2 }, (json) => delete json.epochs);
  assertMatch(old, /saved before 2026-12-04 during a warm-up by plateau/);
  model.dispose();
});

Deno.test("a Demure checkpoint whose mask cache is refused leaves the hooks as they were", async () => {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const trained = demureHooks(model, { warmupSteps: 0, everyVisits: 1, rho: 0.4 });
  const adam = new Adam();
  const [batch] = trainingBatches(split, 0, { batchSize: 4, seed: 3, shuffle: false });
  for (let step = 0; step < 2; step++) {
    await trainStep({ model, optimizer: adam, batch, step, config, hooks: trained.hooks });
  }
  adam.dispose();
  const saved = trained.hooks.checkpointState!.save();
  assertGreater(trained.stats().attributed, 0, "the saved state holds a cache and counts");
  const tensors = new Map(saved.tensors);
  tensors.delete("demure/noise");
  const resumed = demureHooks(model, { warmupSteps: 0, everyVisits: 1, rho: 0.4 });
  const before = { stats: resumed.stats(), rates: resumed.noiseRateByEpoch() };
  assertThrows(
    () => resumed.hooks.checkpointState!.restore({ json: saved.json, tensors }),
    Error,
    "Demure checkpoint state: no tensor demure/noise",
  );
  // Before, the counts and the warm-up were restored ahead of the refused cache.
  assertEquals({ stats: resumed.stats(), rates: resumed.noiseRateByEpoch() }, before);
  model.dispose();
});

Deno.test("Demure's contrastive term reads only the views drawn for its own step", async () => {
  // Found by mutation round AK (AK24): a step whose inputMask was not called (a caller's wrapper
  // that skips it) must not get the previous step's views in its contrastive term.
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const demure = demureHooks(model, { warmupSteps: 0, everyVisits: 1, rho: 0.4, lambda: 0.5 });
  const adam = new Adam();
  const [batch] = trainingBatches(split, 0, { batchSize: 4, seed: 3, shuffle: false });
  const drawn = await trainStep({
    model,
    optimizer: adam,
    batch,
    step: 0,
    config,
    hooks: demure.hooks,
  });
  assertGreater(drawn.auxiliary, 0, "step 0 drew its views");
  const { inputMask: _, ...withoutMask } = demure.hooks;
  const stale = await trainStep({
    model,
    optimizer: adam,
    batch,
    step: 1,
    config,
    hooks: withoutMask,
  });
  assertEquals(stale.auxiliary, 0, "step 1 read step 0's views");
  adam.dispose();
  model.dispose();
});

Deno.test("Demure hooks restored from a checkpoint continue its steps, whatever steps they saw since", async () => {
  // Found by mutation round AK (AK27): restoring forgets the last step the hooks saw, so the steps
  // after the checkpoint can run again (a run rolled back to its `last` checkpoint in-process).
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const demure = demureHooks(model, { warmupSteps: 1, everyVisits: 1, rho: 0.4 });
  const adam = new Adam();
  const [batch] = trainingBatches(split, 0, { batchSize: 4, seed: 3, shuffle: false });
  const step = (s: number) =>
    trainStep({ model, optimizer: adam, batch, step: s, config, hooks: demure.hooks });
  for (let s = 0; s < 2; s++) await step(s);
  const saved = demure.hooks.checkpointState!.save();
  await step(2);
  demure.hooks.checkpointState!.restore(saved);
  await step(2);
  await assertRejects(() => step(2), Error, "step 2 after step 2");
  adam.dispose();
  model.dispose();
});

Deno.test("a resumed Demure run carries on the saved count of random-mask batches", async () => {
  // Found by mutation round AK (AK36): the random count travels with the checkpoint, as the
  // attribution's counts do, so a resumed run's stats are an uninterrupted run's.
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 4, seed: 1 });
  const settings = { variant: "contrastive_only" as const, warmupSteps: 1, rho: 0.4 };
  const trained = demureHooks(model, settings);
  const adam = new Adam();
  const [batch] = trainingBatches(split, 0, { batchSize: 4, seed: 3, shuffle: false });
  for (let step = 0; step < 3; step++) {
    await trainStep({ model, optimizer: adam, batch, step, config, hooks: trained.hooks });
  }
  adam.dispose();
  assertEquals(trained.stats().random, 2);
  const resumed = demureHooks(model, settings);
  resumed.hooks.checkpointState!.restore(trained.hooks.checkpointState!.save());
  assertEquals(resumed.stats(), trained.stats());
  model.dispose();
});
