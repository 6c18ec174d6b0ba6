import { assert, assertEquals, assertThrows } from "@std/assert";
import { storedCellResult } from "./_cell_result.ts";
import { cellsOf, planExperiments } from "../../lib/experiments/plan.ts";
import {
  finishedCells,
  reuseSameRun,
  selectedPath,
  settingsOf,
} from "../../lib/experiments/stored_cells.ts";
import { selectedFrom, writeSelectedFile } from "../../lib/experiments/selection_record.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { DEFAULT_GRU4REC_CONFIG } from "../../lib/models/gru4rec.ts";
import { DEFAULT_SASREC_CONFIG } from "../../lib/models/sasrec.ts";
import { DEFAULT_ADAM_CONFIG } from "../../lib/train/adam.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import {
  inheritedConfig,
  maxTrialsOf,
  mergeTrialConfig,
  readSelected,
  SELECTION_SPECS,
  selectTrial,
  type TrialConfig,
  trialConfigOf,
  type TrialOutcome,
  trialsOf,
} from "../../lib/experiments/selection.ts";

Deno.test("trialsOf: trial 0 is the defaults, the others distinct points drawn reproducibly", () => {
  const trials = trialsOf("Demure-SASRec", 5);
  assertEquals(trials.length, 5);
  assertEquals(trials[0].config, {});
  const points = trials.slice(1).map((t) => JSON.stringify(t.point));
  assertEquals(new Set(points).size, 4);
  assertEquals(trialsOf("Demure-SASRec", 5), trials, "same draw every time");
  // The draw's seed comes from the system's name: SASRec-ID and SASRec-MM search one space with
  // one default point, and still draw their own trials (one fixed seed would give both the same).
  const order = (system: "SASRec-ID" | "SASRec-MM") =>
    trialsOf(system, maxTrialsOf(system)).map((t) => JSON.stringify(t.point));
  assertEquals(order("SASRec-ID").sort(), order("SASRec-MM").sort(), "one space");
  assert(order("SASRec-ID").join() !== order("SASRec-MM").join(), "one draw for two systems");
  assertThrows(() => trialsOf("Pop", 2), Error, "no search space");
  assertThrows(() => trialsOf("SASRec-MM", 0), Error, "allowed 1..");
});

Deno.test("maxTrialsOf: the defaults plus every other grid point, exactly what trialsOf allows", () => {
  for (const system of ["SASRec-MM", "Demure-SASRec", "CL4SRec-MM"] as const) {
    const most = maxTrialsOf(system);
    const drawn = trialsOf(system, most);
    // Every point of the grid but the defaults' is drawn once.
    assertEquals(new Set(drawn.slice(1).map((t) => JSON.stringify(t.point))).size, most - 1);
    assertThrows(() => trialsOf(system, most + 1), Error, `allowed 1..${most}`);
  }
  // The backbones' grids (3 learning rates x 4 dropouts) hold their defaults; CL4SRec's (4 x 3)
  // and Demure's (4 x 3 x 3 x 4 x 2) do not, so the defaults are one trial more.
  assertEquals(
    (["SASRec-MM", "CL4SRec-MM", "Demure-SASRec"] as const).map((s) => maxTrialsOf(s)),
    [12, 13, 289],
  );
  assertThrows(() => maxTrialsOf("Pop"), Error, "no search space");
});

Deno.test("trialsOf: a point the run refuses is never drawn; the others keep their order", () => {
  const system = "Demure-SASRec";
  const all = trialsOf(system, maxTrialsOf(system));
  const runs = (trial: TrialConfig) => trial.demure?.warmupBy !== "plateau";
  // Two of the four warm-ups are plateaus: half of the 288 points is left out.
  const most = maxTrialsOf(system, runs);
  assertEquals(most, 1 + 144);
  const drawn = trialsOf(system, most, runs);
  assertEquals(drawn[0], all[0], "trial 0 is the defaults");
  assert(drawn.every((trial) => runs(trial.config)), "no refused point is drawn");
  // Left out after the shuffle, as the defaults' point is: the accepted points keep their order,
  // so a plan that refuses none draws what it drew before.
  const accepted = all.slice(1).filter((trial) => runs(trial.config)).map((t) => t.point);
  assertEquals(drawn.slice(1).map((t) => t.point), accepted);
  assertEquals(drawn.map((t) => t.index), [...Array(most).keys()]);
  assertEquals(trialsOf(system, 3, () => true), trialsOf(system, 3));
  assertThrows(
    () => trialsOf(system, most + 1, runs),
    Error,
    `allowed 1..${most} (less the points the run's settings refuse)`,
  );
});

Deno.test("trialConfigOf maps each space's names onto the systems' settings", () => {
  assertEquals(trialConfigOf({ learningRate: 0.005, dropout: 0.3 }), {
    learningRate: 0.005,
    dropout: 0.3,
  });
  assertEquals(trialConfigOf({ lambda: 0.2, augmentationStrength: 0.4 }), {
    cl4srec: { weight: 0.2, cropRatio: 0.6, maskRatio: 0.4, reorderRatio: 0.4 },
  });
  assertEquals(trialConfigOf({ lambda: 0.05, warmup: "plateau:2", denoiseInput: false }), {
    demure: { lambda: 0.05, warmupBy: "plateau", warmupEpochs: 2, denoiseInput: false },
  });
});

Deno.test("plan: every selected system gets the same number of trials per dataset", () => {
  const plan = planExperiments("full");
  for (const [kind, dataset] of Object.entries(plan.datasets)) {
    const trials = cellsOf(plan, "selection").filter((c) => c.dataset.kind === kind);
    for (const system of dataset.selected) {
      assert(SELECTION_SPECS[system] !== undefined, system);
      assertEquals(trials.filter((c) => c.systemKey === system).length, dataset.trials, system);
    }
    assertEquals(trials.length, dataset.trials * dataset.selected.length);
  }
});

Deno.test("trial 0 names the system's default run at the first seed, reused only with identical settings", () => {
  // A system that ran at its defaults and is selected later: trial 0 is that run.
  const plan = planExperiments("full");
  const trialZero = cellsOf(plan, "selection").filter((c) =>
    c.trial?.index === 0 && !c.waitsFor && c.datasetLabel === "MovieLens"
  );
  assert(trialZero.length > 0);
  for (const trial of trialZero) {
    assertEquals(trial.sameAs, `full/MovieLens/${trial.systemKey}/seed=0`);
    const main = plan.cells.find((c) => c.key === trial.sameAs);
    assert(main !== undefined, trial.sameAs);
  }
  const store = new ResultStore(Deno.makeTempDirSync());
  const trial = trialZero.find((c) => c.systemKey === "SASRec-ID")!;
  const settings = settingsOf(plan, trial);
  const recorded = storedCellResult(0.5, 0.4);
  // A record under the default cell's key with other settings (another seed) is not it.
  store.put(trial.sameAs!, { ...settings, seed: 7 }, recorded);
  assertEquals(reuseSameRun(store, trial, settings), undefined);
  store.put(trial.sameAs!, settings, recorded);
  const reused = reuseSameRun(store, trial, settings);
  assertEquals(reused?.test, recorded.test);
  // The copy is the trial's record: its system and protocol card name the trial's system.
  assertEquals([reused?.system, reused?.protocol.model], [trial.systemName, trial.systemName]);
  assertEquals(store.get<CellResult>(trial.key, settings)?.test, recorded.test);
  // A malformed record is refused with its file, never copied under the trial's key.
  const other = trialZero.find((c) => c.systemKey !== "SASRec-ID")!;
  const otherSettings = settingsOf(plan, other);
  store.put(other.sameAs!, otherSettings, { ...recorded, test: undefined });
  assertThrows(
    () => reuseSameRun(store, other, otherSettings),
    Error,
    `${store.pathOf(other.sameAs!)}: unreadable cell result (field "test" is`,
  );
  assertEquals(store.has(other.key), false);
});

function fakeResult(valid: number, test: number): CellResult {
  return { valid: { "NDCG@10": valid }, test: { "NDCG@10": test } } as unknown as CellResult;
}

Deno.test("selection reads validation only; the plan then runs the chosen trial over the seeds", () => {
  const plan = planExperiments("quick");
  const trials = cellsOf(plan, "selection").filter((c) => c.systemKey === "SASRec-MM");
  assertEquals(trials.length, 2);
  // Trial 1 is better on validation, worse on test: validation decides.
  const finished = new Map([
    [trials[0].key, fakeResult(0.1, 0.9)],
    [trials[1].key, fakeResult(0.2, 0.1)],
  ]);
  const selected = selectedFrom(plan, finished);
  const label = trials[0].datasetLabel;
  assertEquals(selected[label]["SASRec-MM"].trial, 1);
  assertEquals(selected[label]["SASRec-MM"].config, trials[1].config);
  // Before the selection the main cells wait; after it they run the chosen configuration.
  const waiting = cellsOf(plan, "main").filter((c) =>
    c.systemKey === "SASRec-MM" && c.datasetLabel === label
  );
  assert(waiting.every((c) => c.waitsFor?.includes(`${label}/SASRec-MM`)));
  const next = planExperiments("quick", undefined, { selected });
  const main = cellsOf(next, "main").filter((c) =>
    c.systemKey === "SASRec-MM" && c.datasetLabel === label
  );
  assertEquals(main.map((c) => c.waitsFor), [undefined, undefined]);
  // The first seed's cell is the chosen trial itself: identical settings, reused, not rerun.
  const first = main.find((c) => c.seed === next.datasets.synthetic.seeds[0])!;
  assertEquals(first.sameAs, trials[1].key);
  const trial = next.cells.find((c) => c.key === trials[1].key)!;
  assertEquals(settingsOf(next, first), settingsOf(next, trial));
  // Demure's trials now start from SASRec-MM's selected optimiser settings. Counted and compared
  // whole: `every` over them passed when the plan dropped them or left their settings alone.
  const demureTrials = cellsOf(next, "selection").filter((c) => c.systemKey === "Demure-SASRec");
  assertEquals(demureTrials.map((c) => c.waitsFor), [undefined, undefined]);
  const { learningRate, dropout } = trials[1].config;
  assertEquals([learningRate, dropout], [0.002, 0.5], "the chosen trial is not the defaults");
  for (const { config } of demureTrials) {
    assertEquals([config.learningRate, config.dropout], [learningRate, dropout], "inherited");
  }
});

Deno.test("ties on validation go to the lower trial index", () => {
  const plan = planExperiments("quick");
  const trials = cellsOf(plan, "selection").filter((c) => c.systemKey === "SASRec-MM");
  // Trial 1 is better on test: a tie on validation must not be broken by test.
  const finished = new Map(trials.map((c, i) => [c.key, fakeResult(0.1, 0.2 + i / 10)]));
  assertEquals(selectedFrom(plan, finished)[trials[0].datasetLabel]["SASRec-MM"].trial, 0);
  finished.delete(trials[1].key);
  assertEquals(selectedFrom(plan, finished), {}, "no selection before every trial finished");
});

Deno.test("readSelected: the records' file reads; a file of another shape names the field", () => {
  const records = readSelected("results-of-record/full/selected.json");
  assert(Object.keys(records).length > 0);
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/selected.json`;
  const cases: [string, string][] = [
    ["null", "field (the whole file) is null, expected an object by dataset label"],
    ["[]", "field (the whole file) is [], expected an object by dataset label"],
    ['{"MovieLens": 1}', 'field "MovieLens" is 1, expected an object by system name'],
    [
      '{"MovieLens": {"SASRec-MM": {"trial": -1, "config": {}, "valid": 0.1, "trials": 2}}}',
      "trial is -1",
    ],
    [
      '{"MovieLens": {"SASRec-MM": {"trial": 0, "valid": 0.1, "trials": 2}}}',
      "config is undefined",
    ],
    [
      '{"MovieLens": {"SASRec-MM": {"trial": 0, "config": {}, "valid": "x", "trials": 2}}}',
      'valid is "x"',
    ],
    [
      '{"MovieLens": {"SASRec-MM": {"trial": 0, "config": {}, "valid": 1e999, "trials": 2}}}',
      "valid is null, expected a finite number", // JSON reads 1e999 as Infinity
    ],
    [
      '{"MovieLens": {"SASRec-MM": {"trial": 0, "config": {}, "valid": 0.1, "trials": 0}}}',
      "trials is 0, expected an integer >= 1",
    ],
    ["{", "unreadable selected configurations"],
  ];
  for (const [text, message] of cases) {
    Deno.writeTextFileSync(path, text);
    const error = assertThrows(() => readSelected(path));
    assert(error.message.startsWith(`${path}: `), error.message);
    assert(error.message.includes(message), `${text}: ${error.message}`);
  }
  assertEquals(readSelected(`${dir}/absent.json`), {});
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("the selection leaves diverged trials out, and refuses a selection whose every trial diverged", () => {
  const plan = planExperiments("quick");
  const trials = cellsOf(plan, "selection").filter((c) => c.systemKey === "SASRec-MM");
  const diverged = (reason: string) => ({ ...fakeResult(0, 0), diverged: reason }) as CellResult;
  const label = trials[0].datasetLabel;
  // Trial 0 diverged and trial 1 scored 0 as well: trial 1 is chosen, not the tie's lower index.
  const finished = new Map([
    [trials[0].key, diverged("loss 1e9 at step 3")],
    [trials[1].key, fakeResult(0, 0.5)],
  ]);
  assertEquals(selectedFrom(plan, finished)[label]["SASRec-MM"].trial, 1);
  finished.set(trials[1].key, diverged("NaN gradient norm at step 7"));
  const error = assertThrows(() => selectedFrom(plan, finished), Error);
  assert(error.message.includes(trials[0].trial!.selection), error.message);
  assert(error.message.includes("all 2 trials diverged"), error.message);
  assert(error.message.includes("loss 1e9 at step 3"), error.message);
});

Deno.test("inheritedConfig: a method starts from its backbone's selected learning rate and dropout only", () => {
  const backbone = {
    trial: 2,
    config: { learningRate: 0.002, dropout: 0.3, demure: { lambda: 0.2 } },
    valid: 0.1,
    trials: 4,
  };
  // Both optimiser settings carry over; the backbone's other settings do not.
  assertEquals(inheritedConfig(backbone), { learningRate: 0.002, dropout: 0.3 });
  // A backbone selected at its defaults (trial 0, no settings) passes on nothing.
  assertEquals(inheritedConfig({ ...backbone, trial: 0, config: {} }), {});
  assertEquals(inheritedConfig({ ...backbone, config: { dropout: 0.5 } }), { dropout: 0.5 });
  assertEquals(inheritedConfig(undefined), {});
});

Deno.test("writeSelectedFile replaces selected.json whole, by a rename: never written in place", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const path = selectedPath(resultsDir);
    const records = readSelected("results-of-record/full/selected.json");
    Deno.writeTextFileSync(path, "{}\n");
    // A second name of the earlier file: a write in place (cut short by a kill or a full disk,
    // the verification's copy of the records' selection until 2026-12-05) changes it too.
    Deno.linkSync(path, `${resultsDir}/earlier.json`);
    writeSelectedFile(resultsDir, records);
    assertEquals(readSelected(path), records);
    assertEquals(Deno.readTextFileSync(`${resultsDir}/earlier.json`), "{}\n", "written in place");
    assertEquals([...Deno.readDirSync(resultsDir)].length, 2, "no temporary left");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("selectTrial: the best validation wins, a tie goes to the lower index in any order", () => {
  const outcome = (index: number, valid: number): TrialOutcome => ({
    trial: { index, config: {} },
    valid,
  });
  // Listed out of index order: the tie between trials 2 and 1 is still trial 1's.
  assertEquals(selectTrial([outcome(2, 0.3), outcome(1, 0.3), outcome(0, 0.1)]).trial.index, 1);
  assertEquals(selectTrial([outcome(0, 0.1), outcome(3, 0.4), outcome(1, 0.3)]).trial.index, 3);
  assertThrows(() => selectTrial([]), Error, "no finished trials");
});

Deno.test("mergeTrialConfig: the trial's settings override the inherited ones, field by field", () => {
  const base = {
    learningRate: 0.001,
    dropout: 0.2,
    demure: { lambda: 0.1, rho: 0.3 },
    cl4srec: { weight: 0.1 },
  };
  const trial = { dropout: 0.5, demure: { lambda: 0.2 }, cl4srec: { maskRatio: 0.4 } };
  assertEquals(mergeTrialConfig(base, trial), {
    learningRate: 0.001,
    dropout: 0.5,
    demure: { lambda: 0.2, rho: 0.3 },
    cl4srec: { weight: 0.1, maskRatio: 0.4 },
  });
});

Deno.test("finishedCells: the folder's selection, newer than the plan's, decides the settings", () => {
  const trials = cellsOf(planExperiments("quick"), "selection").filter((c) =>
    c.systemKey === "SASRec-MM"
  );
  const label = trials[0].datasetLabel;
  const planChoosing = (index: number) =>
    planExperiments("quick", undefined, {
      selected: {
        [label]: {
          "SASRec-MM": { trial: index, config: trials[index].config, valid: 0.1, trials: 2 },
        },
      },
    });
  // The plan was built when trial 0 was chosen; another task has since chosen trial 1.
  const older = planChoosing(0);
  const newer = planChoosing(1);
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/selected.json`, JSON.stringify(newer.selected));
  const main = cellsOf(newer, "main").find((c) =>
    c.systemKey === "SASRec-MM" && c.datasetLabel === label && c.sameAs === undefined
  )!;
  const stale = cellsOf(older, "main").find((c) => c.key === main.key)!;
  assert(JSON.stringify(settingsOf(older, stale)) !== JSON.stringify(settingsOf(newer, main)));
  new ResultStore(`${dir}/cells`).put(main.key, settingsOf(newer, main), storedCellResult(0.3));
  assert(finishedCells(older, dir).has(main.key), "the cell run with the newer choice is found");
  // Only the cells asked for come back, although the selection is settled on the whole plan.
  const others = { ...older, cells: older.cells.filter((c) => c.key !== main.key) };
  assertEquals(finishedCells(others, dir).has(main.key), false);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("finishedCells: a cell still waiting for its selection is never finished", () => {
  // No selection yet: the main cell's settings are a placeholder (an empty config), and a record
  // stored with exactly those settings (left from an earlier selection that chose the defaults)
  // is not the cell's result until the selection says so.
  const plan = planExperiments("quick");
  const waiting = cellsOf(plan, "main").find((c) => c.waitsFor !== undefined && !c.sameAs)!;
  const dir = Deno.makeTempDirSync();
  new ResultStore(`${dir}/cells`).put(
    waiting.key,
    settingsOf(plan, waiting),
    storedCellResult(0.3),
  );
  assertEquals(finishedCells(plan, dir).has(waiting.key), false);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("a trial waiting for its backbone's selection names no default run to reuse", () => {
  // Demure-SASRec's trials start from SASRec-MM's selected settings: until that selection is made
  // trial 0's settings are unknown, so it is no run of the defaults yet.
  const plan = planExperiments("full");
  const waiting = cellsOf(plan, "selection").filter((c) => c.trial?.index === 0 && c.waitsFor);
  assert(waiting.some((c) => c.systemKey === "Demure-SASRec"));
  for (const trial of waiting) assertEquals(trial.sameAs, undefined, trial.key);
});

Deno.test("the records' selection: each choice is its drawn trial's settings over its backbone's", () => {
  // Pins what each system's seed draws (trial k of the records is today's trial k) and how a
  // space's names map onto the settings: a changed draw or mapping reruns other configurations
  // under the records' keys.
  const records = readSelected("results-of-record/full/selected.json");
  let checked = 0;
  for (const [label, systems] of Object.entries(records)) {
    for (const [system, choice] of Object.entries(systems)) {
      const spec = SELECTION_SPECS[system as keyof typeof SELECTION_SPECS]!;
      const base = spec.inheritsFrom ? inheritedConfig(systems[spec.inheritsFrom]) : {};
      const trial = trialsOf(system as keyof typeof SELECTION_SPECS, choice.trials)[choice.trial];
      assertEquals(choice.config, mergeTrialConfig(base, trial.config), `${label}/${system}`);
      checked++;
    }
  }
  assertEquals(checked, 12);
});

Deno.test("trialsOf: a count that is not a whole number of trials is refused", () => {
  for (const count of [1.5, NaN, Infinity]) {
    assertThrows(() => trialsOf("SASRec-MM", count), Error, `${count} trials for SASRec-MM`);
  }
});

Deno.test("every backbone's draw leaves out its own defaults' point (trial 0 runs it)", () => {
  const backbones = [
    ["SASRec-ID", DEFAULT_SASREC_CONFIG.dropout],
    ["SASRec-MM", DEFAULT_SASREC_CONFIG.dropout],
    ["GRU4Rec-MM", DEFAULT_GRU4REC_CONFIG.dropout],
  ] as const;
  for (const [system, dropout] of backbones) {
    // 3 learning rates x 4 dropouts, the defaults' point among them: 12 distinct trials.
    assertEquals(maxTrialsOf(system), 12, system);
    const defaults = JSON.stringify({ learningRate: DEFAULT_ADAM_CONFIG.learningRate, dropout });
    const points = trialsOf(system, 12).slice(1).map((t) => JSON.stringify(t.point));
    assertEquals(points.includes(defaults), false, system);
  }
});

Deno.test("trialConfigOf: a name no space has is refused, not dropped", () => {
  // A misspelt space entry would otherwise run the system's default for that setting unnoticed.
  assertThrows(
    () => trialConfigOf({ learningrate: 0.005 }),
    Error,
    'trialConfigOf: unknown hyper-parameter "learningrate"',
  );
});

Deno.test("readSelected: a choice that is no object, or a trial that is no whole number, names the field", () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/selected.json`;
  const cases: [string, string][] = [
    [
      '{"MovieLens": {"SASRec-MM": 5}}',
      'field "MovieLens"."SASRec-MM" is 5, expected an object (trial, config, valid, trials)',
    ],
    [
      '{"MovieLens": {"SASRec-MM": [0]}}',
      'field "MovieLens"."SASRec-MM" is [0], expected an object (trial, config, valid, trials)',
    ],
    [
      '{"MovieLens": {"SASRec-MM": {"trial": 1.5, "config": {}, "valid": 0.1, "trials": 2}}}',
      'field "MovieLens"."SASRec-MM".trial is 1.5, expected an integer >= 0',
    ],
    [
      '{"MovieLens": {"SASRec-MM": {"trial": 0, "config": [], "valid": 0.1, "trials": 2}}}',
      'field "MovieLens"."SASRec-MM".config is [], expected an object',
    ],
  ];
  try {
    for (const [text, message] of cases) {
      Deno.writeTextFileSync(path, text);
      assertThrows(() => readSelected(path), Error, `${path}: ${message}`);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("mergeTrialConfig: a CL4SRec setting both give is the trial's, as a Demure one is", () => {
  // The fields above do not overlap: here the trial's weight and mask ratio must win.
  const base = { cl4srec: { weight: 0.1, maskRatio: 0.2 }, demure: { lambda: 0.1 } };
  const trial = { cl4srec: { weight: 0.5, maskRatio: 0.4 }, demure: { lambda: 0.2 } };
  assertEquals(mergeTrialConfig(base, trial), trial);
});
