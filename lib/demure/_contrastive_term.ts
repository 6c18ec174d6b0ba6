/**
 * Demure's contrastive term, lambda * L_cl: InfoNCE between the user state of the full history
 * (anchor) and of the denoised history (positive), against the noise-only history (negative) and
 * the other users of the batch. The views a step still needs run as one training-mode backbone
 * pass over the batch stacked with itself.
 */
import { tf } from "../backend/tf.ts";
import { infoNce } from "../losses/info_nce.ts";
import { packRows } from "../nn/packed_rows.ts";
import { hashSeeds } from "../util/random.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";
import type { AuxiliaryLossContext } from "../train/config.ts";
import type { DemureConfig } from "./config.ts";
import type { ContrastiveViews } from "./views.ts";

/** The last-position slice of `[batch, position, dim]` states: `[batch, dim]`. */
function lastState(states: tf.Tensor3D): tf.Tensor2D {
  const [batch, length, dim] = states.shape;
  return tf.reshape(tf.slice(states, [0, length - 1, 0], [batch, 1, dim]), [batch, dim]);
}

/**
 * Last-position states `[views * batch, dim]` of the batch read through each fusion mask of
 * `views` (`[batch, position, modality]` each), as one training-mode backbone pass over the
 * batch repeated once per view.
 */
function stackedLastStates(
  model: SequentialRecommender,
  context: AuxiliaryLossContext,
  views: Float32Array[],
  dropoutSeed: number,
): tf.Tensor2D {
  const { batch } = context;
  const copies = views.length;
  const size = batch.batchSize * batch.length;
  const valid = new Float32Array(copies * size);
  views.forEach((_, k) => valid.set(batch.valid, k * size));
  const rows = copies * batch.batchSize;
  const [, length, modalities] = context.presence.shape;
  // Each view is fused from the shared E (no copy of the [batch, position, modality, dim]
  // tensor, whose concat gradient would cost a pass over it); only the fused rows are stacked.
  const fusedViews = views.map((view) =>
    model.fuse(
      context.embeddings,
      tf.tensor3d(view, [batch.batchSize, length, modalities]),
      context.presence,
    )
  );
  const fused = fusedViews.length === 1 ? fusedViews[0] : tf.concat(fusedViews, 0) as tf.Tensor3D;
  return model.lastStates(
    fused,
    tf.tensor2d(valid, [rows, batch.length]),
    true,
    dropoutSeed,
    packRows(valid, rows, batch.length),
  );
}

/**
 * lambda * L_cl of the step's views. The recommendation pass already read one view: the positive
 * (denoised history) when L_rec is denoised (`denoisedInput`), else the anchor (full history). Its
 * states are reused, and the views still missing (the other of anchor / positive, and the
 * negative) run as ONE backbone pass over the batch stacked with itself: one pass of 2B rows
 * instead of two passes of B.
 */
export function contrastiveTerm(
  model: SequentialRecommender,
  config: DemureConfig,
  context: AuxiliaryLossContext,
  views: ContrastiveViews,
  denoisedInput: boolean,
): tf.Scalar {
  const { batch } = context;
  const shared = lastState(context.states);
  const needed: Float32Array[] = [denoisedInput ? views.anchor : views.positive];
  if (config.noiseViewAsNegative) needed.push(views.negative);
  const states = stackedLastStates(model, context, needed, hashSeeds(context.seed, 1));
  const other = tf.slice(states, [0, 0], [batch.batchSize, -1]) as tf.Tensor2D;
  const anchor = denoisedInput ? other : shared;
  const positive = denoisedInput ? shared : other;
  const negatives = config.noiseViewAsNegative
    ? tf.expandDims(
      tf.slice(states, [batch.batchSize, 0], [batch.batchSize, -1]),
      1,
    ) as tf.Tensor3D
    : undefined;
  const contrastive = infoNce(anchor, positive, {
    temperature: config.temperature,
    ...(negatives ? { negatives } : {}),
  });
  return tf.mul(contrastive, config.lambda) as tf.Scalar;
}

/**
 * lambda * L_cl when the recommendation pass is tapped for dL_rec/dE: the anchor is not the
 * recommendation pass's states (L_cl's gradient would reach the tapped E through them), so all
 * three views run as one stacked pass of 3B rows (2B without the explicit negative).
 */
export function trainingPassContrastive(
  model: SequentialRecommender,
  config: DemureConfig,
  context: AuxiliaryLossContext,
  views: ContrastiveViews,
): tf.Scalar {
  const rows = context.batch.batchSize;
  const needed = [views.anchor, views.positive];
  if (config.noiseViewAsNegative) needed.push(views.negative);
  const states = stackedLastStates(model, context, needed, hashSeeds(context.seed, 1));
  const view = (k: number) => tf.slice(states, [k * rows, 0], [rows, -1]) as tf.Tensor2D;
  const contrastive = infoNce(view(0), view(1), {
    temperature: config.temperature,
    ...(config.noiseViewAsNegative ? { negatives: tf.expandDims(view(2), 1) as tf.Tensor3D } : {}),
  });
  return tf.mul(contrastive, config.lambda) as tf.Scalar;
}
