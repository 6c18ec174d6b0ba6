/**
 * Bit-for-bit comparison of what a seeded function returns, for the determinism tests
 * (tests/<area>/*_seed_test.ts). `assertEquals` compares floats by value, so it takes 0 for -0 and
 * cannot tell one NaN from another; here every number and typed-array entry is compared by its
 * bytes.
 */
import { assertEquals, assertNotEquals } from "@std/assert";

/** `value` with every number and typed array replaced by the hex of its bytes (deep copy). */
export function bitsOf(value: unknown): unknown {
  if (typeof value === "number") return hexOf(new Float64Array([value]));
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}:${hexOf(value)}`;
  if (Array.isArray(value)) return value.map(bitsOf);
  if (value instanceof Map) return [...value].map(([k, v]) => [bitsOf(k), bitsOf(v)]);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bitsOf(v)]));
  }
  return value;
}

function hexOf(view: ArrayBufferView): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Throws unless `actual` and `expected` hold the same bits everywhere. */
export function assertBitIdentical(actual: unknown, expected: unknown, msg?: string): void {
  assertEquals(bitsOf(actual), bitsOf(expected), msg);
}

/** Throws if `actual` and `expected` hold the same bits everywhere. */
export function assertNotBitIdentical(actual: unknown, expected: unknown, msg?: string): void {
  assertNotEquals(bitsOf(actual), bitsOf(expected), msg);
}
