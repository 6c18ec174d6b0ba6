/**
 * The tensor-count checks of the public API's leak tests (tests/<area>/*_tensor_count_test.ts):
 * a call is made twice and tf.memory().numTensors compared between the two, so that what the first
 * call builds once and keeps (a model's lazily built tables) does not count as a leak, but a
 * tensor left by every call does. The call disposes what it owns (a returned tensor, a model it
 * built) itself.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { tf } from "../lib/backend/tf.ts";

/** Tensors alive now. */
export function liveTensors(): number {
  return tf.memory().numTensors;
}

/**
 * Runs `call` twice and asserts that the second run leaves the count of live tensors where it
 * found it.
 */
export async function assertFlatTensorCount(
  label: string,
  call: () => unknown,
): Promise<void> {
  await call();
  const before = liveTensors();
  await call();
  assertEquals(liveTensors() - before, 0, `${label}: tensors left by a call`);
}

/**
 * Runs `call` twice, asserting both times that it rejects (or throws) with `ErrorClass` and a
 * message that includes `message`, and that the second refusal leaves the count of live tensors
 * where it found it. Returns the second error.
 */
export async function assertRefusalFlat(
  label: string,
  call: () => unknown,
  ErrorClass: new (...args: never[]) => Error,
  message: string,
): Promise<Error> {
  const refuse = () => assertRejects(async () => await call(), ErrorClass, message);
  await refuse();
  const before = liveTensors();
  const error = await refuse();
  assertEquals(liveTensors() - before, 0, `${label}: tensors left by a refused call`);
  return error;
}
