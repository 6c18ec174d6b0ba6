/**
 * The names of the tfjs backends this workspace can run on: what `initBackend`, `DEMURE_BACKEND`
 * and the cluster routes' `--backend` accept. A module of its own, importing nothing, so that a
 * command can check the name before tfjs loads.
 */

/** A backend name (`BackendChoice.backend`). */
export type BackendName = "tensorflow" | "webgpu" | "wasm" | "cpu";

/** Every {@linkcode BackendName}, in `initBackend`'s order of preference. */
export const BACKEND_NAMES: readonly BackendName[] = ["tensorflow", "webgpu", "wasm", "cpu"];
