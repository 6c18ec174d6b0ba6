import { assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { packRows, unpackingOf, unpackRows } from "../../lib/nn/packed_rows.ts";

Deno.test("packRows: real positions, the cut window and both slot maps", () => {
  const p = packRows(Float32Array.of(0, 0, 1, 1, 0, 0, 0, 1), 2, 4);
  assertEquals(p.window, 2);
  assertEquals(Array.from(p.rows), [2, 3, 7]);
  assertEquals(Array.from(p.columns), [2, 3, 3]);
  assertEquals(Array.from(p.windowRows), [0, 1, 3]);
  assertEquals(Array.from(p.windowSlots), [1, 2, 0, 3]);
  assertEquals(Array.from(p.slots), [0, 0, 1, 2, 0, 0, 0, 3]);
  assertEquals(packRows(new Float32Array(4), 2, 2).window, 0);
  assertThrows(() => packRows(new Float32Array(3), 2, 2), Error, "expected 2*2");
  // Too many entries is as wrong as too few: the layout would silently drop the extra rows.
  assertThrows(() => packRows(new Float32Array(5), 2, 2), Error, "expected 2*2");
  // Batch first, then length: with batch = length above, a swap in the message read the same.
  assertThrows(
    () => packRows(new Float32Array(5), 2, 3),
    Error,
    "packRows: valid has 5 entries, expected 2*3",
  );
});

Deno.test("unpackRows puts rows back with zeros at padding, and the gradient flows back", async () => {
  await initBackend({ verbose: false });
  const p = packRows(Float32Array.of(0, 1, 1, 1), 2, 2);
  const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
  const slots = unpackingOf(p.slots);
  const y = unpackRows(x, slots, [2, 2, 2]);
  assertEquals(y.arraySync(), [[[0, 0], [1, 2]], [[3, 4], [5, 6]]]);
  const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(unpackRows(t, slots, [2, 2, 2]), 2)))(x);
  assertEquals(g.arraySync(), [[2, 2], [2, 2], [2, 2]]);
  tf.dispose([x, slots.index, slots.mask, y, g]);
});

Deno.test("unpackRows leaves no tensor but its result, and packRows's window starts at the earliest real column of any row", async () => {
  await initBackend({ verbose: false });
  // The gather and the product are intermediates: outside tf.tidy they would stay allocated once
  // per layer and step.
  const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
  const unpacking = unpackingOf(packRows(Float32Array.of(0, 1, 1, 1), 2, 2).slots);
  const before = tf.memory().numTensors;
  const y = unpackRows(x, unpacking, [2, 2, 2]);
  assertEquals(tf.memory().numTensors, before + 1);
  tf.dispose([x, unpacking.index, unpacking.mask, y]);
  // The longer history is in the second row: the window covers its 3 real columns, not the
  // first row's 1.
  const p = packRows(Float32Array.of(0, 0, 0, 1, 0, 1, 1, 1), 2, 4);
  assertEquals(p.window, 3);
  assertEquals(Array.from(p.windowSlots), [0, 0, 1, 2, 3, 4]);
});
