/**
 * SASRec (Kang & McAuley 2018): learned positional embeddings + pre-norm causal self-attention
 * blocks (multi-head attention, position-wise feed-forward, residuals, dropout) + a final layer norm.
 * Positional rows are aligned to the END of the sequence (left padding), so the last position always
 * uses row maxLength-1 whatever the batch length. Keys at padding positions are masked; padding
 * outputs are zeroed. The position-wise layers run on the real positions only, packed as rows
 * (lib/nn/packed_rows.ts); attention unpacks them into the [batch, window] grid.
 *
 * @example
 * ```ts
 * const sasrec = new SasRec({ ...DEFAULT_SASREC_CONFIG }, 64, 50, store);
 * const h = sasrec.userStates(fused, valid, false, 0); // [batch, position, dim]
 * ```
 */
import { tf } from "../backend/tf.ts";
import { type Backbone, checkSequenceLength } from "./backbone.ts";
import type { SettingNames } from "../util/settings.ts";
import {
  type DenseParameters,
  type NormParameters,
  ParameterStore,
  type Variable2D,
} from "../nn/parameter_store.ts";
import { dense, dropout, layerNorm } from "../nn/layers.ts";
import {
  type PackedRows,
  packRows,
  type Unpacking,
  unpackingOf,
  unpackRows,
} from "../nn/packed_rows.ts";

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

/** Every setting of {@linkcode SasRecConfig}, the optional ones included. */
export const SASREC_CONFIG_SETTINGS: SettingNames<SasRecConfig> = Object.freeze({
  blocks: true,
  heads: true,
  dropout: true,
  feedForwardDim: true,
});

/** Defaults of {@linkcode SasRecConfig}. */
export const DEFAULT_SASREC_CONFIG: SasRecConfig = Object.freeze({
  blocks: 2,
  heads: 1,
  dropout: 0.2,
});

const MASKED_LOGIT = -1e9;

/** The padded attention layout of one packed batch (tensors live in the caller's tidy). */
export interface PackedAttention {
  /** [batch, window]: the attention grid (leading all-padding columns cut). */
  shape: [number, number];
  /** Puts packed rows into the [batch * window] grid. */
  unpack: Unpacking;
  /** int32 [real positions]: flat index in the [batch * window] grid of each packed row. */
  rows: tf.Tensor1D;
  /** Additive attention bias [batch, 1, window, window]. */
  bias: tf.Tensor;
}

/**
 * The parameters of one block, as typed handles. Checkpoint names (the format; unchanged):
 * `sasrec/block<i>/<attention_norm|feed_forward_norm>_<gain|bias>` and
 * `sasrec/block<i>/<query|key|value|output|hidden|out>_<kernel|bias>`.
 */
export interface SasRecBlockParameters {
  /** Layer norm before attention. */
  readonly attentionNorm: NormParameters;
  /** Layer norm before the feed-forward layer. */
  readonly feedForwardNorm: NormParameters;
  /** Query projection `[dim, dim]`. */
  readonly query: DenseParameters;
  /** Key projection `[dim, dim]`. */
  readonly key: DenseParameters;
  /** Value projection `[dim, dim]`. */
  readonly value: DenseParameters;
  /** Attention output projection `[dim, dim]`. */
  readonly output: DenseParameters;
  /** Feed-forward expansion `[dim, hidden]`. */
  readonly hidden: DenseParameters;
  /** Feed-forward projection back `[hidden, dim]`. */
  readonly out: DenseParameters;
}

/** SASRec's parameters: `sasrec/positions`, the blocks, `sasrec/final_norm_<gain|bias>`. */
export interface SasRecParameters {
  /** Learned positional rows `[maxLength, dim]`, aligned to the end of the sequence. */
  readonly positions: Variable2D;
  /** One entry per block. */
  readonly blocks: readonly SasRecBlockParameters[];
  /** The final layer norm. */
  readonly finalNorm: NormParameters;
}

/** The SASRec backbone (see the module documentation); parameters in the model's store. */
export class SasRec implements Backbone {
  /** The backbone's configuration. */
  readonly config: SasRecConfig;
  /** The parameters (they live in the model's store; these are handles to them). */
  readonly parameters: SasRecParameters;
  readonly #dim: number;
  readonly #maxLength: number;

  /** Creates the parameters in `store`; `heads` must divide `dim`. */
  constructor(config: SasRecConfig, dim: number, maxLength: number, store: ParameterStore) {
    if (dim % config.heads !== 0) {
      throw new Error(`SasRecConfig.heads=${config.heads} must divide dim=${dim}`);
    }
    this.config = config;
    this.#dim = dim;
    this.#maxLength = maxLength;
    const hidden = config.feedForwardDim ?? dim;
    // Creation order is the store's (checkpoint and Adam) order and its random draws: keep it.
    const positions = store.normalMatrix("sasrec/positions", [maxLength, dim], 1 / Math.sqrt(dim));
    const blocks: SasRecBlockParameters[] = [];
    for (let b = 0; b < config.blocks; b++) {
      const p = `sasrec/block${b}`;
      const attentionNorm = store.layerNorm(`${p}/attention_norm`, dim);
      const feedForwardNorm = store.layerNorm(`${p}/feed_forward_norm`, dim);
      const query = store.dense(`${p}/query`, [dim, dim]);
      const key = store.dense(`${p}/key`, [dim, dim]);
      const value = store.dense(`${p}/value`, [dim, dim]);
      const output = store.dense(`${p}/output`, [dim, dim]);
      blocks.push({
        attentionNorm,
        feedForwardNorm,
        query,
        key,
        value,
        output,
        hidden: store.dense(`${p}/hidden`, [dim, hidden]),
        out: store.dense(`${p}/out`, [hidden, dim]),
      });
    }
    const finalNorm = store.layerNorm("sasrec/final_norm", dim);
    this.parameters = { positions, blocks, finalNorm };
  }

  userStates(
    fused: tf.Tensor3D,
    valid: tf.Tensor2D,
    training: boolean,
    seed: number,
    packing?: PackedRows,
  ): tf.Tensor3D {
    const [batch, length] = fused.shape;
    const layout = this.#layout(fused, valid, packing);
    const dim = this.#dim;
    if (layout.rows.length === 0) return tf.zeros([batch, length, dim]);
    return tf.tidy(() => {
      const { x: input, packed } = this.#packedInput(fused, valid, layout, training, seed);
      let x = input;
      for (let b = 0; b < this.config.blocks; b++) {
        x = this.block(x, packed, b, training, seed);
      }
      const { gain, bias } = this.parameters.finalNorm;
      const normed = layerNorm(x, gain, bias);
      return unpackRows(normed, unpackingOf(layout.slots), [
        batch,
        length,
        dim,
      ]) as tf.Tensor3D;
    });
  }

  /**
   * The state at the last position only, [batch, dim]: equal to the last row of
   * {@linkcode userStates} (dropout masks aside), cheaper because the last block runs its query,
   * output and feed-forward layers on one row per sequence (keys and values still read every
   * position). Every sequence must hold at least one real item (left padding: the last column is
   * then real); otherwise this falls back to {@linkcode userStates}.
   */
  lastStates(
    fused: tf.Tensor3D,
    valid: tf.Tensor2D,
    training: boolean,
    seed: number,
    packing?: PackedRows,
  ): tf.Tensor2D {
    const [batch, length] = fused.shape;
    const layout = this.#layout(fused, valid, packing);
    const dim = this.#dim;
    const lastRows = new Int32Array(batch);
    let complete = true;
    for (let b = 0; b < batch; b++) {
      const slot = layout.slots[b * length + length - 1];
      if (slot === 0) complete = false;
      lastRows[b] = slot - 1;
    }
    if (!complete || this.config.blocks === 0) {
      return tf.tidy(() =>
        tf.reshape(
          tf.slice(this.userStates(fused, valid, training, seed, layout), [0, length - 1, 0], [
            batch,
            1,
            dim,
          ]),
          [batch, dim],
        )
      );
    }
    return tf.tidy(() => {
      const { x: input, packed } = this.#packedInput(fused, valid, layout, training, seed);
      let x = input;
      const last = this.config.blocks - 1;
      for (let b = 0; b < last; b++) x = this.block(x, packed, b, training, seed);
      const y = this.block(x, packed, last, training, seed, tf.tensor1d(lastRows, "int32"));
      const { gain, bias } = this.parameters.finalNorm;
      return layerNorm(y, gain, bias) as tf.Tensor2D;
    });
  }

  #layout(fused: tf.Tensor3D, valid: tf.Tensor2D, packing?: PackedRows): PackedRows {
    const [batch, length] = fused.shape;
    // The positions it embeds stop at maxLength (the model checks first; this is for SasRec
    // used on its own).
    checkSequenceLength("SasRec", length, this.#maxLength);
    const layout = packing ?? packRows(valid.dataSync(), batch, length);
    if (layout.batch !== batch || layout.length !== length) {
      throw new Error(
        `SasRec: packing is for [${layout.batch}, ${layout.length}], input is [${batch}, ${length}]`,
      );
    }
    return layout;
  }

  /** Real positions packed as rows [real, dim] (item + positional row, dropout layer 0). */
  #packedInput(
    fused: tf.Tensor3D,
    valid: tf.Tensor2D,
    layout: PackedRows,
    training: boolean,
    seed: number,
  ): { x: tf.Tensor; packed: PackedAttention } {
    const [batch, length] = fused.shape;
    const dim = this.#dim;
    // Positional rows aligned to the end of the sequence.
    const offset = this.#maxLength - length;
    const positions = tf.gather(
      this.parameters.positions,
      tf.tensor1d(layout.columns.map((t) => t + offset), "int32"),
    );
    const items = tf.gather(
      tf.reshape(fused, [batch * length, dim]),
      tf.tensor1d(layout.rows, "int32"),
    );
    const x = dropout(tf.add(items, positions), this.config.dropout, training, seed, 0);
    const window = layout.window;
    return {
      x,
      packed: {
        shape: [batch, window],
        unpack: unpackingOf(layout.windowSlots),
        rows: tf.tensor1d(layout.windowRows, "int32"),
        bias: attentionBias(tf.slice(valid, [0, length - window], [batch, window])),
      },
    };
  }

  /**
   * One pre-norm block on packed rows: x + Dropout(MHA(LN(x))), then + Dropout(FFN(LN(.))).
   * x [real positions, dim]; attention unpacks to [batch, window, dim] (see {@linkcode PackedAttention}).
   * With `queryRows` (one packed row per sequence, its last position) only those rows are
   * computed after the keys and values: the result is [batch, dim].
   * Block `index` owns dropout layers 1 + 2 * index and 2 + 2 * index (layer 0 is the input's).
   */
  block(
    x: tf.Tensor,
    packed: PackedAttention,
    index: number,
    training: boolean,
    seed: number,
    queryRows?: tf.Tensor1D,
  ): tf.Tensor {
    const p = this.parameters.blocks[index];
    const rate = this.config.dropout;
    const normed = layerNorm(x, p.attentionNorm.gain, p.attentionNorm.bias);
    const attended = queryRows === undefined
      ? this.#attention(normed, packed, p)
      : this.#lastQueryAttention(normed, packed, p, queryRows);
    const residual = queryRows === undefined ? x : tf.gather(x, queryRows);
    let y = tf.add(residual, dropout(attended, rate, training, seed, 1 + 2 * index));
    const normed2 = layerNorm(y, p.feedForwardNorm.gain, p.feedForwardNorm.bias);
    const hidden = tf.relu(dense(normed2, p.hidden.kernel, p.hidden.bias));
    const out = dense(hidden, p.out.kernel, p.out.bias);
    y = tf.add(y, dropout(out, rate, training, seed, 2 + 2 * index));
    return y;
  }

  #attention(x: tf.Tensor, packed: PackedAttention, p: SasRecBlockParameters): tf.Tensor {
    const [batch, length] = packed.shape;
    const heads = this.config.heads;
    const headDim = this.#dim / heads;
    const query = this.#heads(x, packed, p.query);
    const key = this.#heads(x, packed, p.key);
    const value = this.#heads(x, packed, p.value);
    const logits = tf.add(
      tf.div(tf.matMul(query, key, false, true), Math.sqrt(headDim)),
      packed.bias,
    );
    const mixed = tf.matMul(tf.softmax(logits), value); // [batch, head, position, headDim]
    const merged = tf.gather(
      tf.reshape(tf.transpose(mixed, [0, 2, 1, 3]), [batch * length, this.#dim]),
      packed.rows,
    ); // [real positions, dim]
    return dense(merged, p.output.kernel, p.output.bias);
  }

  /** Attention for one query row per sequence (`queryRows`, packed) over all its keys: [batch, dim]. */
  #lastQueryAttention(
    x: tf.Tensor,
    packed: PackedAttention,
    p: SasRecBlockParameters,
    queryRows: tf.Tensor1D,
  ): tf.Tensor {
    const [batch, length] = packed.shape;
    const heads = this.config.heads;
    const headDim = this.#dim / heads;
    const query = tf.reshape(
      dense(tf.gather(x, queryRows), p.query.kernel, p.query.bias),
      [batch, heads, 1, headDim],
    );
    const key = this.#heads(x, packed, p.key);
    const value = this.#heads(x, packed, p.value);
    // The last query's row of the bias: [batch, 1, 1, key].
    const bias = tf.slice(packed.bias, [0, 0, length - 1, 0], [batch, 1, 1, length]);
    const logits = tf.add(tf.div(tf.matMul(query, key, false, true), Math.sqrt(headDim)), bias);
    const mixed = tf.reshape(tf.matMul(tf.softmax(logits), value), [batch, this.#dim]);
    return dense(mixed, p.output.kernel, p.output.bias);
  }

  /** One projection (query, key or value) of the packed rows, split into heads and unpacked:
   * [batch, head, position, headDim]. */
  #heads(x: tf.Tensor, packed: PackedAttention, projection: DenseParameters): tf.Tensor {
    const [batch, length] = packed.shape;
    const heads = this.config.heads;
    return tf.transpose(
      unpackRows(
        dense(x, projection.kernel, projection.bias),
        packed.unpack,
        [batch, length, heads, this.#dim / heads],
      ),
      [0, 2, 1, 3],
    );
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
