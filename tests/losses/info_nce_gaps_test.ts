/**
 * Edges of infoNce the other InfoNCE tests leave open (mutation round MF): explicit negatives only
 * at a temperature other than 1, and more explicit negatives than rows.
 */
import { assertAlmostEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { infoNce, type InfoNceOptions } from "../../lib/losses/info_nce.ts";

await initBackend({ verbose: false });

function lossOf(
  anchor: number[][],
  positive: number[][],
  negatives: number[][][],
  options: Omit<InfoNceOptions, "negatives">,
): number {
  return tf.tidy(() =>
    infoNce(tf.tensor2d(anchor), tf.tensor2d(positive), {
      ...options,
      negatives: tf.tensor3d(negatives),
    }).dataSync()[0]
  );
}

Deno.test("InfoNCE without in-batch negatives divides the positive's logit by tau once (tau 0.5)", () => {
  // Cosine, tau 0.5: s(a, p) = 1 and s(a, n) = 0, so the logits are (2, 0) and the loss is
  // log(e^2 + 1) - 2 = log(1 + e^-2). Dividing the positive's column by tau twice gave
  // log(e^4 + 1) - 2, about 2.02. (The other tests of this route run at tau 1.)
  const options = { temperature: 0.5, inBatchNegatives: false } as const;
  const one = lossOf([[1, 0]], [[1, 0]], [[[0, 1]]], options);
  assertAlmostEquals(one, Math.log(1 + Math.exp(-2)), 1e-6);
  // Two rows: the other row's positive is no candidate, so each row's loss is the same.
  const two = lossOf([[1, 0], [0, 3]], [[2, 0], [0, 1]], [[[0, 1]], [[5, 0]]], options);
  assertAlmostEquals(two, Math.log(1 + Math.exp(-2)), 1e-6);
});

Deno.test("InfoNCE takes more explicit negatives than rows (k > batch)", () => {
  // One row, three negatives, cosine at tau 1: logits (1, 0, 0, -1) with the positive first, so
  // the loss is log(e + 2 + e^-1) - 1.
  const value = lossOf([[1, 0]], [[1, 0]], [[[0, 1], [0, -1], [-1, 0]]], { temperature: 1 });
  assertAlmostEquals(value, Math.log(Math.E + 2 + Math.exp(-1)) - 1, 1e-6);
  // Two rows, in-batch negatives too, dot at tau 1 (k = 3 > 2 rows):
  //   row 0: a = (1, 0); candidates p0 (1, 0) -> 1, p1 (0, 2) -> 0, negatives (3, 0), (0, 1),
  //          (-1, 0) -> 3, 0, -1: loss log(e + 1 + e^3 + 1 + e^-1) - 1.
  //   row 1: a = (0, 1); p0 -> 0, p1 -> 2, negatives (0, 0), (1, 1), (0, -2) -> 0, 1, -2:
  //          loss log(1 + e^2 + 1 + e + e^-2) - 2.
  const dot = lossOf(
    [[1, 0], [0, 1]],
    [[1, 0], [0, 2]],
    [[[3, 0], [0, 1], [-1, 0]], [[0, 0], [1, 1], [0, -2]]],
    { similarity: "dot", temperature: 1 },
  );
  const row0 = Math.log(Math.E + 1 + Math.exp(3) + 1 + Math.exp(-1)) - 1;
  const row1 = Math.log(1 + Math.exp(2) + 1 + Math.E + Math.exp(-2)) - 2;
  assertAlmostEquals(dot, (row0 + row1) / 2, 1e-5);
});
