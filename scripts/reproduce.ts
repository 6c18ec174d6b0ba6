/**
 * The main job: reproduces the paper's tables and plots on the embedded MovieLens data and the
 * synthetic benchmark, resuming finished cells.
 *
 *   deno task reproduce            full grid (prints its expected wall time first)
 *   deno task reproduce --quick    the same grid, small (CI)
 *   deno task reproduce --seeds 0,1 --results results/mine
 *   deno task reproduce --report-only   report the finished cells, list the missing ones, run nothing
 *   deno task reproduce --dataset data/mine/mine --format recbole [--features image=img.txt,...]
 *                     [--max-epochs N] [--patience N]
 *                                  bring your own data: main table and ablation on an imported
 *                                  dataset (format sequence or recbole), results under
 *                                  results/<label>/<mode>; --max-epochs / --patience: the
 *                                  dataset's own trainer settings (the plan's datasetTraining);
 *                                  see docs/data.md
 *   deno task reproduce --ranking history_kept
 *                                  validate and test with history items kept as candidates
 *                                  (RecBole-compatible full sort; default history_excluded)
 *   deno task reproduce & deno task reproduce
 *                                  (two processes share the cells: each claims a cell before it
 *                                  runs it; the one that finishes last writes the complete report)
 *
 * Cells as commands (what a batch scheduler runs; see scripts/slurm/submit.ts, docs/scale.md):
 *   deno task reproduce --list-cells [--quick] [--json]   index, state (under --results) and key
 *                                  of every cell; --json for programs (scripts/slurm/submit.ts)
 *   deno task reproduce --cell ID_OR_INDEX --results DIR  run exactly that cell (resumes: a
 *                                  finished cell is not rerun); exit status 1 when it fails
 * A results folder belongs to one plan (its plan.json): a command of another plan stops with an
 * error before writing anything.
 */
import { parseArgs } from "node:util";
import {
  checkResultsPlan,
  DATASET_FILE_FORMATS,
  type DatasetFileFormat,
  datasetLabel,
  type DatasetSpec,
  initBackend,
  listCells,
  parseRankingProtocol,
  planExperiments,
  recordResultsPlan,
  resolveCell,
  runOneCell,
  runPlan,
  summarise,
  writeReport,
} from "../mod.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    seeds: { type: "string" },
    results: { type: "string" },
    "report-only": { type: "boolean", default: false },
    "list-cells": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    cell: { type: "string" },
    dataset: { type: "string" },
    format: { type: "string" },
    features: { type: "string" },
    ranking: { type: "string" },
    "max-epochs": { type: "string" },
    patience: { type: "string" },
  },
});
const mode = values.quick ? "quick" : "full";
const seeds = values.seeds?.split(",").map((s) => {
  // Number("") is 0: an empty entry ("--seeds ''" or "--seeds 0,,1") must not become seed 0.
  const seed = s.trim() === "" ? NaN : Number(s);
  if (!Number.isInteger(seed)) throw new Error(`--seeds: "${s}" is not an integer`);
  return seed;
});
/** `--dataset PATH --format F [--features name=path,...]`, or undefined for the embedded data. */
function datasetOption(): DatasetSpec | undefined {
  if (values.dataset === undefined) {
    const orphans = ["format", "features", "max-epochs", "patience"] as const;
    const given = orphans.filter((name) => values[name] !== undefined);
    if (given.length > 0) {
      throw new Error(`--${given.join(", --")}: only with --dataset PATH, which is missing`);
    }
    return undefined;
  }
  const format = values.format;
  if (!format || !(DATASET_FILE_FORMATS as readonly string[]).includes(format)) {
    throw new Error(`--format: "${format ?? ""}" is not one of ${DATASET_FILE_FORMATS.join(", ")}`);
  }
  const features = values.features?.split(",").map((entry) => {
    const [name, path] = entry.split("=");
    if (!name || !path) throw new Error(`--features: "${entry}" is not name=path`);
    return { name, path };
  });
  return {
    kind: "file",
    path: values.dataset,
    format: format as DatasetFileFormat,
    ...(features ? { features } : {}),
  };
}
const dataset = datasetOption();
/** `--max-epochs` / `--patience` as trainer settings (range-checked by the plan). */
const datasetTraining = {
  ...(values["max-epochs"] !== undefined ? { maxEpochs: Number(values["max-epochs"]) } : {}),
  ...(values.patience !== undefined ? { patience: Number(values.patience) } : {}),
};
const ranking = values.ranking === undefined
  ? undefined
  : parseRankingProtocol(values.ranking, "--ranking");
const resultsDir = values.results ??
  (dataset ? `results/${datasetLabel(dataset)}/${mode}` : `results/${mode}`);
const commands = ["report-only", "list-cells", "cell"] as const;
const chosen = commands.filter((c) => values[c] !== undefined && values[c] !== false);
if (chosen.length > 1) {
  throw new Error(`--${chosen.join(" and --")} exclude each other: choose one`);
}

const plan = planExperiments(mode, seeds, {
  ...(dataset ? { dataset } : {}),
  ...(ranking ? { ranking } : {}),
  ...(Object.keys(datasetTraining).length > 0 ? { datasetTraining } : {}),
});

/** Stops with a clear message (no stack) and a non-zero status. */
function fail(error: unknown): never {
  console.error(`reproduce: ${(error as Error).message}`);
  Deno.exit(1);
}

if (values["list-cells"]) {
  try {
    checkResultsPlan(plan, resultsDir);
  } catch (error) {
    fail(error);
  }
  const cells = listCells(plan, resultsDir);
  if (values.json) {
    console.log(JSON.stringify({ mode, seeds: plan.seeds, resultsDir, cells }, null, 1));
  } else {
    console.log(`# ${plan.mode} plan, ${cells.length} cells, state under ${resultsDir}`);
    for (const cell of cells) {
      console.log(`${cell.index}\t${cell.status}\t~${cell.estimatedSeconds} s\t${cell.key}`);
    }
  }
  Deno.exit(0);
}

if (values.cell !== undefined) {
  let cell;
  try {
    cell = resolveCell(plan, values.cell);
    checkResultsPlan(plan, resultsDir);
  } catch (error) {
    fail(error);
  }
  await initBackend().catch(fail);
  // The batch task running this cell, recorded in its claim: DEMURE_JOB_ID (set by the
  // Kubernetes manifest), else Slurm's array task, else Slurm's job.
  const slurmArray = Deno.env.get("SLURM_ARRAY_JOB_ID");
  const job = Deno.env.get("DEMURE_JOB_ID") ??
    (slurmArray
      ? `${slurmArray}_${Deno.env.get("SLURM_ARRAY_TASK_ID")}`
      : Deno.env.get("SLURM_JOB_ID"));
  try {
    await runOneCell(plan, cell, { resultsDir, job });
  } catch (error) {
    console.error(`reproduce: cell ${cell.key} failed:`, error);
    Deno.exit(1);
  }
  Deno.exit(0);
}

try {
  if (values["report-only"]) {
    checkResultsPlan(plan, resultsDir);
    if (listCells(plan, resultsDir).every((cell) => cell.status !== "finished")) {
      throw new Error(`--report-only: ${resultsDir} holds no finished cell of the ${mode} plan`);
    }
  } else recordResultsPlan(plan, resultsDir);
} catch (error) {
  fail(error);
}
await initBackend().catch(fail);
const outcome = await runPlan(plan, {
  resultsDir,
  runPending: !values["report-only"],
});
if (outcome.pending.length > 0 && !values["report-only"]) {
  console.log(
    `${outcome.pending.length} cells are still running in other processes; the last process ` +
      "to finish writes the complete report (or run --report-only for a partial one)",
  );
  Deno.exit(0);
}
const summary = summarise(plan, outcome);
const paths = await writeReport(summary, resultsDir);
console.log(`\nwrote ${paths.markdown}\n      ${paths.json}\n      ${paths.html}`);
if (outcome.pending.length > 0) {
  const indexOf = new Map(plan.cells.map((cell, index) => [cell.key, index]));
  console.log(
    `\n${outcome.pending.length} of ${plan.cells.length} cells are missing (not finished):`,
  );
  for (const key of outcome.pending) console.log(`missing\t${indexOf.get(key)}\t${key}`);
}
