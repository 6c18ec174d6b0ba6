/**
 * One rule for a setting given as `undefined` across every resolver that takes partial settings
 * (left by the session-48 audit): it is the default, as if left out, the way a TypeScript user
 * reads an optional field (`Partial<T>` allows `{ seed: undefined }`, and passing on an optional
 * value, `{ seed: options.seed }`, gives it). ModelConfig's top level did so; TrainerConfig,
 * DemureConfig, ModelConfig's nested fusion/sasrec/gru4rec and the component configs refused it
 * (`TrainerConfig.maxEpochs is undefined; allowed: an integer >= 1`). `null` stays a value, and
 * refused; a misspelt name stays refused even with an undefined value.
 */
import { assert, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { attributeModalities } from "../../lib/attribution/attribute.ts";
import { DEFAULT_ATTRIBUTION_CONFIG } from "../../lib/attribution/types.ts";
import { cl4srecAuxiliaryLoss, DEFAULT_CL4SREC_CONFIG } from "../../lib/baselines/cl4srec.ts";
import { DEFAULT_ITEM_KNN_CONFIG, itemKnnScorer } from "../../lib/baselines/item_knn.ts";
import { DEFAULT_SYNTHETIC, generateSynthetic } from "../../lib/data/synthetic.ts";
import { BEAUTY_SHAPE, generateWorkloadDataset } from "../../lib/data/workload_shape.ts";
import { DEFAULT_DEMURE_CONFIG, resolveDemureConfig } from "../../lib/demure/config.ts";
import { buildContrastiveViews } from "../../lib/demure/views.ts";
import { DEFAULT_INFO_NCE_CONFIG, infoNce } from "../../lib/losses/info_nce.ts";
import { RECOMMENDATION_LOSS_SETTINGS } from "../../lib/losses/recommendation.ts";
import {
  DEFAULT_MODEL_CONFIG,
  resolveModelConfig,
} from "../../lib/models/sequential_recommender.ts";
import { ADAM_CONFIG_SETTINGS } from "../../lib/train/adam.ts";
import { resolveTrainerConfig, TRAINER_CONFIG_SETTINGS } from "../../lib/train/config.ts";
import { withDefaults } from "../../lib/util/settings.ts";
import { settingError } from "../_setting_error.ts";
import { linearLoss } from "../attribution/_toy_models.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

/** Every setting named in `settings`, each given as undefined. */
function allUndefined(settings: object): Record<string, undefined> {
  return Object.fromEntries(Object.keys(settings).map((name) => [name, undefined]));
}

Deno.test("withDefaults: an undefined setting keeps its default, any other value replaces it", () => {
  const defaults: Readonly<{ a: number; b: string; c: boolean | null }> = Object.freeze({
    a: 1,
    b: "x",
    c: true,
  });
  assertEquals(withDefaults(defaults, { a: undefined, b: "y" }), { a: 1, b: "y", c: true });
  assertEquals(withDefaults(defaults, undefined), defaults);
  // null, 0, false and "" are values: the validator judges them.
  assertEquals(withDefaults(defaults, { a: 0, b: "", c: null }), { a: 0, b: "", c: null });
  const unchanged = { ...defaults };
  withDefaults(defaults, { a: 2 });
  assertEquals(defaults, unchanged, "the defaults are not written to");
});

Deno.test("TrainerConfig: every setting and every optimizer and loss setting given as undefined is its default", () => {
  const resolved = resolveTrainerConfig({
    ...allUndefined(TRAINER_CONFIG_SETTINGS),
    optimizer: allUndefined(ADAM_CONFIG_SETTINGS),
    loss: allUndefined(RECOMMENDATION_LOSS_SETTINGS),
  } as never);
  assertEquals(resolved, resolveTrainerConfig({}));
  assertEquals(resolveTrainerConfig({ maxEpochs: undefined, seed: 3 }).maxEpochs, 30);
  // Only undefined: null is a value and still refused, naming the setting.
  assertEquals(
    settingError(() => resolveTrainerConfig({ maxEpochs: null } as never)).setting,
    "TrainerConfig.maxEpochs",
  );
  // A misspelt name is not made right by an undefined value.
  assertEquals(
    settingError(() => resolveTrainerConfig({ epochs: undefined } as never)).setting,
    "TrainerConfig.epochs",
  );
});

Deno.test("DemureConfig: every setting and every attribution setting given as undefined is its default", () => {
  const resolved = resolveDemureConfig({
    ...allUndefined(DEFAULT_DEMURE_CONFIG),
    attribution: allUndefined(DEFAULT_DEMURE_CONFIG.attribution),
  } as never);
  assertEquals(resolved, resolveDemureConfig({}));
  assertEquals(resolveDemureConfig({ rho: undefined }).rho, DEFAULT_DEMURE_CONFIG.rho);
  assertEquals(
    settingError(() => resolveDemureConfig({ rho: null } as never)).setting,
    "DemureConfig.rho",
  );
});

Deno.test("ModelConfig: an undefined nested fusion, sasrec or gru4rec setting is its default, as at the top", () => {
  const nested = {
    fusion: allUndefined(DEFAULT_MODEL_CONFIG.fusion),
    sasrec: allUndefined(DEFAULT_MODEL_CONFIG.sasrec),
    gru4rec: allUndefined(DEFAULT_MODEL_CONFIG.gru4rec),
  };
  assert(Object.keys(nested.fusion).length > 0 && Object.keys(nested.sasrec).length > 0);
  const resolved = resolveModelConfig(
    { ...allUndefined(DEFAULT_MODEL_CONFIG), ...nested } as never,
  );
  assertEquals(resolved, resolveModelConfig({}));
  assertEquals(resolveModelConfig({ sasrec: { heads: undefined } } as never), resolveModelConfig());
});

Deno.test("SyntheticConfig and WorkloadShapeConfig: undefined settings generate the data of the defaults", () => {
  const tiny = { numUsers: 12, numItems: 16, historyLength: 5 };
  const rest = allUndefined(DEFAULT_SYNTHETIC);
  assertEquals(
    generateSynthetic({ ...rest, ...tiny }).dataset.metadata.fingerprint,
    generateSynthetic(tiny).dataset.metadata.fingerprint,
  );
  const shape = { numUsers: 30, numItems: 50, clusters: 5, maxHistory: 20 };
  assertEquals(
    generateWorkloadDataset({ ...allUndefined(BEAUTY_SHAPE), ...shape }).metadata.fingerprint,
    generateWorkloadDataset(shape).metadata.fingerprint,
  );
});

Deno.test("ItemKnnConfig and Cl4SRecConfig: undefined settings are the defaults, not refused", () => {
  const split = leaveOneOut(cycleDataset(4, 8, 6), 6);
  itemKnnScorer(split, allUndefined(DEFAULT_ITEM_KNN_CONFIG) as never);
  cl4srecAuxiliaryLoss(allUndefined(DEFAULT_CL4SREC_CONFIG) as never);
});

Deno.test("InfoNceConfig, ContrastiveViewConfig and AttributionConfig: undefined settings are the defaults", async () => {
  const anchor = tf.tensor2d([[1, 0], [0, 1], [1, 1]]);
  const positive = tf.tensor2d([[1, 0.5], [0, 2], [1, -1]]);
  try {
    const given = infoNce(anchor, positive, allUndefined(DEFAULT_INFO_NCE_CONFIG) as never);
    const left = infoNce(anchor, positive);
    assertEquals(given.dataSync()[0], left.dataSync()[0]);
    tf.dispose([given, left]);
  } finally {
    tf.dispose([anchor, positive]);
  }
  const shape = [1, 1, 2] as const;
  assertEquals(
    buildContrastiveViews([1, 1], Uint8Array.of(0, 1), [...shape], { emptyPosition: undefined }),
    buildContrastiveViews([1, 1], Uint8Array.of(0, 1), [...shape]),
  );
  const weights = tf.ones([2, 3, 2]) as tf.Tensor3D;
  const embeddings = tf.randomNormal([2, 2, 3, 2], 0, 1, "float32", 7) as tf.Tensor4D;
  const mask = tf.ones([2, 2, 3]) as tf.Tensor3D;
  try {
    const lossOf = linearLoss(weights);
    const given = await attributeModalities(
      lossOf,
      embeddings,
      mask,
      allUndefined(DEFAULT_ATTRIBUTION_CONFIG) as never,
    );
    const left = await attributeModalities(lossOf, embeddings, mask);
    assertEquals(given.method, left.method);
    assertEquals(Array.from(given.normalised), Array.from(left.normalised));
  } finally {
    tf.dispose([weights, embeddings, mask]);
  }
});
