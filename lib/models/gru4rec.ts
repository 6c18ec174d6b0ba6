/**
 * GRU4Rec (Hidasi et al. 2016) as a backbone: one GRU layer over the fused item vectors, written
 * with plain tf ops (a loop over positions) so gradients reach every input position. At padding
 * positions the state is carried over unchanged (left padding keeps it at zero until the first item).
 *
 * @example
 * ```ts
 * const gru = new Gru4Rec({ dropout: 0.2 }, 64, store);
 * const h = gru.userStates(fused, valid, true, 11); // [batch, position, dim]
 * ```
 */
import { tf } from "../backend/tf.ts";
import type { Backbone } from "./backbone.ts";
import { ParameterStore, type Variable1D, type Variable2D } from "../nn/parameter_store.ts";
import { dense, dropout } from "../nn/layers.ts";
import type { SettingNames } from "../util/settings.ts";

/** Configuration of {@linkcode Gru4Rec}. */
export interface Gru4RecConfig {
  /** Dropout on the input vectors and on the output states. Default 0.2. */
  dropout: number;
}

/** Every setting of {@linkcode Gru4RecConfig}. */
export const GRU4REC_CONFIG_SETTINGS: SettingNames<Gru4RecConfig> = Object.freeze({
  dropout: true,
});

/** Defaults of {@linkcode Gru4RecConfig}. */
export const DEFAULT_GRU4REC_CONFIG: Gru4RecConfig = Object.freeze({ dropout: 0.2 });

/** GRU4Rec's parameters (checkpoint names `gru4rec/input_kernel`, `recurrent_kernel`, `bias`). */
export interface Gru4RecParameters {
  /** Input projection `[dim, 3 * dim]`, gates stacked as [update | reset | candidate]. */
  readonly inputKernel: Variable2D;
  /** Recurrent projection `[dim, 3 * dim]`, same stacking. */
  readonly recurrentKernel: Variable2D;
  /** Bias of the input projection `[3 * dim]`. */
  readonly bias: Variable1D;
}

/** The GRU4Rec backbone (see the module documentation); parameters in the model's store. */
export class Gru4Rec implements Backbone {
  /** The backbone's configuration. */
  readonly config: Gru4RecConfig;
  /** The parameters (they live in the model's store; these are handles to them). */
  readonly parameters: Gru4RecParameters;
  readonly #dim: number;

  /** Creates the parameters in `store`. */
  constructor(config: Gru4RecConfig, dim: number, store: ParameterStore) {
    this.config = config;
    this.#dim = dim;
    // Gates stacked as [update | reset | candidate] along the output axis.
    this.parameters = {
      inputKernel: store.glorot("gru4rec/input_kernel", [dim, 3 * dim]),
      recurrentKernel: store.glorot("gru4rec/recurrent_kernel", [dim, 3 * dim]),
      bias: store.constantVector("gru4rec/bias", 3 * dim, 0),
    };
  }

  userStates(fused: tf.Tensor3D, valid: tf.Tensor2D, training: boolean, seed: number): tf.Tensor3D {
    return tf.tidy(() => {
      const [batch, length] = fused.shape;
      const d = this.#dim;
      const inputs = dropout(fused, this.config.dropout, training, seed, 0);
      const { inputKernel, recurrentKernel: recurrent, bias } = this.parameters;
      const projected = dense(inputs, inputKernel, bias); // [batch, position, 3*dim]
      const recurrentGates = tf.slice(recurrent, [0, 0], [d, 2 * d]);
      const recurrentCandidate = tf.slice(recurrent, [0, 2 * d], [d, d]);
      let state: tf.Tensor = tf.zeros([batch, d]);
      const states: tf.Tensor[] = [];
      for (let t = 0; t < length; t++) {
        const x = tf.reshape(tf.slice(projected, [0, t, 0], [batch, 1, 3 * d]), [batch, 3 * d]);
        const gates = tf.sigmoid(
          tf.add(tf.slice(x, [0, 0], [batch, 2 * d]), tf.matMul(state, recurrentGates)),
        );
        const update = tf.slice(gates, [0, 0], [batch, d]);
        const reset = tf.slice(gates, [0, d], [batch, d]);
        const candidate = tf.tanh(
          tf.add(
            tf.slice(x, [0, 2 * d], [batch, d]),
            tf.matMul(tf.mul(reset, state), recurrentCandidate),
          ),
        );
        const next = tf.add(tf.mul(tf.sub(1, update), state), tf.mul(update, candidate));
        const keep = tf.reshape(tf.slice(valid, [0, t], [batch, 1]), [batch, 1]);
        state = tf.add(tf.mul(keep, next), tf.mul(tf.sub(1, keep), state));
        states.push(state);
      }
      const stacked = tf.stack(states, 1);
      return tf.mul(
        dropout(stacked, this.config.dropout, training, seed, 1),
        tf.expandDims(valid, -1),
      ) as tf.Tensor3D;
    });
  }
}
