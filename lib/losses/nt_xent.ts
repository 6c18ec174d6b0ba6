/**
 * NT-Xent (SimCLR's normalized-temperature cross-entropy), the contrastive loss of CL4SRec (Xie et
 * al. 2022, eq. 5) and of RecBole's CL4SRec: two views of each of N rows, z = [first; second]
 * (2N rows); each of the 2N views is an anchor whose positive is the other view of its row and
 * whose negatives are the other 2(N - 1) views of the batch, both views of every other row:
 *
 *   loss = mean_k [ logsumexp_{m != k} s(z_k, z_m) / tau - s(z_k, z_k') / tau ]  (k: the 2N views)
 *
 * with k' the other view of k's row. Symmetric in the two views, unlike {@linkcode infoNce}, which
 * takes one direction (anchor i against the positives of all rows, N - 1 negatives). s is the dot
 * product (CL4SRec's) or cosine.
 *
 * @example
 * ```ts
 * const first = tf.tensor2d([[1, 0], [0, 1]]);
 * const second = tf.tensor2d([[1, 0.1], [0.1, 1]]);
 * ntXent(first, second, { temperature: 1, similarity: "dot" }).dataSync()[0];
 * ```
 */
import { tf } from "../backend/tf.ts";
import type { Scalar, Tensor2D } from "../backend/tf.ts";
import {
  CONTRASTIVE_TEMPERATURE_RANGE,
  SIMILARITY_KINDS,
  type SimilarityKind,
} from "./info_nce.ts";
import { checkNumber, checkOneOf } from "../util/settings.ts";
import { unitRows } from "./_unit_rows.ts";

/** Options of {@linkcode ntXent}. */
export interface NtXentOptions {
  /** tau in {@linkcode CONTRASTIVE_TEMPERATURE_RANGE} (>= 1e-6). */
  temperature: number;
  /** `"dot"` (CL4SRec) or `"cosine"` (SimCLR). */
  similarity: SimilarityKind;
}

/**
 * A logit far below any real one: it takes a view's similarity with itself out of its softmax
 * without the infinities (and their NaN gradients) that -Infinity would bring. A row whose real
 * logits reach below half of it (dot products of -1e9 tau, e.g. states of norm 4e4 at tau 1)
 * excludes with twice its lowest real logit instead (see {@linkcode excludedLogits}).
 */
const EXCLUDED_LOGIT = -1e9;

/**
 * Mean NT-Xent of two views `[N, dim]` of the same N rows (row i of `first` and row i of `second`
 * are a positive pair). Throws when N < 2 (no negative at all) or the shapes differ, and a
 * `SettingError` for a temperature outside {@linkcode CONTRASTIVE_TEMPERATURE_RANGE} (below it
 * float32 logits lose their digits, then overflow) or an unknown similarity.
 */
export function ntXent(first: Tensor2D, second: Tensor2D, options: NtXentOptions): Scalar {
  // !(t > 0) alone let Infinity through (a constant loss whatever the views), and an unknown
  // similarity ran the dot product: each is a SettingError, as infoNce's options are.
  // Above 0 alone let tau 1e-10 through (cosine logits of 1e10, rounded by 512) and 1e-40 (NaN).
  checkNumber("NtXentOptions.temperature", options.temperature, CONTRASTIVE_TEMPERATURE_RANGE);
  checkOneOf("NtXentOptions.similarity", options.similarity, SIMILARITY_KINDS);
  if (first.rank !== 2 || second.rank !== 2 || first.shape.some((s, i) => s !== second.shape[i])) {
    throw new Error(
      `ntXent: both views must be [rows, dim] of one shape, ` +
        `got [${first.shape}] and [${second.shape}]`,
    );
  }
  const rows = first.shape[0];
  if (rows < 2) throw new Error(`ntXent: needs at least 2 rows for a negative, got ${rows}`);
  const views = 2 * rows;
  // Constant masks: the diagonal (a view with itself) and each view's positive (its pair).
  const self = new Uint8Array(views * views);
  const pair = new Float32Array(views * views);
  for (let k = 0; k < views; k++) {
    self[k * views + k] = 1;
    pair[k * views + ((k + rows) % views)] = 1;
  }
  return tf.tidy(() => {
    let z = tf.concat([first, second], 0);
    if (options.similarity === "cosine") {
      z = unitRows(z, 1e-8);
    }
    const logits = tf.div(tf.matMul(z, z, false, true), options.temperature); // [2N, 2N]
    const selfMask = tf.tensor2d(self, [views, views], "bool");
    const masked = tf.where(selfMask, excludedLogits(logits, selfMask), logits);
    const positive = tf.sum(tf.mul(logits, tf.tensor2d(pair, [views, views])), -1);
    return tf.mean(tf.sub(tf.logSumExp(masked, -1), positive)) as Scalar;
  });
}

/**
 * `[2N, 2N]`: in each row, the logit that takes the row's self-similarity out of its softmax,
 * EXCLUDED_LOGIT, or twice the row's lowest real logit where that is lower. A fixed -1e9 alone
 * became the largest entry of a row whose real logits all lay below it (dot products of large
 * states: the loss off by hundreds of millions, silently); twice the lowest lies below every real
 * logit by at least its own size (5e8), so its exp is 0, as -1e9's is. A row whose real logits
 * are all above -5e8 (every cosine row at an accepted temperature; dot products above -5e8 tau)
 * gets -1e9 exactly, and the gradient reaching its lowest logit through this path is that exp, 0:
 * no loss or gradient of such a row changes.
 */
function excludedLogits(logits: tf.Tensor, selfMask: tf.Tensor): tf.Tensor {
  const real = tf.where(selfMask, tf.fill(logits.shape, Infinity), logits);
  const lowest = tf.min(real, -1, true);
  const excluded = tf.minimum(tf.scalar(EXCLUDED_LOGIT), tf.mul(lowest, 2));
  return tf.broadcastTo(excluded, logits.shape);
}
