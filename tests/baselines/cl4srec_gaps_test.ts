/**
 * CL4SRec edges a third mutation pass (round LC) found unpinned: each augmentation reads its own
 * ratio (crop and reorder share the default 0.6, so the defaults cannot tell them apart), the
 * augmentations draw from the step's seed, the settings
 * at the edges of their ranges, and the term leaves only its scalar behind.
 */
import { assert, assertEquals, assertNotEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  augmentView,
  cl4srecAuxiliaryLoss,
  type Cl4SRecConfig,
  cropView,
  DEFAULT_CL4SREC_CONFIG,
  maskView,
  reorderView,
} from "../../lib/baselines/cl4srec.ts";
import { padLeft } from "../../lib/data/protocol/batcher.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { createRng } from "../../lib/util/random.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { tinyDataset } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

const HISTORY = Int32Array.from({ length: 10 }, (_, i) => 100 + i);

Deno.test("CL4SRec: crop reads cropRatio, reorder reorderRatio, mask maskRatio (each its own)", () => {
  // Ratios set apart (crop 0.3, mask 0.5, reorder 1): a view that read another's ratio differs.
  const config: Cl4SRecConfig = {
    ...DEFAULT_CL4SREC_CONFIG,
    cropRatio: 0.3,
    maskRatio: 0.5,
    reorderRatio: 1,
  };
  const ratios = { crop: 0.3, mask: 0.5, reorder: 1 } as const;
  const views = { crop: cropView, mask: maskView, reorder: reorderView } as const;
  for (const augmentation of ["crop", "mask", "reorder"] as const) {
    for (let seed = 0; seed < 5; seed++) {
      const view = augmentView(
        HISTORY,
        { ...config, augmentations: [augmentation] },
        createRng(seed),
      );
      const expected = createRng(seed);
      expected.int(1); // the choice among one augmentation
      assertEquals(
        view,
        views[augmentation](HISTORY, ratios[augmentation], expected),
        augmentation,
      );
    }
  }
  const crop = augmentView(HISTORY, { ...config, augmentations: ["crop"] }, createRng(1));
  assertEquals(crop.items.length, 3, "floor(0.3 * 10), not the reorder's whole history");
  let moved = false;
  for (let seed = 0; seed < 5; seed++) {
    const reorder = augmentView(
      HISTORY,
      { ...config, augmentations: ["reorder"] },
      createRng(seed),
    );
    moved ||= reorder.items.some((item, t) => item !== HISTORY[t]);
  }
  assert(moved, "a reorder of the whole history (not a crop ratio's 3 items) moves items");
});

/** The hook's term on a tiny model (dropout 0) for `seed`, and the tensors it left behind. */
function term(
  model: SequentialRecommender,
  config: Partial<Cl4SRecConfig>,
  seed: number,
): { value: number; left: number } {
  const batch = padLeft(
    [0, 1, 2],
    [[0, 1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 0], [5, 4, 3, 2, 1, 0]].map((h) => Int32Array.from(h)),
    6,
  );
  const hook = cl4srecAuxiliaryLoss(config);
  const out = model.forward(batch);
  const before = tf.memory().numTensors;
  const loss = hook({
    ...out,
    model,
    batch,
    step: 0,
    epoch: 0,
    recommendationLoss: tf.scalar(0),
    seed,
  });
  const left = tf.memory().numTensors - before;
  const value = loss.dataSync()[0];
  tf.dispose([loss, ...Object.values(out)]);
  return { value, left };
}

Deno.test("CL4SRec term: the views are drawn from the step's seed, and only the scalar is left", () => {
  const model = new SequentialRecommender(tinyDataset(), {
    dim: 8,
    maxLength: 6,
    seed: 2,
    sasrec: { dropout: 0 },
  });
  try {
    // Dropout 0: only the augmentations depend on the seed. Seed 0 and seed 7 draw other views.
    const at = (seed: number) => term(model, { augmentations: ["crop"], cropRatio: 0.5 }, seed);
    const zero = at(0);
    const seven = at(7);
    assertNotEquals(seven.value, zero.value, "the views follow the step's seed");
    assertEquals(at(7).value, seven.value, "and repeat for the same seed");
    // The term's own tensors (views, weights, states) are freed: one scalar (plus the tf.scalar
    // the context was given) stays.
    assertEquals(seven.left, 2);
  } finally {
    model.dispose();
  }
});

Deno.test("CL4SRec settings: weight above 1 is allowed; augmentations that are not a list are refused", () => {
  // weight is a lambda >= 0 with no upper bound (docs/configuration.md); 1.5 must not be refused.
  cl4srecAuxiliaryLoss({ weight: 1.5 });
  for (const value of ["crop", { crop: true }, 3]) {
    const error = assertThrows(
      () =>
        cl4srecAuxiliaryLoss({ augmentations: value as unknown as Cl4SRecConfig["augmentations"] }),
      SettingError,
      "Cl4SRecConfig.augmentations",
    ) as SettingError;
    assertEquals(error.allowed, 'a non-empty list of distinct "crop", "mask", "reorder"');
  }
});
