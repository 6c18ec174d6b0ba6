/**
 * The data layer's public face: datasets, the synthetic benchmark, import, protocol, views. The
 * danfo.js DataFrames of a dataset live in lib/tables, so that importing the data layer does not
 * load danfojs-node.
 */
export type * from "./types.ts";
export { DataError } from "./errors.ts";
export { datasetFingerprint } from "./fingerprint.ts";
export { type FileToWrite, makeFolders, writeFilesAtomically } from "./atomic_write.ts";
export { idModality } from "./id_modality.ts";
export { generatedDataset, type GeneratedDatasetParts } from "./generated.ts";
export { loadMovieLens, MOVIELENS_CITATION, MOVIELENS_DIR } from "./movielens/load.ts";
export { readableTitle, titleTokens } from "./movielens/title.ts";
export {
  DEFAULT_SYNTHETIC,
  generateSynthetic,
  type SyntheticBenchmark,
  type SyntheticConfig,
  type SyntheticModalitySpec,
} from "./synthetic.ts";
export {
  BEAUTY_SHAPE,
  generateWorkloadDataset,
  type WorkloadShapeConfig,
} from "./workload_shape.ts";
export {
  readRecBoleAtomic,
  RECBOLE_READ_OPTION_SETTINGS,
  type RecBoleReadOptions,
} from "./import/recbole.ts";
export type { RecBoleFieldType } from "./import/_recbole_atomic_table.ts";
export { readSequenceFile } from "./import/sequence_file.ts";
export {
  attachModality,
  DENSE_FEATURE_CONFIG_SETTINGS,
  type DenseFeatureConfig,
  readDenseFeatures,
} from "./import/dense_features.ts";
export { writeRecBoleAtomic } from "./import/write_recbole.ts";
export { DEFAULT_K_CORE, type KCoreConfig, kCoreFilter } from "./protocol/k_core.ts";
export { DEFAULT_SPLIT, leaveOneOutSplit, type SplitConfig } from "./protocol/leave_one_out.ts";
export {
  type BatcherConfig,
  DEFAULT_BATCHER,
  EVALUATION_STAGES,
  type EvaluationBatch,
  evaluationBatches,
  type EvaluationStage,
  padLeft,
  trainingBatches,
} from "./protocol/batcher.ts";
export {
  type DatasetStatistics,
  datasetStatistics,
  formatStatistics,
  type ModalityCoverage,
} from "./protocol/statistics.ts";
export {
  type HistoryEntry,
  itemInteractionCounts,
  itemLabels,
  plantedInterestShare,
  type PopularityRank,
  popularityRanking,
  recentHistory,
  topItemsInteractionShare,
} from "./views.ts";
