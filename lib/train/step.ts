/**
 * One gradient step of the training loop on one batch: seeded dropout and negatives, Demure's
 * input mask and auxiliary loss (the {@linkcode TrainerHooks}), one device-to-host read, the NaN/Inf
 * check before the update, and the Adam update. Exported for step-level benchmarks.
 *
 * @example
 * ```ts
 * const config = resolveTrainerConfig({ seed: 0 });
 * const optimizer = new Adam(config.optimizer);
 * const losses = await trainStep({ model, optimizer, batch, step: 0, config });
 * console.log(losses.total, losses.recommendation);
 * ```
 */
import { tf } from "../backend/tf.ts";
import { freeTapeOnThrow } from "../backend/gradient_tape.ts";
import { readFloat32 } from "../backend/read_values.ts";
import type { SequenceBatch } from "../data/types.ts";
import { recommendationLoss } from "../losses/recommendation.ts";
import { sampleNegatives } from "../losses/negative_sampling.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";
import { createRng, hashSeeds } from "../util/random.ts";
import type { Adam } from "./adam.ts";
import { type TrainerConfig, type TrainerHooks, TrainingDivergedError } from "./config.ts";

/** The losses of one training step ({@linkcode trainStep}), read back as numbers. */
export interface StepLosses {
  /** `recommendation + auxiliary`: the loss the step descended. */
  total: number;
  /** The recommendation loss L_rec of the batch. */
  recommendation: number;
  /** The auxiliary loss (e.g. Demure's `lambda * L_cl`); 0 without the hook. */
  auxiliary: number;
}

/** What one training step ({@linkcode trainStep}) works on. */
export interface TrainStepOptions {
  /** The model whose parameters the step updates. */
  model: SequentialRecommender;
  /** The optimiser; it holds the moments between steps, so one instance serves the whole run. */
  optimizer: Adam;
  /** The batch of histories and targets. */
  batch: SequenceBatch;
  /**
   * The global step index (0-based, counted over epochs). It seeds the step's dropout and
   * negatives (hashed with `config.seed`) and Demure's warm-up, so a resumed run must pass the
   * step it stopped at to continue bit-identically.
   */
  step: number;
  /** The 0-based epoch, for the auxiliary-loss context and error messages. Default 0. */
  epoch?: number;
  /** The resolved trainer configuration (seed, loss, optimiser settings for error hints). */
  config: TrainerConfig;
  /** Demure's (or any) input mask and auxiliary loss. Default: none. */
  hooks?: TrainerHooks;
}

/**
 * One gradient step on one batch. Every tensor it makes is disposed before it returns (the memory
 * test checks `tf.memory().numTensors` stays constant). The losses and the gradient norm are read
 * in one transfer, before the update, so a non-finite value stops the run with the weights
 * untouched. Exported for step-level benchmarks.
 */
export async function trainStep(options: TrainStepOptions): Promise<StepLosses> {
  const { model, optimizer: adam, batch, step, epoch = 0, config, hooks = {} } = options;
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
  let applied = false;
  const tap = hooks.recommendationGradient;
  try {
    ({ value, grads: gradients } = freeTapeOnThrow(() =>
      tf.variableGrads(() => {
        const out = model.forward(batch, {
          training: true,
          ...(mask ? { weights: mask } : {}),
          ...(tap
            ? { onEmbeddingGradient: (g: tf.Tensor4D, e: tf.Tensor4D) => tap(g, e, step) }
            : {}),
        });
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
      }, variables)
    ));
    const byName = gradientsByParameter(variables, names, gradients);
    const squaredNorm = adam.squaredNorm(byName);
    kept.push(squaredNorm);
    // One device-to-host transfer per step: [total, L_rec, auxiliary?, squared gradient norm].
    const [[total], [recommendation], ...rest] = await readFloat32([value, ...kept]);
    const auxiliary = rest.length > 1 ? rest[0][0] : 0;
    const norm = Math.sqrt(rest[rest.length - 1][0]);
    const losses = { total, recommendation, auxiliary };
    checkFinite(losses, norm, { epoch, step, learningRate: config.optimizer.learningRate });
    adam.apply(model.parameters, byName, norm);
    applied = true;
    return losses;
  } finally {
    tf.dispose([...kept, ...Object.values(gradients)]);
    value?.dispose();
    mask?.dispose();
    await hooks.afterStep?.(step, applied);
  }
}

/** The step's gradients by parameter name (the optimizer's keys), for the variables that have one. */
function gradientsByParameter(
  variables: readonly tf.Variable[],
  names: readonly string[],
  gradients: tf.NamedTensorMap,
): Map<string, tf.Tensor> {
  const byName = new Map<string, tf.Tensor>();
  variables.forEach((variable, i) => {
    const gradient = gradients[variable.name];
    if (gradient !== undefined) byName.set(names[i], gradient);
  });
  return byName;
}

/**
 * Throws a {@linkcode TrainingDivergedError} before the update when the loss or the gradient norm
 * is not finite, saying where and what to try.
 */
function checkFinite(
  { total, recommendation, auxiliary }: StepLosses,
  norm: number,
  at: { epoch: number; step: number; learningRate: number },
): void {
  if (!Number.isFinite(total)) {
    throw new TrainingDivergedError(
      `loss is ${total} (L_rec ${recommendation}, auxiliary ${auxiliary}) at epoch ${
        at.epoch + 1
      }, ` +
        `step ${at.step}; no update applied. Try a lower learning rate (now ` +
        `${at.learningRate}) or gradient clipping (optimizer.clipNorm).`,
    );
  }
  if (!Number.isFinite(norm)) {
    throw new TrainingDivergedError(
      `gradient norm is ${norm} at epoch ${
        at.epoch + 1
      }, step ${at.step} (loss ${total}); no update applied. ` +
        `Restart from the last checkpoint with a lower learning rate or clipNorm.`,
    );
  }
}
