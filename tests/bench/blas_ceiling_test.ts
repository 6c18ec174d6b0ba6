/**
 * bench/blas_ceiling.ts's shapes (mutation round ID): each label states the product it times, so
 * a shape whose sizes or transposes drift from its label reports GFLOP/s of another product.
 */
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { gemmGflops, operandOffsets, STEP_SHAPES } from "../../bench/blas_ceiling.ts";

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

Deno.test("blas_ceiling: GFLOP/s count 2 flops per term of every product of the batch", () => {
  const [cube, , , scores] = STEP_SHAPES;
  assertAlmostEquals(gemmGflops(cube, 1), 268.435456, 1e-9);
  // 256 products of 50 x 50 x 64 in 2 ms.
  assertAlmostEquals(gemmGflops(scores, 2), 2 * 256 * 50 * 50 * 64 / 2 / 1e6, 1e-9);
  assertAlmostEquals(gemmGflops(scores, 2), 40.96, 1e-9);
});

Deno.test("blas_ceiling: each product's A (m x k) and B (k x n) follow the one before", () => {
  const mixing = STEP_SHAPES.find((s) => s.label.startsWith("mixing"))!;
  const { offsetsA, offsetsB } = operandOffsets(mixing);
  assertEquals(offsetsA.length, 256);
  assertEquals([...offsetsA.slice(0, 3)], [0, 2500, 5000]); // 50 x 50
  assertEquals([...offsetsB.slice(0, 3)], [0, 3200, 6400]); // 50 x 64
  // m, n and k all different: A steps by m x k, B by k x n (neither by m x n, C's size).
  const shape = { label: "", batch: 3, m: 2, n: 3, k: 4, transA: false, transB: true };
  assertEquals(operandOffsets(shape), {
    offsetsA: Int32Array.from([0, 8, 16]),
    offsetsB: Int32Array.from([0, 12, 24]),
  });
  assertEquals(operandOffsets(STEP_SHAPES[0]), {
    offsetsA: Int32Array.from([0]),
    offsetsB: Int32Array.from([0]),
  });
});
