/**
 * Sequential recommenders: the model (modality encoders, fusion, backbone, item table) and its
 * backbones SASRec and GRU4Rec.
 *
 * @example
 * ```ts
 * import { SequentialRecommender } from "./lib/models/mod.ts";
 * const model = new SequentialRecommender(split.dataset, { backbone: "sasrec" });
 * ```
 *
 * @module
 */
export * from "./sequential_recommender.ts";
export * from "./backbone.ts";
export * from "./sasrec.ts";
export * from "./gru4rec.ts";
