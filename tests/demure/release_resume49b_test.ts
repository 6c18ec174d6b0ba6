/**
 * `DemureTraining.release()`: a finished run's DemureTraining that the caller keeps (a notebook's
 * variable, a list of one per variant) held the run's noise-mask cache, the last step's views and
 * batch, and the model for as long as it was kept, a few MB on an ML-1M-sized run. Released, it
 * keeps only its counters: checked in a child process with `--expose-gc` by counting what survives
 * (tests/_released_after_gc.ts), for each attribution source and for random masks. Its `stats()`
 * and `noiseRateByEpoch()` answer as before the release, and its hooks refuse another run.
 */
import { assertEquals, assertRejects, assertStringIncludes, assertThrows } from "@std/assert";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";
import { EXPOSE_GC_ENV } from "../_released_after_gc.ts";
import { demureHooks } from "../../lib/demure/objective.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import { SEEDED_SPLIT } from "../train/_seeded_run.ts";

/**
 * The child: one run per setting, each DemureTraining kept in a list after its run; the
 * survivors (model, mask cache, last batch) before and after `release()`, and the counters.
 */
const CHILD = `
import { initBackend } from ${projectModule("lib/backend/init_backend.ts")};
import { tf } from ${projectModule("lib/backend/tf.ts")};
import { demureHooks } from ${projectModule("lib/demure/mod.ts")};
import { NoiseMaskCache } from ${projectModule("lib/demure/noise_mask.ts")};
import { SequentialRecommender } from ${projectModule("lib/models/sequential_recommender.ts")};
import { trainModel } from ${projectModule("lib/train/mod.ts")};
import { leaveOneOut, tinyDataset } from ${projectModule("tests/models/_fixtures.ts")};
import { survivorsAfterGc } from ${projectModule("tests/_released_after_gc.ts")};
await initBackend({ verbose: false });
const split = leaveOneOut(tinyDataset(), 6);
// The cache a run's steps consult (the latest: a resumed run's is the restored one).
let lastCache;
const isActive = NoiseMaskCache.prototype.isActive;
NoiseMaskCache.prototype.isActive = function (step) {
  lastCache = new WeakRef(this);
  return isActive.call(this, step);
};
const kept = [];
async function run(settings, checkpoints) {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 6, seed: 1 });
  const demure = demureHooks(model, { warmupSteps: 1, everyVisits: 1, rho: 0.4, ...settings });
  const dir = checkpoints ? Deno.makeTempDirSync() : undefined;
  let lastBatch;
  try {
    await trainModel(model, split, {
      maxEpochs: 3, batchSize: 2, seed: 3, ...(dir ? { checkpointDir: dir } : {}),
    }, {
      ...demure.hooks,
      inputMask: (batch, step) => {
        lastBatch = new WeakRef(batch);
        return demure.hooks.inputMask(batch, step);
      },
      onProgress: () => {},
    });
  } finally {
    model.dispose();
    if (dir) Deno.removeSync(dir, { recursive: true });
  }
  kept.push(demure);
  return { model: new WeakRef(model), cache: lastCache, batch: lastBatch };
}
const runs = {
  "separate pass": await run({ attributionSource: "separate_pass" }, false),
  "training pass, checkpoints": await run({ attributionSource: "training_pass", denoiseInput: false }, true),
  "random input": await run({ variant: "random_input" }, false),
};
const kept_ = {}, released = {};
for (const [label, refs] of Object.entries(runs)) kept_[label] = await survivorsAfterGc(refs);
const before = kept.map((demure) => JSON.stringify([demure.stats(), demure.noiseRateByEpoch()]));
for (const demure of kept) {
  demure.release();
  demure.release();
}
for (const [label, refs] of Object.entries(runs)) released[label] = await survivorsAfterGc(refs);
const after = kept.map((demure) => JSON.stringify([demure.stats(), demure.noiseRateByEpoch()]));
console.log(JSON.stringify({
  kept: kept_, released, before, after, tensors: tf.memory().numTensors,
  epochsCounted: kept.map((demure) => demure.noiseRateByEpoch().length),
}));
`;

interface ChildReport {
  kept: Record<string, string[]>;
  released: Record<string, string[]>;
  before: string[];
  after: string[];
  tensors: number;
  epochsCounted: number[];
}

Deno.test("release: a kept DemureTraining lets go of its mask cache, last batch and model, keeps its counters", async () => {
  const report = await evalInSubprocess<ChildReport>(CHILD, EXPOSE_GC_ENV);
  const everything = ["model", "cache", "batch"];
  // Unreleased, the kept object holds all three (the count sees what a kept object holds).
  assertEquals(report.kept, {
    "separate pass": everything,
    "training pass, checkpoints": everything,
    "random input": everything,
  });
  assertEquals(report.released, {
    "separate pass": [],
    "training pass, checkpoints": [],
    "random input": [],
  });
  assertEquals(report.after, report.before, "stats() and noiseRateByEpoch() as before");
  assertEquals(report.epochsCounted, [3, 3, 3], "three epochs counted in each");
  assertEquals(report.tensors, 0);
});

Deno.test("release: the hooks of a released DemureTraining refuse another run before it starts", async () => {
  const model = new SequentialRecommender(SEEDED_SPLIT.dataset, { dim: 8, maxLength: 6, seed: 1 });
  const dir = Deno.makeTempDirSync();
  try {
    const demure = demureHooks(model, { warmupSteps: 1, everyVisits: 1 });
    const trainer = { maxEpochs: 1, batchSize: 2, seed: 3, checkpointDir: dir };
    const hooks = { ...demure.hooks, onProgress: () => {} };
    await trainModel(model, SEEDED_SPLIT, trainer, hooks);
    const stats = demure.stats();
    demure.release();
    assertEquals(demure.stats(), stats);
    const weights = model.parameters.get(model.parameters.names()[0]).dataSync().slice();
    // Resumed from the checkpoint with the released object (maxEpochs 2): refused, nothing read.
    const error = await assertRejects(() =>
      trainModel(model, SEEDED_SPLIT, { ...trainer, maxEpochs: 2 }, hooks)
    );
    assertStringIncludes(error.message, "demureHooks: this DemureTraining was released");
    assertStringIncludes(error.message, "make a new one with demureHooks(model, config)");
    assertEquals(model.parameters.get(model.parameters.names()[0]).dataSync(), weights);
    const save = assertThrows(() => demure.hooks.checkpointState!.save());
    assertStringIncludes(save.message, "was released");
  } finally {
    model.dispose();
    Deno.removeSync(dir, { recursive: true });
  }
});
