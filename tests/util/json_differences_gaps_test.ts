/**
 * jsonDifferences beyond tests/slurm/compare_results_test.ts: NaN equals itself, null and a number
 * are not objects (on either side), a longer list is named by the index it adds, and a number that
 * JSON would write as null or 0 is shown as it is.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { jsonDifferences } from "../../lib/util/json_differences.ts";

Deno.test("jsonDifferences: NaN equals NaN, at the root and inside", () => {
  assertEquals(jsonDifferences(NaN, NaN), []);
  assertEquals(jsonDifferences({ loss: [1, NaN] }, { loss: [1, NaN] }), []);
});

Deno.test("jsonDifferences: null against an object is a difference, on either side", () => {
  assertEquals(jsonDifferences({ trial: null }, { trial: { index: 1 } }), [
    'trial: null vs {"index":1}',
  ]);
  assertEquals(jsonDifferences({ trial: { index: 1 } }, { trial: null }), [
    'trial: {"index":1} vs null',
  ]);
});

Deno.test("jsonDifferences: a number or text against an object is a difference, on either side", () => {
  assertEquals(jsonDifferences({ optimizer: {} }, { optimizer: 0 }), ["optimizer: {} vs 0"]);
  assertEquals(jsonDifferences({ optimizer: 0 }, { optimizer: {} }), ["optimizer: 0 vs {}"]);
  assertEquals(jsonDifferences({ seeds: "0" }, { seeds: [] }), ['seeds: "0" vs []']);
});

Deno.test("jsonDifferences: a longer or shorter list is named by each index one of them lacks", () => {
  assertEquals(jsonDifferences({ a: [1, 2] }, { a: [1, 2, 3] }), ["a.2: absent vs 3"]);
  assertEquals(jsonDifferences([{ b: 1 }, { b: 2 }], [{ b: 1 }]), ['1: {"b":2} vs absent']);
  assertEquals(jsonDifferences({ a: [{ b: 1 }, { b: 2 }] }, { a: [{ b: 1 }, { b: 3 }] }), [
    "a.1.b: 2 vs 3",
  ]);
});

Deno.test("jsonDifferences: NaN, infinities and -0 are shown as they are, not as JSON's null or 0", () => {
  // JSON.stringify writes NaN and Infinity as null and -0 as 0: the line would read "null vs
  // null" or "0 vs 0", a difference between what looks like equal values.
  assertEquals(jsonDifferences({ lr: NaN }, { lr: null }), ["lr: NaN vs null"]);
  assertEquals(jsonDifferences({ lr: Infinity }, { lr: -Infinity }), ["lr: Infinity vs -Infinity"]);
  assertEquals(jsonDifferences({ lr: -0 }, { lr: 0 }), ["lr: -0 vs 0"]);
  assertEquals(jsonDifferences({ lr: 0.1 }, { lr: 0.12500000000000003 }), [
    "lr: 0.1 vs 0.12500000000000003",
  ]);
});

Deno.test("jsonDifferences: an object against a list with the same keys is a difference, the other way round too", () => {
  // Found by mutation round NA (NA14): only the list-first order was pinned.
  assertEquals(jsonDifferences({ scores: { "0": 1 } }, { scores: [1] }), [
    'scores: {"0":1} vs [1]',
  ]);
  assertEquals(jsonDifferences({}, []), ["(root): {} vs []"]);
});

Deno.test("jsonDifferences: a limit of 0 gives none, for plain values too; a limit that is no count is refused", () => {
  // Found by mutation round NA: two different plain values gave their line under limit 0, and a
  // NaN limit stopped nothing.
  assertEquals(jsonDifferences(1, 2, "", 0), []);
  assertEquals(jsonDifferences({ a: 1 }, { a: 2 }, "", 0), []);
  assertEquals(jsonDifferences(1, 2, "", 1), ["(root): 1 vs 2"]);
  for (const limit of [Number.NaN, -1, 2.5, Infinity]) {
    assertThrows(
      () => jsonDifferences({ a: 1 }, { a: 2 }, "", limit),
      RangeError,
      `jsonDifferences: limit must be an integer >= 0, got ${limit}`,
    );
  }
});
