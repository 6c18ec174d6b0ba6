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
import { initBackend } from "../mod.ts";
import { pairedTTest } from "../lib/eval/mod.ts";
import {
  type CellResult,
  endedWithBackboneWeights,
  finishedCells,
  type MeanStd,
  meanStd,
  planExperiments,
  planOfResults,
  RECORDS_DIR,
  releaseClaimsOnSignal,
  runPlan,
  type SelectedConfigurations,
  selectedFrom,
  SELECTION_SPECS,
  type SystemName,
} from "../lib/experiments/mod.ts";
import { mainResults } from "./_main_results.ts";

/** One selection chosen again among the trials that denoise. */
interface ChoiceRow {
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

const USAGE = `usage: deno run -A bench/denoising_choice_check.ts [--results=DIR] [--out=FILE]
  --results DIR     where the cells go (default results/denoising-choice)
  --out FILE        write the rows as JSON (default: not written)
  -h, --help        print this text`;

async function main(): Promise<number> {
  const { values } = parseOptions(Deno.args, {
    results: { type: "string", default: "results/denoising-choice" },
    out: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const resultsDir = values.results;
  await initBackend({ verbose: false });
  releaseClaimsOnSignal();
  const records = planOfResults("full", RECORDS_DIR.full);
  const stored = finishedCells(records, RECORDS_DIR.full);
  const rows: ChoiceRow[] = [];
  for (const [dataset, chosen] of Object.entries(records.selected)) {
    for (const [system, choice] of Object.entries(chosen)) {
      const backbone = SELECTION_SPECS[system as SystemName]?.inheritsFrom;
      const trials = records.cells.filter((cell) =>
        cell.trial?.selection === `${dataset}/${system}`
      );
      const resultOf = (index: number) =>
        stored.get(trials.find((cell) => cell.trial!.index === index)!.key)!;
      if (backbone === undefined || resultOf(choice.trial).demure === undefined) continue;
      if (!endedWithBackboneWeights(resultOf(choice.trial))) continue;
      const denoising = trials.filter((cell) => !endedWithBackboneWeights(stored.get(cell.key)!));
      if (denoising.length === 0) {
        console.log(`${dataset}/${system}: every trial ended with its backbone's weights`);
        continue;
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
        `${dataset}/${system}: the records chose trial ${choice.trial}, which ended with ` +
          `${backbone}'s weights; among the trials that denoise, trial ${alternative.trial} ` +
          `(valid NDCG@10 ${alternative.valid.toFixed(4)}): ${cells.length} main-table cells`,
      );
      await runPlan({ ...plan, cells }, { resultsDir, waitForOthers: true });
      const fresh = mainResults(plan, finishedCells(plan, resultsDir), dataset, system);
      const recorded = mainResults(records, stored, dataset, system);
      const backboneRow = mainResults(records, stored, dataset, backbone);
      const seeds = [...fresh.keys()];
      const tests = (results: Map<number, CellResult>) =>
        seeds.map((seed) => results.get(seed)!.test["NDCG@10"]);
      const paired = (other: Map<number, CellResult>) => {
        const { meanDifference, pValue } = pairedTTest(tests(fresh), tests(other));
        return { meanDifference, pValue };
      };
      const backboneSeeds = (results: Map<number, CellResult>) =>
        seeds.filter((seed) => endedWithBackboneWeights(results.get(seed)!));
      rows.push({
        dataset,
        system,
        backbone,
        trials: trials.map((cell) => ({
          trial: cell.trial!.index,
          valid: stored.get(cell.key)!.valid["NDCG@10"],
          backboneWeights: endedWithBackboneWeights(stored.get(cell.key)!),
        })),
        recordsChoice: choice.trial,
        denoisingChoice: alternative.trial,
        seeds,
        denoising: meanStd(tests(fresh)),
        records: meanStd(tests(recorded)),
        backboneRow: meanStd(tests(backboneRow)),
        backboneWeightSeeds: { records: backboneSeeds(recorded), denoising: backboneSeeds(fresh) },
        againstRecords: paired(recorded),
        againstBackbone: paired(backboneRow),
      });
    }
  }
  const format = (m: MeanStd) => `${m.mean.toFixed(4)} ± ${m.std.toFixed(4)}`;
  const signed = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(4)}`;
  for (const r of rows) {
    console.log(
      `\n${r.dataset} ${r.system} (seeds ${r.seeds.join(", ")}), test NDCG@10: trial ` +
        `${r.denoisingChoice} ${format(r.denoising)} (backbone's weights at seeds ` +
        `${r.backboneWeightSeeds.denoising.join(", ") || "none"}); records' trial ` +
        `${r.recordsChoice} ${format(r.records)} (backbone's weights at seeds ` +
        `${r.backboneWeightSeeds.records.join(", ") || "none"}); ${r.backbone} ` +
        `${format(r.backboneRow)}.\n  against the records' row ${
          signed(r.againstRecords.meanDifference)
        } (by seed p = ${r.againstRecords.pValue.toPrecision(2)}); against ${r.backbone} ${
          signed(r.againstBackbone.meanDifference)
        } (by seed p = ${r.againstBackbone.pValue.toPrecision(2)})`,
    );
  }
  if (rows.length === 0) console.log("no selection of the records chose a backbone-weights trial");
  if (values.out) {
    await Deno.writeTextFile(values.out, JSON.stringify(rows, null, 2) + "\n"); // as deno fmt writes it
    console.log(`wrote ${values.out}`);
  }
  return 0;
}

if (import.meta.main) await runScript("denoising_choice_check", main);
