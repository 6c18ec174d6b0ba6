/**
 * bench/blas_ceiling.ts's shapes (mutation round ID): each label states the product it times, so
 * a shape whose sizes or transposes drift from its label reports GFLOP/s of another product.
 */
import { assertEquals } from "@std/assert";
import { STEP_SHAPES } from "../../bench/blas_ceiling.ts";

Deno.test("blas_ceiling: each shape is the product its label names ([batch x] m x n x k, A^T, B^T)", () => {
  for (const shape of STEP_SHAPES) {
    const match = /(?:(\d+) x )?(\d+)x(\d+)x(\d+)/.exec(shape.label)!;
    const [batch, m, n, k] = [match[1] ?? "1", match[2], match[3], match[4]].map(Number);
    assertEquals(
      {
        batch,
        m,
        n,
        k,
        transA: shape.label.includes("(A^T)"),
        transB: shape.label.includes("(B^T)"),
      },
      {
        batch: shape.batch,
        m: shape.m,
        n: shape.n,
        k: shape.k,
        transA: shape.transA,
        transB: shape.transB,
      },
      shape.label,
    );
  }
  // The SASRec step's products (B=256, L=50, d=64, 5,001 items) and 512^3, each once.
  assertEquals(STEP_SHAPES.map((s) => s.label.split(" ")[0]), [
    "512x512x512",
    "projection",
    "weight",
    "scores",
    "mixing",
    "logits",
  ]);
});
