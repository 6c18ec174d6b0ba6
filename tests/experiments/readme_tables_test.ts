/**
 * The README's result tables are exactly what the committed results of record generate
 * (`deno task report` rewrites them): a number in the README that no committed cell produced, or
 * a record whose tables were not regenerated, fails here.
 */
import { assertEquals } from "@std/assert";
import { readmeTables, readmeTablesOf } from "../../lib/experiments/markdown_report.ts";
import { planOfResults } from "../../lib/experiments/selection_record.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { summarise } from "../../lib/experiments/summary.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";

Deno.test("README tables equal the tables generated from results-of-record", async () => {
  const root = new URL("../../", import.meta.url).pathname;
  const recordsDir = `${root}${RECORDS_DIR.full}`;
  const outcome = await runPlan(planOfResults("full", recordsDir), {
    resultsDir: recordsDir,
    runPending: false,
    log: () => {},
  });
  const readme = Deno.readTextFileSync(`${root}README.md`);
  assertEquals(
    readmeTablesOf(readme),
    readmeTables(summarise(outcome)).trim(),
    "README.md tables differ from the committed results: run `deno task report`",
  );
});
