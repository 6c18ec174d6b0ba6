/**
 * Behaviour of lib/experiments/cell_command.ts that no other test pinned (mutation round CD):
 * what a finished cell's listing leaves out, ties in the longest task, the flag a refusal of the
 * other mode names, what a legacy plan.json is compared on, and what a batch task does around its
 * cell (the claim it gives up, a waiting cell, a trial's checkpoints and selection, a cell stored
 * meanwhile).
 */
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { storedCellResult } from "./_cell_result.ts";
import { firstReusableTrial } from "./_reusable_trial.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  type CellListing,
  checkResultsPlan,
  listCells,
  pendingCost,
  planFilePath,
  recordResultsPlan,
  runOneCell,
} from "../../lib/experiments/cell_command.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellCheckpointDir } from "../../lib/experiments/cell_checkpoints.ts";
import { cellModelDir } from "../../lib/experiments/cell_model.ts";
import { checkpointExists } from "../../lib/checkpoint/checkpoint.ts";
import { cellsDirectory, selectedPath, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { withDenoStandIns } from "../_deno_stand_ins.ts";

await initBackend({ verbose: false });

const sequence = { kind: "file" as const, path: "data/mine/mine.txt", format: "sequence" as const };

Deno.test("listCells: a finished cell names neither the run it could reuse nor a claim left next to it, and keeps its estimate", () => {
  const plan = planExperiments("full");
  const { trial, index } = firstReusableTrial(plan);
  const resultsDir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(resultsDir));
    // Its same run is recorded (a pending cell would reuse it), and so is the cell itself.
    store.put(trial.sameAs!, settingsOf(plan, trial), storedCellResult());
    store.put(trial.key, settingsOf(plan, trial), storedCellResult());
    // A claim file beside the stored cell (its holder died before giving it up).
    Deno.writeTextFileSync(
      store.claimPathOf(trial.key),
      JSON.stringify({ pid: 1, hostname: "elsewhere", since: "now", job: "7_3" }),
    );
    const listed = listCells(plan, resultsDir)[index];
    assertEquals(listed.status, "finished");
    assertEquals([listed.reuses, listed.claim], [undefined, undefined]);
    assert(listed.estimatedSeconds > 0, `estimate ${listed.estimatedSeconds}`);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("pendingCost: of tasks equally long, the longest is the first listed", () => {
  const cell = (key: string, seconds: number, wait?: number): CellListing => ({
    index: 0,
    key,
    dataset: "d",
    system: "s",
    seed: 0,
    estimatedSeconds: seconds,
    status: "pending",
    ...(wait === undefined ? {} : { waitSeconds: wait }),
  });
  const cost = pendingCost([cell("first", 600), cell("second", 100, 500), cell("third", 600)]);
  assertEquals(cost.longestTask, { key: "first", seconds: 600, waitSeconds: 0 });
});

Deno.test("a folder of the other mode is refused naming its own plan's flag: with or without --quick", () => {
  const quickDir = Deno.makeTempDirSync();
  const fullDir = Deno.makeTempDirSync();
  try {
    recordResultsPlan(planExperiments("quick"), quickDir);
    recordResultsPlan(planExperiments("full"), fullDir);
    assertStringIncludes(
      assertThrows(() => checkResultsPlan(planExperiments("full"), quickDir)).message,
      "or the folder's own plan (with --quick)",
    );
    assertStringIncludes(
      assertThrows(() => checkResultsPlan(planExperiments("quick"), fullDir)).message,
      "or the folder's own plan (without --quick)",
    );
  } finally {
    for (const dir of [quickDir, fullDir]) Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a plan.json from before the ranking field is compared on what it records: its imported dataset, not trainer settings", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(
      planFilePath(resultsDir),
      JSON.stringify({ mode: "quick", seeds: [0], dataset: sequence }),
    );
    // The dataset it records is compared: the embedded datasets are another plan.
    assertThrows(
      () => checkResultsPlan(planExperiments("quick"), resultsDir),
      Error,
      "holds the cells of --dataset data/mine/mine.txt --format sequence; this command runs the " +
        "embedded datasets (no --dataset)",
    );
    checkResultsPlan(planExperiments("quick", undefined, { dataset: sequence }), resultsDir);
    // Trainer settings it predates are not: its own command, whatever they were, resumes it.
    checkResultsPlan(
      planExperiments("quick", undefined, { dataset: sequence, datasetTraining: { maxEpochs: 1 } }),
      resultsDir,
    );
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runOneCell gives the cell's claim up once the cell is stored", async () => {
  const plan = planExperiments("quick");
  const cell = plan.cells.find((c) => c.system.kind === "popularity")!;
  const resultsDir = Deno.makeTempDirSync();
  try {
    const { ranNow } = await runOneCell(plan, cell, { resultsDir, log: () => {}, job: "12_4" });
    assertEquals(ranNow, true);
    const store = new ResultStore(cellsDirectory(resultsDir));
    assertEquals(store.claimOf(cell.key), undefined);
    assertEquals(pathExists(store.claimPathOf(cell.key)), false);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("listCells: a cell that waits for several selections waits for the last one made", () => {
  const plan = planExperiments("full");
  const seedKey = "full/MovieLens/Demure-GRU4Rec/seed=2";
  const seed = plan.cells.find((c) => c.key === seedKey)!;
  const backbone = plan.cells.find((c) => c.key === "full/MovieLens/GRU4Rec-MM/seed=2")!;
  // The planner gives a cell one selection to wait for; the listing takes any number. The
  // backbone's selection, made first, is listed first here.
  const both = {
    ...plan,
    cells: plan.cells.map((c) =>
      c === seed ? { ...c, waitsFor: [...backbone.waitsFor!, ...seed.waitsFor!] } : c
    ),
  };
  const alone = listCells(plan).find((c) => c.key === seedKey)!;
  const listed = listCells(both).find((c) => c.key === seedKey)!;
  assert(alone.waitSeconds! > listCells(plan).find((c) => c.key === backbone.key)!.waitSeconds!);
  assertEquals([listed.waitSeconds, listed.stage], [alone.waitSeconds, alone.stage]);
});

Deno.test("recordResultsPlan keeps the plan.json of the command that first wrote the folder (its seeds)", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    recordResultsPlan(planExperiments("quick", [0]), resultsDir);
    const first = Deno.readTextFileSync(planFilePath(resultsDir));
    recordResultsPlan(planExperiments("quick", [0, 1, 2]), resultsDir);
    assertEquals(Deno.readTextFileSync(planFilePath(resultsDir)), first);
    assertEquals(JSON.parse(first).seeds, [0]);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runOneCell refuses a cell that waits for a selection by name, before anything is written", async () => {
  const plan = planExperiments("quick");
  const waiting = plan.cells.find((c) => c.waitsFor && c.system.kind === "neural")!;
  const resultsDir = Deno.makeTempDirSync();
  try {
    await assertRejects(
      () => runOneCell(plan, waiting, { resultsDir, log: () => {} }),
      Error,
      `${waiting.key}: its configuration waits for the selection of ${
        waiting.waitsFor!.join(", ")
      }`,
    );
    assertEquals([...Deno.readDirSync(resultsDir)], [], "nothing written, not even plan.json");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runOneCell of a selection's last trial removes its epoch checkpoints, keeps its model and writes the selection", async () => {
  const plan = planExperiments("quick");
  const trials = plan.cells.filter((c) => c.trial && !c.waitsFor && c.key.includes("/SASRec-MM/"));
  const last = trials.at(-1)!;
  const resultsDir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(resultsDir));
    // Every trial but the last one stored (that one trains: 3 epochs of Synthetic, seconds).
    for (const trial of trials.slice(0, -1)) {
      store.put(trial.key, settingsOf(plan, trial), storedCellResult(0.9));
    }
    const { ranNow } = await runOneCell(plan, last, { resultsDir, log: () => {} });
    assertEquals(ranNow, true);
    // Stored: its epoch checkpoints go, its best model (first seed) is kept for the analyses.
    assertEquals(pathExists(cellCheckpointDir(resultsDir, plan, last)), false);
    assert(checkpointExists(`${cellModelDir(resultsDir, last)}/best`), "the best model is kept");
    // The selection is made: the cells that wait for it can run.
    const selected = JSON.parse(Deno.readTextFileSync(selectedPath(resultsDir)));
    const selection = last.trial!.selection;
    assertEquals(
      Object.keys(selected).flatMap((d) => Object.keys(selected[d]).map((b) => `${d}/${b}`)),
      [selection],
    );
    // The stored trial's better validation chose it.
    assertEquals(selected[selection.slice(0, selection.lastIndexOf("/"))]["SASRec-MM"].trial, 0);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runOneCell returns a cell stored by another process just before it took the claim, training nothing", async () => {
  const plan = planExperiments("quick");
  const cell = plan.cells.find((c) => c.system.kind === "popularity")!;
  const resultsDir = Deno.makeTempDirSync();
  const { readTextFileSync } = Deno;
  try {
    const first = await runOneCell(plan, cell, { resultsDir, log: () => {} });
    const store = new ResultStore(cellsDirectory(resultsDir));
    const resultPath = store.pathOf(cell.key);
    const claimPath = store.claimPathOf(cell.key);
    // The other process stored the cell between this one's first look and its claim: the result
    // file is not there until the claim is.
    let hidden = 0;
    const again = await withDenoStandIns({
      readTextFileSync: ((path: string | URL) => {
        if (String(path) === resultPath && !pathExists(claimPath)) {
          hidden++;
          throw new Deno.errors.NotFound(`(not stored yet) ${path}`);
        }
        return readTextFileSync(path);
      }) as typeof Deno.readTextFileSync,
    }, () => runOneCell(plan, cell, { resultsDir, log: () => {} }));
    assert(hidden > 0, "the first look found nothing");
    assertEquals([again.ranNow, again.result.test], [false, first.result.test]);
    assertEquals(store.claimOf(cell.key), undefined);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("a plan.json that is JSON but not an object is an error naming the file", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    for (const text of ["null", "[]", '"quick"', "3"]) {
      Deno.writeTextFileSync(planFilePath(resultsDir), text);
      // Before: null read as a TypeError naming no file ("Cannot read properties of null").
      assertThrows(
        () => checkResultsPlan(planExperiments("quick"), resultsDir),
        Error,
        `${planFilePath(resultsDir)}: unreadable (not a JSON object: ${text})`,
      );
    }
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
