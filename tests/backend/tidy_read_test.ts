import { assertEquals, assertRejects } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { tidyRead } from "../../lib/backend/tidy_read.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";

await initBackend({ verbose: false });

Deno.test("tidyRead returns the values and leaves no tensor behind", async () => {
  const before = tf.memory().numTensors;
  const values = await tidyRead(() => tf.add(tf.tensor1d([1, 2, 3]), tf.scalar(1)));
  assertEquals(Array.from(values), [2, 3, 4]);
  assertEquals(tf.memory().numTensors, before);
  assertEquals((await tidyRead(() => tf.tensor1d([7], "int32"))) instanceof Int32Array, true);
  await assertRejects(() => tidyRead(() => tf.tensor1d(["a"])), Error, "string tensors");
  assertEquals(tf.memory().numTensors, before);
});

Deno.test("tidyRead of a tensor that fn returns as it is (made outside) leaves that tensor alive", async () => {
  // tf.tidy hands such a tensor back unchanged: reading and disposing it would dispose the
  // caller's tensor under it.
  const x = tf.tensor1d([4, 5]);
  const before = tf.memory().numTensors;
  assertEquals(Array.from(await tidyRead(() => x)), [4, 5]);
  assertEquals(x.isDisposed, false);
  assertEquals(Array.from(await x.data()), [4, 5]);
  assertEquals(tf.memory().numTensors, before);
  x.dispose();
});
