/**
 * Masked fusion of modality embeddings into one item vector per position:
 *   v = sum_m a_m * w_m * p_m * e_m / max(1, sum_m w_m * p_m)
 * where w [.., modality] in {0,1} or [0,1] is THE denoising hook, p is the presence mask, and a_m
 * is 1 (`mean`, default), or a learned content gate sigmoid(e_m . u + b) (`gated`). `sum` drops the
 * denominator. With the max(1, .) denominator a soft weight w_m < 1 on a single modality scales
 * its vector down (instead of being renormalised away), so the output moves continuously as w -> 0;
 * a position whose modalities are all masked fuses to the zero vector.
 * An optional projection (dense d->d) and layer norm follow.
 *
 * @example
 * ```ts
 * const fusion = new ModalityFusion({ kind: "mean" }, 64, store);
 * const v = fusion.apply(e, w, presence); // [batch, position, modality, dim] -> [batch, position, dim]
 * ```
 */
import { tf } from "../backend/tf.ts";
import type { Tensor } from "../backend/tf.ts";
import { ParameterStore } from "../nn/parameter_store.ts";
import { dense, layerNorm } from "../nn/layers.ts";

/** How the masked modality vectors are combined. */
export type FusionKind = "mean" | "sum" | "gated";

/** Configuration of {@linkcode ModalityFusion}. */
export interface FusionConfig {
  /** Default "mean" (masked weighted mean). */
  kind: FusionKind;
  /** Dense d->d after combining. Default false. */
  projection?: boolean;
  /** Layer norm after combining (and projecting). Default false: the encoders already normalise. */
  layerNorm?: boolean;
}

/** Defaults of {@linkcode FusionConfig}. */
export const DEFAULT_FUSION_CONFIG: FusionConfig = {
  kind: "mean",
  projection: false,
  layerNorm: false,
};

/**
 * Masked fusion of the modality embeddings of each history item into one vector (see
 * {@linkcode FusionKind}); its parameters (gate, projection, norm) live in the model's store.
 */
export class ModalityFusion {
  /** The fusion's configuration. */
  readonly config: FusionConfig;
  readonly #store: ParameterStore;

  /** Creates the fusion's parameters (if any) in `store`; `dim` is the embedding width. */
  constructor(config: FusionConfig, dim: number, store: ParameterStore) {
    this.config = config;
    this.#store = store;
    if (config.kind === "gated") {
      store.normal("fusion/gate_kernel", [dim, 1], 1 / Math.sqrt(dim));
      store.constant("fusion/gate_bias", [1], 0);
    }
    if (config.projection) {
      store.glorot("fusion/projection_kernel", [dim, dim]);
      store.constant("fusion/projection_bias", [dim], 0);
    }
    if (config.layerNorm) {
      store.constant("fusion/norm_gain", [dim], 1);
      store.constant("fusion/norm_bias", [dim], 0);
    }
  }

  /**
   * Fuses `embeddings` [..., modality, dim] with `weights` and `presence` [..., modality]
   * into [..., dim].
   */
  apply(embeddings: Tensor, weights: Tensor, presence: Tensor): Tensor {
    return tf.tidy(() => {
      const mask = tf.mul(weights, presence); // [..., modality]
      let coefficients: tf.Tensor = mask;
      if (this.config.kind === "gated") {
        const gate = tf.sigmoid(
          dense(
            embeddings,
            this.#store.get("fusion/gate_kernel") as tf.Tensor2D,
            this.#store.get("fusion/gate_bias") as tf.Tensor1D,
          ),
        ); // [..., modality, 1]
        coefficients = tf.mul(mask, tf.squeeze(gate, [-1]));
      }
      let fused: tf.Tensor = tf.sum(tf.mul(embeddings, tf.expandDims(coefficients, -1)), -2);
      if (this.config.kind !== "sum") {
        fused = tf.div(fused, tf.maximum(tf.sum(mask, -1, true), 1));
      }
      if (this.config.projection) {
        fused = dense(
          fused,
          this.#store.get("fusion/projection_kernel") as tf.Tensor2D,
          this.#store.get("fusion/projection_bias") as tf.Tensor1D,
        );
      }
      if (this.config.layerNorm) {
        fused = layerNorm(
          fused,
          this.#store.get("fusion/norm_gain") as tf.Tensor1D,
          this.#store.get("fusion/norm_bias") as tf.Tensor1D,
        );
      }
      return fused;
    });
  }
}
