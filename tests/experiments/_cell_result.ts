/** A stored cell result of the shape `checkCellResult` accepts, with the metrics a test needs. */
import type { CellResult } from "../../lib/experiments/run_cell.ts";

/** A result with these validation and test NDCG@10 values and nothing trained. */
export function storedCellResult(valid = 0.1, test = 0.1): CellResult {
  return {
    system: "stub",
    dataset: "stub",
    seed: 0,
    valid: { "NDCG@10": valid },
    test: { "NDCG@10": test },
    users: [],
    perUserTest: { "NDCG@10": [], "HR@10": [] },
    protocol: {},
    bestEpoch: 0,
    epochsRun: 0,
    maxEpochs: 0,
    capBound: false,
    trainSeconds: 0,
    meanStepSeconds: 0,
    history: [],
  } as unknown as CellResult;
}
