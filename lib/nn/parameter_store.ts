/**
 * Named, seeded trainable parameters of one model. Names are logical ("sasrec/block0/query/kernel")
 * and independent of tfjs's global variable registry, so checkpoints and optimizers key on them.
 *
 * @example
 * ```ts
 * const store = new ParameterStore(7);
 * const kernel = store.glorot("proj/kernel", [64, 64]); // [in, out]
 * store.names(); // ["proj/kernel"]
 * ```
 */
import { tf } from "../backend/tf.ts";
import type { Tensor, Variable } from "../backend/tf.ts";
import { createRng, type Rng } from "../util/random.ts";

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

  /** Glorot-uniform kernel of shape [in, out]. */
  glorot(name: string, shape: [number, number]): Variable {
    const limit = Math.sqrt(6 / (shape[0] + shape[1]));
    const values = new Float32Array(shape[0] * shape[1]);
    for (let i = 0; i < values.length; i++) values[i] = (2 * this.#rng.next() - 1) * limit;
    return this.#add(name, tf.tensor(values, shape, "float32"));
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
