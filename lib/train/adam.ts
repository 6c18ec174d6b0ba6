/**
 * Adam (Kingma & Ba 2015) over named variables, with its moments exposed as named tensors so a
 * checkpoint can store them and a resumed run continues exactly. Optional decoupled weight decay
 * (AdamW) and global-norm gradient clipping.
 *
 * @example
 * ```ts
 * const adam = new Adam({ ...DEFAULT_ADAM_CONFIG, learningRate: 1e-3 }); // default 2e-3
 * const squared = adam.squaredNorm(gradients); // gradients: Map<name, Tensor>
 * const [value] = await readFloat32([squared]); // read with the step's losses: one transfer
 * adam.apply(model.parameters, gradients, Math.sqrt(value[0]));
 * ```
 */
import { tf } from "../backend/tf.ts";
import type { Scalar, Tensor } from "../backend/tf.ts";
import type { ParameterStore } from "../nn/parameter_store.ts";
import { adamUpdate, type AdamUpdateSettings } from "../backend/kernels/adam_update.ts";
import { checkNumber, checkSettingNames, type SettingNames } from "../util/settings.ts";

/** Configuration of {@linkcode Adam}. */
export interface AdamConfig {
  /** > 0 and <= 10. Default 2e-3. */
  learningRate: number;
  /** In [0, 1). Default 0.9. */
  beta1: number;
  /** In [0, 1). Default 0.999. */
  beta2: number;
  /** > 0. Default 1e-8. */
  epsilon: number;
  /** Decoupled weight decay (AdamW), >= 0. Default 0. */
  weightDecay: number;
  /** Clip gradients to this global L2 norm (> 0); default undefined (no clipping). */
  clipNorm?: number;
}

/** Every setting of {@linkcode AdamConfig}, the optional ones included. */
export const ADAM_CONFIG_SETTINGS: SettingNames<AdamConfig> = Object.freeze({
  learningRate: true,
  beta1: true,
  beta2: true,
  epsilon: true,
  weightDecay: true,
  clipNorm: true,
});

/**
 * Throws a `SettingError` (setting, value, allowed range) for the first field out of range.
 * `where` names the config in the message (e.g. "TrainerConfig.optimizer").
 */
export function validateAdamConfig(config: AdamConfig, where = "AdamConfig"): void {
  // A learning rate above 10 has no use with Adam (steps of about lr per weight) and only diverges.
  checkNumber(`${where}.learningRate`, config.learningRate, { above: 0, max: 10 });
  checkNumber(`${where}.beta1`, config.beta1, { min: 0, below: 1 });
  checkNumber(`${where}.beta2`, config.beta2, { min: 0, below: 1 });
  checkNumber(`${where}.epsilon`, config.epsilon, { above: 0 });
  checkNumber(`${where}.weightDecay`, config.weightDecay, { min: 0 });
  if (config.clipNorm !== undefined) {
    checkNumber(`${where}.clipNorm`, config.clipNorm, { above: 0 });
  }
}

/**
 * Defaults of {@linkcode AdamConfig} (the README's protocol: lr 2e-3). Frozen: `new Adam()` and
 * every trainer config without an optimizer share this object, so a write to it would change the
 * defaults of every later run.
 */
export const DEFAULT_ADAM_CONFIG: AdamConfig = Object.freeze({
  learningRate: 2e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  weightDecay: 0,
});

/** Most inputs of one AddN (WebGPU's default limit of 8 storage buffers, less the output). */
const ADD_N_GROUP = 7;

/**
 * Adam (Kingma and Ba, 2015) over the parameters of a {@linkcode ParameterStore}, with optional
 * decoupled weight decay and global-norm clipping; the moments are kept per parameter name.
 */
export class Adam {
  /** The optimiser's configuration. */
  readonly config: AdamConfig;
  #step = 0;
  readonly #first = new Map<string, tf.Tensor>();
  readonly #second = new Map<string, tf.Tensor>();

  /** Validates `config` (a `SettingError` names the setting out of range). */
  constructor(config: AdamConfig = DEFAULT_ADAM_CONFIG) {
    // Names are checked where a config enters: here, and in `resolveTrainerConfig` for a trainer's
    // optimizer. `new Adam({ lr: 0.01 })` would otherwise run at the default rate.
    checkSettingNames("AdamConfig", config, ADAM_CONFIG_SETTINGS);
    validateAdamConfig(config);
    this.config = config;
  }

  /** Number of updates applied so far. */
  get step(): number {
    return this.#step;
  }

  /**
   * The squared global L2 norm of `gradients`, a scalar left on the device so that the caller
   * reads it together with the step's losses (one transfer) and passes its root to
   * {@linkcode Adam.apply}.
   */
  squaredNorm(gradients: ReadonlyMap<string, Tensor>): Scalar {
    return tf.tidy(() => {
      const squares = [...gradients.values()].map((g) => tf.sum(tf.square(g)));
      // tfjs-backend-webgpu binds every AddN input as a storage buffer and does not split: past
      // the device's limit (8 per shader stage by default) the pass is invalid and WebGPU drops
      // the whole submission silently (zeros and stale reads). Adding in groups of at most
      // ADD_N_GROUP keeps every backend valid; on wasm/cpu AddN accumulates left to right, so the
      // grouped sum is bit-identical to one AddN.
      let total = tf.addN(squares.slice(0, ADD_N_GROUP));
      for (let i = ADD_N_GROUP; i < squares.length; i += ADD_N_GROUP - 1) {
        total = tf.addN([total, ...squares.slice(i, i + ADD_N_GROUP - 1)]);
      }
      return total as tf.Scalar;
    });
  }

  /**
   * One update of every parameter that has a gradient. `norm` is the global gradient norm (the
   * root of {@linkcode Adam.squaredNorm}), used for clipping. Does not dispose `gradients`.
   */
  apply(store: ParameterStore, gradients: ReadonlyMap<string, Tensor>, norm: number): void {
    const { learningRate, beta1, beta2, epsilon, weightDecay, clipNorm } = this.config;
    const scale = clipNorm !== undefined && norm > clipNorm ? clipNorm / norm : 1;
    this.#step += 1;
    const correction1 = 1 - beta1 ** this.#step;
    const correction2 = 1 - beta2 ** this.#step;
    const settings: AdamUpdateSettings = {
      scale,
      beta1,
      beta2,
      epsilon,
      learningRate,
      weightDecay,
      correction1,
      correction2,
    };
    for (const name of store.names()) {
      const gradient = gradients.get(name);
      if (gradient === undefined) continue;
      const variable = store.get(name);
      // One fused kernel per parameter on wasm/cpu, bit-identical to the composite ops it replaces.
      const [first, second, next] = adamUpdate(
        variable,
        gradient,
        this.#first.get(name),
        this.#second.get(name),
        settings,
      );
      this.#first.get(name)?.dispose();
      this.#second.get(name)?.dispose();
      this.#first.set(name, first);
      this.#second.set(name, second);
      variable.assign(next);
      next.dispose();
    }
  }

  /** Moments as named tensors ("optimizer/m/<name>", "optimizer/v/<name>"), not copies. */
  stateTensors(): Map<string, Tensor> {
    const state = new Map<string, tf.Tensor>();
    for (const [name, m] of this.#first) state.set(`optimizer/m/${name}`, m);
    for (const [name, v] of this.#second) state.set(`optimizer/v/${name}`, v);
    return state;
  }

  /**
   * Restores moments and step from {@linkcode stateTensors}-style host values. Throws, changing
   * nothing, for a step that is no whole number >= 0 and, when `parameters` is given, for a moment
   * of no parameter in it or of another shape than its parameter's.
   */
  loadState(
    step: number,
    state: ReadonlyMap<string, { shape: number[]; data: Float32Array }>,
    parameters?: ParameterStore,
  ): void {
    // A step of undefined (a trainer state without it) or 1.5 makes the bias corrections NaN or
    // wrong, and every weight NaN at the next update, far from the file that held it.
    if (!Number.isInteger(step) || step < 0) {
      throw new Error(`Adam.loadState: step ${step} is not a whole number >= 0`);
    }
    if (parameters) checkMomentShapes(state, parameters);
    this.dispose();
    this.#step = step;
    for (const [key, host] of state) {
      const match = /^optimizer\/([mv])\/(.+)$/.exec(key);
      if (match === null) continue;
      const target = match[1] === "m" ? this.#first : this.#second;
      target.set(match[2], tf.tensor(host.data, host.shape, "float32"));
    }
  }

  /** Frees the moment tensors (the parameters stay in their store). */
  dispose(): void {
    for (const t of [...this.#first.values(), ...this.#second.values()]) t.dispose();
    this.#first.clear();
    this.#second.clear();
  }
}

/**
 * Throws for a moment (`optimizer/m/<name>`, `optimizer/v/<name>`) of no parameter in `parameters`
 * or of another shape than its parameter's: the update broadcasts a moment of shape [1] over any
 * gradient, so a file edited by hand went on training with wrong moments and no error.
 */
function checkMomentShapes(
  state: ReadonlyMap<string, { shape: number[] }>,
  parameters: ParameterStore,
): void {
  const names = new Set(parameters.names());
  for (const [key, { shape }] of state) {
    const match = /^optimizer\/[mv]\/(.+)$/.exec(key);
    if (match === null) continue;
    if (!names.has(match[1])) {
      throw new Error(`Adam.loadState: moment "${key}" belongs to no parameter of the model`);
    }
    const wanted = parameters.get(match[1]).shape;
    if (shape.join(",") !== wanted.join(",")) {
      throw new Error(
        `Adam.loadState: moment "${key}" has shape [${shape}], its parameter [${wanted}]`,
      );
    }
  }
}
