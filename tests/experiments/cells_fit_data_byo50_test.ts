/**
 * checkCellsFitData (lib/experiments/cells_fit_check.ts) refuses, before the first cell of a
 * plan trains, every cell of an imported dataset that its own trainer hooks would refuse when it
 * started: a CL4SRec cell, or a Demure one with noiseViewAsNegative false, whose epoch leaves a
 * batch of 1 row (no negative), and an attributing Demure cell with a user whose history fills
 * more windows than the mask cache keys. Before, the plan checked Demure's warm-ups only, and each
 * such cell failed when it started, after the cells before it had trained.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { type FileDatasetSpec, prepareDataset } from "../../lib/experiments/datasets.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import { buildCellModel } from "../../lib/experiments/run_cell.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { checkCellsFitData } from "../../lib/experiments/cells_fit_check.ts";
import { resolveTrainerConfig } from "../../lib/train/config.ts";
import { trainingBudget } from "../../lib/train/trainer.ts";
import { SettingError } from "../../lib/util/settings.ts";

await initBackend({ verbose: false });

// 48 users with histories shorter than a window: 48 training rows an epoch.
const tiny: FileDatasetSpec = {
  kind: "file",
  path: new URL("../fixtures/byo/tiny", import.meta.url).pathname,
  format: "recbole",
};
/** Batches of 47 of the fixture's 48 rows: the second batch holds 1 row. */
const leavesOneRow = { batchSize: 47 };

/** The error `run` throws (undefined when it throws none). */
async function refusalOf(run: () => Promise<unknown>): Promise<Error | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

/** What the cell's own hooks (as runCell builds them) throw before the first step, if anything. */
function hooksRefusal(cell: PlannedCell, data: Awaited<ReturnType<typeof prepareDataset>>) {
  const { model, hooks } = buildCellModel(data, cell.system, {
    seed: cell.seed,
    model: cell.model,
  });
  try {
    const trainer = resolveTrainerConfig({ ...cell.training, seed: cell.seed });
    hooks.checkTrainerConfig?.(trainer, trainingBudget(data.split, trainer));
    return undefined;
  } catch (error) {
    return error as Error;
  } finally {
    model.dispose();
  }
}

Deno.test("the fixture's epoch is 48 rows: batches of 47 leave a batch of 1 row", async () => {
  const data = await prepareDataset(tiny);
  const trainer = resolveTrainerConfig({ ...leavesOneRow, maxBatchesPerEpoch: 3 });
  const budget = trainingBudget(data.split, trainer);
  assertEquals([budget.rowsPerEpoch, budget.smallestBatchRows], [48, 1]);
});

Deno.test("a plan on imported data whose CL4SRec cell would train a batch of 1 row is refused before any cell trains", async () => {
  const plan = planExperiments("quick", [0], { dataset: tiny, datasetTraining: leavesOneRow });
  const first = plan.cells.findIndex((cell) => cell.systemName === "CL4SRec-MM");
  assert(first > 0, "cells that train come before it");
  const resultsDir = Deno.makeTempDirSync({ prefix: "cells_fit_byo50_" });
  const lines: string[] = [];
  let epochs = 0;
  try {
    const error = await assertRejects(
      () => runPlan(plan, { resultsDir, log: (line) => lines.push(line), onEpoch: () => epochs++ }),
      SettingError,
    ) as SettingError;
    // The setting, its value, the sizes that work, the cell and the dataset.
    assertEquals(error.setting, "TrainerConfig.batchSize");
    assertEquals(error.value, 47);
    assertStringIncludes(
      error.message,
      "TrainerConfig.batchSize is 47; allowed: an integer >= 2 that leaves none or at least 2 " +
        "of the epoch's 48 training rows (users' windows) over after full batches (the " +
        "nearest: 46 or 48); CL4SRec's contrastive loss",
    );
    assert(error.message.endsWith("; cell quick/tiny/CL4SRec-MM/seed=0 on tiny"), error.message);
    assertEquals(epochs, 0, "no cell trained");
    assert(!lines.some((line) => line.includes("reproduction:")), lines.join("\n"));
    assertEquals([...Deno.readDirSync(resultsDir)], [], "nothing written");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("the plan's refusal of each cell is the one its own trainer hooks give (one home of the rules)", async () => {
  const data = await prepareDataset(tiny);
  const plans = [
    planExperiments("quick", [0], { dataset: tiny, datasetTraining: leavesOneRow }),
    planExperiments("quick", [0], {
      dataset: tiny,
      datasetTraining: leavesOneRow,
      demure: { noiseViewAsNegative: false },
    }),
    planExperiments("quick", [0], { dataset: tiny, datasetTraining: { maxEpochs: 1 } }),
    planExperiments("quick", [0], { dataset: tiny }),
  ];
  const refused = new Set<string>();
  for (const plan of plans) {
    for (const cell of plan.cells.filter((c) => c.system.kind === "neural")) {
      const own = hooksRefusal(cell, data);
      const planned = await refusalOf(() => checkCellsFitData([cell], () => Promise.resolve(data)));
      assertEquals(
        planned?.message,
        own && `${own.message}; cell ${cell.key} on tiny`,
        `${cell.key} ${JSON.stringify(cell.system)}`,
      );
      if (own) refused.add(`${(own as SettingError).setting} ${cell.systemName}`);
    }
  }
  // Every kind of refusal met, and the variants without a contrastive term (AttributionOnly,
  // RandomInputMasks) never refused for a batch of 1 row.
  assertEquals([...refused].sort(), [
    "DemureConfig.warmupSteps AttributionOnly-SASRec",
    "DemureConfig.warmupSteps ContrastiveOnly-SASRec",
    "DemureConfig.warmupSteps Demure-SASRec",
    "DemureConfig.warmupSteps RandomInputMasks-SASRec",
    "TrainerConfig.batchSize CL4SRec-MM",
    "TrainerConfig.batchSize ContrastiveOnly-SASRec",
    "TrainerConfig.batchSize Demure-SASRec",
  ]);
});

Deno.test("Demure with noiseViewAsNegative false: refused on a batch of 1 row, naming the cell and the way out", async () => {
  const plan = planExperiments("quick", [0], {
    dataset: tiny,
    datasetTraining: leavesOneRow,
    demure: { noiseViewAsNegative: false },
  });
  const demureOnly = plan.cells.filter((cell) =>
    cell.system.kind === "neural" && cell.system.demure !== undefined
  );
  const data = await prepareDataset(tiny);
  const error = await assertRejects(
    () => checkCellsFitData(demureOnly, () => Promise.resolve(data)),
    SettingError,
  );
  assertStringIncludes(error.message, "TrainerConfig.batchSize is 47; allowed:");
  assertStringIncludes(
    error.message,
    "Demure's contrastive term with DemureConfig.noiseViewAsNegative false takes a row's " +
      "negatives from the other rows of its batch, which a batch of 1 row does not have; or set " +
      "noiseViewAsNegative true (the noise view is then every row's negative); cell " +
      "quick/tiny/Demure-SASRec/seed=0 on tiny",
  );
  // With the noise view as a negative (the default) every row has one: nothing refused.
  const withNoiseView = planExperiments("quick", [0], {
    dataset: tiny,
    datasetTraining: leavesOneRow,
  }).cells.filter((cell) => cell.system.kind === "neural" && cell.system.demure !== undefined);
  await checkCellsFitData(withNoiseView, () => Promise.resolve(data));
});

Deno.test("an attributing Demure cell with a history of more windows than its mask cache keys is refused up front", async () => {
  // One user of 51,300 items: 1,026 windows of 50 positions, above the 1,024 the cache keys.
  const folder = Deno.makeTempDirSync({ prefix: "cells_fit_byo50_long_" });
  try {
    const items = (count: number, from = 0) =>
      Array.from({ length: count }, (_, k) => `i${(from + k) % 20}`).join(" ");
    const users = Array.from({ length: 6 }, (_, u) => `u${u} ${items(6, u)}`);
    Deno.writeTextFileSync(`${folder}/long.txt`, [`heavy ${items(51_300)}`, ...users].join("\n"));
    const spec: FileDatasetSpec = { kind: "file", path: `${folder}/long.txt`, format: "sequence" };
    const data = await prepareDataset(spec);
    const datasetOf = () => Promise.resolve(data);
    const plan = planExperiments("quick", [0], { dataset: spec });
    const error = await assertRejects(() => checkCellsFitData(plan.cells, datasetOf), SettingError);
    assertEquals(
      error.message,
      'TrainerConfig.windows is "all"; allowed: "last", or a split with a longer ' +
        "SplitConfig.maxLength: Demure's noise masks are kept for at most 1024 windows of a " +
        "user's history, and one training history of this split fills 1026; cell " +
        "quick/long/Demure-SASRec/seed=0 on long",
    );
    // Random masks keep no cache: their cells are not refused for it.
    const randomMasks = plan.cells.filter((cell) =>
      cell.systemName === "ContrastiveOnly-SASRec" || cell.systemName === "RandomInputMasks-SASRec"
    );
    assertEquals(randomMasks.length, 2);
    await checkCellsFitData(randomMasks, datasetOf);
    // The way out it names: one window a user.
    const last = planExperiments("quick", [0], {
      dataset: spec,
      datasetTraining: { windows: "last" },
    });
    await checkCellsFitData(last.cells, datasetOf);
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});

Deno.test("the embedded datasets are not read, whatever the plan's Demure settings", async () => {
  for (
    const plan of [
      planExperiments("full"),
      planExperiments("quick", undefined, { demure: { noiseViewAsNegative: false } }),
    ]
  ) {
    assert(plan.cells.some((cell) => cell.systemName === "CL4SRec-MM"));
    await checkCellsFitData(plan.cells, (cell) => {
      throw new Error(`read ${cell.key}'s dataset`);
    });
  }
});
