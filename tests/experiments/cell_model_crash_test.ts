/**
 * What a stopped training of `cellModel` leaves: a kill while it writes the training file leaves
 * none or the whole file (it is written atomically), and a training stopped part-way is resumed
 * to the end, never loaded as the cell's trained model.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  cellModel,
  cellModelDir,
  KEPT_TRAINING_FILE,
  writeKeptTraining,
} from "../../lib/experiments/cell_model.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import { settingsOf } from "../../lib/experiments/stored_cells.ts";
import { readTextIfExists } from "../../lib/util/path_exists.ts";
import { quickSasrecCell } from "./_quick_sasrec_cell.ts";
import { inTempDir } from "./_in_temp_dir.ts";

await initBackend({ verbose: false });

const { plan, cell: quickCell } = quickSasrecCell();
/** The quick SASRec-ID cell, capped at 2 epochs (the runs here are what is tested, not scores). */
const cell: PlannedCell = { ...quickCell, training: { ...quickCell.training, maxEpochs: 2 } };
const data = await prepareDataset(cell.dataset);
const quiet = () => {};

class SimulatedKill extends Error {}

const isTrainingFile = (path: string | URL) =>
  /\/training\.json(\.tmp-[\d-]+)?$/.test(String(path));

/**
 * Runs `body` with every write of a file named training.json (in place, or to a temporary of it)
 * killed half-way: half its bytes are written, then {@linkcode SimulatedKill} is thrown.
 */
async function killingTrainingFileWrites<T>(body: () => Promise<T>): Promise<T> {
  const { writeTextFileSync, writeFileSync, openSync } = Deno;
  const encoder = new TextEncoder();
  const writeHalf = (path: string | URL, bytes: Uint8Array): never => {
    writeFileSync(path, bytes.subarray(0, bytes.length >> 1));
    throw new SimulatedKill(`killed while writing ${path}`);
  };
  Deno.writeTextFileSync =
    ((path: string | URL, text: string, options?: Deno.WriteFileOptions) =>
      isTrainingFile(path)
        ? writeHalf(path, encoder.encode(text))
        : writeTextFileSync(path, text, options)) as typeof Deno.writeTextFileSync;
  Deno.writeFileSync =
    ((path: string | URL, bytes: Uint8Array, options?: Deno.WriteFileOptions) =>
      isTrainingFile(path)
        ? writeHalf(path, bytes)
        : writeFileSync(path, bytes, options)) as typeof Deno.writeFileSync;
  Deno.openSync = (path: string | URL, options?: Deno.OpenOptions) => {
    const file = openSync(path, options);
    if (isTrainingFile(path)) {
      const write = file.writeSync.bind(file);
      file.writeSync = (bytes: Uint8Array) => {
        write(bytes.subarray(0, bytes.length >> 1));
        throw new SimulatedKill(`killed while writing ${path}`);
      };
    }
    return file;
  };
  try {
    return await body();
  } finally {
    Object.assign(Deno, { writeTextFileSync, writeFileSync, openSync });
  }
}

/** Trains the cell's model under `resultsDir` (or resumes it), without progress lines. */
function trainQuietly(resultsDir: string) {
  return cellModel(plan, cell, { resultsDir, train: true, onProgress: quiet, data });
}

/**
 * The training file says what the last epoch checkpoint's state says (the records' format), and
 * the cell's settings.
 */
function assertTrainingFileIsLast(directory: string): void {
  const { epochsDone, bestEpoch } = trainerState(directory);
  assertEquals(JSON.parse(Deno.readTextFileSync(`${directory}/training.json`)), {
    epochsDone,
    bestEpoch,
    settings: JSON.parse(JSON.stringify(settingsOf(plan, cell))),
  });
}

function trainerState(directory: string): { epochsDone: number; bestEpoch: number } {
  return (JSON.parse(Deno.readTextFileSync(`${directory}/last.json`)) as {
    trainerState: { epochsDone: number; bestEpoch: number };
  }).trainerState;
}

Deno.test(
  "cellModel: a kill while it writes the training file leaves none or the whole file",
  inTempDir(async (resultsDir) => {
    await assertRejects(
      () => killingTrainingFileWrites(() => trainQuietly(resultsDir)),
      SimulatedKill,
    );
    const directory = cellModelDir(resultsDir, cell);
    const text = readTextIfExists(`${directory}/training.json`);
    // Before: written in place, the kill left `{"epochsDone":2`.
    assert(text === undefined, `the training file was left cut short: ${text}`);
    // The next call finishes the record (the run is done: nothing trains again).
    const again = await trainQuietly(resultsDir);
    again.model.dispose();
    assertEquals([again.source, again.epochs], ["trained", 2]);
    assertTrainingFileIsLast(directory);
  }),
);

Deno.test(
  "cellModel: a training stopped part-way is resumed to the end, not loaded as the cell's model",
  inTempDir(async (resultsDir) => {
    class Interrupted extends Error {}
    // Stopped after its first epoch (its best and last epoch checkpoints are written by then).
    await assertRejects(
      () =>
        cellModel(plan, cell, {
          resultsDir,
          train: true,
          data,
          onProgress: () => {
            throw new Interrupted("stopped after the first epoch");
          },
        }),
      Interrupted,
    );
    const directory = cellModelDir(resultsDir, cell);
    assertEquals(trainerState(directory).epochsDone, 1);
    // Before: the first epoch's best weights were loaded as the cell's trained model.
    const error = await assertRejects(() =>
      cellModel(plan, cell, { resultsDir, train: false, data })
    );
    assertStringIncludes(error.message, `was stopped after epoch 1 of at most 2`);
    assertStringIncludes(error.message, "train it on with DEMURE_RERUN=1");
    const resumed = await trainQuietly(resultsDir);
    resumed.model.dispose();
    // The epochs of the whole run, the resumed one included (mutation H65 counted only those run
    // after the resume: 1).
    assertEquals([resumed.source, resumed.epochs], ["trained", 2]);
    assertEquals(trainerState(directory).epochsDone, 2);
    assertTrainingFileIsLast(directory);
    const loaded = await cellModel(plan, cell, { resultsDir, train: false, data });
    loaded.model.dispose();
    assertEquals([loaded.source, loaded.epochs], ["checkpoint", 2]);
  }),
);

Deno.test(
  "cellModel: a training file that is not JSON is an error naming it",
  inTempDir(async (resultsDir) => {
    const trained = await trainQuietly(resultsDir);
    trained.model.dispose();
    // As an earlier version's writer killed mid-write left it, in a kept model without its last
    // epoch checkpoint (the reproduction's, or a copy of keepCellModelUnderOwnName).
    const directory = cellModelDir(resultsDir, cell);
    for (const entry of Deno.readDirSync(directory)) {
      if (entry.name.startsWith("last")) Deno.removeSync(`${directory}/${entry.name}`);
    }
    Deno.writeTextFileSync(`${directory}/training.json`, '{"epochsDone":2');
    // Before: "Expected ',' or '}' after property value in JSON at position 15", naming no file.
    const error = await assertRejects(() =>
      cellModel(plan, cell, { resultsDir, train: false, data })
    );
    assertStringIncludes(error.message, `${directory}/training.json: unreadable training file (`);
    // A file that cannot be read at all is not "unreadable JSON, delete it": its own error.
    const { readTextFileSync } = Deno;
    Deno.readTextFileSync = ((path: string | URL) => {
      if (String(path) !== `${directory}/training.json`) return readTextFileSync(path);
      throw new Deno.errors.PermissionDenied(`read access to ${path}`);
    }) as typeof Deno.readTextFileSync;
    try {
      await assertRejects(
        () => cellModel(plan, cell, { resultsDir, train: false, data }),
        Deno.errors.PermissionDenied,
        "read access to",
      );
    } finally {
      Deno.readTextFileSync = readTextFileSync;
    }
  }),
);

Deno.test("writeKeptTraining writes { epochsDone, bestEpoch, settings } only, not the rest of a trainer state", () => {
  const directory = Deno.makeTempDirSync();
  try {
    // keepBestModel passes the last epoch checkpoint's whole trainer state.
    const trainerState = { epochsDone: 7, bestEpoch: 5, bestScore: 0.25, epochsWithoutGain: 2 };
    const settings = settingsOf(plan, cell);
    writeKeptTraining(directory, trainerState, settings);
    assertEquals(
      Deno.readTextFileSync(`${directory}/${KEPT_TRAINING_FILE}`),
      `{"epochsDone":7,"bestEpoch":5,"settings":${JSON.stringify(settings)}}`,
    );
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});
