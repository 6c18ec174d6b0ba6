/**
 * The differentiable building blocks that encoders, backbones and benchmarks share: one
 * implementation of each, so the model `trainModel` trains is the model the benchmarks time.
 * - {@linkcode dense}: an affine map over the last axis (BLAS matrix product on wasm/cpu);
 * - {@linkcode layerNorm}: the fused kernel of lib/backend/kernels/layer_norm.ts (one forward and
 *   one backward pass instead of about 9 + 25 tf ops; composite ops on other backends);
 * - {@linkcode dropout}: the seeded mulberry32 mask of lib/backend/kernels/dropout.ts, its seed
 *   hashed from (step seed, layer) so masks are independent across layers and steps.
 */
import { tf } from "../backend/tf.ts";
import type { Tensor, Tensor1D, Tensor2D } from "../backend/tf.ts";
import { layerNorm as fusedLayerNorm } from "../backend/kernels/layer_norm.ts";
import { seededDropout } from "../backend/kernels/dropout.ts";
import { hashSeeds } from "../util/random.ts";
import { checkNumber } from "../util/settings.ts";

/** Affine map over the last axis: x [..., in] @ kernel [in, out] + bias [out] -> [..., out]. */
export function dense(x: Tensor, kernel: Tensor2D, bias?: Tensor1D): Tensor {
  const inDim = kernel.shape[0];
  // Named here: tfjs's own message names neither the layer's input width nor the kernel's.
  if (x.shape[x.shape.length - 1] !== inDim) {
    throw new Error(
      `dense: input of width ${x.shape[x.shape.length - 1]} (shape [${x.shape}]) against a ` +
        `kernel of ${inDim} input rows (shape [${kernel.shape}]): the widths must be equal`,
    );
  }
  const outShape = [...x.shape.slice(0, -1), kernel.shape[1]];
  let y: Tensor = tf.matMul(tf.reshape(x, [-1, inDim]), kernel);
  if (bias !== undefined) y = tf.add(y, bias);
  return tf.reshape(y, outShape);
}

/**
 * Layer normalisation over the last axis with gain and bias [dim] (epsilon 1e-6), as the fused
 * kernel where registered. A constant row (variance 0) comes out as the bias: epsilon keeps its
 * 1 / sqrt(var + epsilon) finite, so `epsilon` must be a finite number > 0 (a `SettingError`
 * otherwise: 0 made such a row NaN, and a negative one scaled every row up silently).
 *
 * @example
 * ```ts
 * const y = layerNorm(tf.tensor2d([[1, 3]]), tf.ones([2]), tf.zeros([2])); // [[-1, 1]] (about)
 * ```
 */
export function layerNorm(
  x: Tensor,
  gain: Tensor1D,
  bias: Tensor1D,
  epsilon = 1e-6,
): Tensor {
  checkNumber("layerNorm.epsilon", epsilon, { above: 0 });
  return fusedLayerNorm(x, gain, bias, epsilon);
}

/**
 * The seed of dropout layer `layer` (0, 1, 2, ... within one model) at the step whose seed is
 * `stepSeed`: a hash, so layer k at step t and layer k-1 at step t+1 draw unrelated masks.
 *
 * @example
 * ```ts
 * dropoutSeed(hashSeeds(0, 12), 3) !== dropoutSeed(hashSeeds(0, 13), 2); // true
 * ```
 */
export function dropoutSeed(stepSeed: number, layer: number): number {
  return hashSeeds(stepSeed, layer);
}

/**
 * Inverted dropout of layer `layer`; identity when not training or rate is 0. The mask is drawn
 * from {@linkcode dropoutSeed}(stepSeed, layer), so it is reproducible and independent per layer
 * and step. A rate outside [0, 1) is a `SettingError`, in training or not.
 *
 * @example
 * ```ts
 * const y = dropout(x, 0.2, true, stepSeed, 0); // same mask for the same (stepSeed, layer)
 * ```
 */
export function dropout(
  x: Tensor,
  rate: number,
  training: boolean,
  stepSeed: number,
  layer: number,
): Tensor {
  // Checked before the early return: a negative rate was the identity, a silent no-op.
  checkNumber("dropout rate", rate, { min: 0, below: 1 });
  if (!training || rate === 0) return x;
  return seededDropout(x, rate, dropoutSeed(stepSeed, layer));
}
