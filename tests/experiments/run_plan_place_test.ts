/**
 * runPlan's lines number each cell by its place in the whole plan, of the plan's size (`[5/16]`),
 * counting the cells finished before (a resumed run) and by other processes; `onEpoch` gets the
 * place a training cell will take. Each process used to number the cells it ran itself from 1.
 */
import { assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { PlanPlace } from "../../lib/experiments/plan_types.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { fixtureQuickPlan, TINY_SEQUENCE } from "./_fixture_quick_plan.ts";

await initBackend({ verbose: false });

/** The `[place/size] key` of each finished cell's line. */
function places(lines: readonly string[]): string[] {
  return lines.flatMap((line) => /^(\[\d+\/\d+\] \S+):/.exec(line)?.slice(1) ?? []);
}

Deno.test("runPlan: a resumed run numbers its cells after the plan's finished ones, of the plan's size", async () => {
  const full = planExperiments("quick");
  const plan = { ...full, cells: full.cells.filter((c) => c.system.kind !== "neural") };
  const keys = plan.cells.map((cell) => cell.key);
  const size = keys.length;
  assertEquals(size >= 3, true);
  const resultsDir = Deno.makeTempDirSync({ prefix: "run_plan_place_" });
  try {
    const first: string[] = [];
    await runPlan({ ...plan, cells: plan.cells.slice(0, 2) }, {
      resultsDir,
      log: (line) => first.push(line),
    });
    assertEquals(places(first), [`[1/2] ${keys[0]}`, `[2/2] ${keys[1]}`]);
    const resumed: string[] = [];
    await runPlan(plan, { resultsDir, log: (line) => resumed.push(line) });
    // The two stored cells count: the first cell run now is the plan's third, not "[1]".
    assertEquals(places(resumed), keys.slice(2).map((key, i) => `[${i + 3}/${size}] ${key}`));
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("runPlan: onEpoch gets the place the training cell's line will have", async () => {
  const names = ["Pop", "ItemKNN", "SASRec-ID"];
  const small = fixtureQuickPlan(names, {
    dataset: TINY_SEQUENCE,
    datasetTraining: { maxEpochs: 2 },
  });
  assertEquals(small.cells.map((cell) => cell.systemName), names);
  const model = small.cells[2];
  const resultsDir = Deno.makeTempDirSync({ prefix: "run_plan_place_" });
  try {
    // Pop and ItemKNN first, as an earlier run: the model is then the plan's third of three.
    await runPlan({ ...small, cells: small.cells.slice(0, 2) }, { resultsDir, log: () => {} });
    const lines: string[] = [];
    const epochs: PlanPlace[] = [];
    await runPlan(small, {
      resultsDir,
      log: (line) => lines.push(line),
      onEpoch: (_cell, _progress, place) => epochs.push(place),
    });
    assertEquals(places(lines), [`[3/3] ${model.key}`]);
    assertEquals(epochs.length, 2);
    assertEquals(epochs, [{ finished: 3, planned: 3 }, { finished: 3, planned: 3 }]);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
