import { assert, assertEquals } from "@std/assert";
import { DEFAULT_SYNTHETIC } from "../../lib/data/synthetic.ts";
import { cellsOf, type ExperimentMode, planExperiments } from "../../lib/experiments/plan.ts";
import type { SelectedConfigurations } from "../../lib/experiments/selection.ts";

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

  Deno.test(`plan (${mode}): every Demure cell pins the separate pass (the route of the records)`, () => {
    // The library's default route (auto) would take the training pass at the selected
    // configuration (denoiseInput false); the records were made with the separate pass.
    const selected = JSON.parse(
      Deno.readTextFileSync("results-of-record/full/selected.json"),
    ) as SelectedConfigurations;
    const plan = planExperiments(mode, undefined, mode === "full" ? { selected } : {});
    const demure = plan.cells.filter((c) => c.system.kind === "neural" && c.system.demure);
    if (mode === "full") {
      assert(demure.some((c) => c.system.kind === "neural" && !c.system.demure?.denoiseInput));
    }
    for (const cell of demure) {
      const system = cell.system;
      assert(system.kind === "neural");
      assertEquals(system.demure?.attributionSource, "separate_pass", cell.key);
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
    // One reference cell per dataset with a sweep: the main table's Demure-SASRec, first seed.
    const reference = sensitivity.filter((c) => c.sweep === undefined);
    const withSweep = (["synthetic", "movielens"] as const).filter((kind) =>
      Object.keys(plan.datasets[kind].sweeps).length > 0
    );
    assertEquals(
      reference.map((c) => [c.systemName, c.seed, c.dataset.kind]),
      withSweep.map((kind) => ["Demure-SASRec", plan.datasets[kind].seeds[0], kind]),
    );
    for (const cell of reference) assert(cell.experiments.includes("main"), cell.key);
    // plan.sweeps is each dataset's own sweep, under the label its cells carry.
    assertEquals(
      plan.sweeps,
      Object.fromEntries(
        reference.map((c) => [c.datasetLabel, plan.datasets[c.dataset.kind].sweeps]),
      ),
    );
    for (const cell of swept) {
      const values = plan.sweeps[cell.datasetLabel][cell.sweep!.parameter];
      assert(values?.includes(cell.sweep!.value), cell.key);
    }
    for (const cell of plan.cells.filter((c) => c.noiseFraction === undefined)) {
      assert(!cell.experiments.includes("noise_level"), cell.key);
    }
  });
}

Deno.test("plan: the synthetic sweep keeps its cells (keys, values, order) in both modes", () => {
  const keysOf = (mode: ExperimentMode) =>
    cellsOf(planExperiments(mode), "sensitivity")
      .filter((c) => c.sweep !== undefined && c.dataset.kind === "synthetic")
      .map((c) => c.key.split("/").slice(2).join("/"));
  // The records of the full grid are stored under these keys: renaming one would rerun it.
  assertEquals(
    keysOf("full"),
    [
      ...["rho=0.1", "rho=0.3", "rho=0.5", "lambda=0.02", "lambda=0.1", "lambda=0.5"],
      ...["temperature=0.1", "temperature=0.2", "temperature=0.5"],
    ].map((part) => `Demure-SASRec[${part}]/seed=0`),
  );
  assertEquals(
    keysOf("quick"),
    ["rho=0.1", "rho=0.5", "lambda=0.5", "temperature=0.5"].map((part) =>
      `Demure-SASRec[${part}]/seed=0`
    ),
  );
});

Deno.test("plan (full): MovieLens sweeps lambda only; the selected value's cell is the main one", () => {
  const selected: SelectedConfigurations = {
    MovieLens: {
      "Demure-SASRec": {
        trial: 1,
        config: { demure: { lambda: 0.02, rho: 0.3 } },
        valid: 0,
        trials: 2,
      },
    },
  };
  const plan = planExperiments("full", undefined, { selected });
  assertEquals(plan.sweeps.MovieLens, { lambda: [0.005, 0.02, 0.1] });
  const sensitivity = cellsOf(plan, "sensitivity").filter((c) => c.dataset.kind === "movielens");
  const main = "full/MovieLens/Demure-SASRec/seed=0";
  assertEquals(sensitivity.map((c) => [c.key, c.sameAs]), [
    [main, "full/MovieLens/Demure-SASRec/trial=1/seed=0"],
    ["full/MovieLens/Demure-SASRec[lambda=0.005]/seed=0", undefined],
    ["full/MovieLens/Demure-SASRec[lambda=0.02]/seed=0", main],
    ["full/MovieLens/Demure-SASRec[lambda=0.1]/seed=0", undefined],
  ]);
  const reference = sensitivity[0];
  assertEquals(reference.experiments.sort(), ["ablation", "main", "sensitivity"]);
  // Each sweep cell is the main cell with lambda changed, nothing else.
  const demureOf = (cell: typeof reference) =>
    cell.system.kind === "neural" ? cell.system.demure : undefined;
  for (const cell of sensitivity.slice(1)) {
    assertEquals(demureOf(cell), { ...demureOf(reference), lambda: cell.sweep!.value }, cell.key);
    assertEquals([cell.model, cell.training, cell.seed], [
      reference.model,
      reference.training,
      reference.seed,
    ]);
  }
  // The sweeps run last: after every other experiment's cells, synthetic's before MovieLens'.
  const swept = plan.cells.filter((c) => c.sweep !== undefined);
  assertEquals(plan.cells.slice(-swept.length), swept);
  assertEquals(swept.slice(-3).map((c) => c.dataset.kind), ["movielens", "movielens", "movielens"]);
});

Deno.test("plan (quick): no MovieLens sweep (CI's grid)", () => {
  const plan = planExperiments("quick");
  assertEquals(Object.keys(plan.sweeps).length, 1);
  assertEquals(
    cellsOf(plan, "sensitivity").filter((c) => c.dataset.kind === "movielens"),
    [],
  );
});
