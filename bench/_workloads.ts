/**
 * The library workloads that the benchmarks time: one SASRec training step of the real model
 * (lib/models + lib/train), one full-ranking evaluation pass and one attribution pass, all on the
 * embedded MovieLens data (5-core, leave-one-out, L=50).
 *
 * @example
 * ```ts
 * const data = await movieLensWorkloadData();
 * const step = libraryTrainingStep(data, 256);
 * await step.run();
 * await evaluationPass(step.model, data);
 * step.dispose();
 * ```
 */
import {
  type AttributionResult,
  evaluateRanking,
  type EvaluationResult,
  type InteractionDataset,
  kCoreFilter,
  type LeaveOneOutSplit,
  leaveOneOutSplit,
  loadMovieLens,
  modelScorer,
  planExperiments,
  resolveTrainerConfig,
  type SequenceBatch,
  SequentialRecommender,
  trainingBatches,
} from "../mod.ts";
import { attributeBatch, withNextItemTargets } from "../lib/attribution/mod.ts";
import { checkOneOf, createRng } from "../lib/util/mod.ts";
import {
  BEAUTY_SHAPE as WORKLOAD_BEAUTY_SHAPE,
  evaluationBatches,
  generatedDataset,
} from "../lib/data/mod.ts";
import {
  type BackendChoice,
  blasKernelsInUse,
  blasThreads,
  describeBlasKernels,
} from "../lib/backend/mod.ts";
import { type ExperimentPlan, type PlannedCell, planOfResults } from "../lib/experiments/mod.ts";
import { packRows } from "../lib/nn/mod.ts";
import { Adam, trainStep } from "../lib/train/mod.ts";

/** The host backends a `deno bench` file can time. */
export const BENCH_BACKENDS = ["wasm", "cpu"] as const;
/** A host backend of {@linkcode BENCH_BACKENDS}. */
export type BenchBackend = typeof BENCH_BACKENDS[number];

/**
 * The backends `DEMURE_BENCH_BACKENDS` names (comma-separated), else `fallback`; an entry that is
 * not a host backend is a `SettingError` naming it and the allowed ones (it used to reach
 * `tf.setBackend` unchecked, where a misspelt name failed deep inside the first benchmark).
 *
 * @example
 * ```ts
 * benchBackends("wasm"); // ["wasm"] when DEMURE_BENCH_BACKENDS is unset; "cpu,wasm" -> both
 * ```
 */
export function benchBackends(
  fallback: string,
  variable: string | undefined = Deno.env.get("DEMURE_BENCH_BACKENDS"),
): BenchBackend[] {
  const names = (variable ?? fallback).split(",");
  for (const name of names) checkOneOf("DEMURE_BENCH_BACKENDS", name, BENCH_BACKENDS);
  return names as BenchBackend[];
}

/**
 * What a printed timing was taken under, beside the backend: the OpenBLAS threads
 * (`DEMURE_BLAS_THREADS`, else the cores; a step's time depends on them), its kernel set (the
 * records' unless `DEMURE_BLAS_KERNELS=native` or the CPU cannot run them:
 * lib/backend/blas_kernels.ts) and the load average (the machine is shared). One home, so that
 * every benchmark line states them.
 *
 * @example
 * ```ts
 * timingConditions(await initBackend());
 * // "BLAS threads 2, kernel set Haswell (the records' kernels, 9b2841e5), load average 1.02 0.85 0.70"
 * ```
 */
export function timingConditions(choice: BackendChoice): string {
  const blas = choice.kernels.some((kernel) => kernel.endsWith("(openblas)"));
  const load = Deno.loadavg().map((value) => value.toFixed(2)).join(" ");
  const kernels = describeBlasKernels(blasKernelsInUse(choice.backend));
  return `${
    blas ? `BLAS threads ${blasThreads()}, kernel set ${kernels}` : "no OpenBLAS"
  }, load average ${load}`;
}

/** The results of record whose selection the Demure benchmarks train (read, never written). */
export const RECORDS_FOLDER = "results-of-record/full";

/**
 * MovieLens Demure-SASRec's main-table cell at seed 0 as the full plan runs it, with the selection
 * of the results of record (`results-of-record/full/selected.json`): its model, training and
 * Demure settings (lambda, rho, temperature, denoiseInput, ...), the records' route pins included
 * (a benchmark overrides what it compares). The Demure benchmarks used to write the selected values
 * out by hand, a second home that a new selection would not have reached.
 *
 * @example
 * ```ts
 * const cell = selectedMovieLensDemureCell(); // cell.system.demure.lambda === 0.02 in the records
 * ```
 */
export function selectedMovieLensDemureCell(): PlannedCell {
  // planOfResults reads selected.json only (a result store would need write access to cells/).
  return movieLensDemureCellOf(planOfResults("full", RECORDS_FOLDER));
}

/**
 * The cell {@linkcode selectedMovieLensDemureCell} picks from `plan` (MovieLens Demure-SASRec, main
 * table, seed 0), or an error naming the records' `selected.json` when it has none or the cell waits
 * for a selection. Kept apart from the reading of the records so that a test can hand it a plan.
 *
 * @example
 * ```ts
 * movieLensDemureCellOf(planOfResults("full", RECORDS_FOLDER)).seed; // 0
 * ```
 */
export function movieLensDemureCellOf(plan: ExperimentPlan): PlannedCell {
  const cell = plan.cells.find((c) =>
    c.dataset.kind === "movielens" && c.systemName === "Demure-SASRec" &&
    c.experiments.includes("main") && c.seed === 0
  );
  if (cell === undefined || cell.waitsFor !== undefined) {
    throw new Error(
      `${RECORDS_FOLDER}/selected.json: no selected configuration of MovieLens Demure-SASRec`,
    );
  }
  return cell;
}

/** The dataset and its split, loaded once per benchmark file. */
export interface WorkloadData {
  dataset: InteractionDataset;
  split: LeaveOneOutSplit;
}

/**
 * Loads MovieLens, 5-core filters it and splits it leave-one-out with maxLength 50.
 *
 * @example
 * ```ts
 * const { dataset } = await movieLensWorkloadData(); // dataset.numUsers === 671 for the 2016 snapshot
 * ```
 */
export async function movieLensWorkloadData(): Promise<WorkloadData> {
  const dataset = kCoreFilter(await loadMovieLens());
  return { dataset, split: leaveOneOutSplit(dataset, { maxLength: 50 }) };
}

/**
 * The library's SASRec at the grid's settings (`planExperiments("full").model`: d=64, 2 blocks,
 * 1 head, dropout 0.2) over all of the dataset's modalities, seed 0: the model every library
 * workload here trains.
 *
 * @example
 * ```ts
 * const model = librarySasrec(await movieLensWorkloadData()); // model.config.dim === 64
 * ```
 */
export function librarySasrec(data: WorkloadData): SequentialRecommender {
  return new SequentialRecommender(data.dataset, {
    ...planExperiments("full").model,
    backbone: "sasrec",
    maxLength: data.split.maxLength,
    seed: 0,
  });
}

/** A prepared training step of the library model. */
export interface LibraryStep {
  model: SequentialRecommender;
  /** The batches it cycles over. */
  batches: SequenceBatch[];
  /** Steps run so far. */
  readonly step: number;
  run(): Promise<void>;
  dispose(): void;
}

/**
 * The library's SASRec (`SequentialRecommender`, all of the dataset's modalities) trained by the
 * library's own `trainStep` with the grid's settings (`planExperiments("full")`: d=64, 2 blocks,
 * 1 head, dropout 0.2, Adam lr 2e-3, cross-entropy over all items at every real position),
 * cycling over the first epoch's batches of `batchSize` rows.
 *
 * @example
 * ```ts
 * const step = libraryTrainingStep(data, 128);
 * await step.run(); step.dispose();
 * ```
 */
export function libraryTrainingStep(data: WorkloadData, batchSize = 128): LibraryStep {
  const plan = planExperiments("full");
  const model = librarySasrec(data);
  const config = resolveTrainerConfig({ ...plan.training, batchSize, seed: 0 });
  const adam = new Adam(config.optimizer);
  const batches = trainingBatches(data.split, 0, { batchSize, seed: 0, shuffle: true });
  let step = 0;
  return {
    model,
    batches,
    get step() {
      return step;
    },
    async run() {
      await trainStep({
        model,
        optimizer: adam,
        batch: batches[step % batches.length],
        step,
        config,
      });
      step++;
    },
    dispose() {
      adam.dispose();
      model.dispose();
    },
  };
}

/** Sizes that decide the matrix-product work of one training step. */
export interface StepShape {
  /** Rows of the batch and the columns that hold any real item. */
  batch: number;
  window: number;
  /** Real (non-padding) positions: the rows of every position-wise layer and of the scoring. */
  realPositions: number;
  dim: number;
  blocks: number;
  numItems: number;
  /** Input widths of the dense modality encoders (each runs over all items every step). */
  denseFeatureWidths: number[];
}

/**
 * Multiply-adds x2 of the matrix products of one training step of the library's SASRec: the
 * projections (query, key, value, output, feed-forward in and out) on the real positions, the
 * attention on [batch, window, window], the scoring of every real position against every item,
 * and the dense encoders over all items; the backward pass is counted as twice the forward.
 *
 * @example
 * ```ts
 * stepFlops({ batch: 128, window: 50, realPositions: 6400, dim: 64, blocks: 2, numItems: 3496, denseFeatureWidths: [] });
 * ```
 */
export function stepFlops(s: StepShape): number {
  const projections = 6 * 2 * s.realPositions * s.dim * s.dim;
  const attention = 2 * 2 * s.batch * s.window * s.window * s.dim;
  const scoring = 2 * s.realPositions * s.dim * s.numItems;
  const encoders = s.denseFeatureWidths.reduce((t, w) => t + 2 * s.numItems * w * s.dim, 0);
  return 3 * (s.blocks * (projections + attention) + scoring + encoders);
}

/**
 * The {@linkcode StepShape} of a batch for the library step's model.
 *
 * @example
 * ```ts
 * stepShapeOf(step.batches[0], step.model, data.dataset);
 * ```
 */
export function stepShapeOf(
  batch: SequenceBatch,
  model: SequentialRecommender,
  dataset: InteractionDataset,
): StepShape {
  const packed = packRows(batch.valid, batch.batchSize, batch.length);
  return {
    batch: batch.batchSize,
    window: packed.window,
    realPositions: packed.rows.length,
    dim: model.config.dim,
    blocks: model.config.sasrec.blocks,
    numItems: model.numItems,
    denseFeatureWidths: dataset.modalities
      .filter((m) => m.kind === "dense" && model.modalityNames.includes(m.name))
      .map((m) => m.dim),
  };
}

/**
 * Full-ranking evaluation of every user on the test stage (history items excluded).
 *
 * @example
 * ```ts
 * (await evaluationPass(step.model, data)).metrics["NDCG@10"];
 * ```
 */
export function evaluationPass(
  model: SequentialRecommender,
  data: WorkloadData,
): Promise<EvaluationResult> {
  return evaluateRanking(modelScorer(model), data.split, { stage: "test" });
}

/**
 * Gradient x input attribution of every (position, modality) for the first `users` test
 * histories, by the library's own `attributeBatch`: the per-user sequence loss over every real
 * position (Demure's), scored with the fused cross-entropy on real positions only. (A loss of the
 * last position written here with `oneHot` and `logSumExp` used to stand in for it: other
 * contributions and noise masks than Demure's.)
 *
 * @example
 * ```ts
 * (await attributionPass(step.model, data, 256)).noiseMask; // [users, position, modality]
 * ```
 */
export function attributionPass(
  model: SequentialRecommender,
  data: WorkloadData,
  users: number,
): Promise<AttributionResult> {
  const [{ batch, targets }] = evaluationBatches(data.split, "test", users);
  return attributeBatch(model, withNextItemTargets(batch, targets));
}

/** Shape of {@linkcode beautyShapedWorkloadData}'s synthetic set. */
export interface BeautyShape {
  users: number;
  items: number;
  seed: number;
}

/**
 * Amazon Beauty's size after 5-core filtering: the sizes of the library's Beauty shape
 * (`lib/data/workload_shape.ts`, one home for the numbers). The ID-only generator below is kept
 * apart from `generateWorkloadDataset` (content modalities, cluster preferences) because the
 * recorded step and side-by-side timings (docs/performance.md) were measured on its sequences.
 */
export const BEAUTY_SHAPE: BeautyShape = {
  users: WORKLOAD_BEAUTY_SHAPE.numUsers,
  items: WORKLOAD_BEAUTY_SHAPE.numItems,
  seed: WORKLOAD_BEAUTY_SHAPE.seed,
};

/**
 * A seeded, ID-only interaction set shaped like Amazon Beauty (5-core): 22,363 users, 12,101
 * items, history lengths 5 + floor(X) with X log-normal (median length 6, mean 7.0, longest 181,
 * capped at 200), Zipf(1.1) item popularity and a sequential signal (60 % of next items are one of
 * the 3 items after the previous one), split leave-one-out with maxLength 50. Most positions of a
 * [batch, 50] window are padding: the workload of "pay only for real positions".
 *
 * @example
 * ```ts
 * const { dataset, split } = beautyShapedWorkloadData(); // dataset.numItems === 12101
 * ```
 */
export function beautyShapedWorkloadData(shape: BeautyShape = BEAUTY_SHAPE): WorkloadData {
  const rng = createRng(shape.seed);
  const weights = Float64Array.from({ length: shape.items }, (_, i) => 1 / (i + 1) ** 1.1);
  const cumulative = new Float64Array(shape.items);
  let total = 0;
  weights.forEach((w, i) => cumulative[i] = total += w);
  // Popularity rank -> item id through a seeded permutation, so popular items are spread out.
  const idOf = rng.shuffle(Array.from({ length: shape.items }, (_, i) => i));
  const popular = () => {
    const u = rng.next() * total;
    let lo = 0, hi = shape.items - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return idOf[lo];
  };
  const sequences: Int32Array[] = [];
  for (let u = 0; u < shape.users; u++) {
    const extra = Math.floor(Math.exp(Math.log(1.2) + 1.2 * rng.normal()));
    const length = Math.min(200, 5 + extra);
    const sequence = new Int32Array(length);
    sequence[0] = popular();
    for (let t = 1; t < length; t++) {
      sequence[t] = rng.next() < 0.6 ? (sequence[t - 1] + 1 + rng.int(3)) % shape.items : popular();
    }
    sequences.push(sequence);
  }
  const dataset = generatedDataset({
    name: "Beauty-shaped synthetic (ID only)",
    numItems: shape.items,
    sequences,
    contentModalities: [],
    source: `bench/_workloads.ts beautyShapedWorkloadData(seed ${shape.seed})`,
    preprocessing: ["generated: log-normal lengths >= 5, Zipf popularity, sequential signal"],
  });
  return { dataset, split: leaveOneOutSplit(dataset, { maxLength: 50 }) };
}
