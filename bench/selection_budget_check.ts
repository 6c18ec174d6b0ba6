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
 * The records are read, never written; the extra trials go to `--results` (resumable; a second
 * process started with the same arguments shares the cells through the claims). Test NDCG@10 is
 * printed for the two chosen trials only, at the one seed trials run at.
 *
 * Run: `DEMURE_BLAS_THREADS=1 deno run -A bench/selection_budget_check.ts --budget=5
 * --systems=SASRec-MM,Demure-SASRec --results=results/selection-budget
 * [--out=docs/measurements/selection_budget.json]`
 */
import { initBackend, type SystemName } from "../mod.ts";
import {
  type CellResult,
  datasetLabel,
  finishedCells,
  planExperiments,
  type PlannedCell,
  planOfResults,
  RECORDS_DIR,
  releaseClaimsOnSignal,
  runPlan,
  selectTrial,
  trialsOf,
} from "../lib/experiments/mod.ts";

const arg = (name: string, fallback: string) =>
  Deno.args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;

/** One system's trials on one dataset under both budgets. */
interface BudgetRow {
  dataset: string;
  system: string;
  recordedBudget: number;
  budget: number;
  trials: { index: number; point?: Record<string, unknown>; valid: number; bestEpoch: number }[];
  recordedChoice: { trial: number; valid: number; test: number };
  budgetChoice: { trial: number; valid: number; test: number };
}

if (import.meta.main) {
  const budget = Number(arg("budget", "5"));
  const systems = arg("systems", "SASRec-MM,Demure-SASRec").split(",");
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
    cell.trial !== undefined && systems.includes(systemOf(cell))
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
  if (out) {
    await Deno.writeTextFile(out, JSON.stringify(rows, null, 1) + "\n");
    console.log(`wrote ${out}`);
  }
}
