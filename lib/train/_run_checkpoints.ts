/** Saving and restoring a training run (`last` and `best` checkpoints) for resumption. */
import { tf } from "../backend/tf.ts";
import {
  checkpointExists,
  loadModelCheckpoint,
  readCheckpoint,
  removeStaleCheckpointFiles,
  saveModelCheckpoint,
} from "../checkpoint/checkpoint.ts";
import type { Json } from "../checkpoint/checkpoint.ts";
import type { HostTensor } from "../checkpoint/safetensors.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";
import type { Adam } from "./adam.ts";
import type { EpochProgress } from "./progress.ts";
import type { HookState, TrainerConfig, TrainerHooks } from "./config.ts";

/** The loop's mutable state. */
export interface ResumeState {
  epochsDone: number;
  step: number;
  bestValidation: number;
  bestEpoch: number;
  sinceBest: number;
  history: EpochProgress[];
  /** Copy of the best weights so far (owned by the loop). */
  best: Map<string, tf.Tensor> | undefined;
}

/** Fields of the trainer config that must match to resume (maxEpochs may grow). */
function resumeKey(config: TrainerConfig): string {
  const {
    maxEpochs: _max,
    checkpointDir: _dir,
    resume: _resume,
    maxWallSeconds: _budget,
    divergenceFactor: _guard,
    ...rest
  } = config;
  return JSON.stringify(rest);
}

/** Writes `<dir>/last` (weights, Adam moments, loop state) and, when improved, `<dir>/best`. */
export async function saveRun(
  dir: string,
  model: SequentialRecommender,
  adam: Adam,
  config: TrainerConfig,
  fingerprint: string,
  state: ResumeState,
  improved: boolean,
  hookState?: TrainerHooks["checkpointState"],
): Promise<void> {
  Deno.mkdirSync(dir, { recursive: true });
  const metrics = { "valid NDCG@10": state.bestValidation };
  const trainerState = {
    epochsDone: state.epochsDone,
    step: state.step,
    adamStep: adam.step,
    bestValidation: state.bestValidation,
    bestEpoch: state.bestEpoch,
    sinceBest: state.sinceBest,
    history: state.history,
    resumeKey: resumeKey(config),
  } as unknown as Record<string, Json>;
  const extraHostTensors = new Map<string, HostTensor>();
  if (hookState) {
    const saved = hookState.save();
    trainerState.hookState = saved.json;
    for (const [name, tensor] of saved.tensors) extraHostTensors.set(`hooks/${name}`, tensor);
  }
  if (improved) {
    await saveModelCheckpoint(`${dir}/best`, model, { datasetFingerprint: fingerprint, metrics });
  }
  await saveModelCheckpoint(`${dir}/last`, model, {
    datasetFingerprint: fingerprint,
    metrics,
    trainerState,
    extraTensors: adam.stateTensors(),
    extraHostTensors,
  });
}

interface StoredTrainerState {
  epochsDone: number;
  step: number;
  adamStep: number;
  bestValidation: number;
  bestEpoch: number;
  sinceBest: number;
  history: EpochProgress[];
  resumeKey: string;
  hookState?: Json;
}

/** The state of a run that starts from scratch. */
export function freshResumeState(): ResumeState {
  return {
    epochsDone: 0,
    step: 0,
    bestValidation: -Infinity,
    bestEpoch: 0,
    sinceBest: 0,
    history: [],
    best: undefined,
  };
}

/** Restores model, Adam and loop state from `<dir>/last` (a fresh state when there is none). */
export function restoreRun(
  dir: string,
  model: SequentialRecommender,
  adam: Adam,
  config: TrainerConfig,
  fingerprint: string,
  hookState?: TrainerHooks["checkpointState"],
): ResumeState {
  // Sweep what killed saves left behind (partial weights files, temporary sidecars).
  for (const base of [`${dir}/last`, `${dir}/best`]) removeStaleCheckpointFiles(base);
  if (!checkpointExists(`${dir}/last`)) return freshResumeState();
  const loaded = loadModelCheckpoint(`${dir}/last`, model, { datasetFingerprint: fingerprint });
  const stored = loaded.sidecar.trainerState as unknown as StoredTrainerState | undefined;
  if (stored === undefined) {
    throw new Error(`${dir}/last.json: no field "trainerState" to resume from`);
  }
  if (stored.resumeKey !== resumeKey(config)) {
    throw new Error(
      `${dir}/last.json: field "trainerState.resumeKey" ${stored.resumeKey} differs from this run's ` +
        `trainer config ${resumeKey(config)}; use another checkpointDir or resume: false`,
    );
  }
  adam.loadState(stored.adamStep, loaded.tensors);
  if (hookState) {
    if (stored.hookState === undefined) {
      throw new Error(
        `${dir}/last.json: no field "trainerState.hookState", but this run's hooks keep state ` +
          `(the checkpoint is from a run without them); use another checkpointDir or resume: false`,
      );
    }
    const tensors = new Map<string, HostTensor>();
    for (const [name, tensor] of loaded.tensors) {
      if (name.startsWith("hooks/")) tensors.set(name.slice("hooks/".length), tensor);
    }
    const restored: HookState = { json: stored.hookState, tensors };
    hookState.restore(restored);
  }
  let best: Map<string, tf.Tensor> | undefined;
  if (checkpointExists(`${dir}/best`)) {
    const bestFile = readCheckpoint(`${dir}/best`);
    best = new Map();
    for (const name of model.parameters.names()) {
      const host = bestFile.tensors.get(name);
      if (host === undefined) {
        throw new Error(`${dir}/best.json: its weights lack parameter "${name}"`);
      }
      best.set(name, tf.tensor(host.data, host.shape, "float32"));
    }
  }
  console.log(`resuming from ${dir}/last after epoch ${stored.epochsDone} (step ${stored.step})`);
  return {
    epochsDone: stored.epochsDone,
    step: stored.step,
    bestValidation: stored.bestValidation ?? -Infinity,
    bestEpoch: stored.bestEpoch,
    sinceBest: stored.sinceBest,
    history: stored.history,
    best,
  };
}
