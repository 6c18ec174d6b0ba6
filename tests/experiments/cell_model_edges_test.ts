/**
 * cellModel's edges that the earlier rounds left (lib/experiments/cell_model.ts): a staging folder
 * is judged by its newest file, a staging folder that cannot be removed is an error (not skipped
 * without a word), the training file is replaced, never written through (a hard-linked copy of the
 * folder keeps its own), loading a kept model writes nothing into the results folder (no cells
 * folder made), a dataset passed in that is not the cell's is refused (it trained the cell's model
 * on it and kept it under the cell's name and settings); under the claim, a model another process
 * kept meanwhile is loaded, not trained again, the claim's heartbeat is stopped once the training
 * is done, and the claim given up is the reused trial's whose folder was trained. Found by
 * mutation round LB (LB34-LB39, LB41).
 */
import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { STALE_TEMPORARY_SECONDS } from "../../lib/data/atomic_write.ts";
import {
  cellModel,
  cellModelDir,
  KEPT_TRAINING_FILE,
  removeAbandonedModelCopies,
  writeKeptTraining,
} from "../../lib/experiments/cell_model.ts";
import type { DatasetSpec } from "../../lib/experiments/dataset_spec.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellStoreOf, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { HELD_CLAIMS } from "../../lib/experiments/_claim_files.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { inTempDir } from "./_in_temp_dir.ts";
import { quickSasrecCell } from "./_quick_sasrec_cell.ts";
import { keepUntrainedModel } from "./_untrained_checkpoints.ts";

await initBackend({ verbose: false });

const { plan, cell: quickCell } = quickSasrecCell();
/** The quick SASRec-ID cell, capped at 1 epoch (the runs here are what is tested, not scores). */
const cell = { ...quickCell, training: { ...quickCell.training, maxEpochs: 1 } };
const data = await prepareDataset(cell.dataset);

/** Keeps an untrained model of `cell` in `dir` with its training file (settings the cell's). */
function keepModel(dir: string, training: Record<string, unknown>): Promise<void> {
  return keepUntrainedModel(data, cell, dir, training);
}

const OLD = () => new Date(Date.now() - 2 * STALE_TEMPORARY_SECONDS * 1000);

/** A staging folder under `resultsDir/models` holding best.json, every path of it old. */
function oldStaging(resultsDir: string): string {
  const staging = `${resultsDir}/models/k.staging`;
  Deno.mkdirSync(staging, { recursive: true });
  Deno.writeTextFileSync(`${staging}/best.json`, "{}");
  for (const path of [`${staging}/best.json`, staging]) Deno.utimeSync(path, OLD(), OLD());
  return staging;
}

Deno.test(
  "removeAbandonedModelCopies keeps a staging folder one of whose files was written just now",
  inTempDir((resultsDir) => {
    const staging = oldStaging(resultsDir);
    // A copy still writing: its newest file is new, though the folder's own time is old.
    Deno.writeTextFileSync(`${staging}/best.weights.bin`, "x");
    Deno.utimeSync(staging, OLD(), OLD());
    const lines: string[] = [];
    removeAbandonedModelCopies(resultsDir, (line) => lines.push(line));
    assertEquals([pathExists(staging), lines], [true, []]);
    return Promise.resolve();
  }),
);

Deno.test(
  "removeAbandonedModelCopies: a staging folder it cannot remove is an error, not skipped",
  inTempDir((resultsDir) => {
    const staging = oldStaging(resultsDir);
    const { removeSync } = Deno;
    Deno.removeSync = (path: string | URL, options?: Deno.RemoveOptions) => {
      if (path === staging) throw new Deno.errors.PermissionDenied(`remove '${path}'`);
      removeSync(path, options);
    };
    const lines: string[] = [];
    try {
      assertThrows(
        () => removeAbandonedModelCopies(resultsDir, (line) => lines.push(line)),
        Deno.errors.PermissionDenied,
      );
    } finally {
      Deno.removeSync = removeSync;
    }
    assertEquals([pathExists(staging), lines], [true, []]);
    return Promise.resolve();
  }),
);

Deno.test(
  "writeKeptTraining replaces the training file, never writes through it: a hard-linked copy keeps its own",
  inTempDir((resultsDir) => {
    const dir = `${resultsDir}/model`;
    const copy = `${resultsDir}/copy.json`;
    Deno.mkdirSync(dir);
    writeKeptTraining(dir, { epochsDone: 1, bestEpoch: 1 }, settingsOf(plan, cell));
    // A results folder copied with hard links (`cp -al`): both names share the first file.
    Deno.linkSync(`${dir}/${KEPT_TRAINING_FILE}`, copy);
    writeKeptTraining(dir, { epochsDone: 2, bestEpoch: 2 }, settingsOf(plan, cell));
    assertEquals(JSON.parse(Deno.readTextFileSync(copy)).epochsDone, 1);
    assertEquals(
      JSON.parse(Deno.readTextFileSync(`${dir}/${KEPT_TRAINING_FILE}`)).epochsDone,
      2,
    );
    return Promise.resolve();
  }),
);

Deno.test(
  "cellModel: loading a kept model of no written settings makes no cells folder in the results folder",
  inTempDir(async (resultsDir) => {
    // A model kept before settings were written next to it (results-of-record/'s).
    await keepModel(cellModelDir(resultsDir, cell), { epochsDone: 1 });
    const loaded = await cellModel(plan, cell, { resultsDir, train: false, data });
    loaded.model.dispose();
    assertEquals(loaded.source, "checkpoint");
    assertEquals([...Deno.readDirSync(resultsDir)].map((entry) => entry.name), ["models"]);
  }),
);

Deno.test(
  "cellModel: a model kept by the claim's holder while this call waited for the claim is loaded, not trained again",
  inTempDir(async (resultsDir) => {
    const source = `${resultsDir}/elsewhere`;
    await keepModel(source, { epochsDone: 1, bestEpoch: 1, settings: settingsOf(plan, cell) });
    const dir = cellModelDir(resultsDir, cell);
    const { claim } = ResultStore.prototype;
    // The holder finishes between cellModel's first look and its claim: its model is kept then.
    ResultStore.prototype.claim = function (key: string, job?: string) {
      Deno.mkdirSync(dir, { recursive: true });
      for (const entry of Deno.readDirSync(source)) {
        Deno.copyFileSync(`${source}/${entry.name}`, `${dir}/${entry.name}`);
      }
      return claim.call(this, key, job);
    };
    const epochs: number[] = [];
    try {
      const got = await cellModel(plan, cell, {
        resultsDir,
        train: true,
        onProgress: (progress) => epochs.push(progress.epoch),
        data,
      });
      got.model.dispose();
      assertEquals([got.source, got.epochs, epochs], ["checkpoint", 1, []]);
    } finally {
      ResultStore.prototype.claim = claim;
    }
  }),
);

Deno.test(
  "cellModel: the heartbeat of the claim it trains under is stopped when the training is done",
  inTempDir(async (resultsDir) => {
    const { keepAlive } = ResultStore.prototype;
    let started = 0;
    let stopped = 0;
    ResultStore.prototype.keepAlive = function (...args: Parameters<typeof keepAlive>) {
      started++;
      const stop = keepAlive.apply(this, args);
      return () => {
        stopped++;
        stop();
      };
    };
    try {
      const got = await cellModel(plan, cell, {
        resultsDir,
        train: true,
        onProgress: () => {},
        data,
      });
      got.model.dispose();
      assertEquals(got.source, "trained");
    } finally {
      ResultStore.prototype.keepAlive = keepAlive;
    }
    assertEquals([started, stopped > 0], [1, true]);
  }),
);

Deno.test(
  "cellModel: a dataset passed in that is not the cell's is refused by name, before anything is trained or written",
  inTempDir(async (resultsDir) => {
    const spec = cell.dataset as Extract<DatasetSpec, { kind: "synthetic" }>;
    const other = await prepareDataset({ ...spec, config: { ...spec.config, numUsers: 150 } });
    const epochs: number[] = [];
    const error = await assertRejects(() =>
      cellModel(plan, cell, {
        resultsDir,
        train: true,
        onProgress: (progress) => epochs.push(progress.epoch),
        data: other,
      })
    );
    assertEquals(
      error.message,
      `cellModel: options.data is the dataset ${other.label}, not the dataset of ${cell.key} ` +
        `(${data.label}); pass the cell's dataset or leave data out`,
    );
    assertEquals([epochs, [...Deno.readDirSync(resultsDir)]], [[], []]);
  }),
);

Deno.test(
  "cellModel gives up the claim of the reused trial whose folder it trained in, not the cell's own, when the training ends",
  inTempDir(async (resultsDir) => {
    const trialKey = `${cell.key}/trial=0`;
    const reusing = { ...cell, sameAs: trialKey };
    // The trial's training stopped part-way in its own folder (a last checkpoint that cannot
    // be resumed from: the training here fails at its start, under the trial's claim).
    const trial = cellModelDir(resultsDir, { key: trialKey });
    await keepModel(trial, {});
    Deno.removeSync(`${trial}/${KEPT_TRAINING_FILE}`);
    Deno.copyFileSync(`${trial}/best.json`, `${trial}/last.json`);
    const store = cellStoreOf(resultsDir);
    await assertRejects(
      () => cellModel(plan, reusing, { resultsDir, train: true, data, onProgress: () => {} }),
      Error,
      "trainerState",
    );
    assertEquals(store.claimOf(trialKey), undefined, "the trial's claim is given up");
    assertEquals(HELD_CLAIMS.has(store.claimPathOf(trialKey)), false);
  }),
);
