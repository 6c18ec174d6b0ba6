/**
 * Named, seeded trainable parameters of one model. Names are logical ("sasrec/block0/query_kernel")
 * and independent of tfjs's global variable registry, so checkpoints and optimizers key on them.
 * Layers address their parameters through the typed handles the store hands out when it creates
 * them ({@linkcode DenseParameters}, {@linkcode NormParameters}, a rank-typed variable), never by
 * name: the names are the checkpoint format, nothing else.
 *
 * @example
 * ```ts
 * const store = new ParameterStore(7);
 * const kernel = store.glorot("proj/kernel", [64, 64]); // [in, out]
 * store.names(); // ["proj/kernel"]
 * ```
 */
import { tf } from "../backend/tf.ts";
import type { Tensor, Tensor1D, Tensor2D, Variable } from "../backend/tf.ts";
import { createRng, type Rng } from "../util/random.ts";

/** A rank-1 parameter, e.g. a bias or a gain `[dim]`. */
export type Variable1D = Variable & Tensor1D;
/** A rank-2 parameter, e.g. a kernel `[in, out]` or an embedding table `[rows, dim]`. */
export type Variable2D = Variable & Tensor2D;

/** The parameters of a dense layer y = x kernel + bias. */
export interface DenseParameters {
  /** `[in, out]`. */
  readonly kernel: Variable2D;
  /** `[out]`. */
  readonly bias: Variable1D;
}

/** The parameters of a layer norm: gain and bias, `[dim]` each. */
export interface NormParameters {
  /** `[dim]`, initially ones. */
  readonly gain: Variable1D;
  /** `[dim]`, initially zeros. */
  readonly bias: Variable1D;
}

/** The named trainable parameters of one model, drawn from one seeded generator; see above. */
export class ParameterStore {
  readonly #variables = new Map<string, Variable>();
  readonly #rng: Rng;

  /** An empty store whose initialisations draw from a generator seeded with `seed`. */
  constructor(seed: number) {
    this.#rng = createRng(seed);
  }

  /** A variable with entries drawn from N(0, std^2) by the store's seeded generator. */
  normal(name: string, shape: number[], std: number): Variable {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = this.#rng.normal() * std;
    return this.#add(name, tf.tensor(values, shape, "float32"));
  }

  /** A `[rows, columns]` variable with entries drawn from N(0, std^2) (an embedding table). */
  normalMatrix(name: string, shape: [number, number], std: number): Variable2D {
    return this.normal(name, shape, std) as Variable2D;
  }

  /** Glorot-uniform kernel of shape [in, out]. */
  glorot(name: string, shape: [number, number]): Variable2D {
    const limit = Math.sqrt(6 / (shape[0] + shape[1]));
    const values = new Float32Array(shape[0] * shape[1]);
    for (let i = 0; i < values.length; i++) values[i] = (2 * this.#rng.next() - 1) * limit;
    return this.#add(name, tf.tensor(values, shape, "float32")) as Variable2D;
  }

  /** A `[length]` variable filled with `value`. */
  constantVector(name: string, length: number, value: number): Variable1D {
    return this.constant(name, [length], value) as Variable1D;
  }

  /**
   * A dense layer: `<stem>_kernel` `[in, out]` (Glorot-uniform), then `<stem>_bias` `[out]`
   * (zeros), created in that order.
   */
  dense(stem: string, shape: [number, number]): DenseParameters {
    const kernel = this.glorot(`${stem}_kernel`, shape);
    const bias = this.constantVector(`${stem}_bias`, shape[1], 0);
    return { kernel, bias };
  }

  /** A layer norm: `<stem>_gain` `[dim]` (ones), then `<stem>_bias` `[dim]` (zeros). */
  layerNorm(stem: string, dim: number): NormParameters {
    const gain = this.constantVector(`${stem}_gain`, dim, 1);
    const bias = this.constantVector(`${stem}_bias`, dim, 0);
    return { gain, bias };
  }

  /** A variable filled with `value` (zeros for biases, ones for layer-norm gains). */
  constant(name: string, shape: number[], value: number): Variable {
    return this.#add(name, tf.fill(shape, value, "float32"));
  }

  /** The variable called `name`; throws when it does not exist. */
  get(name: string): Variable {
    const variable = this.#variables.get(name);
    if (variable === undefined) throw new Error(`ParameterStore: no parameter named "${name}"`);
    return variable;
  }

  /** Parameter names in creation order (the optimizer and checkpoint order). */
  names(): string[] {
    return [...this.#variables.keys()];
  }

  /** Variables in creation order. */
  variables(): Variable[] {
    return [...this.#variables.values()];
  }

  /** Copies of the current values, keyed by name (the caller disposes them). */
  snapshot(): Map<string, Tensor> {
    const copies = new Map<string, Tensor>();
    for (const [name, variable] of this.#variables) copies.set(name, tf.clone(variable));
    return copies;
  }

  /**
   * Assigns every parameter from `values`; throws naming the parameter on a missing name, an
   * unknown name or a shape mismatch (nothing is assigned then).
   */
  assign(values: ReadonlyMap<string, Tensor>): void {
    for (const [name, variable] of this.#variables) {
      const value = values.get(name);
      if (value === undefined) throw new Error(`weights lack parameter "${name}"`);
      if (value.shape.join(",") !== variable.shape.join(",")) {
        throw new Error(
          `parameter "${name}": shape [${value.shape}] does not match the model's [${variable.shape}]`,
        );
      }
    }
    for (const name of values.keys()) {
      if (!this.#variables.has(name)) throw new Error(`weights hold unknown parameter "${name}"`);
    }
    for (const [name, variable] of this.#variables) variable.assign(values.get(name)!);
  }

  /** Total number of scalar parameters. */
  size(): number {
    return this.variables().reduce((total, v) => total + v.size, 0);
  }

  /** Frees every variable and empties the store. */
  dispose(): void {
    for (const variable of this.#variables.values()) variable.dispose();
    this.#variables.clear();
  }

  #add(name: string, initial: Tensor): Variable {
    if (this.#variables.has(name)) {
      initial.dispose();
      throw new Error(`ParameterStore: parameter "${name}" created twice`);
    }
    const variable = tf.variable(initial, true);
    initial.dispose();
    this.#variables.set(name, variable);
    return variable;
  }
}
