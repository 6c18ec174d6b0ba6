/**
 * The encoders' and the fusion's public calls leave no tensor behind but what they return:
 * ModalityEncoders (built and disposed with its store, encodeAllItems), ModalityFusion.apply and
 * its gradient for every fusion, and their refusals (a modality's bad features found after earlier
 * modalities were built, a bad fusion setting, embeddings and masks of unlike shapes).
 */
import { assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { tf } from "../../lib/backend/tf.ts";
import type { InteractionDataset } from "../../lib/data/types.ts";
import { type FusionConfig, ModalityEncoders, ModalityFusion } from "../../lib/encoders/mod.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { tinyDataset } from "../models/_fixtures.ts";
import { assertFlatTensorCount, assertRefusalFlat, liveTensors } from "../_tensor_count.ts";

await initBackend({ verbose: false });

/** tinyDataset with one genre value of item 3 infinite (found after "id" and "text" are built). */
function badGenreDataset(): InteractionDataset {
  const dataset = tinyDataset();
  const genre = dataset.modalities[2];
  const values = genre.values.slice();
  values[3 * genre.dim + 1] = Infinity;
  return {
    ...dataset,
    modalities: [dataset.modalities[0], dataset.modalities[1], { ...genre, values }],
  };
}

Deno.test("ModalityEncoders: building, encoding and disposing leave no tensor; a refused build neither", async () => {
  await assertFlatTensorCount("build + encode + dispose", () => {
    const store = new ParameterStore(1);
    const encoders = new ModalityEncoders(tinyDataset(), { dim: 4 }, store);
    const before = liveTensors();
    const all = encoders.encodeAllItems();
    assertEquals(all.shape, [6, 3, 4]);
    assertEquals(liveTensors(), before + 1, "only the encodings are new");
    all.dispose();
    encoders.dispose();
    store.dispose();
  });
  // The store keeps the parameters of the modalities built before the refusal (the caller frees
  // it); the constants made for them go with the refusal.
  await assertRefusalFlat(
    "bad genre features",
    () => {
      const store = new ParameterStore(1);
      try {
        new ModalityEncoders(badGenreDataset(), { dim: 4 }, store);
      } finally {
        store.dispose();
      }
    },
    Error,
    "column 1 is Infinity (not finite)",
  );
});

Deno.test("ModalityFusion.apply and its gradient leave only their result, for every fusion", async () => {
  const embeddings = tf.randomNormal([2, 3, 3, 4], 0, 1, "float32", 5) as tf.Tensor4D;
  const weights = tf.tensor3d([1, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1], [2, 3, 3]);
  const presence = tf.onesLike(weights);
  const configs: FusionConfig[] = [
    { kind: "mean" },
    { kind: "sum" },
    { kind: "gated", projection: true, layerNorm: true },
  ];
  try {
    for (const config of configs) {
      const store = new ParameterStore(2);
      const fusion = new ModalityFusion(config, 4, store);
      try {
        await assertFlatTensorCount(`${config.kind} apply`, () => {
          const before = liveTensors();
          const fused = fusion.apply(embeddings, weights, presence);
          assertEquals(liveTensors(), before + 1, "only the fused rows are new");
          fused.dispose();
        });
        await assertFlatTensorCount(`${config.kind} gradient`, () => {
          const gradient = tf.grad((e: tf.Tensor) =>
            tf.sum(fusion.apply(e, weights, presence)) as tf.Scalar
          )(embeddings);
          gradient.dispose();
        });
        const wrong = tf.ones([2, 3, 2]);
        try {
          await assertRefusalFlat(
            `${config.kind} masks of another shape`,
            () => fusion.apply(embeddings, wrong, presence),
            Error,
            "Operands could not be broadcast together",
          );
        } finally {
          wrong.dispose();
        }
      } finally {
        store.dispose();
      }
    }
    await assertRefusalFlat(
      "bad fusion kind",
      () => {
        const store = new ParameterStore(2);
        try {
          new ModalityFusion({ kind: "max" } as unknown as FusionConfig, 4, store);
        } finally {
          store.dispose();
        }
      },
      SettingError,
      "FusionConfig.kind",
    );
  } finally {
    tf.dispose([embeddings, weights, presence]);
  }
});
