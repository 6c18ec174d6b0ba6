/**
 * Mutation round 51 of Demure's hooks: a checkpoint state saved by the separate attribution pass
 * is refused by hooks that capture attributions in the training pass, also when the state is of
 * a version that saved no configuration (before 2026-12-07), so the configuration check cannot
 * catch it. Dropping that refusal survived every test: such a resume started the capture count
 * at 0 and mixed the two sources in one run.
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { demureHooks } from "../../lib/demure/objective.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { SEEDED_SPLIT } from "../train/_seeded_run.ts";

/** Training-pass capture needs L_rec on the raw history. */
const BASE = { denoiseInput: false } as const;

Deno.test("a separate_pass checkpoint state without its config is refused by training_pass hooks", () => {
  const model = new SequentialRecommender(SEEDED_SPLIT.dataset, { dim: 8, maxLength: 6, seed: 1 });
  try {
    const saver = demureHooks(model, { ...BASE, attributionSource: "separate_pass" });
    const saved = saver.hooks.checkpointState!.save();
    const json = { ...(saved.json as Record<string, unknown>) };
    assertEquals([json.captured, typeof json.config], [undefined, "object"]);
    delete json.config; // as a version before 2026-12-07 saved it
    const resumed = demureHooks(model, { ...BASE, attributionSource: "training_pass" });
    const error = assertThrows(
      () => resumed.hooks.checkpointState!.restore({ json, tensors: saved.tensors } as never),
      Error,
    );
    assertEquals(
      error.message,
      "Demure checkpoint state: saved by attributionSource separate_pass, resumed with " +
        "training_pass",
    );
    // The same state resumes separate_pass hooks.
    demureHooks(model, { ...BASE, attributionSource: "separate_pass" }).hooks.checkpointState!
      .restore(
        { json, tensors: saved.tensors } as never,
      );
    saver.release();
    resumed.release();
  } finally {
    model.dispose();
  }
});

Deno.test("a checkpoint state whose config holds a setting this version lacks is refused, naming it", () => {
  // Only the run's own settings were compared: a saved setting this run does not have (one of a
  // later version, or hand-edited) was passed over and the run resumed.
  const model = new SequentialRecommender(SEEDED_SPLIT.dataset, { dim: 8, maxLength: 6, seed: 1 });
  try {
    const saved = demureHooks(model).hooks.checkpointState!.save();
    const json = saved.json as Record<string, unknown>;
    const config = { ...(json.config as Record<string, unknown>), maskDecay: 0.5 };
    const resumed = demureHooks(model);
    const error = assertThrows(
      () =>
        resumed.hooks.checkpointState!.restore({
          json: { ...json, config },
          tensors: saved.tensors,
        }),
      Error,
    );
    assertStringIncludes(
      error.message,
      'field "config.maskDecay" is 0.5, this run\'s DemureConfig.maskDecay is missing',
    );
  } finally {
    model.dispose();
  }
});

Deno.test("a warm-up of 0 epochs has ended after epoch 0, and the stats say so before any step", () => {
  const model = new SequentialRecommender(SEEDED_SPLIT.dataset, { dim: 8, maxLength: 6, seed: 1 });
  try {
    const stats = demureHooks(model, { warmupBy: "epochs", warmupEpochs: 0 }).stats();
    assertEquals(stats.warmupEndedAfterEpoch, 0);
    assertEquals(
      demureHooks(model, { warmupBy: "epochs", warmupEpochs: 1 }).stats()
        .warmupEndedAfterEpoch,
      undefined,
    );
  } finally {
    model.dispose();
  }
});
