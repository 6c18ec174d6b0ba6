import { assert, assertEquals, assertThrows } from "@std/assert";
import { DEFAULT_SYNTHETIC } from "../../lib/data/synthetic.ts";
import {
  cellFilter,
  cellsOf,
  planExperiments,
  replanWith,
  validateSeeds,
} from "../../lib/experiments/plan.ts";
import { LATER_ABLATION_SYSTEMS } from "../../lib/experiments/_plan_settings.ts";
import type { FileDatasetSpec } from "../../lib/experiments/datasets.ts";
import { cellStoreOf, isFinished } from "../../lib/experiments/stored_cells.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";
import type {
  CellSelection,
  Experiment,
  ExperimentMode,
  PlannedCell,
} from "../../lib/experiments/plan_types.ts";
import { DEFAULT_CL4SREC_CONFIG } from "../../lib/baselines/cl4srec.ts";
import { resolveDemureConfig, warmupRefusal } from "../../lib/demure/config.ts";
import { resolveModelConfig } from "../../lib/models/sequential_recommender.ts";
import { resolveTrainerConfig } from "../../lib/train/config.ts";
import {
  type SelectedConfigurations,
  selectionId,
  trialsOf,
} from "../../lib/experiments/selection.ts";
import { SettingError } from "../../lib/util/settings.ts";

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

  Deno.test(`plan (${mode}): each dataset's Demure cells keep the mask schedule of their records`, () => {
    // The records were made when masks aged in steps (10): every visit on MovieLens (17 steps an
    // epoch; no MovieLens record reused a mask), every second visit on the synthetic benchmark
    // (5 steps an epoch; the library's default everyVisits 2). The quick grid (1-2 steps an epoch
    // and everySteps 2) attributed every visit.
    const plan = planExperiments(mode);
    const expected = (cell: PlannedCell) =>
      mode === "quick" || cell.dataset.kind === "movielens" ? 1 : 2;
    const demure = plan.cells.filter((c) => c.system.kind === "neural" && c.system.demure);
    assert(demure.some((c) => c.dataset.kind === "movielens"));
    assert(demure.some((c) => c.dataset.kind === "synthetic"));
    for (const cell of demure) {
      assert(cell.system.kind === "neural");
      const config = resolveDemureConfig(cell.system.demure);
      assertEquals(config.everyVisits, expected(cell), cell.key);
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
    // One reference cell per dataset with a sweep and sweep seed: the main table's Demure-SASRec.
    const reference = sensitivity.filter((c) => c.sweep === undefined);
    const withSweep = (["synthetic", "movielens"] as const).filter((kind) =>
      Object.keys(plan.datasets[kind].sweeps).length > 0
    );
    const sweepSeeds = (kind: "synthetic" | "movielens") =>
      plan.datasets[kind].seeds.slice(0, plan.datasets[kind].sweepSeedCount);
    assertEquals(
      reference.map((c) => `${c.systemName} ${c.dataset.kind} ${c.seed}`).sort(),
      withSweep.flatMap((kind) => sweepSeeds(kind).map((seed) => `Demure-SASRec ${kind} ${seed}`))
        .sort(),
    );
    for (const cell of reference) assert(cell.experiments.includes("main"), cell.key);
    // Every declared value of every swept parameter has one cell at each sweep seed.
    for (const kind of withSweep) {
      const declared = Object.entries(plan.datasets[kind].sweeps).flatMap(([parameter, values]) =>
        values!.flatMap((value) => sweepSeeds(kind).map((seed) => `${parameter}=${value} ${seed}`))
      );
      assertEquals(
        swept.filter((c) => c.dataset.kind === kind)
          .map((c) => `${c.sweep!.parameter}=${c.sweep!.value} ${c.seed}`).sort(),
        declared.sort(),
        kind,
      );
    }
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
  // The records of the full grid are stored under these keys: renaming one would rerun it. The
  // first seed's cells come first, then the next seeds' (added later, they keep those indices).
  const fullParts = [
    ...["rho=0.3", "rho=0.5", "rho=0.7", "lambda=0.02", "lambda=0.1", "lambda=0.5"],
    ...["temperature=0.1", "temperature=0.2", "temperature=0.5"],
  ];
  // The warm-up's length, added 2026-12-03: its cells come after every other cell of the plan.
  const laterParts = ["warmupEpochs=0", "warmupEpochs=2", "warmupEpochs=4"];
  const atSeeds = (parts: string[]) =>
    [0, 1, 2].flatMap((seed) => parts.map((part) => `Demure-SASRec[${part}]/seed=${seed}`));
  assertEquals(keysOf("full"), [...atSeeds(fullParts), ...atSeeds(laterParts)]);
  assertEquals(
    keysOf("quick"),
    ["rho=0.5", "rho=0.7", "lambda=0.5", "temperature=0.5"].map((part) =>
      `Demure-SASRec[${part}]/seed=0`
    ),
  );
});

Deno.test("plan (full): MovieLens sweeps lambda and the warm-up; the selected value's cell is the main one", () => {
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
  assertEquals(plan.sweeps.MovieLens, { lambda: [0.005, 0.02, 0.1], warmupEpochs: [0, 2, 4] });
  const sensitivity = cellsOf(plan, "sensitivity").filter((c) => c.dataset.kind === "movielens");
  const main = (seed: number) => `full/MovieLens/Demure-SASRec/seed=${seed}`;
  const sweep = (value: number, seed: number) =>
    `full/MovieLens/Demure-SASRec[lambda=${value}]/seed=${seed}`;
  assertEquals(sensitivity.map((c) => [c.key, c.sameAs]), [
    // The reference cells: the main table's at the sweep's three seeds (the first is the trial's).
    [main(0), "full/MovieLens/Demure-SASRec/trial=1/seed=0"],
    [main(1), undefined],
    [main(2), undefined],
    // At each seed, the selected value's sweep cell is that seed's main cell, reused.
    ...[0, 1, 2].flatMap((seed) => [
      [sweep(0.005, seed), undefined],
      [sweep(0.02, seed), main(seed)],
      [sweep(0.1, seed), undefined],
    ]),
    // The warm-up's length, last in the plan (added 2026-12-03); the selected warm-up here is the
    // default's 3, so no value is the main cell's run.
    ...[0, 1, 2].flatMap((seed) =>
      [0, 2, 4].map((value) => [
        `full/MovieLens/Demure-SASRec[warmupEpochs=${value}]/seed=${seed}`,
        undefined,
      ])
    ),
  ]);
  const references = sensitivity.filter((c) => c.sweep === undefined);
  for (const reference of references) {
    assertEquals(reference.experiments.sort(), ["ablation", "main", "sensitivity"]);
  }
  // Each sweep cell is its seed's main cell with its parameter changed, nothing else.
  const demureOf = (cell: typeof references[number]) =>
    cell.system.kind === "neural" ? cell.system.demure : undefined;
  for (const cell of sensitivity.filter((c) => c.sweep !== undefined)) {
    const reference = references.find((c) => c.seed === cell.seed)!;
    assertEquals(
      demureOf(cell),
      { ...demureOf(reference), [cell.sweep!.parameter]: cell.sweep!.value },
      cell.key,
    );
    assertEquals([cell.model, cell.training], [reference.model, reference.training], cell.key);
  }
  // The sweeps run after every other experiment's cells, synthetic's before MovieLens', followed
  // only by the design choices' later seeds and the ablation's random-mask control (appended
  // after them; see the test below), then the synthetic warm-up sweep (added after those).
  const laterSwept = plan.cells.filter((c) => c.sweep?.parameter === "warmupEpochs");
  const swept = plan.cells.filter((c) => c.sweep !== undefined && !laterSwept.includes(c));
  const laterChoices = plan.cells.filter((c) => c.designChoice !== undefined && c.seed > 0);
  const control = plan.cells.filter((c) => c.systemName === "RandomInputMasks-SASRec");
  assertEquals(
    plan.cells.slice(
      -swept.length - laterChoices.length - control.length - laterSwept.length,
    ),
    [...swept, ...laterChoices, ...control, ...laterSwept],
  );
  assertEquals(swept.slice(-3).map((c) => c.dataset.kind), ["movielens", "movielens", "movielens"]);
});

Deno.test("plan (full): at each seed the synthetic sweep's selected values name one run", () => {
  const selected = JSON.parse(
    Deno.readTextFileSync("results-of-record/full/selected.json"),
  ) as SelectedConfigurations;
  const plan = planExperiments("full", undefined, { selected });
  const cellOf = (key: string) => plan.cells.find((c) => c.key === key);
  for (const seed of [0, 1, 2]) {
    const key = (part: string) => `full/Synthetic/Demure-SASRec${part}/seed=${seed}`;
    // The first parameter's selected value names the main cell (which, scoring the attribution
    // where it is not a trial's record, has other settings: then this cell trains once) ...
    assertEquals(cellOf(key("[rho=0.3]"))?.sameAs, key(""));
    assertEquals(cellOf(key(""))?.scoreAttribution, seed !== 0); // seed 0: the trial's record
    assertEquals(cellOf(key("[rho=0.3]"))?.scoreAttribution, false);
    // ... and the later parameters' selected values name that cell: one run for the three.
    assertEquals(cellOf(key("[lambda=0.02]"))?.sameAs, key("[rho=0.3]"));
    assertEquals(cellOf(key("[temperature=0.1]"))?.sameAs, key("[rho=0.3]"));
    // The warm-up sweep's cells come last in the plan, and still name that run.
    assertEquals(cellOf(key("[warmupEpochs=2]"))?.sameAs, key("[rho=0.3]"));
    for (const part of ["[rho=0.7]", "[lambda=0.1]", "[temperature=0.5]", "[warmupEpochs=4]"]) {
      assertEquals(cellOf(key(part))?.sameAs, undefined, key(part));
    }
  }
  assertEquals(cellOf("full/Synthetic/Demure-SASRec[rho=0.3]/seed=3"), undefined);
});

Deno.test("plan (quick): no MovieLens sweep (CI's grid)", () => {
  const plan = planExperiments("quick");
  assertEquals(Object.keys(plan.sweeps).length, 1);
  assertEquals(
    cellsOf(plan, "sensitivity").filter((c) => c.dataset.kind === "movielens"),
    [],
  );
});

for (const mode of ["quick", "full"] as ExperimentMode[]) {
  Deno.test(`plan (${mode}): the design choices at the first designChoiceSeedCount ablation seeds`, () => {
    const plan = planExperiments(mode);
    const choiceKeys = ["denoiseInput=flipped", "granularity=pair", "noiseViewAsNegative=false"];
    const expected = (["synthetic", "movielens"] as const).flatMap((kind) => {
      const { designChoices, ablationSeeds, designChoiceSeedCount } = plan.datasets[kind];
      if (!designChoices) return [];
      const label = plan.cells.find((c) => c.dataset.kind === kind)!.datasetLabel;
      return ablationSeeds.slice(0, designChoiceSeedCount).flatMap((seed) =>
        choiceKeys.map((choice) => `${mode}/${label}/Demure-SASRec[${choice}]/seed=${seed}`)
      );
    });
    const cells = cellsOf(plan, "design_choice");
    assertEquals(cells.map((c) => c.key).sort(), expected.sort());
    assertEquals(
      new Set(cells.map((c) => c.seed)),
      new Set(mode === "full" ? [0, 1, 2] : [0]),
    );
    for (const cell of cells) {
      assertEquals(cell.key.includes(`[${cell.designChoice!.key}]`), true, cell.key);
      assertEquals(cell.experiments, ["design_choice"], cell.key);
    }
  });
}

Deno.test("plan (full): the design choices' later seeds come last, the earlier cells keep their indices", () => {
  const selected = JSON.parse(
    Deno.readTextFileSync("results-of-record/full/selected.json"),
  ) as SelectedConfigurations;
  const plan = planExperiments("full", undefined, { selected });
  const later = (c: (typeof plan.cells)[number]) =>
    c.designChoice !== undefined && c.seed !== plan.datasets[c.dataset.kind].ablationSeeds[0];
  // The 168 cells before them are those of the records made before the design choices had more
  // than one seed: appending keeps each of their indices.
  const first = plan.cells.findIndex(later);
  assertEquals(first, 168);
  assertEquals(plan.cells.slice(0, first).filter(later), []);
  assertEquals(
    plan.cells.slice(first).map((c) => c.key.replace(/^full\//, "")),
    [
      ...[1, 2].flatMap((seed) =>
        ["MovieLens", "Synthetic"].flatMap((label) =>
          ["denoiseInput=flipped", "granularity=pair", "noiseViewAsNegative=false"].map((choice) =>
            `${label}/Demure-SASRec[${choice}]/seed=${seed}`
          )
        )
      ),
      // The random-mask control of the ablation, added after these (2026-12-03).
      ...["Synthetic", "MovieLens"].flatMap((label) =>
        [0, 1, 2, 3, 4].map((seed) => `${label}/RandomInputMasks-SASRec/seed=${seed}`)
      ),
      // The sweeps of the warm-up's length, added after those (2026-12-03).
      ...["Synthetic", "MovieLens"].flatMap((label) =>
        [0, 1, 2].flatMap((seed) =>
          [0, 2, 4].map((value) => `${label}/Demure-SASRec[warmupEpochs=${value}]/seed=${seed}`)
        )
      ),
    ],
  );
  // The first seed's design-choice cells stay where they were, before the sensitivity sweeps.
  const firstSeed = plan.cells.findIndex((c) => c.designChoice !== undefined);
  const firstSwept = plan.cells.findIndex((c) => c.sweep !== undefined);
  assert(firstSeed < firstSwept, `${firstSeed} < ${firstSwept}`);
});

Deno.test("plan: a trial budget that is not an integer >= 1 is a SettingError naming it", () => {
  // Named as the option it is, as PlanOptions.ranking is ("plan trialBudget" before 2026-12-06).
  for (const trialBudget of [0, -1, 1.5, NaN]) {
    const error = assertThrows(
      () => planExperiments("quick", undefined, { trialBudget }),
      SettingError,
      `PlanOptions.trialBudget is ${trialBudget}; allowed: an integer >= 1`,
    ) as SettingError;
    assertEquals(error.setting, "PlanOptions.trialBudget");
  }
  const training = assertThrows(
    () => planExperiments("quick", undefined, { datasetTraining: { patience: 10 } }),
    SettingError,
    "PlanOptions.datasetTraining is {",
  ) as SettingError;
  assertEquals(training.setting, "PlanOptions.datasetTraining");
});

Deno.test("plan (full): a larger trial budget adds trials after the mode's own, which keep their settings", () => {
  const mode = planExperiments("full");
  const larger = planExperiments("full", undefined, { trialBudget: 5 });
  const trialsOf = (plan: typeof mode) => plan.cells.filter((cell) => cell.trial !== undefined);
  const byKey = new Map(trialsOf(larger).map((cell) => [cell.key, cell]));
  for (const cell of trialsOf(mode)) {
    const same = byKey.get(cell.key);
    assert(same !== undefined, `${cell.key} is in the larger budget too`);
    assertEquals(same.config, cell.config);
    assertEquals(same.training, cell.training);
  }
  const selections = new Set(trialsOf(mode).map((cell) => cell.trial!.selection));
  for (const selection of selections) {
    const indices = (plan: typeof mode) =>
      trialsOf(plan).filter((cell) => cell.trial!.selection === selection).map((c) =>
        c.trial!.index
      );
    const own = indices(mode);
    assertEquals(indices(larger), [0, 1, 2, 3, 4], selection);
    assert(own.length === 2 || own.length === 3, `${selection}: the mode's budget`);
  }
});

/** A cell's settings with every default filled in: two ways of writing one run compare equal. */
function effectiveSettings(cell: PlannedCell): unknown {
  const system = cell.system.kind !== "neural" ? cell.system : {
    ...cell.system,
    ...(cell.system.demure ? { demure: resolveDemureConfig(cell.system.demure) } : {}),
    ...(cell.system.cl4srec
      ? { cl4srec: { ...DEFAULT_CL4SREC_CONFIG, ...cell.system.cl4srec } }
      : {}),
  };
  return [
    resolveModelConfig(cell.model),
    resolveTrainerConfig({ ...cell.training, seed: cell.seed }),
    system,
  ];
}

Deno.test("plan (full): no two trials of a selection run the same settings, even with a large budget", () => {
  const plan = planExperiments("full", undefined, { trialBudget: 10 });
  const bySelection = new Map<string, Set<string>>();
  for (const cell of plan.cells) {
    if (cell.trial === undefined) continue;
    const seen = bySelection.get(cell.trial.selection) ?? new Set<string>();
    const settings = JSON.stringify(effectiveSettings(cell));
    assert(!seen.has(settings), `${cell.key} repeats another trial of ${cell.trial.selection}`);
    seen.add(settings);
    bySelection.set(cell.trial.selection, seen);
  }
  assert(bySelection.size >= 12, "every selection of both datasets was checked");
});

for (const mode of ["quick", "full"] as ExperimentMode[]) {
  Deno.test(`plan (${mode}): every Demure trial can leave its warm-up under the mode's run`, () => {
    // The plan's check refuses a cell the run could never denoise: a point the mode's trainer
    // settings refuse must not be drawn (the quick plan drew plateau:2 under a 3-epoch cap).
    // A larger budget draws deeper into the grid, where more such points lie.
    for (const trialBudget of [undefined, 12]) {
      const plan = planExperiments(mode, undefined, trialBudget ? { trialBudget } : {});
      let checked = 0;
      for (const cell of plan.cells) {
        if (cell.trial === undefined || cell.system.kind !== "neural" || !cell.system.demure) {
          continue;
        }
        const trainer = resolveTrainerConfig({ ...cell.training, seed: cell.seed });
        const refusal = warmupRefusal(resolveDemureConfig(cell.system.demure), trainer);
        assertEquals(refusal, undefined, cell.key);
        checked++;
      }
      assert(checked >= 2, `${mode}: Demure trials were checked`);
    }
  });
}

Deno.test("plan (full): the trials are the unfiltered draw: the full runs refuse no point", () => {
  const plan = planExperiments("full", undefined, { trialBudget: 12 });
  for (const cell of plan.cells) {
    if (cell.trial === undefined) continue;
    assertEquals(cell.trial.point, trialsOf(cell.systemKey, 12)[cell.trial.index].point, cell.key);
  }
});

Deno.test("cellsOf: a name that is not an experiment is a SettingError, not an empty list", () => {
  const plan = planExperiments("quick");
  // "ablations" (a notebook cell the kernel does not type-check) found no cell, silently.
  assertThrows(
    () => cellsOf(plan, "ablations" as Experiment),
    Error,
    'cellsOf experiment is "ablations"; allowed: one of "main", "ablation", "noise_level", ' +
      '"sensitivity", "selection", "design_choice"',
  );
  const experiments: Experiment[] = ["main", "ablation", "noise_level", "sensitivity"];
  for (const experiment of experiments) assert(cellsOf(plan, experiment).length > 0, experiment);
});

for (const mode of ["quick", "full"] as ExperimentMode[]) {
  Deno.test(`cellFilter (${mode}): keeps exactly the cells of the data kind, systems and seed named`, () => {
    const plan = planExperiments(mode);
    const main = cellsOf(plan, "main");
    const seed = plan.seeds[0];
    // The notebooks' former hand-written predicates, field by field.
    assertEquals(
      main.filter(cellFilter({ dataset: "movielens", systems: ["Pop", "SASRec-MM"] })),
      main.filter((c) =>
        c.dataset.kind === "movielens" && ["Pop", "SASRec-MM"].includes(c.systemKey)
      ),
    );
    const explained = main.filter(
      cellFilter({ dataset: "synthetic", systems: ["Demure-SASRec"], seed }),
    );
    assertEquals(explained.map((c) => [c.dataset.kind, c.systemName, c.seed]), [
      ["synthetic", "Demure-SASRec", seed],
    ]);
    assertEquals(
      plan.cells.filter(cellFilter({ seed })),
      plan.cells.filter((c) => c.seed === seed),
    );
    assertEquals(main.filter(cellFilter({})), main);
    assert(main.filter(cellFilter({ dataset: "file" })).length === 0);
  });
}

Deno.test("cellFilter: an unknown field, data kind, system or a bad seed is a SettingError", () => {
  const refused: [unknown, string, string][] = [
    [{ dataset: "MovieLens" }, "CellSelection.dataset", '"MovieLens"'],
    [{ systems: ["SASRec-MM", "Demure"] }, "CellSelection.systems[1]", '"Demure"'],
    [{ systems: "SASRec-MM" }, "CellSelection.systems", '"SASRec-MM"'],
    // An empty list selected nothing, silently; leaving the field out keeps every system.
    [{ systems: [] }, "CellSelection.systems", "leave systems out for every system"],
    [{ seed: 0.5 }, "CellSelection.seed", "0.5"],
    [{ seed: "0" }, "CellSelection.seed", '"0" (a string)'],
    // No plan has it: a seed is below 2^31 (SEED_RANGE), so it selected nothing.
    [{ seed: 2 ** 31 }, "CellSelection.seed", "2147483648"],
    [{ seed: -1 }, "CellSelection.seed", "-1"],
    [{ system: ["Pop"] }, "CellSelection.system", "did you mean systems?"],
  ];
  for (const [selection, setting, text] of refused) {
    const error = assertThrows(
      () => cellFilter(selection as CellSelection),
      SettingError,
      text,
    ) as SettingError;
    assertEquals(error.setting, setting);
  }
});

Deno.test("plan (full) with fewer seeds than its sweep and design-choice seed counts: no cell without a seed", () => {
  // Full mode sweeps and flips design choices at 3 seeds; MovieLens's ablation (and with it its
  // design choices) runs at the first seed asked only.
  const plan = planExperiments("full", [7, 8]);
  for (const cell of plan.cells) assert([7, 8].includes(cell.seed), cell.key);
  const movielens = plan.cells.filter((c) => c.dataset.kind === "movielens");
  const seedsOf = (
    experiment: Experiment,
  ) => [...new Set(movielens.filter((c) => c.experiments.includes(experiment)).map((c) => c.seed))];
  assertEquals(seedsOf("ablation"), [7]);
  assertEquals(seedsOf("design_choice"), [7]);
  assertEquals(seedsOf("sensitivity"), [7, 8]);
  assertEquals(seedsOf("main"), [7, 8]);
});

Deno.test("plan: the design choice flips the selected configuration's denoising, which defaults to on", () => {
  const plan = planExperiments("quick");
  const flipped = cellsOf(plan, "design_choice").filter((c) =>
    c.designChoice?.key === "denoiseInput=flipped"
  );
  assert(flipped.length > 0);
  for (const cell of flipped) {
    // No selection made: the selected configuration is the defaults, which denoise the input.
    assertEquals(resolveDemureConfig({}).denoiseInput, true);
    assertEquals(cell.designChoice?.demure, { denoiseInput: false }, cell.key);
    assertEquals(cell.designChoice?.name, "L_rec on the full history");
    assert(cell.system.kind === "neural" && cell.system.demure?.denoiseInput === false, cell.key);
  }
});

Deno.test("plan: an ablation system keeps its own variant whatever the plan's Demure settings", () => {
  const plan = planExperiments("quick", undefined, { demure: { variant: "full" } });
  const variantOf = (name: string) => {
    const cell = plan.cells.find((c) => c.systemKey === name);
    assert(cell && cell.system.kind === "neural", name);
    return cell.system.demure?.variant;
  };
  assertEquals(variantOf("Demure-SASRec"), "full");
  assertEquals(variantOf("AttributionOnly-SASRec"), "attribution_only");
  assertEquals(variantOf("ContrastiveOnly-SASRec"), "contrastive_only");
});

Deno.test("validateSeeds: a seed is an integer in [0, 2^31)", () => {
  validateSeeds([0, 2 ** 31 - 1]);
  for (const seeds of [[2 ** 31], [-1], [0, 0], []]) {
    assertThrows(() => validateSeeds(seeds), SettingError, "plan seeds");
  }
});

Deno.test("cellFilter: systems name the system, so trials, design choices and sweep values are kept", () => {
  const plan = planExperiments("quick");
  const demure = plan.cells.filter(cellFilter({ systems: ["Demure-SASRec"] }));
  assertEquals(demure, plan.cells.filter((c) => c.systemKey === "Demure-SASRec"));
  for (const experiment of ["selection", "design_choice", "sensitivity"] as const) {
    assert(
      demure.some((c) => c.experiments.includes(experiment) && c.systemName !== c.systemKey),
      `a ${experiment} cell labelled apart from its system`,
    );
  }
});

Deno.test("plan (quick): the quick record's settings are those of today's quick plan", () => {
  // The full plan's settings are pinned by its records (every cell finished under
  // results-of-record/full, cell_command_test); the quick plan's only record is this cell, which
  // reproducibility_test reruns from its own stored settings. A quick setting changed (the learning
  // rate, the model's width, the batch) would leave it a stale file while CI runs another grid.
  // (Its cell waits for SASRec-MM's selection, which the quick records do not hold: its settings
  // are compared as planned, the backbone's defaults inherited.)
  const record = "quick/Synthetic(historyLength=15,numItems=120,numUsers=160)/" +
    "Demure-SASRec/trial=0/seed=0";
  const plan = planExperiments("quick");
  const cell = plan.cells.find((candidate) => candidate.key === record);
  assert(cell !== undefined, "the record's cell is planned");
  assertEquals(isFinished(cellStoreOf(RECORDS_DIR.quick), plan, cell), true);
});

Deno.test("plan: the Demure settings asked override the dataset's own (MovieLens's everyVisits)", () => {
  // The mode sets everyVisits 1 on MovieLens; a plan asked with everyVisits 3 runs 3 everywhere.
  const plan = planExperiments("full", undefined, { demure: { everyVisits: 3 } });
  const demure = plan.cells.filter((c) => c.system.kind === "neural" && c.system.demure);
  assert(demure.some((c) => c.dataset.kind === "movielens"));
  for (const cell of demure) {
    assert(cell.system.kind === "neural");
    assertEquals(cell.system.demure?.everyVisits, 3, cell.key);
  }
});

Deno.test("plan (full): before MovieLens's selection no sweep cell names the main cell's run", () => {
  // The selected values are unknown until Demure-SASRec's selection: the default lambda (0.1, a
  // swept value) is no reason to call that sweep cell the main cell's run.
  const plan = planExperiments("full");
  const swept = cellsOf(plan, "sensitivity").filter((c) =>
    c.dataset.kind === "movielens" && c.sweep !== undefined
  );
  assert(swept.some((c) => c.sweep!.parameter === "lambda" && c.sweep!.value === 0.1));
  for (const cell of swept) {
    assert(cell.waitsFor !== undefined, cell.key);
    assertEquals(cell.sameAs, undefined, cell.key);
  }
});

Deno.test("plan: a warm-up no cell can finish is refused naming the setting and the cell", () => {
  // The quick grid stops after a few epochs: a 100-epoch warm-up would never denoise.
  const error = assertThrows(
    () =>
      planExperiments("quick", undefined, { demure: { warmupBy: "epochs", warmupEpochs: 100 } }),
    SettingError,
  ) as SettingError;
  assertEquals(error.setting, "DemureConfig.warmupEpochs");
  // The first Demure cell checked is named (keys do not depend on the Demure settings).
  const first = planExperiments("quick").cells.find((c) =>
    c.system.kind === "neural" && c.system.demure
  )!;
  assert(error.message.endsWith(`never denoise; cell ${first.key}`), error.message);
});

Deno.test("plan (full): before Demure-SASRec's selection its ablations wait for it too", () => {
  // The ablations run Demure-SASRec's selected configuration: started at the defaults before
  // the selection, they would compare against a configuration the table never shows.
  const plan = planExperiments("full");
  const ablations = plan.cells.filter((c) =>
    c.dataset.kind === "movielens" &&
    ["AttributionOnly-SASRec", "ContrastiveOnly-SASRec", "RandomInputMasks-SASRec"].includes(
      c.systemKey,
    )
  );
  assertEquals(new Set(ablations.map((c) => c.systemKey)).size, 3);
  const demure = plan.cells.find((c) => c.key === "full/MovieLens/Demure-SASRec/seed=0")!;
  assert(demure.waitsFor !== undefined && demure.waitsFor.length > 0);
  for (const cell of ablations) {
    assertEquals([cell.waitsFor, cell.configuredBy], [demure.waitsFor, "selection"], cell.key);
  }
});

Deno.test("plan (full): a swept Demure setting asked in the options names the selected value's run", () => {
  // The selection sets rho only; lambda 0.5 is asked for every cell. The reference cell runs
  // lambda 0.5, so the lambda sweep's cell at 0.5 is its run, and the one at the default (0.1) is
  // another run. The mode's settings alone called the 0.1 cell the reference's run.
  const selected: SelectedConfigurations = {
    Synthetic: {
      "Demure-SASRec": { trial: 1, config: { demure: { rho: 0.3 } }, valid: 0, trials: 2 },
    },
  };
  const plan = planExperiments("full", undefined, { selected, demure: { lambda: 0.5 } });
  const atSeed1 = cellsOf(plan, "sensitivity").filter((c) =>
    c.dataset.kind === "synthetic" && c.seed === 1
  );
  const lambdaOf = (cell: PlannedCell) =>
    cell.system.kind === "neural" ? cell.system.demure?.lambda : undefined;
  const reference = atSeed1.find((c) => c.sweep === undefined)!;
  assertEquals(lambdaOf(reference), 0.5);
  const selectedRun = "full/Synthetic/Demure-SASRec[rho=0.3]/seed=1";
  assertEquals(atSeed1.find((c) => c.key === selectedRun)?.sameAs, reference.key);
  const lambdaCells = atSeed1.filter((c) => c.sweep?.parameter === "lambda");
  assertEquals(lambdaCells.map((c) => [c.sweep!.value, lambdaOf(c), c.sameAs]), [
    [0.02, 0.02, undefined],
    [0.1, 0.1, undefined],
    [0.5, 0.5, selectedRun],
  ]);
  // Every cell named the same run runs the same Demure settings.
  for (const cell of atSeed1.filter((c) => c.sameAs !== undefined && c.sweep !== undefined)) {
    const same = plan.cells.find((c) => c.key === cell.sameAs)!;
    assertEquals(lambdaOf(cell), lambdaOf(same), cell.key);
  }
});

Deno.test("plan: a selected dropout out of range is refused when the plan is built, naming it", () => {
  // Checked with the plan, not when the cell's turn comes hours into the run.
  const selected: SelectedConfigurations = {
    MovieLens: { "SASRec-MM": { trial: 1, config: { dropout: 1.5 }, valid: 0, trials: 2 } },
  };
  const error = assertThrows(
    () => planExperiments("full", undefined, { selected }),
    SettingError,
    "ModelConfig.sasrec.dropout is 1.5",
  ) as SettingError;
  assertEquals(error.setting, "ModelConfig.sasrec.dropout");
});

Deno.test("plan (quick): an ablation is configured as Demure-SASRec is on its data, selected or at the defaults", () => {
  // The quick plan selects Demure-SASRec on the synthetic data only: on MovieLens it runs at its
  // defaults, and so do its ablations (not "selection", for a selection that never runs).
  const plan = planExperiments("quick");
  const ablationSystems = [
    "AttributionOnly-SASRec",
    "ContrastiveOnly-SASRec",
    "RandomInputMasks-SASRec",
  ];
  const expected = { synthetic: "selection", movielens: "defaults" } as const;
  for (const kind of ["synthetic", "movielens"] as const) {
    const demure = plan.cells.find((c) =>
      c.dataset.kind === kind && c.systemKey === "Demure-SASRec" && c.experiments.includes("main")
    )!;
    assertEquals(demure.configuredBy, expected[kind], demure.key);
    const ablations = plan.cells.filter((c) =>
      c.dataset.kind === kind && ablationSystems.includes(c.systemKey)
    );
    assertEquals(new Set(ablations.map((c) => c.systemKey)).size, 3, kind);
    for (const cell of ablations) assertEquals(cell.configuredBy, expected[kind], cell.key);
  }
});

Deno.test("plan: the noise-only-negative design choice runs without it, against the default's with", () => {
  const plan = planExperiments("quick");
  const cells = cellsOf(plan, "design_choice").filter((c) =>
    c.designChoice?.key === "noiseViewAsNegative=false"
  );
  assert(cells.length > 0);
  // The selected configuration (here the defaults) takes the noise-only view as a negative.
  assertEquals(resolveDemureConfig({}).noiseViewAsNegative, true);
  for (const cell of cells) {
    assertEquals(cell.designChoice?.name, "no noise-only negative");
    assert(cell.system.kind === "neural", cell.key);
    assertEquals(cell.system.demure?.noiseViewAsNegative, false, cell.key);
  }
});

Deno.test("plan: the synthetic main cells of SASRec-MM and Demure-SASRec score the attribution, no other", () => {
  // The attribution's quality is read on the synthetic data (its noise is known), for the
  // backbone and for Demure; a cell that is another's run (sameAs) is scored there.
  const plan = planExperiments("quick");
  const scored = plan.cells.filter((c) => c.scoreAttribution);
  for (const cell of scored) {
    assertEquals(cell.dataset.kind, "synthetic", cell.key);
    assert(cell.experiments.includes("main") && cell.sameAs === undefined, cell.key);
  }
  assertEquals([...new Set(scored.map((c) => c.systemKey))].sort(), [
    "Demure-SASRec",
    "SASRec-MM",
  ]);
});

Deno.test("plan (quick): before SASRec-MM's selection, the methods built on it wait for that selection", () => {
  // CL4SRec-MM (unselected) and Demure-SASRec's trials start from SASRec-MM's selected optimiser
  // settings: each waits for SASRec-MM's selection, one the plan's trials make (another id would
  // keep them waiting for ever).
  const plan = planExperiments("quick");
  const label = plan.cells.find((c) => c.dataset.kind === "synthetic")!.datasetLabel;
  const backbone = selectionId(label, "SASRec-MM");
  assert(plan.cells.some((c) => c.trial?.selection === backbone));
  const synthetic = plan.cells.filter((c) => c.dataset.kind === "synthetic");
  const cl4srec = synthetic.filter((c) => c.systemKey === "CL4SRec-MM");
  const demureTrials = synthetic.filter((c) =>
    c.systemKey === "Demure-SASRec" && c.trial !== undefined
  );
  assert(cl4srec.length > 0 && demureTrials.length > 0);
  for (const cell of cl4srec) {
    assertEquals([cell.configuredBy, cell.waitsFor], ["backbone selection", [backbone]], cell.key);
  }
  for (const cell of demureTrials) assertEquals(cell.waitsFor, [backbone], cell.key);
});

Deno.test("plan: the per-(position, modality) design choice runs the pair granularity, against the default's", () => {
  const plan = planExperiments("quick");
  const cells = cellsOf(plan, "design_choice").filter((c) =>
    c.designChoice?.key === "granularity=pair"
  );
  assert(cells.length > 0);
  // The selected configuration (here the defaults) chooses the noise per (user, modality).
  assertEquals(resolveDemureConfig({}).attribution.granularity, "user_modality");
  for (const cell of cells) {
    assertEquals(cell.designChoice?.name, "noise per (position, modality)");
    assert(cell.system.kind === "neural" && cell.system.demure, cell.key);
    assertEquals(resolveDemureConfig(cell.system.demure).attribution.granularity, "pair", cell.key);
  }
});

Deno.test("planExperiments: a plan size or seeds it cannot run are a SettingError naming them", () => {
  // Without the check an unknown size failed on a missing field (a TypeError naming no setting).
  const size = assertThrows(
    () => planExperiments("medium" as ExperimentMode),
    SettingError,
    'plan size (ExperimentMode) is "medium"; allowed: one of "quick", "full"',
  ) as SettingError;
  assertEquals(size.setting, "plan size (ExperimentMode)");
  // The seeds asked are checked by the plan itself, not only by validateSeeds' own callers.
  for (const seeds of [[], [0, 0], [-1], [1.5], [2 ** 31]]) {
    const error = assertThrows(
      () => planExperiments("quick", seeds),
      SettingError,
      "plan seeds",
    ) as SettingError;
    assertEquals(error.setting, "plan seeds", JSON.stringify(seeds));
  }
});

Deno.test("replanWith: the plan built again keeps the seeds asked (none when none were)", () => {
  // Every selection written and every resumed run rebuilds the plan this way: the mode's seeds in
  // place of the ones asked would run other cells.
  const asked = planExperiments("quick", [7, 8]);
  assertEquals(asked.seedsAsked, [7, 8]);
  const again = replanWith(asked, {});
  assertEquals([again.seedsAsked, again.seeds], [[7, 8], [7, 8]]);
  assertEquals(again.cells.map((c) => c.key), asked.cells.map((c) => c.key));
  const byMode = planExperiments("quick");
  assertEquals("seedsAsked" in byMode, false);
  assertEquals(replanWith(byMode, {}).cells.map((c) => c.key), byMode.cells.map((c) => c.key));
});

Deno.test("plan (quick) with seeds asked: MovieLens runs the first of them, the synthetic data all", () => {
  // CI's grid keeps MovieLens at one seed; each dataset's ablationSeeds are its ablation cells'.
  const plan = planExperiments("quick", [7, 8]);
  const seedsOf = (kind: "synthetic" | "movielens", experiment: Experiment) =>
    [
      ...new Set(
        cellsOf(plan, experiment).filter((c) => c.dataset.kind === kind).map((c) => c.seed),
      ),
    ].sort();
  assertEquals(plan.datasets.movielens.seeds, [7]);
  assertEquals(seedsOf("movielens", "main"), [7]);
  assertEquals(seedsOf("movielens", "ablation"), plan.datasets.movielens.ablationSeeds);
  assertEquals(plan.datasets.synthetic.seeds, [7, 8]);
  assertEquals(seedsOf("synthetic", "main"), [7, 8]);
  assertEquals(plan.datasets.synthetic.ablationSeeds, [7, 8]);
  assertEquals(seedsOf("synthetic", "ablation"), [7, 8]);
});

const importedFile: FileDatasetSpec = {
  kind: "file",
  path: new URL("../fixtures/byo/tiny", import.meta.url).pathname,
  format: "recbole",
};

Deno.test("plan of an imported dataset: the ablation at every seed, the later systems after every other cell", () => {
  const plan = planExperiments("quick", [3, 4], { dataset: importedFile });
  const ablation = cellsOf(plan, "ablation");
  assertEquals(plan.datasets.file.ablationSeeds, [3, 4]);
  assertEquals([...new Set(ablation.map((c) => c.seed))], [3, 4]);
  // As on the embedded data, the systems added later come last, so earlier indices hold.
  const later = plan.cells.filter((c) => LATER_ABLATION_SYSTEMS.includes(c.systemKey));
  assertEquals(later.length, 2 * LATER_ABLATION_SYSTEMS.length);
  assertEquals(plan.cells.slice(-later.length), later);
});

Deno.test("plan: only trial 0 (the defaults) of a selection not waiting is the same run as the system's first-seed cell", () => {
  for (const mode of ["quick", "full"] as const) {
    const plan = planExperiments(mode);
    const trials = plan.cells.filter((cell) => cell.trial !== undefined);
    assert(trials.some((cell) => cell.trial!.index > 0));
    for (const cell of trials) {
      const first = `${mode}/${cell.datasetLabel}/${cell.systemKey}/seed=${cell.seed}`;
      const expected = cell.trial!.index === 0 && !cell.waitsFor ? first : undefined;
      assertEquals(cell.sameAs, expected, cell.key);
    }
  }
});
