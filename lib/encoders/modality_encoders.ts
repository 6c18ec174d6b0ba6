/**
 * Per-modality encoders f_m that map every item's raw feature x_{i,m} to e_{i,m} in R^dim:
 * - `id`: a learned embedding table [numItems, dim];
 * - `dense`: linear [featureDim, dim] + bias, then layer norm; a one-column `dense` feature (a price,
 *   a year) instead: standardised over the items that have it, times a learned vector, plus a bias;
 * - `multi_hot`: an embedding bag, (row-normalised multi-hot [numItems, vocab]) @ table [vocab, dim].
 * Missing modalities are encoded anyway (their rows are zeros) and masked later by the presence
 * table; they are never read as values.
 *
 * @example
 * ```ts
 * const store = new ParameterStore(1);
 * const encoders = new ModalityEncoders(dataset, { dim: 64 }, store);
 * const all = encoders.encodeAllItems(); // [numItems, modality, dim]
 * ```
 */
import { tf } from "../backend/tf.ts";
import type { Tensor2D, Tensor3D } from "../backend/tf.ts";
import type { InteractionDataset, ModalityFeatures, ModalityKind } from "../data/types.ts";
import {
  type DenseParameters,
  type NormParameters,
  ParameterStore,
  type Variable2D,
} from "../nn/parameter_store.ts";
import { dense, layerNorm } from "../nn/layers.ts";
import {
  checkInteger,
  checkNumber,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";

/** Configuration of {@linkcode ModalityEncoders}. */
export interface EncoderConfig {
  /** Width d of every modality embedding. Default 64. */
  dim: number;
  /** Names of the modalities to use, in order; default all of the dataset's (`["id"]` = ID-only). */
  modalities?: string[];
  /** Std of the id and multi-hot tables' normal initialisation; default 1/sqrt(dim). */
  embeddingStd?: number;
}

/** Defaults of {@linkcode EncoderConfig}. */
export const DEFAULT_ENCODER_CONFIG: EncoderConfig = Object.freeze({ dim: 64 });

/** Every setting of {@linkcode EncoderConfig}, the optional ones included. */
export const ENCODER_CONFIG_SETTINGS: SettingNames<EncoderConfig> = Object.freeze({
  dim: true,
  modalities: true,
  embeddingStd: true,
});

/**
 * Throws a `SettingError` (setting, value, allowed range) for the first field of `config` that is
 * unknown or out of range (the modalities are checked against the dataset by
 * {@linkcode selectModalities}). A width of 0 built empty embeddings, and a NaN or negative
 * `embeddingStd` NaN or sign-flipped tables, silently.
 */
export function validateEncoderConfig(config: EncoderConfig): void {
  checkSettingNames("EncoderConfig", config, ENCODER_CONFIG_SETTINGS);
  checkInteger("EncoderConfig.dim", config.dim, { min: 1 });
  if (config.embeddingStd !== undefined) {
    checkNumber("EncoderConfig.embeddingStd", config.embeddingStd, { above: 0 });
  }
}

/** The dataset fields the encoders read. */
export type EncoderInput = Pick<InteractionDataset, "numItems" | "modalities" | "name">;

/**
 * Handles to the parameters of one modality's encoder, in the model's store. Checkpoint names:
 * `encoder/<name>/table` (id, multi_hot) or `encoder/<name>/kernel`, `bias`, `norm_gain`,
 * `norm_bias` (dense; a one-column dense feature has no `norm_*`).
 */
export interface ModalityEncoderParameters {
  /** id: `[numItems, dim]`; multi_hot: `[vocabulary, dim]` (rows averaged over an item's tags). */
  readonly table?: Variable2D;
  /** dense: the linear layer `[features, dim]`. */
  readonly dense?: DenseParameters;
  /** dense with more than one column: the layer norm after it (a one-column feature has none). */
  readonly norm?: NormParameters;
}

interface EncodedModality {
  name: string;
  kind: ModalityKind;
  parameters: ModalityEncoderParameters;
  encode: () => tf.Tensor2D;
}

/**
 * One encoder per modality, mapping every item to a `dim`-wide embedding per modality: a learned
 * table for `id`, a dense layer with layer norm over `dense` features (without the norm over a
 * one-column feature, standardised instead), a learned table averaged over the active entries of
 * `multi_hot` features. Parameters live in the model's store.
 */
export class ModalityEncoders {
  /** Names of the encoded modalities, in the order of the modality axis. */
  readonly names: string[];
  /** Kind of each encoded modality, in the same order. */
  readonly kinds: ModalityKind[];
  /** Number of items encoded. */
  readonly numItems: number;
  /** Width of every modality embedding. */
  readonly dim: number;
  /** [numItems, modality] float32, 1 where the item has the modality (a constant). */
  readonly presenceTable: Tensor2D;
  /** The same table on the host (row-major), read by host-side code without a device transfer. */
  readonly presenceValues: Float32Array;
  /** Handles to each encoder's parameters, by modality name. */
  readonly parameters: ReadonlyMap<string, ModalityEncoderParameters>;
  readonly #modalities: EncodedModality[];
  readonly #constants: tf.Tensor[] = [];

  /**
   * Builds the encoders of the chosen modalities of `dataset`, with parameters in `store`; a
   * setting that is unknown or out of range is a `SettingError`, before any parameter is made.
   */
  constructor(dataset: EncoderInput, config: EncoderConfig, store: ParameterStore) {
    validateEncoderConfig(config);
    const chosen = selectModalities(dataset, config.modalities);
    this.numItems = dataset.numItems;
    this.dim = config.dim;
    this.names = chosen.map((m) => m.name);
    this.kinds = chosen.map((m) => m.kind);
    const std = config.embeddingStd ?? 1 / Math.sqrt(config.dim);
    try {
      this.#modalities = chosen.map((m) => this.#build(dataset, m, config.dim, std, store));
    } catch (error) {
      // A modality's features are checked when it is built: free the earlier ones' constants (the
      // caller frees the store's parameters).
      for (const constant of this.#constants) constant.dispose();
      throw error;
    }
    this.parameters = new Map(this.#modalities.map((m) => [m.name, m.parameters]));
    const presence = new Float32Array(dataset.numItems * chosen.length);
    chosen.forEach((m, k) => {
      for (let i = 0; i < dataset.numItems; i++) presence[i * chosen.length + k] = m.present[i];
    });
    this.presenceValues = presence;
    this.presenceTable = tf.tensor2d(presence, [dataset.numItems, chosen.length]);
  }

  /** e_{i,m} for every item and modality: [numItems, modality, dim]. */
  encodeAllItems(): Tensor3D {
    return tf.tidy(() => tf.stack(this.#modalities.map((m) => m.encode()), 1) as tf.Tensor3D);
  }

  /** Frees the constant tensors (feature matrices, presence table); parameters stay in the store. */
  dispose(): void {
    this.presenceTable.dispose();
    for (const constant of this.#constants) constant.dispose();
  }

  #build(
    dataset: EncoderInput,
    modality: ModalityFeatures,
    dim: number,
    std: number,
    store: ParameterStore,
  ): EncodedModality {
    const prefix = `encoder/${modality.name}`;
    const { name, kind } = modality;
    if (kind === "id") {
      const table = store.normalMatrix(`${prefix}/table`, [dataset.numItems, dim], std);
      return { name, kind, parameters: { table }, encode: () => table };
    }
    validateFeatures(dataset, modality);
    if (kind === "dense" && modality.dim === 1) {
      // A layer norm after a linear map of one value cannot see the value's size: LN(x w) is the
      // same vector for every x > 0, so at initialisation (bias 0) a price of 3 and one of 3000
      // encoded alike, and only what the bias learned could tell them apart. Standardising the
      // column instead keeps its size in the encoding (e is affine in x) at the scale of the other
      // modalities, whatever unit the file uses (RecBole offers min-max scaling of float fields,
      // `normalize_field`; the data here stay as written and the encoder scales).
      const kernel = store.glorot(`${prefix}/kernel`, [1, dim]);
      const bias = store.constantVector(`${prefix}/bias`, dim, 0);
      const standardised = this.#constant(standardisedColumn(modality), dataset.numItems, 1);
      return {
        name,
        kind,
        parameters: { dense: { kernel, bias } },
        encode: () => dense(standardised, kernel, bias) as tf.Tensor2D,
      };
    }
    const features = this.#constant(modality.values, dataset.numItems, modality.dim);
    if (kind === "dense") {
      const kernel = store.glorot(`${prefix}/kernel`, [modality.dim, dim]);
      const bias = store.constantVector(`${prefix}/bias`, dim, 0);
      const norm = store.layerNorm(`${prefix}/norm`, dim);
      return {
        name,
        kind,
        parameters: { dense: { kernel, bias }, norm },
        encode: () => layerNorm(dense(features, kernel, bias), norm.gain, norm.bias) as tf.Tensor2D,
      };
    }
    const table = store.normalMatrix(`${prefix}/table`, [modality.dim, dim], std);
    const bag = tf.tidy(() => {
      const rowSums = tf.sum(features, 1, true);
      // Rows of absent items are all zero: divide by 1 there (the presence mask hides them).
      return tf.div(features, tf.maximum(rowSums, 1)) as tf.Tensor2D;
    });
    this.#constants.push(bag);
    return { name, kind, parameters: { table }, encode: () => tf.matMul(bag, table) };
  }

  #constant(values: Float32Array, rows: number, columns: number): tf.Tensor2D {
    const matrix = tf.tensor2d(values, [rows, columns], "float32");
    this.#constants.push(matrix);
    return matrix;
  }
}

/**
 * `dataset`'s modalities named by `names` (all of them when undefined), in that order; a
 * `SettingError` naming `setting` for an empty list or a name the dataset does not have. The
 * model checks its `ModelConfig.modalities` here too, before it makes any parameter.
 */
export function selectModalities(
  dataset: EncoderInput,
  names: readonly string[] | undefined,
  setting = "EncoderConfig.modalities",
): ModalityFeatures[] {
  if (names === undefined) return dataset.modalities;
  const known = dataset.modalities.map((m) => `"${m.name}"`).join(", ");
  const refuse = (): never => {
    throw new SettingError(
      setting,
      names,
      `a non-empty list of dataset "${dataset.name}"'s modalities (${known})`,
    );
  };
  if (names.length === 0) refuse();
  return names.map((name) => dataset.modalities.find((m) => m.name === name) ?? refuse());
}

/**
 * A one-column feature as (x - mean) / std over the items that have it (population std; a column
 * with one value throughout divides by 1, so its encoding is the bias alone: it tells no items
 * apart). Items without it stay 0: the presence mask hides them.
 */
function standardisedColumn(modality: ModalityFeatures): Float32Array {
  const { values, present } = modality;
  let count = 0;
  let sum = 0;
  for (let item = 0; item < present.length; item++) {
    if (present[item] === 1) {
      count++;
      sum += values[item];
    }
  }
  const mean = count === 0 ? 0 : sum / count;
  let squares = 0;
  for (let item = 0; item < present.length; item++) {
    if (present[item] === 1) squares += (values[item] - mean) ** 2;
  }
  const std = count === 0 ? 0 : Math.sqrt(squares / count);
  const scale = std > 0 ? std : 1;
  return Float32Array.from(
    values,
    (value, item) => present[item] === 1 ? (value - mean) / scale : 0,
  );
}

/** Throws naming dataset, modality, row and column for non-finite values or an empty present bag. */
function validateFeatures(dataset: EncoderInput, modality: ModalityFeatures): void {
  const where = `dataset "${dataset.name}", modality "${modality.name}"`;
  if (modality.values.length !== dataset.numItems * modality.dim) {
    throw new Error(
      `${where}: values has ${modality.values.length} entries, expected numItems*dim = ` +
        `${dataset.numItems}*${modality.dim}`,
    );
  }
  if (modality.present.length !== dataset.numItems) {
    throw new Error(
      `${where}: present has ${modality.present.length} entries, expected ${dataset.numItems}`,
    );
  }
  for (let item = 0; item < dataset.numItems; item++) {
    let rowSum = 0;
    for (let c = 0; c < modality.dim; c++) {
      const value = modality.values[item * modality.dim + c];
      if (!Number.isFinite(value)) {
        throw new Error(`${where}: item row ${item}, column ${c} is ${value} (not finite)`);
      }
      rowSum += value;
    }
    if (modality.kind === "multi_hot" && modality.present[item] === 1 && rowSum <= 0) {
      throw new Error(
        `${where}: item row ${item} is marked present but its multi-hot row is empty`,
      );
    }
  }
}
