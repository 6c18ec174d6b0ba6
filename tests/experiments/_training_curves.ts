/**
 * A system's training curves over two epochs, for the report tests that need a diagnosis's curves
 * (html_report_gaps_test.ts, html_report_third_pass_test.ts), which each had a copy.
 */
import type { RunCurves } from "../../lib/experiments/summary_types.ts";

/** Seed 0's curves of `system`: validation NDCG@10 rising over 2 epochs, the best at the second. */
export function twoEpochCurves(system: string): RunCurves {
  return {
    system,
    seed: 0,
    epochs: [1, 2],
    validNdcg: [0.1, 0.2],
    recommendationLoss: [5, 4],
    auxiliaryLoss: [0, 0],
    bestEpoch: 2,
  };
}
