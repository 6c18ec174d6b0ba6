/**
 * Determinism of Demure's training (demureHooks with trainModel) in each variant, whose masks come
 * from the attribution (full, attribution_only, both attribution sources) or from seeded draws
 * (contrastive_only: fresh every step; random_input: one per user): the same seeds give the same
 * weights, losses and noise rates to the bit, also after or alongside another run in the same
 * process (the hooks keep their state per run; nothing random is shared).
 */
import { assert, assertEquals } from "@std/assert";
import type { DemureConfig } from "../../lib/demure/config.ts";
import { demureHooks } from "../../lib/demure/objective.ts";
import type { ModelConfigInput } from "../../lib/models/sequential_recommender.ts";
import { seededRun } from "../train/_seeded_run.ts";
import { assertBitIdentical, assertNotBitIdentical } from "../_bit_identical.ts";

const MODEL: ModelConfigInput = {
  dim: 8,
  maxLength: 6,
  sasrec: { blocks: 1, heads: 2, dropout: 0.2 },
};

/** Denoising from the second step on, every visit re-attributed, a large contrastive weight. */
const SETTINGS: Record<string, Partial<DemureConfig>> = {
  "full, separate pass": { variant: "full", attributionSource: "separate_pass" },
  "full, training pass": {
    variant: "full",
    attributionSource: "training_pass",
    denoiseInput: false,
  },
  attribution_only: { variant: "attribution_only" },
  contrastive_only: { variant: "contrastive_only" },
  random_input: { variant: "random_input" },
};

function train(name: string, modelSeed: number, trainerSeed: number) {
  return seededRun(MODEL, modelSeed, {}, trainerSeed, (model) => {
    const demure = demureHooks(model, {
      warmupSteps: 1,
      everyVisits: 1,
      rho: 0.4,
      lambda: 0.5,
      ...SETTINGS[name],
    });
    return {
      hooks: demure.hooks,
      extra: () => ({ stats: demure.stats(), byEpoch: demure.noiseRateByEpoch() }),
    };
  });
}

for (const name of Object.keys(SETTINGS)) {
  Deno.test(`Demure ${name}: the same seeds give the same bits, after and alongside another run`, async () => {
    const first = await train(name, 1, 2);
    // The run denoised: masks were drawn or attributed after the warm-up.
    const { stats } = first.extra!;
    assert(stats.attributed + stats.reused + stats.random + (stats.captured ?? 0) > 0);
    assert(Object.values(stats.pairsByModality).some((p) => p.noise > 0), "no pair was masked");
    await train(name, 7, 8);
    assertBitIdentical(await train(name, 1, 2), first);
    const [together, other] = await Promise.all([train(name, 1, 2), train(name, 3, 4)]);
    assertBitIdentical(together, first);
    assertNotBitIdentical(other.weights, first.weights);
    assertEquals(first.epochs.length, 2);
  });
}

Deno.test("Demure's random masks are drawn from the model's seed: the trainer's seed leaves them as they are", async () => {
  // Each user's random_input mask, as the hook gave it at that user's visits after the warm-up.
  const masksOf = async (modelSeed: number, trainerSeed: number) => {
    const byUser = new Map<number, string>();
    await seededRun(MODEL, modelSeed, {}, trainerSeed, (model) => {
      const { hooks } = demureHooks(model, { variant: "random_input", warmupSteps: 1, rho: 0.4 });
      const inputMask: typeof hooks.inputMask = async (batch, step) => {
        const mask = await hooks.inputMask!(batch, step);
        if (mask) {
          const values = Array.from(await mask.data());
          const row = values.length / batch.batchSize;
          batch.users.forEach((user, r) => {
            const drawn = values.slice(r * row, (r + 1) * row).join("");
            assert((byUser.get(user) ?? drawn) === drawn, "a user's mask is kept");
            byUser.set(user, drawn);
          });
        }
        return mask;
      };
      return { hooks: { ...hooks, inputMask } };
    });
    return byUser;
  };
  const base = await masksOf(1, 2);
  // Users seen after the warm-up under both trainer seeds hold the same masks (cells set both
  // seeds to theirs; the records' draws rest on the model's).
  const otherTrainer = await masksOf(1, 5);
  const shared = [...base.keys()].filter((user) => otherTrainer.has(user));
  assert(shared.length >= 2, `users ${shared}`);
  for (const user of shared) assertEquals(otherTrainer.get(user), base.get(user), `user ${user}`);
  const otherModel = await masksOf(3, 2);
  const both = [...base.keys()].filter((user) => otherModel.has(user));
  assert(both.some((user) => otherModel.get(user) !== base.get(user)), "model seeds 1 and 3 alike");
});
