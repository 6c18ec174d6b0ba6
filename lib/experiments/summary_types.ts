/**
 * The shape of the report's data (`summary.json`, {@linkcode ReproductionSummary}): the rows of
 * each table and the diagnosis, as `summary.ts` computes them and the markdown and HTML reports
 * render them.
 */
import type {
  AttributionSummary,
  ColdStartBucket,
  MeanStd,
  SignificanceResult,
  SystemSummary,
} from "./analyse.ts";
import type { RankingProtocol } from "../eval/protocol.ts";
import type { PlannedCell, SweepParameter } from "./plan_types.ts";
import type { ModalityNoiseRates } from "../demure/noise_rates.ts";
import type { EpochNoiseRates } from "./epoch_noise_rates.ts";
import type { PairedTestResult } from "../eval/significance.ts";
import type { CaptionProtocol } from "./protocol_caption.ts";

/** A main-table row: the metrics plus how the system was configured and how its runs ended. */
export interface MainRow extends SystemSummary {
  /** Where the system's configuration came from (defaults or the selection on validation). */
  configuredBy: PlannedCell["configuredBy"];
  /** Best epoch of each seed's run (empty for non-neural systems). */
  bestEpochs: number[];
  /**
   * Per entry of `bestEpochs`: the run's model is its backbone's (a Demure-family run whose best
   * epoch was in the warm-up, or whose denoising never started: `endedWithBackboneWeights`).
   */
  backboneWeights: boolean[];
  /** Seeds whose run ended at the epoch cap. */
  capBound: number;
}

/** One trial of a selection table. */
export interface TrialRow {
  /** Trial number (0 = the defaults). */
  trial: number;
  /** The trial's hyper-parameters, e.g. "lr 0.005, dropout 0.3" ("defaults" for trial 0). */
  settings: string;
  /** Validation NDCG@10 of the trial. */
  valid: number;
  /** Epoch of the trial's best validation NDCG@10. */
  bestEpoch: number;
  /** Epochs the trial trained. */
  epochsRun: number;
  /** The run ended at the epoch cap. */
  capBound: boolean;
  /** The trial's model is its backbone's (`endedWithBackboneWeights`): it did not test Demure. */
  backboneWeights: boolean;
  /** The run diverged (no result). */
  diverged: boolean;
  /** The trial the selection chose. */
  chosen: boolean;
}

/** The selection of one system on one dataset. */
export interface SelectionTable {
  /** Dataset label. */
  dataset: string;
  /** System name. */
  system: string;
  /** Trials asked for (the budget) and finished. */
  budget: number;
  /** Trials finished. */
  finished: number;
  /** Settings the trials start from (the backbone's selected learning rate and dropout). */
  inherited: string;
  /** One row per finished trial. */
  rows: TrialRow[];
}

/**
 * Demure-SASRec at its selected configuration against one design choice flipped, on one dataset,
 * over the seeds where both runs finished: the flipped cell (experiment `design_choice`, run at the
 * first `DatasetPlan.designChoiceSeedCount` of the ablation seeds) and the main table's
 * Demure-SASRec cell at the same seed. A flipped run whose seed has no finished main cell is left
 * out (nothing to pair it with), so both sides are over the same seeds.
 *
 * Spread as in {@linkcode SensitivityRow}: the sample standard deviation over `seeds`, 0 for one
 * seed (`n` tells the two apart).
 */
export interface DesignChoiceRow {
  /** Dataset label. */
  dataset: string;
  /** The design choice flipped. */
  choice: string;
  /** The seeds where both the flipped run and the main cell finished, ascending. */
  seeds: number[];
  /** Validation and test NDCG@10 at the selected configuration (the main cells) over `seeds`. */
  selected: { valid: MeanStd; test: MeanStd };
  /**
   * Validation and test NDCG@10 with the choice flipped over `seeds`, and the flipped runs' best
   * epochs (one per seed, in `seeds`' order).
   */
  flipped: { valid: MeanStd; test: MeanStd; bestEpochs: number[] };
  /**
   * Mean over `seeds` of the flipped run's test NDCG@10 minus the selected configuration's at the
   * same seed.
   */
  testVsSelected: number;
  /** Two-sided paired t-test of those differences over seeds (at least 2 seeds). */
  tTest?: PairedTestResult;
}

/**
 * One value of a dataset's sensitivity sweep: Demure-SASRec with one parameter set to `value`, the
 * rest at the dataset's selected configuration, over the sweep's seeds that finished.
 *
 * Spread: `test.std` is the sample standard deviation over `seeds` and 0 for one seed (as in every
 * {@linkcode MeanStd} of the summary: a number that survives `summary.json`, where NaN would turn
 * into null); `test.n` tells the two apart, and the report prints no spread for one seed.
 */
export interface SensitivityRow {
  /** Dataset label, e.g. "MovieLens". */
  dataset: string;
  /** The parameter varied. */
  parameter: SweepParameter;
  /** Its value in this row's runs. */
  value: number;
  /**
   * This is the selected configuration's own value: its runs are the reference cells (the main
   * table's Demure-SASRec; where one has not finished, the sweep's cell at the selected value),
   * one per seed (see {@linkcode sweepValueRuns}).
   */
  selected: boolean;
  /** The seeds whose run at this value finished, ascending. */
  seeds: number[];
  /** Validation NDCG@10 over `seeds`. */
  valid: MeanStd;
  /** Test NDCG@10 over `seeds`. */
  test: MeanStd;
  /**
   * Mean over `pairedSeeds` of this row's test NDCG@10 minus the selected configuration's at the
   * same seed (undefined without a pair; 0 for the selected row itself).
   */
  testVsSelected?: number;
  /** The seeds where both this row's run and the selected configuration's finished, ascending. */
  pairedSeeds: number[];
  /**
   * Two-sided paired t-test of those differences over seeds (at least 2 pairs; never for the
   * selected row, which is its own pair).
   */
  tTest?: PairedTestResult;
}

/** Per-epoch curves of one run (diagnosis). */
export interface RunCurves {
  /** System name. */
  system: string;
  /** The run's seed. */
  seed: number;
  /** Epochs (1-based). */
  epochs: number[];
  /** Validation NDCG@10 at each epoch (NaN where not evaluated). */
  validNdcg: number[];
  /** Mean L_rec at each epoch. */
  recommendationLoss: number[];
  /** lambda * L_cl (0 without a contrastive term). */
  auxiliaryLoss: number[];
  /**
   * Demure: noise rate per modality at each of `epochs`, NaN where the epoch had no pair under a
   * mask (the warm-up) or no rate of its own, each such range with its reason
   * ({@linkcode epochNoiseRates}).
   */
  noiseRate?: EpochNoiseRates;
  /** Epoch of the best validation NDCG@10. */
  bestEpoch: number;
  /** Epoch after which Demure's warm-up ended (undefined: by steps, or never). */
  warmupEndedAfterEpoch?: number;
}

/** Why Demure-SASRec does (not) beat SASRec-MM on one dataset. */
export interface Diagnosis {
  /** Dataset label. */
  dataset: string;
  /** Per-epoch curves of the compared runs. */
  curves: RunCurves[];
  /**
   * Mean noise rate per modality over Demure's training (first seed), as recorded: NaN (`null`
   * once read from a result file) where no pair of the modality was under a mask.
   */
  noiseRateByModality: Record<string, number>;
  /**
   * The same rates from the run's pair counts, with each modality that has none and why (what a
   * report prints instead of a rate).
   */
  noiseRates: ModalityNoiseRates;
  /** Test NDCG@10 by the test item's training interactions (per user averaged over all seeds). */
  popularity: ColdStartBucket[];
  /** The protocol of the per-epoch curves' runs (one run per system, the first seed). */
  curvesProtocol: CaptionProtocol;
  /** The protocol of the popularity buckets: both systems' main-table runs over their seeds. */
  popularityProtocol: CaptionProtocol;
}

/** The protocols the report's figures state, read from the records (`protocol_caption.ts`). */
export interface FigureProtocols {
  /** Per main-table dataset with rows: the protocol of its runs. */
  main: Record<string, CaptionProtocol>;
  /** The noise-level figure's runs (its two systems at every level); absent without them. */
  noiseLevel?: CaptionProtocol;
  /** The attribution figure's attributed runs; absent without them. */
  attribution?: CaptionProtocol;
}

/** Everything the report shows (this is `summary.json`). */
export interface ReproductionSummary {
  /** The plan's mode (`quick` or `full`). */
  mode: string;
  /** The evaluation protocol as printable lines. */
  protocol: string[];
  /** The protocol each figure of the report states under it. */
  figureProtocols: FigureProtocols;
  /** Per dataset label: its statistics and split protocol, printed. */
  datasets: Record<string, { statistics: string; split: string[] }>;
  /** Stopping and selection budget per dataset, as stated in the plan. */
  budgets: {
    dataset: string;
    maxEpochs: number;
    patience: number;
    trials: number;
    selected: string[];
    seeds: number[];
  }[];
  /** Per dataset label: the main table's rows and the paired tests against the strongest baseline. */
  main: Record<string, { rows: MainRow[]; significance: SignificanceResult[] }>;
  /**
   * The main tables' test metrics under the other full-ranking protocol (same trained models,
   * selected on the plan's protocol), for comparison with papers that use it. Result files without
   * these metrics are left out.
   */
  otherRanking: Record<string, { ranking: RankingProtocol; rows: SystemSummary[] }>;
  /** The selection on validation, per (dataset, system). */
  selection: SelectionTable[];
  /** Whether the runs converged before their epoch cap. */
  convergence: {
    /** Finished neural cells. */
    neuralCells: number;
    /** Of them, the ones whose run ended at the epoch cap (goal: 0). */
    capBound: number;
    capBoundKeys: string[];
    /** Finished Demure-family cells, and the keys of those whose model is their backbone's. */
    demureCells: number;
    backboneWeightsKeys: string[];
    /** Largest best epoch of any run, and the smallest cap. */
    maxBestEpoch: number;
    minCap: number;
  };
  /** Per dataset label: the ablation table's rows. */
  ablation: Record<string, SystemSummary[]>;
  /**
   * Per dataset label: paired tests of each one-component system (attribution only, contrastive
   * only) against neither component (the multi-modal backbone) and against both (Demure), and of
   * the random-mask control against attribution only and the backbone.
   */
  ablationSignificance: Record<string, SignificanceResult[]>;
  /**
   * Demure's design choices, each flipped alone: one row per (dataset, choice) over seeds, in the
   * order of the plan's first design-choice cells.
   */
  designChoices: DesignChoiceRow[];
  /**
   * Each dataset's sensitivity sweep (finished cells only): one row per (dataset, parameter,
   * value) over the sweep's seeds, datasets in plan order, then parameters by name and values ascending.
   */
  sensitivity: SensitivityRow[];
  /**
   * The noise-level curve: test NDCG@10 of the multi-modal baseline and of Demure per planted
   * noise share (one run per seed), and Demure's gain: the mean of the differences paired by seed
   * over the seeds both finished (NaN with none).
   */
  noiseLevel: { noiseFraction: number; multiModal: MeanStd; demure: MeanStd; gain: number }[];
  /** Per dataset label: metrics by how often the test item occurs in training. */
  coldStart: Record<string, ColdStartBucket[]>;
  /** Attribution against the planted truth, per system and method. */
  attribution: AttributionSummary[];
  /** Per dataset: why Demure does (not) beat the multi-modal baseline. */
  diagnosis: Diagnosis[];
  /** Finished cells summarised. */
  cells: number;
  /** Keys of the plan's cells not finished when the report was written (a partial run). */
  pending: string[];
  /** Training wall time of all finished cells, in seconds. */
  totalTrainSeconds: number;
}
