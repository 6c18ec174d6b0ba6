import { assert, assertEquals } from "@std/assert";
import { DEFAULT_SYNTHETIC } from "../../lib/data/synthetic.ts";
import { cellsOf, type ExperimentMode, planExperiments } from "../../lib/experiments/plan.ts";

for (const mode of ["quick", "full"] as ExperimentMode[]) {
  Deno.test(`plan (${mode}): every cell carries the experiments it belongs to`, () => {
    const plan = planExperiments(mode);
    for (const cell of plan.cells) assert(cell.experiments.length > 0, cell.key);
    const systemsOf = (cells: typeof plan.cells, kind: "synthetic" | "movielens") =>
      new Set(cells.filter((c) => c.dataset.kind === kind).map((c) => c.systemName));
    const main = cellsOf(plan, "main");
    const ablation = cellsOf(plan, "ablation");
    for (const kind of ["synthetic", "movielens"] as const) {
      assertEquals(systemsOf(main, kind), new Set(plan.mainSystems));
      assertEquals(systemsOf(ablation, kind), new Set(plan.ablationSystems));
    }
    // SASRec-MM is in the main table and the ablation: one cell, both tags.
    const shared = plan.cells.filter((c) =>
      c.systemName === "SASRec-MM" && c.dataset.kind === "movielens" &&
      plan.datasets.movielens.ablationSeeds.includes(c.seed)
    );
    assert(shared.length > 0);
    for (const cell of shared) {
      assert(cell.experiments.includes("main") && cell.experiments.includes("ablation"));
    }
  });

  Deno.test(`plan (${mode}): noise-level and sensitivity cells are tagged with their values`, () => {
    const plan = planExperiments(mode);
    const noise = cellsOf(plan, "noise_level");
    const fractions = new Set(noise.map((c) => c.noiseFraction));
    const defaultFraction = plan.synthetic.noiseFraction ?? DEFAULT_SYNTHETIC.noiseFraction;
    assertEquals(fractions, new Set([...plan.noiseFractions, defaultFraction]));
    for (const cell of noise) {
      assert(["SASRec-MM", "Demure-SASRec"].includes(cell.systemName), cell.key);
      assertEquals(cell.dataset.kind, "synthetic");
    }
    // The default fraction's cells are the main table's, not copies.
    const atDefault = noise.filter((c) => c.noiseFraction === defaultFraction);
    for (const cell of atDefault) assert(cell.experiments.includes("main"), cell.key);
    assertEquals(atDefault.length, 2 * plan.seeds.length);
    const sensitivity = cellsOf(plan, "sensitivity");
    const swept = plan.cells.filter((c) => c.sweep !== undefined);
    assertEquals(sensitivity.filter((c) => c.sweep !== undefined), swept);
    const reference = sensitivity.filter((c) => c.sweep === undefined);
    assertEquals(reference.map((c) => [c.systemName, c.seed, c.dataset.kind]), [
      ["Demure-SASRec", plan.seeds[0], "synthetic"],
    ]);
    for (const cell of plan.cells.filter((c) => c.noiseFraction === undefined)) {
      assert(!cell.experiments.includes("noise_level"), cell.key);
    }
  });
}
