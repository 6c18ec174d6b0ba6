/**
 * A cell's model is trained with the cell's settings and kept; the next call loads the kept
 * weights instead of training (same scores); without a kept model and with training off, the
 * error names the missing file.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { readAndDispose } from "../../lib/backend/read_values.ts";
import { evaluationBatches } from "../../lib/data/protocol/batcher.ts";
import { cellModel } from "../../lib/experiments/cell_model.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";

await initBackend({ verbose: false });

Deno.test("cellModel: trains and keeps the model, then loads it (same scores)", async () => {
  const plan = planExperiments("quick");
  const cell = plan.cells.find((c) =>
    c.dataset.kind === "synthetic" && c.systemName === "SASRec-ID" && c.seed === plan.seeds[0]
  )!;
  const resultsDir = Deno.makeTempDirSync();
  try {
    await assertRejects(
      () => cellModel(plan, cell, { resultsDir, train: false }),
      Error,
      "no checkpoint",
    );
    const trained = await cellModel(plan, cell, { resultsDir, train: true, onProgress: () => {} });
    assertEquals(trained.source, "trained");
    assertEquals(trained.epochs, cell.training.maxEpochs);
    const { batch } = evaluationBatches(trained.data.split, "test", 8)[0];
    const before = await readAndDispose(trained.model.scoreLast(batch));
    trained.model.dispose();
    const loaded = await cellModel(plan, cell, { resultsDir, train: false, data: trained.data });
    assertEquals(loaded.source, "checkpoint");
    assertEquals(loaded.checkpoint, trained.checkpoint);
    const after = await readAndDispose(loaded.model.scoreLast(batch));
    loaded.model.dispose();
    assertEquals(Array.from(after), Array.from(before));
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
