/**
 * matMulGeometry with operands of different batch ranks (mutation round OB): the missing leading
 * batch dims of the shorter operand count as 1, whichever operand is the shorter, and its
 * matrices are reused across them.
 */
import { assertEquals } from "@std/assert";
import { matMulGeometry } from "../../lib/backend/kernels/_matmul_geometry.ts";

Deno.test("matMulGeometry: a rank-2 A against a batched B reuses A for every batch entry", () => {
  const g = matMulGeometry([3, 4], [2, 4, 5], false, false);
  assertEquals(g.outShape, [2, 3, 5]);
  assertEquals(Array.from(g.offsetsA), [0, 0]);
  assertEquals(Array.from(g.offsetsB), [0, 20]);
});

Deno.test("matMulGeometry: A of batch [2, 1] against B of batch [5] gives batch [2, 5]", () => {
  const g = matMulGeometry([2, 1, 3, 4], [5, 4, 6], false, false);
  assertEquals(g.outShape, [2, 5, 3, 6]);
  assertEquals(Array.from(g.offsetsA), [0, 0, 0, 0, 0, 12, 12, 12, 12, 12]);
  assertEquals(Array.from(g.offsetsB), [0, 24, 48, 72, 96, 0, 24, 48, 72, 96]);
});
