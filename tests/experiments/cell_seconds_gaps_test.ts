/**
 * estimatedCellSeconds for the system kinds the recorded plan does not hold (mutation round OE):
 * an ablation on the GRU4Rec backbone, a spec that names both Demure and CL4SRec settings, a quick
 * cell of an imported dataset; and the rounding of a share that is not a whole number of seconds.
 */
import { assertEquals } from "@std/assert";
import { estimatedCellSeconds } from "../../lib/experiments/cell_seconds.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import { SYSTEMS, type SystemSpec } from "../../lib/experiments/systems.ts";

const FILE_SPEC = { kind: "file" as const, path: "x", format: "recbole" as const };

const PLANS = { quick: planExperiments("quick"), full: planExperiments("full") };

function neuralCell(mode: "quick" | "full", kind: "movielens" | "synthetic"): PlannedCell {
  return PLANS[mode].cells.find((cell) =>
    cell.dataset.kind === kind && cell.system.kind === "neural" && !cell.scoreAttribution
  )!;
}

Deno.test("estimatedCellSeconds: an ablation on the GRU4Rec backbone is its share of Demure-GRU4Rec's figure, rounded to the nearest second", () => {
  const plan = PLANS.full;
  const onGru = (name: "AttributionOnly-SASRec" | "RandomInputMasks-SASRec"): SystemSpec => ({
    ...SYSTEMS[name],
    backbone: "gru4rec",
  } as SystemSpec);
  const seconds = (kind: "movielens" | "synthetic", system: SystemSpec) =>
    estimatedCellSeconds(plan, { ...neuralCell("full", kind), system });
  // Demure-GRU4Rec: MovieLens 1910 s, synthetic 49 s; shares 0.75 and 0.45. 0.45 * 49 = 22.05
  // is 22 s, not 23 (a rounding up would add a second to every such cell).
  assertEquals(
    [
      seconds("movielens", onGru("AttributionOnly-SASRec")),
      seconds("movielens", onGru("RandomInputMasks-SASRec")),
      seconds("synthetic", onGru("AttributionOnly-SASRec")),
      seconds("synthetic", onGru("RandomInputMasks-SASRec")),
    ],
    [1433, 860, 37, 22],
  );
});

Deno.test("estimatedCellSeconds: a system naming Demure and CL4SRec settings is estimated as Demure, as it is trained", () => {
  // run_cell.ts hooksOf: Demure's objective wins over CL4SRec's auxiliary loss.
  const plan = PLANS.full;
  const both = { ...SYSTEMS["Demure-SASRec"], cl4srec: { loss: "nt_xent" } } as SystemSpec;
  const cell = neuralCell("full", "movielens");
  assertEquals(estimatedCellSeconds(plan, { ...cell, system: both }), 920);
});

Deno.test("estimatedCellSeconds: a quick cell of an imported dataset is estimated as a quick synthetic one", () => {
  const plan = PLANS.quick;
  const cell = neuralCell("quick", "synthetic");
  assertEquals(estimatedCellSeconds(plan, { ...cell, dataset: FILE_SPEC }), 8);
  // Not the MovieLens figure (25 s) because it is not the synthetic benchmark.
  assertEquals(estimatedCellSeconds(plan, neuralCell("quick", "movielens")), 25);
});
