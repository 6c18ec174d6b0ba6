/**
 * An untrained model of a cell saved where a kept model or a stopped training leaves its
 * checkpoints, with the data's fingerprint: the setup of the tests of cellModel's loading and
 * resuming, written out in cell_model_edges_test.ts, cell_model_settings_test.ts,
 * cell_model_gaps_test.ts (twice) and cell_model_unreadable_training_test.ts.
 */
import { saveModelCheckpoint } from "../../lib/checkpoint/checkpoint.ts";
import { KEPT_TRAINING_FILE } from "../../lib/experiments/cell_model.ts";
import type { PreparedDataset } from "../../lib/experiments/datasets.ts";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import { buildCellModel } from "../../lib/experiments/run_cell.ts";

/**
 * Saves an untrained model of `cell` on `data` as the checkpoints `names` (`best`, `last`) in
 * `dir`, made if missing; the model is disposed after.
 */
export async function saveUntrainedCheckpoints(
  data: PreparedDataset,
  cell: PlannedCell,
  dir: string,
  names: readonly string[],
): Promise<void> {
  const { model } = buildCellModel(data, cell.system, { seed: cell.seed, model: cell.model });
  Deno.mkdirSync(dir, { recursive: true });
  const fingerprint = data.split.dataset.metadata.fingerprint;
  for (const name of names) {
    await saveModelCheckpoint(`${dir}/${name}`, model, { datasetFingerprint: fingerprint });
  }
  model.dispose();
}

/** Keeps an untrained model of `cell` in `dir` (its best checkpoint) with a training file of `training`. */
export async function keepUntrainedModel(
  data: PreparedDataset,
  cell: PlannedCell,
  dir: string,
  training: Record<string, unknown>,
): Promise<void> {
  await saveUntrainedCheckpoints(data, cell, dir, ["best"]);
  Deno.writeTextFileSync(`${dir}/${KEPT_TRAINING_FILE}`, JSON.stringify(training));
}
