import { assertEquals, assertNotEquals } from "@std/assert";
import { canonicalJson } from "../../lib/util/json_differences.ts";

Deno.test("canonicalJson: objects equal but for key order, nested too, give one text", () => {
  assertEquals(
    canonicalJson({ b: 1, a: { d: [1, 2], c: null } }),
    canonicalJson({ a: { c: null, d: [1, 2] }, b: 1 }),
  );
  assertEquals(canonicalJson({ b: 1, a: 2 }), '{"a":2,"b":1}');
});

Deno.test("canonicalJson: arrays keep their order, and other values differ as in JSON", () => {
  assertNotEquals(canonicalJson([1, 2]), canonicalJson([2, 1]));
  assertNotEquals(canonicalJson({ a: 1 }), canonicalJson({ a: "1" }));
  assertEquals(canonicalJson([{ y: 1, x: 2 }]), '[{"x":2,"y":1}]');
});
