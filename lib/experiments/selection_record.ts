/**
 * The selection as a reproduction folder records it: the configurations chosen from the stored
 * trials (validation only), written to `<resultsDir>/selected.json` when they change, and the plan
 * rebuilt with them. The runner ({@linkcode writeSelection}), a batch task and a cluster
 * submission ({@linkcode planWithCurrentSelection}) all settle the selection here.
 *
 * @example
 * ```ts
 * const plan = planOfResults("full", "results-of-record/full");
 * console.log(plan.selected["MovieLens"]?.["SASRec-MM"]?.config);
 * ```
 */
import { checkCellResult } from "./cell_result_check.ts";
import { writeFilesAtomically } from "../data/atomic_write.ts";
import { checkBoolean, checkOptionalFunction, checkSettingNames } from "../util/settings.ts";
import { planExperiments, replanWith } from "./plan.ts";
import type { ExperimentPlan, PlannedCell } from "./plan_types.ts";
import type { ResultStore } from "./result_store.ts";
import type { CellResult } from "./run_cell.ts";
import { readSelected, type SelectedConfigurations, selectTrial } from "./selection.ts";
import { cellStoreOf, existingCellStoreOf, selectedPath, settingsOf } from "./stored_cells.ts";

/**
 * The plan of `mode` with the selected configurations stored under `resultsDir` (what
 * {@linkcode runPlan} reads and writes there).
 *
 * @example
 * ```ts
 * const plan = planOfResults("full", "results-of-record/full");
 * ```
 */
export function planOfResults(
  mode: ExperimentPlan["mode"],
  resultsDir: string,
  seeds?: number[],
): ExperimentPlan {
  return planExperiments(mode, seeds, { selected: readSelected(selectedPath(resultsDir)) });
}

/**
 * Derives the selected configurations from the trials stored under `resultsDir` (on top of
 * `plan.selected`) and writes them to `<resultsDir>/selected.json` when they changed. Returns them.
 *
 * A choice in `plan.selected` is dropped, so that its cells wait for the selection to run again,
 * when one of its trials is stored with other settings than the plan's (the trial was changed:
 * stale) or waits for a selection itself (its backbone's choice was dropped): a choice made from
 * trials that no longer hold is not a choice, and seeds run with it would be run again. It stays
 * while its trials are only absent (a verification folder holds the choices, not the trials).
 * Repeated until nothing changes: a choice made or dropped changes the trials built on it.
 */
export function writeSelection(
  plan: ExperimentPlan,
  resultsDir: string,
  log: (line: string) => void = console.log,
): SelectedConfigurations {
  const selected = settledSelectionOf(plan, cellStoreOf(resultsDir));
  if (JSON.stringify(selected) === JSON.stringify(plan.selected)) return plan.selected;
  writeSelectedFile(resultsDir, selected);
  log(
    `selection: ${
      Object.keys(selected).map((d) => `${d}: ${Object.keys(selected[d]).join(", ")}`).join("; ")
    }`,
  );
  return selected;
}

/**
 * Writes `selected` to `<resultsDir>/selected.json`, atomically (lib/data/atomic_write.ts): a kill
 * or a full disk leaves the earlier file whole, never one cut short, which every reader of the
 * folder's selection then refuses. The one writer of the file: a run's selection, and the records'
 * one that a verification copies to `results/verify` (written in place until 2026-12-05).
 */
export function writeSelectedFile(resultsDir: string, selected: SelectedConfigurations): void {
  writeFilesAtomically([
    { path: selectedPath(resultsDir), data: JSON.stringify(selected, null, 1) + "\n" },
  ]);
}

/**
 * {@linkcode writeSelection}'s selection, without writing it: its rounds until nothing changes.
 * `runPlan` guards its folder's stored cells with the plan this selection gives before it writes.
 */
export function settledSelectionOf(
  plan: ExperimentPlan,
  store: ResultStore,
): SelectedConfigurations {
  let selected = plan.selected;
  for (let round = 0;; round++) {
    const next = settledSelection(replanWith(plan, selected), store);
    if (JSON.stringify(next) === JSON.stringify(selected)) return selected;
    // Each round settles at least one more selection; a plan has far fewer than 100.
    if (round === 100) throw new Error("writeSelection: the selections do not settle");
    selected = next;
  }
}

/** Options of {@linkcode planWithCurrentSelection}. */
export interface CurrentSelectionOptions {
  /** Write a changed selection to `selected.json` (default true); false reads only. */
  write?: boolean;
  /** Where the written selection is reported (default console.log). */
  log?: (line: string) => void;
}

/**
 * `plan` with the selection as it stands now under `resultsDir`: the choices of
 * `<resultsDir>/selected.json` (another task may have written them since `plan` was built),
 * settled against the trials stored there as {@linkcode writeSelection} settles them, and written
 * to the file when that changes them (unless `write: false`). A batch task (`reproduce --cell`)
 * runs its cell from this, and `reproduce --list-cells` (read only), from which a cluster
 * submission takes each cell's stage, lists from it: a choice whose trials were changed since
 * (stale records) is dropped, so its cells wait for the trials' rerun instead of running, and
 * storing, their seeds with the earlier choice.
 */
export function planWithCurrentSelection(
  plan: ExperimentPlan,
  resultsDir: string,
  options: CurrentSelectionOptions = {},
): ExperimentPlan {
  // Before the file is read: `write: "false"` and a misspelt `wirte: false` wrote selected.json
  // where only reading was asked.
  checkSettingNames("CurrentSelectionOptions", options, { write: true, log: true });
  if (options.write !== undefined) checkBoolean("CurrentSelectionOptions.write", options.write);
  checkOptionalFunction("CurrentSelectionOptions.log", options.log);
  const onDisk = replanWith(plan, readSelected(selectedPath(resultsDir)));
  let settled: SelectedConfigurations;
  if (options.write ?? true) settled = writeSelection(onDisk, resultsDir, options.log);
  else {
    // Reading only: without stored cells there is nothing to settle against.
    const store = existingCellStoreOf(resultsDir);
    if (!store) return onDisk;
    settled = settledSelectionOf(onDisk, store);
  }
  return JSON.stringify(settled) === JSON.stringify(onDisk.selected)
    ? onDisk
    : replanWith(onDisk, settled);
}

/**
 * One round of {@linkcode writeSelection}: `plan.selected` without the choices whose trials are
 * stale or wait, with the choices of the selections whose every trial is finished.
 */
function settledSelection(plan: ExperimentPlan, store: ResultStore): SelectedConfigurations {
  const finished = new Map<string, CellResult>();
  const unsettled: PlannedCell[] = [];
  for (const cell of plan.cells) {
    if (!cell.trial) continue;
    if (cell.waitsFor) {
      unsettled.push(cell);
      continue;
    }
    const result = store.get(cell.key, settingsOf(plan, cell), checkCellResult);
    if (result) finished.set(cell.key, result);
    else if (store.has(cell.key)) unsettled.push(cell);
  }
  const selected: SelectedConfigurations = Object.fromEntries(
    Object.entries(plan.selected).map(([dataset, systems]) => [dataset, { ...systems }]),
  );
  for (const cell of unsettled) delete selected[cell.datasetLabel]?.[cell.systemKey];
  for (const [dataset, systems] of Object.entries(selectedFrom(plan, finished))) {
    selected[dataset] = { ...selected[dataset], ...systems };
  }
  return selected;
}

/**
 * The configurations chosen by the finished selections of `plan` (every trial finished): the
 * trial with the best validation NDCG@10 (ties: the lower trial index) among those that did not
 * diverge. Reads no test metric. Throws when every trial of a selection diverged: there is nothing
 * to choose, and the main table's first seed would otherwise reuse a diverged trial's empty record.
 */
export function selectedFrom(
  plan: ExperimentPlan,
  finished: Map<string, CellResult>,
): SelectedConfigurations {
  const bySelection = new Map<string, PlannedCell[]>();
  for (const cell of plan.cells) {
    if (!cell.trial) continue;
    const list = bySelection.get(cell.trial.selection) ?? [];
    list.push(cell);
    bySelection.set(cell.trial.selection, list);
  }
  const selected: SelectedConfigurations = {};
  for (const trials of bySelection.values()) {
    const results = trials.map((cell) => finished.get(cell.key));
    if (results.some((r) => r === undefined)) continue;
    const outcomes = trials.flatMap((cell, i) =>
      results[i]!.diverged === undefined
        ? [{
          trial: { index: cell.trial!.index, config: cell.config },
          valid: results[i]!.valid["NDCG@10"],
        }]
        : []
    );
    if (outcomes.length === 0) {
      throw new Error(
        `selection ${trials[0].trial!.selection}: all ${trials.length} trials diverged (trial 0: ` +
          `${results[0]!.diverged}); lower the learning rates of its search space ` +
          "(lib/experiments/selection.ts) or remove its trials' results to run them again",
      );
    }
    const best = selectTrial(outcomes);
    const cell = trials.find((c) => c.trial!.index === best.trial.index)!;
    selected[cell.datasetLabel] ??= {};
    selected[cell.datasetLabel][cell.systemKey] = {
      trial: cell.trial!.index,
      config: cell.config,
      valid: best.valid,
      trials: trials.length,
    };
  }
  return selected;
}
