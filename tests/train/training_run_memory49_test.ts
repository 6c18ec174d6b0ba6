/**
 * Memory over long work in one process (the plan's main job, a notebook kernel): a finished
 * training run keeps nothing reachable. Its model, its hooks (Demure's noise-mask cache, counters
 * and views, each attribution source), its checkpoints' writer and its result must all be
 * collectable once the caller drops them: a module-level cache, a listener or a closure that kept
 * one would keep every run's for the life of the process. Checked in a child process with
 * `--expose-gc` by counting survivors (tests/_released_after_gc.ts), not by bytes or time.
 */
import { assertEquals } from "@std/assert";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";
import { EXPOSE_GC_ENV } from "../_released_after_gc.ts";

/** The child's imports and its run of `runs` (JSON), printing the survivors of each run. */
function childCode(keepOneOnPurpose: boolean): string {
  return `
import { initBackend } from ${projectModule("lib/backend/init_backend.ts")};
import { tf } from ${projectModule("lib/backend/tf.ts")};
import { demureHooks } from ${projectModule("lib/demure/mod.ts")};
import { SequentialRecommender } from ${projectModule("lib/models/sequential_recommender.ts")};
import { trainModel } from ${projectModule("lib/train/mod.ts")};
import { leaveOneOut, tinyDataset } from ${projectModule("tests/models/_fixtures.ts")};
import { survivorsAfterGc } from ${projectModule("tests/_released_after_gc.ts")};
await initBackend({ verbose: false });
const split = leaveOneOut(tinyDataset(), 6);
const kept = [];
async function run(demure, checkpoints) {
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 6, seed: 1 });
  const training = demure ? demureHooks(model, { warmupSteps: 1, everyVisits: 1, rho: 0.4, ...demure }) : undefined;
  const dir = checkpoints ? Deno.makeTempDirSync() : undefined;
  const refs = { model: new WeakRef(model), hooks: new WeakRef(training ?? {}) };
  try {
    const result = await trainModel(model, split, {
      maxEpochs: 3, batchSize: 2, seed: 3, ...(dir ? { checkpointDir: dir } : {}),
    }, { ...(training?.hooks ?? {}), onProgress: () => {} });
    refs.result = new WeakRef(result);
    if (${keepOneOnPurpose}) kept.push(result);
  } finally {
    model.dispose();
    if (dir) Deno.removeSync(dir, { recursive: true });
  }
  return refs;
}
const runs = {
  plain: await run(undefined, false),
  "separate pass, checkpoints": await run({ attributionSource: "separate_pass" }, true),
  "training pass, checkpoints": await run({ attributionSource: "training_pass", denoiseInput: false }, true),
  "random input": await run({ variant: "random_input" }, false),
};
const survivors = {};
for (const [label, refs] of Object.entries(runs)) survivors[label] = await survivorsAfterGc(refs);
console.log(JSON.stringify({ survivors, tensors: tf.memory().numTensors }));
`;
}

interface ChildReport {
  survivors: Record<string, string[]>;
  tensors: number;
}

Deno.test("a finished training run keeps nothing reachable: model, hooks and result are collected, each Demure source", async () => {
  const report = await evalInSubprocess<ChildReport>(childCode(false), EXPOSE_GC_ENV);
  assertEquals(report.survivors, {
    plain: [],
    "separate pass, checkpoints": [],
    "training pass, checkpoints": [],
    "random input": [],
  });
  assertEquals(report.tensors, 0, "every run's tensors disposed");
});

Deno.test("the survivor count sees a run's object that something still holds", async () => {
  // The check itself: a result the child keeps in a list (as a leak would) is counted, and it
  // keeps nothing else of its run (the result holds no model and no hooks).
  const report = await evalInSubprocess<ChildReport>(childCode(true), EXPOSE_GC_ENV);
  for (const survivors of Object.values(report.survivors)) assertEquals(survivors, ["result"]);
});
