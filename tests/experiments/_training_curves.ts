/**
 * A system's training curves over two epochs, and a dataset's diagnosis of SASRec-MM's and
 * Demure-SASRec's, for the report tests that need a diagnosis's curves (html_report_gaps_test.ts,
 * html_report_third_pass_test.ts), which each had a copy of both.
 */
import type { Diagnosis, RunCurves } from "../../lib/experiments/summary_types.ts";
import { RECORD_CAPTION_PROTOCOL } from "./_finished_run.ts";

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

/** `dataset`'s diagnosis: the two-epoch curves of SASRec-MM and Demure-SASRec, nothing else measured. */
export function twoEpochDiagnosis(dataset: string): Diagnosis {
  return {
    dataset,
    curves: [twoEpochCurves("SASRec-MM"), twoEpochCurves("Demure-SASRec")],
    noiseRateByModality: {},
    noiseRates: { measured: [], unmeasured: [] },
    popularity: [],
    curvesProtocol: RECORD_CAPTION_PROTOCOL,
    popularityProtocol: RECORD_CAPTION_PROTOCOL,
  };
}
