/**
 * Tables of the committed results of record that a wrong pairing or a duplicate would spoil.
 *
 * The ablation's paired tests compare the right cells: on the committed results of record, every
 * one-component system is tested against SASRec-MM (neither component) and Demure-SASRec (both),
 * and each mean difference is the difference of the two systems' mean test NDCG@10 in the ablation
 * table (every test user is in both, so the mean of per-user differences is that difference).
 */
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { planOfResults, runPlan } from "../../lib/experiments/run_plan.ts";
import { summaryMarkdown } from "../../lib/experiments/markdown_report.ts";
import { summarise } from "../../lib/experiments/summary.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";

const recordsDir = new URL(`../../${RECORDS_DIR.full}`, import.meta.url).pathname;
const summary = summarise(
  await runPlan(planOfResults("full", recordsDir), {
    resultsDir: recordsDir,
    runPending: false,
    log: () => {},
  }),
);

Deno.test("ablation paired tests: one-component systems against neither and both", () => {
  let checked = 0;
  for (const [label, rows] of Object.entries(summary.ablation)) {
    const meanOf = (system: string) => rows.find((r) => r.system === system)?.test["NDCG@10"].mean;
    const expected = ["AttributionOnly-SASRec", "ContrastiveOnly-SASRec"].flatMap((system) =>
      ["SASRec-MM", "Demure-SASRec"].filter((reference) =>
        meanOf(system) !== undefined && meanOf(reference) !== undefined
      ).map((reference) => `${system} vs ${reference}`)
    );
    const tests = summary.ablationSignificance[label];
    assertEquals(tests.map((t) => `${t.system} vs ${t.baseline}`), expected, label);
    for (const t of tests) {
      assertAlmostEquals(
        t.tTest.meanDifference,
        meanOf(t.system)! - meanOf(t.baseline)!,
        1e-6, // per-user metrics are stored rounded
        `${label}: ${t.system} vs ${t.baseline}`,
      );
      checked++;
    }
  }
  // The records hold both one-component systems on the synthetic data at least.
  assertEquals(checked >= 4, true, `only ${checked} ablation tests in the records`);
});

Deno.test("sensitivity: one row per (dataset, parameter, value), the reference value's included", () => {
  const rows = summary.sensitivity.map((row) => `${row.dataset}/${row.parameter}=${row.value}`);
  assertEquals(rows.length, new Set(rows).size, rows.join(", "));
  // The records hold the synthetic rho sweep at 0.1 and at the reference's 0.3.
  for (const row of ["Synthetic/rho=0.1", "Synthetic/rho=0.3"]) {
    assertEquals(rows.includes(row), true, rows.join(", "));
  }
  // MovieLens sweeps lambda only; its selected value's row is the main table's first-seed cell.
  assertEquals(
    new Set(summary.sensitivity.filter((r) => r.dataset === "MovieLens").map((r) => r.parameter)),
    new Set(["lambda"]),
  );
  for (const dataset of ["Synthetic", "MovieLens"]) {
    const own = summary.sensitivity.filter((row) => row.dataset === dataset);
    const selected = own.filter((row) => row.selected);
    // One selected row per swept parameter, all the same run; each row's difference is from it.
    assertEquals(selected.length, new Set(own.map((row) => row.parameter)).size, dataset);
    assertEquals(new Set(selected.map((row) => row.test)).size, 1, dataset);
    for (const row of own) {
      assertAlmostEquals(row.testVsSelected!, row.test - selected[0].test, 1e-12, dataset);
    }
  }
});

Deno.test("markdown: one sensitivity table per dataset, each with its own rows", () => {
  const markdown = summaryMarkdown(summary);
  const titles = [...markdown.matchAll(/^#+ Sensitivity: (\S+) /gm)].map((m) => m[1]);
  assertEquals(titles, ["Synthetic", "MovieLens"]);
  const tableOf = (dataset: string) =>
    markdown.split(`Sensitivity: ${dataset} `)[1].split("\n\n")[1].split("\n").slice(2);
  const movielens = tableOf("MovieLens");
  assertEquals(
    movielens.length,
    summary.sensitivity.filter((r) => r.dataset === "MovieLens").length,
  );
  for (const line of movielens) assertEquals(line.startsWith("| lambda | "), true, line);
  assertEquals(tableOf("MovieLens").some((line) => line.includes("(selected)")), true);
  assertEquals(tableOf("Synthetic").filter((line) => line.startsWith("| rho | ")).length, 3);
});
