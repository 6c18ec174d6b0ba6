/**
 * runPlan's choice of the next cell (lib/experiments/run_plan.ts, _finished_cell_texts.ts) and its
 * refusal of cells stored with other settings (other_settings_guard.ts), pinned where mutation
 * round 54 found no test: the refusal after several cells says how many this run finished, in the
 * plural, and one after none (its first cell held elsewhere) that nothing was trained or written; a cell file holding another key's record is the store's error, not a finished cell; a
 * file of other settings is parsed once while it stays unchanged; a refusal re-said for another
 * caller (`withWayOut`) keeps what the run did before; made without it (the exported class), it
 * says nothing was trained or written; a cell that failed is not chosen again in the same run.
 */
import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { cellsDirectory, isFinished, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { FinishedCellTexts } from "../../lib/experiments/_finished_cell_texts.ts";
import {
  OtherSettingsStoredError,
  withWayOut,
} from "../../lib/experiments/other_settings_guard.ts";
import { storedCellResult } from "./_cell_result.ts";
import { quickPlanWithoutTraining } from "./_quick_plan_without_training.ts";
import {
  claimForLiveProcess,
  runBesideAnother,
  storeTrials,
  waitingCellAndTrials,
} from "./_run_beside_another.ts";

await initBackend({ verbose: false });

Deno.test("runPlan: a refusal after two cells this run finished says so in the plural", async () => {
  const full = planExperiments("quick");
  const [pop, other] = full.cells.filter((c) =>
    c.dataset.kind === "synthetic" && c.system.kind !== "neural" && !c.trial
  );
  const { waiting, trials } = waitingCellAndTrials(full);
  const error = await assertRejects(
    () =>
      runBesideAnother({ ...full, cells: [pop, other, waiting] }, {
        // Its key stored with other settings: unknown to the start's guard (its selection open).
        before: (elsewhere) => elsewhere.put(waiting.key, { seed: 99 }, storedCellResult(0.5)),
        between: (elsewhere) => storeTrials(elsewhere, full, trials),
        options: { order: [pop.key, other.key] },
      }, () => {}),
    OtherSettingsStoredError,
  ) as OtherSettingsStoredError;
  assertEquals(error.keys, [waiting.key]);
  assertEquals(
    error.message.endsWith(
      "Nothing more was trained or written: the 2 cells this run finished before stay stored",
    ),
    true,
    error.message,
  );
});

Deno.test("runPlan: a refusal when this run finished no cell (its first held elsewhere) says nothing was trained or written", async () => {
  const full = planExperiments("quick");
  const pop = full.cells.find((c) => c.dataset.kind === "synthetic" && c.systemName === "Pop")!;
  const { waiting, trials } = waitingCellAndTrials(full);
  const error = await assertRejects(
    () =>
      runBesideAnother({ ...full, cells: [pop, waiting] }, {
        before: (elsewhere) => {
          elsewhere.put(waiting.key, { seed: 99 }, storedCellResult(0.5));
          // Held by a live process (pid 1 of this host): skipped here.
          claimForLiveProcess(elsewhere, pop.key);
        },
        between: (elsewhere) => storeTrials(elsewhere, full, trials),
        options: { order: [pop.key] },
      }, () => {}),
    OtherSettingsStoredError,
  ) as OtherSettingsStoredError;
  assertEquals(error.keys, [waiting.key]);
  assertEquals(error.message.endsWith(". Nothing was trained or written"), true, error.message);
});

Deno.test("FinishedCellTexts: a cell file holding another key's record is the store's error, not a finished cell", () => {
  const plan = quickPlanWithoutTraining();
  const [cell, other] = plan.cells;
  const directory = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(directory);
    // A record of another cell, with this cell's settings and a whole result, copied over its file.
    Deno.writeTextFileSync(
      store.pathOf(cell.key),
      JSON.stringify({
        key: other.key,
        settings: settingsOf(plan, cell),
        result: storedCellResult(),
      }),
    );
    const expected = assertThrows(() => isFinished(store, plan, cell)).message;
    const finished = new FinishedCellTexts(store);
    assertEquals(assertThrows(() => finished.isFinished(plan, cell)).message, expected);
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});

Deno.test("FinishedCellTexts parses a file of other settings once while it stays unchanged", () => {
  const plan = quickPlanWithoutTraining();
  const [cell] = plan.cells;
  const directory = Deno.makeTempDirSync();
  const parse = JSON.parse;
  try {
    const store = new ResultStore(directory);
    store.put(cell.key, { ...settingsOf(plan, cell), seed: cell.seed + 1 }, storedCellResult());
    const finished = new FinishedCellTexts(store);
    let parses = 0;
    JSON.parse = (text: string, reviver?: never) => (parses++, parse(text, reviver));
    const asked = [0, 1, 2].map(() => finished.isFinished(plan, cell));
    JSON.parse = parse;
    assertEquals([asked, parses], [[false, false, false], 1]);
  } finally {
    JSON.parse = parse;
    Deno.removeSync(directory, { recursive: true });
  }
});

Deno.test("withWayOut re-says a refusal with another way out, keeping its keys, what was found and what the run did", () => {
  const refused = new OtherSettingsStoredError(
    "/r",
    ["a", "b"],
    "/r: 2 of the cells this plan would train are stored there with other settings: a, b",
    "Pass replaceOtherSettings: true to runPlan",
    "Nothing more was trained or written: the cell this run finished before stays stored",
  );
  const again = withWayOut(refused, "Pass replaceOtherSettings: true to ensureCells");
  assertEquals([again.resultsDir, again.keys, again.found, again.done], [
    refused.resultsDir,
    refused.keys,
    refused.found,
    refused.done,
  ]);
  assertEquals(
    again.message,
    `${refused.found}. Training them would replace those finished results. ` +
      "Pass replaceOtherSettings: true to ensureCells. " +
      "Nothing more was trained or written: the cell this run finished before stays stored",
  );
});

Deno.test("OtherSettingsStoredError made without what the run did says nothing was trained or written", () => {
  const refused = new OtherSettingsStoredError("/r", ["a"], "/r: 1 cell", "Pass the option");
  assertEquals(refused.done, "Nothing was trained or written");
  assertEquals(
    refused.message,
    "/r: 1 cell. Training them would replace those finished results. Pass the option. " +
      "Nothing was trained or written",
  );
});

Deno.test("runPlan with continueOnFailure chooses a failed cell once, not again in the same run", async () => {
  const plan = quickPlanWithoutTraining();
  const resultsDir = Deno.makeTempDirSync();
  try {
    const [bad] = plan.cells;
    // An empty claim file: the cell's claim cannot be taken, so the cell fails.
    Deno.writeTextFileSync(new ResultStore(cellsDirectory(resultsDir)).claimPathOf(bad.key), "");
    const reported = new Map<string, number>();
    const outcome = await runPlan(plan, {
      resultsDir,
      log: () => {},
      continueOnFailure: true,
      onCellDone: (cell) => {
        const times = (reported.get(cell.key) ?? 0) + 1;
        reported.set(cell.key, times);
        // Chosen again, it would fail again without end: stop at the second report.
        if (times > 1) throw new Error(`${cell.key} chosen again after its outcome`);
      },
    });
    assertEquals(outcome.failed.map((f) => f.key), [bad.key]);
    assertEquals(reported.get(bad.key), 1);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
