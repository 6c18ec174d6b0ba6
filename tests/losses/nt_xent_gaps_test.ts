/**
 * NT-Xent at a tiny temperature: a view's similarity with itself must stay out of its softmax
 * even when the real logits reach -1/tau. Found by mutation round OC (OC43, OC60).
 */
import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { ntXent } from "../../lib/losses/nt_xent.ts";

await initBackend({ verbose: false });

Deno.test("NT-Xent, cosine at tau 5e-5: the self-similarity is excluded even against antipodal views", () => {
  // Views z1 = (1, 0) and z2 = z3 = z4 = (-1, 0) (pairs z1-z3, z2-z4), L = 1/tau = 20000. Anchor
  // z1 sees only antipodal views (logit -L each, its positive among them): ln 3. Anchors z2 and
  // z4: ln 2 (+ e^-2L). Anchor z3 (positive z1 at -L): 2L + ln 2. An excluded logit not far below
  // -L (e.g. -1e4 here) would let z1's self-similarity into its softmax and swamp that anchor.
  const temperature = 5e-5;
  const first = tf.tensor2d([[1, 0], [-1, 0]]);
  const second = tf.tensor2d([[-1, 0], [-1, 0]]);
  const loss = ntXent(first, second, { temperature, similarity: "cosine" });
  const expected = (Math.log(3) + 3 * Math.log(2) + 2 / temperature) / 4;
  assertAlmostEquals(loss.dataSync()[0], expected, 0.02);
  tf.dispose([first, second, loss]);
});

Deno.test("NT-Xent: a batch of one row is refused saying how many rows it got", () => {
  const one = tf.tensor2d([[1, 0]]);
  const error = assertThrows(() => ntXent(one, one, { temperature: 1, similarity: "dot" }), Error);
  assertEquals(error.message, "ntXent: needs at least 2 rows for a negative, got 1");
  one.dispose();
});
