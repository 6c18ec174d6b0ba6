/**
 * Per-modality item encoders and the masked fusion of their embeddings.
 *
 * @example
 * ```ts
 * import { DEFAULT_FUSION_CONFIG, ModalityFusion } from "./lib/encoders/mod.ts";
 * ```
 *
 * @module
 */
export * from "./modality_encoders.ts";
export * from "./fusion.ts";
