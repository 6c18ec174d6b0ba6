/**
 * Does the noise masks' schedule move a result? The separate attribution pass costs about 0.8 of a
 * plain step each time a window is attributed; `DemureConfig.everyVisits` decides how often that
 * happens (1 = every visit, 2 = every second one, the mask reused in between). The records were made
 * with both, without saying so: masks then aged in steps (`everySteps` 10), which was every second
 * visit on the synthetic benchmark (5 steps an epoch) and every visit on MovieLens (17).
 *
 * This check reruns recorded Demure cells exactly as the plan defines them, with one change,
 * `everyVisits` (`--visits`), into `--results`, and sets each against its record, paired by seed:
 * test and validation NDCG@10 (mean ± std, paired t-test), best epoch, training seconds, masks
 * computed and reused, and on the synthetic benchmark the trained model's attribution ROC-AUC
 * (user x modality) where the cell scores it. Cells chosen: every recorded Demure-family cell of
 * `--datasets` and `--systems` (plan keys, e.g. `Demure-SASRec[denoiseInput=flipped]`) that the
 * separate pass attributes (not `contrastive_only`), each distinct run once.
 *
 * The records are read, never written; the cells go to `--results` (resumable; a second process
 * started with the same arguments shares the cells through the claims).
 *
 * Run: `DEMURE_BLAS_THREADS=1 deno run -A bench/mask_schedule_check.ts --visits=2
 * --datasets=MovieLens --systems=Demure-SASRec[denoiseInput=flipped],AttributionOnly-SASRec
 * --results=results/mask-schedule [--out=docs/measurements/mask_schedule.json]` (the values shown
 * are the defaults, but `--out`'s: unset, nothing is written); `--report-only` runs nothing and
 * reports the cells finished so far; `--help` lists the options. A bad option is one line and
 * exit 2 before anything runs: `--visits` not an integer in 1..1000, a dataset without such
 * records, a system key without a separate-pass Demure record on the chosen datasets (the message
 * lists the ones there are).
 */
import {
  integerOption,
  listOption,
  parseOptions,
  runScript,
  UsageError,
} from "../scripts/cli/options.ts";
import { checkResultsFolder } from "../scripts/cli/read_problem.ts";
import { initBackend } from "../mod.ts";
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
} from "../lib/experiments/mod.ts";
import { type DemureConfig, masksAreRandom, resolveDemureConfig } from "../lib/demure/mod.ts";

/** One seed of a group: each value as rerun, then as recorded. */
export interface SeedComparison {
  seed: number;
  test: [number, number];
  valid: [number, number];
  bestEpoch: [number, number];
  trainSeconds: [number, number];
  attributed: [number, number];
  reused: [number, number];
  userModalityRocAuc?: [number, number];
}

/** One group of cells (a dataset and a system key) under both schedules. */
export interface ScheduleRow {
  dataset: string;
  system: string;
  recordedVisits: number;
  visits: number;
  seeds: number[];
  perSeed: SeedComparison[];
  test: { checked: MeanStd; records: MeanStd; meanDifference: number; pValue: number };
  valid: { checked: MeanStd; records: MeanStd };
  userModalityRocAuc?: { checked: MeanStd; records: MeanStd };
}

/** A chosen cell with its recorded result and its rerun's. */
export interface CellPair {
  cell: PlannedCell;
  before: CellResult;
  after: CellResult;
}

/** Masks from the separate attribution pass, the route whose schedule `everyVisits` sets. */
const attributedApart = (config: DemureConfig) =>
  config.attributionSource === "separate_pass" && !masksAreRandom(config.variant);

/** The plan key's system part: `full/MovieLens/<system>/seed=0` -> `<system>`. */
const systemKeyOf = (cell: PlannedCell) => cell.key.split("/").slice(2, -1).join("/");

/** The options' defaults: the parser's and those --help states (one home). */
const DEFAULTS = {
  visits: 2,
  datasets: "MovieLens",
  systems: "Demure-SASRec[denoiseInput=flipped],AttributionOnly-SASRec",
  results: "results/mask-schedule",
} as const;

/** The `--help` text. */
export const USAGE = `usage: deno run -A bench/mask_schedule_check.ts [--visits=N] [--datasets=LIST]
                  [--systems=LIST] [--results=DIR] [--out=FILE] [--report-only]
  --visits N        everyVisits of the rerun (default ${DEFAULTS.visits}; 1..1000)
  --datasets LIST   datasets of the records (default ${DEFAULTS.datasets})
  --systems LIST    plan keys of separate-pass Demure records
                    (default ${DEFAULTS.systems})
  --results DIR     where the rerun cells go (default ${DEFAULTS.results})
  --out FILE        write the rows as JSON (default: not written)
  --report-only     run nothing; report the cells finished so far
  -h, --help        print this text`;

/**
 * The checked options and the recorded cells they choose, or a {@linkcode UsageError}; undefined
 * after `--help`.
 */
export function checkedOptions(args: readonly string[]) {
  const { values } = parseOptions(args, {
    visits: { type: "string", default: String(DEFAULTS.visits) },
    datasets: { type: "string", default: DEFAULTS.datasets },
    systems: { type: "string", default: DEFAULTS.systems },
    results: { type: "string", default: DEFAULTS.results },
    out: { type: "string" },
    "report-only": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) return undefined;
  // A window comes back once an epoch, and no cell trains 1000 epochs: a larger value is a typo.
  const visits = integerOption("visits", values.visits, 1, 1000);
  const records = planOfResults("full", RECORDS_DIR.full);
  // The records whose masks the separate pass attributes, each distinct run once.
  const candidates = records.cells.filter((cell) =>
    cell.sameAs === undefined && cell.system.kind === "neural" &&
    cell.system.demure !== undefined && attributedApart(resolveDemureConfig(cell.system.demure))
  );
  const known = (cells: PlannedCell[], part: (cell: PlannedCell) => string) => [
    ...new Set(cells.map(part)),
  ];
  const datasets = listOption(
    "datasets",
    values.datasets,
    known(candidates, (cell) => datasetLabel(cell.dataset)),
  );
  const onDatasets = candidates.filter((cell) => datasets.includes(datasetLabel(cell.dataset)));
  const systems = values.systems.split(",");
  for (const system of systems) {
    if (!onDatasets.some((cell) => systemKeyOf(cell) === system)) {
      throw new UsageError(
        `--systems: no separate-pass Demure record ${system} on ${datasets.join(", ")} ` +
          `(there are: ${known(onDatasets, systemKeyOf).join(", ")})`,
      );
    }
  }
  listOption("systems", values.systems, systems); // none given twice
  const chosen = onDatasets.filter((cell) => systems.includes(systemKeyOf(cell)));
  checkResultsFolder(values.results);
  return {
    visits,
    records,
    chosen,
    resultsDir: values.results,
    out: values.out,
    reportOnly: values["report-only"],
  };
}

/**
 * Reruns the chosen cells with `everyVisits` at `visits` into `resultsDir` (nothing is run with
 * `reportOnly`) and returns the rerun cells finished there, by key.
 */
async function rerunCells(
  records: ExperimentPlan,
  chosen: PlannedCell[],
  visits: number,
  resultsDir: string,
  reportOnly: boolean,
): Promise<Map<string, CellResult>> {
  const changedPlan = planExperiments("full", undefined, {
    selected: records.selected,
    demure: { everyVisits: visits },
  });
  const keys = new Set(chosen.map((cell) => cell.key));
  const changed = changedPlan.cells.filter((cell) => keys.has(cell.key));
  console.log(
    `mask schedule check: ${changed.length} cells at everyVisits ${visits} into ${resultsDir}`,
  );
  if (!reportOnly) {
    await runPlan({ ...changedPlan, cells: changed }, {
      resultsDir,
      waitForOthers: true,
      replaceOtherSettings: true,
    });
  }
  return finishedCells({ ...changedPlan, cells: changed }, resultsDir);
}

/** The chosen cells by `<dataset>/<system key>`, in the records' order. */
function groupedBySystem(chosen: PlannedCell[]): Map<string, PlannedCell[]> {
  const groups = new Map<string, PlannedCell[]>();
  for (const cell of chosen) {
    const id = `${datasetLabel(cell.dataset)}/${systemKeyOf(cell)}`;
    groups.set(id, [...(groups.get(id) ?? []), cell]);
  }
  return groups;
}

/** The trained model's gradient x input attribution (the README's 0.990 column). */
const gradientAuc = (r: CellResult) =>
  r.attribution?.find((a) => a.method === "gradient_x_input")?.userModalityRocAuc;

/** One seed's rerun set against its record. */
function seedComparison({ cell, before, after }: CellPair): SeedComparison {
  return {
    seed: cell.seed,
    test: [after.test["NDCG@10"], before.test["NDCG@10"]],
    valid: [after.valid["NDCG@10"], before.valid["NDCG@10"]],
    bestEpoch: [after.bestEpoch, before.bestEpoch],
    trainSeconds: [after.trainSeconds, before.trainSeconds],
    attributed: [after.demure?.attributed ?? 0, before.demure?.attributed ?? 0],
    reused: [after.demure?.reused ?? 0, before.demure?.reused ?? 0],
    ...(gradientAuc(before) !== undefined && gradientAuc(after) !== undefined
      ? { userModalityRocAuc: [gradientAuc(after)!, gradientAuc(before)!] as [number, number] }
      : {}),
  };
}

/** The `everyVisits` the records ran a cell's system with. */
function recordedVisitsOf(cell: PlannedCell): number {
  return cell.system.kind === "neural" ? resolveDemureConfig(cell.system.demure).everyVisits : NaN;
}

/** The row of group `id` (`<dataset>/<system key>`) from its pairs (at least one). */
export function scheduleRow(id: string, pairs: CellPair[], visits: number): ScheduleRow {
  const perSeed = pairs.map(seedComparison);
  const column = (field: "test" | "valid", k: 0 | 1) => perSeed.map((s) => s[field][k]);
  const paired = perSeed.length > 1
    ? pairedTTest(column("test", 0), column("test", 1))
    : { meanDifference: perSeed[0].test[0] - perSeed[0].test[1], pValue: NaN };
  const aucs = perSeed.filter((s) => s.userModalityRocAuc !== undefined);
  const [dataset, ...system] = id.split("/");
  return {
    dataset,
    system: system.join("/"),
    recordedVisits: recordedVisitsOf(pairs[0].cell),
    visits,
    seeds: perSeed.map((s) => s.seed),
    perSeed,
    test: {
      checked: meanStd(column("test", 0)),
      records: meanStd(column("test", 1)),
      meanDifference: paired.meanDifference,
      pValue: paired.pValue,
    },
    valid: { checked: meanStd(column("valid", 0)), records: meanStd(column("valid", 1)) },
    ...(aucs.length > 0
      ? {
        userModalityRocAuc: {
          checked: meanStd(aucs.map((s) => s.userModalityRocAuc![0])),
          records: meanStd(aucs.map((s) => s.userModalityRocAuc![1])),
        },
      }
      : {}),
  };
}

/** A row for each group of chosen cells with at least one rerun cell finished. */
function scheduleRows(
  chosen: PlannedCell[],
  recorded: Map<string, CellResult>,
  checked: Map<string, CellResult>,
  visits: number,
): ScheduleRow[] {
  const rows: ScheduleRow[] = [];
  for (const [id, cells] of groupedBySystem(chosen)) {
    // With --report-only, the cells finished so far (a seed is left out until it finishes).
    const pairs = cells.filter((cell) => checked.has(cell.key)).map((cell) => ({
      cell,
      before: recorded.get(cell.key)!,
      after: checked.get(cell.key)!,
    }));
    if (pairs.length === 0) continue;
    rows.push(scheduleRow(id, pairs, visits));
  }
  return rows;
}

/** `mean ± std` at four decimals. */
const formatMeanStd = (m: MeanStd) => `${m.mean.toFixed(4)} ± ${m.std.toFixed(4)}`;

/** The console line of one row. */
function rowLine(row: ScheduleRow): string {
  const seconds = (k: 0 | 1) => row.perSeed.reduce((s, p) => s + p.trainSeconds[k], 0);
  return `${row.dataset} ${row.system}, seeds ${row.seeds.join(",")}: test NDCG@10 ` +
    `at everyVisits ${row.visits} ${formatMeanStd(row.test.checked)}, records (everyVisits ` +
    `${row.recordedVisits}) ${formatMeanStd(row.test.records)}; paired difference ` +
    `${row.test.meanDifference.toFixed(4)} (p = ${row.test.pValue.toFixed(2)}); training ` +
    `${(seconds(0) / 60).toFixed(1)} min against ${(seconds(1) / 60).toFixed(1)} min as recorded` +
    (row.userModalityRocAuc
      ? `; attribution ROC-AUC ${formatMeanStd(row.userModalityRocAuc.checked)} against ` +
        formatMeanStd(row.userModalityRocAuc.records)
      : "");
}

/** Checks the options, reruns the chosen cells and sets each group against its records. */
async function main(): Promise<number> {
  const options = checkedOptions(Deno.args);
  if (options === undefined) {
    console.log(USAGE);
    return 0;
  }
  const { visits, records, chosen, resultsDir, out, reportOnly } = options;
  await initBackend({ verbose: false });
  releaseClaimsOnSignal();
  const recorded = finishedCells(records, RECORDS_DIR.full);
  const checked = await rerunCells(records, chosen, visits, resultsDir, reportOnly);
  const rows = scheduleRows(chosen, recorded, checked, visits);
  for (const row of rows) console.log(rowLine(row));
  if (out) {
    await Deno.writeTextFile(out, JSON.stringify(rows, null, 2) + "\n"); // as deno fmt writes it
    console.log(`wrote ${out}`);
  }
  return 0;
}

if (import.meta.main) await runScript("mask_schedule_check", main);
