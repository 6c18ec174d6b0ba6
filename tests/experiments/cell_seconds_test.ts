import { assert, assertEquals } from "@std/assert";
import { estimatedCellSeconds } from "../../lib/experiments/cell_seconds.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { planOfResults } from "../../lib/experiments/selection_record.ts";
import { finishedCells } from "../../lib/experiments/stored_cells.ts";
import { SYSTEMS } from "../../lib/experiments/systems.ts";
import { verificationSubset } from "../../lib/experiments/verify.ts";

const RECORDS = new URL("../../results-of-record/full", import.meta.url).pathname;

/**
 * The main job of 2026-12-04 (`./run.sh reproduce`, idle, two processes): each trained cell's
 * minutes as its log printed them (docs/performance.md).
 */
const MAIN_JOB_MINUTES: Record<string, number> = {
  "full/MovieLens/Demure-GRU4Rec/seed=0": 31.8,
  "full/MovieLens/CL4SRec-MM/seed=0": 16.3,
  "full/MovieLens/Demure-SASRec/seed=0": 15.3,
  "full/MovieLens/SASRec-MM/seed=0": 8.9,
  "full/MovieLens/GRU4Rec-MM/seed=0": 8.0,
  "full/MovieLens/SASRec-ID/seed=0": 6.6,
  "full/Synthetic/Demure-SASRec/seed=0": 2.8,
  "full/Synthetic/CL4SRec-MM/seed=0": 2.4,
  "full/Synthetic/SASRec-MM/seed=0": 70 / 60,
  "full/Synthetic/SASRec-ID/seed=0": 54 / 60,
  "full/Synthetic/Demure-GRU4Rec/seed=0": 49 / 60,
  "full/Synthetic/GRU4Rec-MM/seed=0": 37 / 60,
};

Deno.test("estimatedCellSeconds: the main job's cells sum to their measured idle time, its longest cell first", () => {
  const plan = planOfResults("full", RECORDS);
  const trained = verificationSubset(plan).filter((cell) => cell.system.kind === "neural");
  assertEquals(trained.map((c) => c.key).sort(), Object.keys(MAIN_JOB_MINUTES).sort());
  const minutes = (cell: (typeof trained)[number]) => estimatedCellSeconds(plan, cell) / 60;
  const estimated = trained.reduce((sum, cell) => sum + minutes(cell), 0);
  const measured = Object.values(MAIN_JOB_MINUTES).reduce((sum, m) => sum + m, 0);
  assert(Math.abs(estimated / measured - 1) < 0.05, `${estimated} min against ${measured}`);
  const longest = trained.reduce((a, b) => minutes(a) >= minutes(b) ? a : b);
  assertEquals(longest.key, "full/MovieLens/Demure-GRU4Rec/seed=0");
});

Deno.test("estimatedCellSeconds: the whole plan's recorded cells within 15% of their recorded training", () => {
  // The records' other seeds, trials, ablations and sweeps: the per-variant shares and the
  // attribution scoring's factor are what reach them.
  const plan = planOfResults("full", RECORDS);
  const recorded = finishedCells(plan, RECORDS);
  let estimated = 0;
  let measured = 0;
  for (const cell of plan.cells) {
    const result = recorded.get(cell.key);
    if (result === undefined || cell.sameAs !== undefined || cell.system.kind !== "neural") {
      continue;
    }
    estimated += estimatedCellSeconds(plan, cell);
    measured += result.trainSeconds;
  }
  assert(measured > 15 * 3600, `${measured} s recorded`);
  assert(Math.abs(estimated / measured - 1) < 0.15, `${estimated} s against ${measured} s`);
});

Deno.test("estimatedCellSeconds: attribution scoring doubles a cell; an imported dataset is estimated as the synthetic one", () => {
  const plan = planExperiments("full");
  const scored = plan.cells.find((c) => c.scoreAttribution && c.systemName === "Demure-SASRec")!;
  const unscored = { ...scored, scoreAttribution: false };
  assertEquals(estimatedCellSeconds(plan, scored), 2 * estimatedCellSeconds(plan, unscored));
  const imported = {
    ...unscored,
    dataset: { kind: "file" as const, path: "x", format: "recbole" as const },
  };
  assertEquals(estimatedCellSeconds(plan, imported), estimatedCellSeconds(plan, unscored));
});

Deno.test("estimatedCellSeconds: a quick MovieLens neural cell is estimated longer than a quick synthetic one", () => {
  // Quick mode's estimates are per dataset (cell_seconds.ts: MovieLens 25 s, synthetic 8 s).
  const plan = planExperiments("quick");
  const neural = (kind: string) =>
    plan.cells.find((cell) =>
      cell.dataset.kind === kind && cell.system.kind === "neural" && !cell.scoreAttribution
    )!;
  const movielens = estimatedCellSeconds(plan, neural("movielens"));
  const synthetic = estimatedCellSeconds(plan, neural("synthetic"));
  assert(movielens > 2 * synthetic, `${movielens} s against ${synthetic} s`);
});

Deno.test("estimatedCellSeconds: quick mode is one figure per dataset, whatever the system or scoring; baselines by mode", () => {
  const quick = planExperiments("quick");
  const full = planExperiments("full");
  const neuralSeconds = (kind: string) =>
    new Set(
      quick.cells.filter((cell) => cell.dataset.kind === kind && cell.system.kind === "neural")
        .map((cell) => estimatedCellSeconds(quick, cell)),
    );
  // Demure-GRU4Rec, CL4SRec-MM, the scored noise-level cells: the same few epochs of small data.
  assertEquals([...neuralSeconds("movielens")], [25]);
  assertEquals([...neuralSeconds("synthetic")], [8]);
  const baseline = quick.cells.find((cell) => cell.system.kind !== "neural")!;
  assertEquals(estimatedCellSeconds(quick, baseline), 2);
  assertEquals(estimatedCellSeconds(full, baseline), 5);
});

Deno.test("estimatedCellSeconds: whole seconds; a Demure system naming no variant is the full objective", () => {
  const plan = planExperiments("full");
  for (const cell of plan.cells) {
    const seconds = estimatedCellSeconds(plan, cell);
    assert(Number.isInteger(seconds) && seconds > 0, `${cell.key}: ${seconds}`);
  }
  const demure = plan.cells.find((cell) =>
    cell.systemName === "Demure-SASRec" && cell.dataset.kind === "synthetic" &&
    !cell.scoreAttribution
  )!;
  const unnamed = {
    ...demure,
    system: { ...SYSTEMS["Demure-SASRec"], demure: {} },
  };
  assertEquals(estimatedCellSeconds(plan, unnamed), estimatedCellSeconds(plan, demure));
});

Deno.test("estimatedCellSeconds: attribution scoring doubles the plain baseline's cell too", () => {
  // The noise-level experiment scores SASRec-MM's attribution as well as Demure's.
  const plan = planExperiments("full");
  const scored = plan.cells.find((c) => c.scoreAttribution && c.systemName === "SASRec-MM")!;
  const unscored = { ...scored, scoreAttribution: false };
  assertEquals(estimatedCellSeconds(plan, scored), 2 * estimatedCellSeconds(plan, unscored));
});

Deno.test("estimatedCellSeconds: each full neural cell reads its own backbone's and objective's figure, the ablations their share of Demure's", () => {
  const plan = planExperiments("full");
  const template = (kind: "movielens" | "synthetic") =>
    plan.cells.find((cell) =>
      cell.dataset.kind === kind && cell.system.kind === "neural" && !cell.scoreAttribution
    )!;
  const seconds = (kind: "movielens" | "synthetic", name: keyof typeof SYSTEMS) =>
    estimatedCellSeconds(plan, { ...template(kind), system: SYSTEMS[name] });
  const names = [
    "SASRec-ID",
    "GRU4Rec-ID",
    "SASRec-MM",
    "GRU4Rec-MM",
    "CL4SRec-MM",
    "Demure-SASRec",
    "Demure-GRU4Rec",
    "AttributionOnly-SASRec",
    "ContrastiveOnly-SASRec",
    "RandomInputMasks-SASRec",
  ] as const;
  // The measured figures of the main job (cell_seconds.ts), the ablations at 0.75, 1 and 0.45 of
  // Demure-SASRec's: a GRU4Rec cell read as a SASRec one was 10% to 2x off.
  assertEquals(Object.fromEntries(names.map((name) => [name, seconds("movielens", name)])), {
    "SASRec-ID": 535,
    "GRU4Rec-ID": 480,
    "SASRec-MM": 535,
    "GRU4Rec-MM": 480,
    "CL4SRec-MM": 980,
    "Demure-SASRec": 920,
    "Demure-GRU4Rec": 1910,
    "AttributionOnly-SASRec": 690,
    "ContrastiveOnly-SASRec": 920,
    "RandomInputMasks-SASRec": 414,
  });
  assertEquals(Object.fromEntries(names.map((name) => [name, seconds("synthetic", name)])), {
    "SASRec-ID": 70,
    "GRU4Rec-ID": 37,
    "SASRec-MM": 70,
    "GRU4Rec-MM": 37,
    "CL4SRec-MM": 144,
    "Demure-SASRec": 168,
    "Demure-GRU4Rec": 49,
    "AttributionOnly-SASRec": 126,
    "ContrastiveOnly-SASRec": 168,
    "RandomInputMasks-SASRec": 76,
  });
});
