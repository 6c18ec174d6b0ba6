/**
 * Notebook 06 on a fresh clone in quick mode shows attribution results: it computes every scored
 * cell, not only the first seed's. The quick plan scores the attribution of its second seed's main
 * cells (the first seed's reuse their selection trial's run, which is not scored), so a
 * first-seed `quickCompute` on the scored cells left the page's attribution tables and bars empty
 * ("no attribution results") until `deno task reproduce --quick` ran (until 2026-12-07).
 */
import { assert, assertEquals } from "@std/assert";
import { cellFilter, planExperiments } from "../../lib/experiments/plan.ts";

const notebook = JSON.parse(
  await Deno.readTextFile(new URL("../../notebooks/06_ground_truth.ipynb", import.meta.url)),
) as { cells: { cell_type: string; source: string[] }[] };
const code = notebook.cells.filter((cell) => cell.cell_type === "code")
  .map((cell) => cell.source.join("")).join("\n");

Deno.test("quick plan: a scored cell lies outside the first seed (why 06 computes them all)", () => {
  const plan = planExperiments("quick");
  const scored = plan.cells.filter((cell) => cell.scoreAttribution);
  assert(scored.length > 0, "the quick plan scores no attribution");
  const firstSeed = cellFilter({ seed: plan.seeds[0] });
  assert(
    scored.some((cell) => !firstSeed(cell)),
    `every scored cell is at seed ${plan.seeds[0]}: ${scored.map((cell) => cell.key).join(", ")}`,
  );
  // Few and small: computing them keeps the quick page's run short.
  assert(scored.length <= 4, `${scored.length} scored cells`);
  assertEquals(new Set(scored.map((cell) => cell.training.maxEpochs)).size, 1);
  assert(scored.every((cell) => (cell.training.maxEpochs ?? Infinity) <= 5));
});

Deno.test("notebook 06 loads its scored cells without a first-seed quickCompute", () => {
  const call = /ensureCellsInNotebook\(plan, scored([^)]*)\)/.exec(code);
  assert(call !== null, "06 no longer loads `scored` with ensureCellsInNotebook");
  assertEquals(call[1], "", `the scored cells are loaded with options: ${call[0]}`);
  // The noise-level cells keep the first seed (the other seeds are the full plan's).
  assert(
    /ensureCellsInNotebook\(plan, cellsOf\(plan, "noise_level"\), firstSeed\)/.test(code),
    "the noise-level cells are no longer limited to the first seed",
  );
});
