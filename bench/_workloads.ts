/**
 * The library workloads that the benchmarks time: one SASRec training step of the real model
 * (lib/models + lib/train), one full-ranking evaluation pass and one attribution pass, all on the
 * embedded MovieLens data (5-core, leave-one-out, L=50).
 *
 * @example
 * ```ts
 * const data = await movieLensWorkloadData();
 * const step = libraryTrainingStep(data, 256);
 * await step.run();
 * await evaluationPass(step.model, data);
 * step.dispose();
 * ```
 */
import { tf } from "../lib/backend/tf.ts";
import { loadMovieLens } from "../lib/data/movielens/load.ts";
import { kCoreFilter } from "../lib/data/protocol/k_core.ts";
import { leaveOneOutSplit } from "../lib/data/protocol/leave_one_out.ts";
import { evaluationBatches, trainingBatches } from "../lib/data/protocol/batcher.ts";
import type { InteractionDataset, LeaveOneOutSplit } from "../lib/data/types.ts";
import { SequentialRecommender } from "../lib/models/sequential_recommender.ts";
import { Adam } from "../lib/train/adam.ts";
import { resolveTrainerConfig, trainStep } from "../lib/train/trainer.ts";
import { evaluateRanking, type EvaluationResult } from "../lib/eval/evaluate.ts";
import { modelScorer } from "../lib/eval/scorer.ts";
import { attributeModalities } from "../lib/attribution/attribute.ts";
import type { AttributionResult } from "../lib/attribution/types.ts";

/** The dataset and its split, loaded once per benchmark file. */
export interface WorkloadData {
  dataset: InteractionDataset;
  split: LeaveOneOutSplit;
}

/**
 * Loads MovieLens, 5-core filters it and splits it leave-one-out with maxLength 50.
 *
 * @example
 * ```ts
 * const { dataset } = await movieLensWorkloadData(); // dataset.numUsers === 671 for the 2016 snapshot
 * ```
 */
export async function movieLensWorkloadData(): Promise<WorkloadData> {
  const dataset = kCoreFilter(await loadMovieLens());
  return { dataset, split: leaveOneOutSplit(dataset, { maxLength: 50 }) };
}

/** A prepared training step of the library model. */
export interface LibraryStep {
  model: SequentialRecommender;
  run(): Promise<void>;
  dispose(): void;
}

/**
 * SASRec (2 blocks, 1 head, d=64, all modalities fused) trained with cross-entropy over all
 * items at the last position and Adam, cycling over the epoch's batches of `batchSize` users.
 *
 * @example
 * ```ts
 * const step = libraryTrainingStep(data, 256);
 * step.run(); step.dispose();
 * ```
 */
export function libraryTrainingStep(data: WorkloadData, batchSize: number): LibraryStep {
  const model = new SequentialRecommender(data.dataset, {
    backbone: "sasrec",
    dim: 64,
    maxLength: 50,
  });
  const adam = new Adam();
  const config = resolveTrainerConfig({
    batchSize,
    loss: { kind: "cross_entropy", positions: "last" },
  });
  const batches = trainingBatches(data.split, 0, { batchSize, seed: 0, shuffle: true });
  let step = 0;
  return {
    model,
    async run() {
      await trainStep(model, adam, batches[step % batches.length], step, 0, config);
      step++;
    },
    dispose() {
      adam.dispose();
      model.dispose();
    },
  };
}

/**
 * Full-ranking evaluation of every user on the test stage (history items excluded).
 *
 * @example
 * ```ts
 * (await evaluationPass(step.model, data)).metrics["NDCG@10"];
 * ```
 */
export function evaluationPass(
  model: SequentialRecommender,
  data: WorkloadData,
): Promise<EvaluationResult> {
  return evaluateRanking(modelScorer(model), data.split, { stage: "test" });
}

/**
 * Gradient x input attribution of every (position, modality) for the first `users` test
 * histories: the per-user next-item cross-entropy differentiated w.r.t. the modality embeddings.
 *
 * @example
 * ```ts
 * (await attributionPass(step.model, data, 256)).noiseMask; // [users, position, modality]
 * ```
 */
export async function attributionPass(
  model: SequentialRecommender,
  data: WorkloadData,
  users: number,
): Promise<AttributionResult> {
  const [{ batch, targets: targetIds }] = evaluationBatches(data.split, "test", users);
  const made: tf.Tensor[] = [];
  const track = <T extends tf.Tensor>(t: T): T => {
    made.push(t);
    return t;
  };
  try {
    const items = track(tf.tensor2d(batch.items, [batch.batchSize, batch.length], "int32"));
    const valid = track(tf.tensor2d(batch.valid, [batch.batchSize, batch.length]));
    const targets = track(tf.tensor1d(targetIds, "int32"));
    const embeddings = track(model.embedModalities(items));
    const presence = track(model.presence(items));
    const weights = track(tf.tidy(() => tf.mul(presence, tf.expandDims(valid, 2)) as tf.Tensor3D));
    const itemTable = track(model.itemTable());
    const lossOf = (e: tf.Tensor4D, w: tf.Tensor3D) =>
      tf.tidy(() => {
        const states = model.userStates(model.fuse(e, w, presence), valid, false);
        const last = tf.squeeze(tf.slice(states, [0, batch.length - 1, 0], [-1, 1, -1]), [1]);
        const logits = tf.matMul(last, itemTable, false, true);
        const picked = tf.sum(tf.mul(logits, tf.oneHot(targets, model.numItems)), 1);
        return tf.sub(tf.logSumExp(logits, 1), picked) as tf.Tensor1D;
      });
    return await attributeModalities(lossOf, embeddings, weights);
  } finally {
    tf.dispose(made);
  }
}
