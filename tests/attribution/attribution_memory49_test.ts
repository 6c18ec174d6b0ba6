/**
 * Memory over many attribution batches in one notebook kernel: `attributeBatch` keeps nothing of a
 * call reachable. Each result (its per-pair scores and noise mask) is collectable once the caller
 * drops it, with every method, and so is the model once disposed and dropped: a cache keyed by
 * model or batch, or a closure kept by tfjs's engine, would hold every batch's arrays for the life
 * of the kernel. Checked in a child process with `--expose-gc` by counting survivors
 * (tests/_released_after_gc.ts).
 */
import { assertEquals } from "@std/assert";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";
import { EXPOSE_GC_ENV } from "../_released_after_gc.ts";

const CHILD = `
import { initBackend } from ${projectModule("lib/backend/init_backend.ts")};
import { tf } from ${projectModule("lib/backend/tf.ts")};
import { attributeBatch } from ${projectModule("lib/attribution/mod.ts")};
import { ATTRIBUTION_METHODS } from ${projectModule("lib/attribution/types.ts")};
import { withNextItemTargets } from ${projectModule("lib/attribution/sequence_loss.ts")};
import { SequentialRecommender } from ${projectModule("lib/models/sequential_recommender.ts")};
import { tinyDataset, TWO_PADDED_HISTORIES } from ${projectModule("tests/models/_fixtures.ts")};
import { survivorsAfterGc } from ${projectModule("tests/_released_after_gc.ts")};
await initBackend({ verbose: false });
const batch = withNextItemTargets(TWO_PADDED_HISTORIES, Int32Array.of(3, 0));
async function attributions() {
  const model = new SequentialRecommender(tinyDataset(), { dim: 8, maxLength: 3, seed: 1 });
  const refs = { model: new WeakRef(model) };
  try {
    for (const method of ATTRIBUTION_METHODS) {
      for (let call = 0; call < 2; call++) {
        const result = await attributeBatch(model, batch, { method, integratedGradientsSteps: 2 });
        refs[method + " " + call] = new WeakRef(result);
      }
    }
  } finally {
    model.dispose();
  }
  return refs;
}
const refs = await attributions();
console.log(JSON.stringify({
  refs: Object.keys(refs).length,
  survivors: await survivorsAfterGc(refs),
  tensors: tf.memory().numTensors,
}));
`;

Deno.test("attribution batches keep nothing reachable: each method's results and the disposed model are collected", async () => {
  const report = await evalInSubprocess<{ refs: number; survivors: string[]; tensors: number }>(
    CHILD,
    EXPOSE_GC_ENV,
  );
  assertEquals(report.refs > 1 + 2 * 3, true, "the model and two results of every method");
  assertEquals(report.survivors, []);
  assertEquals(report.tensors, 0);
});
