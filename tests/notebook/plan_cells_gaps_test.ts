/**
 * The notebook's plan cells beyond the committed tests (mutation round RC): the counts when some
 * cells are there and some are not, an empty selection, the order of what is found, the kernel's
 * DEMURE_RERUN as the compute policy's default, a plan without the explained cell, and a plan line
 * with every seed.
 */
import { assertEquals, assertThrows } from "@std/assert";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";
import {
  ensureCellsInNotebook,
  explainedCell,
  notebookPlan,
  planLine,
} from "../../lib/notebook/plan_cells.ts";
import { requireFlagOff } from "../_flag_off.ts";
import { printedLines as printed } from "./_printed_lines.ts";

// Refused when on, never unset here: the parallel suite's modules share this process's environment.
requireFlagOff("DEMURE_RERUN", "tests/notebook/plan_cells_gaps_test.ts");

Deno.test("ensureCellsInNotebook: of a selection partly there, counts the whole selection and the missing part", async () => {
  const plan = notebookPlan("full");
  const absent: PlannedCell = {
    ...plan.cells[0],
    key: `${plan.cells[0].key}/plan-cells-gaps-absent`,
  };
  let foundKeys: string[] = [];
  const lines = await printed(async () => {
    foundKeys = (await ensureCellsInNotebook(plan, [plan.cells[1], absent, plan.cells[0]]))
      .map((finished) => finished.cell.key);
  });
  // In the order asked, the absent one left out.
  assertEquals(foundKeys, [plan.cells[1].key, plan.cells[0].key]);
  assertEquals(lines, [
    `2 of 3 cells available (${RECORDS_DIR.full})`,
    "1 cell not computed: run `deno task reproduce --select`, or set DEMURE_RERUN=1 in the " +
    'kernel\'s environment (in the lab: run `Deno.env.set("DEMURE_RERUN", "1")` in a cell, ' +
    "then this cell again; or start the lab as `DEMURE_RERUN=1 ./run.sh lab`)",
  ]);
});

Deno.test("ensureCellsInNotebook: an empty selection finds nothing and says nothing", async () => {
  const plan = notebookPlan("full");
  let found = -1;
  const lines = await printed(async () => {
    found = (await ensureCellsInNotebook(plan, [])).length;
  });
  assertEquals(found, 0);
  assertEquals(lines, []);
});

Deno.test("notebookComputePolicy's default is the kernel's DEMURE_RERUN: on, every missing cell", async () => {
  const module = JSON.stringify(new URL("../../lib/notebook/plan_cells.ts", import.meta.url).href);
  const script = `import { notebookComputePolicy } from ${module};\n` +
    'console.log(notebookComputePolicy("full"), notebookComputePolicy("quick", { quickCompute: () => false }));';
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    env: { DEMURE_RERUN: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(run.code, 0, new TextDecoder().decode(run.stderr));
  assertEquals(new TextDecoder().decode(run.stdout), "true true\n");
});

Deno.test("explainedCell: a plan without main-table cells is refused, naming the plan's mode", () => {
  for (const mode of ["full", "quick"] as const) {
    const plan = { ...notebookPlan(mode), cells: [] };
    assertThrows(
      () => explainedCell(plan),
      Error,
      `explainedCell: the ${mode} plan has no main-table MovieLens Demure-SASRec`,
    );
  }
});

Deno.test("explainedCell: the cell at the plan's first seed, whichever seed that is", () => {
  const plan = notebookPlan("full");
  const reordered = { ...plan, seeds: [...plan.seeds].reverse() };
  const cell = explainedCell(reordered);
  assertEquals(cell.seed, reordered.seeds[0]);
  assertEquals([cell.dataset.kind, cell.systemName], ["movielens", "Demure-SASRec"]);
});

Deno.test("planLine: every seed of each dataset, however many", () => {
  const plan = notebookPlan("full");
  const seeds = [0, 1, 2, 3, 4, 5, 6];
  const wide = {
    ...plan,
    datasets: {
      ...plan.datasets,
      synthetic: { ...plan.datasets.synthetic, seeds },
      movielens: { ...plan.datasets.movielens, seeds: [7] },
    },
  };
  assertEquals(planLine(wide), "full plan, seeds: Synthetic 0, 1, 2, 3, 4, 5, 6; MovieLens 7");
});
