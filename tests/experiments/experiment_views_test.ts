/** The sensitivity and noise-level views select cells by their tags and carry the right values. */
import { assertEquals } from "@std/assert";
import { resolveDemureConfig } from "../../lib/demure/objective.ts";
import type { FinishedCell } from "../../lib/experiments/ensure_cells.ts";
import { noiseLevelCurves, sensitivityCurves } from "../../lib/experiments/experiment_views.ts";
import { cellsOf, planExperiments } from "../../lib/experiments/plan.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";

const plan = planExperiments("quick");
// A fake result per cell whose NDCG@10 encodes the cell's index in the plan.
const finished = (cells: typeof plan.cells): FinishedCell[] =>
  cells.map((cell) => ({
    cell,
    result: { test: { "NDCG@10": plan.cells.indexOf(cell) } } as unknown as CellResult,
  }));

Deno.test("sensitivityCurves: swept values plus the reference cell at its default, sorted", () => {
  const curves = sensitivityCurves(finished(cellsOf(plan, "sensitivity")));
  assertEquals([...curves.keys()].sort(), Object.keys(plan.sweeps).sort());
  const reference = cellsOf(plan, "sensitivity").find((cell) => cell.sweep === undefined)!;
  const defaults = resolveDemureConfig(
    reference.system.kind === "neural" ? reference.system.demure ?? {} : {},
  );
  for (const [parameter, points] of curves) {
    const values = points.map((point) => point.value);
    assertEquals(values, [...values].sort((a, b) => a - b));
    const expected = [...plan.sweeps[parameter], defaults[parameter]];
    assertEquals(new Set(values), new Set(expected));
    const atDefault = points.find((point) => point.value === defaults[parameter])!;
    assertEquals(atDefault.result.test["NDCG@10"], plan.cells.indexOf(reference));
  }
});

Deno.test("noiseLevelCurves: mean and std over seeds per fraction and system", () => {
  const cells = cellsOf(plan, "noise_level");
  const curves = noiseLevelCurves(finished(cells), (result) => result.test["NDCG@10"]);
  assertEquals(curves.map((curve) => curve.system), ["SASRec-MM", "Demure-SASRec"]);
  for (const curve of curves) {
    assertEquals(curve.fractions, [...new Set(cells.map((cell) => cell.noiseFraction!))].sort());
    curve.fractions.forEach((fraction, index) => {
      const indices = cells
        .filter((cell) => cell.systemName === curve.system && cell.noiseFraction === fraction)
        .map((cell) => plan.cells.indexOf(cell));
      assertEquals(curve.stats[index].n, indices.length);
      assertEquals(curve.stats[index].mean, indices.reduce((a, b) => a + b, 0) / indices.length);
    });
  }
  // A metric a cell lacks is skipped, not counted as zero.
  const none = noiseLevelCurves(finished(cells), () => undefined);
  assertEquals(none[0].stats.map((stat) => stat.n), none[0].fractions.map(() => 0));
});
