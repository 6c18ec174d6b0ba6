/**
 * runPlan's choice of the next cell sees what other processes sharing the results folder did
 * between two choices (session 54): a cell they stored is not trained again, one they replaced with
 * other settings or removed is runnable again, a cell whose claim they gave up is taken, and a
 * cell that waited for a selection runs once the trials they stored settle it. The choice reads
 * each cell file every time and parses it again only when its text changed (FinishedCellTexts):
 * each of these must reach it. runBesideAnother: tests/experiments/_run_beside_another.ts.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { ExperimentPlan, PlannedCell } from "../../lib/experiments/plan_types.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { isFinished, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { FinishedCellTexts } from "../../lib/experiments/_finished_cell_texts.ts";
import { withDenoStandIns } from "../_deno_stand_ins.ts";
import { OtherSettingsStoredError } from "../../lib/experiments/other_settings_guard.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { storedCellResult } from "./_cell_result.ts";
import { quickPlanWithoutTraining } from "./_quick_plan_without_training.ts";
import {
  claimForLiveProcess,
  runBesideAnother,
  storeTrials,
  waitingCellAndTrials,
} from "./_run_beside_another.ts";

await initBackend({ verbose: false });

/** A validation NDCG@10 no trained cell reaches: marks a record another process wrote. */
const ELSEWHERE = 0.777;

/** Another process storing `cell` of `plan` finished, with the plan's settings (marked ELSEWHERE). */
function storeElsewhere(plan: ExperimentPlan, cell: PlannedCell) {
  return (elsewhere: ResultStore) =>
    elsewhere.put(cell.key, settingsOf(plan, cell), storedCellResult(ELSEWHERE));
}

/** The stored validation NDCG@10 of `cell` with `plan`'s settings (undefined: not finished). */
function storedValid(store: ResultStore, plan: ExperimentPlan, cell: PlannedCell) {
  return store.get<CellResult>(cell.key, settingsOf(plan, cell))?.valid["NDCG@10"];
}

Deno.test("runPlan: a cell another process stores between two choices is not trained again", async () => {
  const plan = quickPlanWithoutTraining();
  const [first, second] = plan.cells;
  await runBesideAnother(plan, {
    between: storeElsewhere(plan, second),
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
    before: storeElsewhere(plan, second),
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
      before: storeElsewhere(plan, second),
      between: (elsewhere) => elsewhere.put(second.key, other, storedCellResult(ELSEWHERE)),
    }, () => {}), OtherSettingsStoredError);
  assertEquals((error as OtherSettingsStoredError).keys, [second.key]);
});

Deno.test("runPlan: a finished cell whose file is removed between two choices is trained again", async () => {
  const plan = quickPlanWithoutTraining();
  const [first, second] = plan.cells;
  await runBesideAnother(plan, {
    before: storeElsewhere(plan, second),
    between: (elsewhere) => Deno.removeSync(elsewhere.pathOf(second.key)),
  }, (finishedHere, store) => {
    assertEquals(finishedHere, [first.key, second.key]);
    assertEquals(storedValid(store, plan, second) === ELSEWHERE, false);
  });
});

Deno.test("runPlan: a finished cell whose file another process rewrites unchanged between two choices is not trained again", async () => {
  const plan = quickPlanWithoutTraining();
  const [first, second] = plan.cells;
  const write = storeElsewhere(plan, second);
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
    before: (elsewhere) => claimForLiveProcess(elsewhere, first.key),
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
    before: (elsewhere) => claimForLiveProcess(elsewhere, first.key),
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
  const { waiting, trials } = waitingCellAndTrials(full);
  assertEquals([waiting.waitsFor?.length, trials.length], [1, 2]);
  assertEquals(trials.some((trial) => trial.waitsFor !== undefined), false);
  const plan = { ...full, cells: [pop, waiting] };
  await runBesideAnother(plan, {
    // Seed 1: no trial ran it (the trials run seed 0), so it trains here.
    between: (elsewhere) => storeTrials(elsewhere, full, trials),
    options: { order: [pop.key] },
  }, (finishedHere) => {
    assertEquals(finishedHere, [pop.key, waiting.key]);
  });
});

/** What `finished` and `isFinished` say of `cell` (an error's message where it throws). */
function bothSay(
  finished: FinishedCellTexts,
  store: ResultStore,
  plan: ExperimentPlan,
  cell: PlannedCell,
): [unknown, unknown] {
  const say = (ask: () => boolean) => {
    try {
      return ask();
    } catch (error) {
      return (error as Error).message;
    }
  };
  return [say(() => finished.isFinished(plan, cell)), say(() => isFinished(store, plan, cell))];
}

Deno.test("FinishedCellTexts says what isFinished says of each cell file, as it changes, its errors included", () => {
  const plan = quickPlanWithoutTraining();
  const [cell, other] = plan.cells;
  const directory = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(directory);
    const finished = new FinishedCellTexts(store);
    const path = store.pathOf(cell.key);
    const record = (fields: Record<string, unknown>) =>
      JSON.stringify({ key: cell.key, settings: settingsOf(plan, cell), ...fields }, null, 1);
    const says = (expected: boolean | string) => {
      // Twice: once parsed, once from the text last parsed.
      for (let ask = 0; ask < 2; ask++) {
        const [cached, read] = bothSay(finished, store, plan, cell);
        assertEquals(read, expected);
        assertEquals(cached, read);
      }
    };
    says(false);
    store.put(cell.key, settingsOf(plan, cell), storedCellResult());
    says(true);
    store.put(cell.key, { ...settingsOf(plan, cell), seed: cell.seed + 1 }, storedCellResult());
    says(false);
    store.put(cell.key, settingsOf(plan, cell), storedCellResult());
    says(true);
    const message = (text: string) => {
      Deno.writeTextFileSync(path, text);
      return bothSay(finished, store, plan, cell)[1] as string;
    };
    for (
      const text of [
        "{ cut short",
        "null",
        "[1]",
        JSON.stringify({ key: other.key, settings: settingsOf(plan, cell), result: {} }),
        record({ result: { ...storedCellResult(), valid: "none" } }),
      ]
    ) {
      const expected = message(text);
      assertEquals(typeof expected, "string", text);
      says(expected);
    }
    Deno.removeSync(path);
    says(false);
    // The plan's settings of the cell changed (a selection refreshed): compared again.
    store.put(cell.key, settingsOf(plan, cell), storedCellResult());
    says(true);
    const replanned = { ...plan, cells: [{ ...cell, seed: cell.seed + 1 }, other] };
    assertEquals(bothSay(finished, store, replanned, replanned.cells[0]), [false, false]);
    says(true);
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});

Deno.test("FinishedCellTexts: a file rewritten in place to its size and modification time is parsed again", () => {
  const plan = quickPlanWithoutTraining();
  const [cell] = plan.cells;
  const directory = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(directory);
    store.put(cell.key, settingsOf(plan, cell), storedCellResult());
    const path = store.pathOf(cell.key);
    const when = new Date("2026-01-01T00:00:00Z");
    Deno.utimeSync(path, when, when);
    const finished = new FinishedCellTexts(store);
    assertEquals(finished.isFinished(plan, cell), true);
    // Another seed of the same length, written into the same inode, its times put back (`cp -p`).
    const stored = JSON.parse(Deno.readTextFileSync(path));
    stored.settings.seed = cell.seed === 0 ? 1 : 0;
    const before = Deno.statSync(path);
    Deno.writeTextFileSync(path, JSON.stringify(stored, null, 1));
    Deno.utimeSync(path, when, when);
    const after = Deno.statSync(path);
    assertEquals([after.ino, after.size, after.mtime], [before.ino, before.size, before.mtime]);
    assertEquals(bothSay(finished, store, plan, cell), [false, false]);
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});

Deno.test("FinishedCellTexts reads each file every time but parses an unchanged one once", () => {
  const plan = quickPlanWithoutTraining();
  const [a, b] = plan.cells;
  const directory = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(directory);
    store.put(a.key, settingsOf(plan, a), storedCellResult());
    store.put(b.key, settingsOf(plan, b), storedCellResult());
    const finished = new FinishedCellTexts(store);
    const { readTextFileSync } = Deno;
    const parse = JSON.parse;
    const counted = (body: () => void): [number, number] => {
      let reads = 0;
      let parses = 0;
      JSON.parse = (text: string, reviver?: never) => (parses++, parse(text, reviver));
      try {
        withDenoStandIns({
          readTextFileSync: ((
            path: string | URL,
          ) => (reads++, readTextFileSync(path))) as typeof Deno.readTextFileSync,
        }, body);
      } finally {
        JSON.parse = parse;
      }
      return [reads, parses];
    };
    const askBoth = () => {
      assertEquals([finished.isFinished(plan, a), finished.isFinished(plan, b)], [true, true]);
    };
    assertEquals(counted(askBoth), [2, 2]);
    assertEquals(counted(askBoth), [2, 0]);
    store.put(b.key, settingsOf(plan, b), storedCellResult(ELSEWHERE));
    assertEquals(counted(askBoth), [2, 1]);
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});

Deno.test("runPlan: a cell whose selection lands mid-run, stored with other settings, is refused saying what this run trained before", async () => {
  const full = planExperiments("quick");
  const pop = full.cells.find((c) => c.dataset.kind === "synthetic" && c.systemName === "Pop")!;
  const { waiting, trials } = waitingCellAndTrials(full);
  const plan = { ...full, cells: [pop, waiting] };
  const error = await assertRejects(
    () =>
      runBesideAnother(plan, {
        // Its key stored with other settings: unknown to the start's guard (its selection open).
        before: (elsewhere) =>
          elsewhere.put(waiting.key, { seed: 99 }, storedCellResult(ELSEWHERE)),
        between: (elsewhere) => storeTrials(elsewhere, full, trials),
        options: { order: [pop.key] },
      }, () => {}),
    OtherSettingsStoredError,
  ) as OtherSettingsStoredError;
  assertEquals(error.keys, [waiting.key]);
  assertEquals(error.message.includes("Nothing was trained or written"), false, error.message);
  assertEquals(
    error.message.endsWith(
      "Nothing more was trained or written: the cell this run finished before stays stored",
    ),
    true,
    error.message,
  );
});
