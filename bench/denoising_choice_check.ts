/**
 * Would Demure's row change if its selection chose only among trials that denoise? A Demure trial
 * whose best validation epoch falls in its warm-up ends with its backbone's weights
 * (`endedWithBackboneWeights`): its validation NDCG@10 is the backbone's, and the selection may
 * choose it, so the main table's "Demure" row can be its backbone's run at most seeds. This check
 * takes every such selection of the records (a Demure-family system whose chosen trial ended with
 * its backbone's weights), chooses again among its trials that did not (validation only, as
 * `selectedFrom` chooses), runs that choice's main-table cells at every seed exactly as the plan
 * defines them, and sets their test NDCG@10 against the records' row and the backbone's, paired by
 * seed (test is read once, for the choice validation made). It also counts the seeds at which the
 * new choice, too, ended with its backbone's weights.
 *
 * The records are read, never written; the cells go to `--results` (resumable; a second process
 * started with the same arguments shares the cells through the claims).
 *
 * Run: `DEMURE_BLAS_THREADS=1 deno run -A bench/denoising_choice_check.ts
 * --results=results/denoising-choice [--out=docs/measurements/denoising_choice.json]`.
 */
import { parseOptions, runScript } from "../scripts/cli/options.ts";
import { checkResultsFolder } from "../scripts/cli/read_problem.ts";
import { initBackend } from "../mod.ts";
import { pairedTTest } from "../lib/eval/mod.ts";
import {
  type CellResult,
  endedWithBackboneWeights,
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
  type SelectedConfiguration,
  type SelectedConfigurations,
  selectedFrom,
  SELECTION_SPECS,
  type SystemName,
} from "../lib/experiments/mod.ts";
import { mainResults } from "./_main_results.ts";

/** One selection chosen again among the trials that denoise. */
export interface ChoiceRow {
  dataset: string;
  system: string;
  backbone: string;
  /** Every trial: its validation NDCG@10 and whether it ended with the backbone's weights. */
  trials: { trial: number; valid: number; backboneWeights: boolean }[];
  recordsChoice: number;
  denoisingChoice: number;
  seeds: number[];
  /** Test NDCG@10 over the seeds: the new choice, the records' row, the backbone's row. */
  denoising: MeanStd;
  records: MeanStd;
  backboneRow: MeanStd;
  /** Seeds at which the records' choice, and the new one, ended with the backbone's weights. */
  backboneWeightSeeds: { records: number[]; denoising: number[] };
  againstRecords: { meanDifference: number; pValue: number };
  againstBackbone: { meanDifference: number; pValue: number };
}

/** Where the cells go without `--results` (the parser's default and the one --help states). */
const DEFAULT_RESULTS = "results/denoising-choice";

/** The `--help` text. */
export const USAGE =
  `usage: deno run -A bench/denoising_choice_check.ts [--results=DIR] [--out=FILE]
  --results DIR     where the cells go (default ${DEFAULT_RESULTS})
  --out FILE        write the rows as JSON (default: not written)
  -h, --help        print this text`;

/** The checked options; undefined after `--help`. */
export function checkedOptions(
  args: readonly string[],
): { resultsDir: string; out: string | undefined } | undefined {
  const { values } = parseOptions(args, {
    results: { type: "string", default: DEFAULT_RESULTS },
    out: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) return undefined;
  checkResultsFolder(values.results);
  return { resultsDir: values.results, out: values.out };
}

/** A selection of the records whose chosen trial ended with its backbone's weights. */
export interface BackboneWeightsSelection {
  dataset: string;
  system: string;
  backbone: string;
  /** The selection's trial cells, in the records' order. */
  trials: PlannedCell[];
  /** The trial the records chose. */
  recordsChoice: number;
}

/**
 * The selection `system` on `dataset` if it is a Demure-family one whose chosen trial ended with
 * its backbone's weights, else undefined.
 */
export function backboneWeightsSelection(
  records: ExperimentPlan,
  stored: Map<string, CellResult>,
  dataset: string,
  system: string,
  choice: SelectedConfiguration,
): BackboneWeightsSelection | undefined {
  const backbone = SELECTION_SPECS[system as SystemName]?.inheritsFrom;
  const trials = records.cells.filter((cell) => cell.trial?.selection === `${dataset}/${system}`);
  const resultOf = (index: number) =>
    stored.get(trials.find((cell) => cell.trial!.index === index)!.key)!;
  if (backbone === undefined || resultOf(choice.trial).demure === undefined) return undefined;
  if (!endedWithBackboneWeights(resultOf(choice.trial))) return undefined;
  return { dataset, system, backbone, trials, recordsChoice: choice.trial };
}

/**
 * Chooses again among the selection's trials that denoise, runs that choice's main-table cells into
 * `resultsDir` and sets them against the records; undefined when every trial ended with the
 * backbone's weights (there is nothing to choose).
 */
async function checkSelection(
  records: ExperimentPlan,
  stored: Map<string, CellResult>,
  selection: BackboneWeightsSelection,
  resultsDir: string,
): Promise<ChoiceRow | undefined> {
  const { dataset, system, backbone, trials, recordsChoice } = selection;
  const denoising = trials.filter((cell) => !endedWithBackboneWeights(stored.get(cell.key)!));
  if (denoising.length === 0) {
    console.log(`${dataset}/${system}: every trial ended with its backbone's weights`);
    return undefined;
  }
  const alternative = selectedFrom({ ...records, cells: denoising }, stored)[dataset][system];
  const selected: SelectedConfigurations = structuredClone(records.selected);
  selected[dataset][system] = alternative;
  const plan = planExperiments("full", undefined, { selected });
  const cells = plan.cells.filter((cell) =>
    cell.experiments.includes("main") && cell.datasetLabel === dataset &&
    cell.systemName === system
  );
  console.log(
    `${dataset}/${system}: the records chose trial ${recordsChoice}, which ended with ` +
      `${backbone}'s weights; among the trials that denoise, trial ${alternative.trial} ` +
      `(valid NDCG@10 ${alternative.valid.toFixed(4)}): ${cells.length} main-table cells`,
  );
  await runPlan({ ...plan, cells }, {
    resultsDir,
    waitForOthers: true,
    replaceOtherSettings: true,
  });
  const fresh = mainResults(plan, finishedCells(plan, resultsDir), dataset, system);
  const recorded = mainResults(records, stored, dataset, system);
  const backboneRow = mainResults(records, stored, dataset, backbone);
  return choiceRow(selection, stored, alternative.trial, { fresh, recorded, backboneRow });
}

/** The main-table results a row compares, by seed. */
export interface RowResults {
  /** The new choice's cells, as run by this check. */
  fresh: Map<number, CellResult>;
  /** The records' row of the system. */
  recorded: Map<number, CellResult>;
  /** The records' row of the backbone. */
  backboneRow: Map<number, CellResult>;
}

/** The row of a selection chosen again: trial `denoisingChoice`, its cells run. */
export function choiceRow(
  selection: BackboneWeightsSelection,
  stored: Map<string, CellResult>,
  denoisingChoice: number,
  { fresh, recorded, backboneRow }: RowResults,
): ChoiceRow {
  const seeds = [...fresh.keys()];
  const tests = (results: Map<number, CellResult>) =>
    seeds.map((seed) => results.get(seed)!.test["NDCG@10"]);
  const paired = (other: Map<number, CellResult>) => {
    const { meanDifference, pValue } = pairedTTest(tests(fresh), tests(other));
    return { meanDifference, pValue };
  };
  const backboneSeeds = (results: Map<number, CellResult>) =>
    seeds.filter((seed) => endedWithBackboneWeights(results.get(seed)!));
  return {
    dataset: selection.dataset,
    system: selection.system,
    backbone: selection.backbone,
    trials: selection.trials.map((cell) => ({
      trial: cell.trial!.index,
      valid: stored.get(cell.key)!.valid["NDCG@10"],
      backboneWeights: endedWithBackboneWeights(stored.get(cell.key)!),
    })),
    recordsChoice: selection.recordsChoice,
    denoisingChoice,
    seeds,
    denoising: meanStd(tests(fresh)),
    records: meanStd(tests(recorded)),
    backboneRow: meanStd(tests(backboneRow)),
    backboneWeightSeeds: { records: backboneSeeds(recorded), denoising: backboneSeeds(fresh) },
    againstRecords: paired(recorded),
    againstBackbone: paired(backboneRow),
  };
}

/** `mean ± std` at four decimals. */
const formatMeanStd = (m: MeanStd) => `${m.mean.toFixed(4)} ± ${m.std.toFixed(4)}`;

/** A difference with its sign, at four decimals. */
export const signed = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(4)}`;

/** The console lines of one row (a blank line first). */
export function rowLines(row: ChoiceRow): string {
  return `\n${row.dataset} ${row.system} (seeds ${row.seeds.join(", ")}), test NDCG@10: trial ` +
    `${row.denoisingChoice} ${formatMeanStd(row.denoising)} (backbone's weights at seeds ` +
    `${row.backboneWeightSeeds.denoising.join(", ") || "none"}); records' trial ` +
    `${row.recordsChoice} ${formatMeanStd(row.records)} (backbone's weights at seeds ` +
    `${row.backboneWeightSeeds.records.join(", ") || "none"}); ${row.backbone} ` +
    `${formatMeanStd(row.backboneRow)}.\n  against the records' row ${
      signed(row.againstRecords.meanDifference)
    } (by seed p = ${row.againstRecords.pValue.toPrecision(2)}); against ${row.backbone} ${
      signed(row.againstBackbone.meanDifference)
    } (by seed p = ${row.againstBackbone.pValue.toPrecision(2)})`;
}

/**
 * Checks the options, runs the denoising choice of every selection of the records that chose a
 * backbone-weights trial, and reports each against the records.
 */
async function main(): Promise<number> {
  const options = checkedOptions(Deno.args);
  if (options === undefined) {
    console.log(USAGE);
    return 0;
  }
  const { resultsDir, out } = options;
  await initBackend({ verbose: false });
  releaseClaimsOnSignal();
  const records = planOfResults("full", RECORDS_DIR.full);
  const stored = finishedCells(records, RECORDS_DIR.full);
  const rows: ChoiceRow[] = [];
  for (const [dataset, chosen] of Object.entries(records.selected)) {
    for (const [system, choice] of Object.entries(chosen)) {
      const selection = backboneWeightsSelection(records, stored, dataset, system, choice);
      if (selection === undefined) continue;
      const row = await checkSelection(records, stored, selection, resultsDir);
      if (row !== undefined) rows.push(row);
    }
  }
  for (const row of rows) console.log(rowLines(row));
  if (rows.length === 0) console.log("no selection of the records chose a backbone-weights trial");
  if (out) {
    await Deno.writeTextFile(out, JSON.stringify(rows, null, 2) + "\n"); // as deno fmt writes it
    console.log(`wrote ${out}`);
  }
  return 0;
}

if (import.meta.main) await runScript("denoising_choice_check", main);
