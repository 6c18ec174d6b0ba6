/**
 * An explanation by occlusion shows its progress: occlusion runs one forward pass of every
 * explained user per masked (history position, modality) column, so one explainRecommendations
 * call on many users ran for minutes with nothing printed. `onOcclusionProgress` hears each tenth
 * of the columns (columns done of all, time so far) and occlusionLine formats it with the time
 * left, in the wording of the cell attribution's line (one home: timeLeftPhrase). The explanation
 * is bit-identical with and without it; the other methods, one pass each, report nothing.
 */
import { assert, assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { attributionLine } from "../../lib/experiments/mod.ts";
import { explainRecommendations } from "../../lib/explain/mod.ts";
import {
  attributeBatch,
  occlusionLine,
  type OcclusionProgress,
  timeLeftPhrase,
  withNextItemTargets,
} from "../../lib/attribution/mod.ts";
import { evaluationBatches } from "../../lib/data/protocol/batcher.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { assertBitIdentical } from "../_bit_identical.ts";

await initBackend({ verbose: false });

async function smallModel() {
  const { split } = await prepareDataset({
    kind: "synthetic",
    config: { numUsers: 40, numItems: 30, historyLength: 8 },
  });
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: split.maxLength });
  return { split, model };
}

Deno.test("explainRecommendations by occlusion reports each tenth of its columns, and explains the same bits", async () => {
  const { split, model } = await smallModel();
  try {
    const options = { users: 30, method: "occlusion" } as const;
    const heard: OcclusionProgress[] = [];
    const withProgress = await explainRecommendations(model, split, options, (p) => heard.push(p));
    const without = await explainRecommendations(model, split, options);
    assertBitIdentical(withProgress.recommendations, without.recommendations);
    assertBitIdentical(withProgress.histories.result, without.histories.result);

    // The columns: (position, modality) pairs valid for at least one of the 30 users.
    const { shape, validMask } = without.histories.result;
    const [batch, positions, modalities] = shape;
    let columns = 0;
    for (let p = 0; p < positions; p++) {
      for (let m = 0; m < modalities; m++) {
        let any = false;
        for (let b = 0; b < batch; b++) any ||= validMask[(b * positions + p) * modalities + m] > 0;
        if (any) columns++;
      }
    }
    assert(columns >= 10, `only ${columns} columns: the test needs at least 10`);
    const every = Math.ceil(columns / 10);
    const expected = Array.from({ length: Math.floor(columns / every) }, (_, i) => (i + 1) * every);
    if (expected[expected.length - 1] !== columns) expected.push(columns);
    assertEquals(heard.map((p) => [p.columnsDone, p.columns]), expected.map((d) => [d, columns]));
    const times = heard.map((p) => p.seconds);
    assert(times.every((s, i) => s >= 0 && (i === 0 || s >= times[i - 1])), `${times}`);
  } finally {
    model.dispose();
  }
});

Deno.test("explainRecommendations by a gradient method reports nothing (one pass)", async () => {
  const { split, model } = await smallModel();
  try {
    const heard: OcclusionProgress[] = [];
    for (const method of ["gradient_x_input", "integrated_gradients", "mask_gradient"] as const) {
      await explainRecommendations(model, split, { users: 5, method }, (p) => heard.push(p));
    }
    assertEquals(heard, []);
  } finally {
    model.dispose();
  }
});

Deno.test("attributeBatch passes occlusion's progress through; the result is the same bits", async () => {
  const { split, model } = await smallModel();
  try {
    const { batch, targets } = evaluationBatches(split, "test", 12)[0];
    const explained = withNextItemTargets(batch, targets);
    const heard: OcclusionProgress[] = [];
    const config = { method: "occlusion" } as const;
    const withProgress = await attributeBatch(
      model,
      explained,
      config,
      "all",
      (p) => heard.push(p),
    );
    const without = await attributeBatch(model, explained, config, "all");
    assertBitIdentical(withProgress, without);
    assert(heard.length >= 1 && heard.length <= 11, `${heard.length} reports`);
    assertEquals(heard[heard.length - 1].columnsDone, heard[heard.length - 1].columns);
  } finally {
    model.dispose();
  }
});

Deno.test("occlusionLine: columns done of all, time, and the time left in the attribution line's wording", () => {
  assertEquals(
    occlusionLine({ columnsDone: 20, columns: 200, seconds: 3 }),
    "    occlusion: 20/200 masked columns, 3.0 s, about 27 s of it left",
  );
  // Rounded up, never "0 s left" while columns remain.
  assertEquals(
    occlusionLine({ columnsDone: 199, columns: 200, seconds: 0.5 }),
    "    occlusion: 199/200 masked columns, 0.5 s, about 1 s of it left",
  );
  assertEquals(
    occlusionLine({ columnsDone: 200, columns: 200, seconds: 30.04 }),
    "    occlusion: 200/200 masked columns, 30.0 s",
  );
  assertEquals(timeLeftPhrase(0, 10, 1), "");
  // The cell attribution's line uses the same phrase.
  const progress = {
    method: "occlusion",
    methodIndex: 5,
    methods: 5,
    usersDone: 128,
    users: 256,
    seconds: 20,
  } as const;
  assert(attributionLine(progress).endsWith(timeLeftPhrase(128, 256, 20)));
  assertEquals(
    attributionLine(progress),
    "    attribution occlusion (method 5/5): 128/256 users, 20.0 s, about 20 s of it left",
  );
});
