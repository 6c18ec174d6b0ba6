/**
 * The main job: reproduces the paper's tables and plots on the embedded MovieLens data and the
 * synthetic benchmark, resuming finished cells.
 *
 *   deno task reproduce            full grid (prints its expected wall time first)
 *   deno task reproduce --quick    the same grid, small (CI)
 *   deno task reproduce --seeds 0,1 --results results/mine
 *   deno task reproduce --report-only   report the finished cells, run nothing
 *   deno task reproduce --dataset data/mine/mine --format recbole [--features image=img.txt,...]
 *                                  bring your own data: main table and ablation on an imported
 *                                  dataset (format sequence or recbole), results under
 *                                  results/<label>/<mode>; see docs/data.md
 *   deno task reproduce --ranking history_kept
 *                                  validate and test with history items kept as candidates
 *                                  (RecBole-compatible full sort; default history_excluded)
 *   deno task reproduce & deno task reproduce
 *                                  (two processes share the cells: each claims a cell before it
 *                                  runs it; the one that finishes last writes the complete report)
 */
import { parseArgs } from "node:util";
import { initBackend } from "../lib/backend/init_backend.ts";
import { parseRankingProtocol } from "../lib/eval/protocol.ts";
import {
  DATASET_FILE_FORMATS,
  type DatasetFileFormat,
  datasetLabel,
  type DatasetSpec,
} from "../lib/experiments/datasets.ts";
import { planExperiments } from "../lib/experiments/plan.ts";
import { summarise, writeReport } from "../lib/experiments/report.ts";
import { runPlan } from "../lib/experiments/run_plan.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    seeds: { type: "string" },
    results: { type: "string" },
    "report-only": { type: "boolean", default: false },
    dataset: { type: "string" },
    format: { type: "string" },
    features: { type: "string" },
    ranking: { type: "string" },
  },
});
const mode = values.quick ? "quick" : "full";
const seeds = values.seeds?.split(",").map((s) => {
  const seed = Number(s);
  if (!Number.isInteger(seed)) throw new Error(`--seeds: "${s}" is not an integer`);
  return seed;
});
/** `--dataset PATH --format F [--features name=path,...]`, or undefined for the embedded data. */
function datasetOption(): DatasetSpec | undefined {
  if (values.dataset === undefined) {
    if (values.format !== undefined || values.features !== undefined) {
      throw new Error("--format and --features describe --dataset PATH, which is missing");
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
const ranking = values.ranking === undefined
  ? undefined
  : parseRankingProtocol(values.ranking, "--ranking");
const resultsDir = values.results ??
  (dataset ? `results/${datasetLabel(dataset)}/${mode}` : `results/${mode}`);

await initBackend();
const plan = planExperiments(mode, seeds, {
  ...(dataset ? { dataset } : {}),
  ...(ranking ? { ranking } : {}),
});
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
