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
import {
  type DenseParameters,
  type NormParameters,
  ParameterStore,
} from "../nn/parameter_store.ts";
import { dense, layerNorm } from "../nn/layers.ts";
import {
  checkBoolean,
  checkOneOf,
  checkSettingNames,
  type SettingNames,
} from "../util/settings.ts";

/** Configuration of {@linkcode ModalityFusion}. */
export interface FusionConfig {
  /** How the masked modality vectors are combined. Default "mean" (masked weighted mean). */
  kind: "mean" | "sum" | "gated";
  /** Dense d->d after combining. Default false. */
  projection?: boolean;
  /** Layer norm after combining (and projecting). Default false: the encoders already normalise. */
  layerNorm?: boolean;
}

/** Every setting of {@linkcode FusionConfig}, the optional ones included. */
export const FUSION_CONFIG_SETTINGS: SettingNames<FusionConfig> = Object.freeze({
  kind: true,
  projection: true,
  layerNorm: true,
});

/** How the masked modality vectors are combined: {@linkcode FusionConfig.kind}. */
export type FusionKind = FusionConfig["kind"];

/** Every {@linkcode FusionKind}. */
export const FUSION_KINDS: readonly FusionKind[] = ["mean", "sum", "gated"];

/** Defaults of {@linkcode FusionConfig}. */
export const DEFAULT_FUSION_CONFIG: FusionConfig = Object.freeze({
  kind: "mean",
  projection: false,
  layerNorm: false,
});

/**
 * Throws a `SettingError` (setting, value, allowed range) for the first field of `config` out of
 * range; `where` names the config in the message (`ModelConfig.fusion` for a model's). An unknown
 * kind fused as the mean, and the flags are read as truthy (a string "false" added the layer).
 */
export function validateFusionConfig(config: FusionConfig, where = "FusionConfig"): void {
  checkOneOf(`${where}.kind`, config.kind, FUSION_KINDS);
  if (config.projection !== undefined) checkBoolean(`${where}.projection`, config.projection);
  if (config.layerNorm !== undefined) checkBoolean(`${where}.layerNorm`, config.layerNorm);
}

/**
 * max(count, 1), with the derivative of the branch the masking direction takes. tf.maximum sends
 * the gradient to `count` at the tie count = 1 (a lone present modality at full weight), where the
 * renormalisation then cancels dL/dw to exactly 0; lowering w moves onto the constant branch, so
 * the derivative here is 1 only where count > 1. (A `tf.where` on `tf.greater` cannot be
 * differentiated in tfjs: Greater has no gradient.) The value is tf.maximum's, bit for bit.
 */
function atLeastOne(count: Tensor): Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as Tensor;
    const save = args[1] as tf.GradSaveFunc;
    save([input]);
    return {
      value: tf.maximum(input, 1),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        tf.mul(dy, tf.cast(tf.greater(saved[0], 1), dy.dtype)),
      ],
    };
  });
  return op(count);
}

/**
 * Masked fusion of the modality embeddings of each history item into one vector (see
 * {@linkcode FusionKind}); its parameters (gate, projection, norm) live in the model's store.
 */
export class ModalityFusion {
  /** The fusion's configuration. */
  readonly config: FusionConfig;
  /**
   * Handles to the fusion's parameters in the model's store, present as the config asks
   * (checkpoint names `fusion/gate_<kernel|bias>`, `fusion/projection_<kernel|bias>`,
   * `fusion/norm_<gain|bias>`).
   */
  readonly parameters: {
    /** Gate `[dim, 1]` (N(0, 1/dim)) and its bias, for `kind: "gated"`. */
    readonly gate?: DenseParameters;
    /** Projection `[dim, dim]`, with `projection: true`. */
    readonly projection?: DenseParameters;
    /** Layer norm, with `layerNorm: true`. */
    readonly norm?: NormParameters;
  };

  /**
   * Creates the fusion's parameters (if any) in `store`; `dim` is the embedding width. A setting
   * that is unknown or out of range is a `SettingError`, before any parameter is made.
   */
  constructor(config: FusionConfig, dim: number, store: ParameterStore) {
    checkSettingNames("FusionConfig", config, FUSION_CONFIG_SETTINGS);
    validateFusionConfig(config);
    this.config = config;
    // Creation order is the store's (checkpoint and Adam) order and its random draws: keep it.
    const gate = config.kind === "gated"
      ? {
        kernel: store.normalMatrix("fusion/gate_kernel", [dim, 1], 1 / Math.sqrt(dim)),
        bias: store.constantVector("fusion/gate_bias", 1, 0),
      }
      : undefined;
    const projection = config.projection ? store.dense("fusion/projection", [dim, dim]) : undefined;
    const norm = config.layerNorm ? store.layerNorm("fusion/norm", dim) : undefined;
    this.parameters = { gate, projection, norm };
  }

  /**
   * Fuses `embeddings` [..., modality, dim] with `weights` and `presence` [..., modality]
   * into [..., dim].
   */
  apply(embeddings: Tensor, weights: Tensor, presence: Tensor): Tensor {
    return tf.tidy(() => {
      const mask = tf.mul(weights, presence); // [..., modality]
      let coefficients: tf.Tensor = mask;
      const { gate: gateLayer, projection, norm } = this.parameters;
      if (gateLayer) {
        const gate = tf.sigmoid(dense(embeddings, gateLayer.kernel, gateLayer.bias)); // [..., modality, 1]
        coefficients = tf.mul(mask, tf.squeeze(gate, [-1]));
      }
      let fused: tf.Tensor = tf.sum(tf.mul(embeddings, tf.expandDims(coefficients, -1)), -2);
      if (this.config.kind !== "sum") {
        fused = tf.div(fused, atLeastOne(tf.sum(mask, -1, true)));
      }
      if (projection) fused = dense(fused, projection.kernel, projection.bias);
      if (norm) fused = layerNorm(fused, norm.gain, norm.bias);
      return fused;
    });
  }
}
