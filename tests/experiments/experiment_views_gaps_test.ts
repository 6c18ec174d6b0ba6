/**
 * The experiments' views at edges the main view tests do not reach: a system without any run at a
 * level, runs found out of seed order or twice for a seed, seeds of two digits. Found by mutation
 * round LF.
 */
import { assert, assertAlmostEquals, assertEquals, assertStringIncludes } from "@std/assert";
import { resolveDemureConfig } from "../../lib/demure/config.ts";
import type { FinishedCell } from "../../lib/experiments/ensure_cells.ts";
import {
  noiseLevelCurves,
  noiseLevelGains,
  sensitivityCurves,
  sweepValueRuns,
} from "../../lib/experiments/experiment_views.ts";
import { readSelected } from "../../lib/experiments/selection.ts";
import { noiseLevelCurvesFigure } from "../../lib/experiments/noise_level_figures.ts";
import { cellsOf, planExperiments } from "../../lib/experiments/plan.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { recordCard } from "./_finished_run.ts";

const resultOf = (ndcg: number) => ({ test: { "NDCG@10": ndcg } }) as unknown as CellResult;
const full = planExperiments("full");
const noiseCells = cellsOf(full, "noise_level");
const finishedOf = (cells: typeof full.cells): FinishedCell[] =>
  cells.map((cell) => ({ cell, result: resultOf(cell.seed + (cell.sweep?.value ?? 0)) }));

Deno.test("noiseLevelCurves: every system's curve has every level, a level it never reached with n = 0", () => {
  // Found by mutation round LF (LF13): with Demure-SASRec's level 0.75 wholly missing, a curve over
  // its own levels only dropped 0.75 silently, and the figure no longer said it was not drawn.
  const found = noiseCells
    .filter((cell) => !(cell.systemName === "Demure-SASRec" && cell.noiseFraction === 0.75))
    // With a card of record: the figure's caption states its protocol.
    .map((cell) => ({
      cell,
      result: { ...resultOf(cell.seed), protocol: recordCard(cell.systemName, cell.seed) },
    }));
  const curves = noiseLevelCurves(found, (result) => result.test["NDCG@10"]);
  assertEquals(curves.map((curve) => [curve.system, curve.fractions]), [
    ["SASRec-MM", [0.25, 0.5, 0.75]],
    ["Demure-SASRec", [0.25, 0.5, 0.75]],
  ]);
  assertEquals(curves[1].stats.map((stat) => stat.n), [3, 5, 0]);
  const caption = noiseLevelCurvesFigure(curves)!.caption!;
  assertStringIncludes(caption, "Not drawn: Demure-SASRec at 0.75 (no finished run).");
});

Deno.test("noiseLevelGains: runs found in any order pair by seed, seeds ascending, the first run of a seed counted", () => {
  // Found by mutation round LF (LF14): every test gave the runs in plan order, one per seed, so
  // pairing without seedRuns (the last run of a seed winning, seeds in the order found) passed.
  const value = (seed: number, system: string) =>
    seed + (system === "Demure-SASRec" ? 0.01 * (seed + 1) : 0);
  const found: FinishedCell[] = noiseCells
    .map((cell) => ({ cell, result: resultOf(value(cell.seed, cell.systemName)) }))
    .reverse();
  // A second run of Demure-SASRec's seed 0 at 0.5, found after the first: not counted.
  const first = found.find(({ cell }) =>
    cell.systemName === "Demure-SASRec" && cell.noiseFraction === 0.5 && cell.seed === 0
  )!;
  const gains = noiseLevelGains([...found, { cell: first.cell, result: resultOf(50) }]);
  const middle = gains.find((gain) => gain.fraction === 0.5)!;
  assertEquals(middle.seeds, [0, 1, 2, 3, 4]);
  assertEquals(
    middle.differences.map((difference) => Math.round(difference * 1e9) / 1e9),
    [0.01, 0.02, 0.03, 0.04, 0.05],
  );
  assertEquals(gains.map((gain) => gain.seeds), [[0, 1, 2], [0, 1, 2, 3, 4], [0, 1, 2]]);
});

Deno.test("sensitivityCurves: seeds of two digits ascend numerically, each beside its own result", () => {
  // Found by mutation round LF (LF19): every sweep ran seeds 0-2, where a text sort is a number
  // sort; at seeds 2 and 10 it put 10 first, beside seed 2's result.
  const sweep = cellsOf(full, "sensitivity").filter((cell) =>
    cell.dataset.kind === "synthetic" && cell.sweep?.parameter === "lambda" && cell.seed === 2
  );
  const found = sweep.flatMap((cell) => [
    { cell, result: resultOf(2) },
    { cell: { ...cell, seed: 10, key: `${cell.key}+10` }, result: resultOf(10) },
  ]);
  const [curve] = sensitivityCurves(found);
  for (const point of curve.points) {
    assertEquals(point.seeds, [2, 10], `${point.value}`);
    assertEquals(point.results.map((result) => result.test["NDCG@10"]), [2, 10]);
  }
});

Deno.test("the views' default metric is test NDCG@10, never the validation number beside it", () => {
  // Found by mutation round LF (LF49, LF50): the tests' results held test metrics only, so a
  // default that read validation NDCG@10 where a result has it passed.
  const both = (valid: number, test: number) =>
    ({ valid: { "NDCG@10": valid }, test: { "NDCG@10": test } }) as unknown as CellResult;
  const gains = noiseLevelGains(
    noiseCells.map((cell) => ({
      cell,
      result: cell.systemName === "Demure-SASRec" ? both(0.9, 0.3) : both(0.1, 0.2),
    })),
  );
  for (const gain of gains) {
    assertEquals(gain.differences.map((d) => Math.round(d * 1e9) / 1e9), gain.seeds.map(() => 0.1));
  }
  const sweep = cellsOf(full, "sensitivity").filter((cell) => cell.dataset.kind === "synthetic");
  const curves = sensitivityCurves(sweep.map((cell) => ({ cell, result: both(0.9, 0.4) })));
  for (const curve of curves) {
    for (const point of curve.points) assertAlmostEquals(point.stats.mean, 0.4, 1e-12);
  }
});

Deno.test("sweepValueRuns: the selected value is the selected configuration's, not Demure's default", () => {
  // Found by mutation round LF (LF23): every test planned without a selection, where the
  // selected configuration is Demure's defaults, so reading the defaults in place of the cell's
  // own settings passed. With the records' selection the reference cell runs other values.
  const selected = readSelected("results-of-record/full/selected.json");
  const plan = planExperiments("full", undefined, { selected });
  const cells = cellsOf(plan, "sensitivity").filter((cell) => cell.dataset.kind === "synthetic");
  const reference = cells.find((cell) => cell.sweep === undefined)!;
  const chosen = resolveDemureConfig(
    reference.system.kind === "neural" ? reference.system.demure ?? {} : {},
  );
  const defaults = resolveDemureConfig({});
  const parameters = ["rho", "lambda", "temperature", "warmupEpochs"] as const;
  const moved = parameters.filter((parameter) => chosen[parameter] !== defaults[parameter]);
  assert(moved.length > 0, "the records' selection keeps every default: nothing to tell apart");
  const points = sweepValueRuns(cells.map((cell) => ({ cell, result: resultOf(cell.seed) })));
  for (const parameter of parameters) {
    const marked = points.filter((point) => point.parameter === parameter && point.selected);
    assertEquals(marked.map((point) => point.value), [chosen[parameter]], parameter);
    // The reference cells stand for the selected value at every seed.
    assertEquals(marked[0].runs.map((run) => run.seed), [0, 1, 2], parameter);
  }
});

Deno.test("sweepValueRuns: parameters in the order their swept cells are first found, declared ones after", () => {
  // Found by mutation round LF (LF16): the declared parameters (not yet swept) come after the
  // swept ones; listed first, they reordered the tables whenever the sweep's cells were found in
  // another order than the plan declares.
  const cells = cellsOf(full, "sensitivity").filter((cell) => cell.dataset.kind === "synthetic");
  const found = cells
    .filter((cell) => cell.sweep === undefined || cell.sweep.parameter === "temperature")
    .map((cell) => ({ cell, result: resultOf(cell.seed) }));
  const parameters = [
    ...new Set(sweepValueRuns(found, full.sweeps).map((point) => point.parameter)),
  ];
  assertEquals(parameters, ["temperature", "rho", "lambda", "warmupEpochs"]);
});

Deno.test("the views select cells by their tags: a planted noise share or a sweep without the tag is not counted", () => {
  // Found by mutation round LF (LF15, LF17): in the plan only noise-level cells carry a noise
  // fraction and only sensitivity cells a sweep, so views that went by the fields passed. The
  // module's contract is the tag.
  const noise = finishedOf(noiseCells);
  // Demure-SASRec's runs only: a second run of both systems at 1000 would leave the gains as they are.
  const untaggedNoise = noiseCells.filter((cell) => cell.systemName === "Demure-SASRec").map((
    cell,
  ) => ({
    cell: { ...cell, key: `${cell.key}+untagged`, experiments: ["ablation" as const] },
    result: resultOf(1000),
  }));
  assertEquals(noiseLevelGains([...untaggedNoise, ...noise]), noiseLevelGains(noise));
  const sweep = cellsOf(full, "sensitivity").filter((cell) => cell.dataset.kind === "synthetic");
  const untaggedSweep = sweep.filter((cell) => cell.sweep !== undefined).map((cell) => ({
    cell: { ...cell, key: `${cell.key}+untagged`, experiments: ["main" as const] },
    result: resultOf(1000),
  }));
  assertEquals(
    sweepValueRuns([...untaggedSweep, ...finishedOf(sweep)]),
    sweepValueRuns(finishedOf(sweep)),
  );
});

Deno.test("noiseLevelCurves: a cell found twice weighs its seed once, as in noiseLevelGains", () => {
  // Found in mutation round LF (review of the views next to LF14): the curves counted every run,
  // the gains one per seed, so a cell listed twice (found from two overlapping cell lists) gave a
  // curve of 6 "seeds" at a level of 5 and moved its mean, while the gain beside it paired 5.
  const noise = finishedOf(noiseCells);
  const again = noise.find(({ cell }) =>
    cell.systemName === "Demure-SASRec" && cell.noiseFraction === 0.5 && cell.seed === 4
  )!;
  const pick = (result: CellResult) => result.test["NDCG@10"];
  const curves = noiseLevelCurves([...noise, { cell: again.cell, result: resultOf(99) }], pick);
  assertEquals(curves, noiseLevelCurves(noise, pick));
  assertEquals(curves[1].stats[1], { mean: 2, std: Math.sqrt(2.5), n: 5 });
  // A first run of a seed without the metric does not hide a later run of it that has one.
  const skipped = (result: CellResult) => result.test["NDCG@10"] === 99 ? undefined : pick(result);
  const withGap = noiseLevelCurves(
    [{ cell: again.cell, result: resultOf(99) }, ...noise],
    skipped,
  );
  // (Found first, Demure-SASRec's curve comes first: systems in the order first seen.)
  assertEquals(withGap[0], curves[1]);
});
