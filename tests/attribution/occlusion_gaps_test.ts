/**
 * Occlusion skips a column without a valid pair and goes on with the next modality of the same
 * position: a first modality missing everywhere at a position must not end that position's columns.
 */
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { computeContributions } from "../../lib/attribution/contributions.ts";
import { DEFAULT_ATTRIBUTION_CONFIG } from "../../lib/attribution/types.ts";
import { linearLoss } from "./_toy_models.ts";

await initBackend({ verbose: false });

// [batch 2, position 2, modality 2, dim 2]
const E_VALUES = [
  [[[1, 1], [2, 0]], [[0, 1], [1, -1]]],
  [[[-1, 2], [1, 1]], [[2, 2], [0, 3]]],
];
const A_VALUES = [[[1, 2], [0.5, -1]], [[-2, 1], [3, 0]]];
// Modality 0 is missing at position 0 for both users; modality 1 is there.
const W_VALUES = [[[0, 1], [1, 1]], [[0, 1], [1, 1]]];

const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i], 0);

Deno.test("occlusion: after a column without a valid pair, the same position's next modality is still occluded", async () => {
  const a = tf.tensor3d(A_VALUES);
  const e = tf.tensor4d(E_VALUES);
  const w = tf.tensor3d(W_VALUES);
  let calls = 0;
  const lossOf = linearLoss(a);
  try {
    const c = await computeContributions(
      (emb, mask) => {
        calls++;
        return lossOf(emb, mask);
      },
      e,
      w,
      { ...DEFAULT_ATTRIBUTION_CONFIG, method: "occlusion" },
    );
    // One full pass and three columns: (p0, m1), (p1, m0), (p1, m1).
    assertEquals(calls, 4);
    // A linear loss: occluding a valid pair changes it by -a[p][m] . e[b][p][m] exactly.
    for (let b = 0; b < 2; b++) {
      for (let p = 0; p < 2; p++) {
        for (let m = 0; m < 2; m++) {
          const expected = W_VALUES[b][p][m] ? -dot(A_VALUES[p][m], E_VALUES[b][p][m]) : 0;
          assertAlmostEquals(c[(b * 2 + p) * 2 + m], expected, 1e-5, `(${b}, ${p}, ${m})`);
        }
      }
    }
    // (p0, m1) is not 0 for either user (-1 and 0.5), so a skipped column would show.
    assertEquals([c[1], c[5]], [-1, 0.5]);
  } finally {
    tf.dispose([a, e, w]);
  }
});
