/** A scorer that reads its scores from a table: the evaluation tests' stand-in for a model. */
import type { SequenceBatch } from "../../lib/data/types.ts";
import type { Scorer } from "../../lib/eval/scorer.ts";

/** Scores item i as table[user][i] for each row of the batch (the user read from the batch). */
export function tableScorer(table: number[][]): Scorer {
  return {
    name: "table",
    numItems: table[0].length,
    score: (batch: SequenceBatch) =>
      Float32Array.from(Array.from(batch.users).flatMap((user) => table[user])),
  };
}
