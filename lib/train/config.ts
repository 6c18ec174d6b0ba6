/**
 * The trainer's configuration, its defaults and its one validator, and the types of the hooks
 * through which Demure and CL4SRec extend the loop. Apart from the loop (`trainer.ts`) and the
 * run checkpoints (`_run_checkpoints.ts`) so that both import it and not each other.
 */
import type { Scalar, Tensor3D, Tensor4D } from "../backend/tf.ts";
import type { Json } from "../checkpoint/checkpoint.ts";
import type { HostTensor } from "../checkpoint/safetensors.ts";
import type { SequenceBatch } from "../data/types.ts";
import { DEFAULT_EVAL_CHUNK_SIZE } from "../eval/evaluate.ts";
import {
  DEFAULT_RANKING_PROTOCOL,
  RANKING_PROTOCOLS,
  type RankingProtocol,
} from "../eval/protocol.ts";
import {
  DEFAULT_RECOMMENDATION_LOSS,
  describeLoss,
  RECOMMENDATION_LOSS_SETTINGS,
  type RecommendationLossConfig,
  validateRecommendationLossConfig,
} from "../losses/recommendation.ts";
import type { ForwardOutput, SequentialRecommender } from "../models/sequential_recommender.ts";
import {
  checkBoolean,
  checkInteger,
  checkNumber,
  checkOneOf,
  checkSettingNames,
  SEED_RANGE,
  SettingError,
  type SettingNames,
  withDefaults,
} from "../util/settings.ts";
import {
  ADAM_CONFIG_SETTINGS,
  type AdamConfig,
  DEFAULT_ADAM_CONFIG,
  validateAdamConfig,
} from "./adam.ts";
import type { EpochProgress, ValidationProgressCallback } from "./progress.ts";

/** Configuration of `trainModel`; ranges in `docs/configuration.md`. */
export interface TrainerConfig {
  /** Integer >= 1. Default 30 (the README's protocol; a dataset that needs more says so in the
   * plan's `datasetTraining`). */
  maxEpochs: number;
  /** Rows per batch, a row being one (user, window) (see `windows`); integer >= 1. Default 128. */
  batchSize: number;
  /** Default {@linkcode DEFAULT_ADAM_CONFIG} (lr 2e-3). */
  optimizer: AdamConfig;
  /** Default cross-entropy over all items, all positions. */
  loss: RecommendationLossConfig;
  /** Stop after this many evaluations without a better validation NDCG@10 (integer >= 1). Default 4. */
  patience: number;
  /** Evaluate on validation every this many epochs (integer >= 1). Default 1. */
  evalEvery: number;
  /** Users per evaluation chunk (integer >= 1). Default {@linkcode DEFAULT_EVAL_CHUNK_SIZE} (256). */
  evalChunkSize: number;
  /**
   * Full-ranking protocol of validation, hence of early stopping (and of the cell's test, see
   * `runCell`): `history_excluded` or `history_kept`. Default {@linkcode DEFAULT_RANKING_PROTOCOL}.
   */
  ranking: RankingProtocol;
  /** Seed of batch order, dropout and negatives (integer >= 0 and <= 2^31 - 1). Default 0. */
  seed: number;
  /**
   * Which windows of a long training history are trained on: `"all"` (default: every interaction
   * is a target once per epoch) or `"last"` (the most recent `maxLength` only). See
   * `BatcherConfig.windows`.
   */
  windows: "all" | "last";
  /** Cap on batches per epoch (quick runs, smoke tests), integer >= 1; default undefined = all. */
  maxBatchesPerEpoch?: number;
  /** Save `last` and `best` checkpoints here after every epoch. Default undefined (none). */
  checkpointDir?: string;
  /** Continue from `<checkpointDir>/last` when it exists. Default true. */
  resume: boolean;
  /**
   * Wall-clock budget in seconds (> 0): the run stops after the epoch during which the budget ran
   * out, restores the best weights and sets `TrainingResult.stoppedBy` to `"time_budget"`.
   * Default undefined (no budget). A resumed run counts the training time its checkpoint saved
   * (the processes before, up to their last saved epoch), so a preempted run trains as many
   * epochs as an uninterrupted one. Not part of the resume key: a resumed run may get a new
   * budget, for the whole run's time.
   */
  maxWallSeconds?: number;
  /**
   * Divergence guard (> 1): training stops with `TrainingDivergedError` when a step's L_rec
   * exceeds this many times the loss of a uniform guess (ln numItems for cross-entropy, 2 ln 2
   * for BCE). A healthy run stays below 1x after its first steps. Default 100.
   */
  divergenceFactor: number;
}

/**
 * The trainer settings given (a cell's `training`, a plan's), in words for a page: notebook 02
 * printed them as a JSON object. Settings not given are not named (their defaults apply);
 * bookkeeping that does not change what is trained (evaluation chunk size, checkpoint folder,
 * resuming) is left out.
 *
 * @example
 * ```ts
 * describeTraining({ maxEpochs: 3, patience: 3, batchSize: 64 });
 * // "at most 3 epochs, early stopping after 3 validations without a better NDCG@10, batch size 64"
 * ```
 */
export function describeTraining(config: Partial<TrainerConfig>): string {
  const c = config;
  const adam = (o: AdamConfig) =>
    `Adam (learning rate ${o.learningRate}, beta1 ${o.beta1}, beta2 ${o.beta2}, ` +
    `epsilon ${o.epsilon}, weight decay ${o.weightDecay}` +
    (o.clipNorm === undefined ? ")" : `, gradients clipped to norm ${o.clipNorm})`);
  const parts = [
    c.maxEpochs === undefined ? undefined : `at most ${c.maxEpochs} epochs`,
    c.patience === undefined
      ? undefined
      : `early stopping after ${c.patience} validations without a better NDCG@10`,
    c.evalEvery === undefined ? undefined : `validation every ${c.evalEvery} epochs`,
    c.batchSize === undefined ? undefined : `batch size ${c.batchSize}`,
    c.maxBatchesPerEpoch === undefined
      ? undefined
      : `at most ${c.maxBatchesPerEpoch} batches per epoch`,
    c.windows === undefined
      ? undefined
      : c.windows === "all"
      ? "every window of each training history"
      : "the last window of each training history",
    c.optimizer === undefined ? undefined : adam(c.optimizer),
    c.loss === undefined ? undefined : `loss: ${describeLoss(c.loss)}`,
    c.ranking === undefined ? undefined : `validation ranking ${c.ranking}`,
    c.seed === undefined ? undefined : `seed ${c.seed}`,
    c.maxWallSeconds === undefined ? undefined : `at most ${c.maxWallSeconds} s`,
    c.divergenceFactor === undefined ? undefined : `divergence guard ${c.divergenceFactor}x`,
  ];
  const named = parts.filter((part) => part !== undefined);
  return named.length === 0 ? "the trainer's defaults" : named.join(", ");
}

/**
 * Defaults of {@linkcode TrainerConfig}: the README's protocol (tests/train/defaults_test.ts checks
 * that they agree). Per-dataset changes (MovieLens's patience) live in the experiment plan. Frozen,
 * like {@linkcode DEFAULT_ADAM_CONFIG}: a write to a shared default would change every later run.
 */
export const DEFAULT_TRAINER_CONFIG: TrainerConfig = Object.freeze({
  maxEpochs: 30,
  batchSize: 128,
  optimizer: DEFAULT_ADAM_CONFIG,
  loss: DEFAULT_RECOMMENDATION_LOSS,
  patience: 4,
  evalEvery: 1,
  evalChunkSize: DEFAULT_EVAL_CHUNK_SIZE,
  ranking: DEFAULT_RANKING_PROTOCOL,
  seed: 0,
  windows: "all",
  resume: true,
  divergenceFactor: 100,
});

/** Every setting of {@linkcode TrainerConfig}, the optional ones included. */
export const TRAINER_CONFIG_SETTINGS: SettingNames<TrainerConfig> = Object.freeze({
  maxEpochs: true,
  batchSize: true,
  optimizer: true,
  loss: true,
  patience: true,
  evalEvery: true,
  evalChunkSize: true,
  ranking: true,
  seed: true,
  windows: true,
  maxBatchesPerEpoch: true,
  checkpointDir: true,
  resume: true,
  maxWallSeconds: true,
  divergenceFactor: true,
});

/**
 * Throws a `SettingError` (setting, value, allowed range) for the first field of `config` out of
 * range; ranges in `docs/configuration.md`.
 */
export function validateTrainerConfig(config: TrainerConfig): void {
  const name = (field: string) => `TrainerConfig.${field}`;
  checkInteger(name("maxEpochs"), config.maxEpochs, { min: 1 });
  checkInteger(name("batchSize"), config.batchSize, { min: 1 });
  checkInteger(name("patience"), config.patience, { min: 1 });
  checkInteger(name("evalEvery"), config.evalEvery, { min: 1 });
  checkInteger(name("evalChunkSize"), config.evalChunkSize, { min: 1 });
  checkInteger(name("seed"), config.seed, SEED_RANGE);
  checkOneOf(name("windows"), config.windows, ["all", "last"]);
  checkOneOf(name("ranking"), config.ranking, RANKING_PROTOCOLS);
  if (config.maxBatchesPerEpoch !== undefined) {
    checkInteger(name("maxBatchesPerEpoch"), config.maxBatchesPerEpoch, { min: 1 });
  }
  if (
    config.checkpointDir !== undefined &&
    (typeof config.checkpointDir !== "string" || config.checkpointDir === "")
  ) {
    throw new SettingError(name("checkpointDir"), config.checkpointDir, "a non-empty path");
  }
  checkBoolean(name("resume"), config.resume);
  if (config.maxWallSeconds !== undefined) {
    checkNumber(name("maxWallSeconds"), config.maxWallSeconds, { above: 0 });
  }
  checkNumber(name("divergenceFactor"), config.divergenceFactor, { above: 1 });
  validateAdamConfig(config.optimizer, "TrainerConfig.optimizer");
  validateRecommendationLossConfig(config.loss, "TrainerConfig.loss");
}

/** An optimizer or loss setting given at the top of a trainer config: where it belongs. */
const NESTED_TRAINER_SETTINGS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries([
    ...Object.keys(ADAM_CONFIG_SETTINGS).map(belongsTo("optimizer")),
    ...Object.keys(RECOMMENDATION_LOSS_SETTINGS).map(belongsTo("loss")),
  ]),
);

function belongsTo(home: string): (key: string) => [string, string] {
  return (key) => [key, `a setting of ${home}, not of the trainer: { ${home}: { ${key} } }`];
}

/**
 * Fills in the defaults of {@linkcode TrainerConfig} and validates the result. A key that is not a
 * setting (`epochs`, `lr`, `optimizer.learningrate`) is a `SettingError`, not a silent default.
 */
export function resolveTrainerConfig(input: Partial<TrainerConfig> = {}): TrainerConfig {
  checkSettingNames("TrainerConfig", input, TRAINER_CONFIG_SETTINGS, NESTED_TRAINER_SETTINGS);
  if (input.optimizer !== undefined) {
    checkSettingNames("TrainerConfig.optimizer", input.optimizer, ADAM_CONFIG_SETTINGS);
  }
  if (input.loss !== undefined) {
    checkSettingNames("TrainerConfig.loss", input.loss, RECOMMENDATION_LOSS_SETTINGS);
  }
  // A setting given as undefined is its default, as if left out (`withDefaults`).
  const config: TrainerConfig = {
    ...withDefaults(DEFAULT_TRAINER_CONFIG, input),
    optimizer: withDefaults(DEFAULT_ADAM_CONFIG, input.optimizer),
    loss: withDefaults(DEFAULT_RECOMMENDATION_LOSS, input.loss),
  };
  validateTrainerConfig(config);
  return config;
}

/** What {@linkcode TrainerHooks.auxiliaryLoss} sees (all tensors live inside the gradient tape). */
export interface AuxiliaryLossContext extends ForwardOutput {
  /** The model being trained. */
  model: SequentialRecommender;
  /** The step's batch. */
  batch: SequenceBatch;
  /** Global step (0-based, counts across epochs and resumptions). */
  step: number;
  /** 0-based epoch. */
  epoch: number;
  /** L_rec of this batch. */
  recommendationLoss: Scalar;
  /** Seed for any randomness of the hook at this step. */
  seed: number;
}

/** State a hook keeps across steps, stored in the `last` checkpoint so a resumed run continues it. */
export interface HookState {
  /** Plain-JSON part of the state (counters, settings). */
  json: Json;
  /** Tensor part of the state, on the host, by name. */
  tensors: Map<string, HostTensor>;
}

/** The most a run can train, given to {@linkcode TrainerHooks.checkTrainerConfig}. */
export interface TrainingBudget {
  /**
   * Training steps (batches) of every epoch: the split's batch count, capped by
   * `TrainerConfig.maxBatchesPerEpoch`. The run trains at most `maxEpochs` times as many.
   */
  stepsPerEpoch: number;
  /** Training rows of an epoch: every user's windows (`TrainerConfig.windows`), batched or not. */
  rowsPerEpoch: number;
  /**
   * Rows of the smallest batch the run trains. Every epoch cuts its rows alike (only their order
   * changes): full batches of `batchSize`, then the rows left over, unless
   * `TrainerConfig.maxBatchesPerEpoch` stops the epoch before that last batch.
   */
  smallestBatchRows: number;
  /** The most training rows (windows) of one user's history: 1 with `windows: "last"`. */
  mostRowsOfAUser: number;
}

/**
 * Why a run cannot train an objective whose contrastive loss takes a row's negatives from the
 * batch's other rows (CL4SRec; Demure without its noise view): a `SettingError` naming
 * `TrainerConfig.batchSize`, its value and the sizes that work, when the run would train a batch
 * of 1 row (a `batchSize` of 1, or an epoch's rows leaving 1 over after full batches); else
 * undefined. `objective` says whose loss it is, `otherwise` any other way out (appended). Checked
 * before the first step: the loss itself refuses such a batch only when it comes, at the end of
 * the first epoch (or of the warm-up).
 */
export function oneRowBatchRefusal(
  objective: string,
  config: TrainerConfig,
  budget: TrainingBudget,
  otherwise = "",
): SettingError | undefined {
  if (budget.smallestBatchRows !== 1) return undefined;
  const rows = budget.rowsPerEpoch;
  const trainsOneRow = (batchSize: number) => {
    const batches = Math.ceil(rows / batchSize);
    const trained = Math.min(batches, config.maxBatchesPerEpoch ?? Infinity);
    return batchSize === 1 || (trained === batches && rows % batchSize === 1);
  };
  const near = nearestPassing(config.batchSize, rows, (batchSize) => !trainsOneRow(batchSize));
  const sizes = near.length === 0
    ? `none: the epoch has ${rows} training row, so every batch is a batch of 1 (give the ` +
      "split more users or longer histories)"
    : `an integer >= 2 that leaves none or at least 2 of the epoch's ${rows} training rows ` +
      `(users' windows) over after full batches (the nearest: ${near.join(" or ")})`;
  return new SettingError(
    "TrainerConfig.batchSize",
    config.batchSize,
    `${sizes}; ${objective} takes a row's negatives from the other rows of its batch, which a ` +
      `batch of 1 row does not have${otherwise}`,
  );
}

/** The passing values nearest `value` below and above it (integers >= 2 up to `most`). */
function nearestPassing(value: number, most: number, passes: (n: number) => boolean): number[] {
  const found: number[] = [];
  for (let n = Math.min(value - 1, most); n >= 2; n--) {
    if (passes(n)) {
      found.push(n);
      break;
    }
  }
  for (let n = Math.max(value + 1, 2); n <= Math.max(most, 2); n++) {
    if (passes(n)) {
      found.push(n);
      break;
    }
  }
  return found;
}

/** Extension points; all optional. */
export interface TrainerHooks {
  /** w [batch, position, modality] for this step's forward pass; the trainer disposes it. */
  inputMask?: (
    batch: SequenceBatch,
    step: number,
  ) => Tensor3D | undefined | Promise<Tensor3D | undefined>;
  /** A scalar added to L_rec inside the gradient tape. */
  auxiliaryLoss?: (context: AuxiliaryLossContext) => Scalar;
  /**
   * Called during the step's backward pass with dL_rec/dE: the gradient of the recommendation
   * loss with respect to the modality embeddings E the recommendation pass fuses (the
   * `auxiliaryLoss` reaches E only through the context's untapped `embeddings`, so its gradient
   * is not in it), and E's values. Both are disposed after the call: `tf.keep` what is derived
   * from them and read it in {@linkcode afterStep}. Default none (no tap in the graph).
   */
  recommendationGradient?: (gradient: Tensor4D, embeddings: Tensor4D, step: number) => void;
  /**
   * Called once at the end of every step, after the update (`applied` true) or after a step that
   * failed (`applied` false; dispose what was kept, store nothing). Awaited by the trainer, so
   * the state it changes is complete before the next step and before a checkpoint.
   */
  afterStep?: (step: number, applied: boolean) => void | Promise<void>;
  /**
   * Called after each epoch (and its validation), before the epoch's checkpoint is saved: state
   * that an epoch's outcome changes (Demure's warm-up by epochs or plateau, its per-epoch noise
   * counts) is then in that checkpoint, so a run resumed from it continues as an uninterrupted one.
   */
  afterEpoch?: (progress: EpochProgress) => void;
  /**
   * Called once before the first step with the resolved configuration and the run's length in
   * steps: throws a `SettingError` for a combination the hooks cannot train (Demure's warm-up that
   * early stopping or the epoch cap would always end first, so that the run would never denoise).
   */
  checkTrainerConfig?: (config: TrainerConfig, budget: TrainingBudget) => void;
  /** Called after each epoch, after its checkpoint; default `printProgress`. */
  onProgress?: (progress: EpochProgress) => void;
  /**
   * An epoch's validation while it runs (its epoch, users scored of all), every 5 s at most and
   * never for a validation done sooner: a full ranking of a large dataset's users runs for minutes
   * before the epoch's line. Default: with the default `onProgress`, its line
   * (`validationProgressLine`) on stderr; with an `onProgress` of the caller's, none (the caller
   * shows progress its own way). Not called when `validate` is the caller's.
   */
  onValidationProgress?: ValidationProgressCallback;
  /** Validation metrics; default full-ranking validation metrics of the model (NDCG@10 decides). */
  validate?: (
    model: SequentialRecommender,
  ) => Record<string, number> | Promise<Record<string, number>>;
  /**
   * The hooks' own state (e.g. Demure's noise-mask cache and counters): saved with every `last`
   * checkpoint and restored on resume, so a resumed run is bit-identical to an uninterrupted one.
   */
  checkpointState?: {
    save(): HookState;
    restore(state: HookState): void;
  };
}

/** Every hook of {@linkcode TrainerHooks}. */
export const TRAINER_HOOK_NAMES: SettingNames<TrainerHooks> = Object.freeze({
  inputMask: true,
  auxiliaryLoss: true,
  recommendationGradient: true,
  afterStep: true,
  afterEpoch: true,
  checkTrainerConfig: true,
  onProgress: true,
  onValidationProgress: true,
  validate: true,
  checkpointState: true,
});

/**
 * Throws a `SettingError` for a hook `TrainerHooks` does not have, or one that is not a function
 * (`checkpointState`: an object with `save` and `restore`). The trainer reads hooks by name, so a
 * misspelt `auxilaryLoss` trained the plain objective without a word, as if no hook were given.
 */
export function validateTrainerHooks(hooks: TrainerHooks): void {
  checkSettingNames("TrainerHooks", hooks, TRAINER_HOOK_NAMES);
  for (const [name, hook] of Object.entries(hooks)) {
    if (hook === undefined) continue;
    if (name === "checkpointState") {
      // `?.`: a null state is refused like any other value, not a TypeError from reading it.
      const state = hook as Partial<NonNullable<TrainerHooks["checkpointState"]>> | null;
      if (typeof state?.save !== "function" || typeof state?.restore !== "function") {
        throw new SettingError(
          "TrainerHooks.checkpointState",
          hook,
          "an object with the functions save and restore",
        );
      }
    } else if (typeof hook !== "function") {
      throw new SettingError(`TrainerHooks.${name}`, hook, "a function");
    }
  }
}

/** The outcome of a run; the model holds the best weights afterwards. */
export interface TrainingResult {
  /** Best validation NDCG@10 of the run. */
  bestValidation: number;
  /** 1-based epoch of the best validation NDCG@10 (0 if never evaluated). */
  bestEpoch: number;
  /** Epochs trained by this call (the resumed ones not counted). */
  epochsRun: number;
  /** True when patience or the time budget ended the run before `maxEpochs`. */
  stoppedEarly: boolean;
  /** What ended the run. */
  stoppedBy: "max_epochs" | "patience" | "time_budget";
  /** Epoch the run resumed after (0 = fresh start). */
  resumedFromEpoch: number;
  /** Progress of every epoch. */
  history: EpochProgress[];
  /**
   * Wall time of this call in seconds (a resumed run's earlier processes not counted; its time
   * budget counts them).
   */
  totalSeconds: number;
  /** Mean wall time of one training step over the run. */
  meanStepSeconds: number;
  /** The resolved trainer configuration. */
  config: TrainerConfig;
}

/** Why a run ended: {@linkcode TrainingResult.stoppedBy}. */
export type StopReason = TrainingResult["stoppedBy"];

/** Thrown when the loss or the gradients stop being finite, or the loss explodes. */
export class TrainingDivergedError extends Error {
  /** Always `"TrainingDivergedError"`. */
  override name = "TrainingDivergedError";
}
