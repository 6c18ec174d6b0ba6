/**
 * The trained model of one neural cell of a plan, for analyses that need the model itself (an
 * explanation, a heatmap), not only its metrics. A cell's result files keep no weights, so the
 * weights live in a checkpoint folder next to the results:
 * `<resultsDir>/models/<cell key>/best`, kept by the reproduction when a neural cell of the first
 * seed finishes (`removeCellCheckpoints`), or written here when this module trains the cell. A
 * main-table cell that reuses its selection trial's run (`sameAs`) reads that trial's model.
 *
 * When the checkpoint exists the model is loaded from it (nothing is trained); otherwise it is
 * trained with the cell's own settings (exactly as the grid trains it) and checkpointed there, or,
 * with `train: false`, an error says which file is missing and how to make it. A training here
 * that was stopped part-way (its last epoch checkpoint without the training file written when it
 * finishes) is resumed, not loaded, or with `train: false` an error says so.
 *
 * A kept model is the cell's only while the settings it was trained under are the cell's now
 * (`settingsOf`: dataset, system, seed, model and trainer settings): they are written next to it
 * ({@linkcode KEPT_TRAINING_FILE}); a model kept before they were written is judged by its run's
 * stored result. A kept model of other settings (a training setting changed since) is not loaded:
 * it is trained again in its place, or, with `train: false`, an error names the setting that
 * differs. Before, such a model loaded as the cell's while the cell's stored result counted as
 * stale, so a notebook explained a model that the cell's numbers no longer came from.
 *
 * A training here holds the cell's claim in the results folder's store (`cellStoreOf`), the claim
 * the reproduction takes to run that cell, with its heartbeat (`HeldClaim`), and gives it up when
 * the training ends, fails or is interrupted. While another process holds it (`./run.sh
 * reproduce`, a Slurm task, another notebook's kernel), nothing is trained: an error names the
 * claim file and its holder (call again once it is done: its kept model then loads; a holder that
 * is this process, an earlier call not awaited yet, is named as such). Before, both
 * trained into the same folder at once, and their epoch checkpoints interleaved. A stale claim is
 * taken over as the runners do; loading a kept model needs no claim.
 *
 * @example
 * ```ts
 * const plan = planExperiments("quick");
 * const cell = plan.cells.find((c) => c.systemName === "Demure-SASRec")!;
 * const trained = await cellModel(plan, cell, { resultsDir: "results/quick", train: true });
 * console.log(trained.source, trained.epochs);
 * trained.model.dispose();
 * ```
 */
import {
  checkBoolean,
  checkOptionalFunction,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";
import { checkpointExists, loadModelCheckpoint } from "../checkpoint/checkpoint.ts";
import { STALE_TEMPORARY_SECONDS, writeFilesAtomically } from "../data/atomic_write.ts";
import type { SequentialRecommender } from "../models/sequential_recommender.ts";
import { type EpochProgress, printProgress } from "../train/progress.ts";
import type { TrainerHooks } from "../train/config.ts";
import { trainModel } from "../train/trainer.ts";
import { datasetLabel } from "./dataset_spec.ts";
import { prepareDataset, type PreparedDataset } from "./datasets.ts";
import type { ExperimentPlan, PlannedCell } from "./plan_types.ts";
import { HeldClaim } from "./held_claim.ts";
import { type CellClaim, describeClaimHolder, isThisProcess } from "./cell_claim.ts";
import type { ResultStore } from "./result_store.ts";
import { buildCellModel, checkingFirst } from "./run_cell.ts";
import {
  cellStoreOf,
  existingCellStoreOf,
  settingsOf,
  type StoredCellSettings,
} from "./stored_cells.ts";
import { pathExists } from "../util/path_exists.ts";
import { removeIfPresent } from "../util/remove_if_present.ts";
import { jsonDifferences } from "../util/json_differences.ts";

/** Options of {@linkcode cellModel}. */
export interface CellModelOptions {
  /** The reproduction's directory (`results/<mode>`). */
  resultsDir: string;
  /** Train (and checkpoint) the model when no checkpoint exists; false: throw instead. */
  train: boolean;
  /** Per-epoch progress while training. */
  onProgress?: (progress: EpochProgress) => void;
  /** The cell's dataset, when the caller has prepared it already (another is refused). */
  data?: PreparedDataset;
}

/** A cell's trained model and where it came from. */
export interface TrainedCellModel {
  /** The model with its best validation weights; the caller disposes it. */
  model: SequentialRecommender;
  /** The dataset the cell ran on. */
  data: PreparedDataset;
  /** The cell of the plan. */
  cell: PlannedCell;
  /** `checkpoint`: loaded; `trained`: trained now (and checkpointed). */
  source: "checkpoint" | "trained";
  /** The checkpoint's base path (`.../best`). */
  checkpoint: string;
  /** Epochs the model was trained for, and the cell's cap. */
  epochs: number;
  /** The cell's `maxEpochs`. */
  maxEpochs: number;
}

/**
 * Where the kept model of `cell` lives under a reproduction's directory. Apart from the epoch
 * checkpoints of a running cell (`cellCheckpointDir`, removed once the cell's result is stored):
 * these are kept for analyses. Loading checks the model configuration and the dataset's
 * fingerprint against the checkpoint's.
 */
export function cellModelDir(resultsDir: string, cell: Pick<PlannedCell, "key">): string {
  return `${resultsDir}/models/${cell.key.replace(/[^A-Za-z0-9=._-]+/g, "__")}`;
}

/**
 * The folder that holds the kept model `cell` reads under `resultsDir`: its own
 * ({@linkcode cellModelDir}) when a model is there, else, for a main-table cell that reuses its
 * selection trial's run (`sameAs`), the trial's; undefined when neither holds one.
 */
export function keptCellModelDir(
  resultsDir: string,
  cell: Pick<PlannedCell, "key" | "sameAs">,
): string | undefined {
  const own = cellModelDir(resultsDir, cell);
  if (keptCheckpointIn(own)) return own;
  const reused = cell.sameAs ? cellModelDir(resultsDir, { key: cell.sameAs }) : undefined;
  return reused && keptCheckpointIn(reused) ? reused : undefined;
}

/**
 * Whether the kept-model folder `dir` holds a checkpoint. A plain file where the folder belongs is
 * refused by name: reading `<dir>/best.json` through it failed as a raw "Not a directory (os error
 * 20)" that did not say which path was wrong or why.
 */
function keptCheckpointIn(dir: string): boolean {
  let isFolder: boolean;
  try {
    isFolder = Deno.statSync(dir).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
  if (!isFolder) {
    throw new Error(
      `${dir}: a file, not a folder: a cell's kept model is a folder (best.json and its ` +
        "weights); move the file away to train the cell or load its model",
    );
  }
  return checkpointExists(`${dir}/best`);
}

/**
 * Stores the model `cell` reads under the cell's own name: when it reads its selection trial's
 * model (`sameAs`), copies the trial's kept model into {@linkcode cellModelDir} (staged, then one
 * rename). The results of record commit a model under the name of the cell the notebooks ask
 * for (see `.gitignore`), whichever trial the selection chose. With `from`, the model is taken from
 * another results folder of the same plan (the clone that ran the cell). Returns the cell's folder
 * and, when it copied, where from; throws when the cell has no kept model there.
 */
export function keepCellModelUnderOwnName(
  resultsDir: string,
  cell: Pick<PlannedCell, "key" | "sameAs">,
  from: string = resultsDir,
): { dir: string; copiedFrom?: string } {
  const own = cellModelDir(resultsDir, cell);
  const kept = keptCellModelDir(from, cell);
  if (kept === undefined) {
    throw new Error(
      `keepCellModelUnderOwnName: no kept model of ${cell.key} under ${from}/models ` +
        `(looked for ${cellModelDir(from, cell)}/best.json${
          cell.sameAs ? ` and ${cellModelDir(from, { key: cell.sameAs })}/best.json` : ""
        })`,
    );
  }
  if (kept === own) return { dir: own };
  // The best weights, their sidecar and how long the run trained: what a kept model holds.
  const { weightsFile } = JSON.parse(Deno.readTextFileSync(`${kept}/best.json`)) as {
    weightsFile: string;
  };
  const files = ["best.json", weightsFile, KEPT_TRAINING_FILE].filter((name) =>
    existsFile(`${kept}/${name}`)
  );
  replaceKeptModel(own, (staging) => {
    for (const name of files) Deno.copyFileSync(`${kept}/${name}`, `${staging}/${name}`);
  });
  return { dir: own, copiedFrom: kept };
}

/**
 * Puts a kept model into `modelDir`: `stage` writes its files into `<modelDir>.staging`, which then
 * takes the folder's place (one rename), so a kill leaves the old kept model, none, or the whole
 * new one, plus at most the staging folder ({@linkcode removeAbandonedModelCopies}). A kept model
 * is always a copy, and its source (a cell's epoch checkpoints, another kept model) stays until
 * the rename is done.
 */
export function replaceKeptModel(modelDir: string, stage: (staging: string) => void): void {
  const staging = `${modelDir}.staging`;
  removeIfPresent(staging);
  Deno.mkdirSync(staging, { recursive: true });
  try {
    stage(staging);
  } catch (error) {
    // A copy that failed (a full disk, a source it cannot read) left the staging folder, cut
    // short, until the sweep minutes on; a kill still leaves it (nothing runs then).
    removeIfPresent(staging);
    throw error;
  }
  removeIfPresent(modelDir);
  Deno.renameSync(staging, modelDir);
}

/**
 * Removes the staging folders ({@linkcode replaceKeptModel}) that processes killed while keeping a
 * model left under `<resultsDir>/models`, once nothing was written in one for
 * STALE_TEMPORARY_SECONDS (a copy of a few MB takes seconds: a live one is never that old). They
 * are removed, not completed: nothing tells a whole copy from one cut short, and the source is
 * still there (a stored cell's epoch checkpoints, from which the same run keeps the model again;
 * the selected trial's kept model, which the cell reads meanwhile and `readme-figure` copies
 * again). Says each folder removed through `log`.
 */
export function removeAbandonedModelCopies(
  resultsDir: string,
  log: (line: string) => void,
): void {
  const models = `${resultsDir}/models`;
  if (!pathExists(models)) return;
  const now = Date.now();
  for (const entry of Deno.readDirSync(models)) {
    if (!entry.isDirectory || !entry.name.endsWith(".staging")) continue;
    const staging = `${models}/${entry.name}`;
    try {
      if (now - lastWritten(staging) <= STALE_TEMPORARY_SECONDS * 1000) continue;
      Deno.removeSync(staging, { recursive: true });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue; // Another sweeper's.
      throw error;
    }
    log(
      `removed ${staging}, the unfinished copy of a kept model that a stopped process left ` +
        "(the model is kept again from its source when needed)",
    );
  }
}

/** When `folder` or a file in it was last written (ms since the epoch). */
function lastWritten(folder: string): number {
  const paths = [
    folder,
    ...[...Deno.readDirSync(folder)].map((entry) => `${folder}/${entry.name}`),
  ];
  return Math.max(...paths.map((path) => Deno.statSync(path).mtime?.getTime() ?? Date.now()));
}

/**
 * Next to a kept model: `{ epochsDone, bestEpoch, settings }` of the run it was kept from (no
 * `settings` in models kept before they were written, such as those of results-of-record/).
 */
export const KEPT_TRAINING_FILE = "training.json";

/** How long the run a kept model was kept from trained ({@linkcode KEPT_TRAINING_FILE}). */
export interface KeptTraining {
  /** Epochs the run trained. */
  epochsDone?: number;
  /** The epoch (1-based) of its best validation, whose weights the kept model holds. */
  bestEpoch?: number;
  /** The settings of the cell it was trained for ({@linkcode settingsOf}). */
  settings?: StoredCellSettings;
}

/**
 * Writes `<directory>/`{@linkcode KEPT_TRAINING_FILE} (how long it trained, and the cell's
 * `settings`) atomically (lib/data/atomic_write.ts): a
 * kill or a full disk leaves no file or the whole one. Before, it was written in place, so a kill
 * could leave it empty or cut short; {@linkcode cellModel} then failed on it, and it travelled
 * with the model's copies (`keepCellModelUnderOwnName`).
 */
export function writeKeptTraining(
  directory: string,
  training: KeptTraining,
  settings: StoredCellSettings,
): void {
  const { epochsDone, bestEpoch } = training;
  const data = JSON.stringify({ epochsDone, bestEpoch, settings });
  writeFilesAtomically([{ path: `${directory}/${KEPT_TRAINING_FILE}`, data }]);
}

const CELL_MODEL_OPTION_NAMES: SettingNames<CellModelOptions> = Object.freeze({
  resultsDir: true,
  train: true,
  onProgress: true,
  data: true,
});

/**
 * Throws a `SettingError` for an unknown name or a value of another kind, before anything is read
 * or trained: a text "false" for `train` is no boolean, a null `onProgress` printed the default
 * lines, null `data` read the dataset again.
 */
function checkCellModelOptions(options: CellModelOptions): void {
  checkSettingNames("CellModelOptions", options, CELL_MODEL_OPTION_NAMES);
  if (typeof options.resultsDir !== "string") {
    throw new SettingError(
      "CellModelOptions.resultsDir",
      options.resultsDir,
      "a folder (a string)",
    );
  }
  checkBoolean("CellModelOptions.train", options.train);
  checkOptionalFunction("CellModelOptions.onProgress", options.onProgress);
  const data: unknown = options.data;
  if (data !== undefined && (data === null || typeof data !== "object" || Array.isArray(data))) {
    throw new SettingError("CellModelOptions.data", data, "a prepared dataset (prepareDataset)");
  }
}

/** Loads the cell's model from its checkpoint, or trains it (see the module comment). */
export async function cellModel(
  plan: ExperimentPlan,
  cell: PlannedCell,
  options: CellModelOptions,
): Promise<TrainedCellModel> {
  checkCellModelOptions(options);
  checkHasModel(cell);
  const data = options.data ?? await prepareDataset(cell.dataset);
  checkDataOfCell(cell, data);
  const settings = settingsOf(plan, cell);
  const kept = loadKeptModel(cell, settings, data, options.resultsDir);
  if (kept.loaded) return kept.loaded;
  const { directory, stoppedAfter, otherSettings } = kept;
  if (!options.train) {
    throw otherSettings !== undefined
      ? keptForOtherSettings(cell, directory, otherSettings)
      : stoppedAfter === undefined
      ? missingCheckpoint(cell, `${directory}/best`, options.resultsDir)
      : stoppedTraining(cell, directory, stoppedAfter, cell.training.maxEpochs ?? 0);
  }
  // The claim of the cell whose folder is trained: the reproduction's on the same cell (a
  // main-table cell resumes its selection trial's stopped training in the trial's folder).
  const key = directory === cellModelDir(options.resultsDir, cell) ? cell.key : cell.sameAs!;
  const store = cellStoreOf(options.resultsDir);
  const holder = store.claim(key);
  if (holder) throw trainedElsewhere(cell, key, store, holder);
  const held = new HeldClaim(store, key, (line) => console.error(line));
  try {
    // The holder that was waited for has kept the model meanwhile: loaded, not trained again.
    const now = loadKeptModel(cell, settings, data, options.resultsDir);
    if (now.loaded) return now.loaded;
    // The folder to train changed meanwhile (its trial's training appeared): under its claim.
    if (now.directory !== directory) return await cellModel(plan, cell, { ...options, data });
    if (now.otherSettings !== undefined) {
      // Not the cell's model: trained again in its place, from scratch (its files would resume).
      console.error(
        `cellModel: ${cell.key}: the kept model in ${now.directory} was trained with other ` +
          `settings (${now.otherSettings}): training it again`,
      );
      removeIfPresent(now.directory);
    }
    return await trainKeptModel(cell, settings, data, now.directory, {
      afterEpoch: () => held.check(),
      onProgress: options.onProgress ?? printProgress,
    });
  } finally {
    held.stop();
    store.release(key);
  }
}

/**
 * The cell's kept model, loaded (`loaded`) when its folder holds a finished one trained with the
 * cell's `settings`; else the folder it is (to be) trained in and, when a training there was
 * stopped part-way, the epochs it did, or, when its model was trained with other settings, how
 * they differ.
 */
function loadKeptModel(
  cell: PlannedCell,
  settings: StoredCellSettings,
  data: PreparedDataset,
  resultsDir: string,
): { loaded?: TrainedCellModel; directory: string; stoppedAfter?: number; otherSettings?: string } {
  const directory = keptCellModelDir(resultsDir, cell) ?? cellModelDir(resultsDir, cell);
  const checkpoint = `${directory}/best`;
  const stoppedAfter = stoppedTrainingEpochs(directory);
  if (!checkpointExists(checkpoint) || stoppedAfter !== undefined) {
    return { directory, stoppedAfter };
  }
  const otherSettings = keptSettingsDifference(cell, settings, directory, resultsDir);
  if (otherSettings !== undefined) return { directory, otherSettings };
  const { model } = buildCellModel(data, cell.system, { seed: cell.seed, model: cell.model });
  try {
    const fingerprint = data.split.dataset.metadata.fingerprint;
    loadModelCheckpoint(checkpoint, model, { datasetFingerprint: fingerprint });
  } catch (error) {
    model.dispose();
    throw error;
  }
  const epochs = keptEpochs(directory);
  const maxEpochs = cell.training.maxEpochs ?? 0;
  return {
    loaded: { model, data, cell, source: "checkpoint", checkpoint, epochs, maxEpochs },
    directory,
  };
}

/**
 * Trains the cell's model into `directory` with the cell's own settings (exactly as the grid
 * trains it; `hooks.afterEpoch`, the claim's check, runs first at each epoch end), resuming a
 * training stopped part-way from its last epoch checkpoint (the trainer's resume).
 */
async function trainKeptModel(
  cell: PlannedCell,
  settings: StoredCellSettings,
  data: PreparedDataset,
  directory: string,
  hooks: Required<Pick<TrainerHooks, "afterEpoch" | "onProgress">>,
): Promise<TrainedCellModel> {
  const built = buildCellModel(data, cell.system, { seed: cell.seed, model: cell.model });
  const { model } = built;
  try {
    const training = await trainModel(
      model,
      data.split,
      { ...cell.training, seed: cell.seed, checkpointDir: directory },
      { ...checkingFirst(built.hooks, hooks.afterEpoch), onProgress: hooks.onProgress },
    );
    const epochs = training.resumedFromEpoch + training.epochsRun;
    // As a kept model of the reproduction: how long it trained, without the last epoch's files.
    // Written last, it also marks the training finished (see stoppedTrainingEpochs).
    writeKeptTraining(directory, { epochsDone: epochs, bestEpoch: training.bestEpoch }, settings);
    const maxEpochs = cell.training.maxEpochs ?? 0;
    const checkpoint = `${directory}/best`;
    return { model, data, cell, source: "trained", checkpoint, epochs, maxEpochs };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * The error of a model asked to be trained while another process holds the cell's claim: that
 * process (the reproduction, a Slurm task, another notebook's kernel) trains the cell now, into
 * the same folder; training it here too would mix the two runs' checkpoints. When the holder is
 * this process (a notebook's earlier cellModel call or runPlan, not awaited yet, trains the cell),
 * the error says so: "another process" would send the user looking for one that does not exist.
 */
function trainedElsewhere(
  cell: PlannedCell,
  key: string,
  store: ResultStore,
  holder: CellClaim,
): Error {
  const whose = key === cell.key ? "" : ` (the run of ${key}, which ${cell.key} reuses)`;
  const claim = `its claim ${store.claimPathOf(key)} is ${describeClaimHolder(holder)}`;
  if (isThisProcess(holder)) {
    return new Error(
      `cellModel: this process is training ${cell.key} now${whose} (an earlier cellModel or ` +
        `runPlan call here, in this kernel, that has not finished): ${claim}. Wait for that call ` +
        "to finish (await it), then call again: its kept model will then load",
    );
  }
  return new Error(
    `cellModel: another process is training ${cell.key} now${whose}: ${claim}. Wait for it to ` +
      "finish, then call again: its kept model will then load (were that process gone, a call " +
      `after its heartbeat is ${store.staleSeconds} s old takes the cell over and trains it)`,
  );
}

/** Throws unless `cell` trains a model now: a neural cell whose selection is made. */
function checkHasModel(cell: PlannedCell): void {
  if (cell.waitsFor) {
    throw new Error(
      `cellModel: ${cell.key} waits for the selection of ${cell.waitsFor.join(", ")}`,
    );
  }
  if (cell.system.kind !== "neural") {
    throw new Error(`cellModel: ${cell.key} is a ${cell.system.kind} cell, it has no model`);
  }
}

/**
 * Throws unless `data` (the caller's `options.data`) is the dataset of `cell`. Another dataset
 * trained the cell's model on it and kept it under the cell's name, with the cell's settings
 * written next to it; only a later load saw the dataset's fingerprint differ.
 */
function checkDataOfCell(cell: PlannedCell, data: PreparedDataset): void {
  const label = datasetLabel(cell.dataset);
  if (data.label === label) return;
  throw new Error(
    `cellModel: options.data is the dataset ${data.label}, not the dataset of ${cell.key} ` +
      `(${label}); pass the cell's dataset or leave data out`,
  );
}

/**
 * The epochs a kept model trained: from its last epoch's checkpoint, else from the file kept in
 * its place ({@linkcode KEPT_TRAINING_FILE}); NaN when neither is there.
 */
function keptEpochs(directory: string): number {
  const last = `${directory}/last`;
  const kept = `${directory}/${KEPT_TRAINING_FILE}`;
  const state = checkpointExists(last)
    ? loadModelCheckpointState(last)
    : existsFile(kept)
    ? readKeptTraining(kept)
    : undefined;
  return state?.epochsDone ?? NaN;
}

/** The training file `path`; an error naming it when it is not JSON. */
function readKeptTraining(path: string): KeptTraining {
  try {
    return JSON.parse(Deno.readTextFileSync(path)) as KeptTraining;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new Error(
      `${path}: unreadable training file (${error.message}); delete it (the model loads without ` +
        "it; how long it trained is then unknown)",
    );
  }
}

/**
 * The epochs done by a training of {@linkcode cellModel} in `directory` that was stopped part-way
 * (a kill, Jupyter's Interrupt): its last epoch checkpoint is there but not the training file
 * written when it finished. Undefined otherwise (finished, never started, or a model kept by the
 * reproduction, which has no last epoch checkpoint). Before, such a folder's best checkpoint so
 * far was loaded as the cell's trained model, and the training never resumed.
 */
function stoppedTrainingEpochs(directory: string): number | undefined {
  const last = `${directory}/last`;
  if (existsFile(`${directory}/${KEPT_TRAINING_FILE}`) || !checkpointExists(last)) {
    return undefined;
  }
  return loadModelCheckpointState(last)?.epochsDone ?? 0;
}

/** The error of a model asked for without training when its training was stopped part-way. */
function stoppedTraining(
  cell: PlannedCell,
  directory: string,
  epochsDone: number,
  maxEpochs: number,
): Error {
  return new Error(
    `cellModel: the training of ${cell.key} in ${directory} was stopped after epoch ` +
      `${epochsDone} of at most ${maxEpochs} (${directory}/last.json is there, ` +
      `${KEPT_TRAINING_FILE}, written when it finishes, is not); train it on with DEMURE_RERUN=1 ` +
      "in the notebook's kernel (or call cellModel with train: true), which resumes it",
  );
}

/**
 * How the settings the kept model in `directory` was trained with differ from the cell's
 * `settings` (e.g. `training.maxEpochs: 30 (kept model) vs 200 (the cell's)`), or undefined when
 * they are the same or cannot be told. They are the ones written next to it; a model kept before
 * they were written has those of its run's stored result (the reproduction keeps a model when it
 * stores the cell, and a main-table cell's copy of its trial's model is stored as the cell's own),
 * and none when no result of its run is stored (a model trained here by an earlier version).
 */
function keptSettingsDifference(
  cell: PlannedCell,
  settings: StoredCellSettings,
  directory: string,
  resultsDir: string,
): string | undefined {
  const trainingFile = `${directory}/${KEPT_TRAINING_FILE}`;
  const written = existsFile(trainingFile) ? readKeptTraining(trainingFile).settings : undefined;
  let kept: unknown = written;
  let from = trainingFile;
  if (written === undefined) {
    const key = directory === cellModelDir(resultsDir, cell) ? cell.key : cell.sameAs!;
    const store = existingCellStoreOf(resultsDir);
    kept = store?.storedSettings(key);
    if (kept === undefined) return undefined;
    from = `${store!.pathOf(key)}, the stored result of its run`;
  }
  const differences = jsonDifferences(kept, settings, "", 3);
  if (differences.length === 0) return undefined;
  return `${differences.join("; ")}: the kept model's settings, from ${from}, vs the cell's now`;
}

/** The error of a kept model asked for without training when it is not the cell's model now. */
function keptForOtherSettings(cell: PlannedCell, directory: string, difference: string): Error {
  return new Error(
    `cellModel: the kept model of ${cell.key} in ${directory} was trained with other settings ` +
      `than the cell's now (${difference}), so it is not loaded: train it again with ` +
      "DEMURE_RERUN=1 in the notebook's kernel (or call cellModel with train: true), or run the " +
      "cell again (./run.sh reproduce), which keeps the model of its new run",
  );
}

/** The error of a model asked for without training: which file is missing, and how to make it. */
function missingCheckpoint(cell: PlannedCell, checkpoint: string, resultsDir: string): Error {
  const reused = cell.sameAs
    ? ` (nor ${cellModelDir(resultsDir, { key: cell.sameAs })}/best.json, ` +
      `the model of ${cell.sameAs}, whose run it reuses)`
    : "";
  return new Error(
    `cellModel: no checkpoint ${checkpoint}.json for ${cell.key}${reused}; the reproduction ` +
      "keeps it when the cell finishes, or train it with DEMURE_RERUN=1 in the notebook's " +
      "kernel (or call cellModel with train: true)",
  );
}

function loadModelCheckpointState(base: string): KeptTraining | undefined {
  const sidecar = JSON.parse(Deno.readTextFileSync(`${base}.json`)) as {
    trainerState?: KeptTraining;
  };
  return sidecar.trainerState;
}

function existsFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch (error) {
    // Only "not there" answers no (as pathExists): a training file that cannot be read (no
    // permission, a symlink loop) answered no, and a finished training was taken for a stopped one.
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return false;
    }
    throw error;
  }
}
