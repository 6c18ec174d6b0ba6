/**
 * A kept model's training file that exists but cannot be looked at (here a symlink loop; no
 * permission reads the same) is that error, naming the file: before, it answered "no training
 * file", and a training that had finished was refused as one stopped part-way.
 */
import { assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { cellModel, cellModelDir, KEPT_TRAINING_FILE } from "../../lib/experiments/cell_model.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { quickSasrecCell } from "./_quick_sasrec_cell.ts";
import { saveUntrainedCheckpoints } from "./_untrained_checkpoints.ts";

await initBackend({ verbose: false });

Deno.test("cellModel: a training file that cannot be looked at is that error naming it, not a stopped training", async () => {
  const { plan, cell } = quickSasrecCell();
  const resultsDir = Deno.makeTempDirSync();
  try {
    const data = await prepareDataset(cell.dataset);
    const dir = cellModelDir(resultsDir, cell);
    await saveUntrainedCheckpoints(data, cell, dir, ["best", "last"]);
    const trainingFile = `${dir}/${KEPT_TRAINING_FILE}`;
    Deno.symlinkSync(trainingFile, trainingFile);
    const error = await assertRejects(() =>
      cellModel(plan, cell, { resultsDir, train: false, data })
    );
    assertStringIncludes(error.message, trainingFile);
    if (error.message.includes("was stopped after epoch")) {
      throw new Error(`taken for a stopped training: ${error.message}`);
    }
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
