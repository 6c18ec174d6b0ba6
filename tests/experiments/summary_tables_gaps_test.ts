/**
 * Gaps in the tests of lib/experiments/summary.ts found by mutation round OG: which cells each
 * table reads, and the second branch of each condition (a table with a cell missing or extra).
 */
import { assert, assertEquals } from "@std/assert";
import { designChoiceRows, summarise } from "../../lib/experiments/summary.ts";
import { cellsOf } from "../../lib/experiments/plan.ts";
import { modalityNoiseRates } from "../../lib/demure/noise_rates.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import { recordsOutcome } from "./_records_summary.ts";

const outcome = await recordsOutcome();
const summary = summarise(outcome);
const { plan } = outcome;

function withResults(change: (byKey: Map<string, CellResult>) => void) {
  const byKey = new Map(outcome.byKey);
  change(byKey);
  return summarise({ ...outcome, byKey });
}

function withCells(change: (cell: PlannedCell) => PlannedCell) {
  return summarise({ ...outcome, plan: { ...plan, cells: plan.cells.map(change) } });
}

/** The records' main Demure-SASRec cell of `dataset` and `seed` (a diagnosis's curves), and its result. */
function demureCellOf(dataset: string, seed: number): { cell: PlannedCell; result: CellResult } {
  const cell = cellsOf(plan, "main").find((c) =>
    c.datasetLabel === dataset && c.systemName === "Demure-SASRec" && c.seed === seed
  )!;
  return { cell, result: outcome.byKey.get(cell.key)! };
}

const trials = cellsOf(plan, "selection").filter((cell) => outcome.byKey.has(cell.key));
const firstTrial = trials[0];
const tableOf = (s: typeof summary) =>
  s.selection.find((t) =>
    t.dataset === firstTrial.datasetLabel && t.system === firstTrial.systemKey
  )!;

Deno.test("selection tables: nothing selected yet marks no trial chosen (not trial 0)", () => {
  assert(tableOf(summary).rows.some((row) => row.chosen));
  const unselected = summarise({ ...outcome, plan: { ...plan, selected: {} } });
  for (const table of unselected.selection) {
    assertEquals(table.rows.filter((row) => row.chosen), [], `${table.dataset} ${table.system}`);
  }
});

Deno.test("selection tables: a trial's own best epoch, cap-bound mark and backbone weights", () => {
  const result = outcome.byKey.get(firstTrial.key)!;
  const marked = withResults((byKey) =>
    byKey.set(firstTrial.key, {
      ...result,
      bestEpoch: 2,
      epochsRun: 9,
      capBound: true,
      demure: { ...(result.demure ?? { pairsByModality: {} }), warmupEndedAfterEpoch: 3 },
    } as CellResult)
  );
  const row = tableOf(marked).rows.find((r) => r.trial === firstTrial.trial!.index)!;
  assertEquals(
    [row.bestEpoch, row.epochsRun, row.capBound, row.backboneWeights],
    [2, 9, true, true],
  );
});

Deno.test("selection tables: a trial without a search point reads 'defaults', whatever its inherited config", () => {
  const changed = withCells((cell) =>
    cell.key === firstTrial.key
      ? { ...cell, trial: { ...cell.trial!, point: undefined }, config: { learningRate: 0.123 } }
      : cell
  );
  const row = tableOf(changed).rows.find((r) => r.trial === firstTrial.trial!.index)!;
  assertEquals(row.settings, "defaults");
});

Deno.test("selection tables: trials waiting for another selection say so, not the inherited config", () => {
  const id = firstTrial.trial!.selection;
  const waiting = withCells((cell) =>
    cell.trial?.selection === id ? { ...cell, waitsFor: ["SASRec-MM", "GRU4Rec-MM"] } : cell
  );
  assertEquals(
    tableOf(waiting).inherited,
    "the selected lr and dropout of SASRec-MM, GRU4Rec-MM (not selected yet)",
  );
});

Deno.test("main rows: backbone-weight marks only for neural runs, one per best epoch", () => {
  for (const [label, { rows }] of Object.entries(summary.main)) {
    for (const row of rows) {
      assertEquals(row.backboneWeights.length, row.bestEpochs.length, `${label} ${row.system}`);
    }
    assertEquals(rows.find((row) => row.system === "Pop")!.backboneWeights, [], label);
  }
});

Deno.test("diagnosis: SASRec-MM's curves then Demure-SASRec's, each from its own record", () => {
  for (const diagnosis of summary.diagnosis) {
    assertEquals(diagnosis.curves.map((c) => c.system), ["SASRec-MM", "Demure-SASRec"]);
    const demure = diagnosis.curves[1];
    const { result } = demureCellOf(diagnosis.dataset, demure.seed);
    assertEquals(demure.recommendationLoss, result.history.map((h) => h.recommendationLoss));
    assertEquals(demure.auxiliaryLoss, result.history.map((h) => h.auxiliaryLoss));
    assertEquals(diagnosis.noiseRates, modalityNoiseRates(result.demure!));
  }
});

Deno.test("diagnosis: an epoch without validation reads NaN, a warm-up ended after epoch 0 is kept", () => {
  const diagnosis = summary.diagnosis[0];
  const { cell, result } = demureCellOf(diagnosis.dataset, diagnosis.curves[1].seed);
  const changed = withResults((byKey) =>
    byKey.set(cell.key, {
      ...result,
      history: result.history.map((h, i) => i === 0 ? { ...h, validation: undefined } : h),
      demure: { ...result.demure!, warmupEndedAfterEpoch: 0 },
    } as CellResult)
  );
  const curves = changed.diagnosis.find((d) => d.dataset === diagnosis.dataset)!.curves[1];
  assert(Number.isNaN(curves.validNdcg[0]), String(curves.validNdcg[0]));
  assertEquals(curves.warmupEndedAfterEpoch, 0);
});

Deno.test("budgets and the smallest cap: a dataset setting with no planned cell is left out", () => {
  const { datasets } = plan;
  const extra = {
    ...plan,
    datasets: { ...datasets, file: { ...datasets.movielens, maxEpochs: 3, patience: 1 } },
  };
  const s = summarise({ ...outcome, plan: extra });
  assertEquals(s.budgets.map((b) => b.dataset), summary.budgets.map((b) => b.dataset));
  assertEquals(s.convergence.minCap, summary.convergence.minCap);
  assertEquals(s.protocol, summary.protocol);
});

Deno.test("protocol line: each dataset's patience, then its epoch cap", () => {
  for (const b of summary.budgets) {
    assert(
      summary.protocol[2].includes(
        `patience ${b.patience} on ${b.dataset} (at most ${b.maxEpochs} epochs)`,
      ),
      summary.protocol[2],
    );
  }
});

Deno.test("main tables: a main dataset that is not the default benchmark or MovieLens still gets one, after them", () => {
  const other = summarise({
    ...outcome,
    plan: { ...plan, synthetic: { ...plan.synthetic, numUsers: 12345 } },
  });
  assertEquals(Object.keys(other.main), ["MovieLens", "Synthetic"]);
});

Deno.test("protocol line: the loss named is a neural run's, not the first finished cell's", () => {
  const pop = cellsOf(plan, "main").find((c) =>
    c.system.kind !== "neural" && outcome.byKey.has(c.key)
  )!;
  const result = outcome.byKey.get(pop.key)!;
  const changed = summarise({
    ...outcome,
    plan: { ...plan, cells: [pop, ...plan.cells.filter((c) => c.key !== pop.key)] },
    byKey: new Map(outcome.byKey).set(pop.key, {
      ...result,
      protocol: { ...result.protocol, loss: "none" },
    }),
  });
  assertEquals(changed.protocol[2], summary.protocol[2]);
  assert(!summary.protocol[2].startsWith("training loss: none;"), summary.protocol[2]);
});

Deno.test("summary counts: every finished cell of the plan, the pending keys as given", () => {
  assertEquals(summary.cells, plan.cells.filter((c) => outcome.byKey.has(c.key)).length);
  assert(summary.cells > cellsOf(plan, "main").length);
  const s = summarise({ ...outcome, pending: ["a", "b"] });
  assertEquals(s.pending, ["a", "b"]);
});

Deno.test("attribution: SASRec-MM's rows as well as Demure-SASRec's", () => {
  const systems = new Set(summary.attribution.map((a) => a.system));
  assertEquals([...systems].sort(), ["Demure-SASRec", "SASRec-MM"]);
});

Deno.test("other ranking: a dataset whose runs lack it has no table, the others keep theirs", () => {
  assert(summary.otherRanking["MovieLens"] !== undefined);
  const changed = withResults((byKey) => {
    for (const cell of cellsOf(plan, "main")) {
      const result = byKey.get(cell.key);
      if (cell.datasetLabel === "MovieLens" && result) {
        byKey.set(cell.key, { ...result, testOtherRanking: undefined });
      }
    }
  });
  assertEquals(
    Object.keys(changed.otherRanking),
    Object.keys(summary.otherRanking).filter((l) => l !== "MovieLens"),
  );
});

Deno.test("datasets: one not prepared has no cold start (no crash); the info is in label order", () => {
  const datasets = new Map(
    [...outcome.datasets].filter(([label]) => label !== "MovieLens").reverse(),
  );
  const s = summarise({ ...outcome, datasets });
  assertEquals(s.coldStart["MovieLens"], undefined);
  assert(s.main["MovieLens"].rows.length > 0);
  const labels = Object.keys(
    summarise({
      ...outcome,
      datasets: new Map([...outcome.datasets].reverse()),
    }).datasets,
  );
  assertEquals(labels, [...labels].sort((a, b) => a.localeCompare(b)));
  assert(labels.length > 1);
});

Deno.test("noise levels: a Demure seed without a baseline run is left out of the gain; no pair gives NaN", () => {
  const atHalf = cellsOf(plan, "noise_level").filter((c) => c.noiseFraction === 0.5);
  const baseline4 = atHalf.find((c) => c.systemName === "SASRec-MM" && c.seed === 4)!;
  const one = withResults((byKey) => byKey.delete(baseline4.key));
  const row = one.noiseLevel.find((l) => l.noiseFraction === 0.5)!;
  assert(Number.isFinite(row.gain), String(row.gain));
  assertEquals([row.multiModal.n, row.demure.n], [4, 5]);
  const none = withResults((byKey) => {
    for (const c of atHalf) if (c.systemName === "SASRec-MM") byKey.delete(c.key);
  });
  assert(Number.isNaN(none.noiseLevel.find((l) => l.noiseFraction === 0.5)!.gain));
});

Deno.test("convergence: Demure cells are the neural runs with a Demure record only", () => {
  const all = plan.cells.flatMap((c) => {
    const r = outcome.byKey.get(c.key);
    return r && c.system.kind === "neural" && !r.diverged ? [r] : [];
  });
  assertEquals(summary.convergence.demureCells, all.filter((r) => r.demure !== undefined).length);
  assert(summary.convergence.demureCells < summary.convergence.neuralCells);
});

Deno.test("design choices: the flipped runs' own best epochs", () => {
  for (const row of summary.designChoices) {
    const flipped = plan.cells.filter((c) =>
      c.designChoice?.name === row.choice && c.datasetLabel === row.dataset &&
      row.seeds.includes(c.seed)
    ).sort((a, b) => a.seed - b.seed);
    const epochs = flipped.map((c) => outcome.byKey.get(c.key)!.bestEpoch);
    assertEquals([...row.flipped.bestEpochs].sort(), [...epochs].sort(), row.choice);
  }
});

Deno.test("design choices: only main cells are the reference, other Demure-SASRec cells given along change nothing", () => {
  const found = (experiments: string[]) =>
    plan.cells.flatMap((cell) => {
      const result = outcome.byKey.get(cell.key);
      return result && experiments.some((e) => cell.experiments.includes(e as never))
        ? [{ cell, result }]
        : [];
    });
  const rows = designChoiceRows(found(["main", "design_choice"]));
  assert(rows.length > 0);
  assertEquals(designChoiceRows(found(["main", "design_choice", "sensitivity"])), rows);
});

Deno.test("budgets: the synthetic benchmark is named 'Synthetic' even when a noise-level cell comes first", () => {
  const noise = plan.cells.filter((c) => c.experiments.includes("noise_level"));
  const first = summarise({
    ...outcome,
    plan: { ...plan, cells: [...noise, ...plan.cells.filter((c) => !noise.includes(c))] },
  });
  assertEquals(first.budgets.map((b) => b.dataset), summary.budgets.map((b) => b.dataset));
  assert(first.budgets.some((b) => b.dataset === "Synthetic"));
});
