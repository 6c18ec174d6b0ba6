/**
 * What a results folder's selection record (lib/experiments/selection_record.ts) writes and says,
 * pinned where mutation round NN found no test: the bytes of selected.json, and the line a changed
 * selection logs.
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { storedCellResult } from "./_cell_result.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { readSelected } from "../../lib/experiments/selection.ts";
import {
  planOfResults,
  planWithCurrentSelection,
  writeSelectedFile,
  writeSelection,
} from "../../lib/experiments/selection_record.ts";
import { cellsDirectory, selectedPath, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { pathExists } from "../../lib/util/path_exists.ts";

const RECORDS = "results-of-record/full/selected.json";

Deno.test("writeSelectedFile writes the records' selection byte for byte as they hold it", () => {
  // One field a line and a final newline: a run's or a verification's copy of the file differs
  // from the records only where a choice does (a compact rewrite made every diff the whole file).
  const resultsDir = Deno.makeTempDirSync();
  try {
    writeSelectedFile(resultsDir, readSelected(RECORDS));
    assertEquals(Deno.readTextFileSync(selectedPath(resultsDir)), Deno.readTextFileSync(RECORDS));
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("writeSelection's line names each dataset's chosen systems, datasets apart by ';'", () => {
  // Every trial of SASRec-ID and GRU4Rec-MM stored, on both datasets of the full plan.
  const plan = planExperiments("full");
  const resultsDir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(resultsDir));
    for (const cell of plan.cells) {
      if (!cell.trial || !["SASRec-ID", "GRU4Rec-MM"].includes(cell.systemKey)) continue;
      store.put(cell.key, settingsOf(plan, cell), storedCellResult(0.1 + cell.trial.index / 100));
    }
    const lines: string[] = [];
    const selected = writeSelection(plan, resultsDir, (line) => lines.push(line));
    assertEquals(Object.keys(selected), ["Synthetic", "MovieLens"]);
    assertEquals(lines, [
      "selection: Synthetic: SASRec-ID, GRU4Rec-MM; MovieLens: SASRec-ID, GRU4Rec-MM",
    ]);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("writeSelection: a seed stored with other settings leaves its system's choice alone", () => {
  // A verification folder holds the choices, not the trials; a seed recorded there with other
  // settings (an earlier choice's) is that seed's to rerun, no reason to drop the choice itself.
  const trial = planExperiments("quick").cells.find((c) =>
    c.trial?.index === 0 && c.systemKey === "SASRec-MM"
  )!;
  const selected = {
    [trial.datasetLabel]: {
      "SASRec-MM": { trial: 0, config: trial.config, valid: 0.1, trials: 2 },
    },
  };
  const plan = planExperiments("quick", undefined, { selected });
  const seed = plan.cells.find((c) =>
    c.systemKey === "SASRec-MM" && !c.trial && !c.waitsFor && c.datasetLabel === trial.datasetLabel
  )!;
  const resultsDir = Deno.makeTempDirSync();
  try {
    new ResultStore(cellsDirectory(resultsDir)).put(seed.key, { changed: true }, {});
    const lines: string[] = [];
    assertEquals(writeSelection(plan, resultsDir, (line) => lines.push(line)), selected);
    assertEquals(lines, []);
    assertEquals(pathExists(selectedPath(resultsDir)), false, "selected.json written");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("writeSelection: a selection finished now joins its dataset's other choices", () => {
  // SASRec-MM chosen on MovieLens (its trials not in this folder), SASRec-ID's trials all stored.
  const first = planExperiments("full");
  const mmTrial = first.cells.find((c) =>
    c.trial?.index === 0 && c.trial.selection === "MovieLens/SASRec-MM"
  )!;
  const chosen = { trial: 0, config: mmTrial.config, valid: 0.1, trials: 2 };
  const plan = planExperiments("full", undefined, {
    selected: { MovieLens: { "SASRec-MM": chosen } },
  });
  const resultsDir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(resultsDir));
    for (const cell of plan.cells) {
      if (cell.trial?.selection !== "MovieLens/SASRec-ID") continue;
      store.put(cell.key, settingsOf(plan, cell), storedCellResult(0.1 + cell.trial.index / 100));
    }
    const selected = writeSelection(plan, resultsDir, () => {});
    assertEquals(Object.keys(selected), ["MovieLens"]);
    assertEquals(selected.MovieLens["SASRec-MM"], chosen);
    assertEquals(selected.MovieLens["SASRec-ID"]?.trial, 1);
    assertEquals(readSelected(selectedPath(resultsDir)), selected);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("planOfResults: the folder's choices, at the seeds asked for", () => {
  const plan = planOfResults("full", "results-of-record/full", [3, 4]);
  assertEquals(plan.seeds, [3, 4]);
  assertEquals(plan.selected, readSelected(RECORDS));
  assertEquals(planOfResults("full", "results-of-record/full").seeds, [0, 1, 2, 3, 4]);
});

/** The quick plan's synthetic SASRec-MM trial `index`, and a choice of it. */
function quickChoice(index: number) {
  const trial = planExperiments("quick").cells.find((c) =>
    c.trial?.selection.endsWith("/SASRec-MM") && c.dataset.kind === "synthetic" &&
    c.trial.index === index
  )!;
  return {
    label: trial.datasetLabel,
    choice: { trial: index, config: trial.config, valid: 0.1 + index / 100, trials: 2 },
  };
}

Deno.test("planWithCurrentSelection: the folder's choice wins over the plan's, with or without stored cells", () => {
  // Found by mutation round JG (JG17, JG22): the plan a task was built with may hold an earlier
  // choice; another task wrote a new one to selected.json since. Reading only, without a cells
  // folder, or writing, the plan returned holds the file's choice, never the one it came with.
  const { label, choice: earlier } = quickChoice(0);
  const { choice: written } = quickChoice(1);
  const plan = planExperiments("quick", undefined, {
    selected: { [label]: { "SASRec-MM": earlier } },
  });
  const resultsDir = Deno.makeTempDirSync();
  try {
    writeSelectedFile(resultsDir, { [label]: { "SASRec-MM": written } });
    const listed = planWithCurrentSelection(plan, resultsDir, { write: false });
    assertEquals(pathExists(cellsDirectory(resultsDir)), false, "a read created the cells folder");
    assertEquals(listed.selected, { [label]: { "SASRec-MM": written } });
    const lines: string[] = [];
    const current = planWithCurrentSelection(plan, resultsDir, { log: (l) => lines.push(l) });
    assertEquals(current.selected, { [label]: { "SASRec-MM": written } });
    assertEquals(lines, []);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("writeSelection: a trial result of the wrong shape is refused naming its file, never chosen", () => {
  // Found by mutation round JG (JG20): read without checkCellResult, a trial stored with a
  // validation NDCG@10 that is no number took part in the choice (and could win it).
  const plan = planExperiments("quick");
  const trials = plan.cells.filter((c) =>
    c.trial?.selection.endsWith("/SASRec-MM") && c.dataset.kind === "synthetic"
  );
  assertEquals(trials.length, 2);
  const resultsDir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(resultsDir));
    store.put(trials[0].key, settingsOf(plan, trials[0]), storedCellResult(0.1));
    const broken = { ...storedCellResult(), valid: { "NDCG@10": "0.9" } };
    store.put(trials[1].key, settingsOf(plan, trials[1]), broken);
    const error = assertThrows(() => writeSelection(plan, resultsDir, () => {}), Error);
    assertStringIncludes(error.message, `${store.pathOf(trials[1].key)}: unreadable cell result`);
    assertStringIncludes(error.message, 'field "valid"');
    assertEquals(pathExists(selectedPath(resultsDir)), false, "selected.json written");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
