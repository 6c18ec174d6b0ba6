/**
 * The public API of the Demure research workspace: data, modality encoders and masked fusion,
 * SASRec / GRU4Rec, losses, training, full-ranking evaluation, gradient attribution, Demure's
 * contrastive denoising, the experiments that reproduce the paper, and figures.
 *
 * Notebooks and scripts import only this module.
 *
 * @example
 * ```ts
 * import { initBackend, loadMovieLens, kCoreFilter, leaveOneOutSplit, SequentialRecommender,
 *   trainModel, demureHooks, evaluateRanking, modelScorer } from "./mod.ts";
 * await initBackend();
 * const split = leaveOneOutSplit(kCoreFilter(await loadMovieLens()), { maxLength: 50 });
 * const model = new SequentialRecommender(split.dataset, { backbone: "sasrec" });
 * const demure = demureHooks(model, { lambda: 0.1 });
 * await trainModel(model, split, { seed: 0 }, demure.hooks);
 * console.log(evaluateRanking(modelScorer(model), split, { stage: "test" }).metrics);
 * ```
 *
 * @module
 */

// Compute backend.
export { tf } from "./lib/backend/tf.ts";
export {
  type BackendChoice,
  type BackendConfig,
  type BackendName,
  initBackend,
} from "./lib/backend/init_backend.ts";
export { activateWebgpu, probeWebgpu, type WebgpuProbe } from "./lib/backend/webgpu.ts";
export { registerBlasKernels } from "./lib/backend/kernels/blas_matmul.ts";
export { registerHostKernels } from "./lib/backend/kernels/host_kernels.ts";
export { layerNorm } from "./lib/backend/kernels/layer_norm.ts";
export { seededDropout } from "./lib/backend/kernels/dropout.ts";
export { tidyRead } from "./lib/backend/tidy_read.ts";

// Data: contract, loaders, synthetic benchmark, import, protocol, tables.
export * from "./lib/data/mod.ts";
export { createRng, type Rng } from "./lib/util/random.ts";

// Encoders and models.
export {
  DEFAULT_ENCODER_CONFIG,
  type EncoderConfig,
  type EncoderInput,
  ModalityEncoders,
} from "./lib/encoders/modality_encoders.ts";
export {
  DEFAULT_FUSION_CONFIG,
  type FusionConfig,
  type FusionKind,
  ModalityFusion,
} from "./lib/encoders/fusion.ts";
export {
  type BackboneKind,
  DEFAULT_MODEL_CONFIG,
  type ForwardOptions,
  type ForwardOutput,
  type ModelConfig,
  type ModelConfigInput,
  resolveModelConfig,
  SequentialRecommender,
} from "./lib/models/sequential_recommender.ts";
export { ParameterStore } from "./lib/nn/parameter_store.ts";

// Losses.
export {
  DEFAULT_RECOMMENDATION_LOSS,
  describeLoss,
  type LossPositions,
  recommendationLoss,
  type RecommendationLossConfig,
  type RecommendationLossKind,
} from "./lib/losses/recommendation.ts";
export { sampleNegatives } from "./lib/losses/negative_sampling.ts";
export {
  DEFAULT_INFO_NCE_CONFIG,
  infoNce,
  type InfoNceConfig,
  type InfoNceOptions,
  type SimilarityKind,
} from "./lib/losses/info_nce.ts";

// Training.
export { Adam, type AdamConfig, DEFAULT_ADAM_CONFIG } from "./lib/train/adam.ts";
export { type EpochProgress, printProgress } from "./lib/train/progress.ts";
export {
  type AuxiliaryLossContext,
  DEFAULT_TRAINER_CONFIG,
  resolveTrainerConfig,
  type TrainerConfig,
  type TrainerHooks,
  TrainingDivergedError,
  type TrainingResult,
  trainModel,
  trainStep,
} from "./lib/train/trainer.ts";

// Evaluation.
export {
  evaluateRanking,
  type EvaluationConfig,
  type EvaluationResult,
} from "./lib/eval/evaluate.ts";
export { DEFAULT_CUTOFFS, metricNames, metricsAtRank } from "./lib/eval/metrics.ts";
export { modelScorer, type Scorer } from "./lib/eval/scorer.ts";
export {
  type EvaluationProtocol,
  type EvaluationStage,
  formatProtocol,
} from "./lib/eval/protocol.ts";
export {
  DEFAULT_SAMPLED_NEGATIVES,
  loadOrCreateSampledNegatives,
  type SampledNegatives,
  type SampledNegativesConfig,
  sampleEvaluationNegatives,
} from "./lib/eval/sampled_negatives.ts";
export { type PairedTestResult, pairedTTest, wilcoxonSignedRank } from "./lib/eval/significance.ts";

// Checkpoints.
export {
  checkpointExists,
  type CheckpointSidecar,
  type LoadedCheckpoint,
  loadModelCheckpoint,
  readCheckpoint,
  saveModelCheckpoint,
} from "./lib/checkpoint/checkpoint.ts";

// Baselines.
export { popularityScorer, trainingItemCounts } from "./lib/baselines/popularity.ts";
export {
  DEFAULT_ITEM_KNN_CONFIG,
  type ItemKnnConfig,
  itemKnnScorer,
} from "./lib/baselines/item_knn.ts";
export {
  augmentView,
  cl4srecAuxiliaryLoss,
  type Cl4SRecConfig,
  DEFAULT_CL4SREC_CONFIG,
} from "./lib/baselines/cl4srec.ts";

// Attribution and Demure.
export * from "./lib/attribution/mod.ts";
export {
  buildContrastiveViews,
  type ContrastiveViewConfig,
  type ContrastiveViews,
  randomNoiseMask,
  viewTensors,
} from "./lib/demure/views.ts";
export {
  DEFAULT_NOISE_MASK_CONFIG,
  NoiseMaskCache,
  type NoiseMaskConfig,
} from "./lib/demure/noise_mask.ts";
export { sequenceLossOf, withNextItemTargets } from "./lib/demure/sequence_loss.ts";
export { attributeBatch } from "./lib/demure/attribute_batch.ts";
export {
  DEFAULT_DEMURE_CONFIG,
  type DemureConfig,
  demureHooks,
  type DemureStats,
  type DemureTraining,
  type DemureVariant,
  resolveDemureConfig,
} from "./lib/demure/objective.ts";

// Experiments.
export {
  type SystemName,
  SYSTEMS,
  type SystemSpec,
  withDemure,
} from "./lib/experiments/systems.ts";
export {
  datasetLabel,
  type DatasetSpec,
  prepareDataset,
  type PreparedDataset,
} from "./lib/experiments/datasets.ts";
export {
  type ExperimentMode,
  type ExperimentPlan,
  noiseLevelDataset,
  planExperiments,
  type PlannedCell,
  type SweepParameter,
} from "./lib/experiments/plan.ts";
export { type CellResult, type CellSettings, runCell } from "./lib/experiments/run_cell.ts";
export {
  cellsDirectory,
  finishedCells,
  type PlanOutcome,
  runPlan,
} from "./lib/experiments/run_plan.ts";
export {
  type AttributionQuality,
  attributionQuality,
} from "./lib/experiments/attribution_quality.ts";
export {
  coldStartBuckets,
  compareWithStrongestBaseline,
  meanStd,
  summariseAttribution,
  summariseSystems,
} from "./lib/experiments/analyse.ts";
export {
  type ReproductionSummary,
  summarise,
  summaryMarkdown,
  writeReport,
} from "./lib/experiments/report.ts";
export { ResultStore } from "./lib/experiments/result_store.ts";

// Figures and notebooks.
export * from "./lib/viz/mod.ts";
export * from "./lib/notebook/mod.ts";
