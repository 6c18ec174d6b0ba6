/**
 * CL4SRec-style contrastive baseline (Xie et al. 2022): two random augmentations of each training
 * history (crop, mask or reorder), encoded by the same model; a contrastive loss between the two
 * views' last user states (the batch's other views as negatives, below), added to L_rec with
 * weight lambda through the trainer's `auxiliaryLoss` hook.
 *
 * The loss is CL4SRec's own (`loss: "nt_xent"`, the default): SimCLR's NT-Xent over the 2N views
 * of a batch, each view's negatives being the other 2(N - 1) views (dot product, tau 1), as in
 * the paper (eq. 5) and RecBole's CL4SRec. `loss: "one_way"` keeps the form this workspace used
 * until 2026-12-03, `mean_i [logsumexp_j(a_i . b_j / tau) - a_i . b_i / tau]` (row i's first view
 * against the second views of all rows, N - 1 negatives, one direction): the results of record
 * before that date were made with it. `tests/baselines/cl4srec_loss_test.ts` computes both by hand.
 *
 * The augmentations are PURE: they copy, never modify the input (a peer library's in-place
 * augmentation made both views identical). "Mask" hides a position through the fusion weights
 * (w = 0 on every modality: the position fuses to the zero vector) instead of a mask token.
 *
 * @example
 * ```ts
 * await trainModel(model, split, {}, cl4srecHooks({ weight: 0.1 }));
 * ```
 */
import { tf } from "../backend/tf.ts";
import type { Scalar } from "../backend/tf.ts";
import type { SequenceBatch } from "../data/types.ts";
import { CONTRASTIVE_TEMPERATURE_RANGE, infoNce, type SimilarityKind } from "../losses/info_nce.ts";
import { ntXent } from "../losses/nt_xent.ts";
import {
  type AuxiliaryLossContext,
  oneRowBatchRefusal,
  type TrainerConfig,
  type TrainerHooks,
  type TrainingBudget,
} from "../train/config.ts";
import {
  checkNumber,
  checkOneOf,
  checkSettingNames,
  SettingError,
  withDefaults,
} from "../util/settings.ts";
import { createRng, type Rng } from "../util/random.ts";

/** One augmented history: the items kept and which of them are masked. */
export interface AugmentedView {
  /** The item ids of the view's positions, in order. */
  items: Int32Array;
  /** 1 where the position is masked (fused to zero). */
  masked: Uint8Array;
}

/**
 * The form of the contrastive loss: CL4SRec's symmetric NT-Xent (2(N - 1) negatives per view) or
 * the one-directional InfoNCE used before 2026-12-03 (N - 1 negatives per anchor).
 */
export type Cl4SRecLossForm = "nt_xent" | "one_way";

/** The allowed {@linkcode Cl4SRecLossForm} values, for validation and error messages. */
export const CL4SREC_LOSS_FORMS: readonly Cl4SRecLossForm[] = ["nt_xent", "one_way"];

/** One of CL4SRec's three augmentations. */
export type Cl4SRecAugmentation = "crop" | "mask" | "reorder";

/** The allowed {@linkcode Cl4SRecAugmentation} values, in the order a view draws among them. */
export const CL4SREC_AUGMENTATIONS: readonly Cl4SRecAugmentation[] = Object.freeze([
  "crop",
  "mask",
  "reorder",
]);

/** The similarities the contrastive loss takes, for validation and error messages. */
export const CL4SREC_SIMILARITIES: readonly SimilarityKind[] = ["dot", "cosine"];

/** Configuration of the CL4SRec augmentations and loss. */
export interface Cl4SRecConfig {
  /** Crop keeps a contiguous floor(cropRatio * n) items (at least 1). Default 0.6. */
  cropRatio: number;
  /** Mask hides floor(maskRatio * n) random positions. Default 0.3. */
  maskRatio: number;
  /** Reorder shuffles a contiguous floor(reorderRatio * n) items. Default 0.6. */
  reorderRatio: number;
  /** lambda: weight of the contrastive term. Default 0.1. */
  weight: number;
  /** Temperature of the contrastive loss. Default 1.0 (CL4SRec, dot-product similarity). */
  temperature: number;
  /** The contrastive loss's form. Default `"nt_xent"` (CL4SRec's). */
  loss: Cl4SRecLossForm;
  /**
   * Similarity of two views' states. Default `"dot"` (CL4SRec's); `"cosine"` (SimCLR's) takes the
   * states' scale out of the loss, for the diagnosis in `bench/cl4srec_diagnosis.ts`.
   */
  similarity: SimilarityKind;
  /**
   * The augmentations a view draws from, uniformly. Default all three (CL4SRec's); one alone
   * isolates its effect (`bench/cl4srec_diagnosis.ts`).
   */
  augmentations: readonly Cl4SRecAugmentation[];
}

/** Defaults of {@linkcode Cl4SRecConfig}. */
export const DEFAULT_CL4SREC_CONFIG: Cl4SRecConfig = Object.freeze({
  cropRatio: 0.6,
  maskRatio: 0.3,
  reorderRatio: 0.6,
  weight: 0.1,
  temperature: 1.0,
  loss: "nt_xent",
  similarity: "dot",
  augmentations: CL4SREC_AUGMENTATIONS,
});

/** Throws a `SettingError` (setting, value, allowed range) for the first field out of range. */
export function validateCl4SRecConfig(config: Cl4SRecConfig): void {
  for (const field of ["cropRatio", "maskRatio", "reorderRatio"] as const) {
    checkNumber(`Cl4SRecConfig.${field}`, config[field], { min: 0, max: 1 });
  }
  checkNumber("Cl4SRecConfig.weight", config.weight, { min: 0 });
  checkNumber("Cl4SRecConfig.temperature", config.temperature, CONTRASTIVE_TEMPERATURE_RANGE);
  checkOneOf("Cl4SRecConfig.loss", config.loss, CL4SREC_LOSS_FORMS);
  checkOneOf("Cl4SRecConfig.similarity", config.similarity, CL4SREC_SIMILARITIES);
  const augmentations: unknown = config.augmentations;
  const allowed = `a non-empty list of distinct ${
    CL4SREC_AUGMENTATIONS.map((a) => `"${a}"`).join(", ")
  }`;
  if (
    !Array.isArray(augmentations) || augmentations.length === 0 ||
    new Set(augmentations).size !== augmentations.length ||
    augmentations.some((a) => !CL4SREC_AUGMENTATIONS.includes(a))
  ) throw new SettingError("Cl4SRecConfig.augmentations", augmentations, allowed);
}

/** A contiguous crop of floor(ratio * n) (>= 1) items. */
export function cropView(items: Int32Array, ratio: number, rng: Rng): AugmentedView {
  const keep = Math.max(1, Math.floor(ratio * items.length));
  const start = rng.int(items.length - keep + 1);
  return { items: items.slice(start, start + keep), masked: new Uint8Array(keep) };
}

/** floor(ratio * n) distinct random positions masked; items copied unchanged. */
export function maskView(items: Int32Array, ratio: number, rng: Rng): AugmentedView {
  const masked = new Uint8Array(items.length);
  const positions = rng.shuffle(Array.from(items.keys())).slice(
    0,
    Math.floor(ratio * items.length),
  );
  for (const p of positions) masked[p] = 1;
  return { items: items.slice(), masked };
}

/** A contiguous window of floor(ratio * n) items shuffled; the rest in place. */
export function reorderView(items: Int32Array, ratio: number, rng: Rng): AugmentedView {
  const width = Math.floor(ratio * items.length);
  const copy = items.slice();
  if (width >= 2) {
    const start = rng.int(items.length - width + 1);
    const window = rng.shuffle(Array.from(copy.subarray(start, start + width)));
    copy.set(window, start);
  }
  return { items: copy, masked: new Uint8Array(items.length) };
}

/** One of the configured augmentations (crop / mask / reorder by default), chosen uniformly. */
export function augmentView(items: Int32Array, config: Cl4SRecConfig, rng: Rng): AugmentedView {
  // One draw even with a single augmentation, so that the rest of the stream does not shift.
  const choice = config.augmentations[rng.int(config.augmentations.length)];
  if (choice === "crop") return cropView(items, config.cropRatio, rng);
  if (choice === "mask") return maskView(items, config.maskRatio, rng);
  return reorderView(items, config.reorderRatio, rng);
}

/**
 * Packs views into a left-padded batch of `length` plus fusion weights w [batch, length, modality]
 * (0 at masked positions).
 */
export function packViews(
  views: AugmentedView[],
  length: number,
  numModalities: number,
): { batch: SequenceBatch; weights: Float32Array } {
  const items = new Int32Array(views.length * length);
  const valid = new Float32Array(views.length * length);
  const weights = new Float32Array(views.length * length * numModalities).fill(1);
  views.forEach((view, row) => {
    const kept = Math.min(length, view.items.length);
    const from = view.items.length - kept;
    const offset = row * length + length - kept;
    items.set(view.items.subarray(from), offset);
    valid.fill(1, offset, offset + kept);
    for (let k = 0; k < kept; k++) {
      if (view.masked[from + k] === 1) {
        weights.fill(0, (offset + k) * numModalities, (offset + k + 1) * numModalities);
      }
    }
  });
  return {
    batch: { users: Int32Array.from(views.keys()), items, valid, batchSize: views.length, length },
    weights,
  };
}

/** The real (unpadded) history of each row of a batch. */
export function batchHistories(batch: SequenceBatch): Int32Array[] {
  return Array.from({ length: batch.batchSize }, (_, row) => {
    const items = batch.items.subarray(row * batch.length, (row + 1) * batch.length);
    const valid = batch.valid.subarray(row * batch.length, (row + 1) * batch.length);
    return items.filter((_, t) => valid[t] === 1);
  });
}

/**
 * CL4SRec's trainer hooks: its `auxiliaryLoss` ({@linkcode cl4srecAuxiliaryLoss}) and a
 * `checkTrainerConfig` that refuses, before the first step, a run that would train a batch of 1
 * row, which has no negative (`oneRowBatchRefusal`, naming `TrainerConfig.batchSize`): without it
 * the loss refuses that batch when it comes, at the end of the first epoch.
 *
 * @example
 * ```ts
 * await trainModel(model, split, { batchSize: 64 }, cl4srecHooks({ weight: 0.1 }));
 * ```
 */
export function cl4srecHooks(
  configInput: Partial<Cl4SRecConfig> = {},
): Pick<TrainerHooks, "auxiliaryLoss" | "checkTrainerConfig"> {
  return {
    auxiliaryLoss: cl4srecAuxiliaryLoss(configInput),
    checkTrainerConfig: (trainer, budget) => {
      const refusal = cl4srecRunRefusal(trainer, budget);
      if (refusal) throw refusal;
    },
  };
}

/**
 * Why a CL4SRec run under `trainer` on a split of `budget` could not finish, as the `SettingError`
 * its hooks' `checkTrainerConfig` throws before the first step (a batch of 1 row:
 * `oneRowBatchRefusal`); else undefined. The one home of the rule: a plan checks its cells with it
 * before the first one trains (`checkCellsFitData`).
 *
 * @example
 * ```ts
 * const trainer = resolveTrainerConfig({ batchSize: 64 });
 * const refusal = cl4srecRunRefusal(trainer, trainingBudget(split, trainer));
 * if (refusal) throw refusal;
 * ```
 */
export function cl4srecRunRefusal(
  trainer: TrainerConfig,
  budget: TrainingBudget,
): SettingError | undefined {
  return oneRowBatchRefusal("CL4SRec's contrastive loss", trainer, budget);
}

/**
 * The trainer hook: lambda * contrastive loss (view 1's last states, view 2's last states). Alone
 * it refuses a batch of 1 row when it comes; {@linkcode cl4srecHooks} refuses such a run up front.
 */
export function cl4srecAuxiliaryLoss(
  configInput: Partial<Cl4SRecConfig> = {},
): (context: AuxiliaryLossContext) => Scalar {
  // A mistyped name (`wieght`) used to train at the default weight, silently.
  checkSettingNames("Cl4SRecConfig", configInput, DEFAULT_CL4SREC_CONFIG);
  const config = withDefaults(DEFAULT_CL4SREC_CONFIG, configInput);
  validateCl4SRecConfig(config);
  return ({ model, batch, seed }) => {
    // The loss's own refusal ("ntXent: needs at least 2 rows") named no setting; a split whose
    // rows leave 1 over after full batches reaches it at the end of the first epoch.
    if (batch.batchSize < 2) {
      throw new Error(
        `CL4SRec: a training batch of ${batch.batchSize} row has no other row to be its ` +
          "negative (the contrastive loss needs at least 2 rows a batch): TrainerConfig.batchSize " +
          "is 1, or the epoch's training rows (a user's windows) leave 1 over after full " +
          "batches of it; choose a batchSize >= 2 that leaves none or at least 2",
      );
    }
    const rng = createRng(seed);
    const histories = batchHistories(batch);
    const lastStates = (viewSeed: number) => {
      const views = histories.map((items) => augmentView(items, config, rng));
      const packed = packViews(views, batch.length, model.numModalities);
      const weights = tf.tensor3d(packed.weights, [
        batch.batchSize,
        batch.length,
        model.numModalities,
      ]);
      const out = model.forward(packed.batch, { weights, training: true, dropoutSeed: viewSeed });
      return tf.reshape(
        tf.slice(out.states, [0, batch.length - 1, 0], [batch.batchSize, 1, model.config.dim]),
        [batch.batchSize, model.config.dim],
      ) as tf.Tensor2D;
    };
    return tf.tidy(() => {
      const first = lastStates(seed + 101);
      const second = lastStates(seed + 202);
      const options = { temperature: config.temperature, similarity: config.similarity };
      const loss = config.loss === "nt_xent"
        ? ntXent(first, second, options)
        : infoNce(first, second, options);
      return tf.mul(loss, config.weight) as tf.Scalar;
    });
  };
}
