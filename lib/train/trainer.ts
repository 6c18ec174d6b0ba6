/**
 * The training loop: Adam, seeded batches / dropout / negatives, per-epoch progress, early stopping
 * on validation NDCG@10 with patience, best-weights restore, NaN/Inf detection, and resumption from
 * `<checkpointDir>/last` after a crash or kernel restart.
 *
 * Demure plugs in WITHOUT forking the loop through two hooks:
 * - `inputMask(batch, step)` returns w [batch, position, modality] for the recommendation forward
 *   pass (called outside the gradient tape, so it may itself take gradients; the trainer disposes it);
 * - `auxiliaryLoss(context)` returns a scalar added to L_rec INSIDE the same gradient tape; the
 *   context carries the model and every intermediate of the forward pass.
 *
 * @example
 * ```ts
 * const model = new SequentialRecommender(split.dataset, { backbone: "sasrec" });
 * const result = await trainModel(model, split, { maxEpochs: 50, patience: 5 });
 * console.log(result.bestValidation, result.bestEpoch);
 * ```
 */
import { tf } from "../backend/tf.ts";
import { assertSynchronousReads } from "../backend/webgpu.ts";
import type { LeaveOneOutSplit, SequenceBatch } from "../data/types.ts";
import { trainingBatches } from "../data/protocol/batcher.ts";
import { evaluateRanking } from "../eval/evaluate.ts";
import { modelScorer } from "../eval/scorer.ts";
import {
  DEFAULT_RECOMMENDATION_LOSS,
  recommendationLoss,
  type RecommendationLossConfig,
} from "../losses/recommendation.ts";
import { sampleNegatives } from "../losses/negative_sampling.ts";
import type { ForwardOutput, SequentialRecommender } from "../models/sequential_recommender.ts";
import { createRng, hashSeeds } from "../util/random.ts";
import { Adam, type AdamConfig, DEFAULT_ADAM_CONFIG } from "./adam.ts";
import { type EpochProgress, printProgress } from "./progress.ts";
import { freshResumeState, restoreRun, type ResumeState, saveRun } from "./_run_checkpoints.ts";

/** Configuration of {@linkcode trainModel}. */
export interface TrainerConfig {
  /** Default 200. */
  maxEpochs: number;
  /** Users per batch. Default 128. */
  batchSize: number;
  /** Default {@linkcode DEFAULT_ADAM_CONFIG} (lr 1e-3). */
  optimizer: AdamConfig;
  /** Default cross-entropy over all items, all positions. */
  loss: RecommendationLossConfig;
  /** Stop after this many evaluations without a better validation NDCG@10. Default 5. */
  patience: number;
  /** Evaluate on validation every this many epochs. Default 1. */
  evalEvery: number;
  /** Users per evaluation chunk. Default 256. */
  evalChunkSize: number;
  /** Seed of batch order, dropout and negatives. Default 0. */
  seed: number;
  /**
   * Which windows of a long training history are trained on: `"all"` (default: every interaction
   * is a target once per epoch) or `"last"` (the most recent `maxLength` only). See
   * `BatcherConfig.windows`.
   */
  windows: "all" | "last";
  /** Cap on batches per epoch (quick runs, smoke tests); default undefined = all. */
  maxBatchesPerEpoch?: number;
  /** Save `last` and `best` checkpoints here after every epoch. Default undefined (none). */
  checkpointDir?: string;
  /** Continue from `<checkpointDir>/last` when it exists. Default true. */
  resume: boolean;
}

/** Defaults of {@linkcode TrainerConfig}. */
export const DEFAULT_TRAINER_CONFIG: TrainerConfig = {
  maxEpochs: 200,
  batchSize: 128,
  optimizer: DEFAULT_ADAM_CONFIG,
  loss: DEFAULT_RECOMMENDATION_LOSS,
  patience: 5,
  evalEvery: 1,
  evalChunkSize: 256,
  seed: 0,
  windows: "all",
  resume: true,
};

/** What {@linkcode TrainerHooks.auxiliaryLoss} sees (all tensors live inside the gradient tape). */
export interface AuxiliaryLossContext extends ForwardOutput {
  model: SequentialRecommender;
  batch: SequenceBatch;
  /** Global step (0-based, counts across epochs and resumptions). */
  step: number;
  /** 0-based epoch. */
  epoch: number;
  /** L_rec of this batch. */
  recommendationLoss: tf.Scalar;
  /** Seed for any randomness of the hook at this step. */
  seed: number;
}

/** Extension points; all optional. */
export interface TrainerHooks {
  /** w [batch, position, modality] for this step's forward pass; the trainer disposes it. */
  inputMask?: (batch: SequenceBatch, step: number) => tf.Tensor3D | undefined;
  /** A scalar added to L_rec inside the gradient tape. */
  auxiliaryLoss?: (context: AuxiliaryLossContext) => tf.Scalar;
  /** Called after each epoch; default {@linkcode printProgress}. */
  onProgress?: (progress: EpochProgress) => void;
  /** Validation metrics; default full-ranking validation metrics of the model (NDCG@10 decides). */
  validate?: (model: SequentialRecommender) => Record<string, number>;
}

/** The outcome of a run; the model holds the best weights afterwards. */
export interface TrainingResult {
  bestValidation: number;
  /** 1-based epoch of the best validation NDCG@10 (0 if never evaluated). */
  bestEpoch: number;
  epochsRun: number;
  stoppedEarly: boolean;
  /** Epoch the run resumed after (0 = fresh start). */
  resumedFromEpoch: number;
  history: EpochProgress[];
  totalSeconds: number;
  /** Mean wall time of one training step over the run. */
  meanStepSeconds: number;
  config: TrainerConfig;
}

/** Thrown when the loss or the gradients stop being finite. */
export class TrainingDivergedError extends Error {
  override name = "TrainingDivergedError";
}

/** Fills in the defaults of {@linkcode TrainerConfig}. */
export function resolveTrainerConfig(input: Partial<TrainerConfig> = {}): TrainerConfig {
  return {
    ...DEFAULT_TRAINER_CONFIG,
    ...input,
    optimizer: { ...DEFAULT_ADAM_CONFIG, ...input.optimizer },
    loss: { ...DEFAULT_RECOMMENDATION_LOSS, ...input.loss },
  };
}

/** Trains `model` on `split.train`, validating on `split.validTarget`. */
export async function trainModel(
  model: SequentialRecommender,
  split: LeaveOneOutSplit,
  configInput: Partial<TrainerConfig> = {},
  hooks: TrainerHooks = {},
): Promise<TrainingResult> {
  assertSynchronousReads("trainModel");
  const config = resolveTrainerConfig(configInput);
  if (split.maxLength > model.config.maxLength) {
    throw new Error(
      `split.maxLength ${split.maxLength} exceeds the model's maxLength ${model.config.maxLength}`,
    );
  }
  const onProgress = hooks.onProgress ?? printProgress;
  const validate = hooks.validate ??
    ((m: SequentialRecommender) =>
      evaluateRanking(modelScorer(m), split, { stage: "valid", chunkSize: config.evalChunkSize })
        .metrics);
  const adam = new Adam(config.optimizer);
  const fingerprint = split.dataset.metadata.fingerprint;
  const state: ResumeState = config.checkpointDir && config.resume
    ? restoreRun(config.checkpointDir, model, adam, config, fingerprint)
    : freshResumeState();
  const resumedFromEpoch = state.epochsDone;
  const started = performance.now();
  let totalStepSeconds = 0;
  let totalSteps = 0;
  let stoppedEarly = false;
  try {
    for (let epoch = state.epochsDone; epoch < config.maxEpochs; epoch++) {
      const epochStart = performance.now();
      let batches = trainingBatches(split, epoch, {
        batchSize: config.batchSize,
        seed: config.seed,
        shuffle: true,
        windows: config.windows,
      });
      if (config.maxBatchesPerEpoch !== undefined) {
        batches = batches.slice(0, config.maxBatchesPerEpoch);
      }
      let lossSum = 0;
      let recSum = 0;
      let auxSum = 0;
      let stepSeconds = 0;
      for (const batch of batches) {
        const stepStart = performance.now();
        const losses = trainStep(model, adam, batch, state.step, epoch, config, hooks);
        stepSeconds += (performance.now() - stepStart) / 1000;
        lossSum += losses.total;
        recSum += losses.recommendation;
        auxSum += losses.auxiliary;
        state.step += 1;
      }
      const steps = Math.max(1, batches.length);
      const isEvalEpoch = (epoch + 1) % config.evalEvery === 0 || epoch + 1 === config.maxEpochs;
      const validation = isEvalEpoch ? validate(model) : undefined;
      let improved = false;
      if (validation !== undefined) {
        const metric = validation["NDCG@10"];
        if (!Number.isFinite(metric)) {
          throw new TrainingDivergedError(
            `validation NDCG@10 is ${metric} after epoch ${epoch + 1}`,
          );
        }
        if (metric > state.bestValidation) {
          improved = true;
          state.bestValidation = metric;
          state.bestEpoch = epoch + 1;
          state.sinceBest = 0;
          if (state.best) tf.dispose([...state.best.values()]);
          state.best = model.parameters.snapshot();
        } else {
          state.sinceBest += 1;
        }
      }
      state.epochsDone = epoch + 1;
      const epochSeconds = (performance.now() - epochStart) / 1000;
      totalStepSeconds += stepSeconds;
      totalSteps += batches.length;
      const meanEpoch = (performance.now() - started) / 1000 /
        (state.epochsDone - resumedFromEpoch);
      const progress: EpochProgress = {
        epoch: epoch + 1,
        maxEpochs: config.maxEpochs,
        loss: lossSum / steps,
        recommendationLoss: recSum / steps,
        auxiliaryLoss: auxSum / steps,
        ...(validation ? { validation } : {}),
        bestValidation: state.bestValidation,
        bestEpoch: state.bestEpoch,
        improved,
        steps: batches.length,
        epochSeconds,
        stepSeconds: stepSeconds / steps,
        secondsLeftAtMost: (config.maxEpochs - epoch - 1) * meanEpoch,
      };
      state.history.push(progress);
      if (config.checkpointDir) {
        saveRun(config.checkpointDir, model, adam, config, fingerprint, state, improved);
      }
      onProgress(progress);
      if (state.sinceBest >= config.patience) {
        stoppedEarly = true;
        break;
      }
      // Yield so a notebook can render the progress line before the next epoch.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (state.best) model.parameters.assign(state.best);
  } finally {
    if (state.best) tf.dispose([...state.best.values()]);
    adam.dispose();
  }
  return {
    bestValidation: state.bestValidation,
    bestEpoch: state.bestEpoch,
    epochsRun: state.epochsDone - resumedFromEpoch,
    stoppedEarly,
    resumedFromEpoch,
    history: state.history,
    totalSeconds: (performance.now() - started) / 1000,
    meanStepSeconds: totalStepSeconds / Math.max(1, totalSteps),
    config,
  };
}

interface StepLosses {
  total: number;
  recommendation: number;
  auxiliary: number;
}

/**
 * One gradient step on one batch. Every tensor it makes is disposed before it returns (the memory
 * test checks `tf.memory().numTensors` stays constant). Exported for step-level benchmarks.
 */
export function trainStep(
  model: SequentialRecommender,
  adam: Adam,
  batch: SequenceBatch,
  step: number,
  epoch: number,
  config: TrainerConfig,
  hooks: TrainerHooks = {},
): StepLosses {
  // Hashed, not added: (seed, step) and (seed, step + 1) must give unrelated dropout masks.
  const stepSeed = hashSeeds(config.seed, step);
  const mask = hooks.inputMask?.(batch, step);
  const negatives = config.loss.kind === "bce"
    ? sampleNegatives(batch, model.numItems, createRng(stepSeed))
    : undefined;
  model.setDropoutSeed(stepSeed);
  const variables = model.trainableVariables();
  const names = model.parameters.names();
  const kept: tf.Tensor[] = [];
  let value: tf.Scalar | undefined;
  let gradients: tf.NamedTensorMap = {};
  try {
    ({ value, grads: gradients } = tf.variableGrads(() => {
      const out = model.forward(batch, { training: true, ...(mask ? { weights: mask } : {}) });
      const rec = recommendationLoss(out.states, out.itemTable, batch, config.loss, negatives);
      kept.push(tf.keep(rec));
      if (!hooks.auxiliaryLoss) return rec;
      const aux = hooks.auxiliaryLoss({
        ...out,
        model,
        batch,
        step,
        epoch,
        recommendationLoss: rec,
        seed: stepSeed,
      });
      kept.push(tf.keep(aux));
      return tf.add(rec, aux) as tf.Scalar;
    }, variables));
    const total = value.dataSync()[0];
    const recommendation = kept[0].dataSync()[0];
    const auxiliary = kept.length > 1 ? kept[1].dataSync()[0] : 0;
    if (!Number.isFinite(total)) {
      throw new TrainingDivergedError(
        `loss is ${total} (L_rec ${recommendation}, auxiliary ${auxiliary}) at epoch ${
          epoch + 1
        }, ` +
          `step ${step}; no update applied. Try a lower learning rate (now ` +
          `${config.optimizer.learningRate}) or gradient clipping (optimizer.clipNorm).`,
      );
    }
    const byName = new Map<string, tf.Tensor>();
    variables.forEach((variable, i) => {
      const gradient = gradients[variable.name];
      if (gradient !== undefined) byName.set(names[i], gradient);
    });
    const norm = adam.apply(model.parameters, byName);
    if (!Number.isFinite(norm)) {
      throw new TrainingDivergedError(
        `gradient norm is ${norm} at epoch ${
          epoch + 1
        }, step ${step} (loss ${total}); the weights ` +
          `are now invalid. Restart from the last checkpoint with a lower learning rate or clipNorm.`,
      );
    }
    return { total, recommendation, auxiliary };
  } finally {
    tf.dispose([...kept, ...Object.values(gradients)]);
    value?.dispose();
    mask?.dispose();
  }
}
