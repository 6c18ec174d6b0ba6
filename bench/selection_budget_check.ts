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
 * SASRec-MM, paired by seed (test is read once, for the choice validation made).
 *
 * The selection runs in the plan's order: the backbones' trials first. A system that starts from
 * its backbone's choice (CL4SRec, Demure) and whose backbone is checked too and chose another
 * trial runs its whole budget of trials from the backbone's new choice, as a selection with the
 * larger budget would (none of the records' trials of it applies), chooses among those, runs the
 * choice at every seed and is also set against its backbone's new choice, paired by seed. (Until
 * 2026-12-03 such a system was not followed: its trials started from the records' backbone.)
 *
 * The records are read, never written; the extra cells go to `--results` (resumable; a second
 * process started with the same arguments shares the cells through the claims).
 *
 * Run: `DEMURE_BLAS_THREADS=1 deno run -A bench/selection_budget_check.ts --budget=5
 * --systems=SASRec-MM,Demure-SASRec --results=results/selection-budget
 * [--datasets=Synthetic,MovieLens] [--out=docs/measurements/selection_budget.json]` (the values
 * shown are the defaults, but `--out`'s: unset, nothing is written; `--help` lists the options).
 * A bad option is one line and exit 2 before anything is trained: a budget outside 1 to the
 * fewest distinct trials of a selected system (12, the backbones' grid), a system without trials
 * in the full plan, a dataset other than the plan's with trials (Synthetic, MovieLens).
 */
import { integerOption, listOption, parseOptions, runScript } from "../scripts/cli/options.ts";
import { initBackend, type SystemName } from "../mod.ts";
import { pairedTTest } from "../lib/eval/mod.ts";
import { mainTests } from "./_main_results.ts";
import {
  type CellResult,
  datasetLabel,
  type ExperimentPlan,
  finishedCells,
  maxTrialsOf,
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
    /**
     * A system with a backbone (CL4SRec, Demure): minus its backbone's row at the same seeds, the
     * backbone's new choice after a changed backbone, else the records' (since 2026-12-04; before,
     * only after a changed backbone).
     */
    againstBackbone?: { meanDifference: number; pValue: number };
  };
  /**
   * When its backbone's choice changed: every trial started from the backbone's new choice (trial
   * index of the backbone), and `recordedChoice` is the records' (from the records' backbone).
   */
  afterBackbone?: { backbone: string; backboneTrial: number };
}

const USAGE = `usage: deno run -A bench/selection_budget_check.ts [--budget=N] [--systems=LIST]
                  [--datasets=LIST] [--results=DIR] [--out=FILE]
  --budget N        trials per system and dataset (default 5; at most 12, the backbones' grid)
  --systems LIST    systems with trials in the full plan (default SASRec-MM,Demure-SASRec)
  --datasets LIST   Synthetic, MovieLens or both (default Synthetic,MovieLens)
  --results DIR     where the extra cells go (default results/selection-budget)
  --out FILE        write the rows as JSON (default: not written)
  -h, --help        print this text`;

/** The checked options, or a {@linkcode UsageError}; undefined after `--help`. */
function checkedOptions(args: readonly string[]) {
  const { values } = parseOptions(args, {
    budget: { type: "string", default: "5" },
    systems: { type: "string", default: "SASRec-MM,Demure-SASRec" },
    // Default both embedded datasets; e.g. `--datasets=Synthetic` for its part alone.
    datasets: { type: "string", default: "Synthetic,MovieLens" },
    results: { type: "string", default: "results/selection-budget" },
    out: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) return undefined;
  // What has trials in the full plan (a trial's selection id is `<dataset>/<system>`).
  const selections = planExperiments("full").cells.flatMap((cell) =>
    cell.trial ? [cell.trial.selection.split("/")] : []
  );
  const known = (part: 0 | 1) => [...new Set(selections.map((ids) => ids[part]))];
  const systems = listOption("systems", values.systems, known(1));
  const datasets = listOption("datasets", values.datasets, known(0));
  // The budget applies to every selected system of the plan: at most the fewest distinct trials
  // any of them has (trialsOf refuses more).
  const most = Math.min(...known(1).map((system) => maxTrialsOf(system as SystemName)));
  const budget = integerOption("budget", values.budget, 1, most);
  return { budget, systems, datasets, resultsDir: values.results, out: values.out };
}

async function main(): Promise<number> {
  const options = checkedOptions(Deno.args);
  if (options === undefined) {
    console.log(USAGE);
    return 0;
  }
  const { budget, systems, datasets, resultsDir, out } = options;
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
  const backboneOf = (system: string) => SELECTION_SPECS[system as SystemName]?.inheritsFrom;
  const extra = trialCells.filter((cell) => !recordedTrials.has(cell.key));
  // The backbones' trials first: what they choose decides where the other systems' trials start.
  const afterCheckedBackbone = (cell: PlannedCell) =>
    systems.includes(backboneOf(systemOf(cell)) ?? "");
  const firstSystems = trialCells.filter((cell) => !afterCheckedBackbone(cell));
  const first = extra.filter((cell) => !afterCheckedBackbone(cell));
  console.log(
    `selection budget check: budget ${budget} for ${systems.join(", ")} into ${resultsDir}; ` +
      `first ${first.length} extra trials of ${[...new Set(first.map(systemOf))].join(", ")}`,
  );
  await runPlan({ ...larger, cells: first }, { resultsDir, waitForOthers: true });
  const recordsTrials = finishedCells(larger, RECORDS_DIR.full);
  const stored = new Map<string, CellResult>([
    ...recordsTrials,
    ...finishedCells(larger, resultsDir),
  ]);
  const chosenOver = (cells: PlannedCell[], results: Map<string, CellResult>) =>
    selectedFrom({ ...larger, cells }, results);
  const budgetSelected: SelectedConfigurations = chosenOver(firstSystems, stored);
  const changed = (dataset: string, system: string) =>
    budgetSelected[dataset]?.[system] !== undefined &&
    budgetSelected[dataset][system].trial !== records.selected[dataset]?.[system]?.trial;
  const afterBackbone = (dataset: string, system: string) => {
    const backbone = backboneOf(system);
    return systems.includes(system) && backbone !== undefined && systems.includes(backbone) &&
      changed(dataset, backbone);
  };

  // The other systems: more trials from the records' backbone where it kept its choice, a whole
  // budget from its new choice where it changed (a plan with that choice made, these unselected).
  const fromRecords = extra.filter((cell) =>
    afterCheckedBackbone(cell) && !afterBackbone(datasetLabel(cell.dataset), systemOf(cell))
  );
  const restarted: SelectedConfigurations = structuredClone(records.selected);
  for (const cell of trialCells) {
    const [dataset, system] = [datasetLabel(cell.dataset), systemOf(cell)];
    if (!afterBackbone(dataset, system)) continue;
    restarted[dataset][backboneOf(system)!] = budgetSelected[dataset][backboneOf(system)!];
    delete restarted[dataset][system];
  }
  const fromNewBackbone = planExperiments("full", undefined, {
    selected: restarted,
    trialBudget: budget,
  });
  const restartedTrials = fromNewBackbone.cells.filter((cell) =>
    cell.trial !== undefined && afterBackbone(datasetLabel(cell.dataset), systemOf(cell))
  );
  console.log(
    `then ${fromRecords.length} extra trials from the records' backbone choice, ` +
      `${restartedTrials.length} from a backbone's new choice`,
  );
  await runPlan({ ...larger, cells: fromRecords }, { resultsDir, waitForOthers: true });
  // The changed backbones' seeds (their configuration is known now) share the processes with the
  // restarted trials, instead of waiting for them.
  const changedBackbones = fromNewBackbone.cells.filter((cell) =>
    cell.experiments.includes("main") && datasets.includes(datasetLabel(cell.dataset)) &&
    restartedTrials.some((trial) =>
      trial.datasetLabel === cell.datasetLabel && backboneOf(systemOf(trial)) === cell.systemName
    )
  );
  await runPlan({ ...fromNewBackbone, cells: [...restartedTrials, ...changedBackbones] }, {
    resultsDir,
    waitForOthers: true,
  });
  // Keyed apart: a restarted trial has the key of the records' trial of the same index (and once
  // its selection is written, the folder's selection makes `larger` find it under that key too).
  const storedRestarted = finishedCells(fromNewBackbone, resultsDir);
  for (const [key, result] of finishedCells(larger, resultsDir)) {
    if (!restartedTrials.some((cell) => cell.key === key)) stored.set(key, result);
  }
  const adopt = (chosen: SelectedConfigurations, restartedOnly: boolean) => {
    for (const [dataset, systemsChosen] of Object.entries(chosen)) {
      for (const [system, choice] of Object.entries(systemsChosen)) {
        if (afterBackbone(dataset, system) === restartedOnly) {
          (budgetSelected[dataset] ??= {})[system] = choice;
        }
      }
    }
  };
  adopt(chosenOver(trialCells.filter(afterCheckedBackbone), stored), false);
  adopt(selectedFrom({ ...fromNewBackbone, cells: restartedTrials }, storedRestarted), true);
  const merged: SelectedConfigurations = {};
  for (const [dataset, chosen] of Object.entries(records.selected)) {
    merged[dataset] = { ...chosen, ...budgetSelected[dataset] };
  }
  const followed = (dataset: string, system: string) =>
    changed(dataset, system) || afterBackbone(dataset, system);
  const withChoices = planExperiments("full", undefined, {
    selected: merged,
    trialBudget: budget,
  });
  const followUp = withChoices.cells.filter((cell) =>
    cell.experiments.includes("main") && datasets.includes(datasetLabel(cell.dataset)) &&
    followed(datasetLabel(cell.dataset), cell.systemName)
  );
  const storedChoices = new Map<string, CellResult>();
  if (followUp.length > 0) {
    console.log(`\nchoices that changed, at every seed: ${followUp.length} main-table cells`);
    await runPlan({ ...withChoices, cells: followUp }, { resultsDir, waitForOthers: true });
    for (const [key, result] of finishedCells(withChoices, resultsDir)) {
      storedChoices.set(key, result);
    }
  }
  const recordsStored = finishedCells(records, RECORDS_DIR.full);
  const rows: BudgetRow[] = [];
  for (const dataset of [...new Set(trialCells.map((cell) => datasetLabel(cell.dataset)))]) {
    for (const system of systems) {
      const restart = afterBackbone(dataset, system);
      const cells = (restart ? restartedTrials : trialCells).filter((cell) =>
        datasetLabel(cell.dataset) === dataset && systemOf(cell) === system
      );
      if (cells.length === 0) continue;
      const trials = trialsOf(system as SystemName, budget);
      const outcomes = cells.map((cell) => {
        const result = (restart ? storedRestarted : stored).get(cell.key);
        if (!result) throw new Error(`${cell.key}: not finished (run this check again)`);
        return { trial: trials[cell.trial!.index], valid: result.valid["NDCG@10"], result };
      });
      const recordedBudget = cells.filter((cell) => recordedTrials.has(cell.key)).length;
      const chosen = (pick: typeof outcomes) => {
        const best = selectTrial(pick);
        const { result } = pick.find((o) => o.trial.index === best.trial.index)!;
        return { trial: best.trial.index, valid: best.valid, test: result.test["NDCG@10"] };
      };
      // After a changed backbone the records' trials are not among these: their choice is read
      // from the records.
      const recordsOutcomes = restart
        ? cells.filter((cell) => recordedTrials.has(cell.key)).map((cell) => {
          const result = recordsTrials.get(cell.key)!;
          return { trial: trials[cell.trial!.index], valid: result.valid["NDCG@10"], result };
        })
        : outcomes.slice(0, recordedBudget);
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
        recordedChoice: chosen(recordsOutcomes),
        budgetChoice: chosen(outcomes),
        ...(restart
          ? {
            afterBackbone: {
              backbone: backboneOf(system)!,
              backboneTrial: budgetSelected[dataset][backboneOf(system)!].trial,
            },
          }
          : {}),
        ...(followed(dataset, system)
          ? {
            seeds: overSeeds(
              withChoices,
              storedChoices,
              records,
              recordsStored,
              dataset,
              system,
              backboneOf(system),
              restart,
            ),
          }
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
    if (row.afterBackbone) {
      console.log(
        `${row.dataset} ${row.system}: every trial from ${row.afterBackbone.backbone}'s new ` +
          `choice (its trial ${row.afterBackbone.backboneTrial}); the records' choice came from ` +
          "the records' backbone",
      );
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
        `SASRec-MM ${diff(m)}` +
        (row.seeds.againstBackbone
          ? `; against ${backboneOf(row.system)}'s ${
            row.afterBackbone ? "new choice" : "records"
          } ${diff(row.seeds.againstBackbone)}`
          : ""),
    );
  }
  if (out) {
    await Deno.writeTextFile(out, JSON.stringify(rows, null, 2) + "\n"); // as deno fmt writes it
    console.log(`wrote ${out}`);
  }
  return 0;
}

if (import.meta.main) await runScript("selection_budget_check", main);

/**
 * A changed choice's test NDCG@10 over the seeds, against the records' choice and SASRec-MM, and
 * against its `backbone`'s row: the backbone's changed choice when its trials started from that
 * (`backboneChanged`), else the records'.
 */
function overSeeds(
  plan: ExperimentPlan,
  stored: Map<string, CellResult>,
  records: ExperimentPlan,
  recordsStored: Map<string, CellResult>,
  dataset: string,
  system: string,
  backbone: string | undefined,
  backboneChanged: boolean,
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
    ...(backbone === undefined ? {} : {
      againstBackbone: paired(
        backboneChanged
          ? mainTests(plan, stored, dataset, backbone)
          : mainTests(records, recordsStored, dataset, backbone),
      ),
    }),
  };
}
