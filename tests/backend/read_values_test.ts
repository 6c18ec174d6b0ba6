/**
 * Reading tensors to the host (lib/backend/read_values.ts, tidy_read.ts) on the `cpu` backend,
 * whose reads hand out a tensor's own buffer: the arrays returned must be the caller's copies
 * (writing to them leaves the tensor as it was), and what cannot be read as one transfer is
 * refused rather than converted.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { readAndDispose, readFloat32, readTensors } from "../../lib/backend/read_values.ts";
import { tidyRead } from "../../lib/backend/tidy_read.ts";

await initBackend({ backend: "cpu", verbose: false });

Deno.test("readTensors and tidyRead on cpu: the values are copies the caller may write to", async () => {
  const x = tf.tensor1d([1, 2, 3]);
  const before = tf.memory().numTensors;
  // One tensor: its concatenation shares x's buffer on cpu.
  const [alone] = await readTensors([x]);
  alone[0] = 99;
  const [first, second] = await readTensors([x, x]);
  first[0] = 98;
  assertEquals(Array.from(second), [1, 2, 3], "each tensor's values are their own array");
  // A reshape of x, read by tidyRead, is a view of x's buffer too.
  const viewed = await tidyRead(() => tf.reshape(x, [3, 1]));
  viewed[1] = 97;
  assertEquals(Array.from(x.dataSync()), [1, 2, 3]);
  assertEquals(tf.memory().numTensors, before);
  x.dispose();
});

Deno.test("readTensors: none is no transfer; mixed or non-float32 dtypes are refused", async () => {
  assertEquals(await readTensors([]), []);
  const float = tf.tensor1d([0.5]);
  const int = tf.tensor1d([2], "int32");
  const before = tf.memory().numTensors;
  // Concatenated together, the int32 values would come back as float32 ones.
  await assertRejects(
    () => readTensors([float, int]),
    Error,
    "readTensors: needs tensors of one numeric dtype, got float32,int32",
  );
  await assertRejects(() => readFloat32([int]), Error, "readFloat32: got a int32 tensor");
  assertEquals(tf.memory().numTensors, before);
  tf.dispose([float, int]);
});

Deno.test("readTensors: each of several tensors of different sizes gets its own values", async () => {
  const tensors = [tf.tensor1d([1, 2]), tf.tensor2d([[3, 4, 5]]), tf.scalar(6), tf.tensor1d([7])];
  const values = await readTensors(tensors);
  assertEquals(values.map((array) => Array.from(array)), [[1, 2], [3, 4, 5], [6], [7]]);
  tf.dispose(tensors);
});

Deno.test("readTensors: string tensors are refused, also when all are strings", async () => {
  const words = [tf.tensor1d(["a"]), tf.tensor1d(["b"])];
  const before = tf.memory().numTensors;
  await assertRejects(
    () => readTensors(words),
    Error,
    "readTensors: needs tensors of one numeric dtype, got string,string",
  );
  assertEquals(tf.memory().numTensors, before);
  tf.dispose(words);
});

Deno.test("readAndDispose: the values, the tensor disposed; a string tensor refused and disposed too", async () => {
  const before = tf.memory().numTensors;
  assertEquals(Array.from(await readAndDispose(tf.tensor1d([1, 2]))), [1, 2]);
  assertEquals(tf.memory().numTensors, before);
  // A string tensor's data() is its encoded bytes, no TypedArray: refused rather than passed on.
  const words = tf.tensor1d(["a"]);
  await assertRejects(
    () => readAndDispose(words),
    Error,
    "readAndDispose: string tensors are not read",
  );
  assertEquals(words.isDisposed, true);
});

Deno.test("readFloat32 names the dtype of the tensor that is not float32, not the first one's", async () => {
  // Found by mutation round JM (JM17): only a list of one int32 tensor was tried.
  const tensors = [tf.tensor1d([0.5]), tf.tensor1d([2], "int32")];
  await assertRejects(() => readFloat32(tensors), Error, "readFloat32: got a int32 tensor");
  tf.dispose(tensors);
});

Deno.test("readAndDispose disposes the tensor once its read has finished, not while it is pending", async () => {
  // Found by mutation round JM (JM18): without the `await`, `finally` disposed the tensor as soon
  // as the read began. A stand-in tensor whose read the test finishes shows the order.
  const events: string[] = [];
  let finish!: (values: Float32Array) => void;
  const tensor = {
    dtype: "float32",
    data: () => new Promise<Float32Array>((resolve) => (finish = resolve)),
    dispose: () => events.push("disposed"),
  } as unknown as tf.Tensor;
  const reading = readAndDispose(tensor);
  await Promise.resolve();
  events.push("read pending");
  finish(new Float32Array([4]));
  assertEquals(Array.from(await reading), [4]);
  assertEquals(events, ["read pending", "disposed"]);
});

Deno.test("readTensors disposes its joined tensor when the read fails", async () => {
  // Found by mutation round JM (JM19): the dispose must sit in `finally`, or a failed transfer
  // (a lost GPU device) leaks the concatenation on every call.
  const values = [tf.tensor1d([1, 2]), tf.tensor1d([3])];
  const before = tf.memory().numTensors;
  const data = tf.Tensor.prototype.data;
  tf.Tensor.prototype.data = () => Promise.reject(new Error("device lost"));
  try {
    await assertRejects(() => readTensors(values), Error, "device lost");
  } finally {
    tf.Tensor.prototype.data = data;
  }
  assertEquals(tf.memory().numTensors, before);
  tf.dispose(values);
});

Deno.test("readTensors refuses complex64 tensors rather than splitting their interleaved values", async () => {
  // Found by mutation round NE: complex64 values come back interleaved (re, im), twice a tensor's
  // size, so slicing by size gave [1, 3] for [1+3i, 2+4i], and a second tensor the first's rest.
  const complex = tf.complex([1, 2], [3, 4]);
  const before = tf.memory().numTensors;
  for (const tensors of [[complex], [complex, complex]]) {
    await assertRejects(
      () => readTensors(tensors),
      Error,
      `readTensors: needs tensors of one numeric dtype, got ${tensors.map(() => "complex64")}`,
    );
  }
  assertEquals(tf.memory().numTensors, before);
  complex.dispose();
});

Deno.test("readTensors: an empty tensor among others gets its own empty array, in its place", async () => {
  // Found by mutation round NE (NE25): each tensor answers one array, also a tensor of no values.
  const tensors = [tf.tensor1d([1, 2]), tf.tensor1d([]), tf.tensor2d([[3]])];
  const values = await readTensors(tensors);
  assertEquals(values.map((array) => Array.from(array)), [[1, 2], [], [3]]);
  tf.dispose(tensors);
});

Deno.test("readAndDispose disposes the tensor when its read fails", async () => {
  // Found by mutation round NE (NE60): only the string refusal was tried as an error path; a failed
  // transfer (a lost GPU device) must not leave the tensor behind either.
  const events: string[] = [];
  const tensor = {
    dtype: "float32",
    data: () => Promise.reject(new Error("device lost")),
    dispose: () => events.push("disposed"),
  } as unknown as tf.Tensor;
  await assertRejects(() => readAndDispose(tensor), Error, "device lost");
  assertEquals(events, ["disposed"]);
});
