import { assertEquals, assertRejects, assertStringIncludes, assertThrows } from "@std/assert";
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
  resolveCell,
  runOneCell,
} from "../../lib/experiments/cell_command.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory, selectedPath, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { planWithCurrentSelection } from "../../lib/experiments/selection_record.ts";

await initBackend({ verbose: false });

function filesUnder(dir: string): string[] {
  const names: string[] = [];
  const walk = (path: string) => {
    for (const entry of Deno.readDirSync(path)) {
      const child = `${path}/${entry.name}`;
      if (entry.isDirectory) walk(child);
      else names.push(child.slice(dir.length + 1));
    }
  };
  walk(dir);
  return names.sort();
}

Deno.test("resolveCell takes an index or a key and names the valid range otherwise", () => {
  const plan = planExperiments("quick");
  assertEquals(resolveCell(plan, "0").key, plan.cells[0].key);
  assertEquals(resolveCell(plan, plan.cells[5].key), plan.cells[5]);
  const last = plan.cells.length - 1;
  assertStringIncludes(
    assertThrows(() => resolveCell(plan, String(last + 1))).message,
    `cells 0..${last}`,
  );
  assertStringIncludes(
    assertThrows(() => resolveCell(plan, "quick/Nope/seed=0")).message,
    `"quick/Nope/seed=0": not a cell of the quick plan`,
  );
  // Only digits are an index: "-1" is looked up as a key (and named as one), never counted from
  // the end or read as an index out of range.
  assertStringIncludes(
    assertThrows(() => resolveCell(plan, "-1")).message,
    `--cell "-1": not a cell of the quick plan`,
  );
});

Deno.test("listCells keeps the plan's order as the index and reads each cell's state", async () => {
  const plan = planExperiments("quick");
  const resultsDir = Deno.makeTempDirSync();
  const pop = plan.cells.findIndex((c) => c.system.kind === "popularity");
  await runOneCell(plan, plan.cells[pop], { resultsDir, log: () => {} });
  const store = new ResultStore(cellsDirectory(resultsDir));
  Deno.writeTextFileSync(
    store.claimPathOf(plan.cells[pop + 1].key),
    JSON.stringify({ pid: 1, hostname: "elsewhere", since: "now", job: "7_3" }),
  );
  const cells = listCells(plan, resultsDir);
  assertEquals(cells.map((c) => c.index), plan.cells.map((_, i) => i));
  assertEquals(cells.map((c) => c.key), plan.cells.map((c) => c.key));
  assertEquals(cells[pop].status, "finished");
  assertEquals(cells[pop + 1].status, "claimed");
  assertEquals(cells[pop + 1].claim?.job, "7_3");
  assertEquals(cells.filter((c) => c.status === "pending").length, plan.cells.length - 2);
  // Listing a folder that does not exist creates nothing.
  const absent = `${resultsDir}/absent`;
  // Compared whole: every() over the listing passed a listing of no cells too.
  assertEquals(listCells(plan, absent).map((c) => c.status), plan.cells.map(() => "pending"));
  assertThrows(() => Deno.statSync(absent), Deno.errors.NotFound);
  Deno.removeSync(resultsDir, { recursive: true });
});

Deno.test("runOneCell stores exactly one cell, then resumes it instead of rerunning", async () => {
  const plan = planExperiments("quick");
  const cell = plan.cells.find((c) => c.system.kind === "item_knn")!;
  const resultsDir = Deno.makeTempDirSync();
  const first = await runOneCell(plan, cell, { resultsDir, log: () => {}, job: "12_4" });
  assertEquals(first.ranNow, true);
  assertEquals(filesUnder(resultsDir).filter((f) => f.startsWith("cells/")).length, 1);
  const second = await runOneCell(plan, cell, { resultsDir, log: () => {} });
  assertEquals(second.ranNow, false);
  assertEquals(second.result.test, first.result.test);
  assertEquals(JSON.parse(Deno.readTextFileSync(planFilePath(resultsDir))).mode, "quick");
  Deno.removeSync(resultsDir, { recursive: true });
});

Deno.test("runOneCell reuses the record of the run a cell is the same as (sameAs), training nothing", async () => {
  const plan = planExperiments("quick");
  const cell = plan.cells.find((c) => c.system.kind === "item_knn")!;
  const twin = { ...cell, key: `${cell.key}/twin`, systemName: "ItemKNN twin", sameAs: cell.key };
  const resultsDir = Deno.makeTempDirSync();
  const lines: string[] = [];
  const first = await runOneCell(plan, cell, { resultsDir, log: () => {} });
  const reused = await runOneCell(plan, twin, { resultsDir, log: (line) => lines.push(line) });
  assertEquals(reused.ranNow, false);
  assertEquals(reused.result.test, first.result.test);
  assertEquals(reused.result.system, "ItemKNN twin");
  assertStringIncludes(lines.join("\n"), "(reused)");
  const store = new ResultStore(cellsDirectory(resultsDir));
  assertEquals(store.get(twin.key, settingsOf(plan, twin)), reused.result);
  Deno.removeSync(resultsDir, { recursive: true });
});

Deno.test("runOneCell refuses a cell a live process holds, and stores nothing", async () => {
  const plan = planExperiments("quick");
  const cell = plan.cells.find((c) => c.system.kind === "popularity")!;
  const resultsDir = Deno.makeTempDirSync();
  const store = new ResultStore(cellsDirectory(resultsDir));
  // pid 1 is always alive on Linux.
  Deno.writeTextFileSync(
    store.claimPathOf(cell.key),
    JSON.stringify({ pid: 1, hostname: Deno.hostname(), since: "now" }),
  );
  const error = await assertRejects(() => runOneCell(plan, cell, { resultsDir, log: () => {} }));
  assertStringIncludes(error.message, "held by process 1");
  assertEquals(store.get(cell.key, {}), undefined);
  // The holder's claim, untouched, is all there is (every() over the files passed when the
  // refusal deleted it and left none).
  const claimPath = store.claimPathOf(cell.key);
  assertEquals(filesUnder(store.directory), [claimPath.slice(store.directory.length + 1)]);
  assertEquals(JSON.parse(Deno.readTextFileSync(claimPath)).pid, 1);
  Deno.removeSync(resultsDir, { recursive: true });
});

Deno.test("a results folder of another plan is refused before anything is written", async () => {
  const quick = planExperiments("quick");
  const full = planExperiments("full");
  const resultsDir = Deno.makeTempDirSync();
  recordResultsPlan(quick, resultsDir);
  const before = filesUnder(resultsDir);
  assertStringIncludes(
    assertThrows(() => checkResultsPlan(full, resultsDir)).message,
    `plan.json: field "mode" is "quick"`,
  );
  await assertRejects(
    () => runOneCell(full, full.cells[0], { resultsDir, log: () => {} }),
    Error,
    "another plan",
  );
  assertEquals(filesUnder(resultsDir), before);
  // Seeds may grow in one folder: the same mode with other seeds is the same plan.
  checkResultsPlan(planExperiments("quick", [0, 1, 2]), resultsDir);
  // A folder from before plan.json is judged by the mode of its cells.
  const legacy = Deno.makeTempDirSync();
  Deno.mkdirSync(cellsDirectory(legacy));
  Deno.writeTextFileSync(`${cellsDirectory(legacy)}/full__MovieLens__Pop__seed=0.json`, "{}");
  assertStringIncludes(
    assertThrows(() => checkResultsPlan(quick, legacy)).message,
    "holds cells of another plan",
  );
  checkResultsPlan(full, legacy);
  // reproduce --list-cells (what a cluster submission stages from) refuses it too.
  const listing = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/reproduce.ts", "--list-cells", "--json", "--results", resultsDir],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals([listing.code, new TextDecoder().decode(listing.stdout)], [1, ""]);
  assertStringIncludes(
    new TextDecoder().decode(listing.stderr),
    `plan.json: field "mode" is "quick"`,
  );
  assertEquals(filesUnder(resultsDir), before);
  Deno.removeSync(resultsDir, { recursive: true });
  Deno.removeSync(legacy, { recursive: true });
});

Deno.test("a results folder of another imported dataset (same name, other file) is refused", () => {
  const sequence = {
    kind: "file" as const,
    path: "data/mine/mine.txt",
    format: "sequence" as const,
  };
  const recbole = {
    kind: "file" as const,
    path: "data/mine/mine.inter",
    format: "recbole" as const,
  };
  const resultsDir = Deno.makeTempDirSync();
  recordResultsPlan(planExperiments("quick", undefined, { dataset: sequence }), resultsDir);
  const before = filesUnder(resultsDir);
  const message =
    assertThrows(() =>
      recordResultsPlan(planExperiments("quick", undefined, { dataset: recbole }), resultsDir)
    ).message;
  assertStringIncludes(
    message,
    "holds the cells of --dataset data/mine/mine.txt --format sequence",
  );
  // The plan names RecBole files by their base path, whichever form was given.
  assertStringIncludes(message, "runs --dataset data/mine/mine --format recbole");
  assertThrows(() => checkResultsPlan(planExperiments("quick"), resultsDir), Error, "embedded");
  assertEquals(filesUnder(resultsDir), before);
  // The same dataset again (other seeds) is the same plan.
  checkResultsPlan(planExperiments("quick", [0, 1], { dataset: sequence }), resultsDir);
  Deno.removeSync(resultsDir, { recursive: true });
});

Deno.test("RecBole files given as <base> or <base>.inter are one dataset: one results folder", () => {
  const spec = (path: string) => ({ kind: "file" as const, path, format: "recbole" as const });
  const resultsDir = Deno.makeTempDirSync();
  const withSuffix = planExperiments("quick", undefined, { dataset: spec("data/mine/mine.inter") });
  const base = planExperiments("quick", undefined, { dataset: spec("data/mine/mine") });
  assertEquals(
    withSuffix.cells.map((c) => settingsOf(withSuffix, c)),
    base.cells.map((c) => settingsOf(base, c)),
  );
  recordResultsPlan(withSuffix, resultsDir);
  checkResultsPlan(base, resultsDir);
  // A folder recorded before the plan named the base path still holds the same dataset.
  const planFile = planFilePath(resultsDir);
  const recorded = JSON.parse(Deno.readTextFileSync(planFile));
  recorded.dataset.path = "data/mine/mine.inter";
  Deno.writeTextFileSync(planFile, JSON.stringify(recorded));
  checkResultsPlan(base, resultsDir);
  Deno.removeSync(resultsDir, { recursive: true });
});

Deno.test("a results folder of another ranking, other trainer settings or of the embedded data is refused", () => {
  const sequence = {
    kind: "file" as const,
    path: "data/mine/mine.txt",
    format: "sequence" as const,
  };
  // The embedded datasets' folder: an imported dataset named like one of them used to overwrite
  // its cells (a file MovieLens.txt got the label MovieLens).
  const embedded = Deno.makeTempDirSync();
  recordResultsPlan(planExperiments("quick"), embedded);
  assertThrows(
    () => checkResultsPlan(planExperiments("quick", undefined, { dataset: sequence }), embedded),
    Error,
    "holds the cells of the embedded datasets (no --dataset)",
  );
  // Another ranking protocol: the cells' keys are the same, their numbers are not.
  assertThrows(
    () =>
      checkResultsPlan(planExperiments("quick", undefined, { ranking: "history_kept" }), embedded),
    Error,
    "holds cells ranked with --ranking history_excluded; this command ranks with --ranking history_kept",
  );
  // A folder written before these fields were recorded: only what it records is compared (its
  // own command, whatever its ranking, still resumes it).
  Deno.writeTextFileSync(`${embedded}/plan.json`, JSON.stringify({ mode: "quick", seeds: [0] }));
  checkResultsPlan(planExperiments("quick"), embedded);
  checkResultsPlan(planExperiments("quick", undefined, { ranking: "history_kept" }), embedded);
  // ... and its ranking is its cells': a cell records one only when it is not the default.
  Deno.mkdirSync(cellsDirectory(embedded));
  const cell = `${cellsDirectory(embedded)}/quick__Synthetic__Pop__seed=0.json`;
  const stored = (training: object) => JSON.stringify({ key: "k", settings: { training } });
  Deno.writeTextFileSync(cell, stored({ maxEpochs: 3 }));
  checkResultsPlan(planExperiments("quick"), embedded);
  assertThrows(
    () =>
      checkResultsPlan(planExperiments("quick", undefined, { ranking: "history_kept" }), embedded),
    Error,
    "cells: the folder holds cells ranked with --ranking history_excluded; this command ranks " +
      "with --ranking history_kept",
  );
  Deno.writeTextFileSync(cell, stored({ maxEpochs: 3, ranking: "history_kept" }));
  checkResultsPlan(planExperiments("quick", undefined, { ranking: "history_kept" }), embedded);
  assertThrows(() => checkResultsPlan(planExperiments("quick"), embedded), Error, "history_kept");

  // Other trainer settings of the imported dataset; the same ones in another order are the same.
  const imported = Deno.makeTempDirSync();
  const training = { maxEpochs: 5, patience: 2 };
  recordResultsPlan(
    planExperiments("quick", undefined, { dataset: sequence, datasetTraining: training }),
    imported,
  );
  checkResultsPlan(
    planExperiments("quick", undefined, {
      dataset: sequence,
      datasetTraining: { patience: 2, maxEpochs: 5 },
    }),
    imported,
  );
  assertThrows(
    () =>
      checkResultsPlan(
        planExperiments("quick", undefined, {
          dataset: sequence,
          datasetTraining: { maxEpochs: 1 },
        }),
        imported,
      ),
    Error,
    "holds cells trained with --max-epochs 5 --patience 2; this command trains with --max-epochs 1",
  );
  for (const dir of [embedded, imported]) Deno.removeSync(dir, { recursive: true });
});

Deno.test("a legacy folder's ranking: every cell counts, claims and temporaries do not, a bad cell is named", () => {
  const folder = Deno.makeTempDirSync({ prefix: "legacy_ranking_" });
  try {
    // plan.json from before the ranking field: the cells say how the folder was ranked.
    Deno.writeTextFileSync(`${folder}/plan.json`, JSON.stringify({ mode: "quick", seeds: [0] }));
    const cells = cellsDirectory(folder);
    Deno.mkdirSync(cells);
    const kept = JSON.stringify({ key: "k", settings: { training: { ranking: "history_kept" } } });
    Deno.writeTextFileSync(`${cells}/quick__Synthetic__Pop__seed=0.json`, kept);
    // A run in progress: a claim (JSON with no settings, which would read as the default
    // ranking) and a write cut short (not JSON): neither is a cell.
    Deno.writeTextFileSync(`${cells}/quick__Synthetic__SASRec__seed=0.claim`, '{"pid": 1}');
    Deno.writeTextFileSync(`${cells}/quick__Synthetic__SASRec__seed=0.json.tmp-1-2`, '{"key":');
    const historyKept = planExperiments("quick", undefined, { ranking: "history_kept" });
    checkResultsPlan(historyKept, folder);
    // Cells of both rankings: a command of either is refused, naming the other.
    const byDefault = JSON.stringify({ key: "k", settings: { training: { maxEpochs: 3 } } });
    Deno.writeTextFileSync(`${cells}/quick__Synthetic__Pop__seed=1.json`, byDefault);
    assertThrows(
      () => checkResultsPlan(historyKept, folder),
      Error,
      "ranked with --ranking history_excluded; this command ranks with --ranking history_kept",
    );
    assertThrows(
      () => checkResultsPlan(planExperiments("quick"), folder),
      Error,
      "ranked with --ranking history_kept; this command ranks with --ranking history_excluded",
    );
    // A cell file that is not JSON is named, with what to do.
    const broken = `${cells}/quick__Synthetic__Pop__seed=2.json`;
    Deno.writeTextFileSync(broken, '{"key":');
    assertThrows(
      () => checkResultsPlan(historyKept, folder),
      Error,
      `${broken}: unreadable cell result (`,
    );
    assertThrows(() => checkResultsPlan(historyKept, folder), Error, "); delete it");
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});

Deno.test("the records, whose plan.json predates the ranking field, refuse a command of the other ranking", () => {
  // `--select --ranking history_kept` into them retrained every cell and overwrote its record.
  const records = "results-of-record/full";
  assertEquals(JSON.parse(Deno.readTextFileSync(`${records}/plan.json`)).ranking, undefined);
  checkResultsPlan(planExperiments("full"), records);
  assertThrows(
    () =>
      checkResultsPlan(planExperiments("full", undefined, { ranking: "history_kept" }), records),
    Error,
    `${records}/cells: the folder holds cells ranked with --ranking history_excluded`,
  );
});

Deno.test("reproduce --cell with an unknown cell exits non-zero with a clear error, writing nothing", async () => {
  const parent = Deno.makeTempDirSync();
  const resultsDir = `${parent}/results`;
  const run = (...args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "scripts/reproduce.ts", "--quick", ...args, "--results", resultsDir],
      stdout: "piped",
      stderr: "piped",
    }).output();
  const unknown = await run("--cell", "quick/NoSuchSystem/seed=0");
  assertEquals(unknown.code, 1);
  assertStringIncludes(new TextDecoder().decode(unknown.stderr), "not a cell of the quick plan");
  const reportOfNothing = await run("--report-only");
  assertEquals(reportOfNothing.code, 1);
  assertStringIncludes(new TextDecoder().decode(reportOfNothing.stderr), "holds no finished cell");
  assertEquals([...Deno.readDirSync(parent)], []);
  Deno.removeSync(parent, { recursive: true });
});

Deno.test("reproduce --list-cells: the cost line sums the listed estimates, in h, min or tenths of a min", async () => {
  const list = async (...args: string[]) => {
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "scripts/reproduce.ts", "--list-cells", ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(run.code, 0, new TextDecoder().decode(run.stderr));
    return new TextDecoder().decode(run.stdout);
  };
  // As the line writes a duration: hours from 2 h on, whole minutes from 10 min on.
  const duration = (seconds: number) =>
    seconds >= 7200
      ? `${(seconds / 3600).toFixed(1)} h`
      : seconds >= 600
      ? `${Math.round(seconds / 60)} min`
      : `${(seconds / 60).toFixed(1)} min`;
  const parent = Deno.makeTempDirSync();
  try {
    const shown: string[] = [];
    const waited: boolean[] = [];
    // A fresh folder: every cell of the plan is still to run.
    for (const mode of [["--quick"], ["--seeds=0"], []]) {
      const args = [...mode, "--results", `${parent}/results`];
      const { cells, seeds, imported } = JSON.parse(await list(...args, "--json")) as {
        cells: {
          key: string;
          seed: number;
          estimatedSeconds: number;
          waitSeconds?: number;
          stage?: number;
        }[];
        seeds: number[];
        imported: boolean;
      };
      // The plan's seeds, given or not (a cluster submission reads them), of the embedded data.
      assertEquals(seeds, mode[0] === "--seeds=0" ? [0] : [...new Set(cells.map((c) => c.seed))]);
      assertEquals(imported, false);
      const training = cells.reduce((sum, cell) => sum + cell.estimatedSeconds, 0);
      const task = (c: { estimatedSeconds: number; waitSeconds?: number }) =>
        (c.waitSeconds ?? 0) + c.estimatedSeconds;
      const longest = Math.max(...cells.map(task));
      const listing = (await list(...args)).trimEnd().split("\n");
      const line = listing.at(-1)!;
      // Each cell's line: index, state, estimate, key, and the stage of a cell that waits.
      assertEquals(
        listing.slice(1, -1),
        cells.map((c, i) =>
          `${i}\tpending\t~${c.estimatedSeconds} s\t${c.key}` +
          (c.waitSeconds === undefined
            ? ""
            : `\t(stage ${c.stage}: starts after its selection, ~${c.waitSeconds} s)`)
        ),
      );
      // The wait is named when the longest task has one.
      const waits = cells.filter((c) => task(c) === longest).some((c) => (c.waitSeconds ?? 0) > 0);
      assertEquals(line.endsWith(", with its wait for its selection"), waits, line);
      waited.push(waits);
      assertStringIncludes(
        line,
        `# ${cells.length} cells to run: about ${duration(training)} of training by the estimates`,
      );
      assertStringIncludes(line, `with one task per cell, about ${duration(longest)}: the longest`);
      shown.push(duration(training), duration(longest));
    }
    // The fixture's plans reach each of the three forms.
    assertEquals(shown.some((text) => text.endsWith(" h")), true, shown.join(", "));
    assertEquals(shown.some((text) => /^\d+ min$/.test(text)), true, shown.join(", "));
    assertEquals(shown.some((text) => /^\d+\.\d min$/.test(text)), true, shown.join(", "));
    // And the line with a wait and without one.
    assertEquals(new Set(waited).size, 2, waited.join(", "));
    assertEquals([...Deno.readDirSync(parent)], [], "listing writes nothing");
    // A trial whose same run is recorded is listed as stored without training, naming that run.
    const quick = planExperiments("quick");
    const trial = quick.cells.find((c) => c.trial !== undefined && c.sameAs !== undefined)!;
    new ResultStore(cellsDirectory(`${parent}/reuse`)).put(
      trial.sameAs!,
      settingsOf(quick, trial),
      storedCellResult(),
    );
    const reuse = (await list("--quick", "--results", `${parent}/reuse`)).split("\n");
    assertEquals(
      reuse.find((text) => text.startsWith(`${quick.cells.indexOf(trial)}\t`)),
      `${quick.cells.indexOf(trial)}\tpending\t~0 s\t${trial.key}` +
        `\t(the same run as ${trial.sameAs}: stored without training)`,
    );
    // The full plan over the results of record, every cell finished: the last line says so.
    const finished = (await list()).trimEnd().split("\n");
    assertEquals(finished.slice(1, -1).every((line) => line.split("\t")[1] === "finished"), true);
    assertEquals(
      finished.at(-1),
      "# 0 cells to run: every cell of the plan is finished under results-of-record/full",
    );
  } finally {
    Deno.removeSync(parent, { recursive: true });
  }
});

Deno.test("reproduce --report-only: claimed cells are nothing to report; once one finished, the missing ones are listed by index", async () => {
  const plan = planExperiments("quick");
  const pop = plan.cells.findIndex((c) => c.system.kind === "popularity");
  const resultsDir = Deno.makeTempDirSync();
  const reportOnly = async (...more: string[]) => {
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "scripts/reproduce.ts", "--quick", "--report-only"]
        .concat(["--results", resultsDir], more),
      env: { DEMURE_BLAS_THREADS: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    return { code: run.code, stdout: decode(run.stdout), stderr: decode(run.stderr) };
  };
  try {
    recordResultsPlan(plan, resultsDir);
    // A cell running elsewhere (claimed) is not finished: nothing to report yet.
    Deno.writeTextFileSync(
      new ResultStore(cellsDirectory(resultsDir)).claimPathOf(plan.cells[pop + 1].key),
      JSON.stringify({ pid: 1, hostname: "elsewhere", since: "now", job: "7_3" }),
    );
    const nothing = await reportOnly();
    assertEquals(nothing.code, 1, nothing.stdout);
    assertStringIncludes(
      nothing.stderr,
      `report: ${resultsDir} holds no finished cell of the quick plan`,
    );
    await runOneCell(plan, plan.cells[pop], { resultsDir, log: () => {} });
    const report = await reportOnly();
    assertEquals(report.code, 0, report.stderr);
    const count = plan.cells.length;
    // The quick plan has cells that wait for a selection: the line says they may be waiting.
    assertEquals(plan.cells.some((c) => c.waitsFor), true);
    assertStringIncludes(
      report.stdout,
      `\n${count - 1} of ${count} cells are missing (not finished, or waiting for a selection):\n`,
    );
    // The index is the plan's (--cell, --list-cells), the claimed cell among the missing.
    assertStringIncludes(report.stdout, `\nmissing\t${pop + 1}\t${plan.cells[pop + 1].key}\n`);
    assertEquals(report.stdout.includes(`\t${plan.cells[pop].key}\n`), false, report.stdout);
    // Seeds are not in plan.json: a seed with no finished cell is named with the option to give.
    assertEquals(plan.cells[pop].seed, 0);
    assertEquals([...new Set(plan.cells.map((c) => c.seed))].sort(), [0, 1]);
    assertStringIncludes(
      report.stdout,
      `\nNo cell of seed 1 is finished in ${resultsDir}: if it was run with --seeds 0, report ` +
        `it with the same --seeds`,
    );
    const seedZero = await reportOnly("--seeds", "0");
    assertEquals(seedZero.code, 0, seedZero.stderr);
    assertEquals(seedZero.stdout.includes("No cell of seed"), false, seedZero.stdout);
    assertEquals(seedZero.stdout.includes("cells are missing"), true, seedZero.stdout);
    // Once a cell of seed 1 is finished too (the quick plan's Pop is of seed 0 only: a SASRec-ID
    // of its few epochs), cells are still missing but no seed lacks all.
    const seedOne = plan.cells.find((c) => c.seed === 1 && !c.waitsFor)!;
    await runOneCell(plan, seedOne, { resultsDir, log: () => {} });
    const both = await reportOnly();
    assertEquals(both.code, 0, both.stderr);
    assertStringIncludes(both.stdout, `\n${count - 2} of ${count} cells are missing`);
    assertEquals(both.stdout.includes("No cell of seed"), false, both.stdout);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("reproduce --cell takes over the claim of an earlier attempt of its own batch task (DEMURE_JOB_ID, else Slurm's array task)", async () => {
  // A claim left by attempt 1 of task 3 of array job 41 (pid 1 on another host: judged by the job
  // only). The restarted task runs the cell; any other job's process is refused it.
  const plan = planExperiments("quick");
  const cell = plan.cells[0];
  const cases: [Record<string, string>, number][] = [
    [{ SLURM_ARRAY_JOB_ID: "41", SLURM_ARRAY_TASK_ID: "3", SLURM_JOB_ID: "57" }, 0],
    [{ DEMURE_JOB_ID: "41_3", SLURM_ARRAY_JOB_ID: "99", SLURM_ARRAY_TASK_ID: "3" }, 0],
    [{ SLURM_JOB_ID: "41" }, 1],
  ];
  const batchVariables = [
    "DEMURE_JOB_ID",
    "SLURM_ARRAY_JOB_ID",
    "SLURM_ARRAY_TASK_ID",
    "SLURM_JOB_ID",
  ];
  const inherited = Object.entries(Deno.env.toObject())
    .filter(([name]) => !batchVariables.includes(name));
  for (const [job, code] of cases) {
    const resultsDir = Deno.makeTempDirSync();
    try {
      const store = new ResultStore(cellsDirectory(resultsDir));
      const earlier = { pid: 1, hostname: "node3", since: "then", job: "41_3" };
      Deno.writeTextFileSync(store.claimPathOf(cell.key), JSON.stringify(earlier));
      const run = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "scripts/reproduce.ts", "--quick", "--cell=0", "--results", resultsDir],
        env: { ...Object.fromEntries(inherited), DEMURE_BLAS_THREADS: "1", ...job },
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const output = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
      assertEquals(run.code, code, `${JSON.stringify(job)}: ${output}`);
      const stored = store.get(cell.key, settingsOf(plan, cell)) !== undefined;
      assertEquals(stored, code === 0, JSON.stringify(job));
    } finally {
      Deno.removeSync(resultsDir, { recursive: true });
    }
  }
});

/**
 * `reproduce --cell <cell>` on the tiny fixture (seed 0, 3 epochs) through the wrapper `script`
 * (tests/experiments/_*.ts), with its results in a fresh folder passed to `check`.
 */
async function runCellThrough(
  script: string,
  cell: string,
  check: (run: { code: number; stderr: string; output: string }, resultsDir: string) => void,
): Promise<void> {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const run = await new Deno.Command(Deno.execPath(), {
      args: [
        ...["run", "-A", script],
        ...["--quick", "--seeds=0", "--max-epochs=3", `--cell=${cell}`, "--results", resultsDir],
        ...["--dataset=tests/fixtures/byo/tiny.txt", "--format=sequence"],
      ],
      env: { DEMURE_BLAS_THREADS: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(run.stderr);
    check(
      { code: run.code, stderr, output: new TextDecoder().decode(run.stdout) + stderr },
      resultsDir,
    );
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
}

/** The cell results stored under `resultsDir` (their files). */
function storedResults(resultsDir: string): string[] {
  return Array.from(Deno.readDirSync(`${resultsDir}/cells`), (entry) => entry.name)
    .filter((name) => name.endsWith(".json"));
}

Deno.test("reproduce --cell whose claim another process takes over exits 0, storing nothing: that process runs the cell", async () => {
  // A failed status would make a scheduler retry a cell that is running elsewhere.
  await runCellThrough("tests/experiments/_taken_over_claim_reproduce.ts", "0", (run, dir) => {
    assertEquals(run.code, 0, run.output);
    assertStringIncludes(run.output, `its claim was taken over, held by process ${Deno.pid} `);
    assertEquals(storedResults(dir), [], "a result stored");
  });
});

Deno.test("reproduce --cell on a full disk is one line naming the checkpoint file, exit 1, no stack", async () => {
  // The checkpoint's write names its file, the system's ENOSPC error as its cause.
  const cell = "quick/tiny/SASRec-ID/seed=0";
  await runCellThrough("tests/experiments/_full_disk_reproduce.ts", cell, (run, dir) => {
    assertEquals(run.code, 1, run.output);
    assertEquals(run.stderr.split("\n").length, 2, `one line: ${run.stderr}`);
    assertStringIncludes(run.stderr, `reproduce: ${dir}/checkpoints/`);
    assertStringIncludes(run.stderr, ".safetensors: No space left on device (os error 28)\n");
    assertEquals(storedResults(dir), [], "a result stored");
  });
});

/**
 * A quick-plan results folder whose selected.json holds a choice for SASRec-MM on the synthetic
 * data while one of that selection's trials is stored with other settings (the trial changed
 * since: its records are stale), as after a change to the system and before its trials reran.
 */
function folderWithStaleChoice(resultsDir: string) {
  const trialOf = (plan: ReturnType<typeof planExperiments>, index: number) =>
    plan.cells.find((c) =>
      c.dataset.kind === "synthetic" && c.trial?.selection.endsWith("/SASRec-MM") &&
      c.trial.index === index
    )!;
  const first = trialOf(planExperiments("quick"), 0);
  const selected = {
    [first.datasetLabel]: {
      "SASRec-MM": { trial: 0, config: first.config, valid: 0.1, trials: 2 },
    },
  };
  const plan = planExperiments("quick", undefined, { selected });
  recordResultsPlan(plan, resultsDir);
  Deno.writeTextFileSync(selectedPath(resultsDir), JSON.stringify(selected));
  new ResultStore(cellsDirectory(resultsDir)).put(trialOf(plan, 1).key, { changed: true }, {});
  const seed = plan.cells.find((c) =>
    c.datasetLabel === first.datasetLabel && !c.trial && c.systemName === "SASRec-MM"
  )!;
  // With the choice as the file holds it, the seed would run now.
  assertEquals(seed.waitsFor, undefined);
  return { plan, seed, selection: first.trial!.selection, label: first.datasetLabel };
}

Deno.test("planWithCurrentSelection drops a choice whose trials are stale, so its seeds wait", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const { plan, seed, selection, label } = folderWithStaleChoice(resultsDir);
    const lines: string[] = [];
    // Built from the plan of the other choices: the file's choice is read, then dropped.
    // Read only: the same plan, and the file as it was.
    const onDisk = Deno.readTextFileSync(selectedPath(resultsDir));
    const listed = planWithCurrentSelection(planExperiments("quick"), resultsDir, { write: false });
    assertEquals(resolveCell(listed, seed.key).waitsFor, [selection]);
    assertEquals(Deno.readTextFileSync(selectedPath(resultsDir)), onDisk);
    const current = planWithCurrentSelection(planExperiments("quick"), resultsDir, {
      log: (line) => lines.push(line),
    });
    assertEquals(resolveCell(current, seed.key).waitsFor, [selection]);
    assertEquals(JSON.parse(Deno.readTextFileSync(selectedPath(resultsDir))), { [label]: {} });
    assertEquals(lines.length, 1);
    // Nothing stale: the file's choice is taken as it is, and the file is not written again.
    Deno.removeSync(`${cellsDirectory(resultsDir)}`, { recursive: true });
    const kept = JSON.stringify(plan.selected);
    Deno.writeTextFileSync(selectedPath(resultsDir), kept);
    const again = planWithCurrentSelection(planExperiments("quick"), resultsDir, { log: () => {} });
    assertEquals(resolveCell(again, seed.key).waitsFor, undefined);
    assertEquals(again.selected, plan.selected);
    assertEquals(Deno.readTextFileSync(selectedPath(resultsDir)), kept);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("reproduce --list-cells and --cell: a seed whose choice has stale trials waits for them", async () => {
  const parent = Deno.makeTempDirSync();
  const resultsDir = `${parent}/results`;
  try {
    const { seed, selection, label } = folderWithStaleChoice(resultsDir);
    // The listing a cluster submission stages from puts the seed after the trials, and writes
    // nothing (it listed the seed in stage 0, where its task would have waited for the trials).
    const onDisk = Deno.readTextFileSync(selectedPath(resultsDir));
    const listing = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "scripts/reproduce.ts", "--quick", "--list-cells", "--json"]
        .concat(["--results", resultsDir]),
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(listing.code, 0, new TextDecoder().decode(listing.stderr));
    const listed = (JSON.parse(new TextDecoder().decode(listing.stdout)) as {
      cells: { key: string; stage?: number }[];
    }).cells.find((cell) => cell.key === seed.key)!;
    assertEquals(listed.stage, 1);
    assertEquals(Deno.readTextFileSync(selectedPath(resultsDir)), onDisk);
    // A wait of 0 s: the task gives up at once, where it used to train and store the seed.
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "scripts/reproduce.ts",
        "--quick",
        "--cell",
        seed.key,
        "--results",
        resultsDir,
      ],
      env: { DEMURE_SELECTION_WAIT_S: "0", DEMURE_BLAS_THREADS: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assertEquals(out.code, 1, stderr);
    assertStringIncludes(
      stderr,
      `cell ${seed.key}: waited 0 s (DEMURE_SELECTION_WAIT_S) for the selection of ${selection}`,
    );
    // At once: before its first 20 s wait, not after it.
    const stdout = new TextDecoder().decode(out.stdout);
    assertEquals(stdout.includes("waiting for the selection"), false, stdout);
    assertEquals(new ResultStore(cellsDirectory(resultsDir)).has(seed.key), false);
    assertEquals(JSON.parse(Deno.readTextFileSync(selectedPath(resultsDir))), { [label]: {} });
  } finally {
    Deno.removeSync(parent, { recursive: true });
  }
});

Deno.test("a claim of an earlier attempt of the same batch task is taken over, other jobs' are not", () => {
  const directory = Deno.makeTempDirSync();
  const store = new ResultStore(directory);
  // pid 1 on another host: not judged by the process table, only by the job.
  const earlier = { pid: 1, hostname: "node3", since: "then", job: "41_7" };
  Deno.writeTextFileSync(store.claimPathOf("k"), JSON.stringify(earlier));
  assertEquals(store.claim("k", "41_8")?.job, "41_7", "another task's claim holds");
  assertEquals(store.claim("k"), earlier, "a process outside any job does not take it");
  assertEquals(store.claim("k", "41_7"), undefined, "the restarted task takes it over");
  assertEquals(store.claimOf("k")?.pid, Deno.pid);
  assertEquals(store.claimOf("k")?.job, "41_7");
  store.release("k");
  assertEquals(store.claimOf("k"), undefined);
  Deno.removeSync(directory, { recursive: true });
});

Deno.test("listCells: a pending cell whose same run is recorded is listed as free and names it", () => {
  const plan = planExperiments("full");
  const { trial, index } = firstReusableTrial(plan);
  const resultsDir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(resultsDir));
    const record = storedCellResult();
    // Recorded with other settings: not the same run, a full training to come.
    store.put(trial.sameAs!, { ...settingsOf(plan, trial), seed: 9 }, record);
    let listed = listCells(plan, resultsDir)[index];
    assertEquals([listed.status, listed.reuses], ["pending", undefined]);
    assertEquals(listed.estimatedSeconds > 0, true);
    store.put(trial.sameAs!, settingsOf(plan, trial), record);
    listed = listCells(plan, resultsDir)[index];
    assertEquals([listed.status, listed.reuses, listed.estimatedSeconds], [
      "pending",
      trial.sameAs,
      0,
    ]);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("listCells gives a waiting cell the chain of trials before it as waitSeconds", () => {
  const plan = planExperiments("full");
  const cells = listCells(plan);
  const byKey = new Map(cells.map((c) => [c.key, c]));
  const longest = (prefix: string) =>
    Math.max(...cells.filter((c) => c.key.startsWith(prefix)).map((c) => c.estimatedSeconds));
  const backboneTrials = longest("full/MovieLens/GRU4Rec-MM/trial=");
  const demureTrials = longest("full/MovieLens/Demure-GRU4Rec/trial=");
  // The backbone's trials wait for nothing; Demure's wait for the backbone's selection; Demure's
  // seeds wait for both stages.
  assertEquals(byKey.get("full/MovieLens/GRU4Rec-MM/trial=0/seed=0")!.waitSeconds, undefined);
  assertEquals(
    byKey.get("full/MovieLens/Demure-GRU4Rec/trial=1/seed=0")!.waitSeconds,
    backboneTrials,
  );
  assertEquals(
    byKey.get("full/MovieLens/Demure-GRU4Rec/seed=2")!.waitSeconds,
    backboneTrials + demureTrials,
  );
  assertEquals(byKey.get("full/MovieLens/GRU4Rec-MM/seed=2")!.waitSeconds, backboneTrials);
  // Cells with nothing to wait for carry no wait.
  assertEquals(
    cells.filter((c) => !plan.cells[c.index].waitsFor).every((c) => !c.waitSeconds),
    true,
  );
});

Deno.test("listCells puts each waiting cell in the stage after the trials it waits for", () => {
  const plan = planExperiments("full");
  const stageOf = (cells: CellListing[], key: string) => cells.find((c) => c.key === key)!.stage;
  let cells = listCells(plan);
  // Three stages from scratch: the backbones' trials, then the Demure trials and the backbones'
  // seeds, then the Demure seeds.
  assertEquals(stageOf(cells, "full/MovieLens/GRU4Rec-MM/trial=0/seed=0"), undefined);
  assertEquals(stageOf(cells, "full/MovieLens/GRU4Rec-MM/seed=2"), 1);
  assertEquals(stageOf(cells, "full/MovieLens/Demure-GRU4Rec/trial=1/seed=0"), 1);
  assertEquals(stageOf(cells, "full/MovieLens/Demure-GRU4Rec/seed=2"), 2);
  assertEquals(Math.max(...cells.map((c) => c.stage ?? 0)), 2);
  // Finished trials no longer hold a stage back: with every Demure-GRU4Rec trial stored (its
  // selection not yet written), its seeds are the next stage.
  const resultsDir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(resultsDir));
    for (const cell of plan.cells) {
      if (cell.key.startsWith("full/MovieLens/Demure-GRU4Rec/trial=")) {
        store.put(cell.key, settingsOf(plan, cell), storedCellResult());
      }
    }
    cells = listCells(plan, resultsDir);
    assertEquals(stageOf(cells, "full/MovieLens/Demure-GRU4Rec/seed=2"), 1);
    assertEquals(
      cells.find((c) => c.key === "full/MovieLens/Demure-GRU4Rec/seed=2")!.waitSeconds,
      0,
    );
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("pendingCost sums the unfinished cells and finds the longest task with its wait", () => {
  const cell = (key: string, status: CellListing["status"], seconds: number, wait?: number) => ({
    index: 0,
    key,
    dataset: "d",
    system: "s",
    seed: 0,
    estimatedSeconds: seconds,
    status,
    ...(wait === undefined ? {} : { waitSeconds: wait }),
  });
  const cost = pendingCost([
    cell("done", "finished", 5000),
    cell("trial", "claimed", 600),
    cell("seed", "pending", 500, 600),
    cell("other", "pending", 1000),
  ]);
  assertEquals(cost.cells, 3);
  assertEquals(cost.trainingSeconds, 2100);
  assertEquals(cost.longestTask, { key: "seed", seconds: 1100, waitSeconds: 600 });
  assertEquals(pendingCost([cell("done", "finished", 1)]).longestTask, undefined);
});
