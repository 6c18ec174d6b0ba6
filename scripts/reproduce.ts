/**
 * The main job: reproduces the paper's tables and plots on the embedded MovieLens data and the
 * synthetic benchmark, resuming finished cells.
 *
 *   deno task reproduce            full grid (prints its expected wall time first)
 *   deno task reproduce --quick    the same grid, small (CI)
 *   deno task reproduce --seeds 0,1 --results results/mine
 *   deno task reproduce --report-only   report the finished cells, run nothing
 *   deno task reproduce & deno task reproduce
 *                                  (two processes share the cells: each claims a cell before it
 *                                  runs it; the one that finishes last writes the complete report)
 */
import { parseArgs } from "node:util";
import { initBackend } from "../lib/backend/init_backend.ts";
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
  },
});
const mode = values.quick ? "quick" : "full";
const seeds = values.seeds?.split(",").map((s) => {
  const seed = Number(s);
  if (!Number.isInteger(seed)) throw new Error(`--seeds: "${s}" is not an integer`);
  return seed;
});
const resultsDir = values.results ?? `results/${mode}`;

await initBackend();
const plan = planExperiments(mode, seeds);
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
