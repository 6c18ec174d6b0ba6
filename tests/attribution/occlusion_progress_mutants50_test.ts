/**
 * Occlusion's progress reports end with the last column even when the column count is not a
 * multiple of the report step (mutation round 50b: only the explain tests reached that report, and
 * only where their data happened to give such a count).
 */
import { assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { contributionsAndMask } from "../../lib/attribution/contributions.ts";
import type { OcclusionProgress } from "../../lib/attribution/progress.ts";
import { DEFAULT_ATTRIBUTION_CONFIG } from "../../lib/attribution/types.ts";
import { linearLoss } from "./_toy_models.ts";

await initBackend({ verbose: false });

Deno.test("occlusion: 11 columns report after every second one and after the 11th, the last", async () => {
  // E [batch 1, position 11, modality 1, dim 2]: 11 columns, each with a valid pair; a report every
  // ceil(11 / 10) = 2 columns, and one after the last (11 is not a multiple of 2).
  const positions = 11;
  const a = tf.ones([positions, 1, 2]) as tf.Tensor3D;
  const e = tf.ones([1, positions, 1, 2]) as tf.Tensor4D;
  const w = tf.ones([1, positions, 1]) as tf.Tensor3D;
  const heard: OcclusionProgress[] = [];
  try {
    const { contributions } = await contributionsAndMask(
      linearLoss(a),
      e,
      w,
      { ...DEFAULT_ATTRIBUTION_CONFIG, method: "occlusion" },
      (progress) => heard.push(progress),
    );
    assertEquals(heard.map((p) => [p.columnsDone, p.columns]), [
      [2, 11],
      [4, 11],
      [6, 11],
      [8, 11],
      [10, 11],
      [11, 11],
    ]);
    // Occluding a pair of the linear loss removes a . e = 2 from it.
    assertEquals(Array.from(contributions), new Array(positions).fill(-2));
  } finally {
    tf.dispose([a, e, w]);
  }
});
