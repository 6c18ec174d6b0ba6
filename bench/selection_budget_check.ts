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
import { checkResultsFolder } from "../scripts/cli/read_problem.ts";
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
  type TrialOutcome,
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

/** The options' defaults: the parser's and those --help states (one home). */
const DEFAULTS = {
  budget: 5,
  systems: "SASRec-MM,Demure-SASRec",
  // Both embedded datasets; e.g. `--datasets=Synthetic` for its part alone.
  datasets: "Synthetic,MovieLens",
  results: "results/selection-budget",
} as const;

/**
 * What has trials in the full plan (a trial's selection id is `<dataset>/<system>`): `known(0)`
 * its datasets, `known(1)` its systems, and `most` the largest budget: the budget applies to
 * every selected system of the plan, so at most the fewest distinct trials any of them has
 * (trialsOf refuses more).
 */
function planTrials(): { known: (part: 0 | 1) => string[]; most: number } {
  const selections = planExperiments("full").cells.flatMap((cell) =>
    cell.trial ? [cell.trial.selection.split("/")] : []
  );
  const known = (part: 0 | 1) => [...new Set(selections.map((ids) => ids[part]))];
  const most = Math.min(...known(1).map((system) => maxTrialsOf(system as SystemName)));
  return { known, most };
}

/** The `--help` text: the defaults and the budget's bound the parser uses. */
export function usage(): string {
  return `usage: deno run -A bench/selection_budget_check.ts [--budget=N] [--systems=LIST]
                  [--datasets=LIST] [--results=DIR] [--out=FILE]
  --budget N        trials per system and dataset (default ${DEFAULTS.budget}; at most ${planTrials().most}, the backbones' grid)
  --systems LIST    systems with trials in the full plan (default ${DEFAULTS.systems})
  --datasets LIST   Synthetic, MovieLens or both (default ${DEFAULTS.datasets})
  --results DIR     where the extra cells go (default ${DEFAULTS.results})
  --out FILE        write the rows as JSON (default: not written)
  -h, --help        print this text`;
}
/** The checked options, or a {@linkcode UsageError}; undefined after `--help`. */
export function checkedOptions(args: readonly string[]) {
  const { values } = parseOptions(args, {
    budget: { type: "string", default: String(DEFAULTS.budget) },
    systems: { type: "string", default: DEFAULTS.systems },
    datasets: { type: "string", default: DEFAULTS.datasets },
    results: { type: "string", default: DEFAULTS.results },
    out: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) return undefined;
  const { known, most } = planTrials();
  const systems = listOption("systems", values.systems, known(1));
  const datasets = listOption("datasets", values.datasets, known(0));
  const budget = integerOption("budget", values.budget, 1, most);
  checkResultsFolder(values.results);
  return { budget, systems, datasets, resultsDir: values.results, out: values.out };
}

async function main(): Promise<number> {
  const options = checkedOptions(Deno.args);
  if (options === undefined) {
    console.log(usage());
    return 0;
  }
  await initBackend({ verbose: false });
  releaseClaimsOnSignal();
  const check = budgetCheckOf(options);
  const { recordsTrials, stored, selected } = await runFirstTrials(check);
  const choices = budgetChoicesOf(check, selected);
  const restarted = await runFollowerTrials(check, choices);
  const storedRestarted = adoptFollowerChoices(check, choices, stored, restarted);
  const followedChoices = await runFollowedChoices(check, choices);
  const rows = budgetRows(check, choices, {
    recordsTrials,
    stored,
    restarted,
    storedRestarted,
    followedChoices,
    recordsStored: finishedCells(check.records, RECORDS_DIR.full),
  });
  printTable(rows);
  printNotes(rows);
  if (options.out) {
    await Deno.writeTextFile(options.out, JSON.stringify(rows, null, 2) + "\n"); // as deno fmt writes it
    console.log(`wrote ${options.out}`);
  }
  return 0;
}

if (import.meta.main) await runScript("selection_budget_check", main);

/** The checked options: {@linkcode checkedOptions} but after `--help`. */
type CheckOptions = NonNullable<ReturnType<typeof checkedOptions>>;

/** What the check runs on: the options, the records' plan and the larger budget's trials. */
interface BudgetCheck {
  budget: number;
  systems: string[];
  datasets: string[];
  resultsDir: string;
  /** The records' plan, with the records' selection. */
  records: ExperimentPlan;
  /** The plan with the larger budget, from the records' selection. */
  larger: ExperimentPlan;
  /** The records' trial cells, by key. */
  recordedTrials: Map<string, PlannedCell>;
  /** The larger budget's trials of the checked systems on the checked datasets. */
  trialCells: PlannedCell[];
  /** Those of `trialCells` the records lack. */
  extra: PlannedCell[];
}

/**
 * The records' plan, the larger budget's plan and its trials of the checked systems and datasets;
 * throws on a checked system without trials on the checked datasets.
 */
function budgetCheckOf(options: CheckOptions): BudgetCheck {
  const { budget, systems, datasets, resultsDir } = options;
  const records = planOfResults("full", RECORDS_DIR.full);
  const larger = planExperiments("full", undefined, {
    selected: records.selected,
    trialBudget: budget,
  });
  const recordedTrials = new Map(
    records.cells.filter((cell) => cell.trial).map((cell) => [cell.key, cell]),
  );
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
  return {
    budget,
    systems,
    datasets,
    resultsDir,
    records,
    larger,
    recordedTrials,
    trialCells,
    extra,
  };
}

/** The system of a trial cell. */
function systemOf(cell: PlannedCell): string {
  // A trial's selection id is `<dataset>/<system>` (selectionId).
  return cell.trial!.selection.split("/").pop()!;
}

/** The system whose choice `system`'s trials start from (CL4SRec, Demure), if any. */
function backboneOf(system: string): SystemName | undefined {
  return SELECTION_SPECS[system as SystemName]?.inheritsFrom;
}

/** Whether `cell`'s system starts from a checked backbone's choice (so its trials run after). */
function afterCheckedBackbone(check: BudgetCheck, cell: PlannedCell): boolean {
  return check.systems.includes(backboneOf(systemOf(cell)) ?? "");
}

/** The choice of each selection among `cells` (trials of the larger budget's plan). */
function chosenOver(
  check: BudgetCheck,
  cells: PlannedCell[],
  results: Map<string, CellResult>,
): SelectedConfigurations {
  return selectedFrom({ ...check.larger, cells }, results);
}

/** The trials that ran first, read back, and the larger budget's choice among them. */
interface FirstTrials {
  /** The records' trial results of the larger plan, by key. */
  recordsTrials: Map<string, CellResult>;
  /** Those and the results folder's, by key (the followers' are added once they ran). */
  stored: Map<string, CellResult>;
  /** The larger budget's choice of each system whose trials ran first. */
  selected: SelectedConfigurations;
}

/**
 * Runs the extra trials of the systems that do not start from a checked backbone (the backbones
 * among them) and chooses among each system's trials.
 */
async function runFirstTrials(check: BudgetCheck): Promise<FirstTrials> {
  const { budget, systems, larger, resultsDir } = check;
  // The backbones' trials first: what they choose decides where the other systems' trials start.
  const firstSystems = check.trialCells.filter((cell) => !afterCheckedBackbone(check, cell));
  const first = check.extra.filter((cell) => !afterCheckedBackbone(check, cell));
  console.log(
    `selection budget check: budget ${budget} for ${systems.join(", ")} into ${resultsDir}; ` +
      `first ${first.length} extra trials of ${[...new Set(first.map(systemOf))].join(", ")}`,
  );
  await runPlan({ ...larger, cells: first }, {
    resultsDir,
    waitForOthers: true,
    replaceOtherSettings: true,
  });
  const recordsTrials = finishedCells(larger, RECORDS_DIR.full);
  const stored = new Map<string, CellResult>([
    ...recordsTrials,
    ...finishedCells(larger, resultsDir),
  ]);
  return { recordsTrials, stored, selected: chosenOver(check, firstSystems, stored) };
}

/** The larger budget's choices as they grow, and what they mean for each system. */
export interface BudgetChoices {
  /** By dataset and system: the first systems' choices, the followers' added once they ran. */
  selected: SelectedConfigurations;
  /**
   * Whether `system` is checked and so is its backbone, whose choice changed: its trials restart
   * from the backbone's new choice.
   */
  afterBackbone: (dataset: string, system: string) => boolean;
  /** Whether the choice runs at every seed: it changed, or it was made after a changed backbone. */
  followed: (dataset: string, system: string) => boolean;
}

/**
 * {@linkcode BudgetChoices} of `selected` (read as it grows) against the records' choices (of
 * `check`, only its checked systems and the records' selection are read).
 */
export function budgetChoicesOf(
  check: Pick<BudgetCheck, "systems"> & { records: Pick<ExperimentPlan, "selected"> },
  selected: SelectedConfigurations,
): BudgetChoices {
  const recorded = check.records.selected;
  const changed = (dataset: string, system: string) =>
    selected[dataset]?.[system] !== undefined &&
    selected[dataset][system].trial !== recorded[dataset]?.[system]?.trial;
  const afterBackbone = (dataset: string, system: string) => {
    const backbone = backboneOf(system);
    return check.systems.includes(system) && backbone !== undefined &&
      check.systems.includes(backbone) && changed(dataset, backbone);
  };
  const followed = (dataset: string, system: string) =>
    changed(dataset, system) || afterBackbone(dataset, system);
  return { selected, afterBackbone, followed };
}

/** The followers' trials that restart from a backbone's new choice, and the plan they are in. */
interface RestartedTrials {
  /** The full plan with each changed backbone's new choice made and its followers unselected. */
  plan: ExperimentPlan;
  /** The followers' trials in `plan`: a whole budget from the backbone's new choice. */
  trials: PlannedCell[];
}

/** The trials of the systems after a changed backbone, in a plan with the backbone's new choice. */
function restartedTrialsOf(check: BudgetCheck, choices: BudgetChoices): RestartedTrials {
  const restarted: SelectedConfigurations = structuredClone(check.records.selected);
  for (const cell of check.trialCells) {
    const [dataset, system] = [datasetLabel(cell.dataset), systemOf(cell)];
    if (!choices.afterBackbone(dataset, system)) continue;
    restarted[dataset][backboneOf(system)!] = choices.selected[dataset][backboneOf(system)!];
    delete restarted[dataset][system];
  }
  const plan = planExperiments("full", undefined, {
    selected: restarted,
    trialBudget: check.budget,
  });
  const trials = plan.cells.filter((cell) =>
    cell.trial !== undefined && choices.afterBackbone(datasetLabel(cell.dataset), systemOf(cell))
  );
  return { plan, trials };
}

/**
 * Runs the extra trials of the systems that start from a checked backbone, from wherever the
 * backbone's choice now is, with the changed backbones' main-table seeds.
 */
async function runFollowerTrials(
  check: BudgetCheck,
  choices: BudgetChoices,
): Promise<RestartedTrials> {
  const { larger, resultsDir } = check;
  // The other systems: more trials from the records' backbone where it kept its choice, a whole
  // budget from its new choice where it changed (a plan with that choice made, these unselected).
  const fromRecords = check.extra.filter((cell) =>
    afterCheckedBackbone(check, cell) &&
    !choices.afterBackbone(datasetLabel(cell.dataset), systemOf(cell))
  );
  const restarted = restartedTrialsOf(check, choices);
  console.log(
    `then ${fromRecords.length} extra trials from the records' backbone choice, ` +
      `${restarted.trials.length} from a backbone's new choice`,
  );
  await runPlan({ ...larger, cells: fromRecords }, {
    resultsDir,
    waitForOthers: true,
    replaceOtherSettings: true,
  });
  // The changed backbones' seeds (their configuration is known now) share the processes with the
  // restarted trials, instead of waiting for them.
  const changedBackbones = restarted.plan.cells.filter((cell) =>
    cell.experiments.includes("main") && check.datasets.includes(datasetLabel(cell.dataset)) &&
    restarted.trials.some((trial) =>
      trial.datasetLabel === cell.datasetLabel && backboneOf(systemOf(trial)) === cell.systemName
    )
  );
  await runPlan({ ...restarted.plan, cells: [...restarted.trials, ...changedBackbones] }, {
    resultsDir,
    waitForOthers: true,
    replaceOtherSettings: true,
  });
  return restarted;
}

/**
 * Reads the followers' trials back and adds their choices to `choices.selected`: the restarted
 * ones' from the restarted plan, the others' from `stored` (which takes in the folder's new
 * results). Returns the restarted trials' results, by key.
 */
function adoptFollowerChoices(
  check: BudgetCheck,
  choices: BudgetChoices,
  stored: Map<string, CellResult>,
  restarted: RestartedTrials,
): Map<string, CellResult> {
  // Keyed apart: a restarted trial has the key of the records' trial of the same index (and once
  // its selection is written, the folder's selection makes `larger` find it under that key too).
  const storedRestarted = finishedCells(restarted.plan, check.resultsDir);
  for (const [key, result] of finishedCells(check.larger, check.resultsDir)) {
    if (!restarted.trials.some((cell) => cell.key === key)) stored.set(key, result);
  }
  const followers = check.trialCells.filter((cell) => afterCheckedBackbone(check, cell));
  adoptChoices(choices, chosenOver(check, followers, stored), false);
  adoptChoices(
    choices,
    selectedFrom({ ...restarted.plan, cells: restarted.trials }, storedRestarted),
    true,
  );
  return storedRestarted;
}

/** Adds the systems of `chosen` that restarted after a backbone (or not) to `choices.selected`. */
function adoptChoices(
  choices: BudgetChoices,
  chosen: SelectedConfigurations,
  restartedOnly: boolean,
): void {
  for (const [dataset, systemsChosen] of Object.entries(chosen)) {
    for (const [system, choice] of Object.entries(systemsChosen)) {
      if (choices.afterBackbone(dataset, system) === restartedOnly) {
        (choices.selected[dataset] ??= {})[system] = choice;
      }
    }
  }
}

/** The plan with every choice of the larger budget made, and its followed main-table results. */
interface FollowedChoices {
  plan: ExperimentPlan;
  /** The results of the followed choices' main-table cells, by key (none if nothing changed). */
  stored: Map<string, CellResult>;
}

/** Runs the main-table cells (every seed) of each followed choice of the larger budget. */
async function runFollowedChoices(
  check: BudgetCheck,
  choices: BudgetChoices,
): Promise<FollowedChoices> {
  const merged: SelectedConfigurations = {};
  for (const [dataset, chosen] of Object.entries(check.records.selected)) {
    merged[dataset] = { ...chosen, ...choices.selected[dataset] };
  }
  const withChoices = planExperiments("full", undefined, {
    selected: merged,
    trialBudget: check.budget,
  });
  const followUp = withChoices.cells.filter((cell) =>
    cell.experiments.includes("main") && check.datasets.includes(datasetLabel(cell.dataset)) &&
    choices.followed(datasetLabel(cell.dataset), cell.systemName)
  );
  const storedChoices = new Map<string, CellResult>();
  if (followUp.length > 0) {
    console.log(`\nchoices that changed, at every seed: ${followUp.length} main-table cells`);
    await runPlan({ ...withChoices, cells: followUp }, {
      resultsDir: check.resultsDir,
      waitForOthers: true,
      replaceOtherSettings: true,
    });
    for (const [key, result] of finishedCells(withChoices, check.resultsDir)) {
      storedChoices.set(key, result);
    }
  }
  return { plan: withChoices, stored: storedChoices };
}

/** The stored results the rows are read from. */
interface CheckResults {
  /** The records' trial results of the larger plan, by key. */
  recordsTrials: Map<string, CellResult>;
  /** The trials' results but the restarted ones': the records' and the folder's, by key. */
  stored: Map<string, CellResult>;
  restarted: RestartedTrials;
  /** The restarted trials' results, by key. */
  storedRestarted: Map<string, CellResult>;
  followedChoices: FollowedChoices;
  /** The records' results, by key. */
  recordsStored: Map<string, CellResult>;
}

/** A row of each checked system on each dataset with trials, in the order of `--systems`. */
function budgetRows(
  check: BudgetCheck,
  choices: BudgetChoices,
  results: CheckResults,
): BudgetRow[] {
  const rows: BudgetRow[] = [];
  for (const dataset of [...new Set(check.trialCells.map((cell) => datasetLabel(cell.dataset)))]) {
    for (const system of check.systems) {
      const row = budgetRow(check, choices, results, dataset, system);
      if (row) rows.push(row);
    }
  }
  return rows;
}

/** `system`'s row on `dataset`; undefined where it has no trials there. */
function budgetRow(
  check: BudgetCheck,
  choices: BudgetChoices,
  results: CheckResults,
  dataset: string,
  system: string,
): BudgetRow | undefined {
  const restart = choices.afterBackbone(dataset, system);
  const trials = systemTrials(check, results, dataset, system, restart);
  if (trials === undefined) return undefined;
  const { runs, recordsRuns, recordedBudget } = trials;
  return {
    dataset,
    system,
    recordedBudget,
    budget: check.budget,
    trials: runs.map(({ trial, valid, result }) => ({
      index: trial.index,
      ...(trial.point ? { point: trial.point } : {}),
      valid,
      bestEpoch: result.bestEpoch,
    })),
    recordedChoice: choiceOf(recordsRuns),
    budgetChoice: choiceOf(runs),
    ...(restart
      ? {
        afterBackbone: {
          backbone: backboneOf(system)!,
          backboneTrial: choices.selected[dataset][backboneOf(system)!].trial,
        },
      }
      : {}),
    ...(choices.followed(dataset, system)
      ? {
        seeds: overSeeds(
          results.followedChoices.plan,
          results.followedChoices.stored,
          check.records,
          results.recordsStored,
          dataset,
          system,
          backboneOf(system),
          restart,
        ),
      }
      : {}),
  };
}

/** A trial with its result and validation NDCG@10. */
export interface TrialRun extends TrialOutcome {
  result: CellResult;
}

/** One system's trials on one dataset: the larger budget's and those the records chose among. */
interface SystemTrials {
  runs: TrialRun[];
  recordsRuns: TrialRun[];
  /** How many of the larger budget's trials the records have. */
  recordedBudget: number;
}

/**
 * `system`'s trials on `dataset` with their results (from the backbone's new choice where it
 * `restart`s); undefined where it has none there; throws on a trial that has not finished.
 */
function systemTrials(
  check: BudgetCheck,
  results: CheckResults,
  dataset: string,
  system: string,
  restart: boolean,
): SystemTrials | undefined {
  const cells = (restart ? results.restarted.trials : check.trialCells).filter((cell) =>
    datasetLabel(cell.dataset) === dataset && systemOf(cell) === system
  );
  if (cells.length === 0) return undefined;
  const trials = trialsOf(system as SystemName, check.budget);
  const runs = cells.map((cell) => {
    const result = (restart ? results.storedRestarted : results.stored).get(cell.key);
    if (!result) throw new Error(`${cell.key}: not finished (run this check again)`);
    return { trial: trials[cell.trial!.index], valid: result.valid["NDCG@10"], result };
  });
  const recordedBudget = cells.filter((cell) => check.recordedTrials.has(cell.key)).length;
  // After a changed backbone the records' trials are not among these: their choice is read
  // from the records.
  const recordsRuns = restart
    ? cells.filter((cell) => check.recordedTrials.has(cell.key)).map((cell) => {
      const result = results.recordsTrials.get(cell.key)!;
      return { trial: trials[cell.trial!.index], valid: result.valid["NDCG@10"], result };
    })
    : runs.slice(0, recordedBudget);
  return { runs, recordsRuns, recordedBudget };
}

/** The trial `selectTrial` chooses among `runs` (validation only), with its test NDCG@10. */
export function choiceOf(runs: TrialRun[]): BudgetRow["budgetChoice"] {
  const best = selectTrial(runs);
  const { result } = runs.find((o) => o.trial.index === best.trial.index)!;
  return { trial: best.trial.index, valid: best.valid, test: result.test["NDCG@10"] };
}

/** Prints the table of every row's trials and both budgets' choices. */
function printTable(rows: BudgetRow[]): void {
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
}

/** Prints, per row, where its trials started after a changed backbone and how its seeds compare. */
function printNotes(rows: BudgetRow[]): void {
  for (const row of rows) {
    if (row.afterBackbone) {
      console.log(
        `${row.dataset} ${row.system}: every trial from ${row.afterBackbone.backbone}'s new ` +
          `choice (its trial ${row.afterBackbone.backboneTrial}); the records' choice came from ` +
          "the records' backbone",
      );
    }
    if (row.seeds) console.log(seedsLine(row, row.seeds));
  }
}

/** A followed choice's test NDCG@10 over the seeds, with its paired differences. */
function seedsLine(row: BudgetRow, over: NonNullable<BudgetRow["seeds"]>): string {
  const { seeds, budget: b, records: r, againstRecords: a, againstSasrecMm: m } = over;
  const fmt = (x: MeanStd) => `${x.mean.toFixed(4)} ± ${x.std.toFixed(4)}`;
  const diff = (d: { meanDifference: number; pValue: number }) =>
    `${d.meanDifference >= 0 ? "+" : ""}${d.meanDifference.toFixed(4)}, p = ${
      d.pValue.toPrecision(2)
    }`;
  return `${row.dataset} ${row.system}, seeds ${
    seeds.join(",")
  }: test NDCG@10 with the larger budget's ` +
    `choice ${fmt(b)}, with the records' ${fmt(r)} (${diff(a)}); against the records' ` +
    `SASRec-MM ${diff(m)}` +
    (over.againstBackbone
      ? `; against ${backboneOf(row.system)}'s ${row.afterBackbone ? "new choice" : "records"} ${
        diff(over.againstBackbone)
      }`
      : "");
}

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
