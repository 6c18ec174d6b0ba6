/** A reproduction summary with nothing finished: the report tests add the part each one reads. */
import type { ReproductionSummary } from "../../lib/experiments/summary_types.ts";

/** No dataset, no cell, no table (the convergence counts at 0, a cap of 10 epochs). */
export const EMPTY_SUMMARY: ReproductionSummary = {
  mode: "quick",
  protocol: ["split: leave-one-out"],
  figureProtocols: { main: {} },
  datasets: {},
  budgets: [],
  main: {},
  otherRanking: {},
  selection: [],
  convergence: {
    neuralCells: 0,
    capBound: 0,
    capBoundKeys: [],
    demureCells: 0,
    backboneWeightsKeys: [],
    maxBestEpoch: 0,
    minCap: 10,
  },
  ablation: {},
  ablationSignificance: {},
  designChoices: [],
  sensitivity: [],
  noiseLevel: [],
  coldStart: {},
  attribution: [],
  diagnosis: [],
  cells: 0,
  pending: [],
  totalTrainSeconds: 0,
};
