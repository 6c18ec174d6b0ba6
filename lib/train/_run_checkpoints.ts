/**
 * Saving and restoring a training run (`last` and `best` checkpoints) for resumption, bound to one
 * `trainModel` call by {@linkcode RunCheckpoints}. The stored loop state keeps its field names and
 * order (the checkpoint format of runs in progress).
 */
import { tf } from "../backend/tf.ts";
import {
  assignCheckpoint,
  checkCheckpointFits,
  checkpointExists,
  readCheckpoint,
  removeStaleCheckpointFiles,
  saveModelCheckpoint,
} from "../checkpoint/checkpoint.ts";
import type { Json } from "../checkpoint/checkpoint.ts";
import { pathExists } from "../util/path_exists.ts";
import type { HostTensor } from "../checkpoint/safetensors.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";
import type { Adam } from "./adam.ts";
import { BestWeights } from "./_best_weights.ts";
import { EarlyStopping } from "./_early_stopping.ts";
import type { EpochProgress } from "./progress.ts";
import type { HookState, TrainerConfig, TrainerHooks } from "./config.ts";

/** The loop's mutable state: what a run checkpoint keeps to resume. */
export interface ResumeState {
  /** Epochs finished (the next epoch's 0-based index). */
  epochsDone: number;
  /** Training steps finished (seeds the next step's dropout and negatives). */
  step: number;
  /** The progress of every finished epoch. */
  history: EpochProgress[];
  /** Best validation NDCG@10, its epoch, evaluations since. */
  stopping: EarlyStopping;
  /** Copy of the best weights so far (owned by the loop). */
  best: BestWeights;
  /**
   * Seconds the run has trained up to its last finished epoch, in every process (what the time
   * budget `maxWallSeconds` counts); the loop sets it before each save. Undefined when resumed from
   * a checkpoint saved before 2026-12-07, which does not record it: the earlier processes' time is
   * unknown, the budget counts this process's only (as before), and the saves leave it out.
   */
  trainingSeconds?: number;
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
async function saveRun(
  dir: string,
  model: SequentialRecommender,
  adam: Adam,
  config: TrainerConfig,
  fingerprint: string,
  state: ResumeState,
  improved: boolean,
  hookState: TrainerHooks["checkpointState"],
  objectiveHooks: readonly string[],
): Promise<void> {
  Deno.mkdirSync(dir, { recursive: true });
  const { bestValidation, bestEpoch, sinceBest } = state.stopping;
  const metrics = { "valid NDCG@10": bestValidation };
  const trainerState = {
    epochsDone: state.epochsDone,
    step: state.step,
    adamStep: adam.step,
    bestValidation,
    bestEpoch,
    sinceBest,
    history: state.history,
    resumeKey: resumeKey(config),
    objectiveHooks: [...objectiveHooks],
    ...(state.trainingSeconds === undefined ? {} : { trainingSeconds: state.trainingSeconds }),
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
  /** Saved since 2026-12-07. */
  objectiveHooks?: string[];
  /** Saved since 2026-12-07 ({@linkcode ResumeState.trainingSeconds}). */
  trainingSeconds?: number;
}

/**
 * The loop's counts in a stored trainer state: each a whole number >= 0 (`adamStep` is checked by
 * `Adam.loadState`, which the error names with the files).
 */
const STORED_COUNTS = ["epochsDone", "step", "bestEpoch", "sinceBest"] as const;

/**
 * Throws, naming the file and the field, unless `stored` has the fields a resume reads, each of
 * its kind. Saves never write another (the weights' hash does not cover the sidecar): a field
 * edited or lost by hand was read as is, and a missing `epochsDone` ended the run at once with
 * no epoch trained and `epochsRun` NaN, a step of -1 seeded the dropout and negatives of other
 * steps than the uninterrupted run's.
 */
function checkStoredTrainerState(path: string, stored: unknown): void {
  const field = (name: string, value: unknown, expected: string) =>
    new Error(
      `${path}: field "trainerState${name ? `.${name}` : ""}" is ${
        JSON.stringify(value) ?? "missing"
      }, expected ${expected}`,
    );
  if (typeof stored !== "object" || stored === null || Array.isArray(stored)) {
    throw field("", stored, "an object");
  }
  const state = stored as Record<string, unknown>;
  for (const name of STORED_COUNTS) {
    const value = state[name];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      throw field(name, value, "a whole number >= 0");
    }
  }
  // JSON writes the -Infinity of a run without a validation yet as null.
  if (state.bestValidation !== null && typeof state.bestValidation !== "number") {
    throw field("bestValidation", state.bestValidation, "a number or null");
  }
  if (!Array.isArray(state.history)) throw field("history", state.history, "a list");
  if (typeof state.resumeKey !== "string") throw field("resumeKey", state.resumeKey, "a string");
  const seconds = state.trainingSeconds;
  if (
    seconds !== undefined &&
    (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0)
  ) {
    throw field("trainingSeconds", seconds, "a number >= 0 (seconds trained before)");
  }
}

/**
 * The hooks of `hooks` that change what is trained (the input masks and the auxiliary loss), by
 * name: a run checkpoint of other ones is another objective's.
 */
export function objectiveHookNames(hooks: TrainerHooks): string[] {
  return (["inputMask", "auxiliaryLoss"] as const).filter((name) => hooks[name] !== undefined);
}

/** The state of a run that starts from scratch. */
function freshResumeState(): ResumeState {
  return {
    epochsDone: 0,
    step: 0,
    history: [],
    stopping: new EarlyStopping(),
    best: new BestWeights(),
    trainingSeconds: 0,
  };
}

/** The file of `<dir>/<name>` that is gone: its sidecar, or the weights file the sidecar names. */
function missingWeightsFile(dir: string, name: "best" | "last"): string {
  const sidecar = `${dir}/${name}.json`;
  let text: string;
  try {
    text = Deno.readTextFileSync(sidecar);
  } catch {
    return sidecar;
  }
  const { weightsFile } = JSON.parse(text) as { weightsFile?: unknown };
  return typeof weightsFile === "string" ? `${dir}/${weightsFile}` : sidecar;
}

/** Restores model, Adam and loop state from `<dir>/last` (a fresh state when there is none). */
function restoreRun(
  dir: string,
  model: SequentialRecommender,
  adam: Adam,
  config: TrainerConfig,
  fingerprint: string,
  hookState: TrainerHooks["checkpointState"],
  objectiveHooks: readonly string[],
): ResumeState {
  // Sweep what killed saves left behind (partial weights files, temporary sidecars).
  for (const base of [`${dir}/last`, `${dir}/best`]) removeStaleCheckpointFiles(base);
  if (!checkpointExists(`${dir}/last`)) {
    // A sidecar naming a weights file that is gone (saves switch the sidecar only once its weights
    // are written, so a kill leaves none): started afresh, the run overwrote its record of the
    // epochs done, which the user may restore the file to resume.
    if (pathExists(`${dir}/last.json`)) {
      throw new Error(
        `${missingWeightsFile(dir, "last")}: missing, but ${dir}/last.json names it (the run's ` +
          `last epoch checkpoint); restore it, or delete ${dir} to start the run over`,
      );
    }
    return freshResumeState();
  }
  // Every check first: a checkpoint of another trainer config or model, without the hooks' state,
  // with hook state the hooks refuse, or whose best weights lack a parameter changes nothing in
  // the model (it keeps its weights; the trainer disposes the optimizer).
  const loaded = readCheckpoint(`${dir}/last`);
  const stored = loaded.sidecar.trainerState as unknown as StoredTrainerState | undefined;
  if (stored === undefined) {
    throw new Error(`${dir}/last.json: no field "trainerState" to resume from`);
  }
  checkStoredTrainerState(`${dir}/last.json`, stored);
  if (stored.resumeKey !== resumeKey(config)) {
    throw new Error(
      `${dir}/last.json: field "trainerState.resumeKey" ${stored.resumeKey} differs from this run's ` +
        `trainer config ${resumeKey(config)}; use another checkpointDir or resume: false`,
    );
  }
  if (hookState && stored.hookState === undefined) {
    throw new Error(
      `${dir}/last.json: no field "trainerState.hookState", but this run's hooks keep state ` +
        `(the checkpoint is from a run without them); use another checkpointDir or resume: false`,
    );
  }
  if (!hookState && stored.hookState !== undefined) {
    // Hooks that keep state (Demure's mask cache) saved it: resumed without them, the run went on
    // as another objective from that one's weights and Adam moments, and reported one result.
    throw new Error(
      `${dir}/last.json: field "trainerState.hookState" is there, but this run's hooks keep no ` +
        `state (the checkpoint is from a run with hooks such as Demure's); use another ` +
        `checkpointDir or resume: false`,
    );
  }
  if (
    stored.objectiveHooks !== undefined &&
    JSON.stringify(stored.objectiveHooks) !== JSON.stringify(objectiveHooks)
  ) {
    // Hooks without state (CL4SRec's auxiliary loss) leave no hookState to tell them apart: a
    // CL4SRec run resumed as plain SASRec (or the reverse) went on as another objective.
    throw new Error(
      `${dir}/last.json: field "trainerState.objectiveHooks" ${
        JSON.stringify(stored.objectiveHooks)
      } differs from this run's hooks ${JSON.stringify(objectiveHooks)} (a checkpoint of ` +
        `another objective); use another checkpointDir or resume: false`,
    );
  }
  const bestFile = checkpointExists(`${dir}/best`) ? readCheckpoint(`${dir}/best`) : undefined;
  if (bestFile === undefined && stored.bestEpoch > 0) {
    // Saves write best before last, so only a lost file gets here: resuming without it would
    // test the last epoch's weights and report them under the earlier best epoch.
    throw new Error(
      `${missingWeightsFile(dir, "best")}: missing, but ${dir}/last.json records best epoch ` +
        `${stored.bestEpoch}; delete ${dir} to start the run over`,
    );
  }
  const bestNames = model.parameters.names();
  const lacking = bestNames.find((name) => bestFile && !bestFile.tensors.has(name));
  if (lacking !== undefined) {
    throw new Error(`${dir}/best.json: its weights lack parameter "${lacking}"`);
  }
  checkCheckpointFits(`${dir}/last`, loaded, model, { datasetFingerprint: fingerprint });
  // The best weights are restored only after the last epoch: a best file of another dataset or
  // shape (a folder mixed up by hand) is refused now, not hours later or not at all.
  if (bestFile) {
    checkCheckpointFits(`${dir}/best`, bestFile, model, { datasetFingerprint: fingerprint });
  }
  // Adam and the hooks name only the field they refuse: the error names the files too.
  const inFiles = (restore: () => void) => {
    try {
      restore();
    } catch (error) {
      throw new Error(
        `${dir}/last.json -> ${loaded.sidecar.weightsFile}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  };
  inFiles(() => adam.loadState(stored.adamStep, loaded.tensors, model.parameters));
  // The hooks check their state as they restore it: before the weights are replaced.
  if (hookState) {
    const tensors = new Map<string, HostTensor>();
    for (const [name, tensor] of loaded.tensors) {
      if (name.startsWith("hooks/")) tensors.set(name.slice("hooks/".length), tensor);
    }
    const restored: HookState = { json: stored.hookState!, tensors };
    inFiles(() => hookState.restore(restored));
  }
  assignCheckpoint(`${dir}/last`, loaded, model, { datasetFingerprint: fingerprint });
  const best = bestFile
    ? new Map(bestNames.map((name) => {
      const host = bestFile.tensors.get(name)!;
      return [name, tf.tensor(host.data, host.shape, "float32")] as const;
    }))
    : undefined;
  console.log(`resuming from ${dir}/last after epoch ${stored.epochsDone} (step ${stored.step})`);
  if (stored.trainingSeconds === undefined && config.maxWallSeconds !== undefined) {
    console.warn(
      `${dir}/last.json: no field "trainerState.trainingSeconds" (saved before 2026-12-07): the ` +
        `time the run trained before is unknown, so maxWallSeconds ${config.maxWallSeconds} ` +
        "counts from this start only, as before",
    );
  }
  return {
    epochsDone: stored.epochsDone,
    step: stored.step,
    history: stored.history,
    stopping: new EarlyStopping({
      bestValidation: stored.bestValidation ?? -Infinity,
      bestEpoch: stored.bestEpoch,
      sinceBest: stored.sinceBest,
    }),
    best: new BestWeights(best),
    trainingSeconds: stored.trainingSeconds,
  };
}

/**
 * The run checkpoints of one `trainModel` call, bound to its model, optimiser and settings:
 * nothing is read or written without `TrainerConfig.checkpointDir`.
 */
export class RunCheckpoints {
  readonly #model: SequentialRecommender;
  readonly #adam: Adam;
  readonly #config: TrainerConfig;
  readonly #fingerprint: string;
  readonly #hookState: TrainerHooks["checkpointState"];
  readonly #objectiveHooks: readonly string[];

  /**
   * Binds the run's parts; `fingerprint` is its dataset's, `objectiveHooks` the names of the hooks
   * that change what is trained ({@linkcode objectiveHookNames}).
   */
  constructor(
    model: SequentialRecommender,
    adam: Adam,
    config: TrainerConfig,
    fingerprint: string,
    hookState?: TrainerHooks["checkpointState"],
    objectiveHooks: readonly string[] = [],
  ) {
    this.#model = model;
    this.#adam = adam;
    this.#config = config;
    this.#fingerprint = fingerprint;
    this.#hookState = hookState;
    this.#objectiveHooks = objectiveHooks;
  }

  /** The state to start from: `<checkpointDir>/last` when resuming, a fresh one otherwise. */
  start(): ResumeState {
    const { checkpointDir, resume } = this.#config;
    if (!checkpointDir || !resume) return freshResumeState();
    return restoreRun(
      checkpointDir,
      this.#model,
      this.#adam,
      this.#config,
      this.#fingerprint,
      this.#hookState,
      this.#objectiveHooks,
    );
  }

  /** Saves the state after an epoch (and the best weights when the epoch `improved`). */
  async save(state: ResumeState, improved: boolean): Promise<void> {
    const dir = this.#config.checkpointDir;
    if (!dir) return;
    await saveRun(
      dir,
      this.#model,
      this.#adam,
      this.#config,
      this.#fingerprint,
      state,
      improved,
      this.#hookState,
      this.#objectiveHooks,
    );
  }
}
