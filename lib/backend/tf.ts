/**
 * The one tfjs namespace of the workspace. Every module imports `tf` from here so that a single
 * copy of tfjs-core (and its global engine) is shared by the library, danfo and the notebooks.
 *
 * @example
 * ```ts
 * import { tf } from "./tf.ts";
 * const x = tf.tensor2d([[1, 2], [3, 4]]); // [row, column]
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

export { tf };

// Tensor types under their own names, documented, so that public signatures can name them without
// exposing the whole tfjs namespace (the root `mod.ts` exports these types, not `tf`).

/** A tfjs tensor of any rank; shapes are named in the doc comment of each function that takes one. */
export type Tensor = tf.Tensor;
/** The rank of a tfjs tensor (`"R0"` ... `"R6"`). */
export type Rank = tf.Rank;
/** A rank-0 tfjs tensor (a loss, a count). */
export type Scalar = tf.Scalar;
/** A rank-1 tfjs tensor, e.g. `[batch]`. */
export type Tensor1D = tf.Tensor1D;
/** A rank-2 tfjs tensor, e.g. `[batch, dim]` or `[items, dim]`. */
export type Tensor2D = tf.Tensor2D;
/** A rank-3 tfjs tensor, e.g. `[batch, position, dim]` or `[batch, position, modality]`. */
export type Tensor3D = tf.Tensor3D;
/** A rank-4 tfjs tensor, e.g. `[batch, position, modality, dim]`. */
export type Tensor4D = tf.Tensor4D;
/** A trainable tfjs variable (a model parameter). */
export type Variable = tf.Variable;
