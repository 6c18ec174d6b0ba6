/**
 * The runner's handling of a diverged training: a selection trial that diverges is stored as
 * diverged (so it is not rerun) and left out of the selection, which picks another trial; any
 * other cell's divergence fails. The divergence is the trainer's own, at a learning rate no trial
 * of the plan has: the cell's run (`runClaimedCell`) takes its training as a parameter.
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { type CellTraining, runClaimedCell } from "../../lib/experiments/_claimed_cell.ts";
import { checkCellResult } from "../../lib/experiments/cell_result_check.ts";
import { prepareDataset, type PreparedDataset } from "../../lib/experiments/datasets.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { runPlan, runPlannedCell } from "../../lib/experiments/run_plan.ts";
import { readSelected } from "../../lib/experiments/selection.ts";
import { cellsDirectory, selectedPath, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { DEFAULT_ADAM_CONFIG } from "../../lib/train/adam.ts";
import { TrainingDivergedError } from "../../lib/train/config.ts";

await initBackend({ verbose: false });

/** The plan's training of a cell, at the highest learning rate Adam accepts: the loss explodes. */
const divergingTraining: CellTraining = (plan, cell, data, onProgress, resultsDir) => {
  const optimizer = { ...DEFAULT_ADAM_CONFIG, ...cell.training.optimizer, learningRate: 10 };
  const diverging = { ...cell, training: { ...cell.training, optimizer } };
  return runPlannedCell(plan, diverging, data, onProgress, resultsDir);
};

Deno.test("runner: a diverged trial is stored, not rerun and left out of the selection; a diverged seed fails", async () => {
  const plan = planExperiments("quick");
  const label = plan.cells.find((c) => c.dataset.kind === "synthetic")!.datasetLabel;
  const onLabel = plan.cells.filter((c) => c.datasetLabel === label);
  const trials = onLabel.filter((c) => c.trial?.selection === `${label}/SASRec-MM`);
  const [diverging, ...others] = trials;
  const waiting = onLabel.find((c) =>
    c.systemName === "SASRec-MM" && !c.trial && c.seed !== plan.seeds[0]
  )!;
  const seed = onLabel.find((c) => c.systemName === "SASRec-ID" && !c.trial && !c.waitsFor)!;
  assert(others.length >= 1 && waiting.waitsFor !== undefined && seed !== undefined);
  const resultsDir = Deno.makeTempDirSync();
  const store = new ResultStore(cellsDirectory(resultsDir));
  const datasets = new Map<string, PreparedDataset>();
  const lines: string[] = [];
  const context = {
    store,
    datasetOf: async (cell: PlannedCell) => {
      const prepared = datasets.get(label) ?? await prepareDataset(cell.dataset);
      datasets.set(label, prepared);
      return prepared;
    },
    train: divergingTraining,
    onEpoch: () => {},
    log: (line: string) => lines.push(line),
    resultsDir,
  };
  /** Runs `cell` under its claim, as `runPlan` does. */
  const runClaimed = async (cell: PlannedCell): Promise<CellResult | undefined> => {
    assertEquals(store.claim(cell.key), undefined);
    try {
      return await runClaimedCell(plan, cell, context);
    } finally {
      store.release(cell.key);
    }
  };
  const stored = (cell: PlannedCell) =>
    store.get(cell.key, settingsOf(plan, cell), checkCellResult);
  try {
    // A seed of the main table that diverges fails: nothing is stored, a rerun trains it again.
    await assertRejects(() => runClaimed(seed), TrainingDivergedError);
    assertEquals(stored(seed), undefined);

    // The trial diverges in the trainer: its record, stored, reads back as a finished cell.
    const result = await runClaimed(diverging);
    const record = stored(diverging);
    assert(record !== undefined, "the diverged trial's record is stored and reads back");
    assertEquals(record, JSON.parse(JSON.stringify(result)));
    assert(record.diverged !== undefined && record.diverged.length > 0, "it is marked diverged");
    assertEquals(record.valid["NDCG@10"], 0);
    assert(
      lines.some((line) => line.startsWith(`${diverging.key}: diverged (${record.diverged})`)),
      lines.join("\n"),
    );

    // A run of the plan afterwards trains the other trials, not the diverged one, selects among
    // them, and the seed that waited for the selection runs with the choice.
    const runLines: string[] = [];
    const outcome = await runPlan({ ...plan, cells: [...trials, waiting] }, {
      resultsDir,
      datasets,
      log: (line) => runLines.push(line),
      onEpoch: () => {},
    });
    const ran = runLines.flatMap((line) => /^\[\d+\/\d+\] (\S+):/.exec(line)?.slice(1) ?? []);
    assertEquals(ran, [...others.map((c) => c.key), waiting.key]);
    assertEquals(outcome.pending, []);
    assertEquals(outcome.byKey.get(diverging.key)?.diverged, record.diverged);
    const chosen = readSelected(selectedPath(resultsDir))[label]["SASRec-MM"];
    const picked = others.find((c) => c.trial!.index === chosen.trial);
    assert(picked !== undefined, `trial ${chosen.trial} chosen, not the diverged one`);
    assertEquals(chosen.valid, outcome.byKey.get(picked.key)!.valid["NDCG@10"]);
    assertEquals(chosen.trials, trials.length);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
