/**
 * Offline stand-in for `jsr:@std/assert` (JSR is unreachable on these machines).
 *
 * Same names and call shapes as the subset of `@std/assert` this workspace uses, built on Node's
 * `assert/strict` that ships in Deno. Where JSR is reachable, point `"@std/assert"` in deno.json's
 * import map at `jsr:@std/assert@^1` and delete this file: no test changes.
 */
import nodeAssert from "node:assert/strict";

export class AssertionError extends Error {
  override name = "AssertionError";
}

function fail(message: string | undefined, detail: string): never {
  throw new AssertionError(message ? `${message}: ${detail}` : detail);
}

/** Asserts that `expr` is truthy. */
export function assert(expr: unknown, msg?: string): asserts expr {
  if (!expr) fail(msg, "expected a truthy value");
}

/** Deep, strict equality (as `@std/assert`'s `assertEquals`). */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  try {
    nodeAssert.deepStrictEqual(actual, expected);
  } catch (error) {
    fail(msg, (error as Error).message);
  }
}

/** Deep, strict inequality. */
export function assertNotEquals<T>(actual: T, expected: T, msg?: string): void {
  try {
    nodeAssert.notDeepStrictEqual(actual, expected);
  } catch (error) {
    fail(msg, (error as Error).message);
  }
}

/** `Object.is` equality. */
export function assertStrictEquals<T>(actual: unknown, expected: T, msg?: string): void {
  if (!Object.is(actual, expected)) fail(msg, `${String(actual)} !== ${String(expected)}`);
}

/** |actual - expected| <= tolerance (default 1e-7, as `@std/assert`). */
export function assertAlmostEquals(
  actual: number,
  expected: number,
  tolerance = 1e-7,
  msg?: string,
): void {
  if (Object.is(actual, expected)) return;
  const delta = Math.abs(expected - actual);
  if (!(delta <= tolerance)) {
    fail(msg, `expected ${actual} to be close to ${expected}: delta ${delta} > ${tolerance}`);
  }
}

/** actual > expected. */
export function assertGreater<T>(actual: T, expected: T, msg?: string): void {
  if (!(actual > expected)) fail(msg, `expected ${String(actual)} > ${String(expected)}`);
}

/** actual >= expected. */
export function assertGreaterOrEqual<T>(actual: T, expected: T, msg?: string): void {
  if (!(actual >= expected)) fail(msg, `expected ${String(actual)} >= ${String(expected)}`);
}

/** actual < expected. */
export function assertLess<T>(actual: T, expected: T, msg?: string): void {
  if (!(actual < expected)) fail(msg, `expected ${String(actual)} < ${String(expected)}`);
}

/** actual <= expected. */
export function assertLessOrEqual<T>(actual: T, expected: T, msg?: string): void {
  if (!(actual <= expected)) fail(msg, `expected ${String(actual)} <= ${String(expected)}`);
}

/** `actual` contains `expected` as a substring. */
export function assertStringIncludes(actual: string, expected: string, msg?: string): void {
  if (!actual.includes(expected)) fail(msg, `expected "${actual}" to contain "${expected}"`);
}

/** `actual` matches `expected`. */
export function assertMatch(actual: string, expected: RegExp, msg?: string): void {
  if (!expected.test(actual)) fail(msg, `expected "${actual}" to match ${expected}`);
}

type ErrorClass = new (...args: never[]) => Error;

function checkError(error: unknown, ErrorType?: ErrorClass, msgIncludes?: string): Error {
  if (!(error instanceof Error)) fail(undefined, `expected an Error to be thrown, got ${error}`);
  const thrown: Error = error;
  const { name, message } = thrown;
  const ofExpectedClass = ErrorType === undefined || thrown instanceof ErrorType;
  if (!ofExpectedClass) {
    fail(undefined, `expected ${ErrorType?.name}, got ${name}: ${message}`);
  }
  if (msgIncludes !== undefined && !message.includes(msgIncludes)) {
    fail(undefined, `expected error message to include "${msgIncludes}", got "${message}"`);
  }
  return thrown;
}

/** Asserts that `fn` throws (optionally of a class, with a message substring); returns the error. */
export function assertThrows(
  fn: () => unknown,
  ErrorType?: ErrorClass,
  msgIncludes?: string,
): Error {
  try {
    fn();
  } catch (error) {
    return checkError(error, ErrorType, msgIncludes);
  }
  fail(undefined, "expected function to throw");
}

/** Asserts that `fn` rejects (optionally of a class, with a message substring); returns the error. */
export async function assertRejects(
  fn: () => PromiseLike<unknown>,
  ErrorType?: ErrorClass,
  msgIncludes?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    return checkError(error, ErrorType, msgIncludes);
  }
  fail(undefined, "expected promise to reject");
}
