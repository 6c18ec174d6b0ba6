/**
 * A cell's model is trained with the cell's settings and kept; the next call loads the kept
 * weights instead of training (same scores); without a kept model and with training off, the
 * error names the missing file.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { readAndDispose } from "../../lib/backend/read_values.ts";
import { evaluationBatches } from "../../lib/data/protocol/batcher.ts";
import { cellModel, cellModelDir } from "../../lib/experiments/cell_model.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
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
    // The training file says what the trainer's last state says (the records' format: the
    // epochs run and the best epoch, which the kept model's weights are).
    const kept = cellModelDir(resultsDir, cell);
    const last = JSON.parse(Deno.readTextFileSync(`${kept}/last.json`)) as {
      trainerState: { epochsDone: number; bestEpoch: number };
    };
    assertEquals(JSON.parse(Deno.readTextFileSync(`${kept}/training.json`)), {
      epochsDone: last.trainerState.epochsDone,
      bestEpoch: last.trainerState.bestEpoch,
    });
    assertEquals(last.trainerState.epochsDone, trained.epochs);
    const { batch } = evaluationBatches(trained.data.split, "test", 8)[0];
    const before = await readAndDispose(trained.model.scoreLast(batch));
    trained.model.dispose();
    const loaded = await cellModel(plan, cell, { resultsDir, train: false, data: trained.data });
    assertEquals(loaded.source, "checkpoint");
    assertEquals(loaded.checkpoint, trained.checkpoint);
    assertEquals(loaded.epochs, trained.epochs);
    const after = await readAndDispose(loaded.model.scoreLast(batch));
    loaded.model.dispose();
    assertEquals(Array.from(after), Array.from(before));
    // Kept without a record of its training (neither the last epoch's checkpoint nor the
    // training file): it still loads, and how long it trained is unknown, not 0.
    const directory = cellModelDir(resultsDir, cell);
    for (const entry of Deno.readDirSync(directory)) {
      if (!entry.name.startsWith("best")) Deno.removeSync(`${directory}/${entry.name}`);
    }
    const bare = await cellModel(plan, cell, { resultsDir, train: false, data: trained.data });
    bare.model.dispose();
    assertEquals([bare.source, bare.epochs], ["checkpoint", NaN]);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runPlan keeps the best model of a first-seed neural cell; cellModel loads it (same scores as training it)", async () => {
  const plan = planExperiments("quick");
  const cell = plan.cells.find((c) =>
    c.dataset.kind === "synthetic" && c.systemName === "SASRec-ID" && c.seed === plan.seeds[0]
  )!;
  const other = plan.cells.find((c) =>
    c.dataset.kind === "synthetic" && c.systemName === "SASRec-ID" && c.seed !== plan.seeds[0]
  )!;
  const ranDir = Deno.makeTempDirSync();
  const trainedDir = Deno.makeTempDirSync();
  try {
    const [result] = (await runPlan({ ...plan, cells: [cell, other] }, {
      resultsDir: ranDir,
      log: () => {},
    })).cells;
    assertEquals([...Deno.readDirSync(`${ranDir}/checkpoints`)].length, 0);
    assertEquals(
      [...Deno.readDirSync(`${ranDir}/models`)].map((entry) => entry.name),
      [cellModelDir(ranDir, cell).split("/").pop()],
      "only the first seed's cell keeps its model",
    );
    const kept = await cellModel(plan, cell, { resultsDir: ranDir, train: false });
    assertEquals(kept.source, "checkpoint");
    assertEquals(kept.epochs, result.epochsRun);
    const trained = await cellModel(plan, cell, {
      resultsDir: trainedDir,
      train: true,
      onProgress: () => {},
      data: kept.data,
    });
    const { batch } = evaluationBatches(kept.data.split, "test", 8)[0];
    const fromKept = await readAndDispose(kept.model.scoreLast(batch));
    const fromTraining = await readAndDispose(trained.model.scoreLast(batch));
    kept.model.dispose();
    trained.model.dispose();
    assertEquals(Array.from(fromKept), Array.from(fromTraining));
  } finally {
    Deno.removeSync(ranDir, { recursive: true });
    Deno.removeSync(trainedDir, { recursive: true });
  }
});
