/**
 * The shared wasm `Identity` (lib/backend/kernels/identity.ts) on its string path: a string clone
 * is the stock kernel's copy, and holds no extra reference on its input's memory, which is freed
 * once both tensors are disposed.
 */
import { assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { registerHostKernels } from "../../lib/backend/kernels/host_kernels.ts";

await initBackend({ backend: "wasm", verbose: false });

Deno.test("Identity(shared, wasm): a string clone and its input, both disposed, leave no memory behind", async () => {
  await tf.setBackend("wasm");
  registerHostKernels("wasm");
  const backend = tf.backend();
  const start = backend.numDataIds();
  const words = tf.tensor1d(["a", "b"], "string");
  const copy = tf.clone(words);
  assertEquals(copy.dataSync<"string">(), ["a", "b"]);
  tf.dispose([words, copy]);
  assertEquals(backend.numDataIds(), start);
  // The shared path frees its memory with its last tensor too.
  const numbers = tf.tensor1d([1, 2]);
  const shared = tf.clone(numbers);
  tf.dispose([numbers, shared]);
  assertEquals(backend.numDataIds(), start);
});
