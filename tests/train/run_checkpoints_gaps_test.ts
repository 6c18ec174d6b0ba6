/**
 * lib/train/_run_checkpoints.ts: what tests/train/trainer_test.ts left open (mutation round LD).
 * The order of a save (best before last), and what a refused resume leaves alone (the model's
 * weights, the hooks' state) when the refusal comes from Adam's state or another dataset's `last`.
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  checkpointExists,
  readCheckpoint,
  saveModelCheckpoint,
} from "../../lib/checkpoint/checkpoint.ts";
import type { HostTensor } from "../../lib/checkpoint/safetensors.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { Adam } from "../../lib/train/adam.ts";
import { BestWeights } from "../../lib/train/_best_weights.ts";
import { EarlyStopping } from "../../lib/train/_early_stopping.ts";
import { RunCheckpoints } from "../../lib/train/_run_checkpoints.ts";
import {
  type HookState,
  resolveTrainerConfig,
  type TrainerConfig,
  type TrainerHooks,
} from "../../lib/train/config.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

const quiet = { onProgress: (_: EpochProgress) => {} };
const MODEL = { dim: 8, maxLength: 10, seed: 4 };
const TRAINER = { batchSize: 2, seed: 1, patience: 100, maxEpochs: 1 };

/** Hooks whose state is `json`, recording every state they are given back. */
function statefulHooks(json: HookState["json"]) {
  const restored: HookState[] = [];
  const hooks: TrainerHooks = {
    ...quiet,
    checkpointState: {
      save: () => ({ json, tensors: new Map() }),
      restore: (state) => void restored.push(state),
    },
  };
  return { hooks, restored };
}

/** A one-epoch run of TRAINER on tinyDataset saved to a fresh folder; its model disposed. */
async function savedRun(hooks: TrainerHooks = quiet) {
  const split = leaveOneOut(tinyDataset(), 10);
  const dir = Deno.makeTempDirSync();
  const saved = new SequentialRecommender(split.dataset, MODEL);
  await trainModel(saved, split, { ...TRAINER, checkpointDir: dir }, hooks);
  saved.dispose();
  return { split, dir };
}

function weightsOf(model: SequentialRecommender): number[][] {
  return model.parameters.names().map((n) => Array.from(model.parameters.get(n).dataSync()));
}

Deno.test("run checkpoints: an improved epoch's best is written before last, so a failed best save leaves no last", async () => {
  // A kill between the two saves must leave a last that records no best the folder lacks: with
  // last first, a folder could hold a last of epoch n whose best epoch n was never written.
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, MODEL);
  const adam = new Adam();
  const dir = Deno.makeTempDirSync();
  Deno.mkdirSync(`${dir}/best.json`); // a folder where best's sidecar goes: best's save fails
  const config = resolveTrainerConfig({ checkpointDir: dir });
  const checkpoints = new RunCheckpoints(model, adam, config, split.dataset.metadata.fingerprint);
  const state = {
    epochsDone: 1,
    step: 3,
    history: [],
    stopping: new EarlyStopping(),
    best: new BestWeights(),
  };
  await assertRejects(() => checkpoints.save(state, true));
  assertEquals(checkpointExists(`${dir}/last`), false);
  // Not improved: best is not written, so last is.
  await checkpoints.save(state, false);
  assertEquals(checkpointExists(`${dir}/last`), true);
  adam.dispose();
  model.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("resume: hook state whose JSON is null is resumed and handed back as null", async () => {
  // null is a JSON value like any other: only a checkpoint without the field lacks the state.
  const { hooks, restored } = statefulHooks(null);
  const { split, dir } = await savedRun(hooks);
  const model = new SequentialRecommender(split.dataset, MODEL);
  const result = await trainModel(model, split, {
    ...TRAINER,
    maxEpochs: 2,
    checkpointDir: dir,
  }, hooks);
  assertEquals([result.resumedFromEpoch, restored.length, restored[0]?.json], [1, 1, null]);
  model.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("resume refused: Adam's state that does not load names the file and changes no weight", async () => {
  const { hooks, restored } = statefulHooks({ visits: 1 });
  const { split, dir } = await savedRun(hooks);
  const sidecar = JSON.parse(Deno.readTextFileSync(`${dir}/last.json`));
  sidecar.trainerState.adamStep = 1.5;
  Deno.writeTextFileSync(`${dir}/last.json`, JSON.stringify(sidecar));
  const model = new SequentialRecommender(split.dataset, MODEL);
  const before = weightsOf(model);
  await assertRejects(
    () => trainModel(model, split, { ...TRAINER, maxEpochs: 2, checkpointDir: dir }, hooks),
    Error,
    `${dir}/last.json -> ${sidecar.weightsFile}: Adam.loadState: step 1.5 is not a whole number`,
  );
  assertEquals(weightsOf(model), before);
  assertEquals(restored.length, 0);
  model.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("resume refused: a moment of another shape than its parameter is named before any weight changes", async () => {
  const { split, dir } = await savedRun();
  const loaded = readCheckpoint(`${dir}/last`);
  const moments = new Map<string, HostTensor>();
  for (const [key, tensor] of loaded.tensors) {
    if (key.startsWith("optimizer/")) moments.set(key, tensor);
  }
  const [key] = [...moments.keys()].filter((k) => moments.get(k)!.data.length > 1);
  assert(key !== undefined);
  moments.set(key, { shape: [1], data: Float32Array.of(0.5) });
  // The same model and state, one moment of shape [1]: it broadcast over the gradient unnoticed.
  const writer = new SequentialRecommender(split.dataset, MODEL);
  await saveModelCheckpoint(`${dir}/last`, writer, {
    datasetFingerprint: split.dataset.metadata.fingerprint,
    trainerState: loaded.sidecar.trainerState,
    extraHostTensors: moments,
  });
  writer.dispose();
  const model = new SequentialRecommender(split.dataset, MODEL);
  const before = weightsOf(model);
  await assertRejects(
    () => trainModel(model, split, { ...TRAINER, maxEpochs: 2, checkpointDir: dir }, quiet),
    Error,
    `Adam.loadState: moment "${key}" has shape [1]`,
  );
  assertEquals(weightsOf(model), before);
  model.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("resume refused: a last of another dataset is refused before the hooks get its state", async () => {
  const { hooks, restored } = statefulHooks({ visits: 1 });
  const { split, dir } = await savedRun(hooks);
  const dataset = {
    ...split.dataset,
    metadata: { ...split.dataset.metadata, fingerprint: "other" },
  };
  const model = new SequentialRecommender(dataset, MODEL);
  const config: Partial<TrainerConfig> = { ...TRAINER, maxEpochs: 2, checkpointDir: dir };
  await assertRejects(
    () => trainModel(model, { ...split, dataset }, config, hooks),
    Error,
    `${dir}/last.json: field "datasetFingerprint" is tiny-v1`,
  );
  assertEquals(restored.length, 0);
  model.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("resume refused: a last without a trainer state is named, and a resume key that differs shows the stored key first", async () => {
  const { split, dir } = await savedRun();
  const model = new SequentialRecommender(split.dataset, MODEL);
  const stored = JSON.parse(Deno.readTextFileSync(`${dir}/last.json`)).trainerState.resumeKey;
  await assertRejects(
    () =>
      trainModel(model, split, { ...TRAINER, seed: 2, maxEpochs: 2, checkpointDir: dir }, quiet),
    Error,
    `${dir}/last.json: field "trainerState.resumeKey" ${stored} differs from this run's trainer config {`,
  );
  // A model checkpoint saved as last (by hand, or by another tool) holds no loop state.
  await saveModelCheckpoint(`${dir}/last`, model, {
    datasetFingerprint: split.dataset.metadata.fingerprint,
  });
  await assertRejects(
    () => trainModel(model, split, { ...TRAINER, maxEpochs: 2, checkpointDir: dir }, quiet),
    Error,
    `${dir}/last.json: no field "trainerState" to resume from`,
  );
  model.dispose();
  Deno.removeSync(dir, { recursive: true });
});
