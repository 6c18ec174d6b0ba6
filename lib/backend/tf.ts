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
export type Tensor = tf.Tensor;
export type Rank = tf.Rank;
