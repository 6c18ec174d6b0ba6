/**
 * The training loop: Adam, seeded batches / dropout / negatives, per-epoch progress, early stopping
 * on validation NDCG@10 with patience, best-weights restore, NaN/Inf detection, and resumption from
 * `<checkpointDir>/last` after a crash or kernel restart.
 *
 * Every read of a tensor value is asynchronous, so the loop runs on GPU backends (webgpu) too, and
 * a step reads once: its losses and its gradient norm travel to the host in one transfer.
 *
 * Demure plugs in WITHOUT forking the loop through two hooks:
 * - `inputMask(batch, step)` returns w [batch, position, modality] for the recommendation forward
 *   pass (called outside the gradient tape, so it may itself take gradients and read values
 *   asynchronously; the trainer disposes it);
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
import { readFloat32 } from "../backend/read_values.ts";
import type { LeaveOneOutSplit, SequenceBatch } from "../data/types.ts";
import { trainingBatches } from "../data/protocol/batcher.ts";
import { evaluateRanking } from "../eval/evaluate.ts";
import { modelScorer } from "../eval/scorer.ts";
import { recommendationLoss } from "../losses/recommendation.ts";
import { sampleNegatives } from "../losses/negative_sampling.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";
import { createRng, hashSeeds } from "../util/random.ts";
import { Adam } from "./adam.ts";
import {
  resolveTrainerConfig,
  type StopReason,
  type TrainerConfig,
  type TrainerHooks,
  TrainingDivergedError,
  type TrainingResult,
} from "./config.ts";
import { type EpochProgress, printProgress } from "./progress.ts";
import { freshResumeState, restoreRun, type ResumeState, saveRun } from "./_run_checkpoints.ts";

export {
  type AuxiliaryLossContext,
  DEFAULT_TRAINER_CONFIG,
  type HookState,
  resolveTrainerConfig,
  type StopReason,
  type TrainerConfig,
  type TrainerHooks,
  TrainingDivergedError,
  type TrainingResult,
  validateTrainerConfig,
} from "./config.ts";

/** Trains `model` on `split.train`, validating on `split.validTarget`. */
export async function trainModel(
  model: SequentialRecommender,
  split: LeaveOneOutSplit,
  configInput: Partial<TrainerConfig> = {},
  hooks: TrainerHooks = {},
): Promise<TrainingResult> {
  const config = resolveTrainerConfig(configInput);
  if (split.maxLength > model.config.maxLength) {
    throw new Error(
      `split.maxLength ${split.maxLength} exceeds the model's maxLength ${model.config.maxLength}`,
    );
  }
  const onProgress = hooks.onProgress ?? printProgress;
  const validate = hooks.validate ??
    (async (m: SequentialRecommender) =>
      (await evaluateRanking(modelScorer(m), split, {
        stage: "valid",
        chunkSize: config.evalChunkSize,
        ranking: config.ranking,
      })).metrics);
  const adam = new Adam(config.optimizer);
  const fingerprint = split.dataset.metadata.fingerprint;
  const state: ResumeState = config.checkpointDir && config.resume
    ? restoreRun(config.checkpointDir, model, adam, config, fingerprint, hooks.checkpointState)
    : freshResumeState();
  const resumedFromEpoch = state.epochsDone;
  const started = performance.now();
  let totalStepSeconds = 0;
  let totalSteps = 0;
  // A run killed after patience ran out (before its result was kept) does not train on.
  let stoppedBy: StopReason = state.sinceBest >= config.patience ? "patience" : "max_epochs";
  // A step whose L_rec exceeds this has diverged (see TrainerConfig.divergenceFactor).
  const uniformLoss = config.loss.kind === "bce" ? 2 * Math.LN2 : Math.log(model.numItems);
  const lossLimit = config.divergenceFactor * Math.max(uniformLoss, 1);
  try {
    for (
      let epoch = state.epochsDone;
      epoch < config.maxEpochs && stoppedBy === "max_epochs";
      epoch++
    ) {
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
        const losses = await trainStep(model, adam, batch, state.step, epoch, config, hooks);
        if (losses.recommendation > lossLimit) {
          throw new TrainingDivergedError(
            `L_rec is ${losses.recommendation} at epoch ${epoch + 1}, step ${state.step}: above ` +
              `${
                lossLimit.toPrecision(4)
              } (TrainerConfig.divergenceFactor ${config.divergenceFactor}` +
              ` x the loss of a uniform guess, ${uniformLoss.toPrecision(4)}). The run diverged; ` +
              `lower TrainerConfig.optimizer.learningRate (now ${config.optimizer.learningRate}) ` +
              `or set optimizer.clipNorm.`,
          );
        }
        stepSeconds += (performance.now() - stepStart) / 1000;
        lossSum += losses.total;
        recSum += losses.recommendation;
        auxSum += losses.auxiliary;
        state.step += 1;
      }
      const steps = Math.max(1, batches.length);
      const isEvalEpoch = (epoch + 1) % config.evalEvery === 0 || epoch + 1 === config.maxEpochs;
      const validation = isEvalEpoch ? await validate(model) : undefined;
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
        await saveRun(
          config.checkpointDir,
          model,
          adam,
          config,
          fingerprint,
          state,
          improved,
          hooks.checkpointState,
        );
      }
      onProgress(progress);
      if (state.sinceBest >= config.patience) {
        stoppedBy = "patience";
        break;
      }
      const elapsed = (performance.now() - started) / 1000;
      if (config.maxWallSeconds !== undefined && elapsed >= config.maxWallSeconds) {
        if (epoch + 1 < config.maxEpochs) stoppedBy = "time_budget";
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
    stoppedEarly: stoppedBy !== "max_epochs",
    stoppedBy,
    resumedFromEpoch,
    history: state.history,
    totalSeconds: (performance.now() - started) / 1000,
    meanStepSeconds: totalStepSeconds / Math.max(1, totalSteps),
    config,
  };
}

/** The losses of one training step ({@linkcode trainStep}), read back as numbers. */
export interface StepLosses {
  /** `recommendation + auxiliary`: the loss the step descended. */
  total: number;
  /** The recommendation loss L_rec of the batch. */
  recommendation: number;
  /** The auxiliary loss (e.g. Demure's `lambda * L_cl`); 0 without the hook. */
  auxiliary: number;
}

/**
 * One gradient step on one batch. Every tensor it makes is disposed before it returns (the memory
 * test checks `tf.memory().numTensors` stays constant). The losses and the gradient norm are read
 * in one transfer, before the update, so a non-finite value stops the run with the weights
 * untouched. Exported for step-level benchmarks.
 */
export async function trainStep(
  model: SequentialRecommender,
  adam: Adam,
  batch: SequenceBatch,
  step: number,
  epoch: number,
  config: TrainerConfig,
  hooks: TrainerHooks = {},
): Promise<StepLosses> {
  // Hashed, not added: (seed, step) and (seed, step + 1) must give unrelated dropout masks.
  const stepSeed = hashSeeds(config.seed, step);
  const mask = await hooks.inputMask?.(batch, step);
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
    const byName = new Map<string, tf.Tensor>();
    variables.forEach((variable, i) => {
      const gradient = gradients[variable.name];
      if (gradient !== undefined) byName.set(names[i], gradient);
    });
    const squaredNorm = adam.squaredNorm(byName);
    kept.push(squaredNorm);
    // One device-to-host transfer per step: [total, L_rec, auxiliary?, squared gradient norm].
    const [[total], [recommendation], ...rest] = await readFloat32([value, ...kept]);
    const auxiliary = rest.length > 1 ? rest[0][0] : 0;
    const norm = Math.sqrt(rest[rest.length - 1][0]);
    if (!Number.isFinite(total)) {
      throw new TrainingDivergedError(
        `loss is ${total} (L_rec ${recommendation}, auxiliary ${auxiliary}) at epoch ${
          epoch + 1
        }, ` +
          `step ${step}; no update applied. Try a lower learning rate (now ` +
          `${config.optimizer.learningRate}) or gradient clipping (optimizer.clipNorm).`,
      );
    }
    if (!Number.isFinite(norm)) {
      throw new TrainingDivergedError(
        `gradient norm is ${norm} at epoch ${
          epoch + 1
        }, step ${step} (loss ${total}); no update applied. ` +
          `Restart from the last checkpoint with a lower learning rate or clipNorm.`,
      );
    }
    adam.apply(model.parameters, byName, norm);
    return { total, recommendation, auxiliary };
  } finally {
    tf.dispose([...kept, ...Object.values(gradients)]);
    value?.dispose();
    mask?.dispose();
  }
}
