/**
 * Scores every attribution method of a trained model against the synthetic benchmark's planted
 * points of interest, on the test histories of the first `maxUsers` users (default 256): the whole
 * history before each user's test item, whose per-user sequence loss is the one attributed.
 *
 * @example
 * ```ts
 * const rows = await attributionQuality(model, split, truth);
 * rows.find((r) => r.method === "occlusion")?.rocAuc;
 * ```
 */
import { type AttributedBatch, scoreAgainstTruth } from "../attribution/score_against_truth.ts";
import {
  type AttributionConfig,
  type AttributionMethod,
  DEFAULT_NOISE_FRACTION,
} from "../attribution/types.ts";
import { evaluationBatches } from "../data/protocol/batcher.ts";
import type { LeaveOneOutSplit, PlantedTruth } from "../data/types.ts";
import { withNextItemTargets } from "../attribution/sequence_loss.ts";
import { attributeBatch } from "../attribution/attribute_batch.ts";
import { timeLeftPhrase } from "../attribution/progress.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";
import { EventLoopTurns } from "../util/event_loop.ts";
import { checkInteger } from "../util/settings.ts";

/** Methods scored by default, the exact reference (occlusion) included. */
export const SCORED_METHODS: readonly AttributionMethod[] = [
  "gradient_x_input",
  "gradient_norm",
  "integrated_gradients",
  "mask_gradient",
  "occlusion",
];

/**
 * The denoising ratio rho whose noise sets (bottom fraction) are scored: the attribution's default
 * (`DEFAULT_NOISE_FRACTION`), which is also the rho of Demure's default configuration.
 */
export const SCORED_NOISE_FRACTION: number = DEFAULT_NOISE_FRACTION;

/** Agreement of one method's noise sets with the truth (bottom fraction {@linkcode SCORED_NOISE_FRACTION}). */
export interface AttributionQuality {
  /** The attribution method scored. */
  method: AttributionConfig["method"];
  /** ROC-AUC of (user, position, modality) pairs: noise vs point of interest. */
  rocAuc: number;
  /** Precision of the selected noise pairs: the share that is truly noise. */
  precision: number;
  /** Recall of the selected noise pairs: the share of the true noise that was selected. */
  recall: number;
  /** ROC-AUC after averaging each user's contributions per modality over the history. */
  userModalityRocAuc: number;
  /** Scored (user, position, modality) pairs. */
  units: number;
  /** Wall time of attributing the scored users with this method, in seconds. */
  seconds: number;
}

/**
 * How far {@linkcode attributionQuality} is, reported after each chunk of users: occlusion alone
 * takes up to a minute after a cell's last epoch (the full synthetic cells of record: 12-59 s),
 * which the cell's progress showed as nothing at all.
 */
export interface AttributionProgress {
  /** The method attributing now. */
  method: AttributionConfig["method"];
  /** 1-based place of `method` among the scored methods. */
  methodIndex: number;
  /** How many methods are scored. */
  methods: number;
  /** Users of this method attributed so far. */
  usersDone: number;
  /** Users each method attributes. */
  users: number;
  /** Wall time of this method so far, in seconds. */
  seconds: number;
}

/**
 * The indented line of an attribution's progress, under the cell's epoch lines: the method and
 * its place, users done of all, the method's time so far and, while users remain, its time left
 * extrapolated from the chunks done.
 *
 * @example
 * ```ts
 * attributionLine({ method: "occlusion", methodIndex: 5, methods: 5, usersDone: 128, users: 256, seconds: 20 });
 * // "    attribution occlusion (method 5/5): 128/256 users, 20.0 s, about 20 s of it left"
 * ```
 */
export function attributionLine(progress: AttributionProgress): string {
  const { method, methodIndex, methods, usersDone, users, seconds } = progress;
  return `    attribution ${method} (method ${methodIndex}/${methods}): ${usersDone}/${users} ` +
    `users, ${seconds.toFixed(1)} s${timeLeftPhrase(usersDone, users, seconds)}`;
}

/**
 * Attributes the test-stage loss of every user with each method and scores it; `onProgress` hears
 * each chunk of users done ({@linkcode AttributionProgress}).
 */
export async function attributionQuality(
  model: SequentialRecommender,
  split: LeaveOneOutSplit,
  truth: PlantedTruth,
  methods: readonly AttributionMethod[] = SCORED_METHODS,
  maxUsers = 256,
  chunkSize = 128,
  onProgress?: (progress: AttributionProgress) => void,
): Promise<AttributionQuality[]> {
  // A negative maxUsers sliced off only the last chunks (-200 in chunks of 128 scored every user
  // but the last chunk's), and 0 or NaN scored no one: rows of NaN under the method's name.
  checkInteger("attributionQuality: maxUsers", maxUsers, { min: 1 });
  checkInteger("attributionQuality: chunkSize", chunkSize, { min: 1 });
  // The first `maxUsers` users (internal id order): occlusion costs one forward pass per
  // (position, modality) column, so scoring every user would dominate a cell's time.
  const chunks = evaluationBatches(split, "test", chunkSize).slice(
    0,
    Math.ceil(maxUsers / chunkSize),
  );
  const users = chunks.reduce((sum, { batch }) => sum + batch.batchSize, 0);
  const rows: AttributionQuality[] = [];
  // Occlusion takes minutes on the larger cells: the claim's heartbeat and Jupyter's Interrupt
  // get their turn between chunks.
  const eventLoopTurns = new EventLoopTurns();
  for (const [index, method] of methods.entries()) {
    const started = performance.now();
    const attributed: AttributedBatch[] = [];
    let usersDone = 0;
    for (const { batch, targets } of chunks) {
      const result = await attributeBatch(model, withNextItemTargets(batch, targets), {
        method,
        selection: { kind: "bottom_fraction", rho: SCORED_NOISE_FRACTION },
        granularity: "user_modality",
      });
      attributed.push({ result, users: batch.users });
      usersDone += batch.batchSize;
      onProgress?.({
        method,
        methodIndex: index + 1,
        methods: methods.length,
        usersDone,
        users,
        seconds: (performance.now() - started) / 1000,
      });
      await eventLoopTurns.yieldIfDue();
    }
    const seconds = (performance.now() - started) / 1000;
    const scoreAt = (level: "pair" | "user_modality") =>
      scoreAgainstTruth(attributed, truth, { resultModalityNames: model.modalityNames, level });
    const pair = scoreAt("pair");
    const userModality = scoreAt("user_modality");
    rows.push({
      method,
      rocAuc: pair.rocAuc,
      precision: pair.precision,
      recall: pair.recall,
      userModalityRocAuc: userModality.rocAuc,
      units: pair.units,
      seconds,
    });
  }
  return rows;
}
