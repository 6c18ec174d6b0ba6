import {
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { planExperiments, replanWith } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { checkCellResult } from "../../lib/experiments/cell_result_check.ts";
import { cellsDirectory, selectedPath, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { type CellOutcome, runPlan, runPlannedCell } from "../../lib/experiments/run_plan.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { estimatedCellSeconds } from "../../lib/experiments/cell_seconds.ts";
import { selectedFrom, writeSelection } from "../../lib/experiments/selection_record.ts";
import { withoutFlock } from "./_no_flock.ts";
import { storedCellResult } from "./_cell_result.ts";
import { quickPlanWithoutTraining } from "./_quick_plan_without_training.ts";
import { runWithClaimLocksRefused } from "./_claim_locks_refused.ts";
import { smallScoredCell } from "./_small_scored_cell.ts";

await initBackend({ verbose: false });

Deno.test("runPlan skips a cell another live process has claimed, runs the rest, then resumes", async () => {
  const plan = quickPlanWithoutTraining();
  assertEquals(plan.cells.length >= 2, true);
  const resultsDir = Deno.makeTempDirSync();
  const store = new ResultStore(cellsDirectory(resultsDir));
  const [held, ...free] = plan.cells;
  // pid 1 is always alive on Linux: the claim belongs to a running process.
  Deno.writeTextFileSync(
    store.claimPathOf(held.key),
    JSON.stringify({ pid: 1, hostname: Deno.hostname(), since: "now" }),
  );
  const lines: string[] = [];
  const first = await runPlan(plan, { resultsDir, log: (line) => lines.push(line) });
  assertStringIncludes(lines[0], `${plan.cells.length} cells planned, 0 already finished`);
  assertEquals(first.pending, [held.key]);
  assertEquals(first.cells.length, free.length);
  assertEquals(
    lines.some((line) => line.startsWith(`skip ${held.key}: held by process 1`)),
    true,
  );
  const claims = [...Deno.readDirSync(store.directory)].filter((e) => e.name.endsWith(".claim"));
  assertEquals(claims.length, 1, "claims of finished cells are released");
  Deno.removeSync(store.claimPathOf(held.key));
  const secondLines: string[] = [];
  const second = await runPlan(plan, {
    resultsDir,
    workers: 2,
    log: (line) => secondLines.push(line),
  });
  // The opening line counts the cells resumed, and the held cell's time shared by 2 processes.
  const cost = estimatedCellSeconds(plan, held);
  assertStringIncludes(
    secondLines[0],
    `${plan.cells.length} cells planned, ${free.length} already finished`,
  );
  assertStringIncludes(
    secondLines[0],
    `about ${cost} s of training on this machine kind, about ${
      Math.round(cost / 2)
    } s of wall time in 2 ` +
      "processes",
  );
  assertEquals(second.pending, []);
  assertEquals(second.cells.map((c) => c.system), plan.cells.map((c) => c.systemName));
  Deno.removeSync(resultsDir, { recursive: true });
});

Deno.test("runPlan: a selection finished by another process releases the cells waiting for it", async () => {
  const plan = planExperiments("quick");
  const onSynthetic = plan.cells.filter((c) => c.dataset.kind === "synthetic");
  const trials = onSynthetic.filter((c) => c.trial?.selection.endsWith("SASRec-MM"));
  const waiting = onSynthetic.find((c) =>
    c.systemName === "SASRec-MM" && !c.trial && c.seed !== plan.seeds[0]
  )!;
  const other = onSynthetic.find((c) => c.systemName === "SASRec-ID" && !c.waitsFor)!;
  assertEquals(trials.length >= 2 && waiting.waitsFor !== undefined, true);
  const referenceDir = Deno.makeTempDirSync();
  const resultsDir = Deno.makeTempDirSync();
  try {
    // The trials' results as the other process will write them.
    await runPlan({ ...plan, cells: trials }, { resultsDir: referenceDir, log: () => {} });
    const store = new ResultStore(cellsDirectory(resultsDir));
    // The other process (live: this process's own claims) holds the trials...
    for (const trial of trials) assertEquals(store.claim(trial.key), undefined);
    const ran: string[] = [];
    await runPlan({ ...plan, cells: [other, waiting] }, {
      resultsDir,
      log: () => {},
      onEpoch: (cell) => {
        ran.push(cell.key);
        // ...and finishes them while this process trains another cell.
        for (const trial of trials) {
          if (store.claimOf(trial.key) === undefined) continue;
          const name = store.pathOf(trial.key).split("/").pop()!;
          Deno.copyFileSync(`${cellsDirectory(referenceDir)}/${name}`, store.pathOf(trial.key));
          store.release(trial.key);
        }
      },
    });
    assertEquals([...new Set(ran)], [other.key, waiting.key]);
    assertEquals(Deno.statSync(store.pathOf(waiting.key)).isFile, true);
  } finally {
    Deno.removeSync(referenceDir, { recursive: true });
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runPlan: onCellDone hears each cell it finished, with its logged line's result", async () => {
  // A notebook's summary of the cells it computed (cellsProgress) is made of these.
  const plan = quickPlanWithoutTraining();
  const resultsDir = Deno.makeTempDirSync();
  const lines: string[] = [];
  const done: Array<[string, string]> = [];
  await runPlan(plan, {
    resultsDir,
    log: (line) => lines.push(line),
    onCellDone: (cell, outcome) => {
      assertEquals(outcome.kind, "finished");
      if (outcome.kind === "finished") done.push([cell.key, outcome.result]);
    },
  });
  const logged = lines.filter((line) => /^\[\d+\/\d+\] /.test(line));
  assertEquals(done.map(([key]) => key), plan.cells.map((cell) => cell.key));
  assertEquals(logged.length, done.length);
  done.forEach(([key, result], index) => {
    assertMatch(result, /^valid NDCG@10 \d\.\d{4}, best epoch \d+\/\d+/);
    assertEquals(
      logged[index].startsWith(`[${index + 1}/${plan.cells.length}] ${key}: ${result} (`),
      true,
      logged[index],
    );
  });
  Deno.removeSync(resultsDir, { recursive: true });
});

/**
 * The quick plan's cells that train no model, in a new results folder where the first cell is held
 * by a live process of this host (pid 1) and the second has an empty (unreadable) claim: a run
 * leaves the one, fails the other and runs the rest.
 */
function planWithHeldAndBadCells() {
  const full = planExperiments("quick");
  const plan = { ...full, cells: full.cells.filter((c) => c.system.kind !== "neural") };
  const resultsDir = Deno.makeTempDirSync();
  const store = new ResultStore(cellsDirectory(resultsDir));
  const [held, bad, ...rest] = plan.cells;
  Deno.writeTextFileSync(
    store.claimPathOf(held.key),
    JSON.stringify({ pid: 1, hostname: Deno.hostname(), since: "now" }),
  );
  Deno.writeTextFileSync(store.claimPathOf(bad.key), "");
  return { plan, resultsDir, held, bad, rest };
}

Deno.test("runPlan: onCellDone hears a failed and a held cell as such, with their logged lines", async () => {
  // A notebook keeps these lines on its page (cellsProgress): by their outcome, not their words.
  const { plan, resultsDir, held, bad, rest } = planWithHeldAndBadCells();
  const lines: string[] = [];
  const outcomes: Array<[string, CellOutcome]> = [];
  await runPlan(plan, {
    resultsDir,
    continueOnFailure: true,
    log: (line) => lines.push(line),
    onCellDone: (cell, outcome) => outcomes.push([cell.key, outcome]),
  });
  const firstLines = lines.map((line) => line.split("\n")[0]);
  const lineOf = (prefix: string) => firstLines.find((line) => line.startsWith(prefix))!;
  assertEquals(outcomes.filter(([, outcome]) => outcome.kind !== "finished"), [
    [held.key, { kind: "held", line: lineOf(`skip ${held.key}: held by process 1`) }],
    [bad.key, { kind: "failed", line: lineOf(`FAILED ${bad.key}: `) }],
  ]);
  assertEquals(rest.length > 0, true);
  assertEquals(
    outcomes.filter(([, outcome]) => outcome.kind === "finished").map(([key]) => key),
    rest.map((cell) => cell.key),
  );
  Deno.removeSync(resultsDir, { recursive: true });
});

Deno.test("runPlan with runPending false runs nothing and still prepares every cell's dataset", async () => {
  const plan = quickPlanWithoutTraining();
  const resultsDir = Deno.makeTempDirSync();
  const outcome = await runPlan(plan, { resultsDir, runPending: false, log: () => {} });
  assertEquals(outcome.cells, []);
  assertEquals(outcome.pending, plan.cells.map((cell) => cell.key));
  assertEquals([...outcome.datasets.keys()], [plan.cells[0].datasetLabel]);
  Deno.removeSync(resultsDir, { recursive: true });
});

Deno.test("runPlan takes the cells listed in `order` first, in that order, then the plan's", async () => {
  const full = planExperiments("quick");
  const plan = {
    ...full,
    cells: full.cells.filter((c) => c.system.kind !== "neural"),
  };
  assertEquals(plan.cells.length >= 3, true);
  const keys = plan.cells.map((cell) => cell.key);
  const order = [keys[2], keys[0]];
  const resultsDir = Deno.makeTempDirSync();
  const lines: string[] = [];
  await runPlan(plan, { resultsDir, order, log: (line) => lines.push(line) });
  const ran = lines.flatMap((line) => /^\[\d+\/\d+\] (\S+):/.exec(line)?.slice(1) ?? []);
  assertEquals(ran, [keys[2], keys[0], ...keys.filter((key) => !order.includes(key))]);
  Deno.removeSync(resultsDir, { recursive: true });
});

Deno.test("runPlan with firstDataset runs that dataset's cells first, then the rest in plan order", async () => {
  const full = planExperiments("quick");
  const plan = { ...full, cells: full.cells.filter((c) => c.system.kind !== "neural") };
  const firstDataset = plan.cells[plan.cells.length - 1].dataset.kind;
  assertNotEquals(plan.cells[0].dataset.kind, firstDataset, "the plan starts on another dataset");
  const keys = plan.cells.map((cell) => cell.key);
  const theirs = plan.cells.filter((c) => c.dataset.kind === firstDataset).map((c) => c.key);
  const resultsDir = Deno.makeTempDirSync();
  const lines: string[] = [];
  await runPlan(plan, { resultsDir, firstDataset, log: (line) => lines.push(line) });
  const ran = lines.flatMap((line) => /^\[\d+\/\d+\] (\S+):/.exec(line)?.slice(1) ?? []);
  assertEquals(ran, [...theirs, ...keys.filter((key) => !theirs.includes(key))]);
  Deno.removeSync(resultsDir, { recursive: true });
});

Deno.test("runPlan: the time left counts the cells other processes finished, not only its own", async () => {
  const plan = planExperiments("quick");
  const [mine, theirs] = plan.cells.filter((c) =>
    c.dataset.kind === "synthetic" && c.system.kind === "neural" && !c.waitsFor && !c.trial
  );
  const referenceDir = Deno.makeTempDirSync();
  const resultsDir = Deno.makeTempDirSync();
  try {
    // The other process's result, as it will write it.
    await runPlan({ ...plan, cells: [theirs] }, { resultsDir: referenceDir, log: () => {} });
    const store = new ResultStore(cellsDirectory(resultsDir));
    // The other process holds its cell (live: this process's own claim) and finishes it while
    // this process trains the other one: after that, nothing of the plan is left.
    assertEquals(store.claim(theirs.key), undefined);
    const lines: string[] = [];
    await runPlan({ ...plan, cells: [mine, theirs] }, {
      resultsDir,
      log: (line) => lines.push(line),
      onEpoch: () => {
        if (store.claimOf(theirs.key) === undefined) return;
        const name = store.pathOf(theirs.key).split("/").pop()!;
        Deno.copyFileSync(`${cellsDirectory(referenceDir)}/${name}`, store.pathOf(theirs.key));
        store.release(theirs.key);
      },
    });
    // Its place counts the cell the other process finished: the whole plan's, not this process's.
    const finished = lines.find((line) => line.startsWith(`[2/2] ${mine.key}:`));
    assertEquals(finished?.endsWith("about 0 s of the planned cells left)"), true, finished);
  } finally {
    Deno.removeSync(referenceDir, { recursive: true });
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runPlan: a selection re-derived from rerun trials replaces the choice this process started with", async () => {
  // Two processes share a results folder while a selection's trials are rerun (their records were
  // stale): this one started with the earlier choice in selected.json, so its seeds do not wait.
  // Once the other process has finished the trials, this one's next seed must run with the new
  // choice, not the earlier one (each process would otherwise overwrite the other's records).
  const fresh = planExperiments("quick");
  const label = fresh.cells.find((c) => c.dataset.kind === "synthetic")!.datasetLabel;
  const trialsOf = (system: string) =>
    fresh.cells.filter((c) =>
      c.datasetLabel === label && c.trial?.selection === `${label}/${system}`
    );
  const trials = trialsOf("SASRec-MM");
  const referenceDir = Deno.makeTempDirSync();
  const resultsDir = Deno.makeTempDirSync();
  try {
    await runPlan({ ...fresh, cells: trials }, { resultsDir: referenceDir, log: () => {} });
    const reference = new ResultStore(cellsDirectory(referenceDir));
    const finished = new Map(
      trials.map((t) => [t.key, reference.get(t.key, settingsOf(fresh, t), checkCellResult)!]),
    );
    const winner = selectedFrom(fresh, finished)[label]["SASRec-MM"];
    const loser = trials.find((t) => t.trial!.index !== winner.trial)!;
    const earlier = {
      "SASRec-MM": { trial: loser.trial!.index, config: loser.config, valid: 0, trials: 2 },
    };
    const stale = planExperiments("quick", undefined, { selected: { [label]: earlier } });
    const seedCell = (system: string) =>
      stale.cells.find((c) =>
        c.datasetLabel === label && c.systemName === system && !c.trial && c.seed !== stale.seeds[0]
      )!;
    const [first, seed] = [seedCell("SASRec-ID"), seedCell("SASRec-MM")];
    assertEquals([first.waitsFor, seed.waitsFor], [undefined, undefined], "nothing waits");
    const store = new ResultStore(cellsDirectory(resultsDir));
    await runPlan({ ...stale, cells: [first, seed] }, {
      resultsDir,
      log: () => {},
      order: [first.key, seed.key],
      // The other process finishes the rerun trials while this one trains its first cell.
      onEpoch: () => {
        for (const trial of trials) {
          const name = store.pathOf(trial.key).split("/").pop()!;
          Deno.copyFileSync(`${cellsDirectory(referenceDir)}/${name}`, store.pathOf(trial.key));
        }
      },
    });
    const withWinner = planExperiments("quick", undefined, {
      selected: { [label]: { ...earlier, "SASRec-MM": winner } },
    });
    const expected = settingsOf(withWinner, withWinner.cells.find((c) => c.key === seed.key)!);
    assertNotEquals(expected, settingsOf(stale, seed), "the two choices differ");
    const stored = JSON.parse(Deno.readTextFileSync(store.pathOf(seed.key))).settings;
    assertEquals(stored, JSON.parse(JSON.stringify(expected)));
  } finally {
    Deno.removeSync(referenceDir, { recursive: true });
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("writeSelection drops a choice whose trials are stale, and the choice built on it, so their cells wait", () => {
  const label = planExperiments("quick").cells.find((c) => c.dataset.kind === "synthetic")!
    .datasetLabel;
  const trialOf = (plan: ReturnType<typeof planExperiments>, system: string, index: number) =>
    plan.cells.find((c) => c.trial?.selection === `${label}/${system}` && c.trial.index === index)!;
  // SASRec-MM's choice, then Demure-SASRec's, whose trials start from SASRec-MM's choice.
  const first = planExperiments("quick");
  const backbone = {
    trial: 0,
    config: trialOf(first, "SASRec-MM", 0).config,
    valid: 0.1,
    trials: 2,
  };
  const second = planExperiments("quick", undefined, {
    selected: { [label]: { "SASRec-MM": backbone } },
  });
  const demure = trialOf(second, "Demure-SASRec", 0);
  assertEquals(demure.waitsFor, undefined);
  const earlier = {
    [label]: {
      "SASRec-MM": backbone,
      "Demure-SASRec": { trial: 0, config: demure.config, valid: 0.1, trials: 2 },
    },
  };
  const plan = planExperiments("quick", undefined, { selected: earlier });
  const resultsDir = Deno.makeTempDirSync();
  try {
    // The trials absent (a verification folder): the choices stand, nothing is written.
    assertEquals(writeSelection(plan, resultsDir, () => {}), earlier);
    assertThrows(() => Deno.statSync(selectedPath(resultsDir)), Deno.errors.NotFound);
    // A SASRec-MM trial stored with other settings (the trial changed since): both choices go.
    const store = new ResultStore(cellsDirectory(resultsDir));
    store.put(trialOf(plan, "SASRec-MM", 1).key, { changed: true }, {});
    const lines: string[] = [];
    const selected = writeSelection(plan, resultsDir, (line) => lines.push(line));
    assertEquals(selected, { [label]: {} });
    assertEquals(JSON.parse(Deno.readTextFileSync(selectedPath(resultsDir))), selected);
    assertEquals(lines.length, 1);
    // Their seeds now wait for the selections to run again.
    const after = replanWith(plan, selected);
    const seeds = after.cells.filter((c) =>
      c.datasetLabel === label && !c.trial &&
      (c.systemName === "SASRec-MM" || c.systemName === "Demure-SASRec")
    );
    assertEquals(seeds.length > 0 && seeds.every((c) => c.waitsFor !== undefined), true);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runPlan: a cell whose claim cannot be taken fails alone; the run goes on", async () => {
  const plan = quickPlanWithoutTraining();
  const resultsDir = Deno.makeTempDirSync();
  const store = new ResultStore(cellsDirectory(resultsDir));
  const [bad, ...rest] = plan.cells;
  // An empty claim (left by a killed writer of an earlier version): before, the claim was taken
  // outside the cell's try, and its error ended the whole run despite continueOnFailure.
  Deno.writeTextFileSync(store.claimPathOf(bad.key), "");
  const outcome = await runPlan(plan, { resultsDir, log: () => {}, continueOnFailure: true });
  assertEquals(outcome.failed.map((f) => f.key), [bad.key]);
  assertEquals(outcome.cells.length, rest.length);
  assertEquals(Deno.readTextFileSync(store.claimPathOf(bad.key)), "", "left alone");
  Deno.removeSync(resultsDir, { recursive: true });
});

Deno.test("runPlan: a results folder without file locks stops the run at its first claim, naming the lock file", async () => {
  const plan = quickPlanWithoutTraining();
  const resultsDir = Deno.makeTempDirSync();
  try {
    const lines: string[] = [];
    const run = () =>
      runPlan(plan, { resultsDir, log: (line) => lines.push(line), continueOnFailure: true });
    // Before, the first cell ran, and its release failed on `Function not implemented`, naming no
    // file and leaving the claim and a lock file behind.
    const error = await withoutFlock(() => assertRejects(run));
    assertMatch(error.message, /\/cells\/[^ ]+\.claim\.lock: cannot lock .*flock/);
    assertEquals(
      lines.filter((line) => line.startsWith("FAILED")),
      [],
      "one error, not one a cell",
    );
    assertEquals([...Deno.readDirSync(cellsDirectory(resultsDir))], [], "no claim, lock or cell");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

const TINY_RECBOLE = {
  kind: "file",
  path: new URL("../fixtures/byo/tiny", import.meta.url).pathname,
  format: "recbole",
} as const;

Deno.test("runPlan: a cell that ran to its epoch cap says so; one process's opening line names no wall time", async () => {
  const plan = planExperiments("quick", [0], {
    dataset: TINY_RECBOLE,
    datasetTraining: { maxEpochs: 1, batchSize: 16, maxBatchesPerEpoch: 1 },
  });
  const cell = plan.cells.find((c) => c.systemName === "SASRec-MM" && !c.waitsFor)!;
  const resultsDir = Deno.makeTempDirSync();
  const lines: string[] = [];
  const results: string[] = [];
  try {
    const outcome = await runPlan({ ...plan, cells: [cell] }, {
      resultsDir,
      log: (line) => lines.push(line),
      onEpoch: () => {},
      onCellDone: (_cell, done) => done.kind === "finished" && results.push(done.result),
    });
    assertEquals(outcome.cells[0].capBound, true);
    assertEquals(results.length, 1);
    assertEquals(results[0].endsWith("best epoch 1/1 (cap bound)"), true, results[0]);
    assertStringIncludes(lines.find((line) => line.startsWith("[1/1] "))!, "(cap bound)");
    assertEquals(lines[0].includes("wall time"), false, lines[0]);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runPlan: a cell whose run cannot write (PermissionDenied) fails alone with continueOnFailure", async () => {
  // Only a claim that cannot be written says the whole folder is unwritable; the same error from
  // inside a claimed cell's run is that cell's failure.
  const plan = planExperiments("quick", [0], {
    dataset: TINY_RECBOLE,
    datasetTraining: { maxEpochs: 1, batchSize: 16, maxBatchesPerEpoch: 1 },
  });
  const neural = plan.cells.find((c) => c.systemName === "SASRec-MM" && !c.waitsFor)!;
  const plain = plan.cells.find((c) => c.system.kind !== "neural")!;
  const resultsDir = Deno.makeTempDirSync();
  try {
    const outcome = await runPlan({ ...plan, cells: [neural, plain] }, {
      resultsDir,
      continueOnFailure: true,
      log: () => {},
      onEpoch: () => {
        throw new Deno.errors.PermissionDenied("not this cell's file");
      },
    });
    assertEquals(outcome.failed, [{ key: neural.key, error: "not this cell's file" }]);
    assertEquals(outcome.cells.map((c) => c.system), [plain.systemName]);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runPlannedCell: a cell planned to score its attribution returns it", async () => {
  // A smaller synthetic dataset and one step: the attribution is scored whatever the model learned.
  const { plan, cell } = smallScoredCell();
  const data = await prepareDataset(cell.dataset);
  const result = await runPlannedCell(plan, cell, data, { onProgress: () => {} });
  assertEquals((result.attribution?.length ?? 0) > 0, true);
});

Deno.test("runPlan: a full disk at the first claim stops the run (one error, not a failure a cell)", async () => {
  // No space left for the claim's lock file: every later claim would fail the same way.
  const { error, lines } = await runWithClaimLocksRefused(
    quickPlanWithoutTraining(),
    () => Object.assign(new Error("No space left on device (os error 28)"), { code: "ENOSPC" }),
  );
  assertStringIncludes(error.message, "No space left on device");
  assertEquals(
    lines.filter((line) => line.startsWith("FAILED")),
    [],
    "one error, not one a cell",
  );
});

Deno.test("runPlan: a cell waiting for its selection is pending, even beside a record of its settings", async () => {
  // A record left from an earlier choice that a stale selection dropped: while the cell waits,
  // its settings are not yet known, so no record may count as its result.
  const plan = planExperiments("quick", [0]);
  const waiting = plan.cells.find((c) => c.waitsFor && c.dataset.kind === "synthetic")!;
  const resultsDir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(resultsDir));
    store.put(waiting.key, settingsOf(plan, waiting), storedCellResult());
    const outcome = await runPlan(plan, { resultsDir, runPending: false, log: () => {} });
    assertEquals(outcome.pending.includes(waiting.key), true);
    assertEquals(outcome.byKey.has(waiting.key), false);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runPlan prepares each dataset once, and not at all when given it prepared", async () => {
  const plan = quickPlanWithoutTraining();
  const label = plan.cells[0].datasetLabel;
  assertEquals(plan.cells.filter((c) => c.datasetLabel === label).length >= 2, true);
  const resultsDir = Deno.makeTempDirSync();
  try {
    const lines: string[] = [];
    const { datasets } = await runPlan(plan, {
      resultsDir,
      runPending: false,
      log: (line) => lines.push(line),
    });
    assertEquals(lines.filter((line) => line.startsWith(`dataset ${label}\n`)).length, 1);
    const again: string[] = [];
    const second = await runPlan(plan, {
      resultsDir,
      runPending: false,
      datasets,
      log: (line) => again.push(line),
    });
    assertEquals(again.some((line) => line.startsWith("dataset ")), false);
    assertEquals(second.datasets.get(label), datasets.get(label), "the same prepared dataset");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runPlan of one waiting cell adds the trials of its selection and of its backbone's", async () => {
  const quick = planExperiments("quick");
  const wanted = quick.cells.find((c) =>
    c.systemName === "Demure-SASRec" && c.dataset.kind === "synthetic" && c.waitsFor
  )!;
  const resultsDir = Deno.makeTempDirSync();
  try {
    // Every trial is held by another live process: nothing trains here.
    const store = new ResultStore(cellsDirectory(resultsDir));
    for (const trial of quick.cells.filter((c) => c.trial)) {
      Deno.writeTextFileSync(
        store.claimPathOf(trial.key),
        JSON.stringify({ pid: 1, hostname: Deno.hostname(), since: "now" }),
      );
    }
    const outcome = await runPlan({ ...quick, cells: [wanted] }, { resultsDir, log: () => {} });
    const cells = outcome.plan.cells;
    assertEquals(cells.some((c) => c.key === wanted.key), true);
    const waitedFor = new Set(cells.flatMap((c) => c.waitsFor ?? []));
    assertEquals(waitedFor.size >= 2, true, "Demure's selection and its backbone's");
    for (const selection of waitedFor) {
      assertEquals(cells.some((c) => c.trial?.selection === selection), true, selection);
    }
    assertEquals(cells.every((c) => c.key === wanted.key || c.trial !== undefined), true);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runPlan: the place counts the plan's finished cells and the closing line the cells this process ran, not the held or failed ones", async () => {
  const { plan, resultsDir, rest } = planWithHeldAndBadCells();
  const lines: string[] = [];
  try {
    await runPlan(plan, { resultsDir, continueOnFailure: true, log: (line) => lines.push(line) });
    const counted = lines.flatMap((line) => /^\[(\d+\/\d+)\] (\S+):/.exec(line)?.slice(1, 3) ?? []);
    assertEquals(
      counted,
      rest.flatMap((cell, index) => [`${index + 1}/${plan.cells.length}`, cell.key]),
    );
    assertEquals(
      lines.find((line) => line.startsWith("this process ran")),
      `this process ran ${rest.length} cells, 1 failed, 0 handed over (taken over by another ` +
        "process while they ran here)",
    );
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runPlan: a key of `order` already finished (or not in the plan) passes on to the next listed key", async () => {
  const full = planExperiments("quick");
  const plan = { ...full, cells: full.cells.filter((c) => c.system.kind !== "neural") };
  assertEquals(plan.cells.length >= 3, true);
  const keys = plan.cells.map((cell) => cell.key);
  const resultsDir = Deno.makeTempDirSync();
  try {
    await runPlan({ ...plan, cells: [plan.cells[0]] }, { resultsDir, log: () => {} });
    const lines: string[] = [];
    const order = [keys[0], "quick/Nowhere/Pop/seed=0", keys[2]];
    await runPlan(plan, { resultsDir, order, log: (line) => lines.push(line) });
    const ran = lines.flatMap((line) => /^\[\d+\/\d+\] (\S+):/.exec(line)?.slice(1) ?? []);
    assertEquals(ran, [keys[2], ...keys.slice(1).filter((key) => key !== keys[2])]);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runPlan: a read-only file system or a denied capability at the first claim stops the run", async () => {
  const refusals: [string, () => Error][] = [
    [
      "EROFS",
      () => Object.assign(new Error("Read-only file system (os error 30)"), { code: "EROFS" }),
    ],
    ["NotCapable", () => new Deno.errors.NotCapable("Requires write access")],
  ];
  for (const [name, refusal] of refusals) {
    const { lines } = await runWithClaimLocksRefused(quickPlanWithoutTraining(), refusal);
    assertEquals(lines.filter((line) => line.startsWith("FAILED")), [], name);
  }
});

Deno.test("runPlan with runPending false writes no selection into the results folder", async () => {
  // A report of a partial run reads the folder; it must not write selected.json beside the cells
  // that other processes are still writing.
  const plan = planExperiments("quick", [0]);
  const selection = plan.cells.find((c) => c.trial && !c.waitsFor)!.trial!.selection;
  const trials = plan.cells.filter((c) => c.trial?.selection === selection);
  const resultsDir = Deno.makeTempDirSync();
  try {
    // Every trial of one selection stored: a refresh would derive (and write) its choice.
    const store = new ResultStore(cellsDirectory(resultsDir));
    trials.forEach((trial, index) =>
      store.put(trial.key, settingsOf(plan, trial), storedCellResult(0.1 + index / 100))
    );
    const outcome = await runPlan(plan, { resultsDir, runPending: false, log: () => {} });
    assertEquals(outcome.cells.length, trials.length);
    assertEquals(outcome.plan.selected, plan.selected);
    assertThrows(() => Deno.statSync(selectedPath(resultsDir)), Deno.errors.NotFound);
    // The run that trains does write it.
    writeSelection(plan, resultsDir, () => {});
    assertEquals(Deno.statSync(selectedPath(resultsDir)).isFile, true);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runPlan: each cell's line says its own time, and the time left from the whole run's time over the estimate done", async () => {
  const full = planExperiments("quick");
  const plan = { ...full, cells: full.cells.filter((c) => c.system.kind !== "neural") };
  // Four cells of 2 s each by the estimate: the time left is extrapolated from the run's clock.
  assertEquals(plan.cells.map((cell) => estimatedCellSeconds(plan, cell)), [2, 2, 2, 2]);
  const resultsDir = Deno.makeTempDirSync();
  const now = performance.now;
  // A clock that moves only between cells (100 s each): each cell itself takes 0 s.
  let clock = 0;
  Object.defineProperty(performance, "now", {
    value: () => clock,
    configurable: true,
    writable: true,
  });
  const lines: string[] = [];
  try {
    await runPlan(plan, {
      resultsDir,
      log: (line) => lines.push(line),
      onCellDone: () => clock += 100_000,
    });
  } finally {
    Object.defineProperty(performance, "now", { value: now, configurable: true, writable: true });
    Deno.removeSync(resultsDir, { recursive: true });
  }
  const times = lines.flatMap((line) =>
    /^\[\d+\/\d+\] .*\((.*); about (.*) of the planned cells left\)/.exec(line)?.slice(1, 3) ?? []
  );
  // After cell k: 100 (k - 1) s over 2k s of the estimate done, times the 8 - 2k s left.
  assertEquals(times, ["0 s", "0 s", "0 s", "1.7 min", "0 s", "67 s", "0 s", "0 s"]);
});

Deno.test("runPlan returns the prepared dataset of every dataset its cells run on, not the first one's only", async () => {
  // The report reads each dataset's statistics from these.
  const full = planExperiments("quick");
  const plan = { ...full, cells: full.cells.filter((c) => c.system.kind !== "neural") };
  const labels = [...new Set(plan.cells.map((cell) => cell.datasetLabel))];
  assertEquals(labels.length >= 2, true);
  const resultsDir = Deno.makeTempDirSync();
  try {
    const outcome = await runPlan(plan, { resultsDir, runPending: false, log: () => {} });
    assertEquals([...outcome.datasets.keys()], labels);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
