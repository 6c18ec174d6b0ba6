/**
 * The training loop: Adam, seeded batches / dropout / negatives, per-epoch progress, early stopping
 * on validation NDCG@10 with patience, best-weights restore, NaN/Inf detection, and resumption from
 * `<checkpointDir>/last` after a crash or kernel restart. `trainModel` reads as the algorithm; each
 * part has its own module: the step (`step.ts`), the epoch's loss sums (`_epoch_losses.ts`), the
 * divergence checks (`_divergence.ts`), early stopping (`_early_stopping.ts`), the best-weight copy
 * (`_best_weights.ts`), the run checkpoints (`_run_checkpoints.ts`), the clock (`_run_clock.ts`)
 * and the progress line (`progress.ts`).
 *
 * Every read of a tensor value is asynchronous, so the loop runs on GPU backends (webgpu) too, and
 * a step reads once: its losses and its gradient norm travel to the host in one transfer.
 *
 * Demure plugs in WITHOUT forking the loop through its hooks:
 * - `inputMask(batch, step)` returns w [batch, position, modality] for the recommendation forward
 *   pass (called outside the gradient tape, so it may itself take gradients and read values
 *   asynchronously; the trainer disposes it);
 * - `auxiliaryLoss(context)` returns a scalar added to L_rec INSIDE the same gradient tape; the
 *   context carries the model and every intermediate of the forward pass;
 * - optionally (Demure's `attributionSource: "training_pass"`), `recommendationGradient` receives
 *   dL_rec/dE from the step's own backward pass and `afterStep` reads what it kept, once the
 *   step is over (both in `step.ts`).
 *
 * @example
 * ```ts
 * const model = new SequentialRecommender(split.dataset, { backbone: "sasrec" });
 * const result = await trainModel(model, split, { maxEpochs: 50, patience: 5 });
 * console.log(result.bestValidation, result.bestEpoch);
 * ```
 */
import { requireBackend } from "../backend/init_backend.ts";
import type { LeaveOneOutSplit, SequenceBatch } from "../data/types.ts";
import {
  type BatcherConfig,
  trainingBatchCount,
  trainingBatches,
  trainingWindowsPerUser,
} from "../data/protocol/batcher.ts";
import { evaluateRanking } from "../eval/evaluate.ts";
import { modelScorer } from "../eval/scorer.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";
import { Adam } from "./adam.ts";
import {
  resolveTrainerConfig,
  type StopReason,
  type TrainerConfig,
  type TrainerHooks,
  type TrainingBudget,
  type TrainingResult,
  validateTrainerHooks,
} from "./config.ts";
import {
  type EpochProgress,
  isValidationEpoch,
  printProgress,
  type ValidationProgressCallback,
  validationProgressLine,
} from "./progress.ts";
import { throttledWorkProgress } from "../util/work_progress.ts";
import { trainStep } from "./step.ts";
import { DivergenceGuard } from "./_divergence.ts";
import { EpochLosses } from "./_epoch_losses.ts";
import type { EarlyStoppingState } from "./_early_stopping.ts";
import { RunClock } from "./_run_clock.ts";
import { EventLoopTurns } from "../util/event_loop.ts";
import { objectiveHookNames, type ResumeState, RunCheckpoints } from "./_run_checkpoints.ts";

/**
 * Trains `model` on `split.train`, validating on `split.validTarget` every `evalEvery` epochs and
 * after the last: Adam on the seeded batches, early stopping once `patience` validations in a row
 * fail to beat the best validation NDCG@10 (a tie is no gain), and the best-validation weights
 * restored at the end. `hooks` plug in an objective such as Demure's
 * ({@linkcode TrainerHooks}; `demureHooks(model).hooks`). With `checkpointDir` set, a run resumes
 * from its last epoch. A setting out of range throws a `SettingError`; a split without a next-item
 * pair (no user with 2 training items) an error saying so; a NaN or exploding loss stops with
 * `TrainingDivergedError`; Jupyter's Interrupt with `InterruptedError` at the next step.
 */
export async function trainModel(
  model: SequentialRecommender,
  split: LeaveOneOutSplit,
  configInput: Partial<TrainerConfig> = {},
  hooks: TrainerHooks = {},
): Promise<TrainingResult> {
  const config = resolveTrainerConfig(configInput);
  validateTrainerHooks(hooks);
  // Before the hooks' own check: Demure's would blame its warm-up for the run's 0 steps.
  checkSplitTrains(split);
  hooks.checkTrainerConfig?.(config, trainingBudget(split, config));
  requireBackend();
  checkSplitFits(split, model);
  const onProgress = hooks.onProgress ?? printProgress;
  const validate: Validation = hooks.validate ??
    validationMetrics(
      split,
      config,
      hooks.onValidationProgress ?? defaultValidationProgress(hooks),
    );
  const adam = new Adam(config.optimizer);
  const fingerprint = split.dataset.metadata.fingerprint;
  const checkpoints = new RunCheckpoints(
    model,
    adam,
    config,
    fingerprint,
    hooks.checkpointState,
    objectiveHookNames(hooks),
  );
  let state;
  try {
    state = checkpoints.start();
  } catch (error) {
    adam.dispose(); // a checkpoint it cannot resume from: nothing of this run may stay behind
    throw error;
  }
  const resumedFromEpoch = state.epochsDone;
  // The time budget counts the processes before a resume too: restarted with a fresh budget, a
  // preempted run trained more epochs than an uninterrupted one.
  const clock = new RunClock(resumedFromEpoch, state.trainingSeconds ?? 0);
  const divergence = new DivergenceGuard(config, model);
  const eventLoopTurns = new EventLoopTurns();
  // A run killed after patience or its time budget ran out (before its result was kept) does not
  // train on.
  let stoppedBy = stopReasonAtStart(state, clock, config);
  try {
    for (
      let epoch = state.epochsDone;
      epoch < config.maxEpochs && stoppedBy === "max_epochs";
      epoch++
    ) {
      const epochStart = performance.now();
      const losses = new EpochLosses();
      for (const batch of epochBatches(split, epoch, config)) {
        const stepStart = performance.now();
        const stepLosses = await trainStep({
          model,
          optimizer: adam,
          batch,
          step: state.step,
          epoch,
          config,
          hooks,
        });
        divergence.checkStep(stepLosses, epoch, state.step);
        losses.add(stepLosses, (performance.now() - stepStart) / 1000);
        state.step += 1;
        // Timers and signal listeners (a claim's heartbeat, Ctrl-C) run within about a step.
        await eventLoopTurns.yieldIfDue();
      }
      const validation = isValidationEpoch(epoch + 1, config.evalEvery, config.maxEpochs)
        ? await validate(model, epoch + 1)
        : undefined;
      let improved = false;
      if (validation !== undefined) {
        divergence.checkValidation(validation["NDCG@10"], epoch);
        improved = state.stopping.observe(validation["NDCG@10"], epoch + 1);
        if (improved) state.best.keep(model);
      }
      state.epochsDone = epoch + 1;
      clock.recordSteps(losses.stepSeconds, losses.steps);
      const progress = epochProgress(epoch, config, losses, validation, improved, state.stopping, {
        epochSeconds: (performance.now() - epochStart) / 1000,
        secondsLeftAtMost: clock.secondsLeftAtMost(state.epochsDone, config.maxEpochs),
      });
      state.history.push(progress);
      hooks.afterEpoch?.(progress);
      if (state.trainingSeconds !== undefined) state.trainingSeconds = clock.trainingSeconds();
      await checkpoints.save(state, improved);
      onProgress(progress);
      stoppedBy = stopReasonAfter(epoch, state, clock, config);
      if (stoppedBy !== "max_epochs") break;
      // Yield so a notebook can render the progress line before the next epoch.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    state.best.restoreInto(model);
  } finally {
    state.best.dispose();
    adam.dispose();
  }
  return {
    bestValidation: state.stopping.bestValidation,
    bestEpoch: state.stopping.bestEpoch,
    epochsRun: state.epochsDone - resumedFromEpoch,
    stoppedEarly: stoppedBy !== "max_epochs",
    stoppedBy,
    resumedFromEpoch,
    history: state.history,
    totalSeconds: clock.elapsedSeconds(),
    meanStepSeconds: clock.meanStepSeconds(),
    config,
  };
}

/**
 * The split must give at least one next-item pair: without one every epoch ran 0 steps, the
 * progress read a loss of 0 that no step measured, and the untrained model came back as trained.
 */
function checkSplitTrains(split: LeaveOneOutSplit): void {
  if (split.train.some((items) => items.length >= 2)) return;
  const users = split.train.length;
  const whose = users === 1 ? "its one user has" : `every one of its ${users} users has`;
  const why = users === 0 ? "it has no user" : `${whose} fewer than 2 training items ` +
    "(leave-one-out trains on all but a user's last two interactions, and a next-item pair " +
    "needs 2)";
  throw new Error(
    `trainModel: split of dataset ${split.dataset.name} has no training pair: ${why}, so no ` +
      "step would run and the model would stay as initialised; give some users at least 4 " +
      "interactions (kCoreFilter with k >= 4 does for all)",
  );
}

/** The model must hold the split's longest history. */
function checkSplitFits(split: LeaveOneOutSplit, model: SequentialRecommender): void {
  if (split.maxLength > model.config.maxLength) {
    throw new Error(
      `split.maxLength ${split.maxLength} exceeds the model's maxLength ${model.config.maxLength}`,
    );
  }
}

/** An epoch's validation metrics (1-based epoch, for its progress). */
type Validation = (
  model: SequentialRecommender,
  epoch: number,
) => Record<string, number> | Promise<Record<string, number>>;

/**
 * The default `onValidationProgress`: the validation's line on stderr when the trainer prints its
 * own epoch lines (no `onProgress` given), else none.
 */
function defaultValidationProgress(hooks: TrainerHooks): ValidationProgressCallback | undefined {
  if (hooks.onProgress !== undefined) return undefined;
  return (place, progress) => console.error(validationProgressLine(place, progress));
}

/**
 * The default validation: full ranking of `split.validTarget` under the run's protocol, its
 * progress throttled to `onValidationProgress` (every 5 s at most, none for one done sooner).
 */
function validationMetrics(
  split: LeaveOneOutSplit,
  config: TrainerConfig,
  onValidationProgress: ValidationProgressCallback | undefined,
): Validation {
  const { maxEpochs } = config;
  return async (model, epoch) =>
    (await evaluateRanking(
      modelScorer(model),
      split,
      { stage: "valid", chunkSize: config.evalChunkSize, ranking: config.ranking },
      onValidationProgress === undefined
        ? undefined
        : throttledWorkProgress((progress) => onValidationProgress({ epoch, maxEpochs }, progress)),
    )).metrics;
}

/** The epoch's shuffled batches (seeded by the run's seed and the epoch), capped when asked. */
function epochBatches(
  split: LeaveOneOutSplit,
  epoch: number,
  config: TrainerConfig,
): SequenceBatch[] {
  const batches = trainingBatches(split, epoch, batcherConfig(config));
  return config.maxBatchesPerEpoch === undefined
    ? batches
    : batches.slice(0, config.maxBatchesPerEpoch);
}

/**
 * The training steps of each epoch of {@linkcode trainModel} on `split` (the batches of an epoch,
 * capped by `maxBatchesPerEpoch`), counted without building the batches.
 */
export function trainingStepsPerEpoch(split: LeaveOneOutSplit, config: TrainerConfig): number {
  return Math.min(
    trainingBatchCount(split, batcherConfig(config)),
    config.maxBatchesPerEpoch ?? Infinity,
  );
}

/**
 * What {@linkcode trainModel} gives `TrainerHooks.checkTrainerConfig` for a run on `split`: its
 * steps per epoch, and the batches' rows (counted without building the batches), so a hook can
 * refuse a batch it cannot train (CL4SRec's of 1 row) before the first step, not when it comes.
 */
export function trainingBudget(split: LeaveOneOutSplit, config: TrainerConfig): TrainingBudget {
  const stepsPerEpoch = trainingStepsPerEpoch(split, config);
  const perUser = trainingWindowsPerUser(split, config.windows);
  const rowsPerEpoch = perUser.reduce((sum, rows) => sum + rows, 0);
  // Batches are full but the epoch's last, which holds the rows left over (trainingBatches).
  const batches = Math.ceil(rowsPerEpoch / config.batchSize);
  const leftOver = rowsPerEpoch - (batches - 1) * config.batchSize;
  return {
    stepsPerEpoch,
    rowsPerEpoch,
    smallestBatchRows: rowsPerEpoch === 0
      ? 0
      : stepsPerEpoch < batches
      ? config.batchSize
      : leftOver,
    // reduce, not Math.max(...perUser): a spread of 100,000s of users overflows the stack.
    mostRowsOfAUser: perUser.reduce((most, rows) => Math.max(most, rows), 0),
  };
}

function batcherConfig(config: TrainerConfig): BatcherConfig {
  return {
    batchSize: config.batchSize,
    seed: config.seed,
    shuffle: true,
    windows: config.windows,
  };
}

/** The progress line of 0-based `epoch` (field order kept: it is stored in run checkpoints). */
function epochProgress(
  epoch: number,
  config: TrainerConfig,
  losses: EpochLosses,
  validation: Record<string, number> | undefined,
  improved: boolean,
  stopping: EarlyStoppingState,
  times: { epochSeconds: number; secondsLeftAtMost: number },
): EpochProgress {
  const means = losses.means();
  return {
    epoch: epoch + 1,
    maxEpochs: config.maxEpochs,
    loss: means.loss,
    recommendationLoss: means.recommendationLoss,
    auxiliaryLoss: means.auxiliaryLoss,
    ...(validation ? { validation } : {}),
    bestValidation: stopping.bestValidation,
    bestEpoch: stopping.bestEpoch,
    improved,
    steps: losses.steps,
    epochSeconds: times.epochSeconds,
    stepSeconds: means.stepSeconds,
    secondsLeftAtMost: times.secondsLeftAtMost,
  };
}

/**
 * Why the run stops after 0-based `epoch`: patience ran out, or the time budget is spent with
 * epochs left; "max_epochs" (go on, or the loop's bound ends the run) otherwise.
 */
function stopReasonAfter(
  epoch: number,
  state: ResumeState,
  clock: RunClock,
  config: TrainerConfig,
): StopReason {
  if (state.stopping.exhausted(config.patience)) return "patience";
  return overBudget(clock, config) && epoch + 1 < config.maxEpochs ? "time_budget" : "max_epochs";
}

/**
 * Why a run stops before its first epoch: a resumed run whose patience or time budget (the
 * training time saved with its checkpoint) had run out with epochs left; "max_epochs" (train, or
 * nothing left to train) otherwise. A fresh run has trained 0 s, so its budget is never spent here.
 */
function stopReasonAtStart(state: ResumeState, clock: RunClock, config: TrainerConfig): StopReason {
  if (state.stopping.exhausted(config.patience)) return "patience";
  const epochsLeft = state.epochsDone < config.maxEpochs;
  return state.epochsDone > 0 && epochsLeft && overBudget(clock, config)
    ? "time_budget"
    : "max_epochs";
}

/** The time budget is spent: the run has trained `maxWallSeconds` or more, in all its processes. */
function overBudget(clock: RunClock, config: TrainerConfig): boolean {
  return config.maxWallSeconds !== undefined && clock.trainingSeconds() >= config.maxWallSeconds;
}
