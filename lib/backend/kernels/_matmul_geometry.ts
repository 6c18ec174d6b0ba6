/**
 * The shape arithmetic of a batched matrix product: sizes, broadcast output shape and the start of
 * every operand matrix, so a BLAS loop can run on the tensors' own memory.
 */

/** Sizes and per-batch offsets of `op(A)[..., m, k] . op(B)[..., k, n]`. */
export interface MatMulGeometry {
  m: number;
  n: number;
  k: number;
  /** Broadcast batch dims followed by `[m, n]`. */
  outShape: number[];
  /** Element offset of each A_i, one per output batch entry. */
  offsetsA: Int32Array;
  /** Element offset of each B_i, one per output batch entry. */
  offsetsB: Int32Array;
}

function broadcastBatch(aBatch: number[], bBatch: number[], context: string): number[] {
  const rank = Math.max(aBatch.length, bBatch.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = aBatch[aBatch.length - rank + i] ?? 1;
    const db = bBatch[bBatch.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`${context}: batch dims [${aBatch}] and [${bBatch}] do not broadcast`);
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Offsets of an operand's matrices for every output batch index, honouring size-1 batch dims. */
function batchOffsets(operandBatch: number[], outBatch: number[], matrixSize: number): Int32Array {
  const count = outBatch.reduce((x, y) => x * y, 1);
  const offsets = new Int32Array(count);
  const shift = outBatch.length - operandBatch.length;
  // Stride (in matrices) of each output batch dim inside the operand; 0 where it broadcasts.
  const strides = new Array<number>(outBatch.length).fill(0);
  let stride = 1;
  for (let d = operandBatch.length - 1; d >= 0; d--) {
    strides[d + shift] = operandBatch[d] === 1 ? 0 : stride;
    stride *= operandBatch[d];
  }
  const index = new Array<number>(outBatch.length).fill(0);
  for (let i = 0; i < count; i++) {
    let matrix = 0;
    for (let d = 0; d < outBatch.length; d++) matrix += index[d] * strides[d];
    offsets[i] = matrix * matrixSize;
    for (let d = outBatch.length - 1; d >= 0; d--) {
      if (++index[d] < outBatch[d]) break;
      index[d] = 0;
    }
  }
  return offsets;
}

/**
 * Computes the geometry of `matMul(a, b, transposeA, transposeB)` for shapes of rank >= 2.
 *
 * @example
 * ```ts
 * const g = matMulGeometry([2, 3, 4], [1, 4, 5], false, false);
 * // g.outShape = [2, 3, 5]; g.offsetsA = [0, 12]; g.offsetsB = [0, 0]
 * ```
 */
export function matMulGeometry(
  aShape: readonly number[],
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): MatMulGeometry {
  const context = `matMul([${aShape}], [${bShape}], transposeA=${transposeA}, ` +
    `transposeB=${transposeB})`;
  if (aShape.length < 2 || bShape.length < 2) {
    throw new Error(`${context}: both operands need rank >= 2`);
  }
  const ra = aShape.length, rb = bShape.length;
  const m = transposeA ? aShape[ra - 1] : aShape[ra - 2];
  const kA = transposeA ? aShape[ra - 2] : aShape[ra - 1];
  const kB = transposeB ? bShape[rb - 1] : bShape[rb - 2];
  const n = transposeB ? bShape[rb - 2] : bShape[rb - 1];
  if (kA !== kB) throw new Error(`${context}: inner sizes ${kA} and ${kB} differ`);
  const aBatch = aShape.slice(0, -2), bBatch = bShape.slice(0, -2);
  const outBatch = broadcastBatch(aBatch, bBatch, context);
  return {
    m,
    n,
    k: kA,
    outShape: [...outBatch, m, n],
    offsetsA: batchOffsets(aBatch, outBatch, m * kA),
    offsetsB: batchOffsets(bBatch, outBatch, kA * n),
  };
}
