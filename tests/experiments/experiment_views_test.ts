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
  const [label] = Object.keys(plan.sweeps);
  assertEquals(curves.map((curve) => curve.dataset), curves.map(() => label));
  assertEquals(
    curves.map((curve) => curve.parameter).sort(),
    Object.keys(plan.sweeps[label]).sort(),
  );
  const reference = cellsOf(plan, "sensitivity").find((cell) => cell.sweep === undefined)!;
  const defaults = resolveDemureConfig(
    reference.system.kind === "neural" ? reference.system.demure ?? {} : {},
  );
  for (const { parameter, points } of curves) {
    const values = points.map((point) => point.value);
    assertEquals(values, [...values].sort((a, b) => a - b));
    const expected = [...plan.sweeps[label][parameter]!, defaults[parameter]];
    assertEquals(new Set(values), new Set(expected));
    const atDefault = points.find((point) => point.value === defaults[parameter])!;
    assertEquals(atDefault.result.test["NDCG@10"], plan.cells.indexOf(reference));
  }
});

Deno.test("sensitivityCurves: one curve per (dataset, parameter), never mixing datasets", () => {
  const full = planExperiments("full");
  const cells = cellsOf(full, "sensitivity");
  const curves = sensitivityCurves(
    cells.map((cell) => ({
      cell,
      result: { test: { "NDCG@10": full.cells.indexOf(cell) } } as unknown as CellResult,
    })),
  );
  assertEquals(
    curves.map((curve) => `${curve.dataset}/${curve.parameter}`),
    Object.entries(full.sweeps).flatMap(([label, sweeps]) =>
      Object.keys(sweeps).map((parameter) => `${label}/${parameter}`)
    ),
  );
  for (const curve of curves) {
    // Every point is a cell of the curve's dataset (the NDCG@10 is the cell's index).
    for (const point of curve.points) {
      assertEquals(full.cells[point.result.test["NDCG@10"]].datasetLabel, curve.dataset);
    }
  }
  const movielens = curves.filter((curve) => curve.dataset === "MovieLens");
  assertEquals(movielens.map((curve) => curve.parameter), ["lambda"]);
  assertEquals(
    movielens[0].points.map((point) => point.value),
    [0.005, 0.02, 0.1], // the reference (lambda at its default, 0.1 here) is not drawn twice
  );
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
