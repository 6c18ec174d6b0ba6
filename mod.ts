/**
 * The public face of the Demure research workspace: what a researcher needs in a notebook, grouped
 * in the order of the paper's pipeline: set-up, data, models, training, evaluation, attribution,
 * Demure, experiments, explanations, figures, and the notebook helpers. Each group also exports the
 * types that its functions and classes name (`deno doc --lint` requires the root to export every
 * type its symbols name). A choice among named values is spelled out in the field of its
 * configuration (`AttributionConfig.method`, `ModelConfig.backbone`, ...), its one home; the names
 * of such unions (`AttributionMethod`, `BackboneKind`, ...) come from their folder's `mod.ts`.
 *
 * What it leaves out lives in the `mod.ts` of its own folder, which scripts, benchmarks and tests
 * import directly: the tfjs namespace `tf` and the backend's kernels (`lib/backend/mod.ts`); the
 * `DEFAULT_X` constants, the losses, one training step and Adam, checkpoints, the baselines'
 * scorers, the attribution primitives (`lib/<stage>/mod.ts`); the record keeping of the
 * reproduction (`lib/experiments/mod.ts`); data preparation (`lib/prepare/mod.ts`); the notebook
 * runner (`lib/notebook_runner/mod.ts`). Scripts, benchmarks and notebooks import no other file of
 * `lib/` (tests/layout checks it).
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
  type Scalar,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
  type Tensor4D,
  type Variable,
} from "./lib/backend/mod.ts";

// Data: the contract (types), MovieLens and the synthetic benchmark, the protocol (k-core,
// leave-one-out, batches), statistics and tables. File importers, the defaults, the workload
// shapes of the benchmarks and atomic writes: lib/data/mod.ts.
export type {
  DatasetMetadata,
  FeatureProvenance,
  InteractionDataset,
  LeaveOneOutSplit,
  ModalityFeatures,
  PlantedTruth,
  SequenceBatch,
} from "./lib/data/mod.ts";
export {
  type BatcherConfig,
  type DatasetStatistics,
  datasetStatistics,
  type EvaluationStage,
  formatStatistics,
  generateSynthetic,
  type HistoryEntry,
  itemInteractionCounts,
  itemLabels,
  type KCoreConfig,
  kCoreFilter,
  leaveOneOutSplit,
  loadMovieLens,
  type ModalityCoverage,
  plantedInterestShare,
  type PopularityRank,
  popularityRanking,
  recentHistory,
  type SplitConfig,
  type SyntheticBenchmark,
  type SyntheticConfig,
  type SyntheticModalitySpec,
  topItemsInteractionShare,
  trainingBatches,
} from "./lib/data/mod.ts";
// What a reader of a bad file throws: the file, line and field (lib/data/errors.ts).
export { DataError } from "./lib/data/mod.ts";
// The notebooks' danfo.js tables of a dataset (a folder of their own: danfojs-node is heavy to load).
export {
  type DataFrame,
  interactionsFrame,
  itemsFrame,
  statisticsFrames,
} from "./lib/tables/mod.ts";

// Models: the sequential recommender, the configuration of its backbones and fusion, and the store
// of its parameters (layers hold typed handles; the names are the checkpoint format). The layers,
// encoders and fusion themselves: lib/models/mod.ts, lib/encoders/mod.ts, lib/nn/mod.ts.
export {
  type ForwardOptions,
  type ForwardOutput,
  type Gru4RecConfig,
  type ModelConfig,
  type ModelConfigInput,
  resolveModelConfig,
  type SasRecConfig,
  SequentialRecommender,
} from "./lib/models/mod.ts";
export { type EncoderInput, type FusionConfig } from "./lib/encoders/mod.ts";
export {
  type DenseParameters,
  type GradientSink,
  type NormParameters,
  type PackedRows,
  ParameterStore,
  type Variable1D,
  type Variable2D,
} from "./lib/nn/mod.ts";

// The recommendation loss's configuration, a field of `TrainerConfig` (the losses themselves:
// lib/losses/mod.ts).
export {
  type LossPositions,
  type RecommendationLossConfig,
  type SimilarityKind,
} from "./lib/losses/mod.ts";

// Training: the loop, its configuration and hooks, progress (one step, Adam and the defaults:
// lib/train/mod.ts).
export {
  type AdamConfig,
  type AuxiliaryLossContext,
  describeTraining,
  type EpochProgress,
  type HookState,
  resolveTrainerConfig,
  type TrainerConfig,
  type TrainerHooks,
  type TrainingBudget,
  type TrainingResult,
  trainModel,
  type ValidationPlace,
  type ValidationProgressCallback,
} from "./lib/train/mod.ts";
// The errors a researcher may catch: a training or an evaluation that Jupyter's Interrupt stopped
// (lib/util/interrupt.ts), a setting out of its range (lib/util/settings.ts), a training whose loss
// diverged.
export { InterruptedError, SettingError } from "./lib/util/mod.ts";
export { TrainingDivergedError } from "./lib/train/mod.ts";
export { OtherSettingsStoredError } from "./lib/experiments/mod.ts";

// Evaluation: full ranking and its protocol, and paired tests of two evaluations' per-user values
// (the metrics and sampled negatives: lib/eval/mod.ts).
export {
  evaluateRanking,
  type EvaluationConfig,
  type EvaluationProtocol,
  type EvaluationResult,
  formatProtocol,
  modelScorer,
  type PairedTestOptions,
  type PairedTestResult,
  pairedTTest,
  type RankingProtocol,
  type SampledNegatives,
  type Scorer,
  wilcoxonSignedRank,
} from "./lib/eval/mod.ts";

// The state a trainer hook keeps in a run checkpoint (`TrainerHooks.checkpointState`); saving and
// loading models: lib/checkpoint/mod.ts.
export { type HostTensor, type Json } from "./lib/checkpoint/mod.ts";

// Attribution: attribution of a model's batch and its score against planted truth (the
// contributions, normalisation and noise selection one by one: lib/attribution/mod.ts).
export {
  attributeBatch,
  type AttributedBatch,
  type AttributionConfig,
  attributionMethodName,
  type AttributionResult,
  type CompletenessReadout,
  type ModalityAggregate,
  type NoiseSelection,
  type NoiseSetScore,
  occlusionLine,
  type OcclusionProgress,
  type OcclusionProgressCallback,
  type PairShape,
  scoreAgainstTruth,
  type TruthScoreConfig,
} from "./lib/attribution/mod.ts";

// Demure: the objective as trainer hooks, its contrastive views, and what a run masked.
export {
  buildContrastiveViews,
  type ContrastiveViewConfig,
  type ContrastiveViewOptions,
  type ContrastiveViews,
  type DemureConfig,
  demureHooks,
  type DemureStats,
  type DemureTraining,
  type ModalityNoiseRate,
  type ModalityNoiseRates,
  modalityNoiseRates,
  noiseAttributionConfig,
  resolveDemureConfig,
  type UnmeasuredNoiseRate,
} from "./lib/demure/mod.ts";

// Experiments: the systems, the plan, preparing datasets, running one cell or the whole plan, the
// analyses. The record keeping of the reproduction (result store, claims, selection files,
// verification, README tables, the report): lib/experiments/mod.ts. `Cl4SRecConfig` is a field of
// a system (the baselines themselves: lib/baselines/mod.ts).
export {
  type AttributionProgress,
  type AttributionQuality,
  type AttributionSummary,
  bestEpochsText,
  type CaptionProtocol,
  captionProtocolOf,
  type CellEnvironment,
  cellFilter,
  type CellOutcome,
  type CellResult,
  type CellSelection,
  type CellSettings,
  cellsOf,
  type ColdStartBucket,
  datasetLabel,
  type DatasetPlan,
  type DatasetSpec,
  type DatasetTraining,
  type DesignChoice,
  type DesignChoiceRow,
  designChoiceRows,
  type Diagnosis,
  diagnosisFigures,
  endedWithBackboneWeights,
  type EpochGap,
  type EpochNoiseRates,
  epochNoiseRates,
  evaluationLine,
  type EvaluationPlace,
  type EvaluationProgress,
  type Experiment,
  type ExperimentPlan,
  type FeatureFileSpec,
  type FigureProtocols,
  type FileDatasetSpec,
  type FinishedCell,
  type MainRow,
  type MeanStd,
  type NoiseLevelCurve,
  noiseLevelCurves,
  noiseLevelCurvesFigure,
  type NoiseLevelGain,
  noiseLevelGainFigure,
  type NoiseLevelGainFigureOptions,
  type NoiseLevelGainOptions,
  noiseLevelGains,
  noiseLevelTable,
  planExperiments,
  type PlannedCell,
  type PlanOptions,
  type PlanOutcome,
  type PlanPlace,
  planRankingText,
  prepareDataset,
  type PrepareDatasetOptions,
  type PreparedDataset,
  protocolCaption,
  protocolWithObjective,
  type ReproductionSummary,
  resultOfSource,
  type ResultSource,
  runCell,
  type RunCurves,
  runPlan,
  type RunPlanOptions,
  type SeedRun,
  seedRuns,
  type SelectedConfiguration,
  type SelectedConfigurations,
  type SelectionTable,
  type SensitivityCurve,
  sensitivityCurves,
  type SensitivityPoint,
  type SensitivityRow,
  sensitivityRows,
  type SignificanceResult,
  type SpacePoint,
  splitCaptionProtocol,
  type SplitRun,
  spreadOf,
  type StoredCardParts,
  storedCardParts,
  summarise,
  summariseAttribution,
  summariseSystems,
  type SweepParameter,
  type Sweeps,
  type SweepValueRuns,
  sweepValueRuns,
  type SystemName,
  SYSTEMS,
  type SystemSpec,
  type SystemSummary,
  type TrainedCellModel,
  trainingObjectiveText,
  type TrialConfig,
  type TrialRow,
} from "./lib/experiments/mod.ts";
export type { Cl4SRecAugmentation, Cl4SRecConfig, Cl4SRecLossForm } from "./lib/baselines/mod.ts";

// Explanations: recommend and say why; named views of an attribution (rows, tables, DataFrames).
export {
  AttributedHistories,
  type ContributionRow,
  describeRecommendation,
  type ExplainOptions,
  explainRecommendations,
  EXPLANATION_TARGETS,
  type Explanations,
  type ExplanationTarget,
  type HistoryHeatmapOptions,
  type ModalityRow,
  type Recommendation,
  type RowFilter,
  rowsFrame,
  rowsTable,
  type RowTable,
  type UserModalityRow,
} from "./lib/explain/mod.ts";

// Figures: typed Plotly builders, PNG export and standalone HTML reports (their parts one by one:
// lib/viz/mod.ts).
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
  type ReportSection,
  type ScatterTrace,
  symmetricBand,
  type TableCell,
  type TableSection,
  type TextSection,
  type Trace,
  trainingCurves,
  type TrainingCurvesInput,
  writeHtmlReport,
} from "./lib/viz/mod.ts";

// Notebook helpers: display, the systems' table and bars, live progress, quick mode, the plan's
// cells in a notebook.
export {
  attributedBatchCaption,
  attributedBatchPartCaption,
  type AttributedBatchProtocol,
  attributionBarsCaption,
  attributionTableCaption,
  bothRankingsTable,
  type BothRankingsTableOptions,
  type CellsProgress,
  cellsProgress,
  contrastiveViewCaption,
  type ContrastiveViewName,
  createProgress,
  display,
  type DisplayApi,
  type DisplayOptions,
  displayTable,
  ensureCellsInNotebook,
  evaluationProtocolText,
  explainedCell,
  explainedModelCaption,
  isQuickMode,
  type LabelledStatistics,
  modalityCoverageTable,
  notebookCellModel,
  type NotebookCellModelOptions,
  type NotebookCellsOptions,
  notebookPlan,
  notebookResultsDir,
  planLine,
  type Progress,
  type ProgressConfig,
  type ProgressEvent,
  seedsText,
  sensitivityCaption,
  showQuickModeNotice,
  statisticsTable,
  systemsBars,
  systemsBarsCaption,
  type SystemsBarsOptions,
  type SystemsColumn,
  systemsTable,
  systemsTableCaption,
  type SystemsTableOptions,
  type TableInput,
  trainingProgress,
  trainingRunCaption,
  workProgress,
  type WorkProgressOptions,
} from "./lib/notebook/mod.ts";
// The parts a long piece of work counts in its progress (an evaluation's users, a file's MiB).
export {
  MEBIBYTES,
  USERS,
  type WorkProgress,
  type WorkProgressListener,
  type WorkUnit,
} from "./lib/util/mod.ts";
