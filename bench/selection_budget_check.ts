/**
 * Would a larger selection budget change the comparison? The plan gives every selected system the
 * same small budget (3 trials on the synthetic benchmark, 2 on MovieLens: what a 2-core machine
 * affords). This check trains the extra trials of a larger budget (`--budget`) for the chosen
 * systems, exactly as the plan defines them (`planExperiments(..., { trialBudget })`: trials are a
 * prefix of one fixed draw per system, so the first ones are the records' own; a Demure system
 * starts from its backbone's recorded selection, as in the records), and reports, per dataset and
 * system, every trial's validation NDCG@10, the trial the records' budget chose and the one the
 * larger budget would choose (`selectTrial`: validation only).
 *
 * Where the larger budget chooses another trial, that choice then runs as the records' choice
 * does: the system's main-table cells at every seed (the first seed's is the chosen trial's run),
 * and its test NDCG@10 over the seeds is set against the records' choice and against the records'
 * SASRec-MM, paired by seed (test is read once, for the choice validation made). A Demure system
 * whose backbone's choice changed too is not followed (its trials would start from another
 * backbone configuration); the table says so.
 *
 * The records are read, never written; the extra cells go to `--results` (resumable; a second
 * process started with the same arguments shares the cells through the claims).
 *
 * Run: `DEMURE_BLAS_THREADS=1 deno run -A bench/selection_budget_check.ts --budget=5
 * --systems=SASRec-MM,Demure-SASRec --results=results/selection-budget
 * [--datasets=Synthetic,MovieLens] [--out=docs/measurements/selection_budget.json]`
 */
import { arg } from "./_args.ts";
import { initBackend, type SystemName } from "../mod.ts";
import { pairedTTest } from "../lib/eval/mod.ts";
import {
  type CellResult,
  datasetLabel,
  type ExperimentPlan,
  finishedCells,
  type MeanStd,
  meanStd,
  planExperiments,
  type PlannedCell,
  planOfResults,
  RECORDS_DIR,
  releaseClaimsOnSignal,
  runPlan,
  type SelectedConfigurations,
  selectedFrom,
  SELECTION_SPECS,
  selectTrial,
  trialsOf,
} from "../lib/experiments/mod.ts";

/** One system's trials on one dataset under both budgets. */
interface BudgetRow {
  dataset: string;
  system: string;
  recordedBudget: number;
  budget: number;
  trials: { index: number; point?: Record<string, unknown>; valid: number; bestEpoch: number }[];
  recordedChoice: { trial: number; valid: number; test: number };
  budgetChoice: { trial: number; valid: number; test: number };
  /** Where the choice changed: test NDCG@10 over the main table's seeds (budget's, records'). */
  seeds?: {
    seeds: number[];
    budget: MeanStd;
    records: MeanStd;
    /** Paired by seed: the budget's choice minus the records' choice. */
    againstRecords: { meanDifference: number; pValue: number };
    /** Paired by seed: the budget's choice minus the records' SASRec-MM. */
    againstSasrecMm: { meanDifference: number; pValue: number };
  };
  /** Why a changed choice was not followed. */
  notFollowed?: string;
}

/** Test NDCG@10 of the main-table cells of `system` on `dataset`, by seed. */
function mainTests(
  plan: ExperimentPlan,
  stored: Map<string, CellResult>,
  dataset: string,
  system: string,
): Map<number, number> {
  const tests = new Map<number, number>();
  for (const cell of plan.cells) {
    if (
      !cell.experiments.includes("main") || cell.systemName !== system ||
      datasetLabel(cell.dataset) !== dataset
    ) continue;
    const result = stored.get(cell.key);
    if (!result) throw new Error(`${cell.key}: not finished (run this check again)`);
    tests.set(cell.seed, result.test["NDCG@10"]);
  }
  return tests;
}

if (import.meta.main) {
  const budget = Number(arg("budget", "5"));
  const systems = arg("systems", "SASRec-MM,Demure-SASRec").split(",");
  // Default both embedded datasets; e.g. `--datasets=Synthetic` for its part alone.
  const datasets = arg("datasets", "Synthetic,MovieLens").split(",");
  const resultsDir = arg("results", "results/selection-budget");
  const out = arg("out", "");
  await initBackend({ verbose: false });
  releaseClaimsOnSignal();
  const records = planOfResults("full", RECORDS_DIR.full);
  const larger = planExperiments("full", undefined, {
    selected: records.selected,
    trialBudget: budget,
  });
  const recordedTrials = new Map(
    records.cells.filter((cell) => cell.trial).map((cell) => [cell.key, cell]),
  );
  // A trial's selection id is `<dataset>/<system>` (selectionId).
  const systemOf = (cell: PlannedCell) => cell.trial!.selection.split("/").pop()!;
  const trialCells = larger.cells.filter((cell) =>
    cell.trial !== undefined && systems.includes(systemOf(cell)) &&
    datasets.includes(datasetLabel(cell.dataset))
  );
  for (const system of systems) {
    if (!trialCells.some((cell) => systemOf(cell) === system)) {
      throw new Error(`--systems: ${system} is not selected in the full plan (no trials)`);
    }
  }
  const extra = trialCells.filter((cell) => !recordedTrials.has(cell.key));
  console.log(
    `selection budget check: ${extra.length} extra trials (${systems.join(", ")}; budget ` +
      `${budget}) into ${resultsDir}`,
  );
  await runPlan({ ...larger, cells: extra }, { resultsDir, waitForOthers: true });
  const stored = new Map<string, CellResult>([
    ...finishedCells(larger, RECORDS_DIR.full),
    ...finishedCells(larger, resultsDir),
  ]);
  // What the larger budget chooses (validation only), over the records' selection.
  const budgetSelected = selectedFrom({ ...larger, cells: trialCells }, stored);
  const merged: SelectedConfigurations = {};
  for (const [dataset, chosen] of Object.entries(records.selected)) {
    merged[dataset] = { ...chosen, ...budgetSelected[dataset] };
  }
  const changed = (dataset: string, system: string) =>
    budgetSelected[dataset]?.[system] !== undefined &&
    budgetSelected[dataset][system].trial !== records.selected[dataset]?.[system]?.trial;
  const notFollowed = (dataset: string, system: string): string | undefined => {
    const backbone = SELECTION_SPECS[system as SystemName]?.inheritsFrom;
    return backbone && changed(dataset, backbone)
      ? `its backbone ${backbone}'s choice changed too (its trials start from the records')`
      : undefined;
  };
  const followed = (dataset: string, system: string) =>
    changed(dataset, system) && notFollowed(dataset, system) === undefined;
  const withChoices = planExperiments("full", undefined, {
    selected: merged,
    trialBudget: budget,
  });
  const followUp = withChoices.cells.filter((cell) =>
    cell.experiments.includes("main") && datasets.includes(datasetLabel(cell.dataset)) &&
    followed(datasetLabel(cell.dataset), cell.systemName)
  );
  if (followUp.length > 0) {
    console.log(`\nchoices that changed, at every seed: ${followUp.length} main-table cells`);
    await runPlan({ ...withChoices, cells: followUp }, { resultsDir, waitForOthers: true });
    for (const [key, result] of finishedCells(withChoices, resultsDir)) stored.set(key, result);
  }
  const recordsStored = finishedCells(records, RECORDS_DIR.full);
  const rows: BudgetRow[] = [];
  for (const dataset of [...new Set(trialCells.map((cell) => datasetLabel(cell.dataset)))]) {
    for (const system of systems) {
      const cells = trialCells.filter((cell) =>
        datasetLabel(cell.dataset) === dataset && systemOf(cell) === system
      );
      if (cells.length === 0) continue;
      const trials = trialsOf(system as SystemName, budget);
      const outcomes = cells.map((cell) => {
        const result = stored.get(cell.key);
        if (!result) throw new Error(`${cell.key}: not finished (run this check again)`);
        return { trial: trials[cell.trial!.index], valid: result.valid["NDCG@10"], result };
      });
      const recordedBudget = cells.filter((cell) => recordedTrials.has(cell.key)).length;
      const chosen = (pick: typeof outcomes) => {
        const best = selectTrial(pick);
        const { result } = outcomes.find((o) => o.trial.index === best.trial.index)!;
        return { trial: best.trial.index, valid: best.valid, test: result.test["NDCG@10"] };
      };
      rows.push({
        dataset,
        system,
        recordedBudget,
        budget,
        trials: outcomes.map(({ trial, valid, result }) => ({
          index: trial.index,
          ...(trial.point ? { point: trial.point } : {}),
          valid,
          bestEpoch: result.bestEpoch,
        })),
        recordedChoice: chosen(outcomes.slice(0, recordedBudget)),
        budgetChoice: chosen(outcomes),
        ...(changed(dataset, system) && notFollowed(dataset, system)
          ? { notFollowed: notFollowed(dataset, system) }
          : {}),
        ...(followed(dataset, system)
          ? { seeds: overSeeds(withChoices, stored, records, recordsStored, dataset, system) }
          : {}),
      });
    }
  }
  console.log(
    "\n| dataset | system | trial: valid NDCG@10 | chosen with the records' budget | chosen with the larger budget |",
  );
  console.log("| --- | --- | --- | --- | --- |");
  for (const row of rows) {
    const trials = row.trials.map((t) => `${t.index}: ${t.valid.toFixed(4)}`).join(", ");
    const choice = (c: BudgetRow["recordedChoice"], n: number) =>
      `trial ${c.trial} of ${n} (valid ${c.valid.toFixed(4)}, test ${c.test.toFixed(4)})`;
    console.log(
      `| ${row.dataset} | ${row.system} | ${trials} | ${
        choice(row.recordedChoice, row.recordedBudget)
      } | ${choice(row.budgetChoice, row.budget)} |`,
    );
  }
  for (const row of rows) {
    if (row.notFollowed) {
      console.log(`${row.dataset} ${row.system}: not followed: ${row.notFollowed}`);
    }
    if (!row.seeds) continue;
    const { seeds, budget: b, records: r, againstRecords: a, againstSasrecMm: m } = row.seeds;
    const fmt = (x: MeanStd) => `${x.mean.toFixed(4)} ± ${x.std.toFixed(4)}`;
    const diff = (d: { meanDifference: number; pValue: number }) =>
      `${d.meanDifference >= 0 ? "+" : ""}${d.meanDifference.toFixed(4)}, p = ${
        d.pValue.toPrecision(2)
      }`;
    console.log(
      `${row.dataset} ${row.system}, seeds ${
        seeds.join(",")
      }: test NDCG@10 with the larger budget's ` +
        `choice ${fmt(b)}, with the records' ${fmt(r)} (${diff(a)}); against the records' ` +
        `SASRec-MM ${diff(m)}`,
    );
  }
  if (out) {
    await Deno.writeTextFile(out, JSON.stringify(rows, null, 2) + "\n"); // as deno fmt writes it
    console.log(`wrote ${out}`);
  }
}

/** A changed choice's test NDCG@10 over the seeds, against the records' choice and SASRec-MM. */
function overSeeds(
  plan: ExperimentPlan,
  stored: Map<string, CellResult>,
  records: ExperimentPlan,
  recordsStored: Map<string, CellResult>,
  dataset: string,
  system: string,
): NonNullable<BudgetRow["seeds"]> {
  const budget = mainTests(plan, stored, dataset, system);
  const recorded = mainTests(records, recordsStored, dataset, system);
  const sasrecMm = mainTests(records, recordsStored, dataset, "SASRec-MM");
  const seeds = [...budget.keys()];
  const values = (tests: Map<number, number>) => seeds.map((seed) => tests.get(seed)!);
  const paired = (other: Map<number, number>) => {
    const { meanDifference, pValue } = pairedTTest(values(budget), values(other));
    return { meanDifference, pValue };
  };
  return {
    seeds,
    budget: meanStd(values(budget)),
    records: meanStd(values(recorded)),
    againstRecords: paired(recorded),
    againstSasrecMm: paired(sasrecMm),
  };
}
