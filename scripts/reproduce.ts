/**
 * The main job. The committed results of record (`results-of-record/full`: one file per finished
 * cell and the selected configurations) produce every published table; this script checks that
 * they reproduce and regenerates the tables from them.
 *
 *   deno task reproduce            re-run the verification subset (every main-table system on both
 *                                  datasets at the first seed) into results/verify, compare each
 *                                  with its record, then regenerate the report and README tables
 *   deno task reproduce --all      the same for every recorded cell
 *   deno task reproduce --select   (re)run the selection and every cell of the plan into the
 *                                  records (resumes; the selected configurations are rewritten
 *                                  from the trials); two processes share the cells
 *   deno task reproduce --report-only   (= deno task report) regenerate results/full/summary.md,
 *                                  report.html and the README tables from the records; run nothing
 *   deno task reproduce --quick    the whole small grid (selection included) into results/quick (CI)
 *   --results DIR                  where cells are read and written instead of the defaults
 *   --seeds 0,1                    other seeds
 */
import { parseArgs } from "node:util";
import { initBackend } from "../lib/backend/init_backend.ts";
import { ResultStore } from "../lib/experiments/result_store.ts";
import { writeReport } from "../lib/experiments/html_report.ts";
import {
  formatMarkdown,
  readmeTables,
  replaceReadmeTables,
} from "../lib/experiments/markdown_report.ts";
import {
  cellsDirectory,
  planOfResults,
  runPlan,
  selectedPath,
  settingsOf,
} from "../lib/experiments/run_plan.ts";
import type { CellResult } from "../lib/experiments/run_cell.ts";
import { summarise } from "../lib/experiments/summary.ts";
import {
  compareWithRecord,
  RECORDS_DIR,
  type RerunCheck,
  verificationSubset,
} from "../lib/experiments/verify.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    select: { type: "boolean", default: false },
    all: { type: "boolean", default: false },
    seeds: { type: "string" },
    results: { type: "string" },
    "report-only": { type: "boolean", default: false },
  },
});
const mode = values.quick ? "quick" : "full";
const seeds = values.seeds?.split(",").map((s) => {
  const seed = Number(s);
  if (!Number.isInteger(seed)) throw new Error(`--seeds: "${s}" is not an integer`);
  return seed;
});
// Quick runs are throw-away (CI); the full grid's cells are the committed records.
const recordsDir = values.results ?? (mode === "quick" ? "results/quick" : RECORDS_DIR.full);
const reportDir = mode === "quick" ? recordsDir : "results/full";

await initBackend();

/** Writes the report from the records; the README tables too for the full records. */
async function report(): Promise<void> {
  const outcome = await runPlan(planOfResults(mode, recordsDir, seeds), {
    resultsDir: recordsDir,
    runPending: false,
  });
  const summary = summarise(outcome);
  const paths = await writeReport(summary, reportDir);
  console.log(`\nwrote ${paths.markdown}\n      ${paths.json}\n      ${paths.html}`);
  if (mode === "full" && recordsDir === RECORDS_DIR.full && seeds === undefined) {
    const readme = Deno.readTextFileSync("README.md");
    const updated = replaceReadmeTables(readme, await formatMarkdown(readmeTables(summary)));
    if (updated !== readme) Deno.writeTextFileSync("README.md", updated);
    console.log(`      README.md tables (${updated === readme ? "unchanged" : "updated"})`);
  }
  if (outcome.pending.length > 0) {
    console.log(`${outcome.pending.length} cells of the plan are not in ${recordsDir} yet`);
  }
}

if (values["report-only"]) {
  await report();
} else if (mode === "quick" || values.select) {
  const outcome = await runPlan(planOfResults(mode, recordsDir, seeds), {
    resultsDir: recordsDir,
    waitForOthers: true,
  });
  for (const failure of outcome.failed) console.log(`FAILED ${failure.key}: ${failure.error}`);
  await report();
  if (outcome.failed.length > 0) Deno.exit(1);
} else {
  // Verification: rerun recorded cells into results/verify and compare with their records.
  const plan = planOfResults(mode, recordsDir, seeds);
  const records = new ResultStore(cellsDirectory(recordsDir));
  const recorded = (key: string) => {
    const cell = plan.cells.find((c) => c.key === key)!;
    return records.get<CellResult>(key, settingsOf(plan, cell));
  };
  const wanted = values.all
    ? plan.cells.filter((cell) => !cell.waitsFor && recorded(cell.key) !== undefined)
    : verificationSubset(plan);
  const verifyDir = "results/verify";
  Deno.mkdirSync(verifyDir, { recursive: true });
  Deno.writeTextFileSync(selectedPath(verifyDir), JSON.stringify(plan.selected, null, 1) + "\n");
  console.log(
    `verifying ${wanted.length} cells against ${recordsDir} (reruns in ${verifyDir}; ` +
      `${values.all ? "every recorded cell" : "every main-table system at the first seed"})`,
  );
  const outcome = await runPlan({ ...plan, cells: wanted }, {
    resultsDir: verifyDir,
    waitForOthers: true,
  });
  const checks: RerunCheck[] = wanted.flatMap((cell) => {
    const rerun = outcome.byKey.get(cell.key);
    return rerun ? [compareWithRecord(cell.key, recorded(cell.key), rerun)] : [];
  });
  console.log("\ncell | status | recorded test NDCG@10 | rerun | largest metric difference");
  for (const c of checks) {
    console.log(
      `${c.key} | ${c.status}${c.sameEnvironment ? "" : " (other environment)"} | ` +
        `${c.recorded?.toFixed(4) ?? "-"} | ${c.rerun.toFixed(4)} | ${
          c.maxDifference.toExponential(1)
        }`,
    );
  }
  const matched = checks.filter((c) => c.status === "identical" || c.status === "within tolerance");
  console.log(
    `\n${matched.length} of ${checks.length} reruns match their records ` +
      `(${checks.filter((c) => c.status === "identical").length} bit-identical); ` +
      `${checks.filter((c) => c.status === "no record").length} without a record`,
  );
  await report();
  if (matched.length < checks.filter((c) => c.status !== "no record").length) Deno.exit(1);
}
