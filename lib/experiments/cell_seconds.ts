/**
 * How long a cell of the plan takes: the estimate behind the time a run announces and counts down
 * (`runPlan`), the cells' listing (`reproduce --list-cells`) and the time limits a cluster
 * submission asks for (`scripts/cluster/stages.ts`, which multiplies it by a safety factor).
 *
 * Calibrated on measurements of the reference machine (2 cores, wasm + OpenBLAS, two processes of
 * one BLAS thread each, idle): the main job of 2026-12-04 (`./run.sh reproduce`, 48.4 min wall,
 * the first seed of every main-table system at its selected configuration; docs/performance.md).
 * For those 16 cells it gives 98.6 min of training against 95.6 measured; for the 166 trained cells
 * of the whole plan, 19.2 h against 17.7 h recorded. Until then one number per dataset stood for
 * every system, with fixed factors per objective: 109.4 min and 24.5 h, and the longest cell,
 * MovieLens Demure-GRU4Rec, understated 1.5x (21.7 min against 31.8).
 *
 * A cell's time still varies with its seed and configuration (the epochs early stopping lets it
 * run: the recorded MovieLens Demure-SASRec cells took 0.3x to 1.8x their median) and with the
 * host's speed from day to day (up to 1.5x on this virtual machine): an estimate, not a bound.
 */
import type { ExperimentMode, ExperimentPlan, PlannedCell } from "./plan_types.ts";
import type { SystemSpec } from "./systems.ts";

type NeuralSystem = Extract<SystemSpec, { kind: "neural" }>;
type Backbone = NeuralSystem["backbone"];

/** Idle seconds of a full cell of each objective and backbone, on each embedded dataset kind. */
interface DatasetSeconds {
  /** The backbone alone, all modalities (an ID-only run takes about 0.75x). */
  plain: Record<Backbone, number>;
  /** Demure's full objective. */
  demure: Record<Backbone, number>;
  /** CL4SRec-MM (SASRec only). */
  cl4srec: number;
}

/**
 * Measured 2026-12-04 (main job above), seconds: MovieLens SASRec-MM 8.9 min, GRU4Rec-MM 8.0,
 * CL4SRec-MM 16.3, Demure-SASRec 15.3, Demure-GRU4Rec 31.8; synthetic SASRec-MM 70 s, GRU4Rec-MM
 * 37 s, CL4SRec-MM 2.4 min, Demure-SASRec 2.8 min, Demure-GRU4Rec 49 s.
 */
const FULL_SECONDS: Record<"movielens" | "synthetic", DatasetSeconds> = {
  movielens: {
    plain: { sasrec: 535, gru4rec: 480 },
    demure: { sasrec: 920, gru4rec: 1910 },
    cl4srec: 980,
  },
  synthetic: {
    plain: { sasrec: 70, gru4rec: 37 },
    demure: { sasrec: 168, gru4rec: 49 },
    cl4srec: 144,
  },
};

/**
 * The ablations' time as a share of Demure's full objective: the ratios of the recorded medians
 * (results-of-record/full, five seeds each; MovieLens and synthetic within 0.1 of each other).
 * `random_input` stops earliest: its masks never change, so validation plateaus sooner.
 */
const VARIANT_SHARE = { full: 1, attribution_only: 0.75, contrastive_only: 1, random_input: 0.45 };

/**
 * Scoring the attribution against the planted truth after every epoch (`scoreAttribution`, the
 * synthetic noise-level cells) about doubles a cell: the recorded medians of synthetic
 * SASRec-MM and Demure-SASRec at noise 0.5 were 2.2x those without it.
 */
const ATTRIBUTION_SCORING_FACTOR = 2;

/** Quick mode (a few epochs of small data) and the non-neural baselines, seconds. */
const QUICK_NEURAL_SECONDS = { movielens: 25, synthetic: 8 };
const BASELINE_SECONDS = { quick: 2, full: 5 };

/**
 * What an epoch of a neural cell trains on, which sets what the epoch costs: its training steps
 * (batches; the windows of the users' histories over the batch size, capped by
 * `maxBatchesPerEpoch`) and the items every step scores.
 */
export interface EpochSize {
  /** Training steps (batches) of one epoch. */
  stepsPerEpoch: number;
  /** Items of the prepared (k-core filtered) dataset. */
  items: number;
}

/**
 * The synthetic benchmark's epoch in each mode, with its trainer settings (the size an imported
 * dataset's cells are scaled from): full, 600 users of one 28-item window each in batches of 128,
 * and 493 items after the 5-core filter; quick, 160 users in batches of 64, capped at 3 batches,
 * and 116 items. Checked against the prepared data by tests/experiments/imported_estimate51_test.ts.
 */
export const SYNTHETIC_EPOCH_SIZE: Readonly<Record<ExperimentMode, Readonly<EpochSize>>> = Object
  .freeze({
    full: Object.freeze({ stepsPerEpoch: 5, items: 493 }),
    quick: Object.freeze({ stepsPerEpoch: 3, items: 116 }),
  });

/** MovieLens's epoch in the full plan: 671 users' windows in 17 batches, 3,496 items. */
const MOVIELENS_EPOCH_SIZE: EpochSize = { stepsPerEpoch: 17, items: 3496 };

/**
 * A step's cost is taken as `STEP_ITEM_OFFSET + items` (a part that does not grow with the items:
 * the sequence encoder, the optimizer, the per-operation overhead; and the scoring of every item).
 * The offset is the one for which the synthetic figures, scaled to MovieLens's epoch, give the
 * recorded MovieLens cells: the geometric mean of the five main systems' MovieLens/synthetic ratios
 * in FULL_SECONDS is 10.8x, of which 3.4x is the 17 steps against 5, leaving 3.16x a step for 3,496
 * items against 493. The single ratios range from 5.5x to 39x (the epochs early stopping allows
 * differ by system and dataset), which is why the scaled figure stays an estimate.
 */
const STEP_ITEM_OFFSET = (() => {
  const systems = [
    ["plain", "sasrec"],
    ["plain", "gru4rec"],
    ["demure", "sasrec"],
    ["demure", "gru4rec"],
  ] as const;
  const ratios = [
    ...systems.map(([objective, backbone]) =>
      FULL_SECONDS.movielens[objective][backbone] / FULL_SECONDS.synthetic[objective][backbone]
    ),
    FULL_SECONDS.movielens.cl4srec / FULL_SECONDS.synthetic.cl4srec,
  ];
  const meanRatio = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
  const synthetic = SYNTHETIC_EPOCH_SIZE.full;
  const perStep = meanRatio * synthetic.stepsPerEpoch / MOVIELENS_EPOCH_SIZE.stepsPerEpoch;
  // perStep = (offset + movielens items) / (offset + synthetic items), solved for the offset.
  return (MOVIELENS_EPOCH_SIZE.items - perStep * synthetic.items) / (perStep - 1);
})();

/**
 * How many times the synthetic benchmark's cell an imported dataset's cell of `size` takes in
 * `mode`: its steps an epoch, each costing `STEP_ITEM_OFFSET + items`, against the benchmark's.
 * The epochs early stopping lets it run are not known before it trains, so they are taken as the
 * benchmark's.
 */
export function importedCellScale(mode: ExperimentMode, size: EpochSize): number {
  const synthetic = SYNTHETIC_EPOCH_SIZE[mode];
  return size.stepsPerEpoch / synthetic.stepsPerEpoch *
    (STEP_ITEM_OFFSET + size.items) / (STEP_ITEM_OFFSET + synthetic.items);
}

/**
 * Expected wall time of `cell` in seconds on the reference machine (2 cores, two processes, idle).
 * An imported dataset's neural cell is estimated as the synthetic benchmark's, scaled by its
 * prepared data's `size` where the caller has it ({@linkcode importedCellScale}; at least 1 s),
 * and unscaled without it (the run's time left corrects itself as cells finish).
 */
export function estimatedCellSeconds(
  plan: ExperimentPlan,
  cell: PlannedCell,
  size?: EpochSize,
): number {
  const system = cell.system;
  if (system.kind !== "neural") return BASELINE_SECONDS[plan.mode];
  const dataset = cell.dataset.kind === "movielens" ? "movielens" : "synthetic";
  const scale = cell.dataset.kind === "file" && size !== undefined
    ? importedCellScale(plan.mode, size)
    : 1;
  if (plan.mode === "quick") return scaled(QUICK_NEURAL_SECONDS[dataset], scale);
  const seconds = FULL_SECONDS[dataset];
  const base = system.demure
    ? seconds.demure[system.backbone] * VARIANT_SHARE[system.demure.variant ?? "full"]
    : system.cl4srec
    ? seconds.cl4srec
    : seconds.plain[system.backbone];
  return scaled(base * (cell.scoreAttribution ? ATTRIBUTION_SCORING_FACTOR : 1), scale);
}

/**
 * Whole seconds; a scaled (imported) cell at least 1 s, as a cost of 0 means a cell reused from
 * the same run (`_start_estimate.ts`), which gives the time left no rate to extrapolate from.
 */
function scaled(seconds: number, scale: number): number {
  return scale === 1 ? Math.round(seconds) : Math.max(1, Math.round(seconds * scale));
}
