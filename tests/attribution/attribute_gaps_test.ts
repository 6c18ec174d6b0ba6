/**
 * Gaps found by mutation round MH in attributeModalities: a refused input names attributeModalities
 * (not another caller of the shared check), and leaves no tensor behind.
 */
import { assertEquals, assertNotEquals, assertRejects } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  attributeModalities,
  attributionOfContributions,
} from "../../lib/attribution/attribute.ts";
import { normaliseContributions } from "../../lib/attribution/normalise.ts";
import { DEFAULT_ATTRIBUTION_CONFIG, type PairShape } from "../../lib/attribution/types.ts";
import { userModalityScores } from "../../lib/attribution/user_modality.ts";

await initBackend({ verbose: false });

Deno.test("attributeModalities: embeddings or a mask of the wrong shape are refused naming attributeModalities (MH27)", async () => {
  const e = tf.ones([2, 3, 2, 4]) as tf.Tensor4D;
  const flat = tf.ones([2, 3, 2]) as unknown as tf.Tensor4D;
  const wrongMask = tf.ones([2, 3, 3]) as tf.Tensor3D;
  const loss = (x: tf.Tensor4D) => tf.sum(x, [1, 2, 3]) as tf.Tensor1D;
  try {
    const before = tf.memory().numTensors;
    const shapeError = await assertRejects(() => attributeModalities(loss, e, wrongMask));
    assertEquals(
      shapeError.message,
      "attributeModalities: mask must be [batch, position, modality] = [2,3,2], got [2,3,3]",
    );
    const rankError = await assertRejects(() => attributeModalities(loss, flat, wrongMask));
    assertEquals(
      rankError.message,
      "attributeModalities: embeddings must be [batch, position, modality, dim], got shape [2,3,2]",
    );
    assertEquals(tf.memory().numTensors, before, "no tensor left by a refusal");
  } finally {
    tf.dispose([e, flat, wrongMask]);
  }
});

Deno.test("attributionOfContributions: the per-user-modality scores are means of the NORMALISED scores, not of the raw contributions (MH31)", () => {
  // One user, 3 positions, 2 modalities: raw means 10/3 and 2; their z-scores' means differ.
  const contributions = Float32Array.of(10, 2, 0, 2, 0, 2);
  const mask = Float32Array.of(1, 1, 1, 1, 1, 1);
  const shape: PairShape = [1, 3, 2];
  for (const normalisation of ["zscore", "rank"] as const) {
    const config = {
      ...DEFAULT_ATTRIBUTION_CONFIG,
      normalisation,
      granularity: "user_modality" as const,
    };
    const result = attributionOfContributions(contributions, mask, shape, config);
    const valid = Uint8Array.of(1, 1, 1, 1, 1, 1);
    const normalised = normaliseContributions(contributions, valid, shape, normalisation);
    const expected = Array.from(userModalityScores(normalised, valid, shape));
    assertEquals(Array.from(result.userModalityScores), expected, normalisation);
    const raw = Array.from(userModalityScores(contributions, valid, shape));
    assertNotEquals(expected, raw, "the fixture tells the two apart");
  }
});
