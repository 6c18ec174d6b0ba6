/**
 * A gap a hand-run mutation pass (session 52) found in `trainingBudget`: a split whose epoch holds
 * no training row (every user has fewer than 2 training items) has no batch, so its smallest batch
 * holds 0 rows; without the zero-row case the count of the last batch's rows came out as a whole
 * batch (`batchSize`), a budget no epoch of that split has. And such a budget trains no batch
 * of 1 row, so `oneRowBatchRefusal` (CL4SRec's `cl4srecRunRefusal`) has nothing to refuse; refusing
 * every budget whose smallest batch is not above 1 blamed `batchSize` for a split with no row.
 */
import { assertEquals } from "@std/assert";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import { trainingBatches } from "../../lib/data/protocol/batcher.ts";
import { oneRowBatchRefusal, resolveTrainerConfig } from "../../lib/train/config.ts";
import { trainingBudget } from "../../lib/train/trainer.ts";
import { tinyDataset } from "../data/_tiny_dataset.ts";
import { cl4srecRunRefusal } from "../../lib/baselines/cl4srec.ts";

Deno.test("trainingBudget of a split without a training row: no step, no row, no batch of rows", () => {
  // 3 interactions each: leave-one-out leaves 1 training item a user, no next-item pair.
  const split = leaveOneOutSplit(tinyDataset([[0, 1, 2], [1, 2, 3]], 4), { maxLength: 5 });
  for (const batchSize of [1, 2, 128]) {
    const config = resolveTrainerConfig({ batchSize });
    assertEquals(
      trainingBatches(split, 0, { batchSize, seed: 0, shuffle: true, windows: "all" }).length,
      0,
    );
    assertEquals(trainingBudget(split, config), {
      stepsPerEpoch: 0,
      rowsPerEpoch: 0,
      smallestBatchRows: 0,
      mostRowsOfAUser: 0,
    }, `batchSize ${batchSize}`);
    if (batchSize > 1) {
      const budget = trainingBudget(split, config);
      assertEquals(oneRowBatchRefusal("a loss", config, budget), undefined);
      assertEquals(cl4srecRunRefusal(config, budget), undefined);
    }
  }
});
