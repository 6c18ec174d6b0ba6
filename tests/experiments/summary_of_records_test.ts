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

Deno.test("sensitivity: one row per (parameter, value), the reference value's included", () => {
  const pairs = summary.sensitivity.map((row) => `${row.parameter}=${row.value}`);
  assertEquals(pairs.length, new Set(pairs).size, pairs.join(", "));
  // The records hold the synthetic rho sweep at 0.1 and at the reference's 0.3.
  assertEquals(["rho=0.1", "rho=0.3"].every((p) => pairs.includes(p)), true, pairs.join(", "));
});
