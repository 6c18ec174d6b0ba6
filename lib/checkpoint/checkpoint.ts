/**
 * Checkpoints: `<base>.<id>.safetensors` (weights, plus optional optimizer state under
 * "optimizer/") and `<base>.json` (sidecar: model config, dataset fingerprint, metrics, trainer
 * state, the name of its weights file, and that file's byte size + FNV-1a hash so a mismatched or
 * corrupt pair is detected).
 *
 * One atomic switch for the pair: a save writes the weights to a NEW file (unique id) and fsyncs
 * it, writes the sidecar to a temporary file and fsyncs it, then renames the temporary onto
 * `<base>.json` (the switch: the sidecar names its weights file) and fsyncs the folder. Only then
 * are the previous weights file and stale temporaries of killed saves removed. A process killed at
 * any point leaves `<base>.json` naming a complete weights file: the old checkpoint or the new one
 * (tested by failing the save at every step, `SAVE_STEPS`). Checkpoints of the earlier layout
 * (`<base>.safetensors`) still load.
 *
 * @example
 * ```ts
 * await saveModelCheckpoint("runs/sasrec/best", model, { datasetFingerprint: fp, metrics: { "NDCG@10": 0.1 } });
 * loadModelCheckpoint("runs/sasrec/best", model, { datasetFingerprint: fp });
 * ```
 */
import { readFloat32 } from "../backend/read_values.ts";
import { tf } from "../backend/tf.ts";
import type { Tensor } from "../backend/tf.ts";
import type { ModelConfig, SequentialRecommender } from "../models/sequential_recommender.ts";
import { decodeSafetensors, encodeSafetensors, type HostTensor } from "./safetensors.ts";
import { pathExists, readTextIfExists } from "../util/path_exists.ts";
import { folderOf, syncFolder, writeSyncedFile } from "../data/atomic_write.ts";

/** A JSON value (config and trainer state are stored as plain JSON). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** The `<base>.json` sidecar. */
export interface CheckpointSidecar {
  /** Format tag of the sidecar. */
  format: "demure-checkpoint/1";
  /** When it was written (ISO 8601). */
  created: string;
  /** The model's full configuration (rebuilds the model). */
  modelConfig: ModelConfig;
  /** Fingerprint of the dataset the model was trained on; loading on other data fails. */
  datasetFingerprint: string;
  /** Metrics at the time of saving (e.g. validation NDCG@10). */
  metrics: Record<string, number>;
  /** Trainer state for resuming (epoch, step, best metric, history...). */
  trainerState?: Json;
  /** File name of the weights (safetensors), next to the sidecar. */
  weightsFile: string;
  /** Size of the weights file in bytes. */
  weightsBytes: number;
  /** FNV-1a hash of the weights file (hex), checked on load. */
  weightsFnv1a: string;
  /** Names of the stored tensors, in file order. */
  tensorNames: string[];
}

/** What to store next to the weights. */
export interface CheckpointInfo {
  /** Fingerprint of the training dataset. */
  datasetFingerprint: string;
  /** Metrics to record. Default: none. */
  metrics?: Record<string, number>;
  /** Trainer state for resuming. Default: none. */
  trainerState?: Json;
  /** Extra tensors (e.g. optimizer moments), stored under their own names. */
  extraTensors?: ReadonlyMap<string, Tensor>;
  /** Extra tensors already on the host (e.g. a training hook's state). */
  extraHostTensors?: ReadonlyMap<string, HostTensor>;
}

/** A loaded checkpoint: all tensors on the host, and the sidecar. */
export interface LoadedCheckpoint {
  /** Every stored tensor by name (parameters and extras). */
  tensors: Map<string, HostTensor>;
  /** The sidecar. */
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
 * The steps of a save, in order; `SaveOptions.afterStep` is called after each (tests throw there
 * to simulate a process killed at that point).
 */
export const SAVE_STEPS = [
  "weights_partial",
  "weights_written",
  "sidecar_partial",
  "sidecar_written",
  "switched",
  "folder_synced",
  "cleaned",
] as const;

/** One step of a save (see {@linkcode SAVE_STEPS}). */
export type SaveStep = typeof SAVE_STEPS[number];

/** Options of {@linkcode saveModelCheckpoint}. */
export interface SaveOptions {
  /** Called after each step of the save (failure injection in tests). */
  afterStep?: (step: SaveStep) => void;
}

let saveCounter = 0;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The weights file `<base>.json` names now, or undefined when there is no sidecar. Only "not
 * found" answers undefined: a sidecar that cannot be read (no permission), is not JSON or names
 * no weights file (saves are atomic, and every layout named one, so not one of theirs) is thrown,
 * since answering "no checkpoint" would start a run afresh over its saved epochs (after the
 * sweep removed the weights no sidecar named), or say a kept model is missing when it cannot be
 * read.
 */
function currentWeightsFile(base: string): string | undefined {
  const path = `${base}.json`;
  const text = readTextIfExists(path);
  if (text === undefined) return undefined;
  let weightsFile: unknown;
  try {
    weightsFile = (JSON.parse(text) as Partial<CheckpointSidecar> | null)?.weightsFile;
  } catch (error) {
    throw new Error(`${path}: not a checkpoint sidecar (${(error as Error).message})`);
  }
  if (typeof weightsFile !== "string") {
    throw new Error(
      `${path}: not a checkpoint sidecar (field "weightsFile" is ${
        JSON.stringify(weightsFile) ?? "missing"
      }, expected a file name)`,
    );
  }
  return weightsFile;
}

/**
 * Removes what killed or superseded saves of `base` left behind: weights files the sidecar does
 * not name and temporary sidecars. Returns the removed names.
 */
export function removeStaleCheckpointFiles(base: string): string[] {
  const folder = folderOf(base);
  const name = escapeRegExp(baseName(base));
  const keep = currentWeightsFile(base);
  const stale = [
    new RegExp(`^${name}\\.[0-9a-z]+-[0-9a-z]+-[0-9a-z]+\\.safetensors$`),
    new RegExp(`^${name}\\.json\\.tmp-`),
    new RegExp(`^${name}\\.safetensors\\.tmp-`),
  ];
  const removed: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(folder)];
  } catch {
    return removed;
  }
  for (const entry of entries) {
    if (!entry.isFile || entry.name === keep) continue;
    const legacy = entry.name === `${baseName(base)}.safetensors` && keep !== undefined;
    if (!legacy && !stale.some((pattern) => pattern.test(entry.name))) continue;
    try {
      Deno.removeSync(`${folder}/${entry.name}`);
      removed.push(entry.name);
    } catch {
      // Already gone (another cleaner): nothing to do.
    }
  }
  return removed;
}

/**
 * Writes `<base>.<id>.safetensors` + `<base>.json` for the model's parameters (and extras), with
 * one atomic switch for the pair (see the module documentation).
 */
export async function saveModelCheckpoint(
  base: string,
  model: SequentialRecommender,
  info: CheckpointInfo,
  options: SaveOptions = {},
): Promise<void> {
  // All device tensors are read in one asynchronous transfer, so a save also runs on a GPU backend.
  const onDevice: [string, tf.Tensor][] = [];
  const params = model.parameters;
  for (const name of params.names()) onDevice.push([name, params.get(name)]);
  for (const [name, tensor] of info.extraTensors ?? []) onDevice.push([name, tensor]);
  const values = await readFloat32(onDevice.map(([, tensor]) => tensor));
  const tensors = new Map<string, HostTensor>();
  onDevice.forEach(([name, tensor], i) => {
    if (tensors.has(name)) throw new Error(`checkpoint: tensor name "${name}" used twice`);
    tensors.set(name, { shape: [...tensor.shape], data: values[i] });
  });
  for (const [name, tensor] of info.extraHostTensors ?? []) {
    if (tensors.has(name)) throw new Error(`checkpoint: tensor name "${name}" used twice`);
    tensors.set(name, tensor);
  }
  const bytes = encodeSafetensors(tensors, { format: "demure-checkpoint/1" });
  const step = options.afterStep ?? (() => {});
  const folder = folderOf(base);
  const id = `${Date.now().toString(36)}-${Deno.pid.toString(36)}-${(saveCounter++).toString(36)}`;
  const weightsFile = `${baseName(base)}.${id}.safetensors`;
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
  // A folder at the sidecar's path failed its rename after the weights were written (both left
  // for a later save's sweep): refused before anything is written.
  let sidecarIsFolder = false;
  try {
    sidecarIsFolder = Deno.lstatSync(`${base}.json`).isDirectory;
  } catch {
    // Missing (a first save) or unreadable: the write below tells.
  }
  if (sidecarIsFolder) {
    throw new Error(`checkpoint ${base}.json: a folder, not a file; nothing was written`);
  }
  // Serialised before anything is written: a sidecar that fails to serialise (a BigInt or a cycle
  // in trainerState) threw after the weights were written, and left them with no sidecar naming
  // them until a later save of the same base swept them.
  let text: Uint8Array;
  try {
    text = new TextEncoder().encode(JSON.stringify(sidecar, null, 2));
  } catch (error) {
    throw new Error(
      `checkpoint ${base}.json: the sidecar cannot be written as JSON (${
        (error as Error).message
      })`,
      { cause: error },
    );
  }
  // No try/finally cleanup: a failure here must leave what a killed process leaves, and the next
  // save (or removeStaleCheckpointFiles) sweeps it.
  writeSyncedFile(`${folder}/${weightsFile}`, bytes, {
    afterHalf: () => step("weights_partial"),
    nameFile: true,
  });
  step("weights_written");
  const temporary = `${base}.json.tmp-${id}`;
  writeSyncedFile(temporary, text, { afterHalf: () => step("sidecar_partial"), nameFile: true });
  step("sidecar_written");
  Deno.renameSync(temporary, `${base}.json`);
  step("switched");
  syncFolder(folder);
  step("folder_synced");
  removeStaleCheckpointFiles(base);
  step("cleaned");
}

/**
 * True when the sidecar exists and so does the weights file it names. A file that is there but
 * cannot be checked (no permission) is an error, not "no checkpoint" (see `currentWeightsFile`).
 */
export function checkpointExists(base: string): boolean {
  const weightsFile = currentWeightsFile(base);
  return weightsFile !== undefined && pathExists(`${folderOf(base)}/${weightsFile}`);
}

/** Reads and verifies a checkpoint pair (size and hash of the weights against the sidecar). */
export function readCheckpoint(base: string): LoadedCheckpoint {
  const sidecarPath = `${base}.json`;
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
  const weightsFile = sidecar.weightsFile;
  // A file next to the sidecar only: "", "." and ".." name a folder, a name with "/" another one.
  if (
    typeof weightsFile !== "string" || ["", ".", ".."].includes(weightsFile) ||
    weightsFile.includes("/")
  ) {
    throw new Error(`${sidecarPath}: field "weightsFile" is ${weightsFile}, expected a file name`);
  }
  const weightsPath = `${folderOf(base)}/${weightsFile}`;
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
  assignCheckpoint(base, loaded, model, expected);
  return loaded;
}

/**
 * {@linkcode loadModelCheckpoint} of a checkpoint already read (`readCheckpoint(base)`): for a
 * caller that checks the sidecar before the model's weights are replaced.
 */
export function assignCheckpoint(
  base: string,
  loaded: LoadedCheckpoint,
  model: SequentialRecommender,
  expected: { datasetFingerprint: string },
): void {
  checkCheckpointFits(base, loaded, model, expected);
  const values = new Map<string, tf.Tensor>();
  try {
    for (const name of model.parameters.names()) {
      const host = loaded.tensors.get(name)!;
      values.set(name, tf.tensor(host.data, host.shape, "float32"));
    }
    model.parameters.assign(values);
  } catch (error) {
    throw new Error(`${base}.json -> ${loaded.sidecar.weightsFile}: ${(error as Error).message}`);
  } finally {
    tf.dispose([...values.values()]);
  }
}

/**
 * Throws (naming the file and field) unless the checkpoint read from `base` fits `model` and the
 * dataset: fingerprint, model config, every parameter present with the model's shape. Changes
 * nothing.
 */
export function checkCheckpointFits(
  base: string,
  loaded: LoadedCheckpoint,
  model: SequentialRecommender,
  expected: { datasetFingerprint: string },
): void {
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
  const lacking = model.parameters.names().find((name) => !loaded.tensors.has(name));
  if (lacking !== undefined) {
    throw new Error(`${base}.json -> ${sidecar.weightsFile}: lacks parameter "${lacking}"`);
  }
  for (const name of model.parameters.names()) {
    const stored = loaded.tensors.get(name)!.shape;
    const wanted = model.parameters.get(name).shape;
    if (stored.join(",") !== wanted.join(",")) {
      throw new Error(
        `${base}.json -> ${sidecar.weightsFile}: parameter "${name}": shape [${stored}] does ` +
          `not match the model's [${wanted}]`,
      );
    }
  }
}
