/**
 * A kept model is loaded as the cell's only while it was trained with the cell's settings now:
 * the settings are written next to it (by cellModel's training and by the reproduction's keeping),
 * and a model kept before they were written is judged by its run's stored result. One trained
 * with other settings is refused with `train: false` (the error names the setting) and trained
 * again in its place with `train: true`.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { removeCellCheckpoints } from "../../lib/experiments/cell_checkpoints.ts";
import { cellCheckpointDir } from "../../lib/experiments/cell_checkpoints.ts";
import { cellModel, cellModelDir, KEPT_TRAINING_FILE } from "../../lib/experiments/cell_model.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import { cellStoreOf, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { quickSasrecCell } from "./_quick_sasrec_cell.ts";
import { keepUntrainedModel } from "./_untrained_checkpoints.ts";
import { inTempDir } from "./_in_temp_dir.ts";

await initBackend({ verbose: false });

const { plan, cell: quickCell } = quickSasrecCell();
/** The quick SASRec-ID cell, capped at 1 epoch (the runs here are what is tested, not scores). */
const cell: PlannedCell = { ...quickCell, training: { ...quickCell.training, maxEpochs: 1 } };
/** The same cell after a change of one training setting. */
const changed: PlannedCell = { ...cell, training: { ...cell.training, maxEpochs: 2 } };
const data = await prepareDataset(cell.dataset);
const quiet = () => {};

/** Keeps an untrained model of `cell` in `dir` with a training file of `training` (no training). */
function keepModel(dir: string, training: Record<string, unknown>): Promise<void> {
  return keepUntrainedModel(data, cell, dir, training);
}

const keptSettings = (dir: string) =>
  (JSON.parse(Deno.readTextFileSync(`${dir}/${KEPT_TRAINING_FILE}`)) as { settings?: unknown })
    .settings;
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));

Deno.test(
  "cellModel: a kept model trained with other settings is refused by the setting without training, trained again in its place with training",
  inTempDir(async (resultsDir) => {
    const dir = cellModelDir(resultsDir, cell);
    const trained = await cellModel(plan, cell, {
      resultsDir,
      train: true,
      onProgress: quiet,
      data,
    });
    trained.model.dispose();
    assertEquals(keptSettings(dir), asJson(settingsOf(plan, cell)), "its settings are written");
    const loaded = await cellModel(plan, cell, { resultsDir, train: false, data });
    loaded.model.dispose();
    assertEquals(loaded.source, "checkpoint", "the same settings load");
    const refused = await assertRejects(() =>
      cellModel(plan, changed, { resultsDir, train: false, data })
    );
    assertStringIncludes(
      refused.message,
      `cellModel: the kept model of ${cell.key} in ${dir} was trained with other settings than ` +
        `the cell's now (training.maxEpochs: 1 vs 2: the kept model's settings, from ${dir}/` +
        `${KEPT_TRAINING_FILE}, vs the cell's now), so it is not loaded`,
    );
    assertEquals(keptSettings(dir), asJson(settingsOf(plan, cell)), "refusing changes nothing");
    const epochs: number[] = [];
    const again = await cellModel(plan, changed, {
      resultsDir,
      train: true,
      onProgress: (progress) => epochs.push(progress.epoch),
      data,
    });
    again.model.dispose();
    // From scratch: the old run's files would have resumed it after its epoch 1.
    assertEquals([again.source, again.epochs, epochs], ["trained", 2, [1, 2]]);
    assertEquals(keptSettings(dir), asJson(settingsOf(plan, changed)));
  }),
);

Deno.test(
  "cellModel: a model kept before its settings were written is judged by its run's stored result, and loads when none is stored",
  inTempDir(async (resultsDir) => {
    const dir = cellModelDir(resultsDir, cell);
    await keepModel(dir, { epochsDone: 1, bestEpoch: 1 });
    const unknown = await cellModel(plan, changed, { resultsDir, train: false, data });
    unknown.model.dispose();
    assertEquals(unknown.source, "checkpoint", "nothing tells its settings: loaded as before");
    const store = cellStoreOf(resultsDir);
    store.put(cell.key, settingsOf(plan, cell), {});
    const refused = await assertRejects(() =>
      cellModel(plan, changed, { resultsDir, train: false, data })
    );
    assertStringIncludes(
      refused.message,
      `(training.maxEpochs: 1 vs 2: the kept model's settings, from ${
        store.pathOf(cell.key)
      }, the stored result of its run, vs the cell's now)`,
    );
    const same = await cellModel(plan, cell, { resultsDir, train: false, data });
    same.model.dispose();
    assertEquals(same.source, "checkpoint", "its run's settings are the cell's: loaded");
  }),
);

Deno.test(
  "cellModel: a main-table cell reading its trial's kept model is judged by the trial's settings",
  inTempDir(async (resultsDir) => {
    const trialKey = `${cell.key}/trial`;
    const reusing: PlannedCell = { ...changed, sameAs: trialKey };
    const trialDir = cellModelDir(resultsDir, { key: trialKey });
    await keepModel(trialDir, { epochsDone: 1, bestEpoch: 1 });
    cellStoreOf(resultsDir).put(trialKey, settingsOf(plan, cell), {});
    const refused = await assertRejects(() =>
      cellModel(plan, reusing, { resultsDir, train: false, data })
    );
    assertStringIncludes(refused.message, `the kept model of ${reusing.key} in ${trialDir}`);
    assertStringIncludes(refused.message, "training.maxEpochs: 1 vs 2");
    Deno.writeTextFileSync(
      `${trialDir}/${KEPT_TRAINING_FILE}`,
      JSON.stringify({ epochsDone: 1, settings: settingsOf(plan, changed) }),
    );
    const loaded = await cellModel(plan, reusing, { resultsDir, train: false, data });
    loaded.model.dispose();
    assertEquals(
      [loaded.source, loaded.checkpoint],
      ["checkpoint", `${trialDir}/best`],
      "the settings written next to it come first",
    );
  }),
);

Deno.test(
  "removeCellCheckpoints keeps the best model of a first-seed cell with the cell's settings",
  inTempDir(async (resultsDir) => {
    const checkpoints = cellCheckpointDir(resultsDir, plan, cell);
    await keepModel(checkpoints, {});
    Deno.writeTextFileSync(
      `${checkpoints}/last.json`,
      JSON.stringify({ trainerState: { epochsDone: 1, bestEpoch: 1 } }),
    );
    removeCellCheckpoints(resultsDir, plan, cell);
    const dir = cellModelDir(resultsDir, cell);
    assertEquals(JSON.parse(Deno.readTextFileSync(`${dir}/${KEPT_TRAINING_FILE}`)), {
      epochsDone: 1,
      bestEpoch: 1,
      settings: asJson(settingsOf(plan, cell)),
    });
    const refused = await assertRejects(() =>
      cellModel(plan, changed, { resultsDir, train: false, data })
    );
    assert(refused.message.includes("training.maxEpochs: 1 vs 2"), refused.message);
  }),
);

Deno.test(
  "removeCellCheckpoints keeps the best model without a last epoch checkpoint, its epochs unknown",
  inTempDir(async (resultsDir) => {
    const checkpoints = cellCheckpointDir(resultsDir, plan, cell);
    await keepModel(checkpoints, {});
    removeCellCheckpoints(resultsDir, plan, cell);
    const dir = cellModelDir(resultsDir, cell);
    assertEquals(JSON.parse(Deno.readTextFileSync(`${dir}/${KEPT_TRAINING_FILE}`)), {
      settings: asJson(settingsOf(plan, cell)),
    });
    const loaded = await cellModel(plan, cell, { resultsDir, train: false, data });
    loaded.model.dispose();
    assertEquals([loaded.source, loaded.epochs], ["checkpoint", NaN]);
  }),
);
