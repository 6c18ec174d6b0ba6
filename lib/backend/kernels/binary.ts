/**
 * Broadcasting `Add`, `Sub`, `Multiply` and `RealDiv` kernels for the `cpu` backend: one tight
 * loop per output row instead of an index computation per element.
 *
 * Why: with OpenBLAS doing the products, the cpu backend's generic broadcasting loops were 80% of
 * a SASRec step (about 15 ms per [256, 50, 64] multiply, 9.2 s per step). The wasm backend's own
 * SIMD kernels are already fast and stay.
 */
import type { tf } from "../tf.ts";
import { type HostBackendName, memoryFor } from "./_backend_memory.ts";

/** The element-wise operations this module implements. */
export type BinaryOp = "Add" | "Sub" | "Multiply" | "RealDiv";

/**
 * numpy-style broadcast of two shapes; throws naming both when they do not broadcast.
 *
 * @example
 * ```ts
 * broadcastShapes([256, 50, 64], [256, 50, 1]); // [256, 50, 64]
 * ```
 */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let d = 0; d < rank; d++) {
    const da = a[a.length - rank + d] ?? 1, db = b[b.length - rank + d] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`shapes [${a}] and [${b}] do not broadcast`);
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Per output dim, the operand's stride (0 where it broadcasts). */
function stridesIn(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d + rank - shape.length] = shape[d] === 1 ? 0 : stride;
    stride *= shape[d];
  }
  return strides;
}

/**
 * `out = a OP b` with broadcasting, row by row over the last output dim.
 *
 * @example
 * ```ts
 * const out = new Float32Array(4);
 * applyBinary("Add", new Float32Array([1, 2, 3, 4]), [2, 2], new Float32Array([10, 20]), [2], out, [2, 2]);
 * // out = [11, 22, 13, 24]
 * ```
 */
export function applyBinary(
  op: BinaryOp,
  a: Float32Array,
  aShape: readonly number[],
  b: Float32Array,
  bShape: readonly number[],
  out: Float32Array,
  outShape: readonly number[],
): void {
  const rank = outShape.length;
  if (rank === 0) {
    out[0] = combine(op, a[0], b[0]);
    return;
  }
  const sa = stridesIn(aShape, outShape), sb = stridesIn(bShape, outShape);
  const last = rank - 1;
  const width = outShape[last];
  const stepA = sa[last], stepB = sb[last];
  const rows = out.length / width;
  const index = new Array<number>(last).fill(0);
  let offsetA = 0, offsetB = 0;
  for (let r = 0, o = 0; r < rows; r++, o += width) {
    switch (op) {
      case "Add":
        for (let k = 0; k < width; k++) {
          out[o + k] = a[offsetA + k * stepA] + b[offsetB + k * stepB];
        }
        break;
      case "Sub":
        for (let k = 0; k < width; k++) {
          out[o + k] = a[offsetA + k * stepA] - b[offsetB + k * stepB];
        }
        break;
      case "Multiply":
        for (let k = 0; k < width; k++) {
          out[o + k] = a[offsetA + k * stepA] * b[offsetB + k * stepB];
        }
        break;
      case "RealDiv":
        for (let k = 0; k < width; k++) {
          out[o + k] = a[offsetA + k * stepA] / b[offsetB + k * stepB];
        }
        break;
    }
    // Advance the row index like an odometer, keeping both operands' offsets in step.
    for (let d = last - 1; d >= 0; d--) {
      offsetA += sa[d];
      offsetB += sb[d];
      if (++index[d] < outShape[d]) break;
      offsetA -= sa[d] * outShape[d];
      offsetB -= sb[d] * outShape[d];
      index[d] = 0;
    }
  }
}

function combine(op: BinaryOp, x: number, y: number): number {
  switch (op) {
    case "Add":
      return x + y;
    case "Sub":
      return x - y;
    case "Multiply":
      return x * y;
    case "RealDiv":
      return x / y;
  }
}

/**
 * The kernel factory for one operation (float32 operands; others go to the stock kernel).
 *
 * @example
 * ```ts
 * replaceKernel("Multiply", "cpu", (stock) => makeBinaryKernel("Multiply", "cpu", stock));
 * ```
 */
export function makeBinaryKernel(
  op: BinaryOp,
  backend: HostBackendName,
  stock: tf.KernelFunc,
): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (a.dtype !== "float32" || b.dtype !== "float32") return stock(args);
    const outShape = broadcastShapes(a.shape, b.shape);
    const memory = memoryFor(backend, args.backend);
    const out = memory.allocate(outShape, "float32");
    const values = out.values() as Float32Array;
    if (values.length > 0) {
      applyBinary(
        op,
        memory.read(a) as Float32Array,
        a.shape,
        memory.read(b) as Float32Array,
        b.shape,
        values,
        outShape,
      );
    }
    return out.info;
  };
}
