/**
 * The bias-and-activation tail of `_FusedMatMul`, applied in place on the product's memory.
 * Matches tfjs's `applyActivation` (tfjs-backend-cpu/src/utils/fused_utils.ts).
 */

/** Activations that `tf.fused.matMul` can ask for. */
export type FusedActivation =
  | "linear"
  | "relu"
  | "relu6"
  | "elu"
  | "leakyrelu"
  | "prelu"
  | "sigmoid";

const KNOWN_ACTIVATIONS: readonly string[] = [
  "linear",
  "relu",
  "relu6",
  "elu",
  "leakyrelu",
  "prelu",
  "sigmoid",
];

/** Tells whether `name` is an activation this epilogue implements. */
export function isFusedActivation(name: string): name is FusedActivation {
  return KNOWN_ACTIVATIONS.includes(name);
}

/** A tensor's values with its shape, read from backend memory. */
export interface ShapedValues {
  values: Float32Array;
  shape: readonly number[];
}

/**
 * Maps each flat index of `outShape` to the flat index of `operand` under numpy broadcasting.
 * Returns a function because the two common cases (scalar, trailing vector) need no table.
 */
function broadcastIndexer(operand: readonly number[], outShape: readonly number[]) {
  const size = operand.reduce((x, y) => x * y, 1);
  const outRank = outShape.length;
  if (operand.length > outRank) {
    throw new Error(`fused matMul: operand [${operand}] has higher rank than output [${outShape}]`);
  }
  for (let d = 1; d <= operand.length; d++) {
    const od = operand[operand.length - d], td = outShape[outRank - d];
    if (od !== 1 && od !== td) {
      throw new Error(`fused matMul: operand [${operand}] does not broadcast to [${outShape}]`);
    }
  }
  if (size === 1) return (_i: number) => 0;
  const last = outShape[outRank - 1];
  if (size === last && operand[operand.length - 1] === last) return (i: number) => i % last;
  const outSize = outShape.reduce((x, y) => x * y, 1);
  if (size === outSize) return (i: number) => i;
  const strides = new Array<number>(outRank).fill(0);
  let stride = 1;
  for (let d = operand.length - 1; d >= 0; d--) {
    const outDim = d + outRank - operand.length;
    strides[outDim] = operand[d] === 1 ? 0 : stride;
    stride *= operand[d];
  }
  return (i: number) => {
    let index = 0;
    for (let d = outRank - 1; d >= 0; d--) {
      const dim = outShape[d];
      index += (i % dim) * strides[d];
      i = Math.floor(i / dim);
    }
    return index;
  };
}

/**
 * Adds `bias` (broadcast) and applies `activation` to `out` ([...batch, m, n]) in place.
 *
 * @example
 * ```ts
 * const out = new Float32Array([-1, 2]);
 * applyFusedEpilogue(out, [1, 1, 2], { values: new Float32Array([1, 1]), shape: [2] }, "relu");
 * // out = [0, 3]
 * ```
 */
export function applyFusedEpilogue(
  out: Float32Array,
  outShape: readonly number[],
  bias: ShapedValues | undefined,
  activation: FusedActivation,
  preluWeights?: ShapedValues,
  leakyreluAlpha = 0.2,
): void {
  const size = out.length;
  if (bias !== undefined) {
    const b = bias.values;
    const last = outShape[outShape.length - 1];
    if (b.length === last && bias.shape[bias.shape.length - 1] === last) {
      for (let row = 0; row < size; row += last) {
        for (let j = 0; j < last; j++) out[row + j] += b[j];
      }
    } else {
      const index = broadcastIndexer(bias.shape, outShape);
      for (let i = 0; i < size; i++) out[i] += b[index(i)];
    }
  }
  switch (activation) {
    case "linear":
      return;
    case "relu":
      for (let i = 0; i < size; i++) if (out[i] < 0) out[i] = 0;
      return;
    case "relu6":
      for (let i = 0; i < size; i++) out[i] = Math.min(Math.max(out[i], 0), 6);
      return;
    case "elu":
      for (let i = 0; i < size; i++) if (out[i] < 0) out[i] = Math.exp(out[i]) - 1;
      return;
    case "leakyrelu":
      for (let i = 0; i < size; i++) if (out[i] < 0) out[i] *= leakyreluAlpha;
      return;
    case "sigmoid":
      for (let i = 0; i < size; i++) out[i] = 1 / (1 + Math.exp(-out[i]));
      return;
    case "prelu": {
      if (preluWeights === undefined) throw new Error("fused matMul: prelu needs its weights");
      const index = broadcastIndexer(preluWeights.shape, outShape);
      const w = preluWeights.values;
      for (let i = 0; i < size; i++) if (out[i] < 0) out[i] *= w[index(i)];
      return;
    }
  }
}
