/**
 * Checkpoints: `<base>.safetensors` (weights, plus optional optimizer state under "optimizer/")
 * and `<base>.json` (sidecar: model config, dataset fingerprint, metrics, trainer state, and the
 * byte size + FNV-1a hash of the weights file so a mismatched or corrupt pair is detected).
 * Both are written atomically (temporary files, then rename).
 *
 * @example
 * ```ts
 * await saveModelCheckpoint("runs/sasrec/best", model, { datasetFingerprint: fp, metrics: { "NDCG@10": 0.1 } });
 * loadModelCheckpoint("runs/sasrec/best", model, { datasetFingerprint: fp });
 * ```
 */
import { readFloat32 } from "../backend/read_values.ts";
import { tf } from "../backend/tf.ts";
import { writeFilesAtomically } from "../data/atomic_write.ts";
import type { ModelConfig, SequentialRecommender } from "../models/sequential_recommender.ts";
import { decodeSafetensors, encodeSafetensors, type HostTensor } from "./safetensors.ts";

/** A JSON value (config and trainer state are stored as plain JSON). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** The `<base>.json` sidecar. */
export interface CheckpointSidecar {
  format: "demure-checkpoint/1";
  created: string;
  modelConfig: ModelConfig;
  datasetFingerprint: string;
  metrics: Record<string, number>;
  /** Trainer state for resuming (epoch, step, best metric, history...). */
  trainerState?: Json;
  weightsFile: string;
  weightsBytes: number;
  weightsFnv1a: string;
  tensorNames: string[];
}

/** What to store next to the weights. */
export interface CheckpointInfo {
  datasetFingerprint: string;
  metrics?: Record<string, number>;
  trainerState?: Json;
  /** Extra tensors (e.g. optimizer moments), stored under their own names. */
  extraTensors?: ReadonlyMap<string, tf.Tensor>;
}

/** A loaded checkpoint: all tensors on the host, and the sidecar. */
export interface LoadedCheckpoint {
  tensors: Map<string, HostTensor>;
  sidecar: CheckpointSidecar;
}

function fnv1a(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i];
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * Writes `<base>.safetensors` + `<base>.json` for the model's parameters (and extras). All
 * tensors are read in one asynchronous transfer, so this also runs on a GPU backend.
 */
export async function saveModelCheckpoint(
  base: string,
  model: SequentialRecommender,
  info: CheckpointInfo,
): Promise<void> {
  const named: [string, tf.Tensor][] = [];
  const params = model.parameters;
  for (const name of params.names()) named.push([name, params.get(name)]);
  for (const [name, tensor] of info.extraTensors ?? []) named.push([name, tensor]);
  const values = await readFloat32(named.map(([, tensor]) => tensor));
  const tensors = new Map<string, HostTensor>();
  named.forEach(([name, tensor], i) => {
    if (tensors.has(name)) throw new Error(`checkpoint: tensor name "${name}" used twice`);
    tensors.set(name, { shape: [...tensor.shape], data: values[i] });
  });
  const bytes = encodeSafetensors(tensors, { format: "demure-checkpoint/1" });
  const weightsFile = `${baseName(base)}.safetensors`;
  const sidecar: CheckpointSidecar = {
    format: "demure-checkpoint/1",
    created: new Date().toISOString(),
    modelConfig: model.config,
    datasetFingerprint: info.datasetFingerprint,
    metrics: info.metrics ?? {},
    ...(info.trainerState !== undefined ? { trainerState: info.trainerState } : {}),
    weightsFile,
    weightsBytes: bytes.length,
    weightsFnv1a: fnv1a(bytes),
    tensorNames: [...tensors.keys()],
  };
  writeFilesAtomically([
    { path: `${base}.safetensors`, data: bytes },
    { path: `${base}.json`, data: JSON.stringify(sidecar, null, 2) },
  ]);
}

/** True when both files of a checkpoint exist. */
export function checkpointExists(base: string): boolean {
  for (const suffix of [".safetensors", ".json"]) {
    try {
      Deno.statSync(`${base}${suffix}`);
    } catch {
      return false;
    }
  }
  return true;
}

/** Reads and verifies a checkpoint pair (size and hash of the weights against the sidecar). */
export function readCheckpoint(base: string): LoadedCheckpoint {
  const sidecarPath = `${base}.json`;
  const weightsPath = `${base}.safetensors`;
  let sidecar: CheckpointSidecar;
  try {
    sidecar = JSON.parse(Deno.readTextFileSync(sidecarPath)) as CheckpointSidecar;
  } catch (error) {
    throw new Error(
      `${sidecarPath}: cannot read the checkpoint sidecar (${(error as Error).message})`,
    );
  }
  if (sidecar.format !== "demure-checkpoint/1") {
    throw new Error(
      `${sidecarPath}: field "format" is "${sidecar.format}", expected "demure-checkpoint/1"`,
    );
  }
  const bytes = Deno.readFileSync(weightsPath);
  if (bytes.length !== sidecar.weightsBytes || fnv1a(bytes) !== sidecar.weightsFnv1a) {
    throw new Error(
      `${weightsPath}: ${bytes.length} bytes with hash ${
        fnv1a(bytes)
      }, but ${sidecarPath} expects ` +
        `${sidecar.weightsBytes} bytes with hash ${sidecar.weightsFnv1a} (corrupt, or from another save)`,
    );
  }
  return { tensors: decodeSafetensors(bytes, weightsPath).tensors, sidecar };
}

/**
 * Loads a checkpoint into `model`. Throws (naming the file and field) when the dataset
 * fingerprint, the model config or any parameter name or shape differs. Returns the checkpoint so
 * the caller can read extras (optimizer state) and the trainer state.
 */
export function loadModelCheckpoint(
  base: string,
  model: SequentialRecommender,
  expected: { datasetFingerprint: string },
): LoadedCheckpoint {
  const loaded = readCheckpoint(base);
  const { sidecar } = loaded;
  if (sidecar.datasetFingerprint !== expected.datasetFingerprint) {
    throw new Error(
      `${base}.json: field "datasetFingerprint" is ${sidecar.datasetFingerprint}, the dataset's is ` +
        `${expected.datasetFingerprint} (checkpoint from another dataset)`,
    );
  }
  if (JSON.stringify(sidecar.modelConfig) !== JSON.stringify(model.config)) {
    throw new Error(
      `${base}.json: field "modelConfig" ${JSON.stringify(sidecar.modelConfig)} differs from the ` +
        `model's ${JSON.stringify(model.config)}`,
    );
  }
  const values = new Map<string, tf.Tensor>();
  try {
    for (const name of model.parameters.names()) {
      const host = loaded.tensors.get(name);
      if (host === undefined) throw new Error(`lacks parameter "${name}"`);
      values.set(name, tf.tensor(host.data, host.shape, "float32"));
    }
    model.parameters.assign(values);
  } catch (error) {
    throw new Error(`${base}.safetensors: ${(error as Error).message}`);
  } finally {
    tf.dispose([...values.values()]);
  }
  return loaded;
}
