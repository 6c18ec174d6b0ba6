/**
 * Tests written for the mutants of the plan runner (`run_plan.ts`) and its guard of other settings
 * (`other_settings_guard.ts`) that the earlier tests let through (session 52's mutation pass): each
 * fails on the mutant named in its comment and passes on the code as it is.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { ExperimentPlan, PlannedCell } from "../../lib/experiments/plan_types.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { cellsDirectory, selectedPath, settingsOf } from "../../lib/experiments/stored_cells.ts";
import {
  cellsStoredWithOtherSettings,
  checkNoOtherSettingsReplaced,
  differingSettings,
  OtherSettingsStoredError,
} from "../../lib/experiments/other_settings_guard.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { storedCellResult } from "./_cell_result.ts";
import { inTempDir } from "./_in_temp_dir.ts";
import { quickPlanWithoutTraining } from "./_quick_plan_without_training.ts";
import { runWithClaimLocksRefused } from "./_claim_locks_refused.ts";

/** The quick plan at seed 0, its first runnable cells, and a store over `resultsDir`. */
function planAndStore(resultsDir: string) {
  const plan = planExperiments("quick", [0]);
  const runnable = plan.cells.filter((cell) => !cell.waitsFor);
  return { plan, runnable, store: new ResultStore(cellsDirectory(resultsDir)) };
}

Deno.test(
  "checkNoOtherSettingsReplaced: exactly three cells of other settings are all named, with no 'more'",
  inTempDir((resultsDir) => {
    // Mutant: `keys.length >= KEYS_NAMED` said "and 0 more" after the three keys it named.
    const { plan, runnable, store } = planAndStore(resultsDir);
    const three = runnable.slice(0, 3);
    for (const cell of three) {
      store.put(cell.key, { ...settingsOf(plan, cell), seed: 99 }, storedCellResult());
    }
    let error: unknown;
    try {
      checkNoOtherSettingsReplaced(plan, plan.cells, store, resultsDir);
    } catch (caught) {
      error = caught;
    }
    assert(error instanceof OtherSettingsStoredError, `${error}`);
    assertEquals(error.keys, three.map((cell) => cell.key));
    assertStringIncludes(error.message, `${resultsDir}: 3 of the cells this plan would train are`);
    assertStringIncludes(error.message, `other settings: ${three.map((c) => c.key).join(", ")} (`);
    assertEquals(error.message.includes("more"), false, error.message);
    // A fourth is counted, not named.
    const fourth = runnable[3];
    store.put(fourth.key, { ...settingsOf(plan, fourth), seed: 99 }, storedCellResult());
    try {
      checkNoOtherSettingsReplaced(plan, plan.cells, store, resultsDir);
    } catch (caught) {
      error = caught;
    }
    assert(error instanceof OtherSettingsStoredError);
    assertStringIncludes(error.message, `${three.map((c) => c.key).join(", ")}, and 1 more (`);
  }),
);

Deno.test(
  "checkNoOtherSettingsReplaced: a cell still waiting for its selection, stored under its key, is not refused",
  inTempDir((resultsDir) => {
    // A record left from an earlier choice that a stale selection dropped: the cell waits, so runPlan
    // would not train it now; refusing it stopped a resumed run that replaced nothing. Mutant: the
    // `!cell.waitsFor` of cellsStoredWithOtherSettings dropped.
    const { plan, store } = planAndStore(resultsDir);
    const waiting = plan.cells.find((cell) => cell.waitsFor)!;
    store.put(waiting.key, { ...settingsOf(plan, waiting), seed: 99 }, storedCellResult());
    checkNoOtherSettingsReplaced(plan, plan.cells, store, resultsDir);
  }),
);

Deno.test("runPlan: an order list holding a non-key (a number) is refused before anything is written", async () => {
  // Mutant: `order.every(...)` read as `order.some(...)` took ["a key", 3] as a list of keys.
  const parent = await Deno.makeTempDir({ prefix: "run_plan_mutants52_" });
  const resultsDir = `${parent}/results`;
  try {
    const plan = { ...planExperiments("quick"), cells: [] };
    const error = await assertRejects(() =>
      runPlan(plan, {
        resultsDir,
        log: () => {},
        order: ["quick/Synthetic/Pop/seed=0", 3],
      } as never)
    );
    assert(error instanceof SettingError, `${error}`);
    assertStringIncludes(error.message, "RunPlanOptions.order");
    assertEquals(
      (() => {
        try {
          Deno.statSync(resultsDir);
          return true;
        } catch {
          return false;
        }
      })(),
      false,
    );
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

/**
 * The quick plan cut to the multi-modal SASRec's synthetic main cell at seed 0, which waits for its
 * selection (runPlan adds the selection's two trials), with the trials of the full plan.
 */
function waitingMainCell() {
  const full = planExperiments("quick", [0]);
  const main = full.cells.find((cell) =>
    cell.systemKey === "SASRec-MM" && cell.dataset.kind === "synthetic" &&
    cell.experiments.includes("main") && cell.waitsFor !== undefined
  )!;
  const trials = full.cells.filter((cell) => cell.trial?.selection === main.waitsFor![0]);
  assertEquals(trials.length, 2);
  return { plan: { ...full, cells: [main] }, full, main, trials };
}

/** Stores the trials' records as another process would (trial 1 the better one). */
function storeTrials(store: ResultStore, full: ExperimentPlan, trials: PlannedCell[]): void {
  for (const trial of trials) {
    store.put(
      trial.key,
      settingsOf(full, trial),
      storedCellResult(0.1 + 0.01 * trial.trial!.index),
    );
  }
}

/** Whether `path` exists. */
function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test(
  "runPlan: a cell its stored trials release is guarded before selected.json is written",
  inTempDir(async (resultsDir) => {
    // Mutant: the first guard on the plan as given (its cells waiting) in place of the selection
    // that the stored trials settle: selected.json was written before the refusal.
    const { plan, full, main, trials } = waitingMainCell();
    const store = new ResultStore(cellsDirectory(resultsDir));
    storeTrials(store, full, trials);
    store.put(main.key, { ...settingsOf(full, main), seed: 99 }, storedCellResult(0.5));
    const error = await assertRejects(
      () => runPlan(plan, { resultsDir, log: () => {} }),
      OtherSettingsStoredError,
    );
    assertEquals((error as OtherSettingsStoredError).keys, [main.key]);
    assertEquals(exists(selectedPath(resultsDir)), false);
    assertEquals(store.storedSettings(main.key), { ...settingsOf(full, main), seed: 99 });
  }),
);

Deno.test(
  "runPlan: a cell released by trials another process finished during the run is guarded before it runs",
  inTempDir(async (resultsDir) => {
    // The trials are stored once the run has started (right after its opening line): the cell they
    // release is checked at its turn, and its record of other settings stays. Mutant: the guard in
    // the loop dropped: the cell was copied from the chosen trial over the stored record.
    const { plan, full, main, trials } = waitingMainCell();
    const store = new ResultStore(cellsDirectory(resultsDir));
    const other = { ...settingsOf(full, main), seed: 99 };
    store.put(main.key, other, storedCellResult(0.5));
    let opened = false;
    const error = await assertRejects(
      () =>
        runPlan(plan, {
          resultsDir,
          log: (line) => {
            if (!opened && line.startsWith("quick reproduction")) {
              opened = true;
              storeTrials(store, full, trials);
            }
          },
        }),
      OtherSettingsStoredError,
    );
    assert(opened);
    assertEquals((error as OtherSettingsStoredError).keys, [main.key]);
    assertEquals(store.storedSettings(main.key), other);
  }),
);

Deno.test(
  "runPlan: the opening line counts a cell released by the stored trials as planned, not waiting",
  inTempDir(async (resultsDir) => {
    // Mutant: the run started from the plan as given, not refreshed with the stored trials: the
    // released cell read as waiting, and a finished run's opening line said a cell was left.
    const { plan, full, trials } = waitingMainCell();
    storeTrials(new ResultStore(cellsDirectory(resultsDir)), full, trials);
    const first: string[] = [];
    const outcome = await runPlan(plan, { resultsDir, log: (line) => first.push(line) });
    assertEquals(outcome.pending, []);
    // Once selected, the cell needs its trials no more; it is the chosen trial's run: reused, so
    // nothing is left to train.
    assertStringIncludes(first.join("\n"), "1 cell planned, 0 already finished");
    assertStringIncludes(first.join("\n"), "the planned ones take about 0 s of training");
    assertEquals(first.join("\n").includes("more cells appear as selections finish"), false);
    const again: string[] = [];
    await runPlan(plan, { resultsDir, log: (line) => again.push(line) });
    assertStringIncludes(again.join("\n"), "1 cell planned, all 1 finished");
  }),
);

Deno.test(
  "runPlan: a selection another process settles after this one's last cell is in the plan it returns",
  inTempDir(async (resultsDir) => {
    // Both trials are held by a live process (pid 1), which stores them once this one has ended
    // its loop (at its closing line): the returned plan has the selection, and the cell it released
    // no longer waits. Mutant: the refresh before the return dropped: the plan returned had no
    // selection and the released cell still waiting.
    const { plan, full, main, trials } = waitingMainCell();
    const store = new ResultStore(cellsDirectory(resultsDir));
    for (const trial of trials) {
      Deno.writeTextFileSync(
        store.claimPathOf(trial.key),
        JSON.stringify({ pid: 1, hostname: Deno.hostname(), since: "now" }),
      );
    }
    const outcome = await runPlan(plan, {
      resultsDir,
      log: (line) => {
        if (line.startsWith("this process ran 0 cells")) storeTrials(store, full, trials);
      },
    });
    const released = outcome.plan.cells.find((cell) => cell.key === main.key)!;
    assertEquals(released.waitsFor, undefined);
    assertEquals(Object.keys(outcome.plan.selected[main.datasetLabel] ?? {}), ["SASRec-MM"]);
    assertEquals(outcome.pending, [main.key]);
    assertEquals(exists(selectedPath(resultsDir)), true);
  }),
);

Deno.test("differingSettings names a differing list as a whole, not item by item", () => {
  // Mutant: a list read as a record named its differing items ("modalities.1: ...").
  assertEquals(
    differingSettings({ modalities: ["image", "text"] }, { modalities: ["image", "audio"] }),
    ['modalities: ["image","text"] stored, ["image","audio"] planned'],
  );
});

Deno.test(
  "checkNoOtherSettingsReplaced: settings stored in another key order are the same run, finished and not refused",
  inTempDir((resultsDir) => {
    // The store compared settings as written, key order included, so a hand-edited record of the
    // same settings was refused as "other settings" naming no difference (and replaced with
    // replaceOtherSettings). Equal settings are equal in any key order.
    const { plan, runnable, store } = planAndStore(resultsDir);
    const cell = runnable[0];
    const settings = settingsOf(plan, cell);
    const reordered = Object.fromEntries(Object.entries(settings).reverse());
    assert(JSON.stringify(reordered) !== JSON.stringify(settings));
    store.put(cell.key, reordered, storedCellResult());
    assertEquals(cellsStoredWithOtherSettings(plan, plan.cells, store), []);
    checkNoOtherSettingsReplaced(plan, plan.cells, store, resultsDir);
    assertEquals(store.get(cell.key, settings), storedCellResult());
  }),
);

Deno.test("differingSettings cuts a value longer than 40 characters to 37 and an ellipsis", () => {
  // Mutant: the limit raised (40 -> 400) showed a whole list of item ids in the refusal.
  const long = "x".repeat(39); // 41 characters as JSON, with its quotes
  const fits = "y".repeat(38); // 40
  assertEquals(differingSettings({ a: long }, { a: fits }), [
    `a: "${"x".repeat(36)}... stored, "${fits}" planned`,
  ]);
});

Deno.test(
  "checkNoOtherSettingsReplaced: exactly three differing settings are all named, with no 'more'",
  inTempDir((resultsDir) => {
    // Mutant: `differences.length >= DIFFERENCES_NAMED` added "; 0 more" after the three named.
    const { plan, runnable, store } = planAndStore(resultsDir);
    const cell = runnable[0];
    const settings = settingsOf(plan, cell);
    store.put(
      cell.key,
      { ...settings, seed: 99, scoreAttribution: !settings.scoreAttribution, model: {} },
      storedCellResult(),
    );
    let error: unknown;
    try {
      checkNoOtherSettingsReplaced(plan, plan.cells, store, resultsDir);
    } catch (caught) {
      error = caught;
    }
    assert(error instanceof OtherSettingsStoredError, `${error}`);
    assertStringIncludes(
      error.message,
      `(${cell.key}: seed: 99 stored, ${settings.seed} planned; model.dim: not set stored, ` +
        `${JSON.stringify(settings.model.dim)} planned; scoreAttribution: ` +
        `${!settings.scoreAttribution} stored, ${settings.scoreAttribution} planned). Training`,
    );
  }),
);

Deno.test("runPlan: a results folder without write permission stops the run at its first claim", async () => {
  // As a read-only file system does (run_plan_test.ts): one error, not a FAILED line per cell.
  // Mutant: PermissionDenied left out of folderUnwritable: with continueOnFailure every cell
  // failed alone and the run returned as if the cells had run.
  const { error, lines } = await runWithClaimLocksRefused(
    quickPlanWithoutTraining(),
    () => new Deno.errors.PermissionDenied("Permission denied (os error 13)"),
  );
  assert(error instanceof Deno.errors.PermissionDenied, `${error}`);
  assertEquals(lines.filter((line) => line.startsWith("FAILED")), []);
});
