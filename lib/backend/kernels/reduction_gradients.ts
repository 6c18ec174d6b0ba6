/**
 * Gradients for `Mean` and `Sum` that broadcast `dy` with one broadcasting add instead of
 * multiplying it by a tensor of ones built in JS.
 *
 * Why: tfjs-core's `Mean` and `Sum` gradients build `ones(x.shape)` as a JS Float32Array on every
 * call (3.2 MB for a [256, 50, 64] layer-norm input), upload it and multiply; ten of those per
 * SASRec step added allocation and GC pressure. (`tf.broadcastTo` is no cure on wasm: its `Tile`
 * kernel took about 95 ms for that shape.) On `webgpu` each of those tensors is also an upload
 * through a mapped staging buffer, which stalls the thread that issues the kernels: registered there
 * too (2026-12-04), these gradients took a Beauty-shaped SASRec step on an NVIDIA H200 from about
 * 1.3 s to 315 ms (docs/gpu.md). Mathematically identical: d mean / dx = dy / n and d sum / dx =
 * dy, broadcast over the reduced axes.
 */
import { tf } from "../tf.ts";

/** `dy` reshaped to keep the reduced axes as size 1, then broadcast to `x`'s shape. */
function broadcastBack(dy: tf.Tensor, x: tf.Tensor, axis: unknown, scale: boolean): tf.Tensor {
  const rank = x.shape.length;
  const list = axis == null ? x.shape.map((_, d) => d) : typeof axis === "number" ? [axis] : axis;
  const axes = (list as number[]).map((a) => (a < 0 ? a + rank : a));
  const reducedCount = axes.reduce((n, a) => n * x.shape[a], 1);
  const expanded = tf.reshape(dy, x.shape.map((size, d) => (axes.includes(d) ? 1 : size)));
  const scaled = scale ? tf.div(expanded, reducedCount) : expanded;
  return tf.add(tf.zerosLike(x), scaled);
}

function gradientOf(scale: boolean): tf.GradConfig["gradFunc"] {
  return (dy, saved, attrs) => {
    const single = Array.isArray(dy) ? dy[0] : dy;
    return { x: () => broadcastBack(single, saved[0], attrs.axis, scale) };
  };
}

/**
 * Replaces tfjs-core's `Mean` and `Sum` gradients for every backend. Idempotent.
 *
 * @example
 * ```ts
 * registerReductionGradients();
 * tf.grad((x) => tf.mean(x, -1).sum())(tf.ones([2, 4])); // 0.25 everywhere
 * ```
 */
export function registerReductionGradients(): void {
  tf.registerGradient({ kernelName: "Mean", inputsToSave: ["x"], gradFunc: gradientOf(true) });
  tf.registerGradient({ kernelName: "Sum", inputsToSave: ["x"], gradFunc: gradientOf(false) });
}
