/**
 * The public face of the Demure research workspace: what a researcher needs in a notebook, grouped
 * in the order of the paper's pipeline: set-up, data, models, losses, training, evaluation,
 * baselines, attribution, Demure, experiments, figures, and the notebook helpers.
 *
 * Notebooks and scripts import this module. What it leaves out lives in the `mod.ts` of its own
 * folder: the tfjs namespace `tf` and the backend's kernels (`lib/backend/mod.ts`), the notebook
 * runner (`lib/notebook_runner/mod.ts`), the internals of each stage (`lib/<stage>/mod.ts`).
 * Scripts, benchmarks and notebooks import no other file of `lib/` (tests/layout checks it).
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
 * console.log((await evaluateRanking(modelScorer(model), split, { stage: "test" })).metrics);
 * ```
 *
 * @module
 */

// Set-up: the compute backend, and the tensor types that public signatures name.
export {
  type BackendChoice,
  type BackendConfig,
  type BackendName,
  initBackend,
  type Rank,
  type Scalar,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
  type Tensor4D,
  type Variable,
} from "./lib/backend/mod.ts";
export { createRng, type NumberRange, type Rng, SettingError } from "./lib/util/mod.ts";

// Data: the contract (types), MovieLens and the synthetic benchmark, the protocol (k-core,
// leave-one-out, batches), statistics and tables. File importers, the workload shapes of the
// benchmarks and atomic writes: lib/data/mod.ts.
export type {
  DatasetMetadata,
  FeatureProvenance,
  InteractionDataset,
  LeaveOneOutSplit,
  ModalityFeatures,
  ModalityKind,
  PlantedTruth,
  SequenceBatch,
} from "./lib/data/mod.ts";
export {
  type BatcherConfig,
  DataError,
  type DataFrame,
  type DatasetStatistics,
  datasetStatistics,
  DEFAULT_BATCHER,
  DEFAULT_K_CORE,
  DEFAULT_SPLIT,
  DEFAULT_SYNTHETIC,
  formatStatistics,
  generateSynthetic,
  type HistoryEntry,
  interactionsFrame,
  itemInteractionCounts,
  itemLabels,
  itemsFrame,
  type KCoreConfig,
  kCoreFilter,
  leaveOneOutSplit,
  loadMovieLens,
  type ModalityCoverage,
  MOVIELENS_CITATION,
  plantedInterestShare,
  recentHistory,
  recordsFrame,
  type SplitConfig,
  statisticsFrames,
  type SyntheticBenchmark,
  type SyntheticConfig,
  type SyntheticModalitySpec,
  trainingBatches,
} from "./lib/data/mod.ts";

// Models: the sequential recommender, its backbones, modality encoders and fusion, and the store of
// its parameters (layers hold typed handles; the names are the checkpoint format).
export {
  type BackboneKind,
  DEFAULT_GRU4REC_CONFIG,
  DEFAULT_MODEL_CONFIG,
  DEFAULT_SASREC_CONFIG,
  type ForwardOptions,
  type ForwardOutput,
  type Gru4RecConfig,
  type ModelConfig,
  type ModelConfigInput,
  resolveModelConfig,
  type SasRecConfig,
  SequentialRecommender,
} from "./lib/models/mod.ts";
export {
  DEFAULT_ENCODER_CONFIG,
  DEFAULT_FUSION_CONFIG,
  type EncoderConfig,
  type EncoderInput,
  type FusionConfig,
  type FusionKind,
  type ModalityEncoderParameters,
  ModalityEncoders,
  ModalityFusion,
} from "./lib/encoders/mod.ts";
export {
  type DenseParameters,
  type NormParameters,
  type PackedRows,
  ParameterStore,
  type Variable1D,
  type Variable2D,
} from "./lib/nn/mod.ts";

// Losses: their configurations (the losses themselves: lib/losses/mod.ts).
export {
  DEFAULT_INFO_NCE_CONFIG,
  DEFAULT_RECOMMENDATION_LOSS,
  describeLoss,
  type InfoNceConfig,
  type LossPositions,
  type RecommendationLossConfig,
  type RecommendationLossKind,
  type SimilarityKind,
} from "./lib/losses/mod.ts";

// Training: the loop, its configuration and hooks, progress (one step and Adam: lib/train/mod.ts).
export {
  type AdamConfig,
  type AuxiliaryLossContext,
  DEFAULT_ADAM_CONFIG,
  DEFAULT_TRAINER_CONFIG,
  type EpochProgress,
  type HookState,
  printProgress,
  resolveTrainerConfig,
  type StopReason,
  type TrainerConfig,
  type TrainerHooks,
  TrainingDivergedError,
  type TrainingResult,
  trainModel,
} from "./lib/train/mod.ts";

// Evaluation: full ranking, metrics, protocol, sampled negatives, significance.
export {
  DEFAULT_CUTOFFS,
  DEFAULT_EVAL_CHUNK_SIZE,
  DEFAULT_RANKING_PROTOCOL,
  DEFAULT_SAMPLED_NEGATIVES,
  evaluateRanking,
  type EvaluationConfig,
  type EvaluationProtocol,
  type EvaluationResult,
  type EvaluationStage,
  formatProtocol,
  metricNames,
  modelScorer,
  type PairedTestResult,
  pairedTTest,
  RANKING_PROTOCOLS,
  type RankingProtocol,
  type SampledNegatives,
  type SampledNegativesConfig,
  type Scorer,
  wilcoxonSignedRank,
} from "./lib/eval/mod.ts";

// Checkpoints: save and load a trained model.
export {
  checkpointExists,
  type CheckpointInfo,
  type CheckpointSidecar,
  type HostTensor,
  type Json,
  type LoadedCheckpoint,
  loadModelCheckpoint,
  SAVE_STEPS,
  saveModelCheckpoint,
  type SaveOptions,
  type SaveStep,
} from "./lib/checkpoint/mod.ts";

// Baselines: popularity, ItemKNN, CL4SRec.
export {
  cl4srecAuxiliaryLoss,
  type Cl4SRecConfig,
  DEFAULT_CL4SREC_CONFIG,
  DEFAULT_ITEM_KNN_CONFIG,
  type ItemKnnConfig,
  itemKnnScorer,
  popularityScorer,
} from "./lib/baselines/mod.ts";

// Attribution: contributions of each modality of each history item, normalisation, noise
// selection, scoring against planted truth, and attribution of a model's batch.
export {
  aggregateByModality,
  attributeBatch,
  type AttributedBatch,
  attributeModalities,
  type AttributionConfig,
  type AttributionMethod,
  type AttributionResult,
  type AucScoreSource,
  computeContributions,
  type ContributionConfig,
  DEFAULT_ATTRIBUTION_CONFIG,
  DEFAULT_NOISE_FRACTION,
  type IntegratedGradientsBaseline,
  type LossOfEmbeddings,
  type ModalityAggregate,
  NOISE_FRACTION_RANGE,
  type NoiseGranularity,
  type NoiseSelection,
  type NoiseSetScore,
  type NormalisationMethod,
  normaliseContributions,
  type PairShape,
  scoreAgainstTruth,
  selectNoise,
  selectNoiseByUserModality,
  sequenceLossOf,
  type TruthScoreConfig,
  type TruthScoreLevel,
  validateAttributionConfig,
} from "./lib/attribution/mod.ts";

// Demure: the objective as trainer hooks, and its contrastive views.
export {
  buildContrastiveViews,
  type ContrastiveViewConfig,
  type ContrastiveViewOptions,
  type ContrastiveViews,
  DEFAULT_CONTRASTIVE_VIEW_CONFIG,
  DEFAULT_DEMURE_CONFIG,
  type DemureAttributionConfig,
  type DemureAttributionSource,
  type DemureConfig,
  demureHooks,
  type DemureStats,
  type DemureTraining,
  type DemureVariant,
  type DemureWarmupBy,
  type EmptyPositionPolicy,
  noiseAttributionConfig,
  type RandomNoiseMask,
  randomNoiseMask,
  resolveDemureConfig,
} from "./lib/demure/mod.ts";

// Experiments: systems, datasets, the plan, running cells, analyses, the report. The record
// keeping of the reproduction (result store, claims, selection files, verification, README
// tables): lib/experiments/mod.ts.
export {
  type AttributionQuality,
  attributionQuality,
  type AttributionSummary,
  type CellEnvironment,
  cellModel,
  type CellModelOptions,
  type CellResult,
  type CellSettings,
  cellsOf,
  type ColdStartBucket,
  coldStartBuckets,
  compareWithStrongestBaseline,
  DATASET_FILE_FORMATS,
  type DatasetFileFormat,
  datasetLabel,
  type DatasetPlan,
  type DatasetSpec,
  type DatasetTraining,
  type DesignChoice,
  type DesignChoiceRow,
  type Diagnosis,
  diagnosisFigures,
  ensureCells,
  type EnsureCellsOptions,
  type EnsuredCells,
  type Experiment,
  type ExperimentMode,
  type ExperimentPlan,
  type FeatureFileSpec,
  type FileDatasetSpec,
  type FinishedCell,
  keepCellModelUnderOwnName,
  keptCellModelDir,
  type MainRow,
  type MeanStd,
  meanStd,
  type NoiseLevelCurve,
  noiseLevelCurves,
  noiseLevelDataset,
  planExperiments,
  type PlannedCell,
  type PlanOptions,
  type PlanOutcome,
  prepareDataset,
  type PreparedDataset,
  PROTOCOL_K_CORE,
  PROTOCOL_MAX_LENGTH,
  type ReproductionSummary,
  runCell,
  type RunCurves,
  runPlan,
  type RunPlanOptions,
  type SelectedConfiguration,
  type SelectedConfigurations,
  type SelectionTable,
  sensitivityCurves,
  type SensitivityPoint,
  type SignificanceResult,
  type SpacePoint,
  summarise,
  summariseAttribution,
  summariseSystems,
  summaryMarkdown,
  type SweepParameter,
  type SystemName,
  SYSTEMS,
  type SystemSpec,
  type SystemSummary,
  type TrainedCellModel,
  type TrialConfig,
  type TrialRow,
  withDemure,
  writeReport,
} from "./lib/experiments/mod.ts";

// Explanations: recommend and say why; named views of an attribution (rows, tables, DataFrames).
export {
  AttributedHistories,
  type ContributionRow,
  describeRecommendation,
  type ExplainOptions,
  explainRecommendations,
  type Explanations,
  type HistoryHeatmapOptions,
  type ModalityRow,
  type Recommendation,
  type RowFilter,
  rowsFrame,
  rowsTable,
  type RowTable,
  type UserModalityRow,
} from "./lib/explain/mod.ts";

// Figures: typed Plotly builders, HTML reports, PNG export.
export {
  type Axis,
  type BandSeries,
  type BarSeries,
  type BarTrace,
  type ChromiumConfig,
  type ColorScale,
  contributionHeatmap,
  type ContributionHeatmapInput,
  type CurveSeries,
  type ErrorBars,
  type Figure,
  type FigurePngOptions,
  type FigureSection,
  figureToPng,
  findChromium,
  groupedBars,
  type GroupedBarsInput,
  type HeatmapTrace,
  histogram,
  type HistogramInput,
  type HtmlReportOptions,
  type Layout,
  lineWithBands,
  type LineWithBandsInput,
  PALETTE,
  renderHtmlReport,
  type ReportSection,
  type ScatterTrace,
  symmetricBand,
  type TableSection,
  type TextSection,
  type Trace,
  trainingCurves,
  type TrainingCurvesInput,
  writeHtmlReport,
} from "./lib/viz/mod.ts";

// Notebook helpers: display, live progress, quick mode, the plan's cells in a notebook.
export {
  createProgress,
  display,
  type DisplayOptions,
  displayTable,
  ensureCellsInNotebook,
  explainedCell,
  isQuickMode,
  notebookCellModel,
  type NotebookCellModelOptions,
  type NotebookCellsOptions,
  notebookPlan,
  notebookResultsDir,
  type Progress,
  type ProgressConfig,
  type ProgressEvent,
  type TableInput,
  trainingProgress,
} from "./lib/notebook/mod.ts";
