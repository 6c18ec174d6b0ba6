/**
 * Audit (session 49): chunked evaluation of a MODEL against one chunk of every user. A model's
 * score of a user does not depend on the other users of its batch beyond float rounding (each row
 * is padded to the split's maxLength whatever the chunk), so the ranks agree except where the
 * target has a competitor within that rounding. Measured on this fixture: scores differ by up to
 * ~1e-6 (SASRec) and ~1e-7 (GRU4Rec) between chunk sizes; no rank moved.
 */
import { assert, assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { evaluationBatches } from "../../lib/data/protocol/batcher.ts";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import { evaluateRanking, modelScorer, type Scorer } from "../../lib/eval/mod.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { createRng } from "../../lib/util/random.ts";
import { tinyDataset } from "../data/_tiny_dataset.ts";

await initBackend({ verbose: false });

/** Largest score difference allowed between chunk sizes: float32 rounding of scores of size ~1. */
const ROUNDING = 1e-5;

/** Every user's score row (test stage) when users are scored `chunkSize` at a time. */
async function scoreRows(
  scorer: Scorer,
  split: ReturnType<typeof leaveOneOutSplit>,
  chunkSize: number,
): Promise<Float32Array[]> {
  const rows: Float32Array[] = [];
  for (const { batch } of evaluationBatches(split, "test", chunkSize)) {
    const scores = await scorer.score(batch);
    for (let row = 0; row < batch.batchSize; row++) {
      rows.push(scores.slice(row * scorer.numItems, (row + 1) * scorer.numItems));
    }
  }
  return rows;
}

Deno.test("a model's chunked evaluation equals one chunk, up to float rounding of near ties", async () => {
  const rng = createRng(4905);
  const numItems = 40;
  const sequences = Array.from(
    { length: 30 },
    () => Array.from({ length: 4 + rng.int(10) }, () => rng.int(numItems)),
  );
  const split = leaveOneOutSplit(tinyDataset(sequences, numItems), { maxLength: 8 });
  for (const backbone of ["sasrec", "gru4rec"] as const) {
    const model = new SequentialRecommender(split.dataset, { backbone, dim: 16, maxLength: 8 });
    try {
      const scorer = modelScorer(model);
      const whole = await scoreRows(scorer, split, 256);
      const wholeResult = await evaluateRanking(scorer, split, { stage: "test", chunkSize: 256 });
      for (const chunkSize of [1, 7]) {
        const rows = await scoreRows(scorer, split, chunkSize);
        const result = await evaluateRanking(scorer, split, { stage: "test", chunkSize });
        assertEquals(Array.from(result.users), Array.from(wholeResult.users));
        rows.forEach((row, user) => {
          const label = `${backbone} chunk ${chunkSize} user ${user}`;
          for (let item = 0; item < numItems; item++) {
            assert(Math.abs(row[item] - whole[user][item]) <= ROUNDING, `${label} item ${item}`);
          }
          const target = split.testTarget[user];
          const nearTie = whole[user].some((score, item) =>
            item !== target && Math.abs(score - whole[user][target]) <= 2 * ROUNDING
          );
          if (!nearTie) assertEquals(result.ranks[user], wholeResult.ranks[user], label);
        });
      }
    } finally {
      model.dispose();
    }
  }
});
