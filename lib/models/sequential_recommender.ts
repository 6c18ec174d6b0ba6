/**
 * The multi-modal sequential recommender, exposed step by step so that the Demure layer (gradient
 * attribution, contrastive views) can intervene between the steps:
 *
 *   items [batch, position] --embedModalities--> E [batch, position, modality, dim]
 *   items --presence--> P [batch, position, modality]
 *   fuse(E, w, P) --> V [batch, position, dim]          (w: THE masking hook, default all ones)
 *   userStates(V, valid, training) --> H [batch, position, dim]
 *   itemTable() --> T [numItems, dim] (all items, all present modalities); scores = H . T^T
 *
 * ID-only SASRec is `modalities: ["id"]`; multi-modal SASRec is the default (all modalities);
 * GRU4Rec is `backbone: "gru4rec"`.
 *
 * @example
 * ```ts
 * const model = new SequentialRecommender(dataset, { backbone: "sasrec", dim: 64 });
 * const out = model.forward(batch, { training: false });
 * const scores = model.scoreLast(batch); // [batch, numItems]
 * tf.dispose(Object.values(out));
 * ```
 */
import { tf } from "../backend/tf.ts";
import { requireBackend } from "../backend/init_backend.ts";
import type { Tensor2D, Tensor3D, Tensor4D, Variable } from "../backend/tf.ts";
import type { SequenceBatch } from "../data/types.ts";
import {
  type EncoderInput,
  ModalityEncoders,
  selectModalities,
} from "../encoders/modality_encoders.ts";
import {
  DEFAULT_FUSION_CONFIG,
  FUSION_CONFIG_SETTINGS,
  type FusionConfig,
  ModalityFusion,
  validateFusionConfig,
} from "../encoders/fusion.ts";
import { type Backbone, checkSequenceLength } from "./backbone.ts";
import {
  DEFAULT_GRU4REC_CONFIG,
  Gru4Rec,
  GRU4REC_CONFIG_SETTINGS,
  type Gru4RecConfig,
} from "./gru4rec.ts";
import { ParameterStore } from "../nn/parameter_store.ts";
import { type PackedRows, packRows } from "../nn/packed_rows.ts";
import { type GradientSink, tapGradient } from "../nn/gradient_tap.ts";
import {
  DEFAULT_SASREC_CONFIG,
  SasRec,
  SASREC_CONFIG_SETTINGS,
  type SasRecConfig,
} from "./sasrec.ts";
import {
  checkInteger,
  checkNumber,
  checkOneOf,
  checkSettingNames,
  SEED_RANGE,
  SettingError,
  type SettingNames,
  withDefaults,
} from "../util/settings.ts";

/** Configuration of {@linkcode SequentialRecommender}: every field has a documented default. */
export interface ModelConfig {
  /** Which sequence encoder turns fused item vectors into user states. Default "sasrec". */
  backbone: "sasrec" | "gru4rec";
  /** Embedding width d. Default 64. */
  dim: number;
  /** Longest history the model reads (positional table size). Default 50. */
  maxLength: number;
  /** Modalities used, by name, in order; default undefined = all of the dataset's. */
  modalities?: string[];
  /** Default {@linkcode DEFAULT_FUSION_CONFIG} (masked mean, no projection, no norm). */
  fusion: FusionConfig;
  /** Default {@linkcode DEFAULT_SASREC_CONFIG}. */
  sasrec: SasRecConfig;
  /** Default {@linkcode DEFAULT_GRU4REC_CONFIG}. */
  gru4rec: Gru4RecConfig;
  /** Seed of the parameter initialisation. Default 0. */
  seed: number;
}

/** Which sequence encoder turns item vectors into user states: {@linkcode ModelConfig.backbone}. */
export type BackboneKind = ModelConfig["backbone"];

/** Every {@linkcode BackboneKind}: what `ModelConfig.backbone` and a system's `backbone` accept. */
export const BACKBONE_KINDS: readonly BackboneKind[] = ["sasrec", "gru4rec"];

/** The defaults of {@linkcode ModelConfig}. */
export const DEFAULT_MODEL_CONFIG: ModelConfig = Object.freeze({
  backbone: "sasrec",
  dim: 64,
  maxLength: 50,
  fusion: DEFAULT_FUSION_CONFIG,
  sasrec: DEFAULT_SASREC_CONFIG,
  gru4rec: DEFAULT_GRU4REC_CONFIG,
  seed: 0,
});

/** Every setting of {@linkcode ModelConfig}, the optional ones included. */
export const MODEL_CONFIG_SETTINGS: SettingNames<ModelConfig> = Object.freeze({
  backbone: true,
  dim: true,
  maxLength: true,
  modalities: true,
  fusion: true,
  sasrec: true,
  gru4rec: true,
  seed: true,
});

/** A partial config whose nested objects may also be partial. */
export interface ModelConfigInput {
  /** See {@linkcode ModelConfig.backbone}. */
  backbone?: ModelConfig["backbone"];
  /** See {@linkcode ModelConfig.dim}. */
  dim?: number;
  /** See {@linkcode ModelConfig.maxLength}. */
  maxLength?: number;
  /** See {@linkcode ModelConfig.modalities}. */
  modalities?: string[];
  /** Changes to {@linkcode DEFAULT_FUSION_CONFIG}. */
  fusion?: Partial<FusionConfig>;
  /** Changes to {@linkcode DEFAULT_SASREC_CONFIG}. */
  sasrec?: Partial<SasRecConfig>;
  /** Changes to {@linkcode DEFAULT_GRU4REC_CONFIG}. */
  gru4rec?: Partial<Gru4RecConfig>;
  /** See {@linkcode ModelConfig.seed}. */
  seed?: number;
}

/**
 * Throws a `SettingError` (setting, value, allowed range) for the first field of `config` out of
 * range; ranges in `docs/configuration.md`.
 */
export function validateModelConfig(config: ModelConfig): void {
  checkOneOf("ModelConfig.backbone", config.backbone, BACKBONE_KINDS);
  checkInteger("ModelConfig.dim", config.dim, { min: 1 });
  checkInteger("ModelConfig.maxLength", config.maxLength, { min: 1 });
  checkInteger("ModelConfig.seed", config.seed, SEED_RANGE);
  if (config.modalities !== undefined) {
    if (
      // A string is no list: "image" was spread into the modalities i, m, a, g and e.
      !Array.isArray(config.modalities) || config.modalities.length === 0 ||
      config.modalities.some((m) => typeof m !== "string") ||
      new Set(config.modalities).size !== config.modalities.length
    ) {
      throw new SettingError(
        "ModelConfig.modalities",
        config.modalities,
        "a non-empty list of distinct modality names of the dataset, or undefined for all",
      );
    }
  }
  validateFusionConfig(config.fusion, "ModelConfig.fusion");
  const { sasrec, gru4rec } = config;
  checkInteger("ModelConfig.sasrec.blocks", sasrec.blocks, { min: 1 });
  checkInteger("ModelConfig.sasrec.heads", sasrec.heads, { min: 1 });
  if (config.dim % sasrec.heads !== 0) {
    throw new SettingError(
      "ModelConfig.sasrec.heads",
      sasrec.heads,
      `a divisor of ModelConfig.dim (${config.dim})`,
    );
  }
  checkNumber("ModelConfig.sasrec.dropout", sasrec.dropout, { min: 0, below: 1 });
  if (sasrec.feedForwardDim !== undefined) {
    checkInteger("ModelConfig.sasrec.feedForwardDim", sasrec.feedForwardDim, { min: 1 });
  }
  checkNumber("ModelConfig.gru4rec.dropout", gru4rec.dropout, { min: 0, below: 1 });
}

/**
 * Fills in the defaults of {@linkcode ModelConfig} and validates the result. A key that is not a
 * setting, at any level (`hidden`, `sasrec.layers`), is a `SettingError`, not a silent default.
 */
export function resolveModelConfig(input: ModelConfigInput = {}): ModelConfig {
  checkSettingNames("ModelConfig", input, MODEL_CONFIG_SETTINGS);
  const nested = [
    ["fusion", input.fusion, FUSION_CONFIG_SETTINGS],
    ["sasrec", input.sasrec, SASREC_CONFIG_SETTINGS],
    ["gru4rec", input.gru4rec, GRU4REC_CONFIG_SETTINGS],
  ] as const;
  for (const [name, value, settings] of nested) {
    if (value !== undefined) checkSettingNames(`ModelConfig.${name}`, value, settings);
  }
  const config: ModelConfig = {
    // Only a setting left out takes its default: `??` and a truthy test read a null `dim` as 64
    // and a null or empty-string `modalities` as every modality, without a word.
    backbone: input.backbone === undefined ? DEFAULT_MODEL_CONFIG.backbone : input.backbone,
    dim: input.dim === undefined ? DEFAULT_MODEL_CONFIG.dim : input.dim,
    maxLength: input.maxLength === undefined ? DEFAULT_MODEL_CONFIG.maxLength : input.maxLength,
    ...(input.modalities === undefined ? {} : {
      modalities: Array.isArray(input.modalities) ? [...input.modalities] : input.modalities,
    }),
    // As at the top: a nested setting given as undefined is its default (`withDefaults`).
    fusion: withDefaults(DEFAULT_FUSION_CONFIG, input.fusion),
    sasrec: withDefaults(DEFAULT_SASREC_CONFIG, input.sasrec),
    gru4rec: withDefaults(DEFAULT_GRU4REC_CONFIG, input.gru4rec),
    seed: input.seed === undefined ? DEFAULT_MODEL_CONFIG.seed : input.seed,
  };
  validateModelConfig(config);
  return config;
}

/** All intermediate tensors of one forward pass (the caller disposes them, or runs in tf.tidy). */
export interface ForwardOutput {
  /** E [batch, position, modality, dim]. */
  embeddings: Tensor4D;
  /** P [batch, position, modality]. */
  presence: Tensor3D;
  /** The mask used, w [batch, position, modality]. */
  weights: Tensor3D;
  /** V [batch, position, dim]. */
  fused: Tensor3D;
  /** H [batch, position, dim]. */
  states: Tensor3D;
  /** T [numItems, dim]. */
  itemTable: Tensor2D;
}

/** Options of {@linkcode SequentialRecommender.forward}. */
export interface ForwardOptions {
  /** w [batch, position, modality]; default all ones (no masking beyond presence). */
  weights?: Tensor3D;
  /** Dropout on when true. Default false. */
  training?: boolean;
  /** Seed of the dropout masks; default the model's current dropout seed. */
  dropoutSeed?: number;
  /**
   * Called in the backward pass with dLoss/dE of the E this forward fuses into its states (and
   * E's values): only the gradient that flows through these states, not through the returned
   * `embeddings`, which stay untapped (Demure's contrastive views fuse those). Default none
   * (no tap in the graph).
   */
  onEmbeddingGradient?: GradientSink<Tensor4D>;
}

/**
 * The workspace's model: per-modality item encoders, masked fusion of the modalities of each
 * history item, a backbone (SASRec or GRU4Rec) that turns the fused history into user states, and
 * the item table the states are scored against (the fused embeddings of every item). Parameters
 * are named and seeded in {@linkcode SequentialRecommender.parameters}.
 */
export class SequentialRecommender {
  /** The resolved configuration (defaults filled in). */
  readonly config: ModelConfig;
  /** Number of items the model scores. */
  readonly numItems: number;
  /** Modality names along the modality axis. */
  readonly modalityNames: string[];
  /** The model's named trainable parameters (what the optimiser and checkpoints see). */
  readonly parameters: ParameterStore;
  readonly #encoders: ModalityEncoders;
  readonly #fusion: ModalityFusion;
  readonly #backbone: Backbone;
  #dropoutSeed: number;
  /** Set by {@linkcode dispose}: the model's tensors are freed. */
  #disposed = false;

  /** Builds the model for `dataset`'s items and modalities; throws a `SettingError` on a bad config. */
  constructor(dataset: EncoderInput, config: ModelConfigInput = {}) {
    this.config = resolveModelConfig(config);
    requireBackend(); // a clear line instead of tfjs's "backend 'wasm' has not yet been initialized"
    const { dim, maxLength, seed } = this.config;
    // Checked here, before any parameter exists, so that the error names the model's setting.
    selectModalities(dataset, this.config.modalities, "ModelConfig.modalities");
    this.numItems = dataset.numItems;
    this.parameters = new ParameterStore(seed);
    try {
      this.#encoders = new ModalityEncoders(
        dataset,
        { dim, ...(this.config.modalities ? { modalities: this.config.modalities } : {}) },
        this.parameters,
      );
    } catch (error) {
      // Bad features (bring-your-own data: fix the file, build again): nothing may stay behind.
      this.parameters.dispose();
      throw error;
    }
    this.modalityNames = this.#encoders.names;
    this.#fusion = new ModalityFusion(this.config.fusion, dim, this.parameters);
    this.#backbone = this.config.backbone === "sasrec"
      ? new SasRec(this.config.sasrec, dim, maxLength, this.parameters)
      : new Gru4Rec(this.config.gru4rec, dim, this.parameters);
    this.#dropoutSeed = seed;
  }

  /** Number of modalities M. */
  get numModalities(): number {
    return this.modalityNames.length;
  }

  /** e_{i,m} for all items: [numItems, modality, dim]. */
  encodeAllItems(): Tensor3D {
    this.#requireLive();
    return this.#encoders.encodeAllItems();
  }

  /** items int32 [batch, position] -> E [batch, position, modality, dim]. */
  embedModalities(items: Tensor2D, allItems?: Tensor3D): Tensor4D {
    this.#requireLive();
    return tf.tidy(() =>
      tf.gather(allItems ?? this.encodeAllItems() as tf.Tensor, items) as tf.Tensor4D
    );
  }

  /** items int32 [batch, position] -> P [batch, position, modality] (1 where present). */
  presence(items: Tensor2D): Tensor3D {
    this.#requireLive();
    return tf.gather(this.#encoders.presenceTable as tf.Tensor, items) as tf.Tensor3D;
  }

  /**
   * {@linkcode presence} on the host: item ids `[batch * position]` -> `[batch * position *
   * modality]` (1 where present), from the constant table, with no device transfer.
   */
  presenceOf(items: ArrayLike<number>): Float32Array {
    this.#requireLive();
    const table = this.#encoders.presenceValues;
    const modalities = this.numModalities;
    const rows = table.length / modalities;
    const out = new Float32Array(items.length * modalities);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      // The device gather refuses such an id; a subarray past the end (or at a negative or
      // fractional offset) read an empty or shifted row: "no modality present", silently.
      if (!(Number.isInteger(item) && item >= 0 && item < rows)) {
        throw new RangeError(
          `presenceOf: item id ${item} at index ${i} is outside the catalogue (ids 0..${
            rows - 1
          } of its ${rows} items)`,
        );
      }
      out.set(table.subarray(item * modalities, (item + 1) * modalities), i * modalities);
    }
    return out;
  }

  /**
   * E [batch, position, modality, dim], w [batch, position, modality] -> V [batch, position, dim].
   * `presence` defaults to all ones (pass {@linkcode presence} of the items to mask missing ones).
   */
  fuse(embeddings: Tensor4D, weights: Tensor3D, presence?: Tensor3D): Tensor3D {
    this.#requireLive();
    return tf.tidy(() =>
      this.#fusion.apply(embeddings, weights, presence ?? tf.onesLike(weights)) as tf.Tensor3D
    );
  }

  /**
   * V [batch, position, dim], valid [batch, position] -> H [batch, position, dim]. Pass
   * `packing` (`packRows(batch.valid, ...)`) when the batch is at hand: it spares a device read.
   */
  userStates(
    fused: Tensor3D,
    valid: Tensor2D,
    training: boolean,
    dropoutSeed?: number,
    packing?: PackedRows,
  ): Tensor3D {
    this.#requireLive();
    this.#checkLength(fused);
    return this.#backbone.userStates(
      fused,
      valid,
      training,
      dropoutSeed ?? this.#dropoutSeed,
      packing,
    );
  }

  /**
   * The user state after the last position, [batch, dim]: the last row of {@linkcode userStates},
   * computed only as far as that row needs where the backbone can (SASRec).
   */
  lastStates(
    fused: Tensor3D,
    valid: Tensor2D,
    training: boolean,
    dropoutSeed?: number,
    packing?: PackedRows,
  ): Tensor2D {
    this.#requireLive();
    this.#checkLength(fused);
    const seed = dropoutSeed ?? this.#dropoutSeed;
    if (this.#backbone.lastStates) {
      return this.#backbone.lastStates(fused, valid, training, seed, packing);
    }
    return tf.tidy(() => {
      const [batch, length, dim] = fused.shape;
      const states = this.#backbone.userStates(fused, valid, training, seed, packing);
      return tf.reshape(tf.slice(states, [0, length - 1, 0], [batch, 1, dim]), [batch, dim]);
    });
  }

  /**
   * Every backbone reads at most `maxLength` positions: GRU4Rec, which has no position table,
   * read a longer history without a word on the paths that do not pass through `trainModel`'s
   * check of the split (evaluation, attribution, explanations), SASRec refused it.
   */
  #checkLength(fused: Tensor3D): void {
    const who = this.config.backbone === "sasrec" ? "SasRec" : "Gru4Rec";
    checkSequenceLength(who, fused.shape[1], this.config.maxLength);
  }

  /** T [numItems, dim]: every item fused from all its present modalities (w = 1). */
  itemTable(allItems?: Tensor3D): Tensor2D {
    this.#requireLive();
    return tf.tidy(() => {
      const all = allItems ?? this.encodeAllItems();
      const presence = this.#encoders.presenceTable;
      return this.#fusion.apply(all, tf.onesLike(presence), presence) as tf.Tensor2D;
    });
  }

  /** Runs every step once (item encoders evaluated once and shared by E and T). */
  forward(batch: SequenceBatch, options: ForwardOptions = {}): ForwardOutput {
    this.#requireLive();
    return tf.tidy(() => {
      const items = tf.tensor2d(batch.items, [batch.batchSize, batch.length], "int32");
      const valid = tf.tensor2d(batch.valid, [batch.batchSize, batch.length], "float32");
      const all = this.encodeAllItems();
      const embeddings = this.embedModalities(items, all);
      const presence = this.presence(items);
      const weights = options.weights ?? tf.ones(presence.shape) as tf.Tensor3D;
      const fusedInput = options.onEmbeddingGradient
        ? tapGradient(embeddings, options.onEmbeddingGradient)
        : embeddings;
      const fused = this.fuse(fusedInput, weights, presence);
      const states = this.userStates(
        fused,
        valid,
        options.training ?? false,
        options.dropoutSeed,
        packRows(batch.valid, batch.batchSize, batch.length),
      );
      const itemTable = this.itemTable(all);
      return { embeddings, presence, weights: tf.clone(weights), fused, states, itemTable };
    });
  }

  /** Scores of all items after the last position of each history: [batch, numItems]. */
  scoreLast(batch: SequenceBatch, weights?: Tensor3D): Tensor2D {
    return tf.tidy(() => {
      const out = this.forward(batch, weights ? { weights } : {});
      const last = tf.reshape(
        tf.slice(out.states, [0, batch.length - 1, 0], [batch.batchSize, 1, this.config.dim]),
        [batch.batchSize, this.config.dim],
      );
      return tf.matMul(last, out.itemTable, false, true) as tf.Tensor2D;
    });
  }

  /** Sets the seed of the next dropout masks (the trainer derives it from seed and step). */
  setDropoutSeed(seed: number): void {
    this.#dropoutSeed = seed;
  }

  /** Trainable variables in a fixed order. */
  trainableVariables(): Variable[] {
    this.#requireLive();
    return this.parameters.variables();
  }

  /**
   * Frees every tensor of the model (parameters and constants). Using the model afterwards is an
   * error saying so; disposing it again does nothing.
   */
  dispose(): void {
    this.parameters.dispose();
    this.#encoders.dispose();
    this.#disposed = true;
  }

  /**
   * Throws once the model is disposed. A notebook cell run again after the one that disposed its
   * model (03's last cell) failed with tfjs's "variableGrads() expects at least one of the input
   * variables to be trainable" or "Cannot read properties of undefined (reading 'backend')".
   */
  #requireLive(): void {
    if (!this.#disposed) return;
    throw new Error(
      "this SequentialRecommender was disposed (model.dispose()), its weights freed: build it " +
        "again (in a notebook, run the cell that creates it) before using it",
    );
  }
}
