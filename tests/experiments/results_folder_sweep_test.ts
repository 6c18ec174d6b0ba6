/**
 * What writers killed mid-write leave in a results folder is swept wherever it was written: the
 * temporaries of selected.json and plan.json (the folder itself) when a run opens the folder's
 * cells, and those of the report's files when the report is written again. The rule is the cells
 * folder's: only other processes' temporaries older than STALE_TEMPORARY_SECONDS. A kept model's
 * copy cut short (`models/<cell>.staging`) is removed by the next run once as old.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { runOneCell } from "../../lib/experiments/cell_command.ts";
import {
  cellModelDir,
  keepCellModelUnderOwnName,
  removeAbandonedModelCopies,
  replaceKeptModel,
} from "../../lib/experiments/cell_model.ts";
import { STALE_TEMPORARY_SECONDS } from "../../lib/data/atomic_write.ts";
import { writeReport } from "../../lib/experiments/html_report.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { writeSelection } from "../../lib/experiments/selection_record.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { cellsDirectory } from "../../lib/experiments/stored_cells.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { recordsSummary } from "./_records_summary.ts";
import { storedCellPlan } from "./_resumable_cell.ts";
import { withDenoStandIns } from "../_deno_stand_ins.ts";

/** Leaves temporaries of `targets` in `directory` as killed writers would; returns the kept. */
function leaveTemporaries(directory: string, targets: string[]): string[] {
  const old = new Date(Date.now() - 3600_000);
  const kept: string[] = [];
  targets.forEach((target, i) => {
    const killed = `${target}.tmp-${999_900 + i}-1700000000000`;
    const recent = `${target}.tmp-${999_800 + i}-1700000000001`;
    const mine = `${target}.tmp-${Deno.pid}-1700000000002`;
    for (const name of [killed, recent, mine]) Deno.writeTextFileSync(`${directory}/${name}`, "{");
    for (const name of [killed, mine]) Deno.utimeSync(`${directory}/${name}`, old, old);
    kept.push(recent, mine);
  });
  return kept;
}

function names(directory: string): string[] {
  return [...Deno.readDirSync(directory)].filter((e) => e.isFile).map((e) => e.name).sort();
}

Deno.test("a run sweeps stale temporaries of selected.json and plan.json, not only the cells'", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(cellsDirectory(resultsDir));
    const top = leaveTemporaries(resultsDir, ["selected.json", "plan.json"]);
    const cells = leaveTemporaries(cellsDirectory(resultsDir), ["quick__cell.json"]);
    // What every run (runPlan, a batch task's cell) does first: settle the selection here.
    writeSelection(planExperiments("quick"), resultsDir, () => {});
    // Before, the folder's own temporaries stayed for good.
    assertEquals(names(resultsDir), top.sort());
    assertEquals(names(cellsDirectory(resultsDir)), cells.sort());
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("writing the report sweeps stale temporaries of the report's files", async () => {
  const summary = await recordsSummary();
  const reportDir = Deno.makeTempDirSync();
  try {
    const files = ["summary.json", "summary.md", "report.html"];
    const kept = leaveTemporaries(reportDir, files);
    await writeReport(summary, reportDir);
    assertEquals(names(reportDir), [...files, ...kept].sort());
  } finally {
    Deno.removeSync(reportDir, { recursive: true });
  }
});

class SimulatedKill extends Error {}

/**
 * Runs `action` as a process killed after its first file copy (`Deno.copyFileSync`): nothing of
 * it runs after that, so the removal a failed copy does on its way out (`replaceKeptModel`
 * cleans up after a thrown error) is killed too.
 */
function killedAfterFirstCopy(action: () => void): void {
  const copy = Deno.copyFileSync;
  const remove = Deno.removeSync;
  let copies = 0;
  let killed = false;
  withDenoStandIns({
    copyFileSync: (from, to) => {
      if (copies++ === 1) {
        killed = true;
        throw new SimulatedKill("killed while copying");
      }
      copy(from, to);
    },
    removeSync: (path, options) => {
      if (killed) throw new SimulatedKill("killed before removing");
      remove(path, options);
    },
  }, () => assertThrows(action, SimulatedKill));
}

/** Makes `folder` and its files look written an hour ago. */
function age(folder: string): void {
  const old = new Date(Date.now() - 3600_000);
  for (const name of [".", ...[...Deno.readDirSync(folder)].map((entry) => entry.name)]) {
    Deno.utimeSync(`${folder}/${name}`, old, old);
  }
}

Deno.test("a kept model's copy cut short by a kill is removed by the next run or batch task once 10 min old", async () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    // A run of one stored cell (nothing trains), and a selected trial's kept model that a cell
    // reusing its run gets copied under its own name (readme-figure).
    const { plan, cell } = storedCellPlan(resultsDir);
    const reader = { key: "quick/Synthetic/Demure-SASRec/seed=0", sameAs: "quick/trial=0" };
    const trial = cellModelDir(resultsDir, { key: reader.sameAs });
    Deno.mkdirSync(trial, { recursive: true });
    Deno.writeTextFileSync(`${trial}/best.json`, JSON.stringify({ weightsFile: "best.w.bin" }));
    Deno.writeTextFileSync(`${trial}/best.w.bin`, "weights");
    const staging = `${cellModelDir(resultsDir, reader)}.staging`;
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);

    killedAfterFirstCopy(() => keepCellModelUnderOwnName(resultsDir, reader));
    assert(pathExists(staging), "the kill left the copy's staging folder");
    await runPlan(plan, { resultsDir, log });
    assert(pathExists(staging), "written a moment ago: may be a copy in progress, left alone");
    age(staging);
    await runPlan(plan, { resultsDir, log });
    // Before, nothing removed it: a kept model's unfinished copy stayed for good.
    assertEquals(pathExists(staging), false, lines.join("\n"));
    assert(lines.some((line) => line.startsWith(`removed ${staging}`)), lines.join("\n"));

    // A batch task (reproduce --cell), here of a cell already stored, removes one too.
    killedAfterFirstCopy(() => keepCellModelUnderOwnName(resultsDir, reader));
    age(staging);
    await runOneCell(plan, cell, { resultsDir, log });
    assertEquals(pathExists(staging), false, lines.join("\n"));
    assertEquals(
      keepCellModelUnderOwnName(resultsDir, reader).copiedFrom,
      trial,
      "its source is intact: copied again",
    );
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("a kept model's copy is stale by its newest write, once STALE_TEMPORARY_SECONDS old", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const staging = (name: string) => {
      const folder = `${resultsDir}/models/${name}.staging`;
      Deno.mkdirSync(folder, { recursive: true });
      Deno.writeTextFileSync(`${folder}/best.json`, "{}");
      return folder;
    };
    const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000);
    const setTimes = (path: string, when: Date) => Deno.utimeSync(path, when, when);
    // A minute old: a copy could still be running (STALE_TEMPORARY_SECONDS is minutes).
    assert(STALE_TEMPORARY_SECONDS > 60);
    const recent = staging("recent");
    for (const path of [recent, `${recent}/best.json`]) setTimes(path, secondsAgo(60));
    // The folder is old, but a file in it was written a moment ago: still being copied.
    const writing = staging("writing");
    setTimes(writing, secondsAgo(2 * STALE_TEMPORARY_SECONDS));
    // Everything older than the limit: abandoned.
    const abandoned = staging("abandoned");
    for (const path of [abandoned, `${abandoned}/best.json`]) {
      setTimes(path, secondsAgo(STALE_TEMPORARY_SECONDS + 60));
    }
    const lines: string[] = [];
    removeAbandonedModelCopies(resultsDir, (line) => lines.push(line));
    assertEquals([pathExists(recent), pathExists(writing), pathExists(abandoned)], [
      true,
      true,
      false,
    ]);
    assertEquals(lines.length, 1);
    assert(lines[0].startsWith(`removed ${abandoned}`), lines[0]);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("replaceKeptModel: what a killed copy left in the staging folder never reaches the model", () => {
  const modelDir = `${Deno.makeTempDirSync()}/models/cell`;
  try {
    // A copy killed part-way, not yet swept: its stale files are still in the staging folder.
    Deno.mkdirSync(`${modelDir}.staging`, { recursive: true });
    Deno.writeTextFileSync(`${modelDir}.staging/training.json`, '{"epochsDone":1}');
    replaceKeptModel(modelDir, (staging) => Deno.writeTextFileSync(`${staging}/best.json`, "{}"));
    assertEquals([...Deno.readDirSync(modelDir)].map((entry) => entry.name), ["best.json"]);
    assertEquals(pathExists(`${modelDir}.staging`), false);
  } finally {
    Deno.removeSync(modelDir.slice(0, -"/models/cell".length), { recursive: true });
  }
});
