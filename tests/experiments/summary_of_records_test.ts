/**
 * Tables of the committed results of record that a wrong pairing or a duplicate would spoil.
 *
 * The ablation's paired tests compare the right cells: on the committed results of record, every
 * one-component system is tested against SASRec-MM (neither component) and Demure-SASRec (both),
 * and each mean difference is the difference of the two systems' mean test NDCG@10 in the ablation
 * table (every test user is in both, so the mean of per-user differences is that difference).
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { planOfResults } from "../../lib/experiments/selection_record.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { summaryMarkdown } from "../../lib/experiments/markdown_report.ts";
import { designChoiceRows, sensitivityRows, summarise } from "../../lib/experiments/summary.ts";
import type { FinishedCell } from "../../lib/experiments/ensure_cells.ts";
import { noiseLevelGains } from "../../lib/experiments/experiment_views.ts";
import { cellsOf, planExperiments } from "../../lib/experiments/plan.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import type { SelectedConfigurations } from "../../lib/experiments/selection.ts";
import { pairedTTest } from "../../lib/eval/significance.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";

const recordsDir = new URL(`../../${RECORDS_DIR.full}`, import.meta.url).pathname;
const outcome = await runPlan(planOfResults("full", recordsDir), {
  resultsDir: recordsDir,
  runPending: false,
  log: () => {},
});
const summary = summarise(outcome);

Deno.test("ablation paired tests: one-component systems against neither and both, the control against attribution only and neither", () => {
  let checked = 0;
  for (const [label, rows] of Object.entries(summary.ablation)) {
    const meanOf = (system: string) => rows.find((r) => r.system === system)?.test["NDCG@10"].mean;
    const pairs = (systems: string[], references: string[]) =>
      systems.flatMap((system) =>
        references.filter((reference) =>
          meanOf(system) !== undefined && meanOf(reference) !== undefined
        ).map((reference) => `${system} vs ${reference}`)
      );
    const expected = [
      ...pairs(["AttributionOnly-SASRec", "ContrastiveOnly-SASRec"], [
        "SASRec-MM",
        "Demure-SASRec",
      ]),
      ...pairs(["RandomInputMasks-SASRec"], ["AttributionOnly-SASRec", "SASRec-MM"]),
    ];
    const tests = summary.ablationSignificance[label];
    assertEquals(tests.map((t) => `${t.system} vs ${t.baseline}`), expected, label);
    for (const t of tests) {
      assertAlmostEquals(
        t.tTest.meanDifference,
        meanOf(t.system)! - meanOf(t.baseline)!,
        1e-6, // per-user metrics are stored rounded
        `${label}: ${t.system} vs ${t.baseline}`,
      );
      checked++;
    }
  }
  // The records hold both one-component systems and the control on both datasets.
  assertEquals(checked, 12, `${checked} ablation tests in the records`);
});

Deno.test("sensitivity: one row per (dataset, parameter, value), the reference value's included", () => {
  const rows = summary.sensitivity.map((row) => `${row.dataset}/${row.parameter}=${row.value}`);
  assertEquals(rows.length, new Set(rows).size, rows.join(", "));
  // The records hold the synthetic rho sweep at 0.7 and at the reference's 0.3.
  for (const row of ["Synthetic/rho=0.7", "Synthetic/rho=0.3"]) {
    assertEquals(rows.includes(row), true, rows.join(", "));
  }
  // MovieLens sweeps lambda and the warm-up; its selected values' rows are the main table's cells.
  assertEquals(
    new Set(summary.sensitivity.filter((r) => r.dataset === "MovieLens").map((r) => r.parameter)),
    new Set(["lambda", "warmupEpochs"]),
  );
  const testOf = (key: string) => outcome.byKey.get(key)!.test["NDCG@10"];
  for (const dataset of ["Synthetic", "MovieLens"]) {
    const own = summary.sensitivity.filter((row) => row.dataset === dataset);
    const selected = own.filter((row) => row.selected);
    const main = (seed: number) => testOf(`full/${dataset}/Demure-SASRec/seed=${seed}`);
    // One selected row per swept parameter, all the main cells at the sweep's seeds, each once
    // (on the synthetic data three sweep cells per seed are that run again).
    const sweepSeeds = outcome.plan.datasets[dataset === "MovieLens" ? "movielens" : "synthetic"]
      .seeds.slice(0, 3).filter((seed) =>
        outcome.byKey.has(`full/${dataset}/Demure-SASRec/seed=${seed}`)
      );
    assertEquals(selected.length, new Set(own.map((row) => row.parameter)).size, dataset);
    for (const row of selected) {
      assertEquals(row.seeds, sweepSeeds, dataset);
      assertAlmostEquals(
        row.test.mean,
        sweepSeeds.reduce((sum, seed) => sum + main(seed), 0) / sweepSeeds.length,
        1e-12,
      );
    }
    // Each row's difference is paired by seed with the main cell.
    for (const row of own.filter((row) => !row.selected)) {
      const key = (seed: number) =>
        `full/${dataset}/Demure-SASRec[${row.parameter}=${row.value}]/seed=${seed}`;
      assertEquals(row.pairedSeeds, row.seeds.filter((seed) => sweepSeeds.includes(seed)));
      const differences = row.pairedSeeds.map((seed) => testOf(key(seed)) - main(seed));
      assertAlmostEquals(
        row.testVsSelected!,
        differences.reduce((a, b) => a + b, 0) / differences.length,
        1e-12,
        `${dataset} ${row.parameter}=${row.value}`,
      );
    }
  }
});

Deno.test("markdown: one sensitivity table per dataset, each with its own rows", () => {
  const markdown = summaryMarkdown(summary);
  const titles = [...markdown.matchAll(/^#+ Sensitivity: (\S+) /gm)].map((m) => m[1]);
  assertEquals(titles, ["Synthetic", "MovieLens"]);
  const tableOf = (dataset: string) =>
    markdown.split(`Sensitivity: ${dataset} `)[1].split("\n\n")[1].split("\n").slice(2);
  const movielens = tableOf("MovieLens");
  assertEquals(
    movielens.length,
    summary.sensitivity.filter((r) => r.dataset === "MovieLens").length,
  );
  for (const line of movielens) {
    assertEquals(/^\| (lambda|warmupEpochs) \| /.test(line), true, line);
  }
  assertEquals(tableOf("MovieLens").some((line) => line.includes("(selected)")), true);
  assertEquals(tableOf("Synthetic").filter((line) => line.startsWith("| rho | ")).length, 3);
});

Deno.test("sensitivity rows: means over seeds, each seed once, differences paired by seed", () => {
  const selected = JSON.parse(
    Deno.readTextFileSync(`${recordsDir}/selected.json`),
  ) as SelectedConfigurations;
  const plan = planExperiments("full", undefined, { selected });
  const result = (test: number, valid = test / 2) =>
    ({ test: { "NDCG@10": test }, valid: { "NDCG@10": valid } }) as unknown as CellResult;
  const at = (part: string, seed: number, test: number): FinishedCell => ({
    cell: plan.cells.find((cell) =>
      cell.key === `full/Synthetic/Demure-SASRec${part}/seed=${seed}`
    )!,
    result: result(test),
  });
  // The selected configuration (rho 0.3, lambda 0.02, temperature 0.1) scores 0.1, 0.2, 0.3 at
  // seeds 0, 1, 2: the main cells at seeds 0 and 1 and the sweep's cells at the selected values,
  // the same runs, at seeds 0 and 1 (at seed 0 one of them off, to see which one counts). At
  // seed 2 the main cell has not finished: the sweep's rho=0.3 cell stands in.
  const selectedRuns = [
    at("", 0, 0.1),
    at("", 1, 0.2),
    at("[rho=0.3]", 0, 0.9),
    at("[rho=0.3]", 1, 0.2),
    at("[rho=0.3]", 2, 0.3),
    at("[lambda=0.02]", 0, 0.1),
    at("[lambda=0.02]", 1, 0.2),
    at("[temperature=0.1]", 1, 0.2),
  ];
  const rows = sensitivityRows(plan, [
    ...selectedRuns,
    ...[0.12, 0.25, 0.31].map((test, seed) => at("[rho=0.7]", seed, test)),
    // At seeds 1 and 2 only: paired, -0.045 (unpaired it would be 0.205 - 0.2 = +0.005).
    at("[rho=0.5]", 1, 0.15),
    at("[rho=0.5]", 2, 0.26),
    at("[temperature=0.5]", 0, 0.07),
  ]);
  assertEquals(rows.map((row) => `${row.parameter}=${row.value} ${row.seeds}`), [
    "lambda=0.02 0,1,2",
    "rho=0.3 0,1,2",
    "rho=0.5 1,2",
    "rho=0.7 0,1,2",
    "temperature=0.1 0,1,2",
    "temperature=0.5 0",
    // Declared, none of its other values finished: the selected value's row alone.
    "warmupEpochs=2 0,1,2",
  ]);
  const row = (name: string) => rows.find((r) => `${r.parameter}=${r.value}` === name)!;
  for (const name of ["lambda=0.02", "rho=0.3", "temperature=0.1", "warmupEpochs=2"]) {
    const own = row(name);
    assertEquals([own.selected, own.test.n, own.testVsSelected, own.tTest], [
      true,
      3,
      0,
      undefined,
    ]);
    assertAlmostEquals(own.test.mean, 0.2, 1e-12, name);
    assertAlmostEquals(own.test.std, 0.1, 1e-12, name);
    assertAlmostEquals(own.valid.mean, 0.1, 1e-12, name);
  }
  const rho07 = row("rho=0.7");
  assertAlmostEquals(rho07.test.mean, (0.12 + 0.25 + 0.31) / 3, 1e-12);
  assertAlmostEquals(rho07.testVsSelected!, (0.02 + 0.05 + 0.01) / 3, 1e-12);
  assertEquals(rho07.tTest, pairedTTest([0.12, 0.25, 0.31], [0.1, 0.2, 0.3]));
  assertEquals(rho07.tTest!.n, 3);
  const rho05 = row("rho=0.5");
  assertEquals(rho05.pairedSeeds, [1, 2]);
  assertAlmostEquals(rho05.testVsSelected!, -0.045, 1e-12);
  assertEquals(rho05.tTest, pairedTTest([0.15, 0.26], [0.2, 0.3]));
  // One seed: no spread (std 0, n 1) and no test; the difference is that seed's.
  const temperature = row("temperature=0.5");
  assertEquals([temperature.test.n, temperature.test.std, temperature.tTest], [1, 0, undefined]);
  assertAlmostEquals(temperature.testVsSelected!, 0.07 - 0.1, 1e-12);
  assertEquals(row("rho=0.7").selected || row("rho=0.5").selected, false);
});

Deno.test("design choices of the records: each row pairs the flipped cells with the main cells", () => {
  const testOf = (key: string) => outcome.byKey.get(key)!.test["NDCG@10"];
  assertEquals(summary.designChoices.length, 6);
  for (const row of summary.designChoices) {
    const choice = outcome.plan.cells.find((c) =>
      c.datasetLabel === row.dataset && c.designChoice?.name === row.choice
    )!.designChoice!;
    const flipped = row.seeds.map((seed) =>
      testOf(`full/${row.dataset}/Demure-SASRec[${choice.key}]/seed=${seed}`)
    );
    const main = row.seeds.map((seed) => testOf(`full/${row.dataset}/Demure-SASRec/seed=${seed}`));
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    assertAlmostEquals(row.flipped.test.mean, mean(flipped), 1e-12, row.choice);
    assertAlmostEquals(row.selected.test.mean, mean(main), 1e-12, row.choice);
    assertAlmostEquals(row.testVsSelected, mean(flipped) - mean(main), 1e-12, row.choice);
    assertEquals(row.flipped.bestEpochs.length, row.seeds.length);
  }
});

Deno.test("design-choice rows: means over the paired seeds, differences and t-test by seed", () => {
  const selected = JSON.parse(
    Deno.readTextFileSync(`${recordsDir}/selected.json`),
  ) as SelectedConfigurations;
  const plan = planExperiments("full", undefined, { selected });
  const at = (label: string, part: string, seed: number, test: number): FinishedCell => ({
    cell: plan.cells.find((cell) =>
      cell.key === `full/${label}/Demure-SASRec${part}/seed=${seed}`
    )!,
    result: {
      test: { "NDCG@10": test },
      valid: { "NDCG@10": test / 2 },
      bestEpoch: 10 + seed,
    } as unknown as CellResult,
  });
  const rows = designChoiceRows([
    // The selected configuration (main cells): 0.1, 0.2, 0.3 at seeds 0-2 on the synthetic data,
    // and 0.9 at seed 3, where no design choice runs (it must count nowhere).
    ...[0.1, 0.2, 0.3, 0.9].map((test, seed) => at("Synthetic", "", seed, test)),
    at("MovieLens", "", 0, 0.08),
    // Differences +0.02, -0.02, +0.03: mean +0.01.
    ...[0.12, 0.18, 0.33].map((test, seed) => at("Synthetic", "[granularity=pair]", seed, test)),
    // Seeds 1 and 2 only: paired with 0.2 and 0.3, +0.005 (against every main seed: +0.055).
    at("Synthetic", "[noiseViewAsNegative=false]", 1, 0.25),
    at("Synthetic", "[noiseViewAsNegative=false]", 2, 0.26),
    // MovieLens' main cell has finished at seed 0 only: the seed-1 run has no pair.
    at("MovieLens", "[denoiseInput=flipped]", 0, 0.07),
    at("MovieLens", "[denoiseInput=flipped]", 1, 0.5),
    // No pair at all: no row.
    at("MovieLens", "[granularity=pair]", 2, 0.09),
  ]);
  assertEquals(rows.map((row) => `${row.dataset} ${row.seeds}`), [
    "Synthetic 0,1,2",
    "Synthetic 1,2",
    "MovieLens 0",
  ]);
  const [pair, negative, movielens] = rows;
  assertEquals(pair.choice, "noise per (position, modality)");
  assertAlmostEquals(pair.selected.test.mean, 0.2, 1e-12);
  assertAlmostEquals(pair.selected.test.std, 0.1, 1e-12);
  assertAlmostEquals(pair.selected.valid.mean, 0.1, 1e-12);
  assertAlmostEquals(pair.flipped.test.mean, 0.21, 1e-12);
  assertAlmostEquals(pair.flipped.valid.mean, 0.105, 1e-12);
  assertEquals(pair.flipped.test.n, 3);
  assertAlmostEquals(pair.testVsSelected, 0.01, 1e-12);
  assertEquals(pair.tTest, pairedTTest([0.12, 0.18, 0.33], [0.1, 0.2, 0.3]));
  assertEquals(pair.flipped.bestEpochs, [10, 11, 12]);
  assertAlmostEquals(negative.selected.test.mean, 0.25, 1e-12);
  assertAlmostEquals(negative.flipped.test.mean, 0.255, 1e-12);
  assertAlmostEquals(negative.testVsSelected, 0.005, 1e-12);
  assertEquals(negative.tTest, pairedTTest([0.25, 0.26], [0.2, 0.3]));
  // One pair: no spread, no test; the difference is that seed's.
  assertEquals(movielens.choice.startsWith("L_rec on the"), true, movielens.choice);
  assertEquals([movielens.flipped.test.n, movielens.flipped.test.std, movielens.tTest], [
    1,
    0,
    undefined,
  ]);
  assertAlmostEquals(movielens.testVsSelected, 0.07 - 0.08, 1e-12);
  assertEquals(movielens.flipped.bestEpochs, [10]);
});

Deno.test("markdown: the design-choice table shows seeds, paired differences and p", () => {
  const markdown = summaryMarkdown(summary);
  const table = markdown.split("Design choices of Demure-SASRec")[1].split("\n\n")[1].split("\n");
  assertEquals(table[0].includes("| seeds |"), true, table[0]);
  assertEquals(table[0].includes("paired t-test p"), true, table[0]);
  assertEquals(table.length - 2, summary.designChoices.length);
  for (const [i, row] of summary.designChoices.entries()) {
    assertEquals(
      table[i + 2].startsWith(`| ${row.dataset} | ${row.choice} | ${row.seeds.join(", ")} |`),
      true,
    );
  }
});

Deno.test("noise-level gains of the records: paired by seed, they match the README's gains", () => {
  const found = cellsOf(outcome.plan, "noise_level").flatMap((cell) => {
    const result = outcome.byKey.get(cell.key);
    return result ? [{ cell, result }] : [];
  });
  const gains = noiseLevelGains(found);
  // Both systems finished the same seeds at every level: 3 at 0.25 and 0.75, 5 at 0.5.
  assertEquals(gains.map((gain) => `${gain.seeds.length} at ${gain.fraction}`), [
    "3 at 0.25",
    "5 at 0.5",
    "3 at 0.75",
  ]);
  for (const gain of gains) {
    assertEquals(gain.unpaired, { system: [], baseline: [] });
    // With the same seeds on both sides the mean of the paired differences is the difference of
    // the means, the gain the README's noise-level table reports.
    const row = summary.noiseLevel.find((level) => level.noiseFraction === gain.fraction)!;
    assertAlmostEquals(gain.stats.mean, row.gain, 1e-12);
  }
  assertEquals(gains.map((gain) => gain.stats.mean.toFixed(4)), ["-0.0014", "0.0044", "0.0002"]);
});

Deno.test("noise-level rows of a partial run: the gain pairs by seed, the means take every finished seed", () => {
  // One Demure-SASRec seed missing at 0.5: the difference of the two means mixed five baseline
  // seeds with four of Demure's (0.00612 against the paired 0.00404; mutation round IK).
  const missing = cellsOf(outcome.plan, "noise_level").find((cell) =>
    cell.systemName === "Demure-SASRec" && cell.noiseFraction === 0.5 && cell.seed === 4
  )!;
  const byKey = new Map(outcome.byKey);
  assert(byKey.delete(missing.key), "the records hold the cell");
  const partial = summarise({ ...outcome, byKey });
  const found = cellsOf(outcome.plan, "noise_level").flatMap((cell) => {
    const result = byKey.get(cell.key);
    return result ? [{ cell, result }] : [];
  });
  const paired = noiseLevelGains(found).find((gain) => gain.fraction === 0.5)!;
  assertEquals(paired.unpaired, { system: [], baseline: [4] });
  const row = partial.noiseLevel.find((level) => level.noiseFraction === 0.5)!;
  assertAlmostEquals(row.gain, paired.stats.mean, 1e-12);
  assertEquals(row.gain.toFixed(5), "0.00404");
  assertEquals([row.multiModal.n, row.demure.n], [5, 4]);
  assert(Math.abs(row.demure.mean - row.multiModal.mean - row.gain) > 1e-3);
});

Deno.test("records marked as ending with their backbone's weights read exactly their backbone's test numbers", () => {
  const keys = summary.convergence.backboneWeightsKeys;
  assert(keys.length > 0, "the records hold such runs (Synthetic Demure-GRU4Rec, seeds 0, 1, 3)");
  const cellOf = new Map(outcome.plan.cells.map((c) => [c.key, c]));
  const mainCells = outcome.plan.cells.filter((c) => c.experiments.includes("main"));
  const backboneOf: Record<string, string> = {
    "Demure-SASRec": "SASRec-MM",
    "Demure-GRU4Rec": "GRU4Rec-MM",
  };
  let compared = 0;
  for (const key of keys) {
    const cell = cellOf.get(key)!;
    const backbone = backboneOf[cell.systemName];
    // The main table's cells: the backbone at the same dataset and seed trains at the settings the
    // Demure cell inherited, so its weights, and test numbers, are the same.
    if (cell.experiments.includes("main") && backbone !== undefined) {
      const twin = mainCells.find((c) =>
        c.systemName === backbone && c.datasetLabel === cell.datasetLabel && c.seed === cell.seed
      )!;
      assertEquals(
        outcome.byKey.get(key)!.test,
        outcome.byKey.get(twin.key)!.test,
        `${key} against ${twin.key}`,
      );
      compared++;
    }
  }
  assertEquals(compared, 3, "Synthetic Demure-GRU4Rec's seeds 0, 1 and 3");
  assert(summaryMarkdown(summary).includes("24 (w), 29 (w), 41, 30 (w), 50"));
});

Deno.test("selection tables of the records: each trial's validation NDCG@10, the chosen trial marked", () => {
  const selected = JSON.parse(
    Deno.readTextFileSync(`${recordsDir}/selected.json`),
  ) as SelectedConfigurations;
  const trials = cellsOf(outcome.plan, "selection");
  assertEquals(summary.selection.length, 12);
  for (const table of summary.selection) {
    const label = `${table.dataset}/${table.system}`;
    for (const row of table.rows) {
      const trial = trials.find((c) =>
        c.datasetLabel === table.dataset && c.systemKey === table.system &&
        c.trial!.index === row.trial
      )!;
      // The column selection reads: validation, never the trial's test number.
      assertEquals(row.valid, outcome.byKey.get(trial.key)!.valid["NDCG@10"], label);
    }
    assertEquals(
      table.rows.filter((row) => row.chosen).map((row) => row.trial),
      [selected[table.dataset][table.system].trial],
      label,
    );
  }
});

Deno.test("main-table tests of the records: each pair once, every Demure model against its backbone", () => {
  // A table per dataset of the plan's main cells: the loop below passed a summary that dropped one.
  const planned = new Set(cellsOf(outcome.plan, "main").map((cell) => cell.datasetLabel));
  assertEquals(Object.keys(summary.main).sort(), [...planned].sort());
  assertEquals(planned.size, 2, "the records' main tables: synthetic and MovieLens");
  for (const [label, { significance }] of Object.entries(summary.main)) {
    const pairs = significance.map((t) => `${t.system} vs ${t.baseline}`);
    // On the synthetic data the strongest baseline of Demure-GRU4Rec is its own backbone.
    assertEquals(new Set(pairs).size, pairs.length, `${label}: ${pairs}`);
    for (const pair of ["Demure-SASRec vs SASRec-MM", "Demure-GRU4Rec vs GRU4Rec-MM"]) {
      assert(pairs.includes(pair), `${label}: ${pair}`);
    }
  }
});

Deno.test("noise-level rows of the records: one per planted noise share, in increasing order", () => {
  const planned = cellsOf(outcome.plan, "noise_level").map((cell) => cell.noiseFraction!);
  // The plan lists the default fraction first: the rows must still ascend.
  assertEquals(
    summary.noiseLevel.map((row) => row.noiseFraction),
    [...new Set(planned)].sort((a, b) => a - b),
  );
});

Deno.test("diagnosis of the records: the curves are each system's first seed's", () => {
  assert(summary.diagnosis.length > 0);
  for (const diagnosis of summary.diagnosis) {
    for (const curves of diagnosis.curves) {
      const seeds = cellsOf(outcome.plan, "main").filter((cell) =>
        cell.datasetLabel === diagnosis.dataset && cell.systemName === curves.system &&
        outcome.byKey.has(cell.key)
      ).map((cell) => cell.seed);
      assert(seeds.length > 1, `${diagnosis.dataset} ${curves.system}: ${seeds}`);
      assertEquals(curves.seed, Math.min(...seeds), `${diagnosis.dataset} ${curves.system}`);
    }
  }
});

Deno.test("convergence: a diverged run counts neither as a neural run nor as cap-bound", () => {
  const main = cellsOf(outcome.plan, "main").find((cell) =>
    cell.system.kind === "neural" && outcome.byKey.has(cell.key)
  )!;
  const byKey = new Map(outcome.byKey);
  byKey.set(main.key, {
    ...outcome.byKey.get(main.key)!,
    diverged: "L_rec is Infinity at epoch 3, step 4",
    capBound: true,
  });
  const convergence = summarise({ ...outcome, byKey }).convergence;
  assertEquals(convergence.neuralCells, summary.convergence.neuralCells - 1);
  assertEquals(convergence.capBoundKeys.includes(main.key), false);
  assertEquals(convergence.capBound, summary.convergence.capBound);
});

Deno.test("convergence of the records: the latest best epoch, and a cap-bound run counted where it ran", () => {
  const neural = cellsOf(outcome.plan, "main").filter((cell) =>
    cell.system.kind === "neural" && outcome.byKey.has(cell.key)
  );
  const allNeural = outcome.plan.cells.filter((cell) =>
    cell.system.kind === "neural" && outcome.byKey.has(cell.key)
  );
  // The best epoch, not the epochs run (patience ran on past it).
  assertEquals(
    summary.convergence.maxBestEpoch,
    Math.max(...allNeural.map((cell) => outcome.byKey.get(cell.key)!.bestEpoch)),
  );
  const main = neural[0];
  const byKey = new Map(outcome.byKey);
  byKey.set(main.key, { ...outcome.byKey.get(main.key)!, capBound: true });
  const capped = summarise({ ...outcome, byKey });
  assertEquals(capped.convergence.capBound, summary.convergence.capBound + 1);
  assert(capped.convergence.capBoundKeys.includes(main.key));
  const rowOf = (s: typeof summary) =>
    s.main[main.datasetLabel].rows.find((row) => row.system === main.systemName)!;
  assertEquals(rowOf(capped).capBound, rowOf(summary).capBound + 1);
});

Deno.test("summarise before any cell finished: empty tables, no loss named, the latest best epoch 0", () => {
  const empty = summarise({ ...outcome, byKey: new Map() });
  assertEquals(
    [empty.cells, empty.totalTrainSeconds, empty.noiseLevel, empty.designChoices],
    [0, 0, [], []],
  );
  // Math.max of no epoch is -Infinity, which a report would print as the best epoch.
  assertEquals(empty.convergence.maxBestEpoch, 0);
  assertEquals([empty.convergence.neuralCells, empty.convergence.capBound], [0, 0]);
  assertEquals(empty.convergence.minCap, summary.convergence.minCap);
  assert(empty.protocol[2].startsWith("training loss: n/a;"), empty.protocol[2]);
  for (const [label, table] of Object.entries(empty.main)) {
    assertEquals([table.rows, table.significance], [[], []], label);
  }
});

Deno.test("selection tables: a diverged trial keeps its row, marked diverged, and counts as finished", () => {
  const trial = cellsOf(outcome.plan, "selection").find((cell) => outcome.byKey.has(cell.key))!;
  const byKey = new Map(outcome.byKey);
  byKey.set(trial.key, { ...outcome.byKey.get(trial.key)!, diverged: "L_rec is NaN at epoch 2" });
  const tableOf = (s: typeof summary) =>
    s.selection.find((t) => t.dataset === trial.datasetLabel && t.system === trial.systemKey)!;
  const diverged = tableOf(summarise({ ...outcome, byKey }));
  assertEquals(diverged.finished, tableOf(summary).finished);
  const row = diverged.rows.find((r) => r.trial === trial.trial!.index)!;
  assertEquals(row.diverged, true);
  assertEquals(tableOf(summary).rows.find((r) => r.trial === trial.trial!.index)!.diverged, false);
});

Deno.test("main rows of the records: best epochs and cap-bound count only the neural runs", () => {
  const pop = cellsOf(outcome.plan, "main").filter((cell) =>
    cell.systemName === "Pop" && outcome.byKey.has(cell.key)
  );
  assert(pop.length > 0);
  // A non-neural record marked cap-bound still counts nowhere: it has no epochs.
  const byKey = new Map(outcome.byKey);
  for (const cell of pop) byKey.set(cell.key, { ...outcome.byKey.get(cell.key)!, capBound: true });
  const marked = summarise({ ...outcome, byKey });
  for (const [label, { rows }] of Object.entries(marked.main)) {
    for (const row of rows) {
      const neural = cellsOf(outcome.plan, "main").filter((cell) =>
        cell.datasetLabel === label && cell.systemName === row.system &&
        cell.system.kind === "neural" && outcome.byKey.has(cell.key)
      );
      assertEquals(
        row.bestEpochs,
        neural.map((cell) => outcome.byKey.get(cell.key)!.bestEpoch),
        `${label} ${row.system}`,
      );
    }
    const popRow = rows.find((row) => row.system === "Pop")!;
    assertEquals([popRow.bestEpochs, popRow.capBound], [[], 0], label);
  }
});

Deno.test("convergence: the smallest epoch cap is the least of the datasets' caps", () => {
  const { datasets } = outcome.plan;
  const plan = {
    ...outcome.plan,
    datasets: { ...datasets, movielens: { ...datasets.movielens, maxEpochs: 150 } },
  };
  assertEquals(summarise({ ...outcome, plan }).convergence.minCap, 150);
});

Deno.test("diagnosis of the records: the popularity buckets show SASRec-MM and Demure-SASRec only, as cold start has them", () => {
  for (const diagnosis of summary.diagnosis) {
    const buckets = summary.coldStart[diagnosis.dataset];
    assertEquals(diagnosis.popularity.length, buckets.length);
    diagnosis.popularity.forEach((bucket, i) => {
      assertEquals(Object.keys(bucket.bySystem).sort(), ["Demure-SASRec", "SASRec-MM"]);
      assertEquals(bucket.bySystem["SASRec-MM"], buckets[i].bySystem["SASRec-MM"]);
      assertEquals(bucket.bySystem["Demure-SASRec"], buckets[i].bySystem["Demure-SASRec"]);
    });
  }
});

Deno.test("the other ranking's table of the records: means over seeds of each run's other-ranking test metrics", () => {
  assert(Object.keys(summary.otherRanking).length > 0);
  for (const [label, table] of Object.entries(summary.otherRanking)) {
    for (const row of table.rows) {
      const values = cellsOf(outcome.plan, "main").flatMap((cell) => {
        const result = outcome.byKey.get(cell.key);
        return cell.datasetLabel === label && cell.systemName === row.system && result
          ? [result.testOtherRanking!.metrics["NDCG@10"]]
          : [];
      });
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      assertAlmostEquals(row.test["NDCG@10"].mean, mean, 1e-12, `${label} ${row.system}`);
    }
    // Not the main table's numbers under the default ranking.
    const main = summary.main[label].rows.find((r) => r.system === "SASRec-MM")!;
    const other = table.rows.find((r) => r.system === "SASRec-MM")!;
    assert(main.test["NDCG@10"].mean !== other.test["NDCG@10"].mean, label);
  }
});

Deno.test("selection tables: the budget is the trials planned, the finished ones counted apart", () => {
  const trial = cellsOf(outcome.plan, "selection").find((cell) => outcome.byKey.has(cell.key))!;
  const byKey = new Map(outcome.byKey);
  byKey.delete(trial.key);
  const tableOf = (s: typeof summary) =>
    s.selection.find((t) => t.dataset === trial.datasetLabel && t.system === trial.systemKey)!;
  const before = tableOf(summary);
  const after = tableOf(summarise({ ...outcome, byKey }));
  assertEquals([after.budget, after.finished], [before.budget, before.finished - 1]);
  assertEquals(before.budget, before.finished);
});

Deno.test("main-table tests of the records: a Demure model is never the strongest 'baseline' of another", () => {
  // Demure-GRU4Rec made the best on validation everywhere: still not a baseline.
  const byKey = new Map(outcome.byKey);
  for (const cell of cellsOf(outcome.plan, "main")) {
    const result = outcome.byKey.get(cell.key);
    if (cell.systemName !== "Demure-GRU4Rec" || !result) continue;
    byKey.set(cell.key, { ...result, valid: { ...result.valid, "NDCG@10": 1 } });
  }
  for (const [label, { significance }] of Object.entries(summarise({ ...outcome, byKey }).main)) {
    for (const t of significance) {
      assert(!t.baseline.startsWith("Demure-"), `${label}: ${t.system} vs ${t.baseline}`);
    }
  }
});

Deno.test("summary of the records: the protocol says sample std over seeds, per-user tests; the training time is every finished cell's", () => {
  assertEquals(
    summary.protocol[4],
    "mean ± sample standard deviation (n − 1) over seeds; two-sided paired t-test and " +
      "Wilcoxon signed-rank test (users with equal values left out) on per-user test NDCG@10 " +
      "averaged over seeds, and a two-sided t-test paired by seed; no correction for multiple " +
      "comparisons",
  );
  const finished = outcome.plan.cells.flatMap((cell) => {
    const result = outcome.byKey.get(cell.key);
    return result ? [result.trainSeconds] : [];
  });
  assert(finished.length > cellsOf(outcome.plan, "main").length);
  assertAlmostEquals(summary.totalTrainSeconds, finished.reduce((s, v) => s + v, 0), 1e-6);
});

Deno.test("sensitivity rows: a value's mean is over all its seeds, the paired difference over the seeds the selected configuration has too", () => {
  const selected = JSON.parse(
    Deno.readTextFileSync(`${recordsDir}/selected.json`),
  ) as SelectedConfigurations;
  const plan = planExperiments("full", undefined, { selected });
  const at = (part: string, seed: number, test: number): FinishedCell => ({
    cell: plan.cells.find((cell) =>
      cell.key === `full/Synthetic/Demure-SASRec${part}/seed=${seed}`
    )!,
    result: { test: { "NDCG@10": test }, valid: { "NDCG@10": test } } as unknown as CellResult,
  });
  // The selected configuration finished at seeds 0 and 1 only; rho 0.7 at seeds 0, 1 and 2.
  const rows = sensitivityRows(plan, [
    at("", 0, 0.1),
    at("", 1, 0.2),
    ...[0.12, 0.25, 0.4].map((test, seed) => at("[rho=0.7]", seed, test)),
  ]);
  const rho07 = rows.find((r) => r.parameter === "rho" && r.value === 0.7)!;
  assertEquals([rho07.seeds, rho07.pairedSeeds, rho07.test.n], [[0, 1, 2], [0, 1], 3]);
  assertAlmostEquals(rho07.test.mean, (0.12 + 0.25 + 0.4) / 3, 1e-12);
  // Validation too is over every seed of the value, not the paired ones (mutation round OG43).
  assertEquals(rho07.valid.n, 3);
  assertAlmostEquals(rho07.valid.mean, (0.12 + 0.25 + 0.4) / 3, 1e-12);
  assertAlmostEquals(rho07.testVsSelected!, (0.02 + 0.05) / 2, 1e-12);
  assertEquals(rho07.tTest, pairedTTest([0.12, 0.25], [0.1, 0.2]));
  // By hand: d = 0.02, 0.05, mean 0.035, sample std 0.03 / sqrt(2), t = 0.035 / 0.015 = 7 / 3;
  // one degree of freedom: two-sided p = 1 - (2 / pi) atan(|t|) = 0.2578.
  assertAlmostEquals(rho07.tTest!.statistic, 7 / 3, 1e-9);
  assertAlmostEquals(rho07.tTest!.pValue, 1 - (2 / Math.PI) * Math.atan(7 / 3), 1e-9);
});

Deno.test("main tables of the records: the synthetic benchmark first, then MovieLens, whatever the cells' order", () => {
  const cells = [
    ...outcome.plan.cells.filter((cell) => cell.datasetLabel === "MovieLens"),
    ...outcome.plan.cells.filter((cell) => cell.datasetLabel !== "MovieLens"),
  ];
  const reordered = summarise({ ...outcome, plan: { ...outcome.plan, cells } });
  assertEquals(Object.keys(reordered.main), ["Synthetic", "MovieLens"]);
});

Deno.test("main-table tests of the records: each Demure model against the strongest baseline first, then its backbone", () => {
  assertEquals(summary.main["MovieLens"].significance.map((t) => `${t.system} vs ${t.baseline}`), [
    "Demure-SASRec vs SASRec-MM",
    "Demure-GRU4Rec vs SASRec-MM",
    "Demure-GRU4Rec vs GRU4Rec-MM",
  ]);
});

Deno.test("diagnosis: a dataset where Demure-SASRec has no finished main run has none, the others keep theirs", () => {
  const byKey = new Map(outcome.byKey);
  for (const cell of cellsOf(outcome.plan, "main")) {
    if (cell.datasetLabel === "MovieLens" && cell.systemName === "Demure-SASRec") {
      byKey.delete(cell.key);
    }
  }
  const diagnosed = summarise({ ...outcome, byKey }).diagnosis.map((d) => d.dataset);
  assertEquals(diagnosed, summary.diagnosis.map((d) => d.dataset).filter((l) => l !== "MovieLens"));
  assertEquals(diagnosed.length, summary.diagnosis.length - 1);
});
