/**
 * runPlan's choice of the next cell sees what other processes sharing the results folder did
 * between two choices (session 54): a cell they stored is not trained again, one they replaced with
 * other settings or removed is runnable again, a cell whose claim they gave up is taken, and a
 * cell that waited for a selection runs once the trials they stored settle it. The choice is served
 * from a cache of the cell files read (by inode, size and times): each of these must reach it.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { ExperimentPlan, PlannedCell } from "../../lib/experiments/plan_types.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { type CellOutcome, runPlan } from "../../lib/experiments/run_plan.ts";
import { OtherSettingsStoredError } from "../../lib/experiments/other_settings_guard.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { storedCellResult } from "./_cell_result.ts";
import { quickPlanWithoutTraining } from "./_quick_plan_without_training.ts";

await initBackend({ verbose: false });

/** A validation NDCG@10 no trained cell reaches: marks a record another process wrote. */
const ELSEWHERE = 0.777;

/**
 * Runs `plan` in a fresh results folder where another process (a second store over the folder)
 * first does `before`, then `between` once this one is done with its first cell (finished, or
 * skipped as held). The cells this process finished (by key, in order) and the folder's store, for
 * the checks; the folder is removed after `check`.
 */
async function runBesideAnother(
  plan: ExperimentPlan,
  steps: {
    before?: (elsewhere: ResultStore) => void;
    between: (elsewhere: ResultStore) => void;
    options?: { replaceOtherSettings?: boolean; order?: string[]; waitForOthers?: boolean };
  },
  check: (finishedHere: string[], store: ResultStore) => void,
): Promise<void> {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const elsewhere = new ResultStore(cellsDirectory(resultsDir));
    steps.before?.(elsewhere);
    const finishedHere: string[] = [];
    let done = 0;
    await runPlan(plan, {
      resultsDir,
      log: () => {},
      waitSeconds: 0.01,
      ...steps.options,
      onCellDone: (cell: PlannedCell, outcome: CellOutcome) => {
        if (outcome.kind === "finished") finishedHere.push(cell.key);
        else if (outcome.kind !== "held") throw new Error(`${cell.key}: ${outcome.line}`);
        if (++done === 1) steps.between(elsewhere);
      },
    });
    check(finishedHere, new ResultStore(cellsDirectory(resultsDir)));
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
}

/** The stored validation NDCG@10 of `cell` with `plan`'s settings (undefined: not finished). */
function storedValid(store: ResultStore, plan: ExperimentPlan, cell: PlannedCell) {
  return store.get<CellResult>(cell.key, settingsOf(plan, cell))?.valid["NDCG@10"];
}

Deno.test("runPlan: a cell another process stores between two choices is not trained again", async () => {
  const plan = quickPlanWithoutTraining();
  const [first, second] = plan.cells;
  await runBesideAnother(plan, {
    between: (elsewhere) =>
      elsewhere.put(second.key, settingsOf(plan, second), storedCellResult(ELSEWHERE)),
  }, (finishedHere, store) => {
    assertEquals(finishedHere, [first.key]);
    assertEquals(storedValid(store, plan, second), ELSEWHERE);
  });
});

Deno.test("runPlan: a finished cell another process replaces with other settings between two choices is trained again", async () => {
  const plan = quickPlanWithoutTraining();
  const [first, second] = plan.cells;
  const other = { ...settingsOf(plan, second), seed: second.seed + 99 };
  await runBesideAnother(plan, {
    // Finished when the first choice looks: not runnable then.
    before: (elsewhere) =>
      elsewhere.put(second.key, settingsOf(plan, second), storedCellResult(ELSEWHERE)),
    between: (elsewhere) => elsewhere.put(second.key, other, storedCellResult(ELSEWHERE)),
    options: { replaceOtherSettings: true },
  }, (finishedHere, store) => {
    assertEquals(finishedHere, [first.key, second.key]);
    assertEquals(store.storedSettings(second.key), settingsOf(plan, second));
  });
});

Deno.test("runPlan: a finished cell replaced with other settings between two choices is refused without replaceOtherSettings", async () => {
  const plan = quickPlanWithoutTraining();
  const second = plan.cells[1];
  const other = { ...settingsOf(plan, second), seed: second.seed + 99 };
  const error = await assertRejects(() =>
    runBesideAnother(plan, {
      before: (elsewhere) =>
        elsewhere.put(second.key, settingsOf(plan, second), storedCellResult(ELSEWHERE)),
      between: (elsewhere) => elsewhere.put(second.key, other, storedCellResult(ELSEWHERE)),
    }, () => {}), OtherSettingsStoredError);
  assertEquals((error as OtherSettingsStoredError).keys, [second.key]);
});

Deno.test("runPlan: a finished cell whose file is removed between two choices is trained again", async () => {
  const plan = quickPlanWithoutTraining();
  const [first, second] = plan.cells;
  await runBesideAnother(plan, {
    before: (elsewhere) =>
      elsewhere.put(second.key, settingsOf(plan, second), storedCellResult(ELSEWHERE)),
    between: (elsewhere) => Deno.removeSync(elsewhere.pathOf(second.key)),
  }, (finishedHere, store) => {
    assertEquals(finishedHere, [first.key, second.key]);
    assertEquals(storedValid(store, plan, second) === ELSEWHERE, false);
  });
});

Deno.test("runPlan: a finished cell whose file another process rewrites unchanged between two choices is not trained again", async () => {
  const plan = quickPlanWithoutTraining();
  const [first, second] = plan.cells;
  const write = (elsewhere: ResultStore) =>
    elsewhere.put(second.key, settingsOf(plan, second), storedCellResult(ELSEWHERE));
  await runBesideAnother(plan, { before: write, between: write }, (finishedHere, store) => {
    assertEquals(finishedHere, [first.key]);
    assertEquals(storedValid(store, plan, second), ELSEWHERE);
  });
});

Deno.test("runPlan: a cell whose claim another process gives up after this one skipped it is taken", async () => {
  const plan = quickPlanWithoutTraining();
  const [first, second] = plan.cells;
  await runBesideAnother(plan, {
    // Held by a live process (pid 1 of this host) when the run starts: skipped ...
    before: (elsewhere) =>
      Deno.writeTextFileSync(
        elsewhere.claimPathOf(first.key),
        JSON.stringify({ pid: 1, hostname: Deno.hostname(), since: "now" }),
      ),
    // ... then given up unfinished: taken at the next poll.
    between: (elsewhere) => Deno.removeSync(elsewhere.claimPathOf(first.key)),
    options: { waitForOthers: true },
  }, (finishedHere, store) => {
    assertEquals(finishedHere, [second.key, first.key]);
    assertEquals(store.storedSettings(first.key), settingsOf(plan, first));
  });
});

Deno.test("runPlan: a cell held elsewhere that its holder stores after this one skipped it is not trained here", async () => {
  const plan = quickPlanWithoutTraining();
  const [first, second] = plan.cells;
  await runBesideAnother(plan, {
    before: (elsewhere) =>
      Deno.writeTextFileSync(
        elsewhere.claimPathOf(first.key),
        JSON.stringify({ pid: 1, hostname: Deno.hostname(), since: "now" }),
      ),
    between: (elsewhere) => {
      elsewhere.put(first.key, settingsOf(plan, first), storedCellResult(ELSEWHERE));
      Deno.removeSync(elsewhere.claimPathOf(first.key));
    },
    options: { waitForOthers: true },
  }, (finishedHere, store) => {
    assertEquals(finishedHere, [second.key]);
    assertEquals(storedValid(store, plan, first), ELSEWHERE);
  });
});

Deno.test("runPlan: a cell that waits for a selection runs here once another process stores its trials", async () => {
  const full = planExperiments("quick");
  const pop = full.cells.find((c) => c.dataset.kind === "synthetic" && c.systemName === "Pop")!;
  const waiting = full.cells.find((c) =>
    c.dataset.kind === "synthetic" && c.systemKey === "SASRec-MM" && !c.trial && c.seed === 1
  )!;
  const trials = full.cells.filter((c) =>
    c.trial !== undefined && waiting.waitsFor?.includes(c.trial.selection)
  );
  assertEquals([waiting.waitsFor?.length, trials.length], [1, 2]);
  assertEquals(trials.some((trial) => trial.waitsFor !== undefined), false);
  const plan = { ...full, cells: [pop, waiting] };
  await runBesideAnother(plan, {
    // Seed 1: no trial ran it (the trials run seed 0), so it trains here.
    between: (elsewhere) =>
      trials.forEach((trial, index) =>
        elsewhere.put(trial.key, settingsOf(full, trial), storedCellResult(0.1 + 0.1 * index))
      ),
    options: { order: [pop.key] },
  }, (finishedHere) => {
    assertEquals(finishedHere, [pop.key, waiting.key]);
  });
});
