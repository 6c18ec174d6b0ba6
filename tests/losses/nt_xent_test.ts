import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { ntXent, type NtXentOptions } from "../../lib/losses/nt_xent.ts";

await initBackend({ verbose: false });

const FIRST = [[1, 2], [-1, 0.5], [0.3, -2]];
const SECOND = [[0.8, 2.5], [-2, 0.1], [1, -1]];

/** NT-Xent in plain JS, straight from SimCLR's definition: 2N anchors, each against 2N - 1 views. */
function referenceLoss(first: number[][], second: number[][], options: NtXentOptions): number {
  const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i], 0);
  const sim = (x: number[], y: number[]) =>
    options.similarity === "dot" ? dot(x, y) : dot(x, y) / Math.sqrt(dot(x, x) * dot(y, y));
  const views = [...first, ...second];
  const n = first.length;
  let total = 0;
  views.forEach((view, k) => {
    const pair = views[(k + n) % (2 * n)];
    const denominator = views
      .filter((_, m) => m !== k)
      .reduce((s, other) => s + Math.exp(sim(view, other) / options.temperature), 0);
    total += -Math.log(Math.exp(sim(view, pair) / options.temperature) / denominator);
  });
  return total / (2 * n);
}

const lossOf = (first: number[][], second: number[][], options: NtXentOptions) =>
  tf.tidy(() => ntXent(tf.tensor2d(first), tf.tensor2d(second), options).dataSync()[0]);

for (
  const options of [
    { temperature: 1, similarity: "dot" },
    { temperature: 0.3, similarity: "cosine" },
  ] as NtXentOptions[]
) {
  Deno.test(`NT-Xent equals SimCLR's formula in plain JS: ${JSON.stringify(options)}`, () => {
    const expected = referenceLoss(FIRST, SECOND, options);
    assertAlmostEquals(lossOf(FIRST, SECOND, options), expected, 1e-5 * (1 + expected));
  });
}

Deno.test("NT-Xent is symmetric in its two views (swapping them leaves the loss unchanged)", () => {
  const options: NtXentOptions = { temperature: 0.7, similarity: "dot" };
  assertAlmostEquals(lossOf(FIRST, SECOND, options), lossOf(SECOND, FIRST, options), 1e-6);
});

Deno.test("NT-Xent of two orthonormal pairs at tau 1 = log(1 + 2/e) (by hand)", () => {
  // Views e1, e2 / e1, e2: each view's pair has similarity 1, its two negatives 0 (the other
  // row's views); itself is excluded: -log(e / (e + 2)).
  const identity = [[1, 0], [0, 1]];
  const loss = lossOf(identity, identity, { temperature: 1, similarity: "dot" });
  assertAlmostEquals(loss, Math.log(1 + 2 / Math.E), 1e-6);
});

Deno.test("NT-Xent gradient is finite and equals a central finite difference", () => {
  const options: NtXentOptions = { temperature: 0.5, similarity: "dot" };
  const gradient = tf.tidy(() =>
    tf.grad((x: tf.Tensor) => ntXent(x as tf.Tensor2D, tf.tensor2d(SECOND), options))(
      tf.tensor2d(FIRST),
    ).arraySync() as number[][]
  );
  const h = 1e-2;
  for (const [i, j] of [[0, 0], [1, 1], [2, 0]]) {
    const shifted = (delta: number) =>
      FIRST.map((row, r) => row.map((v, c) => (r === i && c === j ? v + delta : v)));
    const numeric = (lossOf(shifted(h), SECOND, options) - lossOf(shifted(-h), SECOND, options)) /
      (2 * h);
    assert(Number.isFinite(gradient[i][j]));
    assertAlmostEquals(gradient[i][j], numeric, 2e-3 * (1 + Math.abs(numeric)));
  }
});

Deno.test("NT-Xent: bad inputs throw clear errors; no tensor is left behind", () => {
  const options: NtXentOptions = { temperature: 1, similarity: "dot" };
  assertThrows(() => lossOf([[1, 0]], [[1, 0]], options), Error, "at least 2 rows");
  assertThrows(() => lossOf(FIRST, [[1, 0]], options), Error, "one shape");
  assertThrows(() => lossOf(FIRST, SECOND, { ...options, temperature: 0 }), Error, "temperature");
  // Infinity gave a constant loss whatever the views, and "euclid" ran the dot product.
  for (const temperature of [Infinity, Number.NaN]) {
    const error = assertThrows(() => lossOf(FIRST, SECOND, { ...options, temperature }));
    assertEquals(error.name, "SettingError");
    assert(error.message.includes("NtXentOptions.temperature"), error.message);
  }
  const similarity = "euclid" as NtXentOptions["similarity"];
  const error = assertThrows(() => lossOf(FIRST, SECOND, { ...options, similarity }));
  assert(error.message.includes('NtXentOptions.similarity is "euclid"'), error.message);
  const before = tf.memory().numTensors;
  const loss = ntXent(tf.tensor2d(FIRST), tf.tensor2d(SECOND), options);
  // The two inputs made here and the loss survive; the masks and logits do not.
  assertEquals(tf.memory().numTensors, before + 3);
  loss.dispose();
});

Deno.test("NT-Xent: views not of rank 2 are refused by name, even when their shapes agree", () => {
  // Two [3, 2, 1] views have one shape, and a [3, 2, 1] second view agrees with a [3, 2] first
  // on every axis of the first: only the rank checks refuse them.
  const cube = tf.zeros([3, 2, 1]) as unknown as tf.Tensor2D;
  const flat = tf.tensor2d(FIRST);
  const message = "ntXent: both views must be [rows, dim] of one shape";
  const options: NtXentOptions = { temperature: 1, similarity: "dot" };
  assertThrows(() => ntXent(cube, cube, options), Error, `${message}, got [3,2,1] and [3,2,1]`);
  assertThrows(() => ntXent(flat, cube, options), Error, `${message}, got [3,2] and [3,2,1]`);
  tf.dispose([cube, flat]);
});

Deno.test("NT-Xent: cosine is scale-free down to tiny views (its clamp only keeps ~0 finite)", () => {
  // The norm clamp (1e-8) only keeps an all-zero view finite; a larger clamp would stop dividing
  // a small view by its norm, and its similarities would shrink toward 0.
  const options: NtXentOptions = { temperature: 0.3, similarity: "cosine" };
  const tiny = FIRST.map((row) => row.map((v) => v * 1e-5));
  assertAlmostEquals(lossOf(tiny, SECOND, options), lossOf(FIRST, SECOND, options), 1e-4);
  assert(Number.isFinite(lossOf([[0, 0], [1, 0]], [[1, 0], [0, 1]], options)));
});

Deno.test("NT-Xent: views of one row count but another width are refused by name", () => {
  // A check of the rows alone let [3, 2] and [3, 3] through to concat, whose error names neither
  // view (mutation round JH).
  const options: NtXentOptions = { temperature: 1, similarity: "dot" };
  const wide = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  assertThrows(
    () => lossOf(FIRST, wide, options),
    Error,
    "ntXent: both views must be [rows, dim] of one shape, got [3,2] and [3,3]",
  );
});
