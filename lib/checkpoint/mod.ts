/**
 * Model checkpoints: weights in safetensors plus a JSON sidecar (configuration, dataset
 * fingerprint, training state), written atomically.
 *
 * @example
 * ```ts
 * import { loadModelCheckpoint, saveModelCheckpoint } from "./lib/checkpoint/mod.ts";
 * ```
 *
 * @module
 */
export * from "./checkpoint.ts";
export * from "./safetensors.ts";
