/**
 * A notebook's live line and runPlan's finished line give a cell one number, and the live line
 * says how much of the cell's own patience is used (session 51: the live line numbered models
 * trained, the finished line finished cells, so after Pop and ItemKNN a model trained as [1]
 * finished as [3]; and the epoch bar ran to the cap, which early stopping never reaches).
 * A real runPlan on the imported fixture, its display recorded as the kernel keeps it.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { cellsProgress } from "../../lib/notebook/mod.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { fixtureQuickPlan } from "../experiments/_fixture_quick_plan.ts";
import { shownTexts } from "./_shown_texts.ts";

await initBackend({ verbose: false });

Deno.test("a notebook numbers a training cell as runPlan's finished line does, with the cell's patience", async () => {
  const names = ["Pop", "ItemKNN", "SASRec-ID"];
  const small = fixtureQuickPlan(names);
  // The two cells that train no model come first: they are what made the two counts differ.
  assertEquals(small.cells.map((c) => c.systemName), names);
  const model = small.cells[2];
  // The plan's patience for this dataset, not the trainer's default (4): the line reads the cell's.
  assertEquals(model.training.patience, 3);
  const { shown, api } = shownTexts();
  const progress = cellsProgress(api);
  const logged: string[] = [];
  const resultsDir = Deno.makeTempDirSync({ prefix: "live_cell_number51_" });
  try {
    await runPlan(small, {
      resultsDir,
      log: (line) => {
        logged.push(line);
        progress.log(line);
      },
      onEpoch: progress.onEpoch,
      onCellDone: progress.onCellDone,
    });
    await progress.done();
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
  const finished = logged.find((line) => line.includes(`] ${model.key}: `))!;
  assert(finished.startsWith(`[3/3] ${model.key}: `), finished);
  const live = shown.map((state) => state.split("\n")[0]).filter((line) =>
    line.includes(`${model.key} epoch `)
  );
  // Each epoch's line shows again under each line runPlan logs meanwhile: the same line.
  for (const line of live) {
    assert(line.startsWith(`[3/3] ${model.key} epoch `), line);
    assertStringIncludes(line, " of at most 3 loss=");
    assertStringIncludes(line, " of 3 validations of patience without a better NDCG@10; ");
  }
  const epochs = new Set(live.map((line) => line.split(" of at most")[0]));
  assertEquals(epochs.size, model.training.maxEpochs, [...epochs].join("; "));
});
