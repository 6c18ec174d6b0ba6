/** The sensitivity and noise-level views select cells by their tags and carry the right values. */
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { SettingError } from "../../lib/util/settings.ts";
import { resolveDemureConfig } from "../../lib/demure/config.ts";
import type { FinishedCell } from "../../lib/experiments/ensure_cells.ts";
import {
  noiseLevelCurves,
  noiseLevelGains,
  seedRuns,
  sensitivityCurves,
  sweepValueRuns,
} from "../../lib/experiments/experiment_views.ts";
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
    // Quick mode sweeps at one seed: the selected value's point is the reference cell, once.
    const atDefault = points.find((point) => point.value === defaults[parameter])!;
    assertEquals(atDefault.stats, { mean: plan.cells.indexOf(reference), std: 0, n: 1 });
    assertEquals(atDefault.seeds, [reference.seed]);
    // The selected value is marked, and only it (a figure rings it).
    assertEquals(points.map((point) => point.selected), points.map((point) => point === atDefault));
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
    // Every point is a cell of the curve's dataset (the NDCG@10 is the cell's index), one per
    // sweep seed.
    for (const point of curve.points) {
      assertEquals(point.seeds, [0, 1, 2]);
      for (const result of point.results) {
        assertEquals(full.cells[result.test["NDCG@10"]].datasetLabel, curve.dataset);
      }
    }
  }
  const movielens = curves.filter((curve) => curve.dataset === "MovieLens");
  assertEquals(movielens.map((curve) => curve.parameter), ["lambda", "warmupEpochs"]);
  assertEquals(
    movielens[0].points.map((point) => point.value),
    [0.005, 0.02, 0.1], // the reference (lambda at its default, 0.1 here) is not drawn twice
  );
});

Deno.test("sensitivityCurves: mean and std over seeds, the selected value's seeds once", () => {
  const full = planExperiments("full");
  const sweep = cellsOf(full, "sensitivity").filter((cell) => cell.dataset.kind === "synthetic");
  // Test NDCG@10 of each cell: its seed + 1 at the selected value (any cell of it), the value
  // times (seed + 1) elsewhere; the reference cell at seed 2 has not finished.
  const reference = sweep.find((cell) => cell.sweep === undefined)!;
  const defaults = resolveDemureConfig(
    reference.system.kind === "neural" ? reference.system.demure ?? {} : {},
  );
  const atSelected = (cell: typeof reference) =>
    cell.sweep === undefined || cell.sweep.value === defaults[cell.sweep.parameter];
  const found = sweep.filter((cell) => cell.sweep !== undefined || cell.seed !== 2).map((cell) => ({
    cell,
    result: {
      test: { "NDCG@10": atSelected(cell) ? cell.seed + 1 : cell.sweep!.value * (cell.seed + 1) },
    } as unknown as CellResult,
  }));
  const curves = sensitivityCurves(found);
  assertEquals(curves.map((curve) => curve.parameter), [
    "rho",
    "lambda",
    "temperature",
    "warmupEpochs",
  ]);
  for (const { parameter, points } of curves) {
    const selected = points.find((point) => point.value === defaults[parameter])!;
    // Seeds 0 and 1 from the reference cells, seed 2 from a sweep cell: each seed once.
    assertEquals([selected.seeds, selected.stats.mean, selected.stats.n], [[0, 1, 2], 2, 3]);
    assertEquals(selected.stats.std, 1);
    for (const point of points.filter((point) => point !== selected)) {
      assertEquals(point.stats.n, 3);
      assertAlmostEquals(point.stats.mean, point.value * 2, 1e-12);
      assertAlmostEquals(point.stats.std, point.value, 1e-12);
    }
  }
  // A picked metric other than test NDCG@10.
  const picked = sensitivityCurves(found, (result) => -result.test["NDCG@10"]);
  assertEquals(picked[0].points[0].stats.mean, -curves[0].points[0].stats.mean);
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

Deno.test("noiseLevelGains: system minus baseline paired by seed, unpaired seeds named", () => {
  const full = planExperiments("full");
  const cells = cellsOf(full, "noise_level");
  // NDCG@10 = 10 * fraction + seed, plus 0.01 * (seed + 1) for Demure-SASRec: its gain at a seed
  // is 0.01 * (seed + 1) whatever the level, so a pairing across seeds would show.
  const value = (cell: (typeof cells)[number]) =>
    10 * cell.noiseFraction! + cell.seed +
    (cell.systemName === "Demure-SASRec" ? 0.01 * (cell.seed + 1) : 0);
  // Missing: SASRec-MM at 0.25 seed 2, Demure-SASRec at 0.75 seed 0 and 1.
  const missing = (cell: (typeof cells)[number]) =>
    (cell.systemName === "SASRec-MM" && cell.noiseFraction === 0.25 && cell.seed === 2) ||
    (cell.systemName === "Demure-SASRec" && cell.noiseFraction === 0.75 && cell.seed < 2);
  const found = cells.filter((cell) => !missing(cell)).map((cell) => ({
    cell,
    result: { test: { "NDCG@10": value(cell) } } as unknown as CellResult,
  }));
  // A cell without the noise_level tag (MovieLens's) is not counted.
  const other = cellsOf(full, "main").find((cell) =>
    cell.systemName === "SASRec-MM" && cell.dataset.kind === "movielens"
  )!;
  assertEquals(other.experiments.includes("noise_level"), false);
  const gains = noiseLevelGains([
    ...found,
    { cell: other, result: { test: { "NDCG@10": 99 } } as unknown as CellResult },
  ]);
  assertEquals(gains.map((gain) => gain.fraction), [0.25, 0.5, 0.75]);
  const [low, middle, high] = gains;
  assertEquals(low.seeds, [0, 1]);
  assertEquals(low.unpaired, { system: [2], baseline: [] });
  assertEquals(middle.seeds, [0, 1, 2, 3, 4]);
  assertEquals(middle.unpaired, { system: [], baseline: [] });
  assertEquals(high.seeds, [2]);
  assertEquals(high.unpaired, { system: [], baseline: [0, 1] });
  for (const gain of gains) {
    gain.differences.forEach((difference, index) =>
      assertAlmostEquals(difference, 0.01 * (gain.seeds[index] + 1), 1e-12)
    );
  }
  assertAlmostEquals(middle.stats.mean, 0.03, 1e-12);
  assertAlmostEquals(middle.stats.std, 0.01 * Math.sqrt(2.5), 1e-12);
  assertEquals([high.stats.n, high.stats.std], [1, 0]);
  // The other way round, and another metric.
  const reversed = noiseLevelGains(found, {
    system: "SASRec-MM",
    baseline: "Demure-SASRec",
    metric: "twice test NDCG@10",
    pick: (result) => 2 * result.test["NDCG@10"],
  });
  assertAlmostEquals(reversed[1].stats.mean, -0.06, 1e-12);
  assertEquals(reversed[0].unpaired, { system: [], baseline: [2] });
});

Deno.test("noiseLevelGains: a level without a pair stays, empty; a non-finite metric is an error", () => {
  const cells = cellsOf(plan, "noise_level");
  const onlyBaselineAtHigh = finished(
    cells.filter((cell) => !(cell.noiseFraction === 0.75 && cell.systemName === "Demure-SASRec")),
  );
  const high = noiseLevelGains(onlyBaselineAtHigh).find((gain) => gain.fraction === 0.75)!;
  assertEquals([high.seeds, high.differences, high.stats.n], [[], [], 0]);
  assertEquals(Number.isNaN(high.stats.mean), true);
  assertEquals(high.unpaired, { system: [], baseline: [0] });
  assertThrows(
    () => noiseLevelGains(finished(cells), { metric: "NaN", pick: () => NaN }),
    Error,
    "at planted noise share 0.25, seed 0: the picked metric is NaN",
  );
});

Deno.test("noiseLevelGains: a system the experiment does not run, or an unknown option, is refused", () => {
  // A mistyped name gave every fraction { mean: NaN, std: NaN, n: 0 }, and an unknown option was
  // ignored (the defaults ran).
  const cells = cellsOf(plan, "noise_level");
  const found = finished(cells);
  const allowed = 'one of "SASRec-MM", "Demure-SASRec" (the systems of the noise-level cells)';
  const bad: Array<[Record<string, unknown>, string, string]> = [
    [
      { system: "Demure-SasRec" },
      "NoiseLevelGainOptions.system",
      `"Demure-SasRec"; allowed: ${allowed}`,
    ],
    [{ system: "Demure-GRU4Rec" }, "NoiseLevelGainOptions.system", allowed],
    [
      { baseline: "SASRec-ID" },
      "NoiseLevelGainOptions.baseline",
      `"SASRec-ID"; allowed: ${allowed}`,
    ],
    [{ sytem: "x" }, "NoiseLevelGainOptions.sytem", "did you mean system?"],
    [{ system: "SASRec-MM" }, "NoiseLevelGainOptions.baseline", "a system other than"],
    [{ pick: "NDCG@10" }, "NoiseLevelGainOptions.pick", "a function"],
  ];
  // Every cell of the plan too: a system only another experiment ran (SASRec-ID in main) is still
  // no system of the noise-level cells.
  const everyCell = finished(plan.cells);
  assert(everyCell.some(({ cell }) => cell.systemName === "SASRec-ID"));
  for (const [options, setting, text] of bad) {
    for (const given of [found, [], everyCell]) {
      const error = assertThrows(() => noiseLevelGains(given, options as never), SettingError);
      assertEquals((error as SettingError).setting, setting, error.message);
      assertStringIncludes(error.message, text);
    }
  }
  // The experiment's systems stay valid where one has no finished cell yet: its seeds are unpaired.
  assertEquals(noiseLevelGains([]), []);
  const baselineOnly = noiseLevelGains(
    finished(cells.filter((cell) => cell.systemName === "SASRec-MM")),
  );
  assertEquals(baselineOnly.length > 0, true);
  for (const gain of baselineOnly) {
    assertEquals([gain.seeds, gain.unpaired.system, gain.unpaired.baseline.length > 0], [
      [],
      [],
      true,
    ]);
  }
});

/** The full plan's synthetic sensitivity cells, their selected (default) Demure settings. */
function fullSyntheticSweep() {
  const full = planExperiments("full");
  const cells = cellsOf(full, "sensitivity").filter((cell) => cell.dataset.kind === "synthetic");
  const reference = cells.find((cell) => cell.sweep === undefined)!;
  const selected = resolveDemureConfig(
    reference.system.kind === "neural" ? reference.system.demure ?? {} : {},
  );
  return { full, cells, selected };
}

const resultOf = (ndcg: number) => ({ test: { "NDCG@10": ndcg } }) as unknown as CellResult;

Deno.test("seedRuns: one run per seed, the first cell given for it, seeds ascending", () => {
  const { cells } = fullSyntheticSweep();
  const [a, b, c] = [0, 1, 2].map((seed) => cells.filter((cell) => cell.seed === seed));
  const runs = seedRuns([
    { cell: c[0], result: resultOf(20) },
    { cell: a[0], result: resultOf(0) },
    { cell: a[1], result: resultOf(1) },
    { cell: b[0], result: resultOf(10) },
  ]);
  assertEquals(runs.map((run) => [run.seed, run.result.test["NDCG@10"]]), [[0, 0], [1, 10], [
    2,
    20,
  ]]);
});

Deno.test("sweepValueRuns: the selected value's run at a seed is the reference cell's, whatever the order found", () => {
  const { full, cells, selected } = fullSyntheticSweep();
  // The reference cell scores 100 + seed, a sweep cell at a selected value 200 + seed: the
  // reference cell is the main table's run, and represents its seed (found in reverse order).
  const atSelected = (cell: (typeof cells)[number]) =>
    cell.sweep !== undefined && cell.sweep.value === selected[cell.sweep.parameter];
  const found = cells.filter((cell) => cell.sweep === undefined || atSelected(cell))
    .filter((cell) => cell.sweep !== undefined || cell.seed !== 1)
    .map((cell) => ({ cell, result: resultOf((cell.sweep ? 200 : 100) + cell.seed) }))
    .reverse();
  const points = sweepValueRuns(found, full.sweeps).filter((point) => point.selected);
  assertEquals(points.length, 4);
  for (const point of points) {
    // Seeds 0 and 2 from their reference cells; seed 1 has none, so a sweep cell stands for it.
    assertEquals(
      point.runs.map((run) => [run.seed, run.result.test["NDCG@10"]]),
      [[0, 100], [1, 201], [2, 102]],
      point.parameter,
    );
  }
});

Deno.test("sweepValueRuns: without any reference cell the selected value is still the configuration's", () => {
  const { cells, selected } = fullSyntheticSweep();
  const swept = cells.filter((cell) => cell.sweep !== undefined);
  const points = sweepValueRuns(
    swept.map((cell) => ({ cell, result: resultOf(cell.seed) })),
  );
  for (const parameter of ["rho", "lambda", "temperature", "warmupEpochs"] as const) {
    const marked = points.filter((point) => point.parameter === parameter && point.selected);
    assertEquals(marked.map((point) => point.value), [selected[parameter]], parameter);
  }
  // Only the non-selected values finished: the selected value has no run and no point.
  const others = swept.filter((cell) => cell.sweep!.value !== selected[cell.sweep!.parameter]);
  const partial = sweepValueRuns(others.map((cell) => ({ cell, result: resultOf(cell.seed) })));
  assert(partial.length > 0);
  for (const point of partial) {
    assert(point.runs.length > 0, `${point.parameter} = ${point.value}`);
    assertEquals(point.selected, false, `${point.parameter} = ${point.value}`);
  }
});

Deno.test("sweepValueRuns: a declared parameter with only its selected value finished is one selected point", () => {
  const { full, cells, selected } = fullSyntheticSweep();
  const references = cells.filter((cell) => cell.sweep === undefined);
  const points = sweepValueRuns(
    references.map((cell) => ({ cell, result: resultOf(cell.seed) })),
    full.sweeps,
  );
  assertEquals(points.map((point) => [point.parameter, point.value, point.selected]), [
    ["rho", selected.rho, true],
    ["lambda", selected.lambda, true],
    ["temperature", selected.temperature, true],
    ["warmupEpochs", selected.warmupEpochs, true],
  ]);
});

Deno.test("sweepValueRuns: values ascend numerically (10 after 4)", () => {
  const { cells } = fullSyntheticSweep();
  const warmup = cells.filter((cell) => cell.sweep?.parameter === "warmupEpochs");
  const ten = { ...warmup[0], sweep: { parameter: "warmupEpochs" as const, value: 10 } };
  const points = sweepValueRuns(
    [...warmup, ten].map((cell) => ({ cell, result: resultOf(cell.seed) })),
  );
  assertEquals(points.map((point) => point.value), [0, 2, 4, 10]);
});

Deno.test("noiseLevelCurves: a metric of 0 counts; noiseLevelGains refuses an infinite one", () => {
  const cells = cellsOf(plan, "noise_level");
  const zero = noiseLevelCurves(finished(cells), () => 0);
  for (const curve of zero) {
    for (const stat of curve.stats) {
      assert(stat.n > 0);
      assertEquals(stat.mean, 0);
    }
  }
  assertThrows(
    () => noiseLevelGains(finished(cells), { metric: "infinity", pick: () => Infinity }),
    Error,
    "the picked metric is Infinity, expected a finite number",
  );
});

Deno.test("noise-level views: a cell without a fraction, or a third system's level, is not counted", () => {
  const cells = cellsOf(plan, "noise_level");
  // Tagged noise_level but without a fraction (a record read back without it): no fraction of its
  // own (undefined sorted among the levels) and no run at any level.
  const stray = { ...cells[0] };
  delete stray.noiseFraction;
  const withStray = [...finished(cells), { cell: stray, result: resultOf(99) }];
  const pick = (result: CellResult) => result.test["NDCG@10"];
  assertEquals(noiseLevelCurves(withStray, pick), noiseLevelCurves(finished(cells), pick));
  assertEquals(noiseLevelGains(withStray), noiseLevelGains(finished(cells)));
  // Another system ran at a level neither compared system reached: that level is not one of the
  // gain's (it would be a level without a pair and name no seed).
  const other = { ...cells[0], systemName: "SASRec-ID", noiseFraction: 0.9 };
  const gains = noiseLevelGains([...finished(cells), { cell: other, result: resultOf(1) }]);
  assertEquals(gains, noiseLevelGains(finished(cells)));
  assert(!gains.some((gain) => gain.fraction === 0.9));
});

Deno.test("sweepValueRuns: only the cells tagged sensitivity count, whatever else finished", () => {
  // Every cell of the plan finished: the main table's other systems at the sweep's seed are no
  // reference (SASRec-MM's cell came first and stood for the selected value).
  const every = sweepValueRuns(finished(plan.cells), plan.sweeps);
  assertEquals(every, sweepValueRuns(finished(cellsOf(plan, "sensitivity")), plan.sweeps));
  const reference = cellsOf(plan, "sensitivity").find((cell) => cell.sweep === undefined)!;
  for (const point of every.filter((point) => point.selected)) {
    assertEquals(point.runs.map((run) => run.result.test["NDCG@10"]), [
      plan.cells.indexOf(reference),
    ]);
  }
});

Deno.test("noiseLevelGains: a third system that ran noise-level cells can be compared", () => {
  // The doc allows any system a noise-level cell of `found` ran, not only NOISE_LEVEL_SYSTEMS.
  const base = finished(cellsOf(plan, "noise_level"));
  const third = base.filter(({ cell }) => cell.systemName === "SASRec-MM").map((
    { cell, result },
  ) => ({
    cell: { ...cell, systemName: "GRU4Rec-MM" },
    result: resultOf(result.test["NDCG@10"] + 1),
  }));
  const gains = noiseLevelGains([...base, ...third], { system: "GRU4Rec-MM" });
  assert(gains.length > 0);
  for (const gain of gains) {
    assert(gain.seeds.length > 0, `${gain.fraction}`);
    assertEquals([gain.differences, gain.stats.mean], [gain.seeds.map(() => 1), 1]);
  }
});

Deno.test("noiseLevelGains: a baseline's non-finite metric names the baseline's cell", () => {
  const cells = cellsOf(plan, "noise_level");
  const found = finished(cells).map(({ cell, result }) => ({
    cell,
    result: cell.systemName === "SASRec-MM" && cell.noiseFraction === 0.5 ? resultOf(NaN) : result,
  }));
  assertThrows(
    () => noiseLevelGains(found),
    Error,
    "noiseLevelGains: SASRec-MM at planted noise share 0.5, seed 0: the picked metric is NaN",
  );
});
