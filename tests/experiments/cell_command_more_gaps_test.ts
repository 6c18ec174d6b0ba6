/**
 * Behaviour of lib/experiments/cell_command.ts that the earlier rounds left unpinned (mutation
 * round LA): what `--cell` takes as an index, which files of a folder say whose it is, and the
 * files its refusals name.
 */
import {
  assert,
  assertEquals,
  assertNotEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { storedCellResult } from "./_cell_result.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  checkResultsPlan,
  planFilePath,
  recordResultsPlan,
  resolveCell,
  runOneCell,
} from "../../lib/experiments/cell_command.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";

await initBackend({ verbose: false });

Deno.test("resolveCell: digits followed by anything else are a key (named as one), not an index", () => {
  const plan = planExperiments("quick");
  // "3x" read as index 3 would be refused as "no such index" (or run cell 3 for "3 "): a typo
  // of a key or an index must be named as what it is, a key not in the plan.
  for (const given of ["3x", "3 ", "1e2", "0x1"]) {
    const error = assertThrows(() => resolveCell(plan, given));
    assertStringIncludes(error.message, `--cell "${given}": not a cell of the quick plan`);
  }
});

Deno.test("resolveCell: an unknown key's refusal names the plan's seeds and its last index", () => {
  const plan = planExperiments("quick", [0, 2]);
  const last = plan.cells.length - 1;
  const error = assertThrows(() => resolveCell(plan, "quick/Nope/seed=0"));
  assertStringIncludes(
    error.message,
    `(seeds 0,2); give an index 0..${last} or a key printed by --list-cells`,
  );
});

Deno.test("checkResultsPlan: a folder without plan.json is judged by its cell files only, not by other files beside them", () => {
  const folder = Deno.makeTempDirSync({ prefix: "no_plan_json_" });
  try {
    const cells = cellsDirectory(folder);
    Deno.mkdirSync(cells, { recursive: true });
    Deno.writeTextFileSync(`${cells}/.DS_Store`, "x");
    Deno.writeTextFileSync(`${cells}/notes.txt`, "x");
    Deno.writeTextFileSync(`${cells}/quick__Synthetic__Pop__seed=0.json`, "{}");
    checkResultsPlan(planExperiments("quick"), folder);
    Deno.writeTextFileSync(`${cells}/full__Synthetic__Pop__seed=0.json`, "{}");
    assertThrows(
      () => checkResultsPlan(planExperiments("quick"), folder),
      Error,
      `${cells}: holds cells of another plan (e.g. full__Synthetic__Pop__seed=0.json)`,
    );
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});

Deno.test("checkResultsPlan: a legacy folder's other ranking is named at its cells folder, where it is read", () => {
  const folder = Deno.makeTempDirSync({ prefix: "legacy_ranking_at_" });
  try {
    Deno.writeTextFileSync(`${folder}/plan.json`, JSON.stringify({ mode: "quick", seeds: [0] }));
    const cells = cellsDirectory(folder);
    Deno.mkdirSync(cells, { recursive: true });
    const kept = JSON.stringify({ key: "k", settings: { training: { ranking: "history_kept" } } });
    Deno.writeTextFileSync(`${cells}/quick__Synthetic__Pop__seed=0.json`, kept);
    const error = assertThrows(() => checkResultsPlan(planExperiments("quick"), folder));
    assertStringIncludes(error.message, `${cells}: the folder holds cells ranked with --ranking`);
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});

Deno.test("runOneCell: the refusal of a held cell says which claim file to delete, not the result's", async () => {
  const plan = planExperiments("quick");
  const cell = plan.cells.find((c) => c.system.kind === "popularity")!;
  const resultsDir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(resultsDir));
    Deno.writeTextFileSync(
      store.claimPathOf(cell.key),
      JSON.stringify({ pid: 1, hostname: Deno.hostname(), since: "now" }),
    );
    const error = await assertRejects(() => runOneCell(plan, cell, { resultsDir, log: () => {} }));
    assertStringIncludes(
      error.message,
      `(or delete ${store.claimPathOf(cell.key)} if that process`,
    );
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("checkResultsPlan: a folder of an imported dataset with features is refused naming its --features", () => {
  const folder = Deno.makeTempDirSync({ prefix: "features_plan_" });
  try {
    const dataset = { kind: "file", path: "data/mine/mine.txt", format: "sequence" };
    const features = [{ name: "genre", path: "data/mine/genre.txt" }];
    Deno.writeTextFileSync(
      `${folder}/plan.json`,
      JSON.stringify({
        mode: "quick",
        seeds: [0],
        dataset: { ...dataset, features },
        ranking: "history_excluded",
      }),
    );
    const plan = planExperiments("quick", undefined, {
      dataset: { ...dataset, kind: "file", format: "sequence" },
    });
    const error = assertThrows(() => checkResultsPlan(plan, folder));
    assertStringIncludes(
      error.message,
      "holds the cells of --dataset data/mine/mine.txt --format sequence --features " +
        "genre=data/mine/genre.txt; this command runs --dataset data/mine/mine.txt --format " +
        "sequence. Use another --results folder",
    );
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});

Deno.test("runOneCell of a stored cell says where its result is, and trains nothing", async () => {
  const plan = planExperiments("quick");
  const cell = plan.cells.find((c) => c.system.kind === "popularity")!;
  const resultsDir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(resultsDir));
    store.put(cell.key, settingsOf(plan, cell), storedCellResult(0.3, 0.2));
    const lines: string[] = [];
    const outcome = await runOneCell(plan, cell, { resultsDir, log: (line) => lines.push(line) });
    assertEquals([outcome.ranNow, outcome.result.test["NDCG@10"]], [false, 0.2]);
    assertEquals(lines, [`${cell.key}: already finished (${store.pathOf(cell.key)})`]);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("recordResultsPlan records every seed of the command that first writes the folder", () => {
  const folder = Deno.makeTempDirSync({ prefix: "plan_seeds_" });
  try {
    recordResultsPlan(planExperiments("quick", [0, 2]), folder);
    const recorded = JSON.parse(Deno.readTextFileSync(planFilePath(folder)));
    assertEquals([recorded.mode, recorded.seeds], ["quick", [0, 2]]);
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});

Deno.test("resolveCell: an index out of range is refused naming the plan's own mode and range", () => {
  const plan = planExperiments("quick");
  const last = plan.cells.length - 1;
  const error = assertThrows(() => resolveCell(plan, String(last + 1)));
  assertStringIncludes(
    error.message,
    `--cell ${last + 1}: no such index; the quick plan has cells 0..${last} (see --list-cells)`,
  );
});

Deno.test("runOneCell's last line gives the cell's test metrics, not its validation", async () => {
  const plan = planExperiments("quick");
  const cell = plan.cells.find((c) => c.system.kind === "popularity")!;
  const resultsDir = Deno.makeTempDirSync();
  try {
    const lines: string[] = [];
    const { result, ranNow } = await runOneCell(plan, cell, {
      resultsDir,
      log: (line) => lines.push(line),
    });
    assertEquals(ranNow, true);
    // Popularity scores validation and test apart: the mix-up shows.
    assertNotEquals(result.valid["NDCG@10"].toFixed(4), result.test["NDCG@10"].toFixed(4));
    assertStringIncludes(
      lines.at(-1)!,
      `${cell.key}: test NDCG@10 ${result.test["NDCG@10"].toFixed(4)} HR@10 ${
        result.test["HR@10"].toFixed(4)
      } (`,
    );
    // It names the file the result is stored in (a batch task's log did not): the cell's file
    // under the results folder, which is there.
    const stored = /; stored in (\S+)$/.exec(lines.at(-1)!)?.[1];
    assertEquals(stored, new ResultStore(cellsDirectory(resultsDir)).pathOf(cell.key));
    assert(stored!.startsWith(`${resultsDir}/cells/`) && Deno.statSync(stored!).isFile, stored);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
