/**
 * runPlan's opening line counts the cells stored in its folder with other settings, which it
 * trains again and whose results it replaces. Notebook 08 run again with `{ ranking:
 * "history_kept" }` into the same resultsDir (as its prose invited) said "0 already finished",
 * then replaced all 11 cells stored under the default ranking without a word (session 51's
 * first-hour check).
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { openingLine } from "../../lib/experiments/_run_plan_lines.ts";
import type { ExperimentPlan } from "../../lib/experiments/plan_types.ts";
import { twoCells } from "./_fixture_quick_plan.ts";

await initBackend({ verbose: false });

async function openingOf(plan: ExperimentPlan, resultsDir: string): Promise<string> {
  const lines: string[] = [];
  // Replacing asked for (runPlan refuses it by default: other_settings_guard51_test.ts).
  await runPlan(plan, { resultsDir, log: (line) => lines.push(line), replaceOtherSettings: true });
  return lines.find((line) => line.startsWith("quick reproduction: "))!;
}

Deno.test("runPlan's opening line counts the stored cells of other settings it replaces", async () => {
  const resultsDir = Deno.makeTempDirSync({ prefix: "replaced_cells_line51_" });
  try {
    const first = await openingOf(twoCells("history_excluded"), resultsDir);
    assertStringIncludes(first, "2 cells planned, 0 already finished (resumed from");
    const other = await openingOf(twoCells("history_kept"), resultsDir);
    assertStringIncludes(
      other,
      "2 cells planned, 0 already finished, 2 stored with other settings (trained again, " +
        "replacing those results) (resumed from",
    );
    // Run again with the same settings: finished, nothing replaced.
    const again = await openingOf(twoCells("history_kept"), resultsDir);
    assertEquals(again.includes("stored with other settings"), false, again);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("openingLine names no replaced cells when there are none (its lines as before)", () => {
  const plan = twoCells("history_excluded");
  const line = openingLine(plan, 2, 10, { resultsDir: "results/x" });
  assertStringIncludes(line, "2 cells planned, 0 already finished (resumed from results/x)");
  assertEquals(openingLine(plan, 2, 10, { resultsDir: "results/x" }, 0), line);
});
