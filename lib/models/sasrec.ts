/**
 * SASRec (Kang & McAuley 2018): learned positional embeddings + pre-norm causal self-attention
 * blocks (multi-head attention, position-wise feed-forward, residuals, dropout) + a final layer norm.
 * Positional rows are aligned to the END of the sequence (left padding), so the last position always
 * uses row maxLength-1 whatever the batch length. Keys at padding positions are masked; padding
 * outputs are zeroed.
 *
 * @example
 * ```ts
 * const sasrec = new SasRec({ ...DEFAULT_SASREC_CONFIG }, 64, 50, store);
 * const h = sasrec.userStates(fused, valid, false, 0); // [batch, position, dim]
 * ```
 */
import { tf } from "../backend/tf.ts";
import type { Backbone } from "./backbone.ts";
import { ParameterStore } from "./parameter_store.ts";
import { dense, dropout, layerNorm } from "./_layers.ts";

/** Configuration of {@linkcode SasRec}. */
export interface SasRecConfig {
  /** Transformer blocks. Default 2. */
  blocks: number;
  /** Attention heads (must divide dim). Default 1. */
  heads: number;
  /** Dropout rate on embeddings, attention output and feed-forward output. Default 0.2. */
  dropout: number;
  /** Hidden width of the feed-forward layer. Default: dim. */
  feedForwardDim?: number;
}

/** Defaults of {@linkcode SasRecConfig}. */
export const DEFAULT_SASREC_CONFIG: SasRecConfig = { blocks: 2, heads: 1, dropout: 0.2 };

const MASKED_LOGIT = -1e9;

export class SasRec implements Backbone {
  readonly config: SasRecConfig;
  readonly #store: ParameterStore;
  readonly #dim: number;
  readonly #maxLength: number;

  constructor(config: SasRecConfig, dim: number, maxLength: number, store: ParameterStore) {
    if (dim % config.heads !== 0) {
      throw new Error(`SasRecConfig.heads=${config.heads} must divide dim=${dim}`);
    }
    this.config = config;
    this.#store = store;
    this.#dim = dim;
    this.#maxLength = maxLength;
    const hidden = config.feedForwardDim ?? dim;
    store.normal("sasrec/positions", [maxLength, dim], 1 / Math.sqrt(dim));
    for (let b = 0; b < config.blocks; b++) {
      const p = `sasrec/block${b}`;
      for (const part of ["attention_norm", "feed_forward_norm"]) {
        store.constant(`${p}/${part}_gain`, [dim], 1);
        store.constant(`${p}/${part}_bias`, [dim], 0);
      }
      for (const part of ["query", "key", "value", "output"]) {
        store.glorot(`${p}/${part}_kernel`, [dim, dim]);
        store.constant(`${p}/${part}_bias`, [dim], 0);
      }
      store.glorot(`${p}/hidden_kernel`, [dim, hidden]);
      store.constant(`${p}/hidden_bias`, [hidden], 0);
      store.glorot(`${p}/out_kernel`, [hidden, dim]);
      store.constant(`${p}/out_bias`, [dim], 0);
    }
    store.constant("sasrec/final_norm_gain", [dim], 1);
    store.constant("sasrec/final_norm_bias", [dim], 0);
  }

  userStates(fused: tf.Tensor3D, valid: tf.Tensor2D, training: boolean, seed: number): tf.Tensor3D {
    const [, length] = fused.shape;
    if (length > this.#maxLength) {
      throw new Error(`SasRec: sequence length ${length} exceeds maxLength ${this.#maxLength}`);
    }
    return tf.tidy(() => {
      const keep = tf.expandDims(valid, -1); // [batch, position, 1]
      const positions = tf.slice(this.#param("sasrec/positions"), [this.#maxLength - length, 0], [
        length,
        this.#dim,
      ]);
      let x: tf.Tensor = tf.mul(
        dropout(tf.add(fused, positions), this.config.dropout, training, seed),
        keep,
      );
      const bias = attentionBias(valid); // [batch, 1, query, key]
      for (let b = 0; b < this.config.blocks; b++) {
        x = this.block(x, keep, bias, b, training, seed + 1 + 2 * b);
      }
      return tf.mul(
        layerNorm(x, this.#param("sasrec/final_norm_gain"), this.#param("sasrec/final_norm_bias")),
        keep,
      ) as tf.Tensor3D;
    });
  }

  /**
   * One pre-norm block: x + Dropout(MHA(LN(x))), then + Dropout(FFN(LN(.))); padding rows zeroed.
   * x [batch, position, dim], keep [batch, position, 1], bias [batch, 1, position, position].
   */
  block(
    x: tf.Tensor,
    keep: tf.Tensor,
    bias: tf.Tensor,
    index: number,
    training: boolean,
    seed: number,
  ): tf.Tensor {
    const p = `sasrec/block${index}`;
    const rate = this.config.dropout;
    const normed = layerNorm(
      x,
      this.#param(`${p}/attention_norm_gain`),
      this.#param(`${p}/attention_norm_bias`),
    );
    const attended = this.#attention(normed, bias, p);
    let y = tf.mul(tf.add(x, dropout(attended, rate, training, seed)), keep);
    const normed2 = layerNorm(
      y,
      this.#param(`${p}/feed_forward_norm_gain`),
      this.#param(`${p}/feed_forward_norm_bias`),
    );
    const hidden = tf.relu(
      dense(normed2, this.#kernel(`${p}/hidden_kernel`), this.#param(`${p}/hidden_bias`)),
    );
    const out = dense(hidden, this.#kernel(`${p}/out_kernel`), this.#param(`${p}/out_bias`));
    y = tf.mul(tf.add(y, dropout(out, rate, training, seed + 1)), keep);
    return y;
  }

  #attention(x: tf.Tensor, bias: tf.Tensor, p: string): tf.Tensor {
    const [batch, length] = x.shape;
    const heads = this.config.heads;
    const headDim = this.#dim / heads;
    const split = (name: string) =>
      tf.transpose(
        tf.reshape(
          dense(x, this.#kernel(`${p}/${name}_kernel`), this.#param(`${p}/${name}_bias`)),
          [
            batch,
            length,
            heads,
            headDim,
          ],
        ),
        [0, 2, 1, 3],
      ); // [batch, head, position, headDim]
    const query = split("query");
    const key = split("key");
    const value = split("value");
    const logits = tf.add(tf.div(tf.matMul(query, key, false, true), Math.sqrt(headDim)), bias);
    const mixed = tf.matMul(tf.softmax(logits), value); // [batch, head, position, headDim]
    const merged = tf.reshape(tf.transpose(mixed, [0, 2, 1, 3]), [batch, length, this.#dim]);
    return dense(merged, this.#kernel(`${p}/output_kernel`), this.#param(`${p}/output_bias`));
  }

  #param(name: string): tf.Tensor1D {
    return this.#store.get(name) as tf.Tensor1D;
  }

  #kernel(name: string): tf.Tensor2D {
    return this.#store.get(name) as tf.Tensor2D;
  }
}

/**
 * Additive attention bias [batch, 1, query, key]: 0 where key <= query and the key is a real item,
 * -1e9 elsewhere. A query with no allowed key (left padding) gets a uniform mix; its output is zeroed.
 */
function attentionBias(valid: tf.Tensor2D): tf.Tensor {
  const length = valid.shape[1];
  const causal = tf.linalg.bandPart(tf.ones([length, length]), -1, 0); // [query, key], lower triangle
  const allowed = tf.mul(causal, tf.expandDims(tf.expandDims(valid, 1), 1)); // [batch, 1, query, key]
  return tf.mul(tf.sub(1, allowed), MASKED_LOGIT);
}
