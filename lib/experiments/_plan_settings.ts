/**
 * The plan's settings per size (`quick`, `full`): the systems of each table, the settings every
 * neural cell shares, and what the plan does on each dataset (its {@linkcode DatasetPlan}: the
 * stopping rule, the selection budget, the seeds, the sweeps). The one home of these numbers;
 * `plan.ts` builds the grid from them.
 */
import type { DemureConfig } from "../demure/config.ts";
import type { SyntheticConfig } from "../data/synthetic.ts";
import type { ModelConfigInput } from "../models/sequential_recommender.ts";
import type { TrainerConfig } from "../train/config.ts";
import { DEFAULT_ADAM_CONFIG } from "../train/adam.ts";
import type { DatasetPlan, ExperimentMode, SweepParameter } from "./plan_types.ts";
import { SELECTION_SPECS } from "./selection.ts";
import { FILE_STOPPING } from "./file_stopping.ts";
import { PLAN_WARMUP_STEPS } from "./plan_warmup.ts";
import type { SystemName } from "./systems.ts";

const MAIN_SYSTEMS: SystemName[] = [
  "Pop",
  "ItemKNN",
  "SASRec-ID",
  "SASRec-MM",
  "GRU4Rec-MM",
  "CL4SRec-MM",
  "Demure-SASRec",
  "Demure-GRU4Rec",
];
/** The main table's systems that have hyper-parameters to select (every neural one). */
const SELECTABLE_MAIN_SYSTEMS = MAIN_SYSTEMS.filter((name) => SELECTION_SPECS[name] !== undefined);
export const ABLATION_SYSTEMS: SystemName[] = [
  "SASRec-MM",
  "AttributionOnly-SASRec",
  // Its control: do the attributed masks cost (or gain) more than as many random ones?
  "RandomInputMasks-SASRec",
  "ContrastiveOnly-SASRec",
  "Demure-SASRec",
];
/**
 * The ablation's systems added after its records were made (2026-12-03): their cells come last in
 * every plan, so that every earlier cell keeps its index (`--cell N`, job arrays).
 */
export const LATER_ABLATION_SYSTEMS: SystemName[] = ["RandomInputMasks-SASRec"];
/**
 * The sweep parameters added after the full plan's records were made (2026-12-03): their cells come
 * after every other cell, so that the earlier ones keep their indices.
 */
export const LATER_SWEEP_PARAMETERS: SweepParameter[] = ["warmupEpochs"];
export const FIRST_ABLATION_SYSTEMS = ABLATION_SYSTEMS.filter((name) =>
  !LATER_ABLATION_SYSTEMS.includes(name)
);

/**
 * The attribution route of every Demure cell the plan runs: the separate pass, on purpose. The
 * library's default (`auto`) takes the training pass where it is supported, but the plan compares
 * Demure with variants the training pass cannot run (AttributionOnly-SASRec and the "L_rec on the
 * denoised history" design choice read a denoised L_rec, whose gradient is zero at the masked
 * pairs; trials with `denoiseInput: true`). With `auto` those comparisons would also compare two
 * routes; with one route every difference in the ablation, the design choices and the selection is
 * the variant's. The two routes agree within seed noise over 5 seeds on both datasets
 * (docs/performance.md, "the training-pass route"), and the pin keeps every record reproducible
 * bit for bit.
 */
const PLAN_ATTRIBUTION_SOURCE: Partial<DemureConfig> = Object.freeze({
  attributionSource: "separate_pass",
});

/** Everything the plan states for one size (`quick` or `full`). */
export interface ModeSettings {
  model: ModelConfigInput;
  training: Partial<TrainerConfig>;
  datasets: Record<"synthetic" | "movielens", DatasetPlan>;
  /** Stopping of an imported dataset unless the caller gives its own (`datasetTraining`). */
  fileStopping: { maxEpochs: number; patience: number };
  synthetic: Partial<SyntheticConfig>;
  demure: Partial<DemureConfig>;
  noiseFractions: number[];
  /** Seeds of the noise-level experiment's other fractions. */
  noiseSeeds: number[];
  mainSystems: SystemName[];
}

/**
 * The full plan's stopping on every dataset, the embedded ones and an imported one alike: a cap of
 * 200 epochs and early stopping after 10 validations without a gain. The trainer's own defaults (30
 * epochs, patience 4) let the cap decide the tables and stopped runs on the popularity plateau of
 * the first epochs (see the datasets below); an imported dataset got them until 2026-12-05, so a
 * file of few batches an epoch trained 30 steps, less than Demure's warm-up.
 */
const FULL_STOPPING = FILE_STOPPING.full;

export const SETTINGS: Record<ExperimentMode, ModeSettings> = {
  full: {
    model: { dim: 64 },
    training: {
      batchSize: 128,
      optimizer: { ...DEFAULT_ADAM_CONFIG, learningRate: 2e-3 },
    },
    // The selection budget is what a 2-core machine could afford in working sessions (two
    // processes): on the synthetic benchmark every neural system of the main table gets the same
    // 3 trials (a synthetic cell trains for 1-6 min on one core); on MovieLens every one gets 2
    // trials (the defaults and one drawn point each: a MovieLens Demure cell trains for about 20
    // min on one core). Raise `trials` with time.
    // Patience 10 on both: a MovieLens epoch is only 17 steps and its validation NDCG (671 users)
    // is noisy: with patience 4, runs stopped on the popularity plateau of the first epochs
    // (SASRec-ID's best epoch was 1 for one seed), before the sequential signal is learnt (about
    // epoch 10). With a 30-epoch cap most runs had their best epoch at 25-30: the cap decided the
    // table, so the cap is now 200 and only early stopping ends a run.
    datasets: {
      synthetic: {
        ...FULL_STOPPING,
        trials: 3,
        selected: SELECTABLE_MAIN_SYSTEMS,
        seeds: [0, 1, 2, 3, 4],
        ablationSeeds: [0, 1, 2, 3, 4],
        designChoices: true,
        designChoiceSeedCount: 3,
        // rho in whole modalities of 5: 1, 2, 3 (0.1 masked none until 2026-12-03, now one).
        // The warm-up's length in the selected configuration's unit (validation evaluations
        // without a gain before the first mask): 0 switches Demure on after the first epoch, 4
        // waits twice as long as the selected 2 (the protocol's sensitivity list: rho, lambda,
        // tau and the warm-up's length; added 2026-12-03).
        sweeps: {
          rho: [0.3, 0.5, 0.7],
          lambda: [0.02, 0.1, 0.5],
          temperature: [0.1, 0.2, 0.5],
          warmupEpochs: [0, 2, 4],
        },
        // Three seeds: one step between neighbouring values is within one seed's std.
        sweepSeedCount: 3,
      },
      // Lambda only, around the selected 0.02 (whose cell is the main table's): the ablation finds
      // the attributed masks costly on MovieLens (issue 14), and with L_rec on the full history
      // they enter only through the contrastive term, so this is their dose-response.
      movielens: {
        ...FULL_STOPPING,
        trials: 2,
        selected: SELECTABLE_MAIN_SYSTEMS,
        seeds: [0, 1, 2, 3, 4],
        ablationSeeds: [0, 1, 2, 3, 4],
        designChoices: true,
        designChoiceSeedCount: 3,
        // The warm-up's length too (added 2026-12-03), as on the synthetic data: does switching
        // Demure on later, nearer the plain model's convergence, lose less here?
        sweeps: { lambda: [0.005, 0.02, 0.1], warmupEpochs: [0, 2, 4] },
        sweepSeedCount: 3,
        // Every visit: the records were made when masks aged in steps (`everySteps` 10), which
        // with 17 steps an epoch attributed every window at every visit (0 masks reused in any
        // MovieLens record). The synthetic records (5 steps an epoch) reused every second mask,
        // which is the library's default `everyVisits` 2, so they need no pin.
        demure: { everyVisits: 1 },
      },
    },
    fileStopping: { ...FULL_STOPPING },
    synthetic: {},
    demure: { ...PLAN_ATTRIBUTION_SOURCE },
    noiseFractions: [0.25, 0.75],
    noiseSeeds: [0, 1, 2],
    mainSystems: MAIN_SYSTEMS,
  },
  quick: {
    model: { dim: 32 },
    training: {
      batchSize: 64,
      maxBatchesPerEpoch: 3,
      optimizer: { ...DEFAULT_ADAM_CONFIG, learningRate: 2e-3 },
    },
    datasets: {
      synthetic: {
        maxEpochs: 3,
        patience: 3,
        trials: 2,
        selected: ["SASRec-MM", "Demure-SASRec"],
        seeds: [0, 1],
        ablationSeeds: [0, 1],
        designChoices: true,
        designChoiceSeedCount: 1,
        sweeps: { rho: [0.5, 0.7], lambda: [0.5], temperature: [0.5] },
        sweepSeedCount: 1,
      },
      movielens: {
        maxEpochs: 3,
        patience: 3,
        trials: 1,
        selected: [],
        seeds: [0],
        ablationSeeds: [0],
        designChoices: false,
        designChoiceSeedCount: 1,
        sweeps: {},
        sweepSeedCount: 1,
      },
    },
    fileStopping: { ...FILE_STOPPING.quick },
    synthetic: { numUsers: 160, numItems: 120, historyLength: 15 },
    // Every visit: what the step schedule these cells were written with (`everySteps: 2`) did
    // with 1-2 steps an epoch.
    demure: { ...PLAN_ATTRIBUTION_SOURCE, warmupSteps: PLAN_WARMUP_STEPS.quick, everyVisits: 1 },
    noiseFractions: [0.25, 0.75],
    noiseSeeds: [0],
    mainSystems: ["Pop", "ItemKNN", "SASRec-ID", "SASRec-MM", "CL4SRec-MM", "Demure-SASRec"],
  },
};
