/**
 * A gradient for `Mean` that broadcasts `dy` instead of multiplying it by a materialised tensor
 * of ones.
 *
 * Why: tfjs-core's `Mean` gradient builds `ones(x.shape)` as a JS Float32Array on every call
 * (3.2 MB for a [256, 50, 64] layer-norm input), uploads it and multiplies; ten of those per
 * SASRec step added allocation and GC pressure. Mathematically identical: d mean / dx = dy / n.
 */
import { tf } from "../tf.ts";

function meanGradient(
  dyOrList: tf.Tensor | tf.Tensor[],
  saved: tf.Tensor[],
  attrs: tf.NamedAttrMap,
) {
  const dy = Array.isArray(dyOrList) ? dyOrList[0] : dyOrList;
  const [x] = saved;
  const axis = attrs.axis as number | number[] | null | undefined;
  const rank = x.shape.length;
  const axes = axis == null
    ? x.shape.map((_, d) => d)
    : (typeof axis === "number" ? [axis] : axis).map((a) => (a < 0 ? a + rank : a));
  const reducedCount = axes.reduce((n, a) => n * x.shape[a], 1);
  const expanded = x.shape.map((size, d) => (axes.includes(d) ? 1 : size));
  return {
    x: () => tf.broadcastTo(tf.div(tf.reshape(dy, expanded), reducedCount), x.shape),
  };
}

/**
 * Replaces tfjs-core's `Mean` gradient for every backend. Idempotent.
 *
 * @example
 * ```ts
 * registerMeanGradient();
 * tf.grad((x) => tf.mean(x, -1).sum())(tf.ones([2, 4])); // 0.25 everywhere
 * ```
 */
export function registerMeanGradient(): void {
  tf.registerGradient({ kernelName: "Mean", inputsToSave: ["x"], gradFunc: meanGradient });
}
